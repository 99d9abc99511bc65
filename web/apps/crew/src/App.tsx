import { useCallback, useEffect, useState, type FormEvent } from "react";
import { Alert, Badge, Button, Card, Field, Spinner, ensureStyles, formatLocalDate, formatLocalTime, type Api, type RemoteProps } from "@airline/ui";
import { Pairings } from "./Pairings";
import type { Assignment, CrewNotification, MyAssignments, MyPairings } from "./types";

const ROLE: Record<string, string> = { captain: "Captain", first_officer: "First officer", purser: "Purser", flight_attendant: "Flight attendant" };
const TONE: Record<string, "success" | "warning" | "danger" | undefined> = { accepted: "success", proposed: "warning", declined: "danger", cancelled: "danger", removed: "danger" };

const css = `
.cr{display:flex;flex-direction:column;gap:var(--s4)}
.cr-duty{display:grid;grid-template-columns:minmax(150px,1fr) 2fr auto;gap:var(--s3);align-items:center;padding:var(--s3) 0;border-bottom:1px solid var(--c-line)}
.cr-duty:last-child{border-bottom:0}
.cr-num{font-family:var(--font-mono);font-weight:700;font-size:1.1rem}
.cr-muted{color:var(--c-muted);font-size:.9rem}
.cr-times{display:flex;flex-wrap:wrap;gap:var(--s2) var(--s4)}
.cr-times span b{display:block;font-size:.72rem;text-transform:uppercase;letter-spacing:.05em;color:var(--c-muted)}
.cr-actions{display:flex;gap:var(--s2);flex-wrap:wrap;justify-content:flex-end}
.cr-decline{grid-column:1/-1;display:flex;gap:var(--s2);align-items:flex-end;flex-wrap:wrap}
.cr-list{list-style:none;margin:0;padding:0}
.cr-list li{padding:var(--s2) 0;border-bottom:1px solid var(--c-line)}
.cr-sectors{margin:var(--s2) 0 0;padding-left:var(--s4)}
.cr-sectors li{border:0;padding:2px 0}
@media (max-width:700px){.cr-duty{grid-template-columns:1fr}.cr-actions{justify-content:flex-start}}
`;

/** A duty time in the airport's own zone, with the date (crew read local times on the ramp). */
function Local({ label, iso, zone }: { label: string; iso: string | null; zone: string }) {
  return <span><b>{label}</b>{iso ? `${formatLocalDate(iso, zone)} ${formatLocalTime(iso, zone)}` : "—"}</span>;
}

export function Duty({ a, zones, onAnswer }: { a: Assignment; zones: Record<string, string>; onAnswer: (a: Assignment, accept: boolean, reason?: string) => Promise<void> }) {
  const [declining, setDeclining] = useState(false);
  const [reason, setReason] = useState("");
  const [error, setError] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);
  const from = zones[a.origin] ?? "UTC";
  const to = zones[a.destination] ?? "UTC";
  const answer = async (accept: boolean, e?: FormEvent) => {
    e?.preventDefault();
    if (!accept && !reason.trim()) return setError("Say why you decline: ops reads it to find a replacement");
    setBusy(true); setError(null);
    try { await onAnswer(a, accept, reason.trim()); setDeclining(false); }
    catch (err) { setError((err as Error).message); } finally { setBusy(false); }
  };
  return (
    <li className="cr-duty" aria-label={`duty ${a.flight_number}`} data-state={a.state}>
      <div>
        <div className="cr-num">{a.flight_number}</div>
        <div>{a.origin} → {a.destination}</div>
        <div className="cr-muted">{ROLE[a.role] ?? a.role} · <Badge tone={TONE[a.state]}>{a.state}</Badge></div>
      </div>
      <div className="cr-times">
        <Local label={`Report (${a.origin})`} iso={a.report_at} zone={from} />
        <Local label={`Departs (${a.origin})`} iso={a.departure} zone={from} />
        <Local label={`Arrives (${a.destination})`} iso={a.arrival} zone={to} />
        <Local label="Released" iso={a.release_at} zone={to} />
        {a.answer_reason ? <span><b>Your reason</b>{a.answer_reason}</span> : null}
      </div>
      <div className="cr-actions">
        {a.state === "proposed" ? (
          <>
            <Button onClick={() => answer(true)} busy={busy} aria-label={`Accept ${a.flight_number}`}>Accept</Button>
            <Button variant="secondary" onClick={() => setDeclining((d) => !d)} aria-expanded={declining} aria-label={`Decline ${a.flight_number}`}>Decline</Button>
          </>
        ) : null}
      </div>
      {declining ? (
        <form className="cr-decline" onSubmit={(e) => answer(false, e)} aria-label={`decline ${a.flight_number}`}>
          <Field label="Reason" value={reason} maxLength={500} onChange={(e) => setReason(e.target.value)} error={error} />
          <Button type="submit" variant="danger" busy={busy}>Send decline</Button>
        </form>
      ) : error ? <div style={{ gridColumn: "1/-1" }}><Alert kind="error">{error}</Alert></div> : null}
    </li>
  );
}

