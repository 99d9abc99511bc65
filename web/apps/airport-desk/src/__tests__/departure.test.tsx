import { render, screen, within } from "@testing-library/react";
import userEvent from "@testing-library/user-event";
import { createApi, type Api } from "@airline/ui";
import { flightOf } from "@airline/ui/src/testing";
import { DepartureView } from "../departure/DepartureView";
import { refusal } from "../departure/refusals";
import type { DoorClosed, FinalManifest, FlightPassenger, GateLists, GatePassenger, LoadSheet, Reconciliation } from "../departure/api";

const gp = (over: Partial<GatePassenger>): GatePassenger => ({
  passenger_id: "p1", booking_id: "b1", pnr: "ABC123", name: "Ada Lovelace", passenger_type: "adult", status: "checked_in", seat: "12A",
  cabin_class: "normal", checked_in_at: "2026-12-01T00:10:00Z", upgrade_requested_at: null, upgraded_from_seat: "", fare_per_seat: 20000, fare_currency: "SGD", ...over,
});
const fp = (over: Partial<FlightPassenger>): FlightPassenger => ({
  booking_id: "b1", passenger_id: "p1", pnr: "ABC123", first_name: "Ada", last_name: "Lovelace", passenger_type: "adult",
  status: "boarded", seat: "12A", sequence: 1, checked_in_at: null, boarded_at: null, ...over,
});

const lists: GateLists = {
  flight_id: "f1", priority: "fare per seat, then listing time",
  cabins: [
    { cabin_class: "vip", seats: 8, passengers: 6, over: 0, volunteers: [], denied_boarding_candidates: [], standby: [],
      upgrades: [gp({ passenger_id: "p4", booking_id: "b4", name: "Grace Hopper", pnr: "UPG111", seat: "20C", upgrade_requested_at: "2026-12-01T00:20:00Z", fare_per_seat: 45000 })] },
    { cabin_class: "normal", seats: 150, passengers: 152, over: 2,
      volunteers: [gp({ passenger_id: "p2", booking_id: "b2", name: "Alan Turing", pnr: "VOL222", seat: "30F" })],
      denied_boarding_candidates: [gp({ passenger_id: "p3", booking_id: "b3", name: "Edsger Dijkstra", pnr: "DBC333", seat: "31A" })],
      standby: [gp({ passenger_id: "p5", booking_id: "b5", name: "Barbara Liskov", pnr: "STB555", seat: "" })], upgrades: [] },
  ],
};
const passengers: FlightPassenger[] = [
  fp({}),
  fp({ booking_id: "b6", passenger_id: "p6", pnr: "NOS666", first_name: "Linh", last_name: "Vo", status: "checked_in", seat: "14B" }),
  fp({ booking_id: "b7", passenger_id: "p7", pnr: "NOS777", first_name: "Kim", last_name: "Tran", status: "booked", seat: "" }),
  fp({ booking_id: "b8", passenger_id: "p8", pnr: "CXL888", first_name: "Old", last_name: "Gone", status: "cancelled", seat: "" }),
];
const counts = { adults: 1, children: 0, infants: 0, total: 1 };
const manifest: FinalManifest = {
  flight_id: "f1", flight_number: "XA101", origin: "XSP", destination: "AOR", departure: "2026-12-01T01:00:00Z", door_closed: false, door_closed_at: null,
  boarded: counts, offloaded: { ...counts, adults: 0, total: 0 }, special_meals: {}, passengers: [], bags: { count: 0, total_weight_kg: 0, bags: [] },
};
const reconciliation: Reconciliation = { flight_id: "f1", door_closed: false, ready: true, still_loaded: [], to_offload: [], flying_bags: 0, flying_weight_kg: 0 };
const sheet: LoadSheet = {
  flight_id: "f1", flight_number: "XA101", plane_id: "P1", aircraft_type: "A320-200", final: false, passengers: counts, bags: 0, passenger_kg: 84, bag_kg: 0,
  cargo_kg: 0, total_payload_kg: 84, max_payload_kg: 16000, compartments: [], within_limits: true, warnings: [], basis: "standard weights",
};
const closed: DoorClosed = {
  flight_id: "f1", closed_at: "2026-12-01T00:50:00Z", closed_by: "agent@airline.test", already_closed: false,
  offloaded: [gp({ passenger_id: "p6", booking_id: "b6", name: "Linh Vo", pnr: "NOS666", seat: "14B", status: "offloaded" }),
    gp({ passenger_id: "p7", booking_id: "b7", name: "Kim Tran", pnr: "NOS777", seat: "", status: "offloaded" })],
};

