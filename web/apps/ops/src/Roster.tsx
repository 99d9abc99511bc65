import { useEffect, useRef, useState, type FormEvent } from "react";
import { Alert, Badge, Button, Card, Field, Select, Spinner, formatLocalDate, formatLocalTime, type Api } from "@airline/ui";
import type { Reference } from "./data";
import { roleName, rosterRequest, rosterViewQuery, type RosterFlight, type RosterForm, type RosterRun } from "./rosterRules";
import type { RosterOut } from "./adminRules";
import { todayIn } from "./time";

const READINESS_TONE = { complete: "success", kept: "success", pending: "warning", short: "danger" } as const;

/** Run the crew roster solver over a range of days, as a dry run or for real, and read what it
 * picked and what it could not cover. A run takes 10-30 s: one at a time. */
export function Roster({ api, rd }: { api: Api; rd: Reference }) {
  const home = rd.zones.XSP ? "XSP" : rd.airports[0]?.code ?? "";
  const [form, setForm] = useState<RosterForm>(() => {
    const tz = rd.zones[home] ?? "UTC";
    return { first: todayIn(tz), last: todayIn(tz, 6), base: "" };
  });
  const dayAirport = form.base || home;
  const tz = rd.zones[dayAirport] ?? "UTC";
  const [errors, setErrors] = useState<Partial<Record<keyof RosterForm, string>>>({});
  const [running, setRunning] = useState<"dry" | "generate" | null>(null);
  const [error, setError] = useState<string | null>(null);
  const [run, setRun] = useState<RosterRun | null>(null);
  const inFlight = useRef(false);

  const start = async (dryRun: boolean) => {
    if (inFlight.current) return; // a second click while the solver works sends nothing
    const { errors: e, body } = rosterRequest(form, tz, dryRun);
    setErrors(e);
    if (!body) return;
    inFlight.current = true;
    setRunning(dryRun ? "dry" : "generate"); setError(null);
    try { setRun(await api.request<RosterRun>("POST", "/crew/roster", body)); }
    catch (err) { setError((err as Error).message); }
    finally { inFlight.current = false; setRunning(null); }
  };
  const set = (k: keyof RosterForm) => (e: { target: { value: string } }) => setForm({ ...form, [k]: e.target.value });
  const submit = (e: FormEvent) => { e.preventDefault(); void start(true); };

  return (
    <Card title="Crew roster">
      <form onSubmit={submit} aria-label="roster run" aria-busy={running !== null || undefined} className="ui-stack" noValidate>
        <div className="op-grid">
          <Field label={`First day (local ${dayAirport})`} type="date" value={form.first} onChange={set("first")} error={errors.first} />
          <Field label={`Last day (local ${dayAirport})`} type="date" value={form.last} onChange={set("last")} error={errors.last} />
          <Select label="Base" value={form.base} onChange={set("base")}
            options={[{ value: "", label: "Every airport" }, ...rd.airports.map((a) => ({ value: a.code, label: `${a.code} · ${a.city || a.name}` }))]} />
        </div>
        <p className="op-muted">A dry run solves and shows the roster without writing it. Generate writes the proposals; duties crew already hold are kept.</p>
        <div className="op-buttons">
          <Button type="submit" variant="secondary" busy={running === "dry"} disabled={running !== null}>Dry run</Button>
          <Button type="button" busy={running === "generate"} disabled={running !== null} onClick={() => void start(false)}>Generate</Button>
        </div>
      </form>
      {running ? <p role="status" className="op-muted"><Spinner label="solving" /> Solving the roster{running === "dry" ? " (dry run)" : ""}: this takes 10 to 30 seconds…</p> : null}
      {error ? <Alert kind="error">Roster run failed: {error}</Alert> : null}
      {run ? <RosterResult run={run} zones={rd.zones} /> : null}
    </Card>
  );
}

