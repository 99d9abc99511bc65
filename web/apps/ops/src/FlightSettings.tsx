import { useEffect, useState, type FormEvent } from "react";
import { Alert, Button, Card, Field, Select, type Api } from "@airline/ui";
import type { Reference } from "./data";
import { FlightBuckets } from "./Revenue";
import { CABINS, bucketForm, bucketsRequest, options, showUpBasisPoints, type BucketForm, type CabinBucketsOut } from "./adminRules";
import { FlightPicker, Outcome, useSave } from "./editing";
import type { OpsFlight } from "./types";

/** One departure's revenue settings: overbooking per cabin (a percentage, or sized from a
 * show-up rate) and the cabin's booking classes. */
export function FlightSettings({ api, rd }: { api: Api; rd: Reference }) {
  const [flight, setFlight] = useState<OpsFlight | null>(null);
  const [version, setVersion] = useState(0);
  return (
    <Card title="A flight's booking classes and overbooking" aria-label="flight revenue settings">
      <FlightPicker api={api} rd={rd} flight={flight} onPick={setFlight} />
      {flight ? (
        <>
          <div className="op-scroll"><table className="ui-table" aria-label={`cabins of ${flight.number}`}>
            <thead><tr><th scope="col">Cabin</th><th scope="col">Seats</th><th scope="col">Sold</th><th scope="col">Overbooking</th><th scope="col">Sellable left</th></tr></thead>
            <tbody>{(flight.seats ?? []).map((c) => (
              <tr key={c.cabin_class} data-cabin={c.cabin_class}><th scope="row">{c.cabin_class}</th><td>{c.capacity}</td><td>{c.sold}</td>
                <td data-testid={`overbooking-${c.cabin_class}`}>{c.overbooking_percent ?? 0} %</td><td>{c.seats_left ?? c.available}</td></tr>
            ))}{(flight.seats ?? []).length === 0 ? <tr><td colSpan={5}>No cabins on this flight.</td></tr> : null}</tbody>
          </table></div>
          <div className="op-grid">
            <Overbooking key={`o-${flight.id}`} api={api} flight={flight} onSaved={setFlight} />
            <ShowUpRate key={`s-${flight.id}`} api={api} flight={flight} onSaved={setFlight} />
          </div>
          <BucketEditor key={`b-${flight.id}`} api={api} flight={flight} onSaved={() => setVersion((v) => v + 1)} />
          <FlightBuckets key={`v-${flight.id}-${version}`} api={api} flightId={flight.id} number={flight.number} />
        </>
      ) : <p className="op-muted">Choose a departure to set its overbooking and booking classes.</p>}
    </Card>
  );
}

function Overbooking({ api, flight, onSaved }: { api: Api; flight: OpsFlight; onSaved: (f: OpsFlight) => void }) {
  const [cabin, setCabin] = useState("normal");
  const [percent, setPercent] = useState(() => String(flight.seats?.find((c) => c.cabin_class === "normal")?.overbooking_percent ?? 0));
  const save = useSave(["percent"]);
  const submit = (e: FormEvent) => {
    e.preventDefault();
    const ok = /^\d{1,2}$/.test(percent.trim()) && Number(percent) <= 20;
    void save.run(ok ? {} : { percent: "A whole percentage from 0 to 20" }, async () => {
      // route-coverage: PUT /flights/{flight_id}/cabins/{cabin_class}/overbooking
      const f = await api.request<OpsFlight>("PUT", `/flights/${encodeURIComponent(flight.id)}/cabins/${cabin}/overbooking`, { percent: Number(percent) });
      onSaved(f);
      return `${f.number} ${cabin} now sells up to ${percent} % over its seats.`;
    });
  };
  return (
    <form onSubmit={submit} aria-label="overbooking" className="ui-stack op-panel" noValidate>
      <h3>Overbooking</h3>
      <Select label="Overbooking cabin" value={cabin} options={options(CABINS)} onChange={(e) => setCabin(e.target.value)} />
      <Field label="Overbooking (%)" inputMode="numeric" value={percent} onChange={(e) => { setPercent(e.target.value); save.clear("percent"); }} error={save.errors.percent} hint="0 to 20 % over the cabin's seats" />
      <Outcome error={save.error} done={save.done} label="overbooking" />
      <div><Button type="submit" busy={save.busy}>Set overbooking</Button></div>
    </form>
  );
}

function ShowUpRate({ api, flight, onSaved }: { api: Api; flight: OpsFlight; onSaved: (f: OpsFlight) => void }) {
  const [cabin, setCabin] = useState("normal");
  const [rate, setRate] = useState("95");
  const save = useSave(["show_up_rate_bp"]);
  const submit = (e: FormEvent) => {
    e.preventDefault();
    const bp = showUpBasisPoints(rate);
    void save.run(bp === null ? { show_up_rate_bp: "A share from 50 to 100 % (one decimal)" } : {}, async () => {
      // route-coverage: PUT /flights/{flight_id}/cabins/{cabin_class}/show-up-rate
      const f = await api.request<OpsFlight>("PUT", `/flights/${encodeURIComponent(flight.id)}/cabins/${cabin}/show-up-rate`, { show_up_rate_bp: bp });
      onSaved(f);
      const c = f.seats?.find((s) => s.cabin_class === cabin);
      return `${f.number} ${cabin}: ${rate} % expected at the gate, so it sells ${c ? c.capacity + Math.floor((c.capacity * (c.overbooking_percent ?? 0)) / 100) : "its"} seats or so.`;
    });
  };
  return (
    <form onSubmit={submit} aria-label="show-up rate" className="ui-stack op-panel" noValidate>
      <h3>Show-up rate</h3>
      <Select label="Show-up cabin" value={cabin} options={options(CABINS)} onChange={(e) => setCabin(e.target.value)} />
      <Field label="Show-up rate (%)" inputMode="decimal" value={rate} onChange={(e) => { setRate(e.target.value); save.clear("show_up_rate_bp"); }} error={save.errors.show_up_rate_bp}
        hint="sizes the overbooking (capped at 20 %); setting a percentage clears it" />
      <Outcome error={save.error} done={save.done} label="show-up" />
      <div><Button type="submit" busy={save.busy}>Set show-up rate</Button></div>
    </form>
  );
}

