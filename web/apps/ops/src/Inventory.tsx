import { useCallback, useEffect, useState, type FormEvent } from "react";
import { Alert, Badge, Button, Card, Field, Select, formatLocalTime, type Api, type components } from "@airline/ui";
import { departures, qs, type Reference } from "./data";
import { FlightLoad } from "./FlightLoad";
import { InventoryItems, type Item } from "./InventoryItems";
import { AirportDay, useAsync } from "./panels";
import type { LoadPlan, OpsFlight, StockLine } from "./types";
import { todayIn } from "./time";
import { fieldErrors, historyTime } from "./workbenchRules";

type StockAlert = components["schemas"]["Alert"];
type Target = { airport: string; item: string };

/** Restock a line or set its low-stock threshold: the airport and item, then either number. */
function AdjustStock({ api, rd, items, target, setTarget, onDone }: {
  api: Api; rd: Reference; items: Item[]; target: Target; setTarget: (t: Target) => void; onDone: (line: StockLine, what: string) => void;
}) {
  const [quantity, setQuantity] = useState("");
  const [threshold, setThreshold] = useState("");
  const [errs, setErrs] = useState<Record<string, string>>({});
  const [error, setError] = useState<string | null>(null);
  const [busy, setBusy] = useState<string | null>(null);
  const line = `/inventory/stock/${encodeURIComponent(target.airport)}/${encodeURIComponent(target.item)}`;
  const send = async (what: "restock" | "threshold", value: string, min: number) => {
    setError(null);
    const n = Number(value);
    const field = what === "restock" ? "quantity" : "threshold";
    if (!target.item) return setErrs({ item: "Choose an item" });
    if (!/^\d+$/.test(value.trim()) || n < min) return setErrs({ [field]: `A whole number, ${min} or more` });
    setErrs({}); setBusy(what);
    try {
      const out = what === "restock"
        ? await api.request<StockLine>("POST", `${line}/restock`, { quantity: n }) // route-coverage: POST /inventory/stock/{airport}/{item}/restock
        : await api.request<StockLine>("PUT", `${line}/threshold`, { threshold: n }); // route-coverage: PUT /inventory/stock/{airport}/{item}/threshold
      onDone(out, what === "restock" ? `Restocked ${n} × ${out.item} at ${out.airport}: ${out.quantity} in stock.` : `Threshold of ${out.item} at ${out.airport} set to ${out.threshold}.`);
      if (what === "restock") setQuantity(""); else setThreshold("");
    } catch (e) {
      const f = fieldErrors(e);
      setErrs(f);
      if (!Object.keys(f).length) setError((e as Error).message);
    } finally { setBusy(null); }
  };
  const submit = (what: "restock" | "threshold") => (e: FormEvent) => { e.preventDefault(); void send(what, what === "restock" ? quantity : threshold, what === "restock" ? 1 : 0); };
  return (
    <Card title="Restock or set a threshold" aria-label="adjust stock">
      <div className="op-grid">
        <Select label="Stock airport" value={target.airport} error={errs.airport} onChange={(e) => setTarget({ ...target, airport: e.target.value })}
          options={rd.airports.map((a) => ({ value: a.code, label: `${a.code} · ${a.city || a.name}` }))} />
        <Select label="Stock item" value={target.item} error={errs.item} onChange={(e) => setTarget({ ...target, item: e.target.value })}
          options={[{ value: "", label: "Choose…" }, ...items.map((i) => ({ value: i.code, label: `${i.code} · ${i.name}` }))]} />
      </div>
      <div className="op-grid">
        <form onSubmit={submit("restock")} className="ui-stack" aria-label="restock" noValidate>
          <Field label="Quantity to add" inputMode="numeric" value={quantity} error={errs.quantity} onChange={(e) => setQuantity(e.target.value)} />
          <Button type="submit" busy={busy === "restock"}>Restock</Button>
        </form>
        <form onSubmit={submit("threshold")} className="ui-stack" aria-label="threshold" noValidate>
          <Field label="Low-stock threshold" inputMode="numeric" value={threshold} error={errs.threshold} onChange={(e) => setThreshold(e.target.value)} />
          <Button type="submit" variant="secondary" busy={busy === "threshold"}>Set threshold</Button>
        </form>
      </div>
      {error ? <Alert kind="error">{error}</Alert> : null}
    </Card>
  );
}

