import { render, screen, within } from "@testing-library/react";
import userEvent from "@testing-library/user-event";
import { ApiError, createApi, type Booking } from "@airline/ui";
import { ManageChanges, changeError } from "../ManageChanges";
import { ManagePassengers } from "../ManagePassengers";
import { lookupNameAfter, refundRule } from "../changeRules";

const leg = { flight_id: "f1", number: "XA7001", origin: "XSP", destination: "BKK", scheduled_departure: "2026-12-10T02:00:00Z", refundable: true, change_fee: 5000 };
const booking = (over: Partial<Booking> = {}): Booking => ({
  id: "b1", state: "confirmed", step: "confirmed", pnr: "ABC123", total: 30000, currency: "SGD", legs: [leg],
  passengers: [{ id: "P1", type: "adult", first_name: "Minh", last_name: "Pham" }, { id: "P2", type: "adult", first_name: "Lan", last_name: "Pham" }],
  seats: [], bags: [], tickets: [], payment: {}, manage_token: null, expires_at: null, ...over,
});

type Sent = { method: string; url: string; body: unknown; headers: Record<string, string> };
/** A gateway answering by method + path (query left out), recording what was sent. */
function gateway(answers: Record<string, { status?: number; body: unknown }>) {
  const sent: Sent[] = [];
  const api = createApi({ fetch: (async (url: string, init?: RequestInit) => {
    const method = init?.method ?? "GET";
    sent.push({ method, url: String(url), body: init?.body ? JSON.parse(String(init.body)) : undefined, headers: (init?.headers ?? {}) as Record<string, string> });
    const a = answers[`${method} ${String(url).split("?")[0].replace("/api/v1", "")}`] ?? { status: 404, body: { title: "Not Found", detail: "no such route" } };
    return new Response(JSON.stringify(a.body), { status: a.status ?? 200 });
  }) as typeof fetch });
  return { api, sent };
}

describe("change the date of a leg", () => {
  const option = { flight_id: "f9", number: "XA7003", scheduled_departure: "2026-12-12T02:00:00Z", scheduled_arrival: "2026-12-12T04:25:00Z", seats_left: 40, change_fee: 5000, fare_difference: 2000, total_due: 7000, residual: 0, currency: "SGD" };
  const quote = { quote_id: "q1", legs: [{ leg: 0, from_flight_id: "f1", flight_id: "f9", number: "XA7003", scheduled_departure: option.scheduled_departure }],
    change_fee: 5000, fare_difference: 2000, total_due: 7000, residual_voucher: 0, currency: "SGD", expires_at: "2026-12-06T09:00:00Z" };

  it("lists the flights of a day with what is due, quotes one and pays the difference by card", async () => {
    const changed = booking({ legs: [{ ...leg, flight_id: "f9", number: "XA7003" }] });
    const { api, sent } = gateway({
      "GET /bookings/b1/changes/options": { body: { leg: 0, options: [option] } },
      "POST /bookings/b1/changes/quote": { body: quote },
      "POST /bookings/b1/changes": { body: changed },
    });
    const got: Booking[] = [];
    render(<ManageChanges api={api} booking={booking()} zones={{ XSP: "Asia/Singapore" }} access={{ pnr: "ABC123", lastName: "Pham" }} onChanged={(b) => got.push(b)} />);
    await userEvent.click(screen.getByRole("button", { name: /Change date of XA7001/ }));
    const date = screen.getByLabelText("New date");
    expect(date).toHaveValue("2026-12-10"); // the leg's own local date to start from
    await userEvent.clear(date);
    await userEvent.type(date, "2026-12-12");
    await userEvent.click(screen.getByRole("button", { name: "Show flights" }));
    const row = await screen.findByTestId("change-option");
    expect(row).toHaveTextContent(/XA7003.*SGD 70\.00.*fee SGD 50\.00, fare difference SGD 20\.00/);
    expect(sent[0].url).toBe("/api/v1/bookings/b1/changes/options?leg=0&date=2026-12-12&pnr=ABC123&last_name=Pham");
    await userEvent.click(within(row).getByRole("button", { name: "Choose XA7003" }));
    expect(await screen.findByTestId("change-due")).toHaveTextContent("SGD 70.00");
    expect(sent[1].body).toEqual({ legs: [{ leg: 0, flight_id: "f9" }] });
    const form = screen.getByRole("form", { name: "pay for the change" });
    await userEvent.type(within(form).getByLabelText("Card number"), "4242 4242 4242 4242");
    await userEvent.type(within(form).getByLabelText("Expiry (MM/YY)"), "12/35");
    await userEvent.type(within(form).getByLabelText("CVC"), "123");
    await userEvent.click(within(form).getByRole("button", { name: "Pay SGD 70.00" }));
    expect(await screen.findByTestId("change-done")).toHaveTextContent(/You now fly XA7003/);
    expect(sent[2].body).toEqual({ quote_id: "q1", payment: { method: { type: "card", number: "4242 4242 4242 4242", exp_month: 12, exp_year: 2035, cvc: "123", holder: "" } } });
    expect(sent[2].headers["Idempotency-Key"]).toBeTruthy();
    expect(got.map((b) => b.legs[0].number)).toEqual(["XA7003"]);
  });

  it("shows the closing window refusal and keeps the booking as it was", async () => {
    const { api } = gateway({
      "GET /bookings/b1/changes/options": { body: { leg: 0, options: [{ ...option, total_due: 0, fare_difference: -5000, residual: 5000 }] } },
      "POST /bookings/b1/changes/quote": { body: { ...quote, total_due: 0, residual_voucher: 5000 } },
      "POST /bookings/b1/changes": { status: 409, body: { title: "Conflict", detail: "changes close 3 hours before departure", code: "change_closed" } },
    });
    const got: Booking[] = [];
    render(<ManageChanges api={api} booking={booking()} zones={{}} access={{}} onChanged={(b) => got.push(b)} />);
    await userEvent.click(screen.getByRole("button", { name: /Change date/ }));
    await userEvent.click(screen.getByRole("button", { name: "Show flights" }));
    expect(await screen.findByTestId("change-option")).toHaveTextContent("SGD 50.00 back as a voucher");
    await userEvent.click(screen.getByRole("button", { name: "Choose XA7003" }));
    await userEvent.click(await screen.findByRole("button", { name: "Confirm the change" })); // nothing to pay: no payment form
    expect(await screen.findByRole("alert")).toHaveTextContent("changes close 3 hours before departure");
    expect(got).toEqual([]);
  });
});

