import { useState } from "react";
import { Badge, Button, formatLocalTime } from "@airline/ui";
import type { ApisExport, DepartureApi, FinalManifest, LoadSheet, Reconciliation } from "./api";
import { useAction } from "./hooks";
import { Refusal, cabinName, countsText, statusText } from "./parts";

const kg = (n: number) => `${n.toLocaleString("en-GB", { maximumFractionDigits: 1 })} kg`;

/** Bags of offloaded passengers: which are still in the hold, and whether the flight may go. */
export function ReconciliationPanel({ r }: { r: Reconciliation }) {
  const still = new Set(r.still_loaded);
  return (
    <section className="ui-card" aria-labelledby="dk-rec">
      <h2 id="dk-rec">Bag reconciliation</h2>
      <dl className="dk-facts">
        <dt>Ready</dt><dd data-testid="reconciliation-ready">{r.ready ? <Badge tone="success">ready: no offloaded bag on board</Badge>
          : <Badge tone="danger">not ready: {r.still_loaded.length} bag{r.still_loaded.length === 1 ? "" : "s"} still loaded</Badge>}</dd>
        <dt>Door</dt><dd>{r.door_closed ? "closed" : "open"}</dd>
        <dt>Bags flying</dt><dd>{r.flying_bags} · {kg(r.flying_weight_kg)}</dd>
      </dl>
      {r.to_offload.length ? (
        <div className="dk-scroll">
          <table className="ui-table" aria-label="bags to offload">
            <thead><tr><th scope="col">Tag</th><th scope="col">Passenger</th><th scope="col">PNR</th><th scope="col">Weight</th><th scope="col">Status</th></tr></thead>
            <tbody>{r.to_offload.map((b) => (
              <tr key={b.tag}><td className="dk-mono">{b.tag}</td><td>{b.passenger_name}</td><td className="dk-mono">{b.pnr}</td><td>{kg(b.weight_kg)}</td>
                <td>{still.has(b.tag) ? <Badge tone="danger">still loaded: take it off</Badge> : <Badge tone="success">{statusText(b.status)}</Badge>}</td></tr>
            ))}</tbody>
          </table>
        </div>
      ) : <p className="dk-muted">No bag is flagged to come off.</p>}
    </section>
  );
}

/** The passenger and bag manifests (final once the door is closed), and the APIS export. */
export function ManifestPanel({ d, m, tz }: { d: DepartureApi; m: FinalManifest; tz: string }) {
  const meals = Object.entries(m.special_meals);
  return (
    <section className="ui-card" aria-labelledby="dk-fm">
      <h2 id="dk-fm">Final manifest {m.door_closed ? <Badge tone="success">final</Badge> : <Badge tone="warning">provisional: the door is open</Badge>}</h2>
      <dl className="dk-facts">
        <dt>Flight</dt><dd>{m.flight_number} {m.origin} → {m.destination} · {formatLocalTime(m.departure, tz)}</dd>
        <dt>Boarded</dt><dd data-testid="manifest-boarded">{countsText(m.boarded)}</dd>
        <dt>Offloaded</dt><dd>{countsText(m.offloaded)}</dd>
        <dt>Special meals</dt><dd>{meals.length ? meals.map(([meal, n]) => `${meal} × ${n}`).join(", ") : "none"}</dd>
        <dt>Bags flying</dt><dd>{m.bags.count} · {kg(m.bags.total_weight_kg)}</dd>
      </dl>
      {m.passengers.length ? (
        <div className="dk-scroll">
          <table className="ui-table" aria-label="passenger manifest">
            <thead><tr><th scope="col">Passenger</th><th scope="col">PNR</th><th scope="col">Type</th><th scope="col">Cabin</th><th scope="col">Seat</th><th scope="col">Status</th><th scope="col">Meal</th></tr></thead>
            <tbody>{m.passengers.map((p) => (
              <tr key={`${p.booking_id}-${p.passenger_id}`}><td>{p.last_name}/{p.first_name}{p.volunteer ? " (volunteer)" : ""}</td><td className="dk-mono">{p.pnr}</td>
                <td>{p.passenger_type}</td><td>{cabinName(p.cabin_class)}</td><td className="dk-mono">{p.seat || "—"}</td><td>{statusText(p.status)}</td><td>{p.special_meal || "—"}</td></tr>
            ))}</tbody>
          </table>
        </div>
      ) : <p className="dk-muted">No passengers on this flight.</p>}
      <Apis d={d} />
    </section>
  );
}

