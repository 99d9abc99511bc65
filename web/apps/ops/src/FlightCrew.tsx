import { useEffect, useState, type FormEvent } from "react";
import { Alert, Badge, Button, Card, Field, Select, type Api } from "@airline/ui";
import type { Reference } from "./data";
import { CREW_ROLES, options, words, type Assignment, type CrewMember, type FlightCrewOut } from "./adminRules";
import { FlightPicker, Outcome, useSave } from "./editing";
import type { OpsFlight } from "./types";

const READY_TONE = { complete: "success", pending: "warning", short: "danger" } as const;
const STATE_TONE: Record<string, "success" | "warning" | "danger" | undefined> = { accepted: "success", proposed: "warning", declined: "danger" };

/** One departure's crew: readiness per role, who is on it, a proposal for the roles it lacks,
 * a member assigned by hand (with a reason when a crew rule refuses) and removing one (confirmed). */
export function FlightCrewDesk({ api, rd }: { api: Api; rd: Reference }) {
  const [flight, setFlight] = useState<OpsFlight | null>(null);
  return (
    <Card title="A flight's crew" aria-label="flight crew">
      <FlightPicker api={api} rd={rd} flight={flight} onPick={setFlight} />
      {flight ? <CrewOf key={flight.id} api={api} flight={flight} /> : <p className="op-muted">Choose a departure to see and change its crew.</p>}
    </Card>
  );
}

function CrewOf({ api, flight }: { api: Api; flight: OpsFlight }) {
  const base = `/flights/${encodeURIComponent(flight.id)}/crew`;
  const [crew, setCrew] = useState<FlightCrewOut | null>(null);
  const [error, setError] = useState<string | null>(null);
  const [removing, setRemoving] = useState<Assignment | null>(null);
  const propose = useSave([]);
  const [attempt, setAttempt] = useState(0);
  useEffect(() => {
    setError(null);
    // route-coverage: GET /flights/{flight_id}/crew
    api.request<FlightCrewOut>("GET", base).then(setCrew).catch((e: Error) => setError(e.message));
  }, [api, base, attempt]);
  const doPropose = () => propose.run({}, async () => {
    // route-coverage: POST /flights/{flight_id}/crew/propose
    const before = crew?.assignments.length ?? 0;
    const c = await api.request<FlightCrewOut>("POST", `${base}/propose`, {});
    setCrew(c);
    const added = c.assignments.length - before;
    return added > 0 ? `Proposed ${added} member${added === 1 ? "" : "s"}; they are asked to accept.` : c.short_roles.length ? `No legal member found for: ${c.short_roles.map(words).join(", ")}.` : "Nothing to propose: every role is filled.";
  });
  if (error) return <div className="ui-stack"><Alert kind="error">{error}</Alert><div><Button variant="secondary" onClick={() => setAttempt((a) => a + 1)}>Try again</Button></div></div>;
  if (!crew) return <p className="op-muted">Loading the crew…</p>;
  const standing = crew.assignments.filter((a) => a.state === "proposed" || a.state === "accepted");
  return (
    <section className="ui-stack" aria-label={`crew of ${flight.number}`}>
      <p data-testid="crew-readiness">
        {flight.number} {flight.origin}→{flight.destination} · {crew.aircraft_type} · <Badge tone={READY_TONE[crew.readiness]}>{crew.readiness}</Badge>{" "}
        {crew.roles.map((r) => `${words(r.role)} ${r.accepted}/${r.required}${r.proposed ? ` (+${r.proposed} proposed)` : ""}`).join(" · ")}
      </p>
      <div className="op-scroll"><table className="ui-table" aria-label={`assigned crew of ${flight.number}`}>
        <thead><tr><th scope="col">Member</th><th scope="col">Role</th><th scope="col">State</th><th scope="col">Source</th><th scope="col">Rules</th><th scope="col">Remove</th></tr></thead>
        <tbody>{standing.map((a) => (
          <tr key={a.id}><th scope="row">{a.member_name}</th><td>{words(a.role)}</td><td><Badge tone={STATE_TONE[a.state]}>{a.state}</Badge></td>
            <td>{a.source}{a.override_reason ? <div className="op-muted">override: {a.override_reason}</div> : null}</td>
            <td>{a.violations.length ? a.violations.map((v) => v.message).join("; ") : "—"}</td>
            <td className="op-actions"><Button variant="danger" aria-label={`remove ${a.member_name}`} onClick={() => setRemoving(a)}>Remove</Button></td></tr>
        ))}{standing.length === 0 ? <tr><td colSpan={6}>Nobody is on this flight yet.</td></tr> : null}</tbody>
      </table></div>
      {removing ? <RemoveMember key={removing.id} api={api} base={base} flight={flight} who={removing} onDone={(c) => { setCrew(c); setRemoving(null); }} onNo={() => setRemoving(null)} /> : null}
      <div className="op-buttons"><Button variant="secondary" busy={propose.busy} onClick={() => void doPropose()}>Propose crew</Button></div>
      <Outcome error={propose.error} done={propose.done} label="propose" />
      <AssignMember api={api} base={base} flight={flight} onDone={setCrew} />
    </section>
  );
}

