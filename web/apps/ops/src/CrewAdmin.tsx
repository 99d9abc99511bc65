import { useEffect, useState, type FormEvent } from "react";
import { Alert, Badge, Button, Card, Field, Select, type Api } from "@airline/ui";
import { qs, type Reference } from "./data";
import { useAsync } from "./panels";
import {
  ABSENCE_KINDS, CREW_ROLES, absenceErrors, memberRequest, options, words,
  type Absence, type CrewMember, type MemberForm,
} from "./adminRules";
import { Outcome, useSave } from "./editing";
import { RosterView } from "./Roster";
import { utcToZoned, zonedToUtc } from "./time";

const emptyMember = (): MemberForm => ({ name: "", role: "flight_attendant", qualifications: "", home_base: "XSP", email: "", phone: "" });

/** Crew administration: the members (filter, add, open one for its leave, sickness and training
 * windows) and every member's duties over a range. */
export function CrewAdmin({ api, rd }: { api: Api; rd: Reference }) {
  const [role, setRole] = useState("");
  const [base, setBase] = useState("");
  const [version, setVersion] = useState(0);
  const [open, setOpen] = useState<string | null>(null);
  const list = useAsync(() => api.request<{ members: CrewMember[] }>("GET", `/crew/members?${qs({ role, home_base: base })}`), [api, role, base, version]);
  const members = list.data?.members ?? [];
  return (
    <>
      <Card title="Crew members">
        <div className="op-grid" role="group" aria-label="member filter">
          <Select label="Role" value={role} options={[{ value: "", label: "All roles" }, ...options(CREW_ROLES)]} onChange={(e) => setRole(e.target.value)} />
          <Select label="Home base" value={base} options={[{ value: "", label: "All bases" }, ...rd.airports.map((a) => ({ value: a.code, label: a.code }))]} onChange={(e) => setBase(e.target.value)} />
        </div>
        {list.error ? <Alert kind="error">{list.error}</Alert> : null}
        <div className="op-scroll"><table className="ui-table" aria-label="crew members">
          <thead><tr><th scope="col">Name</th><th scope="col">Role</th><th scope="col">Base</th><th scope="col">Aircraft types</th><th scope="col">Absences</th><th scope="col">Open</th></tr></thead>
          <tbody>{members.map((m) => (
            <tr key={m.id}><th scope="row">{m.name}{m.active ? null : <> <Badge tone="warning">inactive</Badge></>}</th><td>{words(m.role)}</td><td>{m.home_base}</td>
              <td>{m.qualifications.join(", ")}</td><td>{m.absences.length}</td>
              <td className="op-actions"><Button variant="secondary" aria-label={`view ${m.name}`} onClick={() => setOpen(open === m.id ? null : m.id)}>View</Button></td></tr>
          ))}{list.data && !members.length ? <tr><td colSpan={6}>No crew members{role || base ? " match this filter" : " yet"}.</td></tr> : null}</tbody>
        </table></div>
        {open ? <MemberView key={open} api={api} rd={rd} id={open} onChanged={() => setVersion((v) => v + 1)} /> : null}
        <NewMember api={api} rd={rd} onCreated={(m) => { setVersion((v) => v + 1); setOpen(m.id); }} />
      </Card>
      <RosterView api={api} rd={rd} />
    </>
  );
}

function NewMember({ api, rd, onCreated }: { api: Api; rd: Reference; onCreated: (m: CrewMember) => void }) {
  const [form, setForm] = useState<MemberForm>(emptyMember);
  const save = useSave(["name", "role", "qualifications", "home_base", "email", "phone"]);
  const set = (k: keyof MemberForm) => (e: { target: { value: string } }) => { setForm({ ...form, [k]: e.target.value }); save.clear(k); };
  const submit = (e: FormEvent) => {
    e.preventDefault();
    const { errors, body } = memberRequest(form);
    void save.run(errors, async () => {
      const m = await api.request<CrewMember>("POST", "/crew/members", body);
      setForm(emptyMember());
      onCreated(m);
      return `Added ${m.name} (${words(m.role)}, ${m.home_base}).`;
    });
  };
  return (
    <form onSubmit={submit} aria-label="add a crew member" className="ui-stack op-panel" noValidate>
      <h3>Add a crew member</h3>
      <div className="op-grid">
        <Field label="Name" value={form.name} maxLength={120} onChange={set("name")} error={save.errors.name} />
        <Select label="Crew role" value={form.role} options={options(CREW_ROLES)} onChange={set("role")} error={save.errors.role} />
        <Field label="Aircraft types" value={form.qualifications} onChange={set("qualifications")} error={save.errors.qualifications} hint="comma separated, e.g. A320-200, A321neo" />
        <Select label="Member home base" value={form.home_base} options={rd.airports.map((a) => ({ value: a.code, label: `${a.code} · ${a.city || a.name}` }))} onChange={set("home_base")} error={save.errors.home_base} />
        <Field label="E-mail" type="email" value={form.email} maxLength={200} onChange={set("email")} error={save.errors.email} />
        <Field label="Phone" type="tel" value={form.phone} maxLength={40} onChange={set("phone")} error={save.errors.phone} />
      </div>
      <Outcome error={save.error} done={save.done} label="member" />
      <div><Button type="submit" busy={save.busy}>Add member</Button></div>
    </form>
  );
}

