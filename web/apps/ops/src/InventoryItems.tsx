import { useState, type FormEvent } from "react";
import { Alert, Button, Card, Field, Select, type Api, type components } from "@airline/ui";
import { fieldErrors } from "./workbenchRules";

export type Item = components["schemas"]["Item"];
type Kind = components["schemas"]["ItemIn"]["kind"];
export const KINDS: Kind[] = ["meal", "special_meal", "beverage", "entertainment", "amenity"];
export const ITEM_CODE = /^[a-z0-9][a-z0-9-]{0,39}$/;

/** The item catalogue (GET /inventory/items) and a new item (POST /inventory/items). */
export function InventoryItems({ api, items, onCreated }: { api: Api; items: Item[] | null; onCreated: (i: Item) => void }) {
  const [form, setForm] = useState<{ code: string; name: string; kind: Kind }>({ code: "", name: "", kind: "meal" });
  const [errs, setErrs] = useState<Record<string, string>>({});
  const [error, setError] = useState<string | null>(null);
  const [done, setDone] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);
  const add = async (e: FormEvent) => {
    e.preventDefault(); setError(null); setDone(null);
    const body = { code: form.code.trim(), name: form.name.trim(), kind: form.kind };
    const x: Record<string, string> = {};
    if (!ITEM_CODE.test(body.code)) x.code = "Lower-case letters, digits and dashes, up to 40 (e.g. meal-vegan)";
    if (!body.name) x.name = "Name the item";
    setErrs(x);
    if (Object.keys(x).length) return;
    setBusy(true);
    try {
      const made = await api.request<Item>("POST", "/inventory/items", body);
      onCreated(made); setDone(`Item ${made.code} added to the catalogue.`); setForm({ code: "", name: "", kind: form.kind });
    } catch (err) {
      const f = fieldErrors(err);
      if ((err as { code?: string }).code === "already_exists") f.code = (err as Error).message;
      setErrs(f);
      if (!Object.keys(f).length) setError((err as Error).message);
    } finally { setBusy(false); }
  };
  return (
    <Card title="Item catalogue">
      {items === null ? <p className="op-muted">Loading the catalogue…</p> : items.length ? (
        <div className="op-scroll"><table className="ui-table" aria-label="items">
          <thead><tr><th scope="col">Code</th><th scope="col">Name</th><th scope="col">Kind</th></tr></thead>
          <tbody>{items.map((i) => <tr key={i.code}><th scope="row" className="op-mono">{i.code}</th><td>{i.name}</td><td>{i.kind.replace(/_/g, " ")}</td></tr>)}</tbody>
        </table></div>
      ) : <p className="op-muted">The catalogue is empty: add the first item below.</p>}
      <form onSubmit={add} className="ui-stack" aria-label="new item" noValidate>
        <h3>New item</h3>
        <div className="op-grid">
          <Field label="Item code" value={form.code} maxLength={40} error={errs.code} onChange={(e) => setForm({ ...form, code: e.target.value })} />
          <Field label="Item name" value={form.name} maxLength={120} error={errs.name} onChange={(e) => setForm({ ...form, name: e.target.value })} />
          <Select label="Kind" value={form.kind} error={errs.kind} onChange={(e) => setForm({ ...form, kind: e.target.value as Kind })}
            options={KINDS.map((k) => ({ value: k, label: k.replace(/_/g, " ") }))} />
          <div className="op-end"><Button type="submit" busy={busy}>Add item</Button></div>
        </div>
      </form>
      {done ? <Alert kind="success">{done}</Alert> : null}
      {error ? <Alert kind="error">{error}</Alert> : null}
    </Card>
  );
}
