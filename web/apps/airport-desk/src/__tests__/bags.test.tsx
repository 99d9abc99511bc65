import { render, screen, within } from "@testing-library/react";
import userEvent from "@testing-library/user-event";
import { createApi, type Api, type BagDetail } from "@airline/ui";
import { flightOf } from "@airline/ui/src/testing";
import { BagsView } from "../bags/BagsView";
import { fieldErrors, nextScan, scannable } from "../bags/api";
import { PassengersView, filterPassengers } from "../Passengers";
import type { FlightPassenger } from "../departure/api";

const TAG = "0738000123";
const bag = (over: Partial<BagDetail> = {}): BagDetail => ({
  id: "bag1", tag: TAG, status: "checked_in", booking_id: "b1", pnr: "ABC123", passenger_id: "P1", passenger_name: "Ada Lovelace",
  flight_id: "f1", flight_number: "XA101", origin: "XSP", destination: "AOR", plane_id: "P1", plane_registration: "9V-XAA",
  weight_g: 12000, weight_kg: 12, length_cm: 55, width_cm: 40, height_cm: 23, fee: 0, currency: "SGD", fee_reasons: [], payment_id: "",
  created_at: "2026-12-01T00:00:00Z", accepted_at: "2026-12-01T00:00:00Z", history: [], ...over,
});
const screened = bag({ status: "screened", history: [{ seq: 1, status: "screened", place: { airport: "XSP", location: "screening 2" }, at: "2026-12-01T00:30:00Z", recorded_by: "agent@airline.local", role: "agent", event_id: "e1" }] });
const problem = (status: number, body: object) => ({ status, body: { type: "about:blank", title: "refused", status, ...body } });

type Reply = { status?: number; body: unknown };
/** A fake gateway: one function answers every call ("GET /bags/0738000123", the JSON body); calls are recorded. */
function gateway(answer: (call: string, body: unknown) => Reply | undefined, calls: string[] = []): Api {
  return createApi({ fetch: (async (url: string, init?: RequestInit) => {
    const call = `${init?.method ?? "GET"} ${String(url).replace(/^.*\/api\/v1/, "")}`;
    calls.push(call);
    const body = typeof init?.body === "string" ? JSON.parse(init.body) : undefined;
    const r = answer(call, body) ?? { status: 404, body: { title: "Not Found", detail: `no fake for ${call}` } };
    return new Response(JSON.stringify(r.body), { status: r.status ?? 200, headers: { "Content-Type": "application/json" } });
  }) as typeof fetch });
}

describe("bag scan rules", () => {
  it("suggests the next scan in the bag's order and closes a claimed bag", () => {
    expect(nextScan("checked_in")).toBe("screened");
    expect(nextScan("loaded")).toBe("unloaded");
    expect(nextScan("claimed")).toBeNull();
    expect(scannable("claimed")).toBe(false);
    expect(scannable("mishandled")).toBe(true);
  });
});

