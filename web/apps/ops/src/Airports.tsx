import { useEffect, useState, type FormEvent } from "react";
import { Alert, Badge, Button, Card, Field, Select, type Api } from "@airline/ui";
import { errorAt, otherErrors, useSend, type FieldErrors } from "./forms";
import { useAsync } from "./panels";
import type { Reference } from "./data";
import type { AirportIn, AirportInfo, AirportPatch, Gate } from "./types";

const TEXT = ["name", "city", "country", "time_zone", "latitude", "longitude"] as const;
type Draft = Record<"code" | (typeof TEXT)[number], string>;
const LABELS: Record<keyof Draft, string> = { code: "Code", name: "Name", city: "City", country: "Country (ISO 2 letters)", time_zone: "Time zone (IANA)", latitude: "Latitude", longitude: "Longitude" };
const GATE_STATUSES = ["open", "closed", "maintenance"] as const;

/** What the form checks before sending (the API checks again, and its 422s land on the same fields). */
export function checkAirport(d: Draft, isNew: boolean): FieldErrors {
  const e: FieldErrors = {};
  if (isNew && !/^[A-Za-z]{3}$/.test(d.code.trim())) e.code = "Three letters, e.g. SIN";
  if (!d.name.trim()) e.name = "Enter the airport's name";
  if (!d.city.trim()) e.city = "Enter the city";
  if (!/^[A-Za-z]{2}$/.test(d.country.trim())) e.country = "Two letters, e.g. SG";
  if (!d.time_zone.trim()) e.time_zone = "An IANA zone, e.g. Asia/Singapore";
  const lat = d.latitude.trim(), lon = d.longitude.trim();
  if (lat && !(Math.abs(Number(lat)) <= 90)) e.latitude = "Degrees from -90 to 90";
  if (lon && !(Math.abs(Number(lon)) <= 180)) e.longitude = "Degrees from -180 to 180";
  if (!lat !== !lon) e[lat ? "longitude" : "latitude"] = "Give both coordinates, or neither";
  return e;
}

function AirportForm({ api, code, onSaved }: { api: Api; code: string | null; onSaved: (a: AirportInfo) => void }) {
  const [draft, setDraft] = useState<Draft>({ code: "", name: "", city: "", country: "", time_zone: "", latitude: "", longitude: "" });
  const [local, setLocal] = useState<FieldErrors>({});
  const send = useSend();
  useEffect(() => {
    if (!code) return;
    api.request<AirportInfo>("GET", `/airports/${encodeURIComponent(code)}`).then((a) => setDraft({
      code: a.code, name: a.name, city: a.city, country: a.country, time_zone: a.time_zone, latitude: a.latitude == null ? "" : String(a.latitude), longitude: a.longitude == null ? "" : String(a.longitude),
    })).catch((e: Error) => send.setError(e.message));
  }, [api, code]); // eslint-disable-line react-hooks/exhaustive-deps
  const errors = { ...send.fields, ...local };
  const submit = async (e: FormEvent) => {
    e.preventDefault();
    const errs = checkAirport(draft, !code);
    setLocal(errs); send.setFields({}); send.setError(null);
    if (Object.keys(errs).length) return;
    const body = {
      name: draft.name.trim(), city: draft.city.trim(), country: draft.country.trim().toUpperCase(), time_zone: draft.time_zone.trim(),
      ...(draft.latitude.trim() ? { latitude: Number(draft.latitude), longitude: Number(draft.longitude) } : {}),
    };
    const saved = await send.run(() => code
      ? api.request<AirportInfo>("PATCH", `/airports/${encodeURIComponent(code)}`, body satisfies AirportPatch)
      : api.request<AirportInfo>("POST", "/airports", { ...body, code: draft.code.trim().toUpperCase() } satisfies AirportIn));
    if (saved) onSaved(saved);
  };
  const rest = otherErrors(send.fields, ["code", ...TEXT]);
  return (
    <form onSubmit={submit} aria-label={code ? `edit airport ${code}` : "new airport"} className="ui-stack" noValidate>
      <div className="op-grid">
        {(code ? TEXT : (["code", ...TEXT] as const)).map((k) => (
          <Field key={k} label={LABELS[k]} value={draft[k]} inputMode={k === "latitude" || k === "longitude" ? "decimal" : undefined}
            onChange={(e) => { setDraft((d) => ({ ...d, [k]: e.target.value })); setLocal(({ [k]: _, ...others }) => others); send.clear(k); }} error={errorAt(errors, k)} />
        ))}
      </div>
      {send.error ? <Alert kind="error">Not saved: {send.error}{rest.length ? ` (${rest.join("; ")})` : ""}</Alert> : null}
      <div><Button type="submit" busy={send.busy}>{code ? `Save airport ${code}` : "Add airport"}</Button></div>
    </form>
  );
}

