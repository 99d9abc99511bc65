import { act, render, screen } from "@testing-library/react";
import userEvent from "@testing-library/user-event";
import { createApi, type Booking, type Offer } from "@airline/ui";
import { HoldBanner } from "../Hold";
import { CancelBooking, Cancelled, refundWords } from "../ManageCancel";
import { cheapestByDay } from "../Flexible";
import { serverFieldErrors } from "../rules";

// a loaded CI machine: the keyboard walks take seconds there
vi.setConfig({ testTimeout: 20_000 });

describe("the seat hold's countdown", () => {
  beforeEach(() => { vi.useFakeTimers({ shouldAdvanceTime: false }); vi.setSystemTime(new Date("2026-12-07T06:00:00Z")); });
  afterEach(() => vi.useRealTimers());

  it("ticks silently, warns once before the end and says plainly when the seats are released", () => {
    const restart = vi.fn();
    render(<HoldBanner until="2026-12-07T06:03:00Z" warnBefore={120} onRestart={restart} />);
    const live = screen.getByTestId("hold-announcement");
    expect(live).toHaveAttribute("aria-live", "polite");
    expect(screen.getByTestId("hold-countdown")).toHaveTextContent("3:00");
    expect(screen.getByTestId("hold-countdown").closest("[aria-hidden=true]")).not.toBeNull(); // never read out each second
    act(() => { vi.advanceTimersByTime(30_000); });
    expect(screen.getByTestId("hold-countdown")).toHaveTextContent("2:30");
    expect(live).toHaveTextContent(""); // nothing said while ticking
    act(() => { vi.advanceTimersByTime(31_000); });
    expect(live).toHaveTextContent("Your seats are held for less than 2 minutes more.");
    expect(screen.getByText("Your seats are about to be released.")).toBeInTheDocument();
    act(() => { vi.advanceTimersByTime(120_000); });
    expect(live).toHaveTextContent("Your seats were released");
    expect(screen.getByTestId("hold-expired")).toBeInTheDocument();
    act(() => { screen.getByRole("button", { name: "Start again" }).click(); });
    expect(restart).toHaveBeenCalled();
  });

  it("keeps the seats when the booking can and announces the new time", async () => {
    vi.useRealTimers();
    const until = new Date(Date.now() + 60_000).toISOString();
    const later = new Date(Date.now() + 600_000).toISOString();
    const keep = vi.fn(async () => later);
    render(<HoldBanner until={until} warnBefore={120} onKeep={keep} onRestart={() => {}} />);
    await userEvent.click(screen.getByRole("button", { name: "Keep my seats" }));
    expect(keep).toHaveBeenCalled();
    expect(screen.getByTestId("hold-announcement")).toHaveTextContent("Your seats are now held until");
  });
});

describe("the refund before and after cancelling", () => {
  const booking = { id: "b1", state: "confirmed", pnr: "QRF123", total: 30000, currency: "SGD", legs: [], passengers: [], seats: [], bags: [], tickets: [], payment: {}, refunded_amount: 0 } as unknown as Booking;
  const quote = { booking_id: "b1", refund_amount: 27000, fare_refund: 25000, changes_refund: 2000, currency: "SGD", no_show: false, refundable: true };

  it("names the server's amount before confirming, then cancels", async () => {
    const calls: string[] = [];
    const api = createApi({ fetch: (async (url: string, init?: RequestInit) => {
      calls.push(`${init?.method ?? "GET"} ${String(url)}`);
      const body = String(url).includes("/cancel/quote") ? quote : { ...booking, state: "cancelled", refunded_amount: 27000 };
      return new Response(JSON.stringify(body), { status: 200 });
    }) as typeof fetch });
    const done = vi.fn();
    render(<CancelBooking api={api} booking={booking} access={{ pnr: "QRF123", lastName: "Tan" }} onCancelled={done} />);
    await userEvent.click(screen.getByRole("button", { name: "Cancel booking" }));
    expect(screen.getByRole("alertdialog", { name: "Cancel booking QRF123?" })).toBeInTheDocument();
    expect(await screen.findByText(/You get back SGD\s?270\.00/)).toBeInTheDocument();
    expect(calls).toEqual(["GET /api/v1/bookings/b1/cancel/quote?pnr=QRF123&last_name=Tan"]);
    await userEvent.click(screen.getByRole("button", { name: /Cancel and refund/ }));
    expect(calls[1]).toMatch(/^POST \/api\/v1\/bookings\/b1\/cancel/);
    expect(done.mock.calls[0][0].refunded_amount).toBe(27000);
    render(<Cancelled booking={done.mock.calls[0][0]} />);
    expect(screen.getByTestId("cancel-done")).toHaveTextContent(/We refunded SGD\s?270\.00/);
  });

  it("says so when nothing comes back", () => {
    expect(refundWords({ ...quote, refund_amount: 0, fare_refund: 0, changes_refund: 0, no_show: true })).toMatch(/already left/);
    expect(refundWords({ ...quote, refund_amount: 0, fare_refund: 0, changes_refund: 0, refundable: false })).toMatch(/non-refundable/);
  });
});

describe("flexible dates", () => {
  const offer = (departure: string, total: number) => ({ offer_id: departure + total, total, currency: "SGD", legs: [{ flight: { scheduled_departure: departure, origin_time_zone: "Asia/Singapore" } }] }) as unknown as Offer;
  it("gives the lowest price of each day, three days either side (none: null)", () => {
    const days = cheapestByDay([offer("2026-12-10T02:00:00Z", 30000), offer("2026-12-10T09:00:00Z", 25000), offer("2026-12-08T17:00:00Z", 40000)], "2026-12-10");
    expect(days.map((d) => d.day)).toEqual(["2026-12-07", "2026-12-08", "2026-12-09", "2026-12-10", "2026-12-11", "2026-12-12", "2026-12-13"]);
    // 17:00 UTC on the 8th is the 9th in Singapore
    expect(days.map((d) => d.lowest)).toEqual([null, null, 40000, 25000, null, null, null]);
  });
});

describe("the server's field errors", () => {
  it("land on the passenger form's fields", () => {
    expect(serverFieldErrors({ errors: [
      { field: "body.passengers.1.document.number", message: "too short" },
      { field: "passengers[0].last_name", message: "letters only" },
      { field: "body.contact.phone", message: "not a phone number" },
      { field: "body.something", message: "ignored" },
    ] })).toEqual({ P2: { document_number: "too short" }, P1: { last_name: "letters only" }, contact: { phone: "not a phone number" } });
    expect(serverFieldErrors(undefined)).toEqual({});
  });
});
