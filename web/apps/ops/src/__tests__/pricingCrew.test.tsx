import { render, screen, waitFor, within } from "@testing-library/react";
import userEvent from "@testing-library/user-event";
import { createApi, type Api } from "@airline/ui";
import { TaxEditor, FareEditor } from "../Pricing";
import { FlightSettings } from "../FlightSettings";
import { CrewAdmin } from "../CrewAdmin";
import { FlightCrewDesk } from "../FlightCrew";
import { Users } from "../Users";
import {
  bucketsRequest, fareRequest, memberRequest, problemFields, showUpBasisPoints, taxRequest, toMajor, toMinor, userRequest, type BucketForm,
} from "../adminRules";
import { rosterViewQuery } from "../rosterRules";
import { sectionsFor } from "../App";
import type { Reference } from "../data";

const zones = { XSP: "Asia/Singapore", BKK: "Asia/Bangkok" };
const rd: Reference = {
  airports: Object.entries(zones).map(([code, time_zone]) => ({ code, name: code, city: code === "XSP" ? "Singapore" : "Bangkok", country: code === "XSP" ? "SG" : "TH", time_zone })),
  zones, planes: [], gates: {},
};

type Handler = (body: unknown, path: string) => { status?: number; body: unknown };

/** A fake gateway: "METHOD /path-prefix" → answer; every call is recorded. */
function fakeApi(routes: Record<string, Handler | unknown>) {
  const calls: { method: string; path: string; body: unknown }[] = [];
  const api: Api = createApi({ fetch: (async (url: string, init?: RequestInit) => {
    const path = String(url).replace(/^.*\/api\/v1/, "");
    const method = init?.method ?? "GET";
    const body = init?.body ? JSON.parse(String(init.body)) : undefined;
    calls.push({ method, path, body });
    const key = Object.keys(routes).filter((k) => { const [m, p] = k.split(" "); return m === method && path.startsWith(p); }).sort((a, b) => b.length - a.length)[0];
    if (!key) return new Response(JSON.stringify({ title: "Not Found", status: 404 }), { status: 404 });
    const r = routes[key];
    const answer = typeof r === "function" ? (r as Handler)(body, path) : { body: r };
    return new Response(JSON.stringify(answer.body), { status: answer.status ?? 200 });
  }) as typeof fetch });
  return { api, calls };
}

const problem = (errors: { field: string; message: string }[]) => ({
  status: 422, body: { title: "Unprocessable Entity", status: 422, detail: "the request does not match the expected input", code: "validation_failed", errors },
});

