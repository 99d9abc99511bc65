import { Badge, Card, formatLocalDate, formatLocalTime } from "@airline/ui";
import type { DutyPeriod, Pairing } from "./types";

const when = (iso: string | null, zone: string) => (iso ? `${formatLocalDate(iso, zone)} ${formatLocalTime(iso, zone)}` : "—");

function Period({ d, zones, base }: { d: DutyPeriod; zones: Record<string, string>; base: string }) {
  const first = d.sectors[0];
  const last = d.sectors[d.sectors.length - 1];
  const from = zones[first?.origin ?? base] ?? "UTC";
  const to = zones[last?.destination ?? base] ?? "UTC";
  const near = d.fdp_hours > d.fdp_limit_hours * 0.9;
  return (
    <li className="cr-period" aria-label={`duty period ${d.sectors.map((s) => s.flight_number).join(" ")}`}>
      <div className="cr-times">
        <span><b>Report ({first?.origin ?? base})</b>{when(d.report_at, from)}</span>
        <span><b>Release ({last?.destination ?? base})</b>{when(d.release_at, to)}</span>
        <span><b>Flight duty</b>{d.fdp_hours.toFixed(1)} h of {d.fdp_limit_hours.toFixed(1)} h{near ? <> <Badge tone="warning">near the limit</Badge></> : null}</span>
      </div>
      <ol className="cr-sectors">
        {d.sectors.map((s) => (
          <li key={s.id}><span className="cr-num">{s.flight_number}</span> {s.origin} → {s.destination} · {formatLocalTime(s.departure ?? "", zones[s.origin] ?? "UTC")} <Badge>{s.state}</Badge></li>
        ))}
      </ol>
    </li>
  );
}

/** My pairings: duty periods from home base back to home base, with the nights away between. */
export function Pairings({ pairings, zones, base }: { pairings: Pairing[]; zones: Record<string, string>; base: string }) {
  const home = zones[base] ?? "UTC";
  return (
    <Card title={`My pairings (${pairings.length})`} aria-label="pairings">
      {pairings.length ? (
        <ul className="cr-list">
          {pairings.map((p, i) => (
            <li key={`${p.report_at}-${i}`} aria-label={`pairing ${i + 1}`}>
              <div className="cr-muted">
                {when(p.report_at, home)} → {when(p.release_at, home)} · {p.duty_periods.length} duty period{p.duty_periods.length === 1 ? "" : "s"}
                {p.nights_away ? ` · ${p.nights_away} night${p.nights_away === 1 ? "" : "s"} away` : " · home the same day"}
                {p.returns_home ? null : <> <Badge tone="warning">does not return to {base}</Badge></>}
              </div>
              <ul className="cr-list">{p.duty_periods.map((d, k) => <Period key={k} d={d} zones={zones} base={base} />)}</ul>
            </li>
          ))}
        </ul>
      ) : <p className="cr-muted">No pairings planned.</p>}
    </Card>
  );
}
