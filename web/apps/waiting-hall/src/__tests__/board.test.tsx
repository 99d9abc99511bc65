import { render, screen, within } from "@testing-library/react";
import type { Flight } from "@airline/ui";
import { flightOf } from "@airline/ui/src/testing";
import { Board } from "../App";
import { applyFlight, applyAnnouncement, fromSnapshot } from "../board";

const flight = (over: Partial<Flight> = {}): Flight => flightOf(over);

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