describe("a refused change in words", () => {
  it("says the booking is unchanged when the payment is declined, and what to do when the quote is stale", () => {
    expect(changeError(new ApiError(409, "the card asks for 3-D Secure, which a change cannot answer: use another card", "payment_declined")))
      .toBe("Payment declined: the card asks for 3-D Secure, which a change cannot answer: use another card. Your booking is unchanged; try another card.");
    expect(changeError(new ApiError(402, "insufficient funds"))).toMatch(/^Payment declined: insufficient funds\. Your booking is unchanged/);
    expect(changeError(new ApiError(409, "booking changed", "quote_stale"))).toMatch(/look at the flights again/);
  });
});

describe("per passenger", () => {
  it("offers to cancel one passenger only while another stays, with the refund rule", async () => {
    const { api, sent } = gateway({ "POST /bookings/b1/passengers/P2/cancel": { body: booking({ passengers: [booking().passengers[0], { ...booking().passengers[1], cancelled: true }] }) } });
    const { rerender } = render(<ManagePassengers api={api} booking={booking()} access={{}} onChanged={(b) => rerender(<ManagePassengers api={api} booking={b} access={{}} onChanged={() => {}} />)} />);
    await userEvent.click(screen.getByRole("button", { name: "Cancel Lan Pham only" }));
    const dialog = screen.getByRole("alertdialog", { name: "Cancel Lan Pham?" });
    expect(dialog).toHaveTextContent("Refundable fare: the passenger's share of what was paid comes back to the card, less SGD 50.00 in fees.");
    expect(within(dialog).getByRole("button", { name: "Keep Lan Pham" })).toHaveFocus();
    await userEvent.click(within(dialog).getByRole("button", { name: "Yes, cancel Lan Pham" }));
    expect(await screen.findByText("cancelled")).toBeInTheDocument();
    expect(sent.map((s) => `${s.method} ${s.url}`)).toEqual(["POST /api/v1/bookings/b1/passengers/P2/cancel"]);
    // Minh is the only one left: cancelling them alone is not offered (the booking is cancelled instead)
    expect(screen.queryByRole("button", { name: /Cancel .* only/ })).toBeNull();
  });

  it("counts the letters of a name correction and shows the server's refusal", async () => {
    const { api } = gateway({ "POST /bookings/b1/passengers/P1/name-correction": { status: 422, body: { title: "Unprocessable", detail: "4 letters change: more than 3 is a new passenger", code: "name_change_too_large" } } });
    render(<ManagePassengers api={api} booking={booking()} access={{}} onChanged={() => {}} />);
    await userEvent.click(screen.getByRole("button", { name: "Correct the name of Minh Pham" }));
    expect(screen.getByRole("button", { name: "Save corrected name" })).toBeDisabled();
    const last = screen.getByLabelText("Corrected last name");
    await userEvent.clear(last);
    await userEvent.type(last, "Phạm");
    expect(screen.getByTestId("name-letters")).toHaveTextContent("Nothing changed yet."); // accents do not count
    await userEvent.clear(last);
    await userEvent.type(last, "Nguyen");
    expect(screen.getByTestId("name-letters")).toHaveTextContent(/letters changed: more than 3/);
    await userEvent.click(screen.getByRole("button", { name: "Save corrected name" }));
    expect(await screen.findByRole("alert")).toHaveTextContent("4 letters change: more than 3 is a new passenger");
  });

  it("a guest keeps reaching the booking after correcting the last name they found it with", () => {
    expect(lookupNameAfter("pham", { from: "Pham", to: "Phan" })).toBe("Phan");
    expect(lookupNameAfter("Vo", { from: "Pham", to: "Phan" })).toBe("Vo");
    expect(lookupNameAfter(undefined, { from: "Pham", to: "Phan" })).toBeUndefined(); // signed in: no name needed
  });

  it("words the refund rule from the fare rules kept at booking", () => {
    expect(refundRule(booking({ legs: [{ ...leg, refundable: false }] }))).toMatch(/non-refundable/);
    expect(refundRule(booking({ legs: [{ ...leg, change_fee: 0 }] }))).toBe("Refundable fare: the passenger's share of what was paid comes back to the card.");
  });
});
