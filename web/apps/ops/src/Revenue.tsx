import { useEffect, useState } from "react";
import { Alert, Badge, Button, Card, Field, formatMoney, type Api } from "@airline/ui";
import { BarChart } from "./charts";
import { qs } from "./data";
import {
  bucketState, bookingsPerDay, loadFactorBars, overallLoadFactor, revenuePerFlight, type CabinBuckets, type RevenueReport,
} from "./revenueRules";
import { addDays } from "./time";

const today = () => new Date().toISOString().slice(0, 10);

/** A flight's booking classes per cabin: what each sold, may still sell, and which one sells now. */
export function FlightBuckets({ api, flightId, number }: { api: Api; flightId: string; number: string }) {
  const [cabins, setCabins] = useState<CabinBuckets[] | null>(null);
  const [error, setError] = useState<string | null>(null);
  useEffect(() => {
    api.request<{ cabins: CabinBuckets[] }>("GET", `/flights/${flightId}/fares/buckets`)
      .then((r) => setCabins(r.cabins)).catch((e: Error) => setError(e.message));
  }, [api, flightId]);
  if (error) return <Alert kind="error">{error}</Alert>;
  return (
    <>{(cabins ?? []).map((c) => (
      <div className="op-scroll" key={c.cabin_class}><table className="ui-table" aria-label={`booking classes ${number} ${c.cabin_class}`}>
        <caption>{number} {c.cabin_class}: {c.buckets.length ? `selling ${c.selling || "nothing"}` : "no booking classes (the route's fares)"}</caption>
        <thead><tr><th scope="col">Class</th><th scope="col">Adult fare</th><th scope="col">Authorised</th><th scope="col">Sold</th><th scope="col">Available</th><th scope="col">State</th></tr></thead>
        <tbody>{c.buckets.map((b) => (
          <tr key={b.code}><th scope="row">{b.code}</th><td>{formatMoney(b.adult_amount, b.currency)}</td><td>{b.authorised}</td><td>{b.sold}</td><td>{b.available}</td>
            <td>{b.code === c.selling ? <Badge tone="success">selling</Badge> : bucketState(b) || "open"}</td></tr>
        ))}</tbody>
      </table></div>
    ))}</>
  );
}

/** Load factor, fare revenue per flight and bookings per day for departures in a window (UTC days). */
export function Revenue({ api }: { api: Api }) {
  const [from, setFrom] = useState(() => addDays(today(), -7));
  const [to, setTo] = useState(() => addDays(today(), 14));
  const [report, setReport] = useState<RevenueReport | null>(null);
  const [error, setError] = useState<string | null>(null);
  const [open, setOpen] = useState<{ id: string; number: string } | null>(null);
  useEffect(() => {
    let live = true;
    setError(null);
    api.request<RevenueReport>("GET", `/ops/revenue?${qs({ from: `${from}T00:00:00Z`, to: `${to}T00:00:00Z` })}`)
      .then((r) => live && setReport(r))
      .catch((e: Error) => live && (setReport(null), setError(e.message)));
    return () => { live = false; };
  }, [api, from, to]);
  const currency = report?.totals[0]?.currency ?? "SGD";
  return (
    <Card title="Revenue">
      <div className="op-grid">
        <Field label="Departures from (UTC day)" type="date" value={from} onChange={(e) => setFrom(e.target.value)} />
        <Field label="Until (exclusive)" type="date" value={to} onChange={(e) => setTo(e.target.value)} />
      </div>
      {error ? <Alert kind="error">{error}</Alert> : null}
      {report ? (
        <>
          <p aria-label="revenue summary">
            Load factor {overallLoadFactor(report)}% over {report.flights.length} flight cabins · fare revenue{" "}
            {report.totals.length ? report.totals.map((m) => formatMoney(m.amount, m.currency)).join(", ") : "none yet"}
          </p>
          <div className="op-charts">
            <BarChart title="Load factor per flight" unit="%" description="Seats sold over seats per flight and cabin in the window, fullest first; above 100 % when overbooked."
              series={[{ key: "v", label: "Load factor", color: "#1f6feb" }]}
              bars={loadFactorBars(report).map((b) => ({ label: b.label, values: { v: b.value }, note: `${b.note} seats` }))} />
            <BarChart title={`Fare revenue per flight (${currency}, minor units)`} description="Base fares of the bookings standing, taxes excluded, most first."
              series={[{ key: "v", label: "Revenue", color: "#0f9d77" }]}
              bars={revenuePerFlight(report, currency).map((b) => ({ label: b.label, values: { v: b.value } }))} />
            <BarChart title="Bookings per day" description="Bookings sold per UTC day in the window."
              series={[{ key: "v", label: "Bookings", color: "#f0a020" }]}
              bars={bookingsPerDay(report).map((b) => ({ label: b.label, values: { v: b.value } }))} />
          </div>
          <div className="op-scroll"><table className="ui-table" aria-label="revenue per flight">
            <thead><tr><th scope="col">Flight</th><th scope="col">Route</th><th scope="col">Cabin</th><th scope="col">Sold / seats (sellable)</th><th scope="col">Load factor</th><th scope="col">Bookings</th><th scope="col">Fare revenue</th></tr></thead>
            <tbody>{report.flights.map((f) => (
              <tr key={`${f.flight_id}-${f.cabin_class}`}><th scope="row">{f.number} {(f.scheduled_departure ?? "").slice(0, 10)}{" "}
                <Button variant="secondary" onClick={() => setOpen({ id: f.flight_id, number: f.number })}>Classes</Button></th><td>{f.origin}→{f.destination}</td><td>{f.cabin_class}</td>
                <td>{f.sold}/{f.capacity} ({f.sellable})</td><td>{f.load_factor_percent}%</td><td>{f.bookings}</td>
                <td>{f.revenue.map((m) => formatMoney(m.amount, m.currency)).join(", ") || "—"}</td></tr>
            ))}{report.flights.length === 0 ? <tr><td colSpan={7}>No departures in this window.</td></tr> : null}</tbody>
          </table></div>
          {open ? <FlightBuckets key={open.id} api={api} flightId={open.id} number={open.number} /> : null}
        </>
      ) : null}
    </Card>
  );
}
