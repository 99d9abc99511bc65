import { useEffect, useRef, useState } from "react";
import { ActionForm, type Plan } from "./ActionForm";
import { Alert, Badge, Button, Card, Field, Select, formatLocalTime, type Api } from "@airline/ui";
import { departures, qs, type Reference } from "./data";
import { STATUS_TONE } from "./Disruptions";
import { errorAt, useSend } from "./forms";
import { capacityText } from "./layout";
import { AirportDay, useAsync } from "./panels";
import { seatsOf } from "./rules";
import { todayIn, zonedToUtc } from "./time";
import type { Announcement, Gate, OpsFlight, Plane } from "./types";

type Act = "gate" | "status" | "plane" | "announce";
const ACTS: [Act, string][] = [["gate", "Gate"], ["status", "Status"], ["plane", "Plane"], ["announce", "Announce"]];
/** The steps ops report by hand (POST /flights/{id}/status) that may follow each status. */
export const NEXT_STEPS: Record<string, string[]> = { scheduled: ["boarding"], delayed: ["boarding"], boarding: ["departed"], departed: ["arrived"], diverted: ["arrived"] };
const ANNOUNCE_KINDS = [{ value: "go_to_gate", label: "Go to gate" }, { value: "final_call", label: "Final call" }, { value: "free_text", label: "Free text" }];

// route-coverage: POST /flights/{flight_id}/gate, POST /flights/{flight_id}/status, POST /flights/{flight_id}/plane, POST /flights/{flight_id}/announcements
const flightPath = (f: OpsFlight, what: string) => `/flights/${encodeURIComponent(f.id)}/${what}`;

function GateAction({ api, flight, onDone }: { api: Api; flight: OpsFlight; onDone: (r: OpsFlight | Announcement) => void }) {
  // the gates as they are now (one may have been added or closed since the console loaded)
  const gates = useAsync(() => api.request<{ gates: Gate[] }>("GET", `/airports/${flight.origin}/gates`), [api, flight.origin]);
  const [gate, setGate] = useState("");
  const [reason, setReason] = useState("");
  const send = useSend();
  const options = (gates.data?.gates ?? []).filter((g) => g.code !== flight.gate);
  const plan = (): Plan<OpsFlight | Announcement> | null => {
    if (!gate) { send.setFields({ gate: "Choose the new gate" }); return null; }
    return {
      what: `Move ${flight.number} to gate ${gate}`,
      effect: `${flight.number} leaves gate ${flight.gate ?? "(none)"} for gate ${gate} at ${flight.origin}: the departure boards show the new gate at once and announce the change${reason.trim() ? ` (${reason.trim()})` : ""}.`,
      run: () => api.request<OpsFlight>("POST", flightPath(flight, "gate"), { gate, reason: reason.trim() }),
    };
  };
  return (
    <ActionForm label={`Change the gate of ${flight.number}`} shown={["gate", "reason"]} send={send} plan={plan} onDone={onDone}>
      <Select label="New gate" value={gate} onChange={(e) => { setGate(e.target.value); send.clear("gate"); }} error={errorAt(send.fields, "gate")}
        options={[{ value: "", label: gates.data ? "Choose…" : "Loading…" }, ...options.map((g) => ({ value: g.code, label: `${g.code}${g.status !== "open" ? ` (${g.status})` : ""}` }))]} />
      <Field label="Reason (optional)" value={reason} maxLength={300} onChange={(e) => { setReason(e.target.value); send.clear("reason"); }} error={errorAt(send.fields, "reason")} />
    </ActionForm>
  );
}

const STEP_EFFECT: Record<string, (f: OpsFlight) => string> = {
  boarding: (f) => `The boards at ${f.origin} show ${f.number} boarding at gate ${f.gate ?? "(none)"}; the gate agents board passengers.`,
  departed: (f) => `${f.number} is marked departed from ${f.origin}: no more check-in, bag drop or boarding, and the crew's duty is under way. This cannot be undone.`,
  arrived: (f) => `${f.number} is marked arrived: nothing more happens to the flight. This cannot be undone.`,
};

