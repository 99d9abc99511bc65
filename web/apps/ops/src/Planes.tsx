import { useEffect, useState, type FormEvent } from "react";
import { Alert, Badge, Button, Card, Field, Select, type Api } from "@airline/ui";
import { qs, type Reference } from "./data";
import { errorAt, otherErrors, useSend, type FieldErrors } from "./forms";
import { capacityText, draftOf, NEW_LAYOUT, parseLayout, type LayoutDraft } from "./layout";
import { useAsync } from "./panels";
import { SeatLayoutEditor } from "./SeatLayoutEditor";
import { addDays, todayIn, zonedToUtc } from "./time";
import type { Plane, PlaneIn, PlanePatch } from "./types";

const STATUSES = ["active", "maintenance", "retired"].map((s) => ({ value: s, label: s }));
const SHOWN = ["id", "registration", "aircraft_type", "status", "home_airport", "layout"];

interface PlaneDraft { id: string; registration: string; aircraft_type: string; status: string; home_airport: string; layout: LayoutDraft }

/** Add a plane, or change one (GET then PATCH: a layout is sent only when it changed, and then
 * replaces the plane's whole layout). */
function PlaneForm({ api, rd, planeId, onSaved }: { api: Api; rd: Reference; planeId: string | null; onSaved: (p: Plane) => void }) {
  const [draft, setDraft] = useState<PlaneDraft>({ id: "", registration: "", aircraft_type: "", status: "active", home_airport: "XSP", layout: NEW_LAYOUT });
  const [original, setOriginal] = useState<string | null>(null);
  const [local, setLocal] = useState<FieldErrors>({});
  const send = useSend();
  useEffect(() => {
    if (!planeId) return;
    api.request<Plane>("GET", `/planes/${encodeURIComponent(planeId)}`).then((p) => {
      const layout = draftOf(p.layout);
      setDraft({ id: p.id, registration: p.registration, aircraft_type: p.aircraft_type, status: p.status, home_airport: p.home_airport, layout });
      setOriginal(JSON.stringify(parseLayout(layout).layout));
    }).catch((e: Error) => send.setError(e.message));
  }, [api, planeId]); // eslint-disable-line react-hooks/exhaustive-deps
  const set = <K extends keyof PlaneDraft>(k: K, v: PlaneDraft[K]) => { setDraft((d) => ({ ...d, [k]: v })); setLocal((e) => ({ ...e, [k]: "" })); send.clear(k); };
  const parsed = parseLayout(draft.layout);
  // the layout is checked as it is edited; the other fields when saving
  const errors = { ...send.fields, ...Object.fromEntries(Object.entries(local).filter(([, v]) => v)), ...parsed.errors };

  const submit = async (e: FormEvent) => {
    e.preventDefault();
    const errs: FieldErrors = {};
    if (!planeId && !/^[A-Za-z0-9][A-Za-z0-9._-]{0,31}$/.test(draft.id.trim())) errs.id = "Letters and digits (also . _ -), up to 32";
    if (!draft.registration.trim()) errs.registration = "Enter the registration, e.g. 9V-XAA";
    if (!draft.aircraft_type.trim()) errs.aircraft_type = "Enter the aircraft type, e.g. A320-200";
    setLocal(errs);
    send.setFields({}); send.setError(null);
    if (Object.keys(errs).length || Object.keys(parsed.errors).length) return;
    const common = { registration: draft.registration.trim(), aircraft_type: draft.aircraft_type.trim(), status: draft.status as PlaneIn["status"], home_airport: draft.home_airport };
    const saved = await send.run(() => planeId
      ? api.request<Plane>("PATCH", `/planes/${encodeURIComponent(planeId)}`, {
        ...common, ...(JSON.stringify(parsed.layout) !== original ? { layout: parsed.layout } : {}) } satisfies PlanePatch)
      : api.request<Plane>("POST", "/planes", { ...common, id: draft.id.trim(), layout: parsed.layout } satisfies PlaneIn));
    if (saved) { setOriginal(JSON.stringify(parsed.layout)); onSaved(saved); }
  };
  const rest = otherErrors(send.fields, SHOWN);
  return (
    <form onSubmit={submit} aria-label={planeId ? `change plane ${planeId}` : "new plane"} className="ui-stack" noValidate>
      <div className="op-grid">
        {planeId ? <p><strong>Plane {planeId}</strong></p> : <Field label="Plane id" value={draft.id} maxLength={32} onChange={(e) => set("id", e.target.value)} error={errorAt(errors, "id")} hint="e.g. P6" />}
        <Field label="Registration" value={draft.registration} maxLength={16} onChange={(e) => set("registration", e.target.value)} error={errorAt(errors, "registration")} />
        <Field label="Aircraft type" value={draft.aircraft_type} maxLength={40} onChange={(e) => set("aircraft_type", e.target.value)} error={errorAt(errors, "aircraft_type")} />
        <Select label="Status" value={draft.status} options={STATUSES} onChange={(e) => set("status", e.target.value)} error={errorAt(errors, "status")} />
        <Select label="Home airport" value={draft.home_airport} options={rd.airports.map((a) => ({ value: a.code, label: `${a.code} · ${a.city || a.name}` }))}
          onChange={(e) => set("home_airport", e.target.value)} error={errorAt(errors, "home_airport")} />
      </div>
      <SeatLayoutEditor draft={draft.layout} onChange={(l) => set("layout", l)} errors={errors} />
      {send.error ? <div data-testid="plane-error"><Alert kind="error">Not saved: {send.error}{rest.length ? ` (${rest.join("; ")})` : ""}</Alert></div> : null}
      <div><Button type="submit" busy={send.busy}>{planeId ? `Save plane ${planeId}` : "Add plane"}</Button></div>
    </form>
  );
}

