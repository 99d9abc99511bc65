import { useEffect, useState, type FormEvent } from "react";
import { Alert, Button, Card, Field, Select, type Flight } from "@airline/ui";
import { refusal } from "../departure/refusals";
import { fieldErrors, statusText, type BagsApi, type Found } from "./api";

const STATUSES = ["checked_in", "awaiting_payment", "screened", "loaded", "unloaded", "on_belt", "claimed", "mishandled", "withdrawn", "rerouted"];

type Errors = Record<string, string>;

/** Find bags: a tag opens that bag; a last-name prefix, a status and this flight list the matches;
 * a booking's PNR with a passenger's last name lists that booking's bags. */
export function BagSearch({ bags, flight, onTag, onResults }: {
  bags: BagsApi; flight: Flight | null; onTag: (tag: string) => Promise<unknown>; onResults: (r: Found) => void;
}) {
  const [tag, setTag] = useState("");
  const [name, setName] = useState("");
  const [status, setStatus] = useState("");
  const [onlyFlight, setOnlyFlight] = useState(!!flight);
  useEffect(() => setOnlyFlight(!!flight), [flight?.id]); // eslint-disable-line react-hooks/exhaustive-deps
  const [pnr, setPnr] = useState("");
  const [lastName, setLastName] = useState("");
  const [errors, setErrors] = useState<Errors>({});
  const [error, setError] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);

  const run = async (call: () => Promise<unknown>) => {
    setBusy(true); setErrors({}); setError(null);
    try { await call(); }
    catch (e) { const f = fieldErrors(e); setErrors(f); if (!Object.keys(f).length) setError(refusal(e)); }
    finally { setBusy(false); }
  };
  const search = (e: FormEvent) => {
    e.preventDefault();
    if (tag.trim()) return run(() => onTag(tag.trim()));
    const flightId = onlyFlight && flight ? flight.id : undefined;
    if (!name.trim() && !status && !flightId) return setErrors({ name: "Type a tag, a last name, or pick a status or this flight" });
    return run(async () => {
      const q = { name, status, flight_id: flightId };
      const r = await bags.search(q);
      onResults({ bags: r.bags, what: [name && `name ${name}`, status && statusText(status), flightId && flight?.number].filter(Boolean).join(" · "),
        more: r.next_page_token ? { ...q, page_token: r.next_page_token } : null });
    });
  };
  const lookup = (e: FormEvent) => {
    e.preventDefault();
    const missing: Errors = {};
    if (!pnr.trim()) missing.pnr = "Type the booking's 6-character PNR";
    if (!lastName.trim()) missing.last_name = "Type a passenger's last name";
    if (Object.keys(missing).length) return setErrors(missing);
    return run(async () => { const r = await bags.lookup(pnr, lastName); onResults({ bags: r.bags, what: `booking ${pnr.toUpperCase()}`, more: null }); });
  };

  return (
    <Card title="Find a bag" aria-label="find a bag">
      <form className="ui-stack" aria-label="bag search" onSubmit={search} noValidate>
        <div className="ui-row">
          <Field label="Bag tag" value={tag} inputMode="numeric" autoComplete="off" spellCheck={false} className="dk-mono"
            hint="The 10-digit number under the barcode (a scanner types it and Enter)" error={errors.tag} onChange={(e) => setTag(e.target.value)} />
          <Field label="Passenger last name" value={name} autoComplete="off" hint="The start of it is enough" error={errors.name} onChange={(e) => setName(e.target.value)} />
          <Select label="Bag status" value={status} error={errors.status} onChange={(e) => setStatus(e.target.value)}
            options={[{ value: "", label: "Any status" }, ...STATUSES.map((s) => ({ value: s, label: statusText(s) }))]} />
        </div>
        {flight ? (
          <label className="dk-check"><input type="checkbox" checked={onlyFlight} onChange={(e) => setOnlyFlight(e.target.checked)} /> Only flight {flight.number}</label>
        ) : null}
        <div><Button type="submit" busy={busy}>Search bags</Button></div>
      </form>
      <form className="ui-stack dk-cabin" aria-label="booking bags" onSubmit={lookup} noValidate>
        <h3>A booking's bags</h3>
        <div className="ui-row">
          <Field label="Booking reference (PNR)" value={pnr} maxLength={6} autoComplete="off" spellCheck={false} error={errors.pnr} onChange={(e) => setPnr(e.target.value)} />
          <Field label="Last name on the booking" value={lastName} autoComplete="off" error={errors.last_name} onChange={(e) => setLastName(e.target.value)} />
        </div>
        <div><Button type="submit" variant="secondary" busy={busy}>Find the booking's bags</Button></div>
      </form>
      {error ? <Alert kind="error">{error}</Alert> : null}
    </Card>
  );
}