/** A departure the gateway refuses for the bags (door not closed, offloaded bags aboard, baggage not answering) unless ops says why. */
const OVERRIDABLE = ["door_not_closed", "offloaded_bags_loaded", "bags_unknown"];

function StatusAction({ api, flight, rd, onDone }: { api: Api; flight: OpsFlight; rd: Reference; onDone: (r: OpsFlight | Announcement) => void }) {
  const steps = NEXT_STEPS[flight.status] ?? [];
  const [step, setStep] = useState(steps[0] ?? "");
  const [at, setAt] = useState("");
  const [override, setOverride] = useState("");
  const send = useSend();
  const tz = rd.zones[step === "arrived" ? flight.diverted_to ?? flight.destination : flight.origin] ?? "UTC";
  if (!steps.length) return <p>{flight.number} is {flight.status}: no step follows by hand.</p>;
  const plan = (): Plan<OpsFlight> => ({
    what: `Mark ${flight.number} ${step}`,
    effect: `${STEP_EFFECT[step]?.(flight) ?? ""}${at ? ` Time: ${at.replace("T", " ")} local.` : " Time: now."}${override.trim() ? ` Override: ${override.trim()}.` : ""}`,
    run: () => api.request<OpsFlight>("POST", flightPath(flight, "status"), {
      status: step, ...(at ? { at: zonedToUtc(at, tz) } : {}), ...(step === "departed" && override.trim() ? { override_reason: override.trim() } : {}),
    }),
  });
  return (
    <ActionForm label={`Report a step of ${flight.number}`} shown={["status", "at", "override_reason"]} send={send} plan={plan} onDone={onDone}>
      <Select label="Step" value={step} onChange={(e) => setStep(e.target.value)} options={steps.map((s) => ({ value: s, label: s }))} error={errorAt(send.fields, "status")} />
      <Field label="When (local, empty for now)" type="datetime-local" value={at} onChange={(e) => { setAt(e.target.value); send.clear("at"); }} error={errorAt(send.fields, "at")} />
      {step === "departed" ? (
        <Field label="Override reason (only to depart with offloaded bags aboard)" value={override} maxLength={300} onChange={(e) => { setOverride(e.target.value); send.clear("override_reason"); }}
          error={errorAt(send.fields, "override_reason") ?? (send.code && OVERRIDABLE.includes(send.code) ? "To depart anyway, say why here" : null)} />
      ) : null}
    </ActionForm>
  );
}

function PlaneAction({ api, flight, onDone }: { api: Api; flight: OpsFlight; onDone: (r: OpsFlight | Announcement) => void }) {
  const from = flight.estimated_departure ?? flight.scheduled_departure ?? "";
  const to = flight.estimated_arrival ?? flight.scheduled_arrival ?? from;
  const free = useAsync(() => api.request<{ planes: Plane[] }>("GET", `/airports/${flight.origin}/available-planes?${qs({ from, to })}`), [api, flight.origin, from, to]);
  const [plane, setPlane] = useState("");
  const [reason, setReason] = useState("");
  const send = useSend();
  const chosen = free.data?.planes.find((p) => p.id === plane);
  if (!["scheduled", "delayed"].includes(flight.status)) return <p>{flight.number} is {flight.status}: only a scheduled or delayed flight changes aircraft.</p>;
  const plan = (): Plan<OpsFlight | Announcement> | null => {
    if (!chosen) { send.setFields({ plane_id: "Choose the plane" }); return null; }
    return {
      what: `Swap ${flight.number} to plane ${chosen.id}`,
      effect: `${flight.number} flies ${chosen.id} (${chosen.aircraft_type}, ${capacityText(chosen.capacity)}) instead of ${flight.plane_id}. Seats whose number exists on ${chosen.id} are kept, the other passengers are reseated, and bookings that no longer fit are re-accommodated.`,
      run: () => api.request<OpsFlight>("POST", flightPath(flight, "plane"), { plane_id: chosen.id, reason: reason.trim() }),
    };
  };
  return (
    <ActionForm label={`Swap the plane of ${flight.number}`} shown={["plane_id", "reason"]} send={send} plan={plan} onDone={onDone}>
      <Select label={`Plane free at ${flight.origin} for the flight`} value={plane} onChange={(e) => { setPlane(e.target.value); send.clear("plane_id"); }} error={errorAt(send.fields, "plane_id") ?? free.error}
        options={[{ value: "", label: free.data ? (free.data.planes.length ? "Choose…" : "No plane is free") : "Loading…" },
          ...(free.data?.planes ?? []).map((p) => ({ value: p.id, label: `${p.id} · ${p.aircraft_type} · ${capacityText(p.capacity)}` }))]} />
      <Field label="Reason (optional)" value={reason} maxLength={300} onChange={(e) => setReason(e.target.value)} error={errorAt(send.fields, "reason")} />
    </ActionForm>
  );
}