describe("pricing rules", () => {
  it("amounts are typed in major units and sent in minor units", () => {
    expect(toMinor("129")).toBe(12900);
    expect(toMinor("129.5")).toBe(12950);
    expect(toMinor("0.05")).toBe(5);
    expect(toMinor("12.345")).toBeNull();
    expect(toMinor("-1")).toBeNull();
    expect(toMinor("1500", "JPY")).toBe(1500);
    expect(toMajor(12900)).toBe("129.00");
  });

  it("a fare needs two different airports, an amount and a currency", () => {
    const f = { origin: "XSP", destination: "XSP", cabin_class: "normal", passenger_type: "adult", trip_type: "one_way", amount: "abc", currency: "sg" };
    expect(fareRequest(f).errors).toEqual({ destination: "Origin and destination must differ", amount: "An amount such as 129.00", currency: "A three-letter code such as SGD" });
    expect(fareRequest({ ...f, destination: "BKK", amount: "99.90", currency: "SGD" }).body).toEqual({ fares: [{ ...f, destination: "BKK", amount: 9990, currency: "SGD" }] });
  });

  it("a tax code is 2-3 letters or digits, upper-cased", () => {
    const t = { airport: "XSP", passenger_type: "adult", code: "s", name: "", amount: "65", currency: "SGD", applies_on: "departure" };
    expect(taxRequest(t).errors).toEqual({ code: "Two or three letters or digits" });
    expect(taxRequest({ ...t, code: "sg" }).body?.taxes[0]).toMatchObject({ code: "SG", amount: 6500 });
  });

  it("booking classes are nested: a class never authorises more than the one above; letters once each", () => {
    const row = (code: string, authorised: string): BucketForm => ({ code, adult: "100", child: "75", infant: "10", authorised, open: true, load: "0", days: "0" });
    expect(bucketsRequest([row("Y", "100"), row("M", "120"), row("y", "10")], "SGD").errors).toEqual({ "1.authorised": "No more than the class above", "2.code": "Each class once" });
    const ok = bucketsRequest([row("y", "100"), row("q", "30")], "SGD");
    expect(ok.buckets?.map((b) => [b.code, b.authorised, b.adult_amount])).toEqual([["Y", 100, 10000], ["Q", 30, 10000]]);
  });

  it("a show-up rate in percent becomes basis points between 50 and 100 %", () => {
    expect(showUpBasisPoints("90")).toBe(9000);
    expect(showUpBasisPoints("92.5")).toBe(9250);
    expect(showUpBasisPoints("40")).toBeNull();
    expect(showUpBasisPoints("101")).toBeNull();
  });

  it("crew members, users and roster days are checked before sending", () => {
    expect(memberRequest({ name: " ", role: "captain", qualifications: " , ", home_base: "XSP", email: "x", phone: "" }).errors)
      .toEqual({ name: "Give the member's name", qualifications: "At least one aircraft type, such as A320-200", email: "An e-mail address such as name@airline.local" });
    expect(memberRequest({ name: "Alex Tan", role: "captain", qualifications: "A320-200, A321neo", home_base: "XSP", email: "", phone: "" }).body?.qualifications).toEqual(["A320-200", "A321neo"]);
    expect(userRequest({ email: "nope", full_name: "", password: "", role: "agent" }).errors).toEqual({
      email: "An e-mail address such as name@airline.local", full_name: "Give the person's name", password: "Give a first password" });
    expect(rosterViewQuery("2026-12-03", "2026-12-01", "UTC").error).toBe("The last day comes on or after the first");
    expect(rosterViewQuery("2026-12-01", "2026-12-01", "Asia/Singapore").qs).toBe("from=2026-11-30T16%3A00%3A00.000Z&to=2026-12-01T16%3A00%3A00.000Z");
  });

  it("a problem+json's errors go to their fields; the others stay one message", async () => {
    const { api } = fakeApi({ "PUT /taxes": () => problem([{ field: "body.taxes.0.code", message: "bad code" }, { field: "body.remove", message: "odd" }]) });
    const err = await api.request("PUT", "/taxes", {}).catch((e) => e);
    expect(problemFields(err, ["code"])).toEqual({ fields: { code: "bad code" }, rest: "odd" });
  });
});

describe("pricing screens", () => {
  it("taxes: an empty list says so; a refused tax shows the API's error on its field; a saved one appears", async () => {
    let taxes: unknown[] = [];
    let refuse = true;
    const { api, calls } = fakeApi({
      "GET /taxes": () => ({ body: { taxes } }),
      "PUT /taxes": (body: unknown) => {
        if (refuse) { refuse = false; return problem([{ field: "body.taxes.0.amount", message: "Input should be less than or equal to 100000000" }]); }
        taxes = (body as { taxes: unknown[] }).taxes.map((t) => ({ name: "", ...(t as object) }));
        return { body: { taxes } };
      },
    });
    render(<TaxEditor api={api} rd={rd} />);
    expect(await screen.findByText("No taxes yet.")).toBeInTheDocument();
    const form = screen.getByRole("form", { name: "set a tax" });
    await userEvent.type(within(form).getByLabelText("Tax code"), "sg");
    await userEvent.type(within(form).getByLabelText("Amount per leg"), "65");
    await userEvent.click(within(form).getByRole("button", { name: "Save tax" }));
    expect(await within(form).findByText("Input should be less than or equal to 100000000")).toBeInTheDocument();
    expect(within(form).getByLabelText("Amount per leg")).toHaveAttribute("aria-invalid", "true");
    await userEvent.click(within(form).getByRole("button", { name: "Save tax" }));
    expect(await screen.findByText(/Saved tax SG at XSP/)).toBeInTheDocument();
    const row = await screen.findByRole("row", { name: /XSP SG/ });
    expect(row).toHaveTextContent("SGD 65.00");
    expect(calls.filter((c) => c.method === "PUT").at(-1)?.body).toEqual({ taxes: [{ airport: "XSP", passenger_type: "adult", code: "SG", name: "", amount: 6500, currency: "SGD", applies_on: "departure" }] });
    await userEvent.click(within(row).getByRole("button", { name: "remove tax SG XSP adult" }));
    await waitFor(() => expect(calls.filter((c) => c.method === "PUT").at(-1)?.body).toMatchObject({ remove: [{ code: "SG", airport: "XSP" }] }));
  });

  it("fares: a route's fares are listed; Edit fills the form, and a save sends minor units", async () => {
    const fare = { origin: "XSP", destination: "BKK", cabin_class: "normal", passenger_type: "adult", trip_type: "one_way", amount: 12900, currency: "SGD" };
    const { api, calls } = fakeApi({ "GET /fares": { fares: [fare], rules: [] }, "PUT /fares": { fares: [fare], rules: [] } });
    render(<FareEditor api={api} rd={rd} />);
    await userEvent.click(await screen.findByRole("button", { name: "edit normal adult one way fare" }));
    const form = screen.getByRole("form", { name: "set a fare" });
    expect(within(form).getByLabelText("Amount per flight")).toHaveValue("129.00");
    expect(screen.getByText("No fare rules on this route yet.")).toBeInTheDocument();
    await userEvent.clear(within(form).getByLabelText("Amount per flight"));
    await userEvent.type(within(form).getByLabelText("Amount per flight"), "139.5");
    await userEvent.click(within(form).getByRole("button", { name: "Save fare" }));
    expect(await screen.findByText(/Saved: XSP→BKK normal adult one way at SGD 139.50/)).toBeInTheDocument();
    expect(calls.find((c) => c.method === "PUT")?.body).toEqual({ fares: [{ ...fare, amount: 13950 }] });
  });
});