/** The inventory console: low-stock alerts, stock per airport (restock, thresholds), the item
 * catalogue, and each departure's load plan with its loading, unloading and consumption. */
export function Inventory({ api, rd }: { api: Api; rd: Reference }) {
  const [round, setRound] = useState(0); // a change to the stock reloads the stock and the alerts
  const [stockAirport, setStockAirport] = useState("");
  const [resolved, setResolved] = useState(false);
  const stock = useAsync(() => api.request<{ stock: StockLine[] }>("GET", `/inventory/stock?${qs({ airport: stockAirport })}`), [api, stockAirport, round]);
  const alerts = useAsync(() => api.request<{ alerts: StockAlert[] }>("GET", `/inventory/alerts?${qs({ include_resolved: resolved ? "true" : undefined })}`), [api, resolved, round]);
  const [items, setItems] = useState<Item[] | null>(null);
  const [itemsError, setItemsError] = useState<string | null>(null);
  useEffect(() => { api.request<{ items: Item[] }>("GET", "/inventory/items").then((r) => setItems(r.items)).catch((e: Error) => setItemsError(e.message)); }, [api]);
  const [target, setTarget] = useState<Target>({ airport: "XSP", item: "" });
  const [done, setDone] = useState<string | null>(null);
  const adjust = useCallback((t: Target) => { setTarget(t); setDone(null); document.getElementById("adjust-stock")?.scrollIntoView?.({ block: "center" }); }, []);

  const [airport, setAirport] = useState("XSP");
  const tz = rd.zones[airport] ?? "UTC";
  const [date, setDate] = useState(() => todayIn(tz));
  const day = useAsync(() => departures(api, airport, date, tz), [api, airport, date, tz]);
  const [flightId, setFlightId] = useState("");
  const [plan, setPlan] = useState<LoadPlan | null>(null);
  const [planError, setPlanError] = useState<string | null>(null);
  useEffect(() => {
    setPlan(null); setPlanError(null);
    if (flightId) api.request<LoadPlan>("GET", `/flights/${encodeURIComponent(flightId)}/load-plan`).then(setPlan).catch((e: Error) => setPlanError(e.message));
  }, [api, flightId]);

  const open = alerts.data?.alerts ?? [];
  return (
    <>
      <Card title="Low-stock alerts">
        <label><input type="checkbox" checked={resolved} onChange={(e) => setResolved(e.target.checked)} /> Show resolved alerts too</label>
        {alerts.error ? <Alert kind="error">{alerts.error}</Alert> : null}
        {alerts.data === null ? (alerts.error ? null : <p className="op-muted">Loading the alerts…</p>) : open.length ? (
          <div className="op-scroll"><table className="ui-table" aria-label="alerts">
            <thead><tr><th scope="col">Airport</th><th scope="col">Item</th><th scope="col">Stock when raised</th><th scope="col">Threshold</th><th scope="col">Raised</th><th scope="col">State</th></tr></thead>
            <tbody>{open.map((a) => (
              <tr key={a.id} data-testid="stock-alert" data-item={a.item}><th scope="row">{a.airport}</th><td>{a.item}</td><td>{a.quantity}</td><td>{a.threshold}</td>
                <td>{a.created_at ? historyTime(a.created_at) : "—"}</td>
                <td>{a.resolved_at ? <Badge tone="success">resolved</Badge> : (
                  <Button variant="secondary" onClick={() => adjust({ airport: a.airport, item: a.item })} aria-label={`Restock ${a.item} at ${a.airport}`}>Restock</Button>
                )}</td></tr>
            ))}</tbody>
          </table></div>
        ) : <p className="op-muted" data-testid="no-alerts">No {resolved ? "" : "open "}alert: every stock line is at or above its threshold.</p>}
      </Card>

      <div id="adjust-stock">
        {done ? <Alert kind="success"><span data-testid="stock-done">{done}</span></Alert> : null}
        {itemsError ? <Alert kind="error">{itemsError}</Alert> : null}
        <AdjustStock api={api} rd={rd} items={items ?? []} target={target} setTarget={setTarget}
          onDone={(_, what) => { setDone(what); setRound((r) => r + 1); }} />
      </div>

      <Card title="Stock">
        <Select label="Airport shown" value={stockAirport} onChange={(e) => setStockAirport(e.target.value)}
          options={[{ value: "", label: "All airports" }, ...rd.airports.map((a) => ({ value: a.code, label: `${a.code} · ${a.city || a.name}` }))]} />
        {stock.error ? <Alert kind="error">{stock.error}</Alert> : null}
        {stock.data === null ? (stock.error ? null : <p className="op-muted">Loading the stock…</p>) : stock.data.stock.length ? (
          <div className="op-scroll"><table className="ui-table" aria-label="stock">
            <thead><tr><th scope="col">Airport</th><th scope="col">Item</th><th scope="col">Quantity</th><th scope="col">Threshold</th><th scope="col">Level</th><th scope="col">Change</th></tr></thead>
            <tbody>{stock.data.stock.map((s) => (
              <tr key={`${s.airport}${s.item}`} data-testid="stock-line" data-item={s.item}><th scope="row">{s.airport}</th><td>{s.item}</td><td>{s.quantity}</td><td>{s.threshold}</td>
                <td>{s.low ? <Badge tone="danger">low</Badge> : <Badge tone="success">ok</Badge>}</td>
                <td><Button variant="ghost" onClick={() => adjust({ airport: s.airport, item: s.item })} aria-label={`Adjust ${s.item} at ${s.airport}`}>Adjust</Button></td></tr>
            ))}</tbody>
          </table></div>
        ) : <p className="op-muted">No stock {stockAirport ? `at ${stockAirport} ` : ""}yet: restock an item to start a line.</p>}
      </Card>

      <Card title="Load plans">
        <AirportDay rd={rd} airport={airport} setAirport={setAirport} date={date} setDate={setDate} />
        {day.error ? <Alert kind="error">{day.error}</Alert> : null}
        {day.data && !day.data.length ? <p className="op-muted">No departures from {airport} this day.</p> : (
          <Select label="Flight" value={flightId} onChange={(e) => setFlightId(e.target.value)}
            options={[{ value: "", label: "Choose…" }, ...(day.data ?? []).map((f: OpsFlight) => ({ value: f.id, label: `${f.number} ${formatLocalTime(f.scheduled_departure, tz)} → ${f.destination}` }))]} />
        )}
        {planError ? <Alert kind="error">{planError}</Alert> : null}
        {plan ? (
          <div aria-label="load plan" role="region">
            <p>Plan v{plan.version} · buffer {plan.buffer_percent}% · {plan.loaded ? "loaded" : "not loaded yet"}{plan.needs_unload ? " · needs unloading" : ""}</p>
            {Object.keys(plan.items).length ? (
              <table className="ui-table" aria-label="items to load"><thead><tr><th scope="col">Item</th><th scope="col">Quantity</th></tr></thead>
                <tbody>{Object.entries(plan.items).map(([k, v]) => <tr key={k}><th scope="row">{k}</th><td>{v}</td></tr>)}</tbody></table>
            ) : <p className="op-muted">No item to load: nobody is booked on this flight yet.</p>}
            <FlightLoad key={plan.flight_id} api={api} plan={plan} onChange={(p) => { setPlan(p); setRound((r) => r + 1); }} />
          </div>
        ) : null}
      </Card>

      <InventoryItems api={api} items={items} onCreated={(i) => setItems((l) => [...(l ?? []), i])} />
    </>
  );
}