/** One member and their absence windows: add or drop one (the duties it touches are re-crewed). */
function MemberView({ api, rd, id, onChanged }: { api: Api; rd: Reference; id: string; onChanged: () => void }) {
  const [member, setMember] = useState<CrewMember | null>(null);
  const [error, setError] = useState<string | null>(null);
  useEffect(() => {
    api.request<CrewMember>("GET", `/crew/members/${encodeURIComponent(id)}`).then(setMember).catch((e: Error) => setError(e.message));
  }, [api, id]);
  const tz = rd.zones[member?.home_base ?? ""] ?? "UTC";
  const [kind, setKind] = useState("leave");
  const [starts, setStarts] = useState("");
  const [ends, setEnds] = useState("");
  const [note, setNote] = useState("");
  const save = useSave(["kind", "starts_at", "ends_at", "note"]);
  const put = (absences: Absence[], what: string) => save.run({}, async () => {
    // route-coverage: PUT /crew/members/{member_id}/availability
    const m = await api.request<CrewMember>("PUT", `/crew/members/${encodeURIComponent(id)}/availability`, { absences });
    setMember(m); onChanged();
    return what;
  });
  const add = (e: FormEvent) => {
    e.preventDefault();
    const errors = absenceErrors(starts, ends);
    if (Object.keys(errors).length) return void save.run(errors, async () => "");
    const window = { kind: kind as Absence["kind"], starts_at: zonedToUtc(starts, tz), ends_at: zonedToUtc(ends, tz), note: note.trim() };
    void put([...(member?.absences ?? []), window], `Added ${kind} from ${starts.replace("T", " ")} to ${ends.replace("T", " ")} (${member?.home_base} time).`)
      .then(() => { setStarts(""); setEnds(""); setNote(""); });
  };
  if (error) return <Alert kind="error">{error}</Alert>;
  if (!member) return <p className="op-muted">Loading…</p>;
  return (
    <section className="op-panel ui-stack" aria-label={`member ${member.name}`}>
      <h3>{member.name}</h3>
      <dl className="op-totals">
        <dt>Role</dt><dd>{words(member.role)}</dd><dt>Home base</dt><dd>{member.home_base}</dd>
        <dt>Aircraft types</dt><dd>{member.qualifications.join(", ")}</dd>
        <dt>Contact</dt><dd>{[member.email, member.phone].filter(Boolean).join(" · ") || "—"}</dd>
        <dt>Account</dt><dd>{member.user_id ? "linked" : "none"}</dd>
      </dl>
      <div className="op-scroll"><table className="ui-table" aria-label={`absences of ${member.name}`}>
        <thead><tr><th scope="col">Kind</th><th scope="col">From ({member.home_base})</th><th scope="col">Until</th><th scope="col">Note</th><th scope="col">Drop</th></tr></thead>
        <tbody>{member.absences.map((a, i) => (
          <tr key={`${a.kind}${a.starts_at}`}><th scope="row">{a.kind}</th><td>{utcToZoned(a.starts_at, tz).replace("T", " ")}</td><td>{utcToZoned(a.ends_at, tz).replace("T", " ")}</td><td>{a.note}</td>
            <td className="op-actions"><Button variant="secondary" aria-label={`drop ${a.kind} from ${utcToZoned(a.starts_at, tz).replace("T", " ")}`}
              onClick={() => void put(member.absences.filter((_, j) => j !== i), `Dropped the ${a.kind} window.`)}>Drop</Button></td></tr>
        ))}{member.absences.length === 0 ? <tr><td colSpan={5}>Available: no leave, sickness or training.</td></tr> : null}</tbody>
      </table></div>
      <form onSubmit={add} aria-label="add an absence" className="ui-stack" noValidate>
        <div className="op-grid">
          <Select label="Absence" value={kind} options={options(ABSENCE_KINDS)} onChange={(e) => setKind(e.target.value)} />
          <Field label={`Starts (local ${member.home_base})`} type="datetime-local" value={starts} onChange={(e) => { setStarts(e.target.value); save.clear("starts_at"); }} error={save.errors.starts_at} />
          <Field label={`Ends (local ${member.home_base})`} type="datetime-local" value={ends} onChange={(e) => { setEnds(e.target.value); save.clear("ends_at"); }} error={save.errors.ends_at} />
          <Field label="Note" value={note} maxLength={200} onChange={(e) => setNote(e.target.value)} error={save.errors.note} />
        </div>
        <Outcome error={save.error} done={save.done || null} label="availability" />
        <div><Button type="submit" busy={save.busy}>Add absence</Button></div>
      </form>
    </section>
  );
}
