import { useState, type FormEvent } from "react";
import { Alert, Badge, Button, Card, Field, Select, formatLocalTime } from "@airline/ui";
import { refusal } from "../departure/refusals";
import { SCANS, fieldErrors, newScanId, nextScan, scannable, statusText, type BagDetail, type BagsApi, type ScanStatus } from "./api";

const AT_DESTINATION = new Set<ScanStatus>(["unloaded", "on_belt", "claimed"]);

/** One bag: where it is, every scan so far, and the agent's next scan of it. */
export function BagCard({ bag, bags, zones = {}, onChanged }: { bag: BagDetail; bags: BagsApi; zones?: Record<string, string>; onChanged: (b: BagDetail) => void }) {
  const tone = bag.status === "mishandled" ? "danger" : bag.status === "claimed" ? "success" : bag.status === "awaiting_payment" ? "warning" : undefined;
  return (
    <Card title={<>Bag <span className="dk-mono">{bag.tag}</span></>} aria-label={`bag ${bag.tag}`}>
      <dl className="dk-facts" data-testid="bag-facts">
        <dt>Status</dt><dd><Badge tone={tone}>{statusText(bag.status)}</Badge></dd>
        <dt>Passenger</dt><dd>{bag.passenger_name} · <span className="dk-mono">{bag.pnr}</span></dd>
        <dt>Flight</dt><dd>{bag.flight_number} {bag.origin} → {bag.destination}</dd>
        <dt>Weight</dt><dd>{bag.weight_kg} kg · {bag.length_cm}×{bag.width_cm}×{bag.height_cm} cm</dd>
      </dl>
      <h3>Tracking history</h3>
      <History bag={bag} zones={zones} />
      {scannable(bag.status) ? <RecordScan key={bag.tag} bag={bag} bags={bags} onChanged={onChanged} />
        : <p className="dk-muted">No more scans: the bag is {statusText(bag.status)}.</p>}
    </Card>
  );
}

/** Every scan, its time local to the airport where it was made (UTC where that is not known). */
function History({ bag, zones }: { bag: BagDetail; zones: Record<string, string> }) {
  if (!bag.history.length) return <p className="dk-muted">No scans yet: the bag was {bag.status === "awaiting_payment" ? "not accepted yet" : "just checked in"}.</p>;
  return (
    <div className="dk-scroll">
      <table className="ui-table" aria-label="tracking history">
        <thead><tr><th scope="col">#</th><th scope="col">Scan</th><th scope="col">Where</th><th scope="col">When (local)</th><th scope="col">By</th></tr></thead>
        <tbody>{bag.history.map((e) => (
          <tr key={e.seq}>
            <td>{e.seq}</td><td>{statusText(e.status)}</td><td>{e.place.airport} {e.place.location}</td>
            <td className="dk-mono">{formatLocalTime(e.at, zones[e.place.airport] ?? "UTC")}{zones[e.place.airport] ? "" : " UTC"}</td><td>{e.role}</td>
          </tr>
        ))}</tbody>
      </table>
    </div>
  );
}

function RecordScan({ bag, bags, onChanged }: { bag: BagDetail; bags: BagsApi; onChanged: (b: BagDetail) => void }) {
  const [status, setStatus] = useState<ScanStatus>(nextScan(bag.status) ?? "mishandled");
  const [airport, setAirport] = useState(AT_DESTINATION.has(status) ? bag.destination : bag.origin);
  const [location, setLocation] = useState("");
  const [scanId, setScanId] = useState(newScanId);
  const [errors, setErrors] = useState<Record<string, string>>({});
  const [error, setError] = useState<string | null>(null);
  const [done, setDone] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);
  const pick = (s: ScanStatus) => { setStatus(s); setAirport(AT_DESTINATION.has(s) ? bag.destination : bag.origin); setScanId(newScanId()); };

  const submit = async (e: FormEvent) => {
    e.preventDefault();
    setBusy(true); setErrors({}); setError(null); setDone(null);
    try {
      const updated = await bags.scan(bag.tag ?? "", { status, airport: airport.trim().toUpperCase(), location: location.trim(), event_id: scanId });
      setDone(`Recorded: ${statusText(status)} at ${airport.trim().toUpperCase()}${location.trim() ? ` ${location.trim()}` : ""}.`);
      setLocation("");
      const next = nextScan(updated.status);
      if (next) pick(next); else setScanId(newScanId());
      onChanged(updated);
    } catch (err) {
      const f = fieldErrors(err);
      setErrors(f);
      if (!Object.keys(f).length) setError(refusal(err));
    } finally { setBusy(false); }
  };

  return (
    <form className="ui-stack dk-cabin" aria-label="record a scan" onSubmit={submit} noValidate>
      <h3>Record a scan</h3>
      <div className="ui-row">
        <Select label="Scan" value={status} error={errors.status} onChange={(e) => pick(e.target.value as ScanStatus)}
          options={SCANS.map((s) => ({ value: s.status, label: s.status === nextScan(bag.status) ? `${s.label} (next)` : s.label }))} />
        <Field label="Airport" value={airport} maxLength={3} autoComplete="off" spellCheck={false} className="dk-mono"
          hint="3-letter code" error={errors.airport} onChange={(e) => setAirport(e.target.value)} />
        <Field label="Location" value={location} maxLength={60} autoComplete="off" hint="e.g. screening 2, X2 hold, belt 4" error={errors.location} onChange={(e) => setLocation(e.target.value)} />
      </div>
      {status === "mishandled" ? <Alert kind="warning">Recording a mishandled bag sends the passenger's contact an SMS.</Alert> : null}
      <div><Button type="submit" busy={busy}>Record {statusText(status)}</Button></div>
      {errors.event_id || errors.at ? <Alert kind="error">{errors.event_id ?? errors.at}</Alert> : null}
      {error ? <Alert kind="error">{error}</Alert> : null}
      {done ? <Alert kind="success">{done}</Alert> : null}
    </form>
  );
}
