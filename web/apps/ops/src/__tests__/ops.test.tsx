import { render, screen, within } from "@testing-library/react";
import userEvent from "@testing-library/user-event";
import { createApi, type Api, type Booking } from "@airline/ui";
import { BookingLookup } from "../panels";
import { Disruptions } from "../Disruptions";
import { BarChart } from "../charts";
import { NewFlight } from "../NewFlight";
import { loadFactors, onTimePerDay, punctuality, validateFlight } from "../rules";
import { emptyForm } from "../NewFlight";
import { SECTIONS, sectionsFor } from "../App";
import { zonedToUtc, utcToZoned } from "../time";
import type { OpsFlight } from "../types";
import { flightOf } from "@airline/ui/src/testing";
import type { Reference } from "../data";

const flight = (over: Partial<OpsFlight> = {}): OpsFlight => flightOf({
  destination: "BKK", destination_time_zone: "Asia/Bangkok", scheduled_arrival: "2026-12-01T03:25:00Z",
  seats: [{ cabin_class: "normal", capacity: 150, sold: 60, available: 90 }, { cabin_class: "vip", capacity: 8, sold: 4, available: 4 }], ...over,
});

describe("charts", () => {
  it("an SVG chart has a title, a description and its numbers as a table", () => {
    render(<BarChart title="Load factor" description="seats sold per seat" unit="%" series={[{ key: "v", label: "Load", color: "#00f" }]}
      bars={[{ label: "XA101", values: { v: 41 }, note: "64/158" }, { label: "XA103", values: { v: 90 } }]} />);
    expect(screen.getByRole("img", { name: /Load factor.*seats sold per seat/ })).toBeInTheDocument();
    const table = screen.getByRole("table", { name: "Load factor data" });
    expect(within(table).getByRole("row", { name: /XA101 41% 64\/158/ })).toBeInTheDocument();
    expect(within(table).getByRole("row", { name: /XA103 90%/ })).toBeInTheDocument();
  });

  it("load factor and punctuality come from the flights list", () => {
    expect(loadFactors([flight()])).toEqual([{ label: "XA101", value: 41, note: "64/158" }]);
    const late = flight({ id: "f2", estimated_departure: "2026-12-01T01:20:00Z" });
    const slight = flight({ id: "f3", estimated_departure: "2026-12-01T01:10:00Z" });
    expect([punctuality(late), punctuality(slight), punctuality(flight({ status: "cancelled" }))]).toEqual(["late", "on_time", "cancelled"]);
    expect(onTimePerDay([flight(), late], "Asia/Singapore")).toEqual([{ label: "2026-12-01", values: { on_time: 1, late: 1, cancelled: 0, diverted: 0 } }]);
  });
});

describe("local times", () => {
  it("reads a wall-clock time in the airport's zone", () => {
    expect(zonedToUtc("2026-12-01T09:00", "Asia/Singapore")).toBe("2026-12-01T01:00:00.000Z");
    expect(zonedToUtc("2026-07-01T09:00", "Europe/London")).toBe("2026-07-01T08:00:00.000Z");
    expect(utcToZoned("2026-12-01T01:00:00Z", "Asia/Bangkok")).toBe("2026-12-01T08:00");
  });
});

