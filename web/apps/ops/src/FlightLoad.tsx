import { useState, type FormEvent } from "react";
import { Alert, Button, Field, Select, type Api, type LoadPlan } from "@airline/ui";
import { Confirm } from "./Confirm";
import { fieldErrors } from "./workbenchRules";

type Step = "load" | "unload" | null;
const total = (items: Record<string, number>) => Object.values(items).reduce((a, b) => a + b, 0);

/** A flight's loading (inventory): load its plan from the origin's stock (all or nothing), unload
 * a flight cancelled after loading, and record what was used on board. */
export function FlightLoad({ api, plan, onChange }: { api: Api; plan: LoadPlan; onChange: (p: LoadPlan) => void }) {
  const [step, setStep] = useState<Step>(null);
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<string | null>(null);
  const [done, setDone] = useState<string | null>(null);
  const [use, setUse] = useState({ item: "", quantity: "" });
  const [errs, setErrs] = useState<Record<string, string>>({});
  const id = encodeURIComponent(plan.flight_id);
  const item = use.item || plan.loaded_items[0]?.item || "";

  const run = async (what: string, call: () => Promise<LoadPlan>) => {
    setBusy(true); setError(null); setDone(null);
    try { const p = await call(); onChange(p); setDone(what); setStep(null); return true; } catch (e) {
      const f = fieldErrors(e);
      setErrs(f); setStep(null);
      if (!Object.keys(f).length) setError((e as Error).message);
      return false;
    } finally { setBusy(false); }
  };
  const consume = async (e: FormEvent) => {
    e.preventDefault();
    const q = Number(use.quantity);
    const x: Record<string, string> = {};
    if (!item) x.item = "Choose an item";
    if (!/^\d+$/.test(use.quantity.trim()) || q < 1) x.quantity = "A whole number, 1 or more";
    setErrs(x);
    if (Object.keys(x).length) return;
    if (await run(`${q} × ${item} recorded as used on ${plan.flight_number}.`, () =>
      api.request<LoadPlan>("POST", `/flights/${id}/consumption`, { item, quantity: q }))) setUse({ item, quantity: "" });
  };
  const cancelled = plan.flight_status === "cancelled";

  return (
    <section className="op-panel" aria-label="loading">
      <h3>Loading {plan.flight_number}</h3>
      {done ? <Alert kind="success"><span data-testid="load-done">{done}</span></Alert> : null}
      {error ? <Alert kind="error">{error}</Alert> : null}
      <div className="op-actions">
        {!plan.loaded && !cancelled ? <Button disabled={busy || !total(plan.items)} onClick={() => setStep("load")}>Load the flight</Button> : null}
        {plan.loaded && (plan.needs_unload || cancelled) ? <Button variant="danger" disabled={busy} onClick={() => setStep("unload")}>Unload the flight</Button> : null}
      </div>
      {!plan.loaded && !total(plan.items) ? <p className="op-muted">Nothing to load yet: the plan has no items (no passenger booked).</p> : null}
      {step === "load" ? (
        <Confirm label="confirm loading" yes={`Yes, load ${total(plan.items)} items`} busy={busy} onNo={() => setStep(null)}
          onYes={() => run(`${plan.flight_number} is loaded.`, () => api.request<LoadPlan>("POST", `/flights/${id}/load`))}>
          Take <strong>{total(plan.items)} items</strong> (plan v{plan.version}) from the stock at <strong>{plan.origin}</strong> for flight <strong>{plan.flight_number}</strong>? All or nothing: a short item stops the whole load.
        </Confirm>
      ) : null}
      {step === "unload" ? (
        <Confirm label="confirm unloading" yes="Yes, unload" busy={busy} onNo={() => setStep(null)}
          onYes={() => run(`${plan.flight_number} is unloaded; unused items are back in stock.`, () => api.request<LoadPlan>("POST", `/flights/${id}/unload`))}>
          Unload flight <strong>{plan.flight_number}</strong> and put its unused items back in the stock at <strong>{plan.origin}</strong>?
        </Confirm>
      ) : null}
      {plan.loaded ? (
        <>
          <div className="op-scroll"><table className="ui-table" aria-label="loaded items">
            <thead><tr><th scope="col">Item</th><th scope="col">Loaded</th><th scope="col">Used</th><th scope="col">Plan now</th></tr></thead>
            <tbody>{plan.loaded_items.map((l) => (
              <tr key={l.item}><th scope="row">{l.item}</th><td>{l.loaded}</td><td>{l.consumed}</td>
                <td>{plan.delta[l.item] ? `${plan.delta[l.item] > 0 ? "+" : ""}${plan.delta[l.item]}` : "as loaded"}</td></tr>
            ))}{plan.loaded_items.length ? null : <tr><td colSpan={4}>Nothing was loaded.</td></tr>}</tbody>
          </table></div>
          {plan.loaded_items.length ? (
            <form onSubmit={consume} className="op-grid" aria-label="record consumption" noValidate>
              <Select label="Item used" value={item} error={errs.item} onChange={(e) => setUse({ ...use, item: e.target.value })}
                options={plan.loaded_items.map((l) => ({ value: l.item, label: l.item }))} />
              <Field label="Quantity used" inputMode="numeric" value={use.quantity} error={errs.quantity} onChange={(e) => setUse({ ...use, quantity: e.target.value })} />
              <div className="op-end"><Button type="submit" variant="secondary" busy={busy}>Record consumption</Button></div>
            </form>
          ) : null}
        </>
      ) : null}
    </section>
  );
}
