import { render, screen, within } from "@testing-library/react";
import userEvent from "@testing-library/user-event";
import { ApiError, createApi, type Ancillaries, type Booking } from "@airline/ui";
import { ManageExtras } from "../ManageExtras";
import { estimate, extrasError, extrasRequest, noPicks, pickMeal, stepBag } from "../extrasRules";

const legs = [
  { flight_id: "f1", number: "XA7001", origin: "XSP", destination: "BKK", scheduled_departure: "2026-12-10T02:00:00Z" },
  { flight_id: "f2", number: "XA7002", origin: "BKK", destination: "XSP", scheduled_departure: "2026-12-14T02:00:00Z" },
];
const booking = (over: Partial<Booking> & { ancillaries?: unknown[] } = {}): Booking => ({
  id: "b1", state: "confirmed", step: "confirmed", pnr: "ABC123", total: 30000, currency: "SGD", legs,
  passengers: [{ id: "P1", type: "adult", first_name: "Linh", last_name: "Vo" }],
  seats: [], bags: [], tickets: [], payment: {}, manage_token: null, expires_at: null, ...over,
});
const allowance = (flight_id: string, extra_pieces = 0, more = 2) => ({ flight_id, passenger_id: "P1", included_pieces: 1, extra_pieces, piece_price: 3000, max_extra_pieces: more });
const offer = (over: Partial<Ancillaries> = {}): Ancillaries => ({
  currency: "SGD", bags: [allowance("f1"), allowance("f2", 4, 1)],
  meals: [{ code: "VGML", name: "Vegetarian curry", price: 1200 }, { code: "CHML", name: "Chicken rice", price: 1500 }],
  meal_orders: [{ flight_id: "f2", passenger_id: "P1", code: "CHML" }], open: true, closes_at: "2026-12-09T23:00:00Z", ...over,
});
const emd = (n: string, kind: string, flight_id: string, description: string, amount: number) =>
  ({ emd_number: n, kind, flight_id, passenger_id: "P1", description, amount, currency: "SGD", issued_at: "2026-12-06T08:00:00Z" });

/** The gateway of these tests: "METHOD /path" → a body (200) or [status, body]; what was sent, in order. */
function gateway(routes: Record<string, unknown>) {
  const sent: { method: string; url: string; body: unknown; headers: Record<string, string> }[] = [];
  const fetcher = async (input: string, init: RequestInit = {}) => {
    const method = init.method ?? "GET";
    sent.push({ method, url: input, body: typeof init.body === "string" ? JSON.parse(init.body) : undefined, headers: { ...(init.headers as Record<string, string>) } });
    const route = routes[`${method} ${input.replace("/api/v1", "").split("?")[0]}`];
    const [status, body] = Array.isArray(route) ? route as [number, unknown] : route === undefined ? [404, { title: "Not Found" }] : [200, route];
    return new Response(JSON.stringify(body), { status });
  };
  return { api: createApi({ fetch: fetcher as unknown as typeof fetch }), sent };
}

describe("what a passenger picks", () => {
  it("steps bags within what is left to buy and asks only for what was picked", () => {
    const o = offer();
    let p = stepBag(noPicks(), o.bags[0], 1);
    p = stepBag(p, o.bags[0], 1);
    p = stepBag(p, o.bags[0], 1); // a third is over the 2 extra pieces allowed
    expect(p.bags["f1|P1"]).toBe(2);
    expect(stepBag(p, o.bags[1], 1).bags["f2|P1"]).toBe(1); // 4 held already: one more at most
    expect(stepBag(stepBag(p, o.bags[1], 1), o.bags[1], 1).bags["f2|P1"]).toBe(1);
    expect(stepBag(noPicks(), o.bags[0], -1).bags["f1|P1"]).toBe(0);
    p = pickMeal(p, o.bags[0], "VGML");
    p = pickMeal(p, o.bags[1], "VGML"); // already has a meal on f2: not asked again
    expect(extrasRequest(o, p)).toEqual({ bags: [{ flight_id: "f1", passenger_id: "P1", extra_pieces: 2 }], meals: [{ flight_id: "f1", passenger_id: "P1", code: "VGML" }] });
    expect(estimate(o, p)).toBe(2 * 3000 + 1200);
    expect(extrasRequest(o, pickMeal(noPicks(), o.bags[0], ""))).toEqual({ bags: [], meals: [] });
  });

  it("words the refusals so that the passenger knows what to do", () => {
    expect(extrasError(new ApiError(409, "closed", "sales_closed"))).toMatch(/no longer be bought online.*airport desk/);
    expect(extrasError(new ApiError(409, "stale", "quote_stale"))).toMatch(/review your extras again/);
    expect(extrasError(new ApiError(402, "insufficient funds"))).toBe("Payment declined: insufficient funds. Nothing was bought; try another card.");
    expect(extrasError(new ApiError(409, "the card asks for 3-D Secure", "payment_declined"))).toBe("Payment declined: the card asks for 3-D Secure. Nothing was bought; try another card.");
    expect(extrasError(new ApiError(409, "expired", "quote_expired"))).toMatch(/review your extras again/);
    expect(extrasError(new ApiError(422, "too many pieces"))).toBe("too many pieces Please check your choice.");
  });
});