describe("bag tracking", () => {
  it("opens a bag by its tag and records the next scan: the history and the status follow", async () => {
    const calls: string[] = [];
    const sent: unknown[] = [];
    const api = gateway((call, body) => {
      if (call === `GET /bags/${TAG}`) return { body: bag() };
      if (call === `POST /bags/${TAG}/events`) { sent.push(body); return { body: screened }; }
      if (call === "GET /airports") return { body: { airports: [{ code: "XSP", name: "Seletar", time_zone: "Asia/Singapore" }] } };
      return undefined;
    }, calls);
    render(<BagsView api={api} flight={flightOf()} />);
    await userEvent.type(screen.getByLabelText("Bag tag"), `${TAG}{Enter}`);
    const card = await screen.findByRole("region", { name: `bag ${TAG}` });
    expect(within(card).getByText("No scans yet: the bag was just checked in.")).toBeInTheDocument();
    const form = within(card).getByRole("form", { name: "record a scan" });
    expect(within(form).getByLabelText("Scan")).toHaveValue("screened");
    expect(within(form).getByLabelText("Airport")).toHaveValue("XSP");
    await userEvent.type(within(form).getByLabelText("Location"), "screening 2");
    await userEvent.click(within(form).getByRole("button", { name: "Record screened" }));
    // each scan at the local time of its airport
    expect(await within(card).findByRole("table", { name: "tracking history" })).toHaveTextContent(/screened\s*XSP screening 2\s*08:30/);
    expect(sent[0]).toMatchObject({ status: "screened", airport: "XSP", location: "screening 2" });
    expect((sent[0] as { event_id: string }).event_id).toMatch(/^desk-/);
    expect(within(card).getByText("Recorded: screened at XSP screening 2.")).toBeInTheDocument();
    // the next scan is suggested, at the same airport until the bag is loaded
    expect(within(form).getByLabelText("Scan")).toHaveValue("loaded");
  }, 20_000);

  it("puts problem+json field errors on their fields, and an order refusal in an alert", async () => {
    let refuse = "field";
    const api = gateway((call) => {
      if (call === `GET /bags/${TAG}`) return { body: bag() };
      if (call.startsWith("GET /bags/12")) return problem(422, { code: "validation_failed", errors: [{ field: "path.tag", message: "String should match pattern '^0[0-9]{9}$'" }] });
      if (call === `POST /bags/${TAG}/events`) return refuse === "field"
        ? problem(422, { code: "validation_failed", errors: [{ field: "body.airport", message: "String should match pattern '^[A-Za-z]{3}$'" }] })
        : problem(409, { code: "conflict", detail: "a bag is loaded only after it was screened" });
      return undefined;
    });
    render(<BagsView api={api} flight={null} />);
    await userEvent.type(screen.getByLabelText("Bag tag"), "12{Enter}");
    expect(await screen.findByText("String should match pattern '^0[0-9]{9}$'")).toBeInTheDocument();
    expect(screen.getByLabelText("Bag tag")).toHaveAttribute("aria-invalid", "true");
    await userEvent.clear(screen.getByLabelText("Bag tag"));
    await userEvent.type(screen.getByLabelText("Bag tag"), `${TAG}{Enter}`);
    const form = await screen.findByRole("form", { name: "record a scan" });
    await userEvent.clear(within(form).getByLabelText("Airport"));
    await userEvent.type(within(form).getByLabelText("Airport"), "X1");
    await userEvent.click(within(form).getByRole("button", { name: /^Record/ }));
    expect(await within(form).findByText("String should match pattern '^[A-Za-z]{3}$'")).toBeInTheDocument();
    expect(within(form).getByLabelText("Airport")).toHaveAttribute("aria-invalid", "true");
    refuse = "order";
    await userEvent.selectOptions(within(form).getByLabelText("Scan"), "loaded");
    await userEvent.click(within(form).getByRole("button", { name: "Record loaded" }));
    expect(await within(form).findByRole("alert")).toHaveTextContent("a bag is loaded only after it was screened");
  }, 20_000);

  it("lists a booking's bags, says so when there are none, and opens one from the list", async () => {
    const calls: string[] = [];
    const api = gateway((call) => {
      if (call === "GET /baggage/lookup?pnr=ABC123&last_name=lovelace") return { body: { bags: [bag()], next_page_token: null } };
      if (call.startsWith("GET /bags?")) return { body: { bags: [], next_page_token: null } };
      if (call === `GET /bags/${TAG}`) return { body: screened };
      return undefined;
    }, calls);
    render(<BagsView api={api} flight={flightOf({ id: "f1", number: "XA101" })} />);
    await userEvent.type(screen.getByLabelText("Passenger last name"), "nobody");
    await userEvent.click(screen.getByRole("button", { name: "Search bags" }));
    expect(await screen.findByText("No bags match.")).toBeInTheDocument();
    expect(calls).toContain("GET /bags?page_size=50&name=nobody&flight_id=f1");

    await userEvent.click(screen.getByRole("button", { name: "Find the booking's bags" }));
    expect(screen.getByText("Type the booking's 6-character PNR")).toBeInTheDocument();
    await userEvent.type(screen.getByLabelText("Booking reference (PNR)"), "abc123");
    await userEvent.type(screen.getByLabelText("Last name on the booking"), "lovelace");
    await userEvent.click(screen.getByRole("button", { name: "Find the booking's bags" }));
    const found = await screen.findByRole("table", { name: "bags found" });
    expect(found).toHaveTextContent("Ada Lovelace");
    await userEvent.click(within(found).getByRole("button", { name: `Open bag ${TAG}` }));
    const card = await screen.findByRole("region", { name: `bag ${TAG}` });
    expect(within(card).getByRole("table", { name: "tracking history" })).toHaveTextContent("XSP screening 2");
  }, 20_000);
});

describe("bag search pages", () => {
  it("shows the next page of the same search under the first", async () => {
    const calls: string[] = [];
    const api = gateway((call) => {
      if (call === "GET /bags?page_size=50&status=mishandled") return { body: { bags: [bag({ status: "mishandled" })], next_page_token: "t2" } };
      if (call === "GET /bags?page_size=50&status=mishandled&page_token=t2") return { body: { bags: [bag({ id: "bag9", tag: "0738000999", status: "mishandled" })], next_page_token: null } };
      return undefined;
    }, calls);
    render(<BagsView api={api} flight={null} />);
    await userEvent.selectOptions(screen.getByLabelText("Bag status"), "mishandled");
    await userEvent.click(screen.getByRole("button", { name: "Search bags" }));
    await userEvent.click(await screen.findByRole("button", { name: "Show more bags" }));
    const found = screen.getByRole("table", { name: "bags found" });
    expect(await within(found).findByText("0738000999")).toBeInTheDocument();
    expect(within(found).getByText(TAG)).toBeInTheDocument();
    expect(screen.queryByRole("button", { name: "Show more bags" })).toBeNull();
  }, 20_000);
});

const fp = (over: Partial<FlightPassenger>): FlightPassenger => ({
  booking_id: "b1", passenger_id: "P1", pnr: "ABC123", first_name: "Ada", last_name: "Lovelace", passenger_type: "adult",
  status: "checked_in", seat: "12A", sequence: 1, checked_in_at: "2026-12-01T00:10:00Z", boarded_at: null, ...over,
});

