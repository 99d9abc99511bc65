import { fireEvent, render, screen, waitFor, within } from "@testing-library/react";
import userEvent from "@testing-library/user-event";
import { ApiError, createApi, type Api } from "@airline/ui";
import { flightOf } from "@airline/ui/src/testing";
import type { Reference } from "../data";
import { checkAirport } from "../Airports";
import { FlightActions } from "../FlightActions";
import { errorAt, problemOf } from "../forms";
import { capacityOf, NEW_LAYOUT, parseLayout, seatRows } from "../layout";
import { Messages } from "../Messages";
import { Planes } from "../Planes";
import type { OpsFlight } from "../types";

const rd: Reference = {
  airports: [{ code: "XSP", name: "Seletar", city: "Singapore", country: "SG", time_zone: "Asia/Singapore" }],
  zones: { XSP: "Asia/Singapore" }, planes: [], gates: { XSP: [{ airport_code: "XSP", code: "X1", status: "open" }] },
};

type Reply = (method: string, path: string, body: unknown) => [number, unknown];
/** An Api over a fake gateway; `sent` keeps every call but the GETs. */
function fakeApi(reply: Reply): { api: Api; sent: { method: string; path: string; body: unknown }[] } {
  const sent: { method: string; path: string; body: unknown }[] = [];
  const api = createApi({ fetch: (async (url: string, init?: RequestInit) => {
    const method = init?.method ?? "GET";
    const path = String(url).replace(/^.*\/api\/v1/, "");
    const body = init?.body ? JSON.parse(String(init.body)) : undefined;
    if (method !== "GET") sent.push({ method, path, body });
    const [status, data] = reply(method, path, body);
    return new Response(JSON.stringify(data), { status });
  }) as typeof fetch });
  return { api, sent };
}

describe("seat layout rules", () => {
  it("reads the API's layout: rows, aisles, exit rows and sellable seats per cabin", () => {
    const { layout, errors } = parseLayout(NEW_LAYOUT);
    expect(errors).toEqual({});
    expect(capacityOf(layout)).toEqual({ vip: 8, normal: 150 });
    const rows = seatRows({ ...layout, blocked_seats: ["1C"] });
    expect(rows[0]).toEqual({ row: 1, cabin: "vip", exit: false, groups: [[{ seat: "1A", blocked: false }, { seat: "1C", blocked: true }], [{ seat: "1D", blocked: false }, { seat: "1F", blocked: false }]] });
    expect(rows.find((r) => r.row === 12)?.exit).toBe(true);
    expect(capacityOf({ ...layout, blocked_seats: ["1C", "20A"] })).toEqual({ vip: 7, normal: 149 });
  });

  it("says what is wrong at the API's field paths", () => {
    const { errors } = parseLayout({
      cabins: [{ cabin_class: "vip", first_row: "3", last_row: "1", seat_letters: "AA" }, { cabin_class: "normal", first_row: "4", last_row: "9", seat_letters: "ABC DEF" }],
      exit_rows: "12, x", blocked_seats: "9Z, 4A",
    });
    expect(Object.keys(errors).sort()).toEqual(["layout.blocked_seats", "layout.cabins.0.last_row", "layout.cabins.0.seat_letters", "layout.exit_rows"]);
    expect(errors["layout.blocked_seats"]).toBe("Not a seat of this layout: 9Z");
    const overlap = parseLayout({ ...NEW_LAYOUT, cabins: [{ cabin_class: "vip", first_row: "1", last_row: "5", seat_letters: "AC" }, { cabin_class: "normal", first_row: "3", last_row: "8", seat_letters: "ABC" }] });
    expect(overlap.errors["layout.cabins"]).toMatch(/overlap at rows 3-5/);
  });

  it("takes a 422's field errors off problem+json, without the body. prefix", () => {
    const e = new ApiError(422, "x", "validation_failed", { detail: "the request does not match the expected input", errors: [
      { field: "body.registration", message: "String should have at most 16 characters" }, { field: "body.layout.cabins.1", message: "Value error, first_row must not be after last_row" }] });
    const p = problemOf(e);
    expect(p).toEqual({ message: "the request does not match the expected input", fields: { registration: "String should have at most 16 characters", "layout.cabins.1": "first_row must not be after last_row" } });
    expect(errorAt({ "layout.exit_rows.2": "too big" }, "layout.exit_rows")).toBe("too big");
    expect(problemOf(new ApiError(409, "gate X2 is taken"))).toEqual({ message: "gate X2 is taken", fields: {} });
  });
});

