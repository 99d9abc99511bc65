import type { OpsFlight } from "./types";
import { zonedToUtc } from "./time";
import { formatLocalTime } from "@airline/ui";

/** A day of an airport's gates as a timeline: one row per gate, one block per departure from
 * boarding to (estimated) departure, so a double-booked gate shows as overlapping blocks. */
export function GateTimeline({ gates, flights, date, timeZone, airport }: { gates: string[]; flights: OpsFlight[]; date: string; timeZone: string; airport: string }) {
  const start = Date.parse(zonedToUtc(date, timeZone));
  const day = 24 * 3600_000;
  const W = 960, rowH = 34, left = 56, top = 22;
  const H = top + Math.max(1, gates.length) * rowH + 8;
  const x = (ms: number) => left + ((W - left - 8) * Math.min(Math.max(ms - start, 0), day)) / day;
  const tone = (f: OpsFlight) => (f.status === "cancelled" ? "#c9d1dc" : f.status === "delayed" ? "#f0a020" : f.status === "diverted" ? "#d94a56" : "#1f6feb");
  return (
    <div className="op-scroll">
      <svg viewBox={`0 0 ${W} ${H}`} role="img" aria-labelledby="gt-title gt-desc" className="op-timeline" style={{ minWidth: 640 }}>
        <title id="gt-title">{`Gate occupancy at ${airport} on ${date}`}</title>
        <desc id="gt-desc">{`Each row is a gate; each block a departure from boarding to departure, local time. ${flights.length} departures.`}</desc>
        {Array.from({ length: 13 }, (_, i) => i * 2).map((h) => (
          <g key={h}>
            <line x1={x(start + h * 3600_000)} x2={x(start + h * 3600_000)} y1={top - 4} y2={H} stroke="#e3e8ef" />
            <text x={x(start + h * 3600_000)} y={12} fontSize="10" textAnchor="middle" fill="#5b6b80">{String(h).padStart(2, "0")}:00</text>
          </g>
        ))}
        {gates.map((g, i) => (
          <g key={g} data-gate={g}>
            <text x={8} y={top + i * rowH + rowH / 2 + 4} fontSize="12" fontWeight="700" fill="#1b2a3d">{g}</text>
            <line x1={left} x2={W} y1={top + (i + 1) * rowH} y2={top + (i + 1) * rowH} stroke="#eef1f5" />
            {flights.filter((f) => f.gate === g && f.scheduled_departure).map((f) => {
              const dep = Date.parse(f.estimated_departure ?? f.scheduled_departure!);
              const from = f.boarding_starts ? Math.min(Date.parse(f.boarding_starts), dep - 30 * 60_000) : dep - 40 * 60_000;
              const x0 = x(from), x1 = Math.max(x(dep), x0 + 3);
              return (
                <g key={f.id} data-flight={f.number}>
                  <rect x={x0} y={top + i * rowH + 5} width={x1 - x0} height={rowH - 10} rx={4} fill={tone(f)} opacity={0.9}>
                    <title>{`${f.number} to ${f.destination}, ${f.status}, departs ${formatLocalTime(f.estimated_departure ?? f.scheduled_departure, timeZone)}`}</title>
                  </rect>
                  <text x={x0 + 4} y={top + i * rowH + rowH / 2 + 4} fontSize="10" fill="#fff">{f.number}</text>
                </g>
              );
            })}
          </g>
        ))}
      </svg>
    </div>
  );
}
