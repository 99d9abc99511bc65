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

  it("a board the server refuses says so instead of reconnecting for ever", () => {
    render(<Board board={fromSnapshot({ airport: "ZZZ", time_zone: "UTC", flights: [], announcements: [] })} live="refused" names={{}} now={new Date()} />);
    expect(screen.getByRole("status")).toHaveTextContent("No live board for this airport");
    expect(screen.getByText("ZZZ has no board here")).toBeInTheDocument();
    expect(screen.queryByText(/Reconnecting|Loading/)).not.toBeInTheDocument();
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

describe("arrivals board", () => {
  const arriving = flight({ number: "XA202", origin: "AOR", destination: "XSP", status: "departed", scheduled_arrival: "2026-12-01T03:00:00Z", estimated_arrival: "2026-12-01T03:20:00Z" });
  const arr = fromSnapshot({ airport: "XSP", time_zone: "Asia/Singapore", direction: "arrivals", flights: [arriving] });

  it("shows the arrival time here, where the flight comes from, and that it is in the air", () => {
    render(<Board board={arr} live="live" names={{ AOR: "Alor Setar" }} now={new Date()} />);
    expect(screen.getByRole("heading", { name: "Arrivals" })).toBeInTheDocument();
    expect(screen.getByRole("columnheader", { name: "From" })).toBeInTheDocument();
    expect(screen.queryByRole("columnheader", { name: "Gate" })).toBeNull();
    const row = screen.getByText("XA202").closest("tr")!;
    expect(within(row).getByText("11:00")).toHaveClass("wh-struck");
    expect(within(row).getByTestId("new-time")).toHaveTextContent("11:20");
    expect(within(row).getByText(/Alor Setar/)).toBeInTheDocument();
    expect(within(row).getByText("In the air")).toBeInTheDocument();
    expect(screen.getByRole("link", { name: "Arrivals" })).toHaveAttribute("aria-current", "page");
    expect(screen.getByRole("link", { name: "Departures" })).toHaveAttribute("href", "#/board/XSP");
  });

  it("a flight diverted here says so", () => {
    const b = applyFlight(arr, { ...arriving, status: "diverted", diverted_to: "XSP", version: 9 });
    render(<Board board={b} live="live" names={{}} now={new Date()} />);
    expect(screen.getByText("Diverted here")).toBeInTheDocument();
  });

  it("an empty arrivals board says so once live", () => {
    render(<Board board={fromSnapshot({ airport: "XSP", time_zone: "UTC", direction: "arrivals", flights: [] })} live="live" names={{}} now={new Date()} />);
    expect(screen.getByText("No arrivals in the next 24 hours")).toBeInTheDocument();
  });

  it("switching boards goes through the shell's navigation", async () => {
    const picked: string[] = [];
    render(<Board board={arr} live="live" names={{}} now={new Date()} onSwitch={(d) => picked.push(d)} />);
    screen.getByRole("link", { name: "Departures" }).click();
    expect(picked).toEqual(["departures"]);
  });
});
