import { useEffect, useRef, useState, type FormEvent } from "react";
import { Alert, Badge, Button, Card, Field, Select, formatLocalTime, type Api, type ReaccommodationStatus } from "@airline/ui";
import { departures, type Reference } from "./data";
import { seatsOf } from "./rules";
import type { OpsFlight } from "./types";
import { todayIn, utcToZoned, zonedToUtc } from "./time";

/** The IATA delay codes ops uses most (AHM 730); the API takes any two digits. */
export const DELAY_CODES: [string, string][] = [
  ["93", "Aircraft rotation: late inbound"], ["41", "Aircraft defects"], ["63", "Late crew boarding"],
  ["64", "Flight deck crew shortage"], ["71", "Weather at departure"], ["81", "ATC restriction en route"],
  ["87", "Airport facilities"], ["89", "Restrictions at departure airport"], ["15", "Boarding discrepancies"],
  ["33", "Loading equipment"], ["21", "Documentation, cargo"], ["61", "Flight plan"],
];
export const STATUS_TONE: Record<string, "success" | "warning" | "danger" | undefined> = {
  scheduled: "success", boarding: "success", departed: undefined, arrived: undefined, delayed: "warning", cancelled: "danger", diverted: "danger",
};

type Action = "delay" | "cancel" | "divert";
type Open = Action | "rebook";

function ActionForm({ api, flight, rd, action, onDone }: { api: Api; flight: OpsFlight; rd: Reference; action: Action; onDone: (f: OpsFlight) => void }) {
  const tz = rd.zones[flight.origin] ?? "UTC";
  const [newDeparture, setNewDeparture] = useState(() => utcToZoned(new Date(Date.parse(flight.estimated_departure ?? flight.scheduled_departure ?? new Date().toISOString()) + 3600_000).toISOString(), tz));
  const [code, setCode] = useState("93");
  const [reason, setReason] = useState("");
  const [to, setTo] = useState("");
  const [error, setError] = useState<string | null>(null);
  const [fieldError, setFieldError] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);
  // a cancellation or a diversion is asked for once more, naming what it does, before it is sent
  const [confirming, setConfirming] = useState(false);
  const sold = seatsOf(flight).sold;
  const people = `${sold} passenger${sold === 1 ? "" : "s"} booked on ${flight.number}`;
  const effect = action === "cancel"
    ? `${people} are told by SMS and e-mail, and every booking on it is offered another flight or a full refund (re-accommodation starts at once). This cannot be undone.`
    : `${flight.number} lands at ${to} instead of ${flight.destination}; ${people} are told by SMS and e-mail, and their bookings are offered another way to ${flight.destination} (re-accommodation starts at once).`;
  const submit = async (e: FormEvent) => {
    e.preventDefault();
    setError(null); setFieldError(null);
    if (!reason.trim()) return setFieldError("Give the reason passengers will read");
    if (action === "divert" && !to) return setError("Choose where the flight goes instead");
    if (action !== "delay" && !confirming) return setConfirming(true);
    await send();
  };
  const send = async () => {
    setBusy(true);
    try {
      // route-coverage: POST /flights/{flight_id}/delay, POST /flights/{flight_id}/cancel, POST /flights/{flight_id}/divert
      const path = `/flights/${encodeURIComponent(flight.id)}/${action}`;
      const body = action === "delay" ? { new_departure: zonedToUtc(newDeparture, tz), delay_code: code, reason: reason.trim() }
        : action === "cancel" ? { reason: reason.trim() } : { diverted_to: to, reason: reason.trim() };
      onDone(await api.request<OpsFlight>("POST", path, body));
    } catch (err) { setError((err as Error).message); } finally { setBusy(false); setConfirming(false); }
  };
  const verb = action === "cancel" ? "cancel" : "divert";
  return (
    <form onSubmit={submit} aria-label={`${action} ${flight.number}`} className="ui-stack" noValidate>
      <div className="op-grid">
        {action === "delay" ? (
          <>
            <Field label={`New departure (local ${flight.origin})`} type="datetime-local" value={newDeparture} onChange={(e) => setNewDeparture(e.target.value)} />
            <Select label="IATA delay code" value={code} onChange={(e) => setCode(e.target.value)} options={DELAY_CODES.map(([c, l]) => ({ value: c, label: `${c} · ${l}` }))} />
          </>
        ) : null}
        {action === "divert" ? (
          <Select label="Divert to" value={to} onChange={(e) => { setTo(e.target.value); setConfirming(false); }}
            options={[{ value: "", label: "Choose…" }, ...rd.airports.filter((a) => a.code !== flight.origin && a.code !== flight.destination).map((a) => ({ value: a.code, label: `${a.code} · ${a.city || a.name}` }))]} />
        ) : null}
        <Field label="Reason" value={reason} maxLength={300} onChange={(e) => { setReason(e.target.value); setFieldError(null); setConfirming(false); }} error={fieldError} />
      </div>
      {error ? <Alert kind="error">{error}</Alert> : null}
      {confirming ? (
        <div className="op-confirm ui-stack" role="alertdialog" aria-label={`confirm ${verb} ${flight.number}`} aria-describedby={`confirm-${flight.id}`}>
          <p><strong>{verb === "cancel" ? "Cancel" : "Divert"} {flight.number} ({flight.origin}→{flight.destination}){verb === "divert" ? ` to ${to}` : ""}?</strong></p>
          <p id={`confirm-${flight.id}`}>{effect}</p>
          <div className="op-buttons">
            <Button type="submit" variant="danger" busy={busy}>Yes, {verb} {flight.number}</Button>
            <Button type="button" variant="secondary" disabled={busy} onClick={() => setConfirming(false)}>No, go back</Button>
          </div>
        </div>
      ) : (
        <div><Button type="submit" variant={action === "delay" ? "primary" : "danger"} busy={busy}>
          {action === "delay" ? "Delay flight" : action === "cancel" ? "Cancel flight…" : "Divert flight…"}
        </Button></div>
      )}
    </form>
  );
}

