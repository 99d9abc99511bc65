import { render, screen, within } from "@testing-library/react";
import type { Flight } from "@airline/ui";
import { Board } from "../App";
import { applyFlight, applyAnnouncement, fromSnapshot } from "../board";

const flight = (over: Partial<Flight> = {}): Flight => ({
  id: "f1", number: "XA101", origin: "XSP", destination: "AOR", origin_time_zone: "Asia/Singapore",
  destination_time_zone: "Asia/Kuala_Lumpur", plane_id: "P1", gate: "X1", status: "scheduled",
  scheduled_departure: "2026-12-01T01:00:00Z", scheduled_arrival: "2026-12-01T02:00:00Z",
  estimated_departure: "2026-12-01T01:00:00Z", estimated_arrival: null, boarding_starts: null,
  diverted_to: null, delay_code: null, status_reason: null, version: 1, ...over,
});

describe("waiting-hall board", () => {
  const snap = fromSnapshot({ airport: "XSP", time_zone: "Asia/Singapore", flights: [flight()], announcements: [] });

  it("shows local times, gate and on-time status", () => {
    render(<Board board={snap} live="live" names={{ AOR: "Alor Setar" }} now={new Date("2026-12-01T00:00:00Z")} />);
    const row = screen.getByText("XA101").closest("tr")!;
    expect(within(row).getByText("09:00")).toBeInTheDocument();
    expect(within(row).getByText("X1")).toBeInTheDocument();
    expect(within(row).getByText("On time")).toBeInTheDocument();
    expect(screen.getByRole("status")).toHaveTextContent("Live");
  });

  it("a delay shows the new time and the reason; an older version never wins", () => {
    const delayed = flight({ status: "delayed", estimated_departure: "2026-12-01T02:30:00Z", status_reason: "late inbound aircraft", delay_code: "93", version: 2 });
    let b = applyFlight(snap, delayed);
    b = applyFlight(b, flight({ version: 1 }));
    render(<Board board={b} live="reconnecting" names={{}} now={new Date()} />);
    expect(screen.getByTestId("new-time")).toHaveTextContent("10:30");
    expect(screen.getByText(/late inbound aircraft/)).toBeInTheDocument();
    expect(screen.getByText("Delayed 10:30")).toBeInTheDocument();
    expect(screen.getByRole("status")).toHaveTextContent("Reconnecting");
  });

  it("announcements are shown newest first, once", () => {
    const a = { id: "a1", flight_id: "f1", flight_number: "XA101", airport: "XSP", kind: "delay", message: "XA101 is delayed", created_at: "2026-12-01T00:05:00Z" };
    const b = applyAnnouncement(applyAnnouncement(snap, a), a);
    expect(b.announcements).toHaveLength(1);
    render(<Board board={b} live="live" names={{}} now={new Date()} />);
    expect(screen.getByLabelText("announcements")).toHaveTextContent("XA101 is delayed");
  });
});
