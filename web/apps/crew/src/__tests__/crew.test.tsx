import { render, screen } from "@testing-library/react";
import userEvent from "@testing-library/user-event";
import { Duty } from "../App";
import { Pairings } from "../Pairings";
import type { Assignment, Pairing } from "../types";

const duty: Assignment = {
  id: "a1", flight_id: "f1", flight_number: "XA101", member_id: "m1", member_name: "Alex Tan", role: "captain",
  state: "proposed", origin: "XSP", destination: "BKK", report_at: "2026-12-01T00:00:00Z", departure: "2026-12-01T01:00:00Z",
  arrival: "2026-12-01T03:25:00Z", release_at: "2026-12-01T03:55:00Z", source: "auto", override_reason: "",
  violations: [], answer_reason: "", needs_attention: false, answered_at: null,
};
const zones = { XSP: "Asia/Singapore", BKK: "Asia/Bangkok" };

describe("crew duty", () => {
  it("shows local times of each airport", () => {
    render(<ul><Duty a={duty} zones={zones} onAnswer={async () => {}} /></ul>);
    expect(screen.getByText(/09:00/)).toBeInTheDocument(); // departs 01:00Z = 09:00 in Singapore
    expect(screen.getByText(/10:25/)).toBeInTheDocument(); // arrives 03:25Z = 10:25 in Bangkok
  });

  it("a decline needs a reason before anything is sent", async () => {
    const calls: unknown[] = [];
    render(<ul><Duty a={duty} zones={zones} onAnswer={async (...a) => { calls.push(a); }} /></ul>);
    await userEvent.click(screen.getByRole("button", { name: "Decline XA101" }));
    await userEvent.click(screen.getByRole("button", { name: "Send decline" }));
    expect(screen.getByRole("alert")).toHaveTextContent("Say why you decline");
    expect(calls).toHaveLength(0);
    await userEvent.type(screen.getByLabelText("Reason"), "sick");
    await userEvent.click(screen.getByRole("button", { name: "Send decline" }));
    expect(calls).toEqual([[duty, false, "sick"]]);
  });
});

describe("crew pairings", () => {
  it("shows an out-and-back as one duty period with its sectors, flight duty against its limit", () => {
    const back: Assignment = { ...duty, id: "a2", flight_id: "f2", flight_number: "XA102", origin: "BKK", destination: "XSP", departure: "2026-12-01T05:00:00Z", arrival: "2026-12-01T07:30:00Z", release_at: "2026-12-01T08:00:00Z" };
    const pairing: Pairing = {
      report_at: duty.report_at, release_at: back.release_at, nights_away: 0, returns_home: true,
      duty_periods: [{ report_at: duty.report_at, release_at: back.release_at, fdp_hours: 7.5, fdp_limit_hours: 13, sectors: [duty, back] }],
    };
    render(<Pairings pairings={[pairing]} zones={zones} base="XSP" />);
    const period = screen.getByRole("listitem", { name: "duty period XA101 XA102" });
    expect(period).toHaveTextContent("7.5 h of 13.0 h");
    expect(period).toHaveTextContent("BKK → XSP");
    expect(screen.getByRole("listitem", { name: "pairing 1" })).toHaveTextContent("home the same day");
    expect(screen.queryByText("near the limit")).not.toBeInTheDocument();
  });

  it("warns of a duty near its limit and a pairing that does not come home, and says when there is none", () => {
    const p: Pairing = { report_at: duty.report_at, release_at: duty.release_at, nights_away: 1, returns_home: false,
      duty_periods: [{ report_at: duty.report_at, release_at: duty.release_at, fdp_hours: 12.5, fdp_limit_hours: 13, sectors: [duty] }] };
    const { unmount } = render(<Pairings pairings={[p]} zones={zones} base="XSP" />);
    expect(screen.getByText("near the limit")).toBeInTheDocument();
    expect(screen.getByText("does not return to XSP")).toBeInTheDocument();
    expect(screen.getByRole("listitem", { name: "pairing 1" })).toHaveTextContent("1 night away");
    unmount();
    render(<Pairings pairings={[]} zones={zones} base="XSP" />);
    expect(screen.getByText("No pairings planned.")).toBeInTheDocument();
  });
});