describe("create flights form", () => {
  const rd: Reference = {
    airports: [{ code: "XSP", name: "Seletar", city: "Singapore", country: "SG", time_zone: "Asia/Singapore" }, { code: "BKK", name: "Bangkok", city: "Bangkok", country: "TH", time_zone: "Asia/Bangkok" }],
    zones: { XSP: "Asia/Singapore", BKK: "Asia/Bangkok" },
    planes: [{ id: "P1", registration: "9V-XAA", aircraft_type: "A320-200", status: "active", home_airport: "XSP", capacity: { normal: 150 },
      layout: { cabins: [{ cabin_class: "normal", first_row: 1, last_row: 25, seat_letters: "ABCDEF" }], exit_rows: [], blocked_seats: [] } }],
    gates: { XSP: [{ airport_code: "XSP", code: "X1", status: "open" }], BKK: [{ airport_code: "BKK", code: "B1", status: "open" }] },
  };

  it("shows inline errors and sends nothing until the form is right", async () => {
    const sent: string[] = [];
    const api: Api = createApi({ fetch: (async (url: string) => { sent.push(String(url)); return new Response(JSON.stringify({ flights: [] }), { status: 200 }); }) as typeof fetch });
    render(<NewFlight api={api} rd={rd} />);
    await userEvent.click(screen.getByLabelText("Round trip"));
    await userEvent.type(screen.getByLabelText("Flight number"), "XA1O1");
    await userEvent.click(screen.getByRole("button", { name: "Save" }));
    expect(screen.getByLabelText("Flight number")).toHaveAttribute("aria-invalid", "true");
    expect(screen.getByText("Airline code and 1-4 digits, e.g. XA101")).toBeInTheDocument();
    expect(screen.getByText("Choose the arrival airport")).toBeInTheDocument();
    expect(screen.getByText("Enter the local return departure")).toBeInTheDocument();
    expect(sent.filter((u) => !u.includes("/flights?"))).toEqual([]);
  });

  it("shows the API's refusal inline", async () => {
    const api: Api = createApi({ fetch: (async (url: string, init?: RequestInit) => init?.method === "POST"
      ? new Response(JSON.stringify({ title: "Conflict", detail: "plane P1 is flying XA900 then", code: "conflict" }), { status: 409 })
      : new Response(JSON.stringify({ flights: [] }), { status: 200 })) as typeof fetch });
    render(<NewFlight api={api} rd={rd} />);
    await userEvent.type(screen.getByLabelText("Flight number"), "XA101");
    await userEvent.selectOptions(screen.getByLabelText("To"), "BKK");
    await userEvent.selectOptions(screen.getByLabelText("Plane"), "P1");
    await userEvent.selectOptions(screen.getByLabelText("Gate"), "X1");
    await userEvent.type(screen.getByLabelText(/^Departure \(local/), "2026-12-01T09:00");
    await userEvent.click(screen.getByRole("button", { name: "Save" }));
    expect(await screen.findByTestId("create-error")).toHaveTextContent("Not saved: plane P1 is flying XA900 then");
  });

  it("rules: a round trip's return has its own number", () => {
    const e = validateFlight({ ...emptyForm(), kind: "round_trip", number: "XA1", returnNumber: "xa1" });
    expect(e.returnNumber).toBe("The return needs its own number");
  });
});

describe("sections by role", () => {
  it("each staff role sees its part; admin sees all", () => {
    expect(sectionsFor("cs").map((s) => s.path)).toEqual(["overview", "fares", "workbench", "bookings", "messages"]);
    expect(sectionsFor("inventory").map((s) => s.path)).toEqual(["overview", "inventory"]);
    expect(sectionsFor("admin")).toEqual(SECTIONS);
    expect(sectionsFor("ops").map((s) => s.path)).toEqual(expect.arrayContaining(["actions", "airports", "planes", "messages"]));
    expect(sectionsFor("passenger")).toEqual([]);
  });
});

describe("booking lookup (customer service)", () => {
  it("shows each leg's flight number as a booking leg carries it (`number`; the console once read a flight_number legs never have)", async () => {
    const booking: Booking = {
      id: "b1", state: "confirmed", step: "confirmed", pnr: "ABC123", total: 12000, currency: "SGD",
      legs: [{ flight_id: "f1", number: "XA101", origin: "XSP", destination: "AOR" }, { flight_id: "f2", number: "XA102", origin: "AOR", destination: "XSP" }],
      passengers: [{ id: "p1", type: "adult", first_name: "Linh", last_name: "Vo" }], seats: [], bags: [], tickets: [], payment: {},
    };
    const api: Api = createApi({ fetch: (async () => new Response(JSON.stringify(booking), { status: 200 })) as typeof fetch });
    render(<BookingLookup api={api} />);
    await userEvent.type(screen.getByLabelText("or booking id"), "b1");
    await userEvent.click(screen.getByRole("button", { name: "Find" }));
    const found = await screen.findByRole("region", { name: "found booking" });
    expect(found).toHaveTextContent("XA101 XSP→AOR · XA102 AOR→XSP");
  });
});

describe("disruption console: a cancellation or a diversion is confirmed first", () => {
  const rd: Reference = {
    airports: ["XSP", "BKK", "AOR"].map((code) => ({ code, name: code, city: code, country: "XX", time_zone: "Asia/Singapore" })),
    zones: { XSP: "Asia/Singapore", BKK: "Asia/Bangkok", AOR: "Asia/Kuala_Lumpur" }, planes: [], gates: {},
  };
  const setUp = () => {
    const sent: string[] = [];
    const f = flight({ id: "f1", number: "XA101" });
    const api: Api = createApi({ fetch: (async (url: string, init?: RequestInit) => {
      if (init?.method === "POST") {
        sent.push(`${String(url)} ${String(init.body)}`);
        return new Response(JSON.stringify({ ...f, status: String(url).endsWith("/divert") ? "diverted" : "cancelled" }), { status: 200 });
      }
      return new Response(JSON.stringify({ flights: [f] }), { status: 200 });
    }) as typeof fetch });
    render(<Disruptions api={api} rd={rd} initialDate="2026-12-01" />);
    return sent;
  };

  it("names the passengers and what happens to their bookings, and sends nothing until confirmed", async () => {
    const sent = setUp();
    await userEvent.click(await screen.findByRole("button", { name: "cancel XA101" }));
    const form = screen.getByRole("form", { name: "cancel XA101" });
    await userEvent.type(within(form).getByLabelText("Reason"), "engine change");
    await userEvent.click(within(form).getByRole("button", { name: "Cancel flight…" }));
    const dialog = within(form).getByRole("alertdialog", { name: "confirm cancel XA101" });
    expect(dialog).toHaveTextContent("Cancel XA101 (XSP→BKK)?");
    expect(dialog).toHaveTextContent("64 passengers booked on XA101 are told by SMS and e-mail");
    expect(dialog).toHaveTextContent("another flight or a full refund");
    await userEvent.click(within(dialog).getByRole("button", { name: "No, go back" }));
    expect(within(form).queryByRole("alertdialog")).toBeNull();
    expect(sent).toEqual([]);
    await userEvent.click(within(form).getByRole("button", { name: "Cancel flight…" }));
    await userEvent.click(within(form).getByRole("button", { name: "Yes, cancel XA101" }));
    await screen.findByText(/XA101 is now cancelled/);
    expect(sent).toHaveLength(1);
    expect(sent[0]).toMatch(/\/api\/v1\/flights\/f1\/cancel \{"reason":"engine change"\}/);
  });

  it("a diversion names where the flight lands, and a changed field asks again", async () => {
    const sent = setUp();
    await userEvent.click(await screen.findByRole("button", { name: "divert XA101" }));
    const form = screen.getByRole("form", { name: "divert XA101" });
    await userEvent.selectOptions(within(form).getByLabelText("Divert to"), "AOR");
    await userEvent.type(within(form).getByLabelText("Reason"), "weather at BKK");
    await userEvent.click(within(form).getByRole("button", { name: "Divert flight…" }));
    expect(within(form).getByRole("alertdialog", { name: "confirm divert XA101" })).toHaveTextContent("XA101 lands at AOR instead of BKK");
    await userEvent.type(within(form).getByLabelText("Reason"), " and fog");
    expect(within(form).queryByRole("alertdialog")).toBeNull(); // what was confirmed is no longer what would be sent
    await userEvent.click(within(form).getByRole("button", { name: "Divert flight…" }));
    await userEvent.click(within(form).getByRole("button", { name: "Yes, divert XA101" }));
    await screen.findByText(/XA101 is now diverted/);
    expect(sent).toEqual([expect.stringMatching(/\/flights\/f1\/divert \{"diverted_to":"AOR","reason":"weather at BKK and fog"\}/)]);
  });
});
