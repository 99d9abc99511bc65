import { useCallback, useEffect, useMemo, useState } from "react";
import { Alert, Badge, Button, Card, Field, Select, formatLocalTime, type Api, type Flight } from "@airline/ui";
import { bagsApi, type Bag } from "./bags/api";
import type { FlightPassenger } from "./departure/api";
import { refusal } from "./departure/refusals";

const STATUSES: FlightPassenger["status"][] = ["booked", "checked_in", "boarded", "offloaded", "cancelled"];
const TONE: Partial<Record<FlightPassenger["status"], "success" | "warning" | "danger">> = { booked: "warning", boarded: "success", offloaded: "danger", cancelled: "danger" };
const label = (s: string) => s.replace(/_/g, " ");
// passenger ids ("P1") are the booking's own: a bag belongs to a booking's passenger
const who = (p: { booking_id: string; passenger_id: string }) => `${p.booking_id}/${p.passenger_id}`;

/** Who matches the agent's search: a name, a PNR or a seat, and the status picked. */
export function filterPassengers(list: FlightPassenger[], text: string, status: string): FlightPassenger[] {
  const q = text.trim().toUpperCase();
  return list.filter((p) => (!status || p.status === status)
    && (!q || `${p.last_name} ${p.first_name}`.toUpperCase().includes(q) || `${p.first_name} ${p.last_name}`.toUpperCase().includes(q) || p.pnr === q || p.seat.toUpperCase() === q));
}

/** The flight's passengers for the agent: everyone confirmed on it, their check-in state and their
 * bags (a tag opens the bag). The gate lists (standby, upgrades, volunteers) are under Departure. */
export function PassengersView({ api, flight, onBag, onDeparture }: { api: Api; flight: Flight; onBag: (tag: string) => void; onDeparture: () => void }) {
  const [passengers, setPassengers] = useState<FlightPassenger[] | null>(null);
  const [bags, setBags] = useState<Bag[]>([]);
  const [error, setError] = useState<string | null>(null);
  const [text, setText] = useState("");
  const [status, setStatus] = useState("");
  const load = useCallback(() => {
    setError(null);
    api.flightPassengers(flight.id).then((r) => setPassengers(r.passengers)).catch((e) => setError(refusal(e)));
    bagsApi(api).search({ flight_id: flight.id, page_size: "200" }).then((r) => setBags(r.bags)).catch(() => setBags([]));
  }, [api, flight.id]);
  useEffect(load, [load]);
  const bagsOf = useMemo(() => {
    const m = new Map<string, string[]>();
    for (const b of bags) if (b.tag) m.set(who(b), [...(m.get(who(b)) ?? []), b.tag]);
    return m;
  }, [bags]);

  if (error) {
    return (
      <Alert kind="error">
        Could not read the passengers: {error} <Button variant="secondary" onClick={() => { setPassengers(null); load(); }}>Try again</Button>
      </Alert>
    );
  }
  if (!passengers) return <p className="dk-muted">Loading the passengers…</p>;
  const shown = filterPassengers(passengers, text, status);
  const tz = flight.origin_time_zone;
  const count = (s: string) => passengers.filter((p) => p.status === s).length;
  return (
    <Card title={`Passengers · ${flight.number}`} aria-label="passengers">
      <p className="dk-muted" data-testid="passenger-counts">
        {passengers.length} confirmed: {STATUSES.map((s) => `${count(s)} ${label(s)}`).join(" · ")}.{" "}
        Standby, upgrades and volunteers are on the <a href={`#/desk/departure/${flight.id}`} onClick={(e) => { e.preventDefault(); onDeparture(); }}>departure gate lists</a>.
      </p>
      <div className="ui-row dk-actions">
        <Field label="Find a passenger" value={text} autoComplete="off" hint="Name, PNR or seat" onChange={(e) => setText(e.target.value)} />
        <Select label="Check-in status" value={status} onChange={(e) => setStatus(e.target.value)} options={[{ value: "", label: "Everyone" }, ...STATUSES.map((s) => ({ value: s, label: label(s) }))]} />
        <Button variant="secondary" onClick={load}>Refresh</Button>
      </div>
      {!shown.length ? <p className="dk-muted">{passengers.length ? "Nobody matches." : "No confirmed passengers on this flight yet."}</p> : (
        <div className="dk-scroll">
          <table className="ui-table" aria-label="flight passengers">
            <thead><tr><th scope="col">Passenger</th><th scope="col">PNR</th><th scope="col">Seat</th><th scope="col">Status</th><th scope="col">Checked in</th><th scope="col">Bags</th></tr></thead>
            <tbody>{shown.map((p) => (
              <tr key={`${p.booking_id}-${p.passenger_id}`}>
                <td>{p.last_name}/{p.first_name} <span className="dk-muted">{p.passenger_type === "adult" ? "" : p.passenger_type}</span></td>
                <td className="dk-mono">{p.pnr}</td><td className="dk-mono">{p.seat || "—"}</td>
                <td><Badge tone={TONE[p.status]}>{label(p.status)}</Badge></td>
                <td>{p.checked_in_at ? formatLocalTime(p.checked_in_at, tz) : "—"}</td>
                <td>{(bagsOf.get(who(p)) ?? []).map((t) => (
                  <a key={t} className="dk-mono dk-taglink" href={`#/desk/bags/${flight.id}/${t}`} onClick={(e) => { e.preventDefault(); onBag(t); }} aria-label={`bag ${t}`}>{t}</a>
                ))}{bagsOf.get(who(p)) ? null : "—"}</td>
              </tr>
            ))}</tbody>
          </table>
        </div>
      )}
    </Card>
  );
}