type RebookStatus = ReaccommodationStatus;

const REBOOK_TONE: Record<string, "success" | "warning" | "danger" | undefined> = { applied: "success", accepted: "success", proposed: "warning", unplaced: "danger" };

/** A disrupted flight's re-accommodation: every affected booking by priority rank, its proposal
 * or why there is none, and what the passenger answered; ops runs it again (nothing changes for
 * bookings that already have a proposal). */
function Rebook({ api, flight, rd }: { api: Api; flight: OpsFlight; rd: Reference }) {
  const [status, setStatus] = useState<RebookStatus | null>(null);
  const [error, setError] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);
  const path = `/flights/${encodeURIComponent(flight.id)}/reaccommodation`;
  useEffect(() => { api.request<RebookStatus>("GET", path).then(setStatus).catch((e: Error) => setError(e.message)); }, [api, path]);
  const run = async () => {
    setBusy(true); setError(null);
    try { setStatus(await api.request<RebookStatus>("POST", path)); } catch (e) { setError((e as Error).message); } finally { setBusy(false); }
  };
  const counts = Object.entries(status?.counts ?? {}).filter(([, n]) => n > 0);
  return (
    <div className="ui-stack">
      <p data-testid="rebook-counts">
        {status === null ? "Loading…" : status.bookings.length === 0 ? "No booking was affected yet." : counts.map(([state, n]) => `${n} ${state}`).join(" · ")}
        {status?.run_state === "pending" ? " (a run is under way)" : ""}
      </p>
      {status?.last_error ? <Alert kind="warning">The last run stopped: {status.last_error}</Alert> : null}
      {error ? <Alert kind="error">{error}</Alert> : null}
      <div><Button busy={busy} onClick={run}>Run re-accommodation now</Button></div>
      {status && status.bookings.length ? (
        <div className="op-scroll">
          <table className="ui-table" aria-label="affected bookings">
            <thead><tr><th scope="col">Rank</th><th scope="col">Booking</th><th scope="col">State</th><th scope="col">New flights</th><th scope="col">Seats</th></tr></thead>
            <tbody>
              {status.bookings.map((b) => {
                const chosen = b.options?.[b.chosen_option ?? 0];
                return (
                  <tr key={b.booking_id}>
                    <td>{b.rank}</td>
                    <td className="op-mono">{b.booking_id.slice(0, 8)}</td>
                    <td><Badge tone={REBOOK_TONE[b.state]}>{b.state}</Badge>{b.unplaced_reason ? <div className="op-muted">{b.unplaced_reason.replace(/_/g, " ")}</div> : null}</td>
                    <td>{chosen ? chosen.flights.map((f) => `${f.number} ${formatLocalTime(f.departure, rd.zones[f.origin] ?? "UTC")}`).join(" + ") : "—"}</td>
                    <td>{chosen?.seats.length ?? 0}</td>
                  </tr>
                );
              })}
            </tbody>
          </table>
        </div>
      ) : null}
    </div>
  );
}