const member = { id: "m1", user_id: null, name: "Nora Lim", role: "flight_attendant", qualifications: ["A320-200"], home_base: "XSP", email: "", phone: "", active: true, absences: [] };
const assignment = {
  id: "a1", flight_id: "f1", flight_number: "XA101", member_id: "m1", member_name: "Nora Lim", role: "flight_attendant", state: "proposed", origin: "XSP", destination: "BKK",
  report_at: null, departure: "2026-12-01T01:00:00Z", arrival: null, release_at: null, source: "manual", override_reason: "", violations: [], answer_reason: "", needs_attention: false, answered_at: null,
};
const crewOf = (assignments: unknown[]) => ({
  flight_id: "f1", flight_number: "XA101", flight_status: "scheduled", aircraft_type: "A320-200", seats: 180, readiness: assignments.length ? "pending" : "short",
  short_roles: [], roles: [{ role: "flight_attendant", required: 4, accepted: 0, proposed: assignments.length, short: 4 - assignments.length }], assignments,
});
const flight = { id: "f1", number: "XA101", origin: "XSP", destination: "BKK", status: "scheduled", scheduled_departure: new Date(Date.now() + 3 * 3600_000).toISOString(), seats: [] };

describe("crew screens", () => {
  it("a flight's crew: assign a member, then remove them after a confirmation naming who and which flight", async () => {
    const { api, calls } = fakeApi({
      "GET /flights?": { flights: [flight] },
      "GET /flights/f1/crew": crewOf([]),
      "GET /crew/members": { members: [member] },
      "POST /flights/f1/crew": crewOf([assignment]),
      "DELETE /flights/f1/crew/m1": crewOf([]),
    });
    render(<FlightCrewDesk api={api} rd={rd} />);
    const pick = screen.getByLabelText("Departure");
    await waitFor(() => expect(pick).toBeEnabled());
    await userEvent.selectOptions(pick, "f1");
    expect(await screen.findByText("Nobody is on this flight yet.")).toBeInTheDocument();
    const form = screen.getByRole("form", { name: "assign a member" });
    await userEvent.click(within(form).getByRole("button", { name: "Assign" }));
    expect(within(form).getByText("Choose a member")).toBeInTheDocument();
    await waitFor(() => expect(within(form).getByRole("option", { name: /Nora Lim/ })).toBeInTheDocument());
    await userEvent.selectOptions(within(form).getByLabelText("Member"), "m1");
    await userEvent.click(within(form).getByRole("button", { name: "Assign" }));
    expect(await screen.findByText("Nora Lim is assigned to XA101: asked to accept.")).toBeInTheDocument();
    expect(calls.find((c) => c.method === "POST")?.body).toEqual({ member_id: "m1", override_reason: "" });
    await userEvent.click(screen.getByRole("button", { name: "remove Nora Lim" }));
    const confirm = screen.getByRole("alertdialog", { name: "confirm removal" });
    expect(confirm).toHaveTextContent("Remove Nora Lim (flight attendant) from XA101 XSP→BKK?");
    await userEvent.type(within(confirm).getByLabelText("Reason (optional)"), "sick");
    await userEvent.click(within(confirm).getByRole("button", { name: "Yes, remove Nora Lim" }));
    expect(await screen.findByText("Nobody is on this flight yet.")).toBeInTheDocument();
    expect(calls.find((c) => c.method === "DELETE")?.path).toBe("/flights/f1/crew/m1?reason=sick");
  });

  it("crew members: list, open one, add an absence; the duties say when there are none", async () => {
    const { api, calls } = fakeApi({
      "GET /crew/members": { members: [member] },
      "GET /crew/members/m1": member,
      "PUT /crew/members/m1/availability": (body: unknown) => ({ body: { ...member, absences: (body as { absences: unknown[] }).absences } }),
      "GET /crew/roster": { entries: [{ member, assignments: [] }] },
    });
    render(<CrewAdmin api={api} rd={rd} />);
    expect(await screen.findByText("No duties in these days.")).toBeInTheDocument();
    await userEvent.click(await screen.findByRole("button", { name: "view Nora Lim" }));
    const view = await screen.findByRole("region", { name: "member Nora Lim" });
    expect(await within(view).findByText("Available: no leave, sickness or training.")).toBeInTheDocument();
    const form = within(view).getByRole("form", { name: "add an absence" });
    await userEvent.click(within(form).getByRole("button", { name: "Add absence" }));
    expect(within(form).getByText("Choose when it starts")).toBeInTheDocument();
    await userEvent.type(within(form).getByLabelText("Starts (local XSP)"), "2026-12-10T08:00");
    await userEvent.type(within(form).getByLabelText("Ends (local XSP)"), "2026-12-12T08:00");
    await userEvent.click(within(form).getByRole("button", { name: "Add absence" }));
    expect(await within(view).findByRole("row", { name: /leave 2026-12-10 08:00 2026-12-12 08:00/ })).toBeInTheDocument();
    expect(calls.find((c) => c.method === "PUT")?.body).toEqual({ absences: [{ kind: "leave", starts_at: "2026-12-10T00:00:00.000Z", ends_at: "2026-12-12T00:00:00.000Z", note: "" }] });
  });

  it("adding a member shows the API's refusal on its field", async () => {
    const { api } = fakeApi({
      "GET /crew/members": { members: [] },
      "GET /crew/roster": { entries: [] },
      "POST /crew/members": () => problem([{ field: "body.home_base", message: "String should match pattern" }]),
    });
    render(<CrewAdmin api={api} rd={rd} />);
    expect(await screen.findByText("No crew members yet.")).toBeInTheDocument();
    const form = screen.getByRole("form", { name: "add a crew member" });
    await userEvent.type(within(form).getByLabelText("Name"), "Alex Tan");
    await userEvent.type(within(form).getByLabelText("Aircraft types"), "A320-200");
    await userEvent.click(within(form).getByRole("button", { name: "Add member" }));
    expect(await within(form).findByText("String should match pattern")).toBeInTheDocument();
  });
});