describe("extras in Manage booking", () => {
  it("adds a bag and a meal, reviews the quote, pays by card and shows the EMDs", async () => {
    const quote = { quote_id: "q1", currency: "SGD", total: 4200, expires_at: "2026-12-06T08:30:00Z", items: [
      { kind: "bag", flight_id: "f1", passenger_id: "P1", description: "1 extra bag", amount: 3000 },
      { kind: "meal", flight_id: "f1", passenger_id: "P1", description: "Vegetarian curry", amount: 1200 }] };
    const bought = booking({ ancillaries: [emd("6182400000011", "bag", "f1", "1 extra bag", 3000), emd("6182400000012", "meal", "f1", "Vegetarian curry", 1200)] });
    const { api, sent } = gateway({
      "GET /bookings/b1/ancillaries": offer(),
      "POST /bookings/b1/ancillaries/quote": quote,
      "POST /bookings/b1/ancillaries": bought,
      "GET /bookings/b1/receipt": { booking_id: "b1", pnr: "ABC123", currency: "SGD", total_paid: 34200, total_refunded: 0, lines: [
        { kind: "fare", description: "Fare XA7001, XA7002", document: "6180000000001", amount: 30000 },
        { kind: "bag", description: "1 extra bag", document: "6182400000011", amount: 3000 },
        { kind: "meal", description: "Vegetarian curry", document: "6182400000012", amount: 1200 }] },
    });
    const { rerender } = render(<ManageExtras api={api} booking={booking()} zones={{ XSP: "Asia/Singapore" }} access={{ pnr: "ABC123", lastName: "Vo" }}
      onChanged={(b) => rerender(<ManageExtras api={api} booking={b} zones={{ XSP: "Asia/Singapore" }} access={{ pnr: "ABC123", lastName: "Vo" }} onChanged={() => {}} />)} />);
    await userEvent.click(screen.getByRole("button", { name: "Add bags or meals" }));
    const rows = await screen.findAllByTestId("extras-slot");
    expect(rows[0]).toHaveTextContent(/Linh Vo · XA7001.*1 included.*SGD 30\.00 each/);
    expect(rows[1]).toHaveTextContent(/XA7002.*1 included, 4 extra.*Chicken rice \(bought\)/);
    expect(screen.getByRole("button", { name: "Review" })).toBeDisabled();
    await userEvent.click(screen.getByRole("button", { name: "Add a bag for Linh Vo · XA7001" }));
    await userEvent.selectOptions(screen.getByLabelText("Meal for Linh Vo · XA7001"), "VGML");
    expect(screen.getByTestId("extras-estimate")).toHaveTextContent("SGD 42.00");
    await userEvent.click(screen.getByRole("button", { name: "Review" }));
    expect(await screen.findByTestId("extras-total")).toHaveTextContent("SGD 42.00");
    expect(screen.getAllByTestId("extras-item").map((r) => r.textContent)).toEqual(["1 extra bag · Linh Vo · XA7001SGD 30.00", "Vegetarian curry · Linh Vo · XA7001SGD 12.00"]);
    expect(sent[0].url).toBe("/api/v1/bookings/b1/ancillaries?pnr=ABC123&last_name=Vo");
    expect(sent[1].body).toEqual({ bags: [{ flight_id: "f1", passenger_id: "P1", extra_pieces: 1 }], meals: [{ flight_id: "f1", passenger_id: "P1", code: "VGML" }] });
    const form = screen.getByRole("form", { name: "pay for extras" });
    await userEvent.type(within(form).getByLabelText("Card number"), "4242 4242 4242 4242");
    await userEvent.type(within(form).getByLabelText("Expiry (MM/YY)"), "12/35");
    await userEvent.type(within(form).getByLabelText("CVC"), "123");
    await userEvent.click(within(form).getByRole("button", { name: "Pay SGD 42.00" }));
    expect(await screen.findByTestId("extras-done")).toHaveTextContent("Paid SGD 42.00. Your documents (EMD) are 6182400000011, 6182400000012.");
    expect(sent[2].body).toEqual({ quote_id: "q1", payment: { method: { type: "card", number: "4242 4242 4242 4242", exp_month: 12, exp_year: 2035, cvc: "123", holder: "" } } });
    expect(sent[2].headers["Idempotency-Key"]).toBeTruthy();
    expect(screen.getAllByTestId("emd").map((r) => r.textContent)).toEqual(["61824000000111 extra bagLinh Vo · XA7001SGD 30.00", "6182400000012Vegetarian curryLinh Vo · XA7001SGD 12.00"]);

    await userEvent.click(screen.getByRole("button", { name: "Show the receipt" }));
    const receipt = await screen.findByRole("document", { name: "receipt" });
    expect(within(receipt).getAllByTestId("receipt-line").map((r) => r.getAttribute("data-kind"))).toEqual(["fare", "bag", "meal"]);
    expect(within(receipt).getByTestId("receipt-paid")).toHaveTextContent("SGD 342.00");
    expect(within(receipt).queryByTestId("receipt-refunded")).toBeNull();
    expect(screen.getByRole("button", { name: "Print the receipt" })).toBeInTheDocument();
  });

  it("offers neither bags nor a meal for an infant on a lap", async () => {
    const withInfant = booking({ passengers: [...booking().passengers, { id: "P9", type: "infant", first_name: "Bao", last_name: "Vo" }] });
    const { api } = gateway({ "GET /bookings/b1/ancillaries": offer({ bags: [allowance("f1"), { ...allowance("f1", 0, 0), passenger_id: "P9", included_pieces: 0 }], meal_orders: [] }) });
    render(<ManageExtras api={api} booking={withInfant} zones={{}} access={{}} onChanged={() => {}} />);
    await userEvent.click(screen.getByRole("button", { name: "Add bags or meals" }));
    const rows = await screen.findAllByTestId("extras-slot");
    expect(rows[1]).toHaveTextContent("Bao Vo · XA70010 includedNone for an infant on a lap—");
    expect(within(rows[1]).queryByRole("combobox")).toBeNull();
    expect(within(rows[0]).getByRole("combobox", { name: "Meal for Linh Vo · XA7001" })).toBeInTheDocument();
  });

  it("says calmly until when extras could be bought once sales closed", async () => {
    const { api } = gateway({ "GET /bookings/b1/ancillaries": offer({ open: false, closes_at: "2026-12-09T23:00:00Z" }) });
    render(<ManageExtras api={api} booking={booking()} zones={{ XSP: "Asia/Singapore" }} access={{}} onChanged={() => {}} />);
    await userEvent.click(screen.getByRole("button", { name: "Add bags or meals" }));
    expect(await screen.findByTestId("extras-closed")).toHaveTextContent("Bags and meals could be bought online until Thu 10 Dec 07:00. Extra bags can still be paid at the airport desk.");
    expect(screen.queryByRole("button", { name: "Review" })).toBeNull();
  });

  it("keeps the quote on a declined card and buys nothing", async () => {
    const quote = { quote_id: "q1", currency: "SGD", total: 3000, expires_at: "2026-12-06T08:30:00Z", items: [{ kind: "bag", flight_id: "f1", passenger_id: "P1", description: "1 extra bag", amount: 3000 }] };
    const { api } = gateway({
      "GET /bookings/b1/ancillaries": offer(),
      "POST /bookings/b1/ancillaries/quote": quote,
      "POST /bookings/b1/ancillaries": [402, { title: "Payment Required", detail: "card declined", code: "payment_declined" }],
    });
    const got: Booking[] = [];
    render(<ManageExtras api={api} booking={booking()} zones={{}} access={{}} onChanged={(b) => got.push(b)} />);
    await userEvent.click(screen.getByRole("button", { name: "Add bags or meals" }));
    await userEvent.click(await screen.findByRole("button", { name: "Add a bag for Linh Vo · XA7001" }));
    await userEvent.click(screen.getByRole("button", { name: "Review" }));
    const form = await screen.findByRole("form", { name: "pay for extras" });
    await userEvent.type(within(form).getByLabelText("Card number"), "4000 0000 0000 0002");
    await userEvent.type(within(form).getByLabelText("Expiry (MM/YY)"), "12/35");
    await userEvent.type(within(form).getByLabelText("CVC"), "123");
    await userEvent.click(within(form).getByRole("button", { name: "Pay SGD 30.00" }));
    expect(await within(form).findByRole("alert")).toHaveTextContent("Payment declined: card declined. Nothing was bought; try another card.");
    expect(got).toEqual([]);
    expect(screen.getByTestId("extras-total")).toHaveTextContent("SGD 30.00");
  });

  it("shows nothing to buy on a cancelled booking, but its receipt with the refund", async () => {
    const { api } = gateway({ "GET /bookings/b1/receipt": { booking_id: "b1", pnr: "ABC123", currency: "SGD", total_paid: 30000, total_refunded: 25000, lines: [
      { kind: "fare", description: "Fare", document: "6180000000001", amount: 30000 }, { kind: "refund", description: "Refund", document: "", amount: -25000 }] } });
    render(<ManageExtras api={api} booking={booking({ state: "cancelled" })} zones={{}} access={{}} onChanged={() => {}} />);
    expect(screen.queryByRole("button", { name: "Add bags or meals" })).toBeNull();
    await userEvent.click(screen.getByRole("button", { name: "Show the receipt" }));
    const lines = await screen.findAllByTestId("receipt-line");
    expect(lines[1]).toHaveTextContent("Refund—− SGD 250.00");
    expect(screen.getByTestId("receipt-refunded")).toHaveTextContent("− SGD 250.00");
  });
});