/** The disruption console: a day's departures with who is on board, and delay / cancel / divert. */
export function Disruptions({ api, rd, initialAirport = "XSP", initialDate }: { api: Api; rd: Reference; initialAirport?: string; initialDate?: string }) {
  const [airport, setAirport] = useState(initialAirport);
  const tz = rd.zones[airport] ?? "UTC";
  const [date, setDate] = useState(initialDate ?? todayIn(tz));
  const [flights, setFlights] = useState<OpsFlight[] | null>(null);
  const [error, setError] = useState<string | null>(null);
  const [open, setOpen] = useState<{ id: string; action: Open } | null>(null);
  const [notice, setNotice] = useState<string | null>(null);
  useEffect(() => {
    // the answer for an earlier airport or day may come after the one asked for now: only the
    // latest question's answer is shown (on a busy server the first day's list came last)
    let current = true;
    setFlights(null); setError(null);
    departures(api, airport, date, tz)
      .then((f) => { if (current) setFlights(f); })
      .catch((e: Error) => { if (current) setError(e.message); });
    return () => { current = false; };
  }, [api, airport, date, tz]);

  const done = (f: OpsFlight) => {
    setFlights((all) => (all ?? []).map((x) => (x.id === f.id ? f : x)));
    setOpen(null);
    setNotice(`${f.number} is now ${f.status}${f.status === "delayed" ? `, departing ${formatLocalTime(f.estimated_departure, tz)}` : ""}. Passengers are told by SMS and e-mail.`);
  };
  const panel = useRef<HTMLElement>(null);
  useEffect(() => { panel.current?.scrollIntoView?.({ block: "nearest" }); }, [open]);
  const selected = open ? (flights ?? []).find((f) => f.id === open.id) ?? null : null;
  const affected = (flights ?? []).filter((f) => f.status === "delayed" || f.status === "cancelled" || f.status === "diverted")
    .reduce((n, f) => n + seatsOf(f).sold, 0);

  return (
    <Card title="Disruptions">
      <div className="op-grid">
        <Select label="Airport" value={airport} onChange={(e) => setAirport(e.target.value)} options={rd.airports.map((a) => ({ value: a.code, label: `${a.code} · ${a.city || a.name}` }))} />
        <Field label="Day (local)" type="date" value={date} onChange={(e) => setDate(e.target.value)} />
      </div>
      {notice ? <Alert kind="success">{notice}</Alert> : null}
      {error ? <Alert kind="error">{error}</Alert> : null}
      <p className="op-muted" data-testid="affected">{affected} passenger{affected === 1 ? "" : "s"} on disrupted departures this day.</p>
      <div className="op-scroll">
        <table className="ui-table" aria-label="departures to manage">
          <thead><tr><th scope="col">Flight</th><th scope="col">Route</th><th scope="col">Planned</th><th scope="col">Expected</th><th scope="col">Gate</th><th scope="col">Status</th><th scope="col">Passengers</th><th scope="col">Act</th></tr></thead>
          <tbody>
            {flights === null ? <tr><td colSpan={8}>Loading…</td></tr> : flights.length === 0 ? <tr><td colSpan={8}>No departures this day.</td></tr> : flights.map((f) => {
              const s = seatsOf(f);
              const final = ["departed", "arrived", "cancelled", "diverted"].includes(f.status);
              return (
                <tr key={f.id} data-flight={f.number} data-status={f.status}>
                  <th scope="row" className="op-mono">{f.number}</th>
                  <td>{f.origin}→{f.destination}</td>
                  <td>{formatLocalTime(f.scheduled_departure, tz)}</td>
                  <td data-testid="expected">{formatLocalTime(f.estimated_departure, tz)}{f.delay_code ? <span className="op-muted"> ({f.delay_code})</span> : null}</td>
                  <td>{f.gate ?? "—"}</td>
                  <td><Badge tone={STATUS_TONE[f.status]}>{f.status}</Badge>{f.diverted_to ? ` → ${f.diverted_to}` : ""}{f.status_reason ? <div className="op-muted">{f.status_reason}</div> : null}</td>
                  <td aria-label={`${s.sold} passengers booked of ${s.capacity} seats`}>{s.sold}<span className="op-muted">/{s.capacity}</span></td>
                  <td className="op-actions">
                    {["delayed", "cancelled", "diverted"].includes(f.status) ? (
                      <Button variant={open?.id === f.id && open.action === "rebook" ? "primary" : "secondary"} aria-label={`rebook ${f.number}`}
                        onClick={() => setOpen(open?.id === f.id && open.action === "rebook" ? null : { id: f.id, action: "rebook" })}>Rebook</Button>
                    ) : null}
                    {final ? null : (["delay", "cancel", "divert"] as Action[]).map((a) => (
                      <Button key={a} variant={open?.id === f.id && open.action === a ? "primary" : "secondary"} aria-label={`${a} ${f.number}`}
                        onClick={() => setOpen(open?.id === f.id && open.action === a ? null : { id: f.id, action: a })}>{a[0].toUpperCase() + a.slice(1)}</Button>
                    ))}
                  </td>
                </tr>
              );
            })}
          </tbody>
        </table>
      </div>
      {selected && open?.action === "rebook" ? (
        <section className="op-panel" aria-label="rebook panel" ref={panel}>
          <h3>Re-accommodation of {selected.number} ({selected.origin}→{selected.destination})</h3>
          <Rebook key={selected.id} api={api} flight={selected} rd={rd} />
        </section>
      ) : selected && open && open.action !== "rebook" ? (
        // below the table, not inside it: on a phone the table scrolls sideways, the form must not
        <section className="op-panel" aria-label={`${open.action} panel`} ref={panel}>
          <h3>{open.action[0].toUpperCase() + open.action.slice(1)} {selected.number} ({selected.origin}→{selected.destination})</h3>
          <p><strong>{seatsOf(selected).sold} passenger{seatsOf(selected).sold === 1 ? "" : "s"}</strong> booked on {selected.number} will be told.</p>
          <ActionForm key={`${selected.id}-${open.action}`} api={api} flight={selected} rd={rd} action={open.action as Action} onDone={done} />
        </section>
      ) : null}
    </Card>
  );
}