describe("users", () => {
  it("admin creates a staff user and the list shows them", async () => {
    let users = [{ id: "u1", email: "ops@airline.local", full_name: "Demo Ops", role: "ops", created_at: "2026-12-01T00:00:00Z" }];
    const { api, calls } = fakeApi({
      "GET /users": () => ({ body: { users } }),
      "POST /users": (body: unknown) => {
        const b = body as { email: string; full_name: string; role: string };
        const u = { id: "u2", email: b.email, full_name: b.full_name, role: b.role, created_at: "2026-12-07T00:00:00Z" };
        users = [...users, u];
        return { status: 201, body: u };
      },
    });
    render(<Users api={api} />);
    expect(await screen.findByRole("row", { name: /ops@airline.local/ })).toBeInTheDocument();
    const form = screen.getByRole("form", { name: "create a user" });
    await userEvent.type(within(form).getByLabelText("E-mail"), "new.agent@airline.local");
    await userEvent.type(within(form).getByLabelText("Full name"), "New Agent");
    await userEvent.type(within(form).getByLabelText("First password"), "a-long-password");
    await userEvent.click(within(form).getByRole("button", { name: "Create user" }));
    expect(await screen.findByRole("row", { name: /new.agent@airline.local New Agent agent/ })).toBeInTheDocument();
    expect(calls.find((c) => c.method === "POST")?.body).toEqual({ email: "new.agent@airline.local", full_name: "New Agent", password: "a-long-password", role: "agent" });
    await userEvent.type(screen.getByLabelText("Find by e-mail or name"), "zzz");
    expect(screen.getByText('No users matching "zzz".')).toBeInTheDocument();
  });
});

