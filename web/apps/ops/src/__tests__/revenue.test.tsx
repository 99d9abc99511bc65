import { render, screen, within } from "@testing-library/react";
import userEvent from "@testing-library/user-event";
import { createApi, type Api } from "@airline/ui";
import { Revenue } from "../Revenue";
import { sectionsFor } from "../App";
import {
  bucketState, bookingsPerDay, loadFactorBars, overallLoadFactor, revenuePerFlight, type CabinBuckets, type RevenueReport,
} from "../revenueRules";

const report: RevenueReport = {
  from: "2026-12-01T00:00:00Z", to: "2026-12-08T00:00:00Z",
  flights: [
    { flight_id: "f1", number: "XA101", origin: "XSP", destination: "BKK", status: "scheduled", scheduled_departure: "2026-12-02T01:00:00Z",
      cabin_class: "normal", capacity: 60, sold: 66, sellable: 66, load_factor_percent: 110, bookings: 8, revenue: [{ currency: "SGD", amount: 660000 }] },
    { flight_id: "f1", number: "XA101", origin: "XSP", destination: "BKK", status: "scheduled", scheduled_departure: "2026-12-02T01:00:00Z",
      cabin_class: "vip", capacity: 8, sold: 2, sellable: 8, load_factor_percent: 25, bookings: 1, revenue: [{ currency: "SGD", amount: 90000 }] },
    { flight_id: "f2", number: "XA103", origin: "XSP", destination: "KUL", status: "scheduled", scheduled_departure: "2026-12-03T01:00:00Z",
      cabin_class: "normal", capacity: 60, sold: 0, sellable: 60, load_factor_percent: 0, bookings: 0, revenue: [] },
  ],
  days: [
    { day: "2026-12-01", currency: "SGD", bookings: 3, seats: 20, revenue: 200000 },
    { day: "2026-12-01", currency: "THB", bookings: 1, seats: 2, revenue: 5000 },
    { day: "2026-11-30", currency: "SGD", bookings: 5, seats: 48, revenue: 550000 },
  ],
  totals: [{ currency: "SGD", amount: 750000 }],
};

describe("revenue rules", () => {
  it("load factor per flight cabin, fullest first, overbooked above 100 %", () => {
    expect(loadFactorBars(report)).toEqual([
      { label: "XA101 12-02", value: 110, note: "66/60" },
      { label: "XA101 VIP 12-02", value: 25, note: "2/8" },
      { label: "XA103 12-03", value: 0, note: "0/60" },
    ]);
    expect(overallLoadFactor(report)).toBe(53.1); // 68 of 128 seats
  });

  it("bookings per day add the currencies up, in day order; revenue per flight adds its cabins", () => {
    expect(bookingsPerDay(report)).toEqual([{ label: "2026-11-30", value: 5 }, { label: "2026-12-01", value: 4 }]);
    expect(revenuePerFlight(report, "SGD")).toEqual([{ label: "XA101 12-02", value: 750000 }]);
    expect(revenuePerFlight(report, "THB")).toEqual([]);
  });
});

describe("revenue panel", () => {
  it("reads the report for the window and shows the flights, the totals and the charts", async () => {
    const asked: string[] = [];
    const api: Api = createApi({ fetch: (async (url: string) => { asked.push(String(url)); return new Response(JSON.stringify(report), { status: 200 }); }) as typeof fetch });
    render(<Revenue api={api} />);
    const table = await screen.findByRole("table", { name: "revenue per flight" });
    expect(within(table).getByRole("row", { name: /XA101 2026-12-02 Classes XSP→BKK normal 66\/60 \(66\) 110% 8 SGD 6,600.00/ })).toBeInTheDocument();
    expect(screen.getByLabelText("revenue summary")).toHaveTextContent("Load factor 53.1% over 3 flight cabins · fare revenue SGD 7,500.00");
    expect(screen.getByRole("img", { name: /Bookings per day/ })).toBeInTheDocument();
    expect(asked.some((u) => u.includes("/ops/revenue?from=") && u.includes("&to="))).toBe(true);
  });

  it("shows a flight's booking classes: which sells, what each sold and may still sell", async () => {
    const ladder: CabinBuckets = { flight_id: "f1", cabin_class: "normal", selling: "M", buckets: [
      { code: "Y", adult_amount: 30000, currency: "SGD", authorised: 60, open: true, close_at_load_percent: 0, close_days_before: 0, sold: 0, available: 58, selling_open: true },
      { code: "M", adult_amount: 20000, currency: "SGD", authorised: 40, open: true, close_at_load_percent: 75, close_days_before: 3, sold: 0, available: 38, selling_open: true },
      { code: "Q", adult_amount: 10000, currency: "SGD", authorised: 2, open: true, close_at_load_percent: 50, close_days_before: 14, sold: 2, available: 0, selling_open: true },
    ] };
    const api: Api = createApi({ fetch: (async (url: string) => new Response(JSON.stringify(
      String(url).includes("/fares/buckets") ? { cabins: [ladder] } : report), { status: 200 })) as typeof fetch });
    render(<Revenue api={api} />);
    const table = await screen.findByRole("table", { name: "revenue per flight" });
    await userEvent.click(within(table).getAllByRole("button", { name: "Classes" })[0]);
    const classes = await screen.findByRole("table", { name: "booking classes XA101 normal" });
    expect(within(classes).getByText("XA101 normal: selling M")).toBeInTheDocument();
    expect(within(classes).getByRole("row", { name: /^Q SGD 100.00 2 2 0 sold out$/ })).toBeInTheDocument();
    expect(within(classes).getByRole("row", { name: /^M SGD 200.00 40 0 38 selling$/ })).toBeInTheDocument();
    expect(bucketState({ ...ladder.buckets[0], open: false })).toBe("closed by ops");
    expect(bucketState({ ...ladder.buckets[0], selling_open: false })).toBe("closed by rule");
  });

  it("is an ops section (admin sees it too), not customer service's", () => {
    expect(sectionsFor("ops").map((s) => s.path)).toContain("revenue");
    expect(sectionsFor("admin").map((s) => s.path)).toContain("revenue");
    expect(sectionsFor("cs").map((s) => s.path)).not.toContain("revenue");
  });
});
