import { act, render, screen, within } from "@testing-library/react";
import userEvent from "@testing-library/user-event";
import { createApi, type Api } from "@airline/ui";
import { Roster } from "../Roster";
import { sectionsFor } from "../App";
import { rosterRequest, type RosterRun } from "../rosterRules";
import type { Reference } from "../data";

const rd: Reference = {
  airports: [{ code: "XSP", name: "Seletar", city: "Singapore", country: "SG", time_zone: "Asia/Singapore" }, { code: "BKK", name: "Bangkok", city: "Bangkok", country: "TH", time_zone: "Asia/Bangkok" }],
  zones: { XSP: "Asia/Singapore", BKK: "Asia/Bangkok" }, planes: [], gates: {},
};

const run: RosterRun = {
  dry_run: true, proposed: 4, flights_short: 1, solver_seconds: 12.345, solver_status: "optimal",
  flights: [
    { flight_id: "f1", flight_number: "XA101", origin: "XSP", destination: "BKK", departure: "2026-12-01T01:00:00Z", readiness: "complete", kept: 1,
      picked: [{ member_id: "m1", member_name: "Nora Lim", role: "captain" }, { member_id: "m2", member_name: "Raj Patel", role: "first_officer" }], uncovered: [] },
    { flight_id: "f2", flight_number: "XA103", origin: "BKK", destination: "XSP", departure: "2026-12-01T06:30:00Z", readiness: "short", kept: 0,
      picked: [{ member_id: "m3", member_name: "Mai Ng", role: "purser" }],
      uncovered: [{ role: "flight_attendant", missing: 2, reason: "no legal flight attendant: all 3 are resting" }] },
  ],
};

/** A fake gateway whose roster run answers only when the test says so. */
function slowRoster() {
  const bodies: unknown[] = [];
  let answer: (r: Response) => void = () => {};
  const api: Api = createApi({ fetch: (async (_url: string, init?: RequestInit) => {
    bodies.push(JSON.parse(String(init?.body)));
    return new Promise<Response>((resolve) => { answer = resolve; });
  }) as typeof fetch });
  return { api, bodies, finish: (body: unknown, status = 200) => act(async () => answer(new Response(JSON.stringify(body), { status }))) };
}

describe("crew roster", () => {
  it("a run shows its totals, each flight's picks (name and role) and what is uncovered, and why", async () => {
    const fake = slowRoster();
    render(<Roster api={fake.api} rd={rd} />);
    await userEvent.click(screen.getByRole("button", { name: "Dry run" }));
    await fake.finish(run);
    expect(await screen.findByRole("heading", { name: "Dry run: nothing written" })).toBeInTheDocument();
    expect(screen.getByTestId("roster-totals")).toHaveTextContent("Proposed4Flights short1Solver12.3 s · optimal");
    const table = screen.getByRole("table", { name: "roster per flight" });
    const first = within(table).getByRole("row", { name: /^XA101/ });
    expect(first).toHaveTextContent("XSP → BKK");
    expect(first).toHaveTextContent("09:00"); // Singapore local
    expect(first).toHaveTextContent("Nora Lim (captain)");
    expect(first).toHaveTextContent("Raj Patel (first officer)");
    const short = within(table).getByRole("row", { name: /^XA103/ });
    expect(short).toHaveTextContent("13:30"); // Bangkok local: the origin's zone
    expect(short).toHaveTextContent("short");
    expect(short).toHaveTextContent("flight attendant × 2: no legal flight attendant: all 3 are resting");
    expect(fake.bodies[0]).toMatchObject({ dry_run: true });
    expect(fake.bodies[0]).not.toHaveProperty("base");
  });

  it("blocks a second submit while the solver runs, and says it is working", async () => {
    const fake = slowRoster();
    render(<Roster api={fake.api} rd={rd} />);
    await userEvent.selectOptions(screen.getByLabelText("Base"), "BKK");
    const generate = screen.getByRole("button", { name: "Generate" });
    await userEvent.click(generate);
    expect(screen.getByRole("status")).toHaveTextContent("Solving the roster: this takes 10 to 30 seconds");
    expect(generate).toBeDisabled();
    expect(screen.getByRole("button", { name: "Dry run" })).toBeDisabled();
    await userEvent.click(generate);
    await userEvent.click(screen.getByRole("button", { name: "Dry run" }));
    expect(fake.bodies).toHaveLength(1);
    expect(fake.bodies[0]).toMatchObject({ dry_run: false, base: "BKK" });
    await fake.finish({ ...run, dry_run: false, flights: [] });
    expect(await screen.findByRole("heading", { name: "Roster generated" })).toBeInTheDocument();
    expect(screen.getByText("No flights to crew in this range.")).toBeInTheDocument();
    expect(generate).toBeEnabled();
  });

  it("shows the API's refusal", async () => {
    const fake = slowRoster();
    render(<Roster api={fake.api} rd={rd} />);
    await userEvent.click(screen.getByRole("button", { name: "Dry run" }));
    await fake.finish({ title: "Forbidden", detail: "ops only", code: "forbidden" }, 403);
    expect(await screen.findByRole("alert")).toHaveTextContent("Roster run failed: ops only");
  });

  it("local days of the base become the range; a wrong range is caught before sending", () => {
    expect(rosterRequest({ first: "2026-12-01", last: "2026-12-07", base: "" }, "Asia/Singapore", true).body)
      .toEqual({ from: "2026-11-30T16:00:00.000Z", to: "2026-12-07T16:00:00.000Z", dry_run: true });
    expect(rosterRequest({ first: "2026-12-07", last: "2026-12-01", base: "" }, "UTC", true).errors.last).toBe("The last day comes on or after the first");
    expect(rosterRequest({ first: "2026-12-01", last: "2027-01-01", base: "" }, "UTC", true).errors.last).toBe("At most 31 days in one run");
    expect(rosterRequest({ first: "2026-12-01", last: "2026-12-31", base: "XSP" }, "UTC", false).body).toMatchObject({ base: "XSP", dry_run: false });
  });

  it("is an ops section", () => {
    expect(sectionsFor("ops").map((s) => s.path)).toContain("roster");
    expect(sectionsFor("cs").map((s) => s.path)).not.toContain("roster");
  });
});