describe("sections", () => {
  it("ops has pricing, crew members and a flight's crew; users and roles are the admin's alone", () => {
    const paths = (role: Parameters<typeof sectionsFor>[0]) => sectionsFor(role).map((s) => s.path);
    expect(paths("ops")).toEqual(expect.arrayContaining(["pricing", "crew-members", "flight-crew"]));
    expect(paths("ops")).not.toContain("users");
    expect(paths("cs")).not.toContain("pricing");
    expect(paths("admin")).toEqual(expect.arrayContaining(["users", "pricing", "crew-members", "flight-crew"]));
  });
});

describe("a flight's revenue settings and crew proposal", () => {
  const withCabins = { ...flight, seats: [{ cabin_class: "normal", capacity: 150, sold: 10, overbooking_percent: 0, seats_left: 140, available: 140 }] };
  const bucket = { code: "Y", adult_amount: 32000, child_amount: 24000, infant_amount: 3200, currency: "SGD", authorised: 150, open: true,
    close_at_load_percent: 0, close_days_before: 0, sold: 0, available: 150, selling_open: true, claimed: 0 };

  it("booking classes: add a nested class (checked first), save them all; overbooking shows the flight's answer", async () => {
    const { api, calls } = fakeApi({
      "GET /flights?": { flights: [withCabins] },
      "GET /flights/f1/fares/buckets": { cabins: [{ flight_id: "f1", cabin_class: "normal", selling: "Y", buckets: [bucket] }] },
      "PUT /flights/f1/fares/buckets": { flight_id: "f1", cabin_class: "normal", selling: "Y", buckets: [bucket] },
      "PUT /flights/f1/cabins/normal/overbooking": { ...withCabins, seats: [{ ...withCabins.seats[0], overbooking_percent: 5 }] },
    });
    render(<FlightSettings api={api} rd={rd} />);
    const pick = screen.getByLabelText("Departure");
    await waitFor(() => expect(pick).toBeEnabled());
    await userEvent.selectOptions(pick, "f1");
    const form = screen.getByRole("form", { name: "booking classes" });
    expect(await within(form).findByLabelText("Adult fare, row 1")).toHaveValue("320.00");
    await userEvent.click(within(form).getByRole("button", { name: "Add a class" }));
    for (const [label, value] of [["Class, row 2", "q"], ["Adult fare, row 2", "99"], ["Child fare, row 2", "75"], ["Infant fare, row 2", "10"], ["Authorised, row 2", "200"]]) {
      await userEvent.clear(within(form).getByLabelText(label));
      await userEvent.type(within(form).getByLabelText(label), value);
    }
    await userEvent.click(within(form).getByRole("button", { name: "Save classes" }));
    expect(within(form).getByText("No more than the class above")).toBeInTheDocument();
    await userEvent.clear(within(form).getByLabelText("Authorised, row 2"));
    await userEvent.type(within(form).getByLabelText("Authorised, row 2"), "30");
    await userEvent.click(within(form).getByRole("button", { name: "Save classes" }));
    expect(await within(form).findByText("Saved 2 booking classes on XA101 normal.")).toBeInTheDocument();
    expect(calls.find((c) => c.method === "PUT")?.body).toMatchObject({ cabin_class: "normal", buckets: [{ code: "Y", authorised: 150 }, { code: "Q", adult_amount: 9900, authorised: 30, currency: "SGD" }] });
    const over = screen.getByRole("form", { name: "overbooking" });
    await userEvent.clear(within(over).getByLabelText("Overbooking (%)"));
    await userEvent.type(within(over).getByLabelText("Overbooking (%)"), "5");
    await userEvent.click(within(over).getByRole("button", { name: "Set overbooking" }));
    expect(await screen.findByTestId("overbooking-normal")).toHaveTextContent("5 %");
  });

  it("propose says how many members were proposed", async () => {
    const { api } = fakeApi({
      "GET /flights?": { flights: [flight] },
      "GET /flights/f1/crew": crewOf([]),
      "GET /crew/members": { members: [] },
      "POST /flights/f1/crew/propose": crewOf([assignment]),
    });
    render(<FlightCrewDesk api={api} rd={rd} />);
    const pick = screen.getByLabelText("Departure");
    await waitFor(() => expect(pick).toBeEnabled());
    await userEvent.selectOptions(pick, "f1");
    await userEvent.click(await screen.findByRole("button", { name: "Propose crew" }));
    expect(await screen.findByText("Proposed 1 member; they are asked to accept.")).toBeInTheDocument();
    expect(screen.getByRole("row", { name: /Nora Lim flight attendant proposed/ })).toBeInTheDocument();
    expect(screen.getByRole("option", { name: "No member with this role" })).toBeInTheDocument();
  });
});
