import { useCallback, useEffect, useState } from "react";
import { Alert, Badge, Button, Card, formatLocalTime, type Api, type Flight, type Manifest, type NoShows } from "@airline/ui";
import { message } from "./desk";

// ------------------------------------------------------------------ after the gate closes

export function NoShowsView({ api, flight }: { api: Api; flight: Flight }) {
  const [data, setData] = useState<NoShows | null>(null);
  const [error, setError] = useState<string | null>(null);
  useEffect(() => { api.noShows(flight.id).then(setData).catch((e) => setError(message(e))); }, [api, flight.id]);
  if (error) return <Alert kind="warning">{error}</Alert>;
  if (!data) return <p className="dk-muted">Loading…</p>;
  const table = (title: string, rows: NoShows["not_checked_in"]) => (
    <Card title={`${title} (${rows.length})`} aria-label={title}>
      {rows.length ? (
        <div className="ui-scroll"><table className="ui-table">
          <thead><tr><th>Name</th><th>PNR</th><th>Seat</th><th>Type</th></tr></thead>
          <tbody>{rows.map((p) => <tr key={`${p.booking_id}-${p.passenger_id}`}><td>{p.last_name}/{p.first_name}</td><td className="dk-mono">{p.pnr}</td><td className="dk-mono">{p.seat || "—"}</td><td>{p.passenger_type}</td></tr>)}</tbody>
        </table></div>
      ) : <p className="dk-muted">Nobody.</p>}
    </Card>
  );
  return (
    <div className="ui-stack" aria-label="no-shows">
      <Alert>Gate closed at {formatLocalTime(data.gate_closed_at, flight.origin_time_zone)}.</Alert>
      {table("Checked in, did not board", data.checked_in_not_boarded)}
      {table("Never checked in", data.not_checked_in)}
    </div>
  );
}

/** The flight's accepted bags; a tag opens the bag's tracking (history and scans). */
export function ManifestView({ api, flight, onBag }: { api: Api; flight: Flight; onBag?: (tag: string) => void }) {
  const [m, setM] = useState<Manifest | null>(null);
  const [error, setError] = useState<string | null>(null);
  const load = useCallback(() => { setError(null); api.manifest(flight.id).then(setM).catch((e) => setError(message(e))); }, [api, flight.id]);
  useEffect(load, [load]);
  if (error) return <Alert kind="error">{error}</Alert>;
  if (!m) return <p className="dk-muted">Loading…</p>;
  const notLoaded = new Set(m.not_loaded);
  return (
    <Card title={`Baggage manifest · ${m.flight_number} · ${m.plane_registration || m.plane_id}`} aria-label="baggage manifest">
      <dl className="dk-facts">
        <dt>Bags</dt><dd data-testid="manifest-count">{m.count}</dd>
        <dt>Total weight</dt><dd data-testid="manifest-weight">{m.total_weight_kg.toFixed(1)} kg</dd>
        <dt>Not loaded</dt><dd data-testid="manifest-not-loaded">{m.not_loaded.length ? <Badge tone="warning">{m.not_loaded.length}</Badge> : <Badge tone="success">all in the hold</Badge>}</dd>
      </dl>
      {m.bags.length ? (
        <div className="ui-scroll"><table className="ui-table" aria-label="bags">
          <thead><tr><th>Tag</th><th>Passenger</th><th>PNR</th><th>Weight</th><th>Status</th></tr></thead>
          <tbody>{m.bags.map((b) => (
            <tr key={b.bag_id}><td className="dk-mono">{onBag ? <a href={`#/desk/bags/${flight.id}/${b.tag}`} className="dk-taglink" onClick={(e) => { e.preventDefault(); onBag(b.tag); }}>{b.tag}</a> : b.tag}</td><td>{b.passenger_name}</td><td className="dk-mono">{b.pnr}</td><td>{(b.weight_g / 1000).toFixed(1)} kg</td>
              <td>{notLoaded.has(b.tag) ? <Badge tone="warning">{b.status} · not loaded</Badge> : <Badge tone="success">{b.status}</Badge>}</td></tr>
          ))}</tbody>
        </table></div>
      ) : <p className="dk-muted">No bags accepted yet.</p>}
      <Button variant="secondary" onClick={load}>Refresh</Button>
    </Card>
  );
}