function AnnounceAction({ api, flight, onDone, version }: { api: Api; flight: OpsFlight; onDone: (r: OpsFlight | Announcement) => void; version: number }) {
  const [kind, setKind] = useState("go_to_gate");
  const [text, setText] = useState("");
  const send = useSend();
  const plan = (): Plan<OpsFlight | Announcement> | null => {
    if (kind === "free_text" && text.trim().length < 3) { send.setFields({ text: "Write 3 to 300 characters" }); return null; }
    const words = kind === "free_text" ? `"${text.trim()}"` : kind === "go_to_gate" ? `passengers of ${flight.number} go to gate ${flight.gate ?? "(none)"}` : `final call for ${flight.number} at gate ${flight.gate ?? "(none)"}`;
    return {
      what: `Announce ${kind === "free_text" ? "a message" : kind === "go_to_gate" ? "go to gate" : "final call"} for ${flight.number}`,
      effect: `The boards and the waiting hall at ${flight.origin} show it now: ${words}.`,
      run: () => api.request<Announcement>("POST", flightPath(flight, "announcements"), { kind, ...(kind === "free_text" ? { text: text.trim() } : {}) }),
    };
  };
  return (
    <>
      <ActionForm label={`Make an announcement for ${flight.number}`} shown={["kind", "text"]} send={send} plan={plan} onDone={onDone}>
        <Select label="Announcement" value={kind} onChange={(e) => setKind(e.target.value)} options={ANNOUNCE_KINDS} error={errorAt(send.fields, "kind")} />
        {kind === "free_text" ? <Field label="Text" value={text} maxLength={300} onChange={(e) => { setText(e.target.value); send.clear("text"); }} error={errorAt(send.fields, "text")} /> : null}
      </ActionForm>
      <Announcements api={api} flight={flight} version={version} />
    </>
  );
}

/** What was announced for the flight (delays, gate changes, boarding, calls...), newest first. */
function Announcements({ api, flight, version }: { api: Api; flight: OpsFlight; version: number }) {
  const list = useAsync(() => api.request<{ announcements: Announcement[] }>("GET", `/announcements?${qs({ flight_id: flight.id, limit: 20 })}`), [api, flight.id, version]);
  const tz = flight.origin_time_zone;
  return (
    <section aria-label={`announcements for ${flight.number}`}>
      <h4>Announced for {flight.number}</h4>
      {list.error ? <Alert kind="error">{list.error}</Alert> : null}
      <ul className="op-list">
        {(list.data?.announcements ?? []).map((a) => <li key={a.id}><span className="op-mono">{formatLocalTime(a.created_at, tz)}</span> {a.kind.replace(/_/g, " ")}: {a.message}</li>)}
        {list.data?.announcements.length === 0 ? <li>Nothing announced yet.</li> : null}
      </ul>
    </section>
  );
}