/** Planes free to fly from an airport over a time window (local times at that airport). */
function AvailablePlanes({ api, rd }: { api: Api; rd: Reference }) {
  const [airport, setAirport] = useState("XSP");
  const tz = rd.zones[airport] ?? "UTC";
  const [from, setFrom] = useState(() => `${addDays(todayIn(tz), 1)}T08:00`);
  const [to, setTo] = useState(() => `${addDays(todayIn(tz), 1)}T14:00`);
  const [asked, setAsked] = useState<{ airport: string; from: string; to: string } | null>(null);
  const found = useAsync(async () => asked
    ? (await api.request<{ planes: Plane[] }>("GET", `/airports/${asked.airport}/available-planes?${qs({ from: asked.from, to: asked.to })}`)).planes
    : null, [api, asked]);
  const find = (e: FormEvent) => {
    e.preventDefault();
    try { setAsked({ airport, from: zonedToUtc(from, tz), to: zonedToUtc(to, tz) }); } catch { /* an unfinished date: the inputs say so */ }
  };
  return (
    <Card title="Available planes">
      <form onSubmit={find} className="op-grid" aria-label="available planes" noValidate>
        <Select label="From airport" value={airport} onChange={(e) => setAirport(e.target.value)} options={rd.airports.map((a) => ({ value: a.code, label: `${a.code} · ${a.city || a.name}` }))} />
        <Field label={`Free from (local ${airport})`} type="datetime-local" value={from} onChange={(e) => setFrom(e.target.value)} />
        <Field label={`Until (local ${airport})`} type="datetime-local" value={to} onChange={(e) => setTo(e.target.value)} />
        <div className="op-end"><Button type="submit">Find planes</Button></div>
      </form>
      {found.error ? <Alert kind="error">{found.error}</Alert> : null}
      {found.data ? (
        found.data.length ? <ul className="op-list" aria-label="free planes">{found.data.map((p) => <li key={p.id}><strong>{p.id}</strong> {p.aircraft_type} <span className="op-mono">{p.registration}</span> · {capacityText(p.capacity)}</li>)}</ul>
          : <p>No plane is free at {asked?.airport} over that window.</p>
      ) : null}
    </Card>
  );
}

/** The fleet: add a plane, change one (its seat layout with the seat map it gives), and the planes free for a window. */
export function Planes({ api, rd }: { api: Api; rd: Reference }) {
  const [version, setVersion] = useState(0);
  const planes = useAsync(() => api.request<{ planes: Plane[] }>("GET", "/planes"), [api, version]);
  const [editing, setEditing] = useState<string | null | undefined>(undefined); // null: a new plane
  const [notice, setNotice] = useState<string | null>(null);
  const saved = (p: Plane) => {
    setNotice(`Saved plane ${p.id} (${p.aircraft_type}, ${p.registration}): ${capacityText(p.capacity)}.`);
    setEditing(p.id); setVersion((v) => v + 1); rd.reload?.();
  };
  return (
    <>
      <Card title="Planes">
        {notice ? <div data-testid="plane-saved"><Alert kind="success">{notice}</Alert></div> : null}
        {planes.error ? <Alert kind="error">{planes.error}</Alert> : null}
        <div className="op-scroll"><table className="ui-table" aria-label="planes">
          <thead><tr><th scope="col">Plane</th><th scope="col">Type</th><th scope="col">Registration</th><th scope="col">Base</th><th scope="col">Seats</th><th scope="col">Status</th><th scope="col">Act</th></tr></thead>
          <tbody>{(planes.data?.planes ?? []).map((p) => (
            <tr key={p.id}><th scope="row">{p.id}</th><td>{p.aircraft_type}</td><td className="op-mono">{p.registration}</td><td>{p.home_airport}</td><td>{capacityText(p.capacity)}</td>
              <td><Badge tone={p.status === "active" ? "success" : "warning"}>{p.status}</Badge></td>
              <td><Button variant="secondary" aria-label={`edit plane ${p.id}`} onClick={() => { setNotice(null); setEditing(p.id); }}>Edit</Button></td></tr>
          ))}{planes.data?.planes.length === 0 ? <tr><td colSpan={7}>No planes yet.</td></tr> : null}</tbody>
        </table></div>
        <div><Button onClick={() => { setNotice(null); setEditing(null); }}>New plane</Button></div>
      </Card>
      {editing !== undefined ? (
        <Card title={editing ? `Plane ${editing}` : "New plane"}>
          <PlaneForm key={editing ?? "new"} api={api} rd={rd} planeId={editing} onSaved={saved} />
        </Card>
      ) : null}
      <AvailablePlanes api={api} rd={rd} />
    </>
  );
}