type Reply = { status?: number; body: unknown };
/** A fake gateway: "METHOD path-suffix" -> reply; every call is recorded. */
function fakeApi(routes: Record<string, Reply | (() => Reply | Promise<Reply>)>, calls: string[] = []): Api {
  const defaults: Record<string, Reply> = {
    "GET /passengers": { body: { flight_id: "f1", passengers } }, "GET /departure/gate-lists": { body: lists },
    "GET /departure/manifest": { body: manifest }, "GET /departure/reconciliation": { body: reconciliation }, "GET /departure/loadsheet": { body: sheet },
  };
  return createApi({ fetch: (async (url: string, init?: RequestInit) => {
    const method = init?.method ?? "GET";
    const path = String(url).replace(/^.*\/flights\/f1/, "");
    calls.push(`${method} ${path}${typeof init?.body === "string" ? ` ${init.body}` : ""}`);
    if (path === "/departure/apis?format=csv") return new Response("last_name,first_name\r\nLOVELACE,ADA\r\n", { status: 200, headers: { "Content-Type": "text/csv" } });
    const hit = routes[`${method} ${path}`] ?? defaults[`${method} ${path}`];
    const reply = typeof hit === "function" ? await hit() : hit ?? { status: 404, body: { title: "Not Found", detail: `no fake for ${method} ${path}` } };
    return new Response(JSON.stringify(reply.body), { status: reply.status ?? 200, headers: { "Content-Type": "application/json" } });
  }) as typeof fetch });
}

const flight = flightOf();