async function loadAll(api: Api) {
  const [mine, pairings, notes, airports] = await Promise.all([
    api.request<MyAssignments>("GET", "/crew/me/assignments"),
    api.request<MyPairings>("GET", "/crew/me/pairings"),
    api.request<{ notifications: CrewNotification[] }>("GET", "/crew/me/notifications"),
    api.airports(),
  ]);
  return { mine, pairings: pairings.pairings, notes: notes.notifications, zones: Object.fromEntries(airports.airports.map((x) => [x.code, x.time_zone])) };
}

/** The crew portal: my pairings (duty periods home to home), my duties in local times, accept
 * or decline them, my notifications. */
export default function CrewPortal({ api, session }: RemoteProps) {
  const [data, setData] = useState<Awaited<ReturnType<typeof loadAll>> | null>(null);
  const [error, setError] = useState<string | null>(null);
  const [notice, setNotice] = useState<string | null>(null);
  useEffect(() => ensureStyles(), []);
  const reload = useCallback(() => loadAll(api).then(setData).catch((e: Error) => setError(e.message)), [api]);
  useEffect(() => { if (session) void reload(); }, [session, reload]);

  if (!session) return <Alert kind="info">Sign in with your crew account to see your duties.</Alert>;
  if (error) return <Alert kind="error">{error}</Alert>;
  if (!data) return <Spinner label="loading your duties" />;

  const answer = async (a: Assignment, accept: boolean, reason?: string) => {
    const path = `/crew/assignments/${encodeURIComponent(a.id)}/${accept ? "accept" : "decline"}`;
    await api.request<Assignment>("POST", path, accept ? {} : { reason });
    setNotice(`${a.flight_number} ${accept ? "accepted" : "declined"}.`);
    await reload();
  };
  const upcoming = data.mine.assignments.filter((a) => a.state === "proposed" || a.state === "accepted");
  const other = data.mine.assignments.filter((a) => !upcoming.includes(a));
  return (
    <div className="cr">
      <style>{css}</style>
      <h1>My duties</h1>
      <p className="cr-muted">{data.mine.member.name} · {ROLE[data.mine.member.role]} · base {data.mine.member.home_base} · times are local to each airport</p>
      {notice ? <Alert kind="success">{notice}</Alert> : null}
      <Pairings pairings={data.pairings} zones={data.zones} base={data.mine.member.home_base} />
      <Card title={`Upcoming (${upcoming.length})`} aria-label="upcoming duties">
        {upcoming.length ? <ul className="cr-list">{upcoming.map((a) => <Duty key={a.id} a={a} zones={data.zones} onAnswer={answer} />)}</ul>
          : <p className="cr-muted">No duties planned.</p>}
      </Card>
      {other.length ? (
        <Card title="Declined and cancelled">
          <ul className="cr-list">{other.map((a) => <Duty key={a.id} a={a} zones={data.zones} onAnswer={answer} />)}</ul>
        </Card>
      ) : null}
      <Card title="My notifications" aria-label="notifications">
        {data.notes.length ? (
          <ul className="cr-list">
            {data.notes.map((n) => <li key={n.id}><Badge>{n.kind}</Badge> {n.message} <span className="cr-muted">{n.created_at ? new Date(n.created_at).toLocaleString("en-GB", { timeZone: data.zones[data.mine.member.home_base] ?? "UTC" }) : ""}</span></li>)}
          </ul>
        ) : <p className="cr-muted">Nothing new.</p>}
      </Card>
    </div>
  );
}