function RemoveMember({ api, base, flight, who, onDone, onNo }: { api: Api; base: string; flight: OpsFlight; who: Assignment; onDone: (c: FlightCrewOut) => void; onNo: () => void }) {
  const [reason, setReason] = useState("");
  const save = useSave(["reason"]);
  const yes = () => save.run({}, async () => {
    // route-coverage: DELETE /flights/{flight_id}/crew/{member_id}
    onDone(await api.request<FlightCrewOut>("DELETE", `${base}/${encodeURIComponent(who.member_id)}?${new URLSearchParams({ reason: reason.trim() })}`));
    return "";
  });
  return (
    <div className="op-panel ui-stack" role="alertdialog" aria-label="confirm removal">
      <p>Remove <strong>{who.member_name}</strong> ({words(who.role)}) from <strong>{flight.number}</strong> {flight.origin}→{flight.destination}? They are told, and the role is open again.</p>
      <Field label="Reason (optional)" value={reason} maxLength={500} onChange={(e) => setReason(e.target.value)} error={save.errors.reason} />
      <Outcome error={save.error} done={null} label="remove" />
      <div className="op-actions">
        <Button variant="danger" busy={save.busy} onClick={() => void yes()}>Yes, remove {who.member_name}</Button>
        <Button variant="secondary" disabled={save.busy} onClick={onNo}>No, keep</Button>
      </div>
    </div>
  );
}

function AssignMember({ api, base, flight, onDone }: { api: Api; base: string; flight: OpsFlight; onDone: (c: FlightCrewOut) => void }) {
  const [role, setRole] = useState("flight_attendant");
  const [members, setMembers] = useState<CrewMember[] | null>(null);
  const [memberId, setMemberId] = useState("");
  const [override, setOverride] = useState("");
  const save = useSave(["member_id", "override_reason"]);
  useEffect(() => {
    setMembers(null); setMemberId("");
    api.request<{ members: CrewMember[] }>("GET", `/crew/members?${new URLSearchParams({ role })}`).then((r) => setMembers(r.members.filter((m) => m.active)))
      .catch(() => setMembers([]));
  }, [api, role]);
  const submit = (e: FormEvent) => {
    e.preventDefault();
    const who = members?.find((m) => m.id === memberId);
    void save.run(who ? {} : { member_id: "Choose a member" }, async () => {
      // route-coverage: POST /flights/{flight_id}/crew
      onDone(await api.request<FlightCrewOut>("POST", base, { member_id: memberId, override_reason: override.trim() }));
      return `${who!.name} is assigned to ${flight.number}${override.trim() ? " (rule overridden)" : ""}: asked to accept.`;
    });
  };
  const choices = [{ value: "", label: members === null ? "Loading…" : members.length ? "Choose…" : "No member with this role" },
    ...(members ?? []).map((m) => ({ value: m.id, label: `${m.name} · ${m.home_base} · ${m.qualifications.join("/")}` }))];
  return (
    <form onSubmit={submit} aria-label="assign a member" className="ui-stack op-panel" noValidate>
      <h3>Assign by hand</h3>
      <div className="op-grid">
        <Select label="Crew role" value={role} options={options(CREW_ROLES)} onChange={(e) => setRole(e.target.value)} />
        <Select label="Member" value={memberId} options={choices} onChange={(e) => { setMemberId(e.target.value); save.clear("member_id"); }} error={save.errors.member_id} />
        <Field label="Override reason" value={override} maxLength={500} onChange={(e) => setOverride(e.target.value)} error={save.errors.override_reason}
          hint="only when a crew rule refuses the member (rest, duty time, qualification)" />
      </div>
      <Outcome error={save.error} done={save.done} label="assign" />
      <div><Button type="submit" busy={save.busy}>Assign</Button></div>
    </form>
  );
}
