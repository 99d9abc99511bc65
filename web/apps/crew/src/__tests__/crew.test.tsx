import { render, screen } from "@testing-library/react";
import userEvent from "@testing-library/user-event";
import { Duty } from "../App";
import type { Assignment } from "../types";

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