function RosterResult({ run, zones }: { run: RosterRun; zones: Record<string, string> }) {
  return (
    <section aria-label="roster result" className="op-panel">
      <h3>{run.dry_run ? "Dry run: nothing written" : "Roster generated"}</h3>
      <dl className="op-totals" data-testid="roster-totals">
        <dt>Proposed</dt><dd>{run.proposed}</dd>
        <dt>Flights short</dt><dd>{run.flights_short}</dd>
        <dt>Solver</dt><dd>{run.solver_seconds.toFixed(1)} s · {run.solver_status}</dd>
      </dl>
      {run.flights.length ? (
        <div className="op-scroll"><table className="ui-table" aria-label="roster per flight">
          <thead><tr><th scope="col">Flight</th><th scope="col">Route</th><th scope="col">Departure (local)</th><th scope="col">Readiness</th>
            <th scope="col">Kept</th><th scope="col">Picked</th><th scope="col">Uncovered</th></tr></thead>
          <tbody>{run.flights.map((f) => <FlightRow key={f.flight_id} f={f} tz={zones[f.origin] ?? "UTC"} />)}</tbody>
        </table></div>
      ) : <p className="op-muted">No flights to crew in this range.</p>}
    </section>
  );
}

function FlightRow({ f, tz }: { f: RosterFlight; tz: string }) {
  return (
    <tr>
      <th scope="row">{f.flight_number}</th>
      <td>{f.origin} → {f.destination}</td>
      <td>{formatLocalDate(f.departure, tz)} {formatLocalTime(f.departure, tz)}</td>
      <td><Badge tone={READINESS_TONE[f.readiness]}>{f.readiness}</Badge></td>
      <td>{f.kept}</td>
      <td>{f.picked.length ? <ul className="op-list">{f.picked.map((p) => <li key={p.member_id}>{p.member_name} ({roleName(p.role)})</li>)}</ul> : "—"}</td>
      <td>{f.uncovered.length ? <ul className="op-list">{f.uncovered.map((u) => (
        <li key={u.role}><strong>{roleName(u.role)} × {u.missing}</strong>: {u.reason}</li>
      ))}</ul> : "—"}</td>
    </tr>
  );
}

const STATE_TONE = { accepted: "success", proposed: "warning", declined: "danger", removed: undefined, cancelled: undefined } as const;

/** Every member's duties over local days of an airport (GET /crew/roster): who flies what, and
 * whether they accepted. */
export function RosterView({ api, rd }: { api: Api; rd: Reference }) {
  const tz = rd.zones.XSP ?? "UTC";
  const [first, setFirst] = useState(() => todayIn(tz));
  const [last, setLast] = useState(() => todayIn(tz, 2));
  const [roster, setRoster] = useState<RosterOut | null>(null);
  const [error, setError] = useState<string | null>(null);
  const query = rosterViewQuery(first, last, tz);
  useEffect(() => {
    let live = true;
    setRoster(null); setError(null);
    if (query.error) return;
    api.request<RosterOut>("GET", `/crew/roster?${query.qs}`).then((r) => live && setRoster(r)).catch((e: Error) => live && setError(e.message));
    return () => { live = false; };
  }, [api, query.qs, query.error]);
  const rows = (roster?.entries ?? []).filter((e) => e.assignments.length);
  return (
    <Card title="Duties">
      <div className="op-grid" role="group" aria-label="duty days">
        <Field label="From day (local XSP)" type="date" value={first} onChange={(e) => setFirst(e.target.value)} />
        <Field label="Until day" type="date" value={last} onChange={(e) => setLast(e.target.value)} error={query.error} />
      </div>
      {error ? <Alert kind="error">{error}</Alert> : null}
      {roster === null && !error && !query.error ? <p className="op-muted"><Spinner label="loading duties" /> Loading duties…</p> : null}
      {roster ? (
        <div className="op-scroll"><table className="ui-table" aria-label="duties per member">
          <thead><tr><th scope="col">Member</th><th scope="col">Role</th><th scope="col">Base</th><th scope="col">Duties</th></tr></thead>
          <tbody>{rows.map(({ member: m, assignments }) => (
            <tr key={m.id}><th scope="row">{m.name}</th><td>{roleName(m.role)}</td><td>{m.home_base}</td>
              <td><ul className="op-list">{assignments.map((a) => (
                <li key={a.id}>{a.flight_number} {a.origin}→{a.destination} {a.departure ? `${formatLocalDate(a.departure, rd.zones[a.origin] ?? "UTC")} ${formatLocalTime(a.departure, rd.zones[a.origin] ?? "UTC")}` : ""}{" "}
                  <Badge tone={STATE_TONE[a.state]}>{a.state}</Badge></li>
              ))}</ul></td></tr>
          ))}{rows.length === 0 ? <tr><td colSpan={4}>No duties in these days.</td></tr> : null}</tbody>
        </table></div>
      ) : null}
    </Card>
  );
}
