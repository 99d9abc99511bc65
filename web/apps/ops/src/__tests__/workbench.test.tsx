import { render, screen, within } from "@testing-library/react";
import userEvent from "@testing-library/user-event";
import { createApi, type Api } from "@airline/ui";
import { Workbench } from "../Workbench";
import { searchCriteria } from "../workbenchRules";
import { sectionsFor } from "../App";

const BOOKING = {
  id: "b1", state: "confirmed", step: "confirmed", pnr: "QWE123", total: 30000, currency: "SGD", refunded_amount: 0,
  contact: { email: "an@example.com", phone: "+6591234567" },
  legs: [{ flight_id: "f1", number: "XA7001", origin: "XSP", destination: "BKK", scheduled_departure: "2026-12-10T02:00:00Z", status: "scheduled" }],
  passengers: [{ id: "P1", type: "adult", first_name: "An", last_name: "Tran" }],
  seats: [{ flight_id: "f1", passenger_id: "P1", seat: "12A" }], bags: [], tickets: [{ passenger_id: "P1", flight_id: "f1", number: "6180000000011" }],
  payment: {}, manage_token: null, expires_at: null,
};
const entry = (kind: string, summary: string, role: string, reason: string | null = null) =>
  ({ at: "2026-12-06T07:00:00Z", kind, summary, actor: { role, subject: role === "cs" ? "cs@airline.local" : "guest" }, reason, details: {} });

/** The desk's gateway: search, the booking, its history (growing by one entry once resent). */
function desk() {
  const calls: { method: string; url: string; headers: Record<string, string> }[] = [];
  const history = [entry("created", "Booking created.", "passenger"), entry("confirmed", "Paid SGD 300.00 by card; booking confirmed.", "passenger")];
  const api: Api = createApi({ fetch: (async (url: string, init?: RequestInit) => {
    const method = init?.method ?? "GET";
    const path = String(url).replace("/api/v1", "").split("?")[0];
    calls.push({ method, url: String(url), headers: (init?.headers ?? {}) as Record<string, string> });
    const reply = (body: unknown, status = 200) => new Response(JSON.stringify(body), { status });
    if (path === "/bookings/search") return reply({ bookings: [{ id: "b1", pnr: "QWE123", state: "confirmed", score: 1, created_at: "2026-12-06T07:00:00Z",
      passengers: BOOKING.passengers, contact: BOOKING.contact, legs: [{ flight_id: "f1", number: "XA7001", origin: "XSP", destination: "BKK", date: "2026-12-10", scheduled_departure: "2026-12-10T02:00:00Z" }] }] });
    if (path === "/bookings/b1") return reply(BOOKING);
    if (path === "/bookings/b1/history") return reply({ booking_id: "b1", pnr: "QWE123", entries: history });
    if (path === "/bookings/b1/confirmation/resend") {
      const why = (init?.headers as Record<string, string>)["X-Airline-Reason"];
      if (!why) return reply({ title: "Unprocessable", detail: "a reason is required", code: "reason_required" }, 422);
      history.push(entry("confirmation_resent", "Confirmation e-mail sent again.", "cs", why));
      return reply({ booking_id: "b1", resent: true }, 202);
    }
    if (path === "/payments") return reply({ payments: [] });
    if (path === "/bookings/b1/cancel") return reply({ title: "Conflict", detail: "flight XA7001 has left", code: "departed" }, 409);
    return reply({ title: "Not Found" }, 404);
  }) as typeof fetch });
  return { api, calls };
}

describe("customer-service workbench", () => {
  it("wants a criterion, and a date only with a flight", () => {
    const empty = { q: "", email: "", phone: "", flight: "", date: "" };
    expect(searchCriteria(empty)).toMatch(/Enter a name or PNR/);
    expect(searchCriteria({ ...empty, date: "2026-12-10" })).toMatch(/Enter a name or PNR/);
    expect(searchCriteria({ ...empty, q: "Tran", date: "2026-12-10" })).toMatch(/narrows a flight/);
    expect(searchCriteria({ ...empty, flight: " xa7001 ", date: "2026-12-10" })).toEqual({ q: "", email: "", phone: "", flight: "XA7001", date: "2026-12-10" });
  });

  it("is a section of the console for cs and admin", () => {
    expect(sectionsFor("cs").map((s) => s.path)).toContain("workbench");
    expect(sectionsFor("admin").map((s) => s.path)).toContain("workbench");
    expect(sectionsFor("ops").map((s) => s.path)).not.toContain("workbench");
  });

  it("finds a booking by e-mail, shows its history and resends the confirmation only with a reason", async () => {
    const { api, calls } = desk();
    render(<Workbench api={api} />);
    await userEvent.type(screen.getByLabelText("E-mail"), "an@example.com");
    await userEvent.click(screen.getByRole("button", { name: "Search" }));
    const hit = await screen.findByTestId("search-hit");
    expect(calls[0].url).toBe("/api/v1/bookings/search?email=an%40example.com");
    expect(hit).toHaveTextContent(/QWE123.*An Tran.*an@example.com.*XA7001 XSP→BKK 2026-12-10/);
    await userEvent.click(within(hit).getByRole("button", { name: "Open booking QWE123" }));

    const history = await screen.findByRole("list", { name: "history" });
    expect(await screen.findByRole("heading", { name: "Booking QWE123" })).toHaveFocus(); // the opened booking, for keyboard users
    expect(await screen.findByTestId("booking-leg")).toHaveTextContent(/^XA7001XSP → BKK2026-12-10 02:00:00 UTCscheduled$/); // a booking leg's flight is `number`
    expect(within(history).getAllByTestId("history-entry").map((e) => e.dataset.kind)).toEqual(["created", "confirmed"]);
    expect(history).toHaveTextContent("2026-12-06 07:00:00 UTC");
    const resend = screen.getByRole("button", { name: "Resend confirmation" });
    expect(resend).toBeDisabled();
    await userEvent.type(screen.getByLabelText("Reason (recorded in the history)"), "ok");
    expect(resend).toBeDisabled(); // 2 characters are not a reason
    await userEvent.type(screen.getByLabelText("Reason (recorded in the history)"), " - e-mail lost");
    await userEvent.click(resend);
    expect(await screen.findByTestId("workbench-done")).toHaveTextContent("The confirmation was sent again.");
    expect(calls.find((c) => c.url.endsWith("/confirmation/resend"))?.headers["X-Airline-Reason"]).toBe("ok - e-mail lost");
    const last = (await screen.findAllByTestId("history-entry")).at(-1)!;
    expect(last).toHaveTextContent(/confirmation resent.*by cs \(cs@airline.local\).*why: ok - e-mail lost/);
    expect(screen.getByLabelText("Reason (recorded in the history)")).toHaveValue(""); // a new action, a new reason
  }, 30_000);

  it("shows the service's refusal of an action as it is", async () => {
    const { api } = desk();
    render(<Workbench api={api} />);
    await userEvent.type(screen.getByLabelText("Passenger name or PNR"), "QWE123");
    await userEvent.click(screen.getByRole("button", { name: "Search" }));
    await userEvent.click(await screen.findByRole("button", { name: "Open booking QWE123" }));
    await screen.findByRole("table", { name: "passengers of the booking" });
    await userEvent.type(screen.getByLabelText("Reason (recorded in the history)"), "passenger asked by phone");
    await userEvent.click(screen.getByRole("button", { name: "Cancel booking" }));
    await userEvent.click(screen.getByRole("button", { name: "Yes, cancel the booking" }));
    expect(await screen.findByRole("alert")).toHaveTextContent("flight XA7001 has left");
  }, 30_000);
});