describe("the flight's passengers", () => {
  const list = [fp({}), fp({ booking_id: "b2", pnr: "XYZ789", first_name: "Alan", last_name: "Turing", status: "booked", seat: "14C", checked_in_at: null })];

  it("filters by name, PNR or seat and by status", () => {
    expect(filterPassengers(list, "turing", "").map((p) => p.last_name)).toEqual(["Turing"]);
    expect(filterPassengers(list, "abc123", "").map((p) => p.last_name)).toEqual(["Lovelace"]);
    expect(filterPassengers(list, "14c", "").map((p) => p.last_name)).toEqual(["Turing"]);
    expect(filterPassengers(list, "", "checked_in").map((p) => p.last_name)).toEqual(["Lovelace"]);
  });

  it("lists everyone with their bags (a tag opens the bag) and links to the gate lists", async () => {
    const opened: string[] = [];
    let departure = 0;
    const api = gateway((call) => {
      if (call === "GET /flights/f1/passengers") return { body: { flight_id: "f1", passengers: list } };
      if (call === "GET /bags?page_size=200&flight_id=f1") return { body: { bags: [bag(), bag({ id: "bag2", tag: null, booking_id: "b2" })], next_page_token: null } };
      return undefined;
    });
    render(<PassengersView api={api} flight={flightOf({ id: "f1" })} onBag={(t) => opened.push(t)} onDeparture={() => { departure += 1; }} />);
    const table = await screen.findByRole("table", { name: "flight passengers" });
    expect(screen.getByTestId("passenger-counts")).toHaveTextContent("2 confirmed: 1 booked · 1 checked in · 0 boarded");
    await userEvent.click(await within(table).findByRole("link", { name: `bag ${TAG}` }));
    expect(opened).toEqual([TAG]);
    await userEvent.click(screen.getByRole("link", { name: "departure gate lists" }));
    expect(departure).toBe(1);
    await userEvent.type(screen.getByLabelText("Find a passenger"), "nobody");
    expect(screen.getByText("Nobody matches.")).toBeInTheDocument();
  }, 20_000);

  it("says why the list could not be read and reads it again on request", async () => {
    let tries = 0;
    const api = gateway((call) => {
      if (call === "GET /flights/f1/passengers") {
        tries += 1;
        return tries === 1 ? { status: 504, body: { title: "Gateway Timeout", detail: "check-in did not answer in time" } } : { body: { flight_id: "f1", passengers: list } };
      }
      return { body: { bags: [], next_page_token: null } };
    });
    render(<PassengersView api={api} flight={flightOf({ id: "f1" })} onBag={() => {}} onDeparture={() => {}} />);
    expect(await screen.findByText(/Could not read the passengers/)).toBeInTheDocument();
    await userEvent.click(screen.getByRole("button", { name: "Try again" }));
    expect(await screen.findByRole("table", { name: "flight passengers" })).toBeInTheDocument();
    expect(tries).toBe(2);
  });

  it("says when nobody is booked yet", async () => {
    const api = gateway((call) => (call === "GET /flights/f1/passengers" ? { body: { flight_id: "f1", passengers: [] } } : { body: { bags: [], next_page_token: null } }));
    render(<PassengersView api={api} flight={flightOf({ id: "f1" })} onBag={() => {}} onDeparture={() => {}} />);
    expect(await screen.findByText("No confirmed passengers on this flight yet.")).toBeInTheDocument();
  });
});

describe("field errors", () => {
  it("names problem+json errors by the form's fields", () => {
    const e = Object.assign(new Error("x"), { name: "ApiError", status: 422, body: { errors: [{ field: "body.airport", message: "bad" }, { field: "query.tag", message: "worse" }] } });
    expect(fieldErrors(e)).toEqual({ airport: "bad", tag: "worse" });
    expect(fieldErrors(new Error("plain"))).toEqual({});
  });
});

describe("the desk's route", () => {
  it("keeps the deep-linked flight when a bag is opened before the departures are read", async () => {
    const { default: DeskApp } = await import("../App");
    const navigate = vi.fn();
    // the departures never come (a busy flights service): the picker has no flight yet
    const api = createApi({ fetch: (async (url: string) => {
      const path = String(url).replace(/^.*\/api\/v1/, "");
      if (path.startsWith("/flights")) return new Promise<Response>(() => {});
      const body = path === `/bags/${TAG}` ? bag() : path === "/airports" ? { airports: [] } : { title: "Not Found" };
      return new Response(JSON.stringify(body), { status: path === `/bags/${TAG}` || path === "/airports" ? 200 : 404, headers: { "Content-Type": "application/json" } });
    }) as typeof fetch });
    render(<DeskApp api={api} session={null} route="bags/f1" navigate={navigate} />);
    await userEvent.type(screen.getByLabelText("Bag tag"), `${TAG}{Enter}`);
    await vi.waitFor(() => expect(navigate).toHaveBeenCalled());
    expect(navigate).toHaveBeenLastCalledWith(`desk/bags/f1/${TAG}`);
  });
});