/** An airport's gates: open, close or take one into maintenance, and add a gate. */
function Gates({ api, code, onChanged }: { api: Api; code: string; onChanged: () => void }) {
  const [version, setVersion] = useState(0);
  const gates = useAsync(() => api.request<{ gates: Gate[] }>("GET", `/airports/${encodeURIComponent(code)}/gates`), [api, code, version]);
  const [gate, setGate] = useState("");
  const [status, setStatus] = useState<Gate["status"]>("open");
  const [notice, setNotice] = useState<string | null>(null);
  const send = useSend();
  const add = async (e: FormEvent) => {
    e.preventDefault();
    if (!/^[A-Za-z0-9]{1,8}$/.test(gate.trim())) return send.setFields({ code: "Letters and digits, up to 8" });
    const made = await send.run(() => api.request<Gate>("POST", `/airports/${encodeURIComponent(code)}/gates`, { code: gate.trim().toUpperCase(), status }));
    if (made) { setNotice(`Gate ${made.code} added at ${code} (${made.status}).`); setGate(""); setVersion((v) => v + 1); onChanged(); }
  };
  const change = async (g: Gate, to: string) => {
    const done = await send.run(() => api.request<Gate>("PATCH", `/airports/${encodeURIComponent(code)}/gates/${encodeURIComponent(g.code)}`, { status: to }));
    if (done) { setNotice(`Gate ${done.code} at ${code} is now ${done.status}.`); setVersion((v) => v + 1); onChanged(); }
  };
  return (
    <section className="op-panel" aria-label={`gates of ${code}`}>
      <h3>Gates of {code}</h3>
      {notice ? <div data-testid="gate-notice"><Alert kind="success">{notice}</Alert></div> : null}
      {gates.error ? <Alert kind="error">{gates.error}</Alert> : null}
      <div className="op-scroll"><table className="ui-table" aria-label={`gates at ${code}`}>
        <thead><tr><th scope="col">Gate</th><th scope="col">Status</th><th scope="col">Change</th></tr></thead>
        <tbody>{(gates.data?.gates ?? []).map((g) => (
          <tr key={g.code} data-gate={g.code}><th scope="row">{g.code}</th><td><Badge tone={g.status === "open" ? "success" : "warning"}>{g.status}</Badge></td>
            <td className="op-actions">{GATE_STATUSES.filter((s) => s !== g.status).map((s) => (
              <Button key={s} variant="secondary" aria-label={`${s === "open" ? "open" : s === "closed" ? "close" : "take into maintenance"} gate ${g.code}`} onClick={() => change(g, s)}>
                {s === "open" ? "Open" : s === "closed" ? "Close" : "Maintenance"}</Button>
            ))}</td></tr>
        ))}{gates.data?.gates.length === 0 ? <tr><td colSpan={3}>No gates yet.</td></tr> : null}</tbody>
      </table></div>
      <form onSubmit={add} className="op-grid" aria-label={`add a gate at ${code}`} noValidate>
        <Field label="New gate" value={gate} maxLength={8} onChange={(e) => { setGate(e.target.value); send.clear("code"); }} error={errorAt(send.fields, "code")} />
        <Select label="Its status" value={status} onChange={(e) => setStatus(e.target.value)} options={GATE_STATUSES.map((s) => ({ value: s, label: s }))} />
        <div className="op-end"><Button type="submit" busy={send.busy}>Add gate</Button></div>
      </form>
      {send.error ? <Alert kind="error">{send.error}</Alert> : null}
    </section>
  );
}

/** Airports (add one, change one) and each airport's gates. */
export function Airports({ api, rd }: { api: Api; rd?: Reference }) {
  const [version, setVersion] = useState(0);
  const list = useAsync(() => api.request<{ airports: AirportInfo[] }>("GET", "/airports"), [api, version]);
  const [editing, setEditing] = useState<string | null | undefined>(undefined); // null: a new airport
  const [notice, setNotice] = useState<string | null>(null);
  return (
    <>
      <Card title="Airports">
        {notice ? <Alert kind="success">{notice}</Alert> : null}
        {list.error ? <Alert kind="error">{list.error}</Alert> : null}
        <div className="op-scroll"><table className="ui-table" aria-label="airports">
          <thead><tr><th scope="col">Code</th><th scope="col">Name</th><th scope="col">City</th><th scope="col">Country</th><th scope="col">Time zone</th><th scope="col">Act</th></tr></thead>
          <tbody>{(list.data?.airports ?? []).map((a) => (
            <tr key={a.code} aria-current={editing === a.code ? "true" : undefined}><th scope="row">{a.code}</th><td>{a.name}</td><td>{a.city}</td><td>{a.country}</td><td>{a.time_zone}</td>
              <td><Button variant="secondary" aria-label={`open airport ${a.code} and its gates`} onClick={() => { setNotice(null); setEditing(a.code); }}>Open</Button></td></tr>
          ))}</tbody>
        </table></div>
        <div><Button onClick={() => { setNotice(null); setEditing(null); }}>New airport</Button></div>
      </Card>
      {editing !== undefined ? (
        <Card title={editing ? `Airport ${editing}` : "New airport"}>
          <AirportForm key={editing ?? "new"} api={api} code={editing} onSaved={(a) => { setNotice(`Saved airport ${a.code} (${a.name}).`); setEditing(a.code); setVersion((v) => v + 1); rd?.reload?.(); }} />
          {editing ? <Gates key={editing} api={api} code={editing} onChanged={() => rd?.reload?.()} /> : null}
        </Card>
      ) : null}
    </>
  );
}