describe("planes", () => {
  const refusing = () => fakeApi((method) => method === "GET" ? [200, { planes: [] }] : [422, { title: "Unprocessable Entity", status: 422, detail: "the request does not match the expected input", code: "validation_failed",
    errors: [{ field: "body.registration", message: "String should match pattern" }, { field: "body.layout.cabins.1", message: "Value error, first_row must not be after last_row" }] }]);
  const newPlane = async (api: Api) => {
    render(<Planes api={api} rd={rd} />);
    await userEvent.click(screen.getByText("New plane"));
    return screen.getByLabelText("new plane");
  };

  it("draws the seat map as the layout is edited; a seat chosen on the map is blocked", async () => {
    const form = await newPlane(refusing().api);
    expect(within(form).getByTestId("layout-capacity")).toHaveTextContent("8 vip, 150 normal");
    fireEvent.change(within(form).getByLabelText("Cabin 2 last row"), { target: { value: "30" } });
    expect(within(form).getByTestId("layout-capacity")).toHaveTextContent("8 vip, 126 normal");
    await userEvent.click(within(form).getByLabelText("seat 30F"));
    expect(within(form).getByTestId("layout-capacity")).toHaveTextContent("8 vip, 125 normal");
    expect(within(form).getByLabelText("Blocked seats")).toHaveValue("30F");
    expect(within(form).getByLabelText("seat 30F")).toHaveAttribute("aria-pressed", "true");
    fireEvent.change(within(form).getByLabelText("Cabin 2 seat letters"), { target: { value: "ABB" } });
    expect(within(form).getByText("A letter names two seats")).toBeInTheDocument();
  });

  it("checks the form before sending, then shows the API's refusals on their fields", async () => {
    const { api, sent } = refusing();
    const form = await newPlane(api);
    await userEvent.click(within(form).getByText("Add plane"));
    expect(within(form).getByText("Enter the aircraft type, e.g. A320-200")).toBeInTheDocument();
    expect(sent).toEqual([]);
    const typed = { "Plane id": "P9", Registration: "9V XAA", "Aircraft type": "A320-200" };
    for (const [label, value] of Object.entries(typed)) fireEvent.change(within(form).getByLabelText(label), { target: { value } });
    await userEvent.click(within(form).getByText("Add plane"));
    expect(await within(form).findByText("String should match pattern")).toBeInTheDocument();
    expect(within(form).getByLabelText("Registration")).toHaveAttribute("aria-invalid", "true");
    expect(within(form).getByText("first_row must not be after last_row")).toBeInTheDocument();
    expect(sent).toHaveLength(1);
    expect(sent[0]).toMatchObject({ method: "POST", path: "/planes", body: { id: "P9", home_airport: "XSP", layout: { blocked_seats: [], exit_rows: [12, 13] } } });
  });
});