/** A day's departures and, for the one chosen: gate change, status steps, plane swap and announcements. */
export function FlightActions({ api, rd }: { api: Api; rd: Reference }) {
  const [airport, setAirport] = useState("XSP");
  const tz = rd.zones[airport] ?? "UTC";
  const [date, setDate] = useState(() => todayIn(tz));
  const day = useAsync(() => departures(api, airport, date, tz), [api, airport, date, tz]);
  const [changed, setChanged] = useState<Record<string, OpsFlight>>({});
  const [open, setOpen] = useState<{ id: string; act: Act } | null>(null);
  const [notice, setNotice] = useState<string | null>(null);
  const [version, setVersion] = useState(0);
  const flights = (day.data ?? []).map((f) => changed[f.id] ?? f);
  const selected = open ? flights.find((f) => f.id === open.id) ?? null : null;
  const panel = useRef<HTMLElement>(null);
  useEffect(() => { panel.current?.scrollIntoView?.({ block: "nearest" }); }, [open]);
  const done = (r: OpsFlight | Announcement) => {
    setVersion((v) => v + 1);
    if ("message" in r) return setNotice(`Announced: ${r.message}`);
    setChanged((c) => ({ ...c, [r.id]: r }));
    setNotice(`${r.number} is ${r.status} at gate ${r.gate ?? "(none)"} on plane ${r.plane_id}.`);
    setOpen(null);
  };
  return (
    <Card title="Flight actions">
      <AirportDay rd={rd} airport={airport} setAirport={setAirport} date={date} setDate={setDate} />
      {notice ? <div data-testid="action-notice"><Alert kind="success">{notice}</Alert></div> : null}
      {day.error ? <Alert kind="error">{day.error}</Alert> : null}
      <div className="op-scroll">
        <table className="ui-table" aria-label="departures to act on">
          <thead><tr><th scope="col">Flight</th><th scope="col">Route</th><th scope="col">Departs</th><th scope="col">Gate</th><th scope="col">Plane</th><th scope="col">Status</th><th scope="col">Passengers</th><th scope="col">Act</th></tr></thead>
          <tbody>
            {day.data === null ? <tr><td colSpan={8}>Loading…</td></tr> : flights.length === 0 ? <tr><td colSpan={8}>No departures this day.</td></tr> : flights.map((f) => (
              <tr key={f.id} data-flight={f.number} data-status={f.status}>
                <th scope="row" className="op-mono">{f.number}</th>
                <td>{f.origin}→{f.destination}</td>
                <td>{formatLocalTime(f.estimated_departure ?? f.scheduled_departure, tz)}</td>
                <td data-testid="gate">{f.gate ?? "—"}</td>
                <td>{f.plane_id}</td>
                <td><Badge tone={STATUS_TONE[f.status]}>{f.status}</Badge></td>
                <td>{seatsOf(f).sold}</td>
                <td className="op-actions">{ACTS.map(([act, title]) => (
                  <Button key={act} variant={open?.id === f.id && open.act === act ? "primary" : "secondary"} aria-label={`${title.toLowerCase()} ${f.number}`}
                    aria-expanded={open?.id === f.id && open.act === act} onClick={() => setOpen(open?.id === f.id && open.act === act ? null : { id: f.id, act })}>{title}</Button>
                ))}</td>
              </tr>
            ))}
          </tbody>
        </table>
      </div>
      {selected && open ? (
        <section className="op-panel" aria-label={`${open.act} panel`} ref={panel}>
          <h3>{ACTS.find(([a]) => a === open.act)?.[1]} · {selected.number} ({selected.origin}→{selected.destination}, {formatLocalTime(selected.estimated_departure ?? selected.scheduled_departure, tz)})</h3>
          <p>{seatsOf(selected).sold} passenger{seatsOf(selected).sold === 1 ? "" : "s"} booked · gate {selected.gate ?? "—"} · plane {selected.plane_id} · {selected.status}</p>
          {open.act === "gate" ? <GateAction key={selected.id} api={api} flight={selected} onDone={done} />
            : open.act === "status" ? <StatusAction key={selected.id} api={api} flight={selected} rd={rd} onDone={done} />
              : open.act === "plane" ? <PlaneAction key={selected.id} api={api} flight={selected} onDone={done} />
                : <AnnounceAction key={selected.id} api={api} flight={selected} onDone={done} version={version} />}
        </section>
      ) : null}
    </Card>
  );
}
