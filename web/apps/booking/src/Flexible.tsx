import { formatMoney, type Offer } from "@airline/ui";

/** The local date an offer's outbound flight leaves on (at its origin). */
export const dayOf = (o: Offer) => new Intl.DateTimeFormat("en-CA", { timeZone: o.legs[0].flight.origin_time_zone ?? "UTC" }).format(new Date(o.legs[0].flight.scheduled_departure ?? 0));

const shift = (day: string, n: number) => new Date(Date.parse(`${day}T00:00:00Z`) + n * 86400_000).toISOString().slice(0, 10);

export interface DayPrice { day: string; lowest: number | null; currency: string | null }

/** The lowest total per departure day, `days` either side of `center` (a day without a flight: null). */
export function cheapestByDay(offers: Offer[], center: string, days = 3): DayPrice[] {
  return Array.from({ length: 2 * days + 1 }, (_, i) => shift(center, i - days)).map((day) => {
    const those = offers.filter((o) => dayOf(o) === day);
    const best = those.reduce<Offer | null>((a, o) => (!a || o.total < a.total ? o : a), null);
    return { day, lowest: best ? best.total : null, currency: best ? best.currency : null };
  });
}

const label = (day: string) => new Intl.DateTimeFormat("en-GB", { weekday: "short", day: "numeric", month: "short", timeZone: "UTC" }).format(new Date(`${day}T00:00:00Z`));

/** The flexible-date price strip: the lowest price of each day around the asked one; pick a day. */
export function DayStrip({ prices, day, onDay }: { prices: DayPrice[]; day: string; onDay: (d: string) => void }) {
  return (
    <ul className="bk-days" aria-label="lowest price per day">
      {prices.map((p) => (
        <li key={p.day}>
          <button type="button" className={p.day === day ? "on" : ""} aria-pressed={p.day === day} disabled={p.lowest === null} onClick={() => onDay(p.day)}>
            <span className="bk-day-date">{label(p.day)}</span>
            <span className="bk-day-price">{p.lowest === null ? <><span aria-hidden="true">—</span><span className="ui-sr">no flight</span></> : <><span className="ui-sr">from </span>{formatMoney(p.lowest, p.currency ?? "SGD")}</>}</span>
          </button>
        </li>
      ))}
    </ul>
  );
}
