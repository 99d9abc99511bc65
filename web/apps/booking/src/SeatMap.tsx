import { useEffect, useMemo, useState } from "react";
import { followLive, type LiveState, type Seat, type SeatMap as SeatMapData, type SeatsEvent } from "@airline/ui";
import { layoutRows, seatLabel } from "./rules";

export interface SeatPick { passengerId: string; label: string; canExit: boolean }

/** Follows a flight's seat map live: seats others hold appear and disappear as it happens. */
export function useLiveSeatMap(flightId: string) {
  const [map, setMap] = useState<SeatMapData | null>(null);
  const [live, setLive] = useState<LiveState>("connecting");
  useEffect(() => {
    setMap(null);
    return followLive(`/api/v1/flights/${encodeURIComponent(flightId)}/seats/live`, {
      events: ["snapshot", "seats"],
      onState: setLive,
      onEvent: (type, data) => {
        if (type === "snapshot") setMap(data as SeatMapData);
        else {
          const ev = data as SeatsEvent;
          const changed = new Set(ev.seats);
          setMap((m) => (m ? { ...m, seats: m.seats.map((s) => (changed.has(s.seat) ? { ...s, state: ev.state, mine: false } : s)) } : m));
        }
      },
    });
  }, [flightId]);
  return { map, live };
}

/** The seat map drawn from the plane's layout: cabins, exit rows, aisles and a legend.
 * `mine` maps a seat to the passenger holding it in this booking. */
export function SeatMapView({ seats, cabin, mine, onPick, active, live, holdsUnavailable }: {
  seats: Seat[]; cabin: string; mine: Record<string, string>; active?: SeatPick; live: LiveState;
  onPick?: (seat: Seat) => void; holdsUnavailable?: string | null;
}) {
  const cabins = useMemo(() => {
    const by = new Map<string, Seat[]>();
    for (const s of seats) by.set(s.cabin_class, [...(by.get(s.cabin_class) ?? []), s]);
    return [...by.entries()].sort(([a]) => (a === "vip" ? -1 : 1));
  }, [seats]);
  return (
    <div className="bk-seatmap">
      <div className="bk-legend" aria-label="legend">
        <span><i className="bk-seat bk-seat--free" /> Free</span>
        <span><i className="bk-seat bk-seat--mine" /> Yours</span>
        <span><i className="bk-seat bk-seat--held" /> Held by others</span>
        <span><i className="bk-seat bk-seat--taken" /> Taken</span>
        <span><i className="bk-exit-mark">EXIT</i> Exit row</span>
        <span className={`bk-live bk-live--${live}`} role="status">{live === "live" ? "● Live" : "Reconnecting…"}</span>
      </div>
      {holdsUnavailable ? <p className="bk-muted" role="alert">{holdsUnavailable}</p> : null}
      <div className="bk-plane">
        {cabins.map(([cls, list]) => (
          <section key={cls} aria-label={`${cls === "vip" ? "VIP" : "Economy"} cabin`} className="bk-cabin">
            <h3>{cls === "vip" ? "VIP" : "Economy"}</h3>
            {layoutRows(list).map((r) => (
              <div key={r.row} className={`bk-row ${r.exit ? "bk-row--exit" : ""}`} role="group" aria-label={`Row ${r.row}${r.exit ? ", exit row" : ""}`}>
                <span className="bk-rownum" aria-hidden="true">{r.row}</span>
                {r.cells.map((c, i) =>
                  c === "aisle" ? <span key={`a${i}`} className="bk-aisle" aria-hidden="true" /> : (
                    <SeatButton key={c.seat} seat={c} owner={mine[c.seat]} selectable={!!onPick && cls === cabin && !(c.exit_row && active && !active.canExit)} onPick={onPick} />
                  ))}
                {r.exit ? <span className="bk-exit-mark" aria-hidden="true">EXIT</span> : null}
              </div>
            ))}
          </section>
        ))}
      </div>
    </div>
  );
}

function SeatButton({ seat, owner, selectable, onPick }: { seat: Seat; owner?: string; selectable: boolean; onPick?: (s: Seat) => void }) {
  const state = owner ? "mine" : seat.blocked ? "taken" : seat.state;
  const free = state === "free" && selectable;
  return (
    <button type="button" className={`bk-seat bk-seat--${state}`} data-seat={seat.seat} data-state={state}
      aria-label={seatLabel(seat, owner)} aria-pressed={owner ? true : undefined} disabled={!free}
      onClick={() => onPick?.(seat)}>
      {owner ? owner : seat.letter}
    </button>
  );
}