describe("departure view", () => {
  it("shows each cabin's seats against who is expected, and its volunteers, candidates, standby and upgrade lists", async () => {
    render(<DepartureView api={fakeApi({})} flight={flight} />);
    const normal = await screen.findByRole("region", { name: "cabin normal" });
    expect(within(normal).getByTestId("load-normal")).toHaveTextContent("150 seats · 152 expected 2 over");
    expect(within(normal).getByRole("table", { name: "volunteers normal" })).toHaveTextContent("Alan Turing");
    expect(within(normal).getByRole("table", { name: "denied-boarding candidates normal" })).toHaveTextContent("Edsger Dijkstra");
    expect(within(normal).getByRole("table", { name: "standby normal" })).toHaveTextContent("Barbara Liskov");
    expect(within(normal).getByText("Nobody listed.")).toBeInTheDocument();
    const vip = screen.getByRole("region", { name: "cabin vip" });
    const upgrades = within(vip).getByRole("table", { name: "upgrades vip" });
    expect(within(upgrades).getByRole("columnheader", { name: "Fare per seat" })).toBeInTheDocument();
    expect(within(upgrades).getByRole("row", { name: /1 Grace Hopper UPG111 20C SGD 450.00/ })).toBeInTheDocument();
    expect(within(vip).getByText("No volunteers.")).toBeInTheDocument();
  });

  it("records a volunteer and takes a passenger off the upgrade list with the routes' bodies", async () => {
    const calls: string[] = [];
    const after = { ...lists, cabins: [{ ...lists.cabins[0], upgrades: [] }, lists.cabins[1]] };
    const api = fakeApi({ "PUT /departure/volunteers/b3/p3": { body: lists }, "DELETE /departure/upgrades/b4/p4": { body: after } }, calls);
    render(<DepartureView api={api} flight={flight} />);
    await userEvent.click(await screen.findByRole("button", { name: "Edsger Dijkstra volunteers" }));
    await userEvent.click(screen.getByRole("button", { name: "Take Grace Hopper off" }));
    expect(calls).toContain('PUT /departure/volunteers/b3/p3 {"volunteer":true}');
    expect(calls).toContain("DELETE /departure/upgrades/b4/p4");
    expect(await within(screen.getByRole("region", { name: "cabin vip" })).findByText("Nobody listed.")).toBeInTheDocument();
  });

  it("clears upgrades and says who moved where", async () => {
    const api = fakeApi({ "POST /departure/upgrades/clear": { body: {
      flight_id: "f1", released_seats: ["2A"], priority: "fare",
      upgraded: [gp({ name: "Grace Hopper", seat: "2A", cabin_class: "vip", upgraded_from_seat: "20C" })], still_listed: [],
    } } });
    render(<DepartureView api={api} flight={flight} />);
    await userEvent.click(await screen.findByRole("button", { name: "Clear upgrades" }));
    const done = await screen.findByTestId("cleared");
    expect(done).toHaveTextContent("Upgrades cleared");
    expect(done).toHaveTextContent("Grace Hopper: 20C → 2A (Vip)");
    expect(done).toHaveTextContent("Seats freed from passengers who never checked in: 2A");
  });

  it("asks before closing the door, naming how many are offloaded, then shows who was", async () => {
    const calls: string[] = [];
    render(<DepartureView api={fakeApi({ "POST /departure/close-door": { body: closed } }, calls)} flight={flight} />);
    await userEvent.click(await screen.findByRole("button", { name: "Close the door…" }));
    const dialog = screen.getByRole("dialog", { name: "Close the door of XA101?" });
    expect(dialog).toHaveAccessibleDescription("2 passengers not boarded will be offloaded and their bags flagged to come off.");
    expect(dialog).toHaveTextContent("Vo/Linh · NOS666 · checked in");
    expect(dialog).toHaveTextContent("Tran/Kim · NOS777 · booked");
    expect(dialog).not.toHaveTextContent("Gone/Old");
    const confirm = within(dialog).getByRole("button", { name: "Close the door and offload 2" });
    expect(confirm).toHaveFocus();
    expect(calls).not.toContain("POST /departure/close-door");
    await userEvent.click(confirm);
    const table = await screen.findByRole("table", { name: "offloaded passengers" });
    expect(within(table).getByRole("row", { name: /Linh Vo NOS666 14B/ })).toBeInTheDocument();
    expect(within(table).getByRole("row", { name: /Kim Tran NOS777/ })).toBeInTheDocument();
    expect(screen.getByRole("status", { name: "door closed" })).toHaveTextContent("Door closed at 08:50 by agent@airline.test: 2 offloaded.");
    expect(screen.queryByRole("dialog")).toBeNull();
  });

  it("keeping the door open sends nothing", async () => {
    const calls: string[] = [];
    render(<DepartureView api={fakeApi({}, calls)} flight={flight} />);
    await userEvent.click(await screen.findByRole("button", { name: "Close the door…" }));
    await userEvent.click(screen.getByRole("button", { name: "Keep the door open" }));
    expect(screen.queryByRole("dialog")).toBeNull();
    expect(calls.filter((c) => c.startsWith("POST"))).toEqual([]);
  });

  it("shows a refusal as a clear message: the gate is still open", async () => {
    const api = fakeApi({ "POST /departure/close-door": { status: 409, body: {
      type: "about:blank", title: "Conflict", status: 409, detail: "flight XA101 closes its gate at 08:40 local", code: "gate_open",
    } } });
    render(<DepartureView api={api} flight={flight} />);
    await userEvent.click(await screen.findByRole("button", { name: "Close the door…" }));
    await userEvent.click(screen.getByRole("button", { name: "Close the door and offload 2" }));
    expect(await screen.findByRole("alert")).toHaveTextContent(
      "The gate is still open: the door can be closed only after gate close. (flight XA101 closes its gate at 08:40 local)");
  });

  it("a refused clearing says why (check-in still open)", async () => {
    const api = fakeApi({ "POST /departure/standby/clear": { status: 409, body: { title: "Conflict", detail: "check-in closes at 08:00", code: "checkin_open" } } });
    render(<DepartureView api={api} flight={flight} />);
    await userEvent.click(await screen.findByRole("button", { name: "Clear standby" }));
    expect(await screen.findByRole("alert")).toHaveTextContent("Check-in is still open: standby and upgrades are cleared once check-in has closed.");
  });

  it("shows the bags still loaded, the manifest's counts and the load sheet", async () => {
    const bag = { tag: "0123XA0001", passenger_name: "Linh Vo", passenger_id: "p6", pnr: "NOS666", weight_kg: 21.5, status: "loaded", offload: true };
    const api = fakeApi({ "GET /departure/reconciliation": { body: { ...reconciliation, door_closed: true, ready: false, still_loaded: [bag.tag], to_offload: [bag] } } });
    render(<DepartureView api={api} flight={flight} />);
    expect(await screen.findByTestId("reconciliation-ready")).toHaveTextContent("not ready: 1 bag still loaded");
    expect(screen.getByRole("table", { name: "bags to offload" })).toHaveTextContent("0123XA0001Linh VoNOS66621.5 kgstill loaded: take it off");
    expect(await screen.findByTestId("manifest-boarded")).toHaveTextContent("1: 1 adult, 0 children, 0 infants");
    expect(screen.getByText("No passengers on this flight.")).toBeInTheDocument();
    expect(await screen.findByTestId("payload")).toHaveTextContent("84 kg of 16,000 kg within limits");
  });

  it("shows the APIS records of who boarded and downloads the CSV with the agent's token", async () => {
    const calls: string[] = [];
    const apis = { flight_id: "f1", flight_number: "XA101", origin: "XSP", destination: "AOR", departure: null, final: true, passengers: [
      { last_name: "LOVELACE", first_name: "ADA", date_of_birth: "1990-12-10", nationality: "GBR", document_type: "P", document_number: "K1234567",
        document_expiry: "2031-01-01", passenger_type: "adult", seat: "12A", pnr: "ABC123" }] };
    const saved: Blob[] = [];
    URL.createObjectURL = (b: Blob) => { saved.push(b); return "blob:apis"; };
    URL.revokeObjectURL = () => {};
    render(<DepartureView api={fakeApi({ "GET /departure/apis": { body: apis } }, calls)} flight={flight} />);
    await userEvent.click(await screen.findByRole("button", { name: "Show APIS records" }));
    const table = await screen.findByRole("table", { name: "APIS records" });
    expect(within(table).getByRole("row", { name: /LOVELACE\/ADA 1990-12-10 GBR P K1234567 2031-01-01 12A/ })).toBeInTheDocument();
    await userEvent.click(screen.getByRole("button", { name: "Download APIS CSV" }));
    expect(calls).toContain("GET /departure/apis?format=csv");
    expect(await saved[0].text()).toContain("LOVELACE,ADA");
  });

  it("reads a refusal by its shape: in the shell the Api's ApiError is the shell's own class", () => {
    const foreign = Object.assign(new Error("flight XA101 is departed: boarding is over"), { name: "ApiError", status: 409, code: "boarding_closed" });
    expect(refusal(foreign)).toBe("Boarding is over for this flight. (flight XA101 is departed: boarding is over)");
    expect(refusal(Object.assign(new Error("ops or agent only"), { name: "ApiError", status: 403 }))).toBe("Not allowed for your role: ops or agent only");
    expect(refusal(Object.assign(new Error("something new"), { name: "ApiError", status: 409, code: "brand_new" }))).toBe("something new");
    expect(refusal(new TypeError("Failed to fetch"))).toBe("Failed to fetch");
  });
});