const newRow = (): BucketForm => ({ code: "", adult: "", child: "", infant: "", authorised: "0", open: true, load: "0", days: "0" });

/** A cabin's booking classes, dearest first: edit, add or drop rows, then save them all. */
function BucketEditor({ api, flight, onSaved }: { api: Api; flight: OpsFlight; onSaved: () => void }) {
  const [cabin, setCabin] = useState("normal");
  const [rows, setRows] = useState<BucketForm[] | null>(null);
  const [currency, setCurrency] = useState("SGD");
  const [loadError, setLoadError] = useState<string | null>(null);
  const save = useSave([]);
  useEffect(() => {
    setRows(null);
    api.request<{ cabins: CabinBucketsOut[] }>("GET", `/flights/${encodeURIComponent(flight.id)}/fares/buckets`)
      .then((r) => {
        const c = r.cabins.find((x) => x.cabin_class === cabin);
        setRows((c?.buckets ?? []).map(bucketForm));
        if (c?.buckets[0]) setCurrency(c.buckets[0].currency);
      }).catch((e: Error) => setLoadError(e.message));
  }, [api, flight.id, cabin]);
  const set = (i: number, k: keyof BucketForm, v: string | boolean) => setRows((rs) => (rs ?? []).map((r, j) => (j === i ? { ...r, [k]: v } : r)));
  const submit = (e: FormEvent) => {
    e.preventDefault();
    const { errors, buckets } = bucketsRequest(rows ?? [], currency);
    void save.run(errors, async () => {
      // route-coverage: PUT /flights/{flight_id}/fares/buckets
      await api.request("PUT", `/flights/${encodeURIComponent(flight.id)}/fares/buckets`, { cabin_class: cabin, buckets });
      onSaved();
      return buckets!.length ? `Saved ${buckets!.length} booking classes on ${flight.number} ${cabin}.` : `${flight.number} ${cabin} sells at the route's fares again.`;
    });
  };
  const cell = (i: number, k: keyof BucketForm, label: string) => (
    <td>
      <input aria-label={`${label}, row ${i + 1}`} value={String(rows![i][k])} size={k === "code" ? 2 : 7} style={{ minWidth: 0 }}
        aria-invalid={save.errors[`${i}.${k}`] ? true : undefined} aria-describedby={save.errors[`${i}.${k}`] ? `bucket-${i}-${k}` : undefined}
        onChange={(e) => { set(i, k, e.target.value); save.clear(`${i}.${k}`); }} />
      {save.errors[`${i}.${k}`] ? <span id={`bucket-${i}-${k}`} className="ui-error" role="alert">{save.errors[`${i}.${k}`]}</span> : null}
    </td>
  );
  return (
    <form onSubmit={submit} aria-label="booking classes" className="ui-stack op-panel" noValidate>
      <h3>Booking classes of {flight.number}</h3>
      <div className="op-grid">
        <Select label="Classes cabin" value={cabin} options={options(CABINS)} onChange={(e) => setCabin(e.target.value)} />
        <Field label="Classes currency" value={currency} maxLength={3} onChange={(e) => setCurrency(e.target.value)} error={save.errors.currency} />
      </div>
      {loadError ? <Alert kind="error">{loadError}</Alert> : null}
      {rows === null ? <p className="op-muted">Loading…</p> : rows.length === 0 ? <p className="op-muted">No booking classes: the route's fares apply. Add a class to sell in classes.</p> : (
        <div className="op-scroll"><table className="ui-table" aria-label="edit booking classes">
          <thead><tr><th scope="col">Class</th><th scope="col">Adult</th><th scope="col">Child</th><th scope="col">Infant</th><th scope="col">Authorised</th>
            <th scope="col">Close at load %</th><th scope="col">Close days before</th><th scope="col">Open</th><th scope="col">Drop</th></tr></thead>
          <tbody>{rows.map((r, i) => (
            <tr key={i}>
              {cell(i, "code", "Class")}{cell(i, "adult", "Adult fare")}{cell(i, "child", "Child fare")}{cell(i, "infant", "Infant fare")}
              {cell(i, "authorised", "Authorised")}{cell(i, "load", "Close at load %")}{cell(i, "days", "Close days before")}
              <td><label><input type="checkbox" checked={r.open} onChange={(e) => set(i, "open", e.target.checked)} /> <span className="ui-sr">open, row {i + 1}</span></label></td>
              <td><Button type="button" variant="secondary" aria-label={`drop class ${r.code || i + 1}`} onClick={() => setRows(rows.filter((_, j) => j !== i))}>Drop</Button></td>
            </tr>
          ))}</tbody>
        </table></div>
      )}
      <p className="op-muted">Dearest first; each class may sell at most as many seats as the one above (nested).</p>
      <Outcome error={save.error} done={save.done} label="classes" />
      <div className="op-buttons">
        <Button type="button" variant="secondary" disabled={rows === null || rows.length >= 26} onClick={() => setRows([...(rows ?? []), newRow()])}>Add a class</Button>
        <Button type="submit" busy={save.busy} disabled={rows === null}>Save classes</Button>
      </div>
    </form>
  );
}
