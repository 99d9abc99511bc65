import { useState } from "react";
import { Badge, Button, Select, formatLocalTime } from "@airline/ui";
import type { CabinList, DepartureApi, FlightPassenger, GateLists, GatePassenger, StandbyCleared, UpgradesCleared } from "./api";
import { useAction } from "./hooks";
import { FARE, NAME, PNR, PassengerTable, Refusal, SEAT, STATUS, cabinName, checkedIn, type Column } from "./parts";

type Cleared = { kind: "standby"; r: StandbyCleared } | { kind: "upgrades"; r: UpgradesCleared };

/** Per cabin: seats against who is expected, volunteers, denied-boarding candidates, standby and
 * the upgrade list into it; clearing standby or upgrades, and who moved where. */
export function GateListsPanel({ d, lists, passengers, tz, onChanged }: {
  d: DepartureApi; lists: GateLists; passengers: FlightPassenger[]; tz: string; onChanged: (lists?: GateLists) => void;
}) {
  const { busy, error, run } = useAction();
  const [cleared, setCleared] = useState<Cleared | null>(null);
  const act = async (call: () => Promise<GateLists>) => { const r = await run(call); if (r) onChanged(r); };
  const clear = async (kind: Cleared["kind"]) => {
    const r = kind === "standby" ? await run(d.clearStandby) : await run(d.clearUpgrades);
    if (r) { setCleared({ kind, r } as Cleared); onChanged(); }
  };
  const withdraw: Column = { head: "Action", cell: (p) => <Button variant="secondary" disabled={busy} onClick={() => act(() => d.volunteer(p, false))}>Withdraw {p.name}</Button> };
  const volunteer: Column = { head: "Action", cell: (p) => <Button variant="secondary" disabled={busy} onClick={() => act(() => d.volunteer(p, true))}>{p.name} volunteers</Button> };
  const unlist: Column = { head: "Action", cell: (p) => <Button variant="secondary" disabled={busy} onClick={() => act(() => d.unlistUpgrade(p))}>Take {p.name} off</Button> };
  const rank: Column = { head: "Priority", cell: (_p, i) => i + 1 };
  const since: Column = { head: "Listed at", cell: (p) => formatLocalTime(p.upgrade_requested_at, tz) };

  return (
    <section className="ui-card" aria-labelledby="dk-gl">
      <h2 id="dk-gl">Gate lists</h2>
      <p className="dk-muted">Upgrade priority: {lists.priority || "highest fare per seat, then who was listed first"}.</p>
      <div className="ui-row dk-actions">
        <Button busy={busy} onClick={() => clear("standby")}>Clear standby</Button>
        <Button busy={busy} onClick={() => clear("upgrades")}>Clear upgrades</Button>
      </div>
      <Refusal text={error} />
      {cleared ? <ClearedResult cleared={cleared} /> : null}
      <ListPassenger passengers={passengers} busy={busy}
        onVolunteer={(p) => act(() => d.volunteer(p, true))} onUpgrade={(p) => act(() => d.listUpgrade(p))} />
      {!lists.cabins.length ? <p className="dk-muted">No cabins on this flight's plane.</p> : null}
      {lists.cabins.map((c) => (
        <section key={c.cabin_class} className="dk-cabin" aria-label={`cabin ${c.cabin_class}`}>
          <h3>{cabinName(c.cabin_class)} <CabinLoad c={c} /></h3>
          <h4>Volunteers ({c.volunteers.length})</h4>
          <PassengerTable label={`volunteers ${c.cabin_class}`} rows={c.volunteers} columns={[NAME, PNR, SEAT, STATUS, withdraw]} empty="No volunteers." />
          <h4>Denied-boarding candidates ({c.denied_boarding_candidates.length})</h4>
          <PassengerTable label={`denied-boarding candidates ${c.cabin_class}`} rows={c.denied_boarding_candidates} columns={[NAME, PNR, SEAT, STATUS, volunteer]}
            empty={c.over > 0 ? "No candidates named yet." : "Nobody: the cabin is not oversold."} />
          <h4>Standby ({c.standby.length})</h4>
          <PassengerTable label={`standby ${c.cabin_class}`} rows={c.standby} columns={[NAME, PNR, checkedIn(tz)]} empty="Nobody on standby." />
          <h4>Upgrade list into {cabinName(c.cabin_class)} ({c.upgrades.length})</h4>
          <PassengerTable label={`upgrades ${c.cabin_class}`} rows={c.upgrades} columns={[rank, NAME, PNR, SEAT, FARE, since, unlist]} empty="Nobody listed." />
        </section>
      ))}
    </section>
  );
}

function CabinLoad({ c }: { c: CabinList }) {
  return (
    <span className="dk-load" data-testid={`load-${c.cabin_class}`}>
      {c.seats} seats · {c.passengers} expected{" "}
      {c.over > 0 ? <Badge tone="danger">{c.over} over</Badge> : <Badge tone="success">fits</Badge>}
    </span>
  );
}

/** Record a volunteer or put a checked-in passenger on the upgrade list, picked from the flight's passengers. */
function ListPassenger({ passengers, busy, onVolunteer, onUpgrade }: {
  passengers: FlightPassenger[]; busy: boolean; onVolunteer: (p: FlightPassenger) => void; onUpgrade: (p: FlightPassenger) => void;
}) {
  const [key, setKey] = useState("");
  const candidates = passengers.filter((p) => p.status === "booked" || p.status === "checked_in");
  const picked = candidates.find((p) => `${p.booking_id}/${p.passenger_id}` === key);
  return (
    <form className="ui-row dk-actions" aria-label="list a passenger" onSubmit={(e) => e.preventDefault()}>
      <Select label="Passenger" value={key} onChange={(e) => setKey(e.target.value)}
        options={[{ value: "", label: candidates.length ? "Choose a passenger" : "No passenger waiting to board" },
          ...candidates.map((p) => ({ value: `${p.booking_id}/${p.passenger_id}`, label: `${p.last_name}/${p.first_name} · ${p.pnr} · ${p.seat || "no seat"} · ${p.status.replace("_", " ")}` }))]} />
      <Button type="button" variant="secondary" disabled={!picked || busy} onClick={() => picked && onVolunteer(picked)}>Record as volunteer</Button>
      <Button type="button" variant="secondary" disabled={!picked || busy} onClick={() => picked && onUpgrade(picked)}>Put on the upgrade list</Button>
    </form>
  );
}

const moved = (p: GatePassenger) => `${p.name}: ${p.upgraded_from_seat || "—"} → ${p.seat} (${cabinName(p.cabin_class)})`;

/** What a clearing did: who got which seat, who is still waiting. */
function ClearedResult({ cleared }: { cleared: Cleared }) {
  const lines = cleared.kind === "standby"
    ? { title: "Standby cleared", got: cleared.r.cleared.map((p) => `${p.name}: seat ${p.seat}`), left: cleared.r.still_standby, leftLabel: "still on standby" }
    : { title: "Upgrades cleared", got: cleared.r.upgraded.map(moved), left: cleared.r.still_listed, leftLabel: "still listed" };
  return (
    <div className="ui-alert ui-alert--success" role="status" data-testid="cleared">
      <strong>{lines.title}</strong>
      {lines.got.length ? <ul>{lines.got.map((l) => <li key={l}>{l}</li>)}</ul> : <p>Nobody moved.</p>}
      {cleared.r.released_seats.length ? <p>Seats freed from passengers who never checked in: {cleared.r.released_seats.join(", ")}</p> : null}
      {lines.left.length ? <p>{lines.left.length} {lines.leftLabel}: {lines.left.map((p) => p.name).join(", ")}</p> : null}
    </div>
  );
}