describe("changing a plane", () => {
  it("sends the layout only when it changed (a sent layout replaces the plane's whole layout)", async () => {
    const p1 = { id: "P1", registration: "9V-XAA", aircraft_type: "A320-200", status: "active", home_airport: "XSP", capacity: { vip: 4 },
      layout: { cabins: [{ cabin_class: "vip", first_row: 1, last_row: 1, seat_letters: "AC DF" }], exit_rows: [], blocked_seats: [] } };
    const { api, sent } = fakeApi((method, path, body) => [200, path === "/planes" ? { planes: [p1] } : { ...p1, ...(body as object) }]);
    render(<Planes api={api} rd={rd} />);
    await userEvent.click(await screen.findByLabelText("edit plane P1"));
    const form = screen.getByLabelText("change plane P1");
    await within(form).findByDisplayValue("9V-XAA");
    fireEvent.change(within(form).getByLabelText("Status"), { target: { value: "maintenance" } });
    await userEvent.click(within(form).getByText("Save plane P1"));
    expect(await screen.findByTestId("plane-saved")).toHaveTextContent("Saved plane P1");
    fireEvent.change(screen.getByLabelText("Cabin 1 last row"), { target: { value: "2" } });
    await userEvent.click(screen.getByText("Save plane P1"));
    await waitFor(() => expect(sent).toHaveLength(2));
    expect(sent[0]).toEqual({ method: "PATCH", path: "/planes/P1", body: { registration: "9V-XAA", aircraft_type: "A320-200", status: "maintenance", home_airport: "XSP" } });
    expect(sent[1].body).toMatchObject({ layout: { cabins: [{ cabin_class: "vip", first_row: 1, last_row: 2, seat_letters: "AC DF" }] } });
  });
});

describe("flight actions", () => {
  const day = (flight: OpsFlight, answer: (path: string, body: unknown) => unknown) => fakeApi((method, path, body) => {
    if (method !== "GET") return [200, answer(path, body)];
    if (path.startsWith("/flights?")) return [200, { flights: [flight] }];
    if (path.startsWith("/airports/XSP/gates")) return [200, { gates: [{ airport_code: "XSP", code: "X1", status: "open" }, { airport_code: "XSP", code: "X2", status: "open" }] }];
    return [200, { announcements: [] }];
  });

  it("moves a flight to another gate only once the confirmation that names it is answered", async () => {
    const flight = flightOf();
    const { api, sent } = day(flight, () => ({ ...flight, gate: "X2" }));
    render(<FlightActions api={api} rd={rd} />);
    await userEvent.click(await screen.findByRole("button", { name: "gate XA101" }));
    const form = screen.getByRole("form", { name: "Change the gate of XA101" });
    await userEvent.click(within(form).getByRole("button", { name: "Change the gate of XA101…" }));
    expect(within(form).getByText("Choose the new gate")).toBeInTheDocument();
    await userEvent.selectOptions(within(form).getByLabelText("New gate"), await within(form).findByRole("option", { name: "X2" }));
    await userEvent.click(within(form).getByRole("button", { name: "Change the gate of XA101…" }));
    const confirm = within(form).getByRole("alertdialog", { name: "confirm: Move XA101 to gate X2" });
    expect(confirm).toHaveTextContent("XA101 leaves gate X1 for gate X2 at XSP");
    expect(sent).toEqual([]);
    await userEvent.click(within(confirm).getByRole("button", { name: "Yes, move XA101 to gate X2" }));
    expect(await screen.findByTestId("action-notice")).toHaveTextContent("XA101 is scheduled at gate X2 on plane P1.");
    expect(sent).toEqual([{ method: "POST", path: "/flights/f1/gate", body: { gate: "X2", reason: "" } }]);
    expect(within(screen.getByRole("row", { name: /XA101/ })).getByTestId("gate")).toHaveTextContent("X2");
  });

  it("offers only the step that may follow, and says a departure cannot be undone", async () => {
    const flight = flightOf({ status: "boarding" });
    const { api, sent } = day(flight, () => ({ ...flight, status: "departed" }));
    render(<FlightActions api={api} rd={rd} />);
    await userEvent.click(await screen.findByRole("button", { name: "status XA101" }));
    const form = screen.getByRole("form", { name: "Report a step of XA101" });
    expect(within(within(form).getByLabelText("Step")).getAllByRole("option").map((o) => o.textContent)).toEqual(["departed"]);
    await userEvent.click(within(form).getByRole("button", { name: "Report a step of XA101…" }));
    expect(within(form).getByRole("alertdialog", { name: "confirm: Mark XA101 departed" })).toHaveTextContent("This cannot be undone.");
    await userEvent.click(within(form).getByRole("button", { name: "Yes, mark XA101 departed" }));
    expect(await screen.findByTestId("action-notice")).toHaveTextContent("XA101 is departed");
    expect(sent).toEqual([{ method: "POST", path: "/flights/f1/status", body: { status: "departed" } }]);
  });
});

