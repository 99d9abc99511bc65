/** The revenue report as GET /ops/revenue answers it (flights service, fare revenue without taxes). */
export interface Money { currency: string; amount: number }
export interface FlightRevenue {
  flight_id: string; number: string; origin: string; destination: string; status: string; scheduled_departure: string | null;
  cabin_class: string; capacity: number; sold: number; sellable: number; load_factor_percent: number; bookings: number; revenue: Money[];
}
export interface DayBookings { day: string; currency: string; bookings: number; seats: number; revenue: number }
export interface RevenueReport { from: string | null; to: string | null; flights: FlightRevenue[]; days: DayBookings[]; totals: Money[] }

const label = (f: FlightRevenue) => `${f.number}${f.cabin_class === "vip" ? " VIP" : ""} ${(f.scheduled_departure ?? "").slice(5, 10)}`;

/** Load factor per flight and cabin (sold over seats, above 100 % when overbooked), fullest first. */
export function loadFactorBars(r: RevenueReport, limit = 20): { label: string; value: number; note: string }[] {
  return [...r.flights]
    .filter((f) => f.capacity > 0)
    .sort((a, b) => b.load_factor_percent - a.load_factor_percent || a.number.localeCompare(b.number))
    .slice(0, limit)
    .map((f) => ({ label: label(f), value: Math.round(f.load_factor_percent), note: `${f.sold}/${f.capacity}` }));
}

/** Bookings sold per UTC day (all currencies together). */
export function bookingsPerDay(r: RevenueReport): { label: string; value: number }[] {
  const by = new Map<string, number>();
  for (const d of r.days) by.set(d.day, (by.get(d.day) ?? 0) + d.bookings);
  return [...by.entries()].sort(([a], [b]) => a.localeCompare(b)).map(([day, value]) => ({ label: day, value }));
}

/** Fare revenue per flight (all cabins) in one currency (minor units), most first. */
export function revenuePerFlight(r: RevenueReport, currency: string, limit = 20): { label: string; value: number }[] {
  const by = new Map<string, { label: string; value: number }>();
  for (const f of r.flights) {
    const amount = f.revenue.filter((m) => m.currency === currency).reduce((s, m) => s + m.amount, 0);
    const row = by.get(f.flight_id) ?? { label: label({ ...f, cabin_class: "normal" }), value: 0 };
    by.set(f.flight_id, { ...row, value: row.value + amount });
  }
  return [...by.values()].filter((b) => b.value > 0).sort((a, b) => b.value - a.value).slice(0, limit);
}

/** The whole window's load factor: seats sold over seats, in percent (one decimal). */
export function overallLoadFactor(r: RevenueReport): number {
  const seats = r.flights.reduce((s, f) => s + f.capacity, 0);
  const sold = r.flights.reduce((s, f) => s + f.sold, 0);
  return seats ? Math.round((1000 * sold) / seats) / 10 : 0;
}

/** A cabin's booking classes as GET /flights/{id}/fares/buckets answers them. */
export interface BucketState {
  code: string; adult_amount: number; currency: string; authorised: number; open: boolean;
  close_at_load_percent: number; close_days_before: number; sold: number; available: number; selling_open: boolean;
}
export interface CabinBuckets { flight_id: string; cabin_class: string; selling: string; buckets: BucketState[] }

/** Why a bucket does not sell now, in words (empty when it is open with seats). */
export function bucketState(b: BucketState): string {
  if (!b.open) return "closed by ops";
  if (!b.selling_open) return "closed by rule";
  return b.available > 0 ? "" : "sold out";
}