function Apis({ d }: { d: DepartureApi }) {
  const [apis, setApis] = useState<ApisExport | null>(null);
  const { busy, error, run } = useAction();
  const show = async () => { const r = await run(d.apis); if (r) setApis(r); };
  const download = () => run(async () => {
    const csv = await d.apisCsv();
    const url = URL.createObjectURL(new Blob([csv], { type: "text/csv" }));
    const a = document.createElement("a");
    a.href = url; a.download = `apis-${apis?.flight_number ?? "flight"}.csv`;
    document.body.appendChild(a); a.click(); a.remove();
    URL.revokeObjectURL(url);
  });
  return (
    <section aria-labelledby="dk-apis" className="ui-stack">
      <h3 id="dk-apis">APIS (travel documents of who boarded)</h3>
      <div className="ui-row dk-actions">
        <Button variant="secondary" busy={busy} onClick={show}>Show APIS records</Button>
        <Button variant="secondary" busy={busy} onClick={download}>Download APIS CSV</Button>
      </div>
      <Refusal text={error} />
      {apis ? (apis.passengers.length ? (
        <div className="dk-scroll">
          <p className="dk-muted">{apis.final ? "Final: the door is closed." : "Not final: the door is still open."}</p>
          <table className="ui-table" aria-label="APIS records">
            <thead><tr><th scope="col">Name</th><th scope="col">Born</th><th scope="col">Nationality</th><th scope="col">Document</th><th scope="col">Expires</th><th scope="col">Seat</th></tr></thead>
            <tbody>{apis.passengers.map((p) => (
              <tr key={`${p.pnr}-${p.document_number}-${p.last_name}-${p.first_name}`}><td>{p.last_name}/{p.first_name}</td><td>{p.date_of_birth}</td><td>{p.nationality}</td>
                <td className="dk-mono">{p.document_type} {p.document_number}</td><td>{p.document_expiry}</td><td className="dk-mono">{p.seat || "—"}</td></tr>
            ))}</tbody>
          </table>
        </div>
      ) : <p className="dk-muted">Nobody has boarded yet: no APIS records.</p>) : null}
    </section>
  );
}

/** Passengers, bags and cargo per compartment against the aircraft type's limits. */
export function LoadSheetPanel({ s }: { s: LoadSheet }) {
  return (
    <section className="ui-card" aria-labelledby="dk-ls">
      <h2 id="dk-ls">Load sheet {s.final ? <Badge tone="success">final</Badge> : <Badge tone="warning">provisional</Badge>}</h2>
      <dl className="dk-facts">
        <dt>Aircraft</dt><dd>{s.aircraft_type} · {s.plane_id}</dd>
        <dt>Passengers</dt><dd>{countsText(s.passengers)} · {kg(s.passenger_kg)}</dd>
        <dt>Bags</dt><dd>{s.bags} · {kg(s.bag_kg)}</dd>
        <dt>Cargo</dt><dd>{kg(s.cargo_kg)}</dd>
        <dt>Payload</dt><dd data-testid="payload">{kg(s.total_payload_kg)}{s.max_payload_kg !== null ? ` of ${kg(s.max_payload_kg)}` : ""}{" "}
          {s.within_limits ? <Badge tone="success">within limits</Badge> : <Badge tone="danger">over a limit</Badge>}</dd>
      </dl>
      {s.warnings.length ? <div className="ui-alert ui-alert--warning" role="status"><ul>{s.warnings.map((w) => <li key={w}>{w}</li>)}</ul></div> : null}
      {s.compartments.length ? (
        <div className="dk-scroll">
          <table className="ui-table" aria-label="compartments">
            <thead><tr><th scope="col">Compartment</th><th scope="col">Passengers</th><th scope="col">Bags</th><th scope="col">Passenger kg</th><th scope="col">Bag kg</th>
              <th scope="col">Cargo kg</th><th scope="col">Total kg</th><th scope="col">Limit kg</th></tr></thead>
            <tbody>{s.compartments.map((c) => (
              <tr key={c.name}><td>{c.name}</td><td>{c.passengers}</td><td>{c.bags}</td><td>{c.passenger_kg}</td><td>{c.bag_kg}</td><td>{c.cargo_kg}</td>
                <td>{c.total_kg}</td><td>{c.limit_kg ?? "—"} {c.over_limit ? <Badge tone="danger">over</Badge> : null}</td></tr>
            ))}</tbody>
          </table>
        </div>
      ) : <p className="dk-muted">No compartments known for this aircraft type.</p>}
      {s.basis ? <p className="dk-muted">{s.basis}</p> : null}
    </section>
  );
}