describe("a refused departure", () => {
  it("asks for the override reason when the bags stop it", async () => {
    const flight = flightOf({ status: "boarding" });
    const { api } = fakeApi((method, path) => method !== "GET" ? [409, { title: "Conflict", status: 409, detail: "the door has not closed", code: "door_not_closed" }]
      : path.startsWith("/flights?") ? [200, { flights: [flight] }] : [200, {}]);
    render(<FlightActions api={api} rd={rd} />);
    await userEvent.click(await screen.findByRole("button", { name: "status XA101" }));
    const form = screen.getByRole("form", { name: "Report a step of XA101" });
    await userEvent.click(within(form).getByText("Report a step of XA101…"));
    await userEvent.click(within(form).getByText("Yes, mark XA101 departed"));
    expect(await within(form).findByText("Not done: the door has not closed")).toBeInTheDocument();
    expect(within(form).getByText("To depart anyway, say why here")).toBeInTheDocument();
  });
});

describe("messages", () => {
  it("ops sends an SMS after a confirmation that says to whom and what, then sees it as the outbox keeps it", async () => {
    const message = { id: "m1", channel: "sms", recipient: "+6591234567", kind: "generic", template: "generic.v1", subject: "", body: "Gate X2 now", reference: "", status: "sent",
      attempts: 1, provider: "local", provider_id: "l1", last_error: "", created_at: "2026-12-01T01:00:00Z", sent_at: "2026-12-01T01:00:01Z" };
    const { api, sent } = fakeApi((method, path) => [method === "POST" ? 201 : 200, path.startsWith("/notifications?") ? { messages: [], next_page_token: "" } : message]);
    render(<Messages api={api} canSend />);
    const form = screen.getByLabelText("Send a message");
    fireEvent.change(within(form).getByLabelText("Phone number"), { target: { value: "91234567" } });
    await userEvent.click(within(form).getByText("Send a message…"));
    expect(within(form).getByText("A phone number in international form, e.g. +6591234567")).toBeInTheDocument();
    fireEvent.change(within(form).getByLabelText("Phone number"), { target: { value: "+6591234567" } });
    fireEvent.change(within(form).getByLabelText("Message"), { target: { value: "Gate X2 now" } });
    await userEvent.click(within(form).getByText("Send a message…"));
    expect(within(form).getByRole("alertdialog", { name: "confirm: Send an SMS to +6591234567" })).toHaveTextContent('It says: "Gate X2 now".');
    expect(sent).toEqual([]);
    await userEvent.click(within(form).getByText("Yes, send an SMS to +6591234567"));
    expect(await screen.findByTestId("message-detail")).toHaveTextContent("generic (generic.v1)");
    expect(sent).toEqual([{ method: "POST", path: "/notifications", body: { channel: "sms", recipient: "+6591234567", kind: "generic", reference: "", params: { text: "Gate X2 now" } } }]);
  });

  it("customer service reads the outbox without the send form", () => {
    render(<Messages api={fakeApi(() => [200, { messages: [], next_page_token: "" }]).api} canSend={false} />);
    expect(screen.queryByLabelText("Send a message")).toBeNull();
  });
});

describe("airports", () => {
  it("checks an airport before sending: code, country, both coordinates or neither", () => {
    const draft = { code: "SI", name: "Changi", city: "Singapore", country: "SGP", time_zone: "Asia/Singapore", latitude: "1.36", longitude: "" };
    expect(checkAirport(draft, true)).toEqual({ code: "Three letters, e.g. SIN", country: "Two letters, e.g. SG", longitude: "Give both coordinates, or neither" });
    expect(checkAirport({ ...draft, code: "", country: "SG", longitude: "200" }, false)).toEqual({ longitude: "Degrees from -180 to 180" });
  });
});
