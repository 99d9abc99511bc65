import { useEffect, useMemo, useRef, useState, type KeyboardEvent } from "react";
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
 * `mine` maps a seat to the passenger holding it in this booking. One tab stop (a WAI-ARIA
 * grid): the arrow keys move between seats, Home/End to a row's ends, Enter or Space picks. */
export function SeatMapView({ seats, cabin, mine, onPick, active, live, holdsUnavailable }: {
  seats: Seat[]; cabin: string; mine: Record<string, string>; active?: SeatPick; live: LiveState;
  onPick?: (seat: Seat) => void; holdsUnavailable?: string | null;
}) {
  const cabins = useMemo(() => {
    const by = new Map<string, Seat[]>();
    for (const s of seats) by.set(s.cabin_class, [...(by.get(s.cabin_class) ?? []), s]);
    return [...by.entries()].sort(([a]) => (a === "vip" ? -1 : 1)).map(([cls, list]) => [cls, layoutRows(list)] as const);
  }, [seats]);
  const grid = useMemo(() => cabins.flatMap(([, rows]) => rows.map((r) => r.cells.filter((c): c is Seat => c !== "aisle"))), [cabins]);
  const selectable = (c: Seat) => !!onPick && c.cabin_class === cabin && !(c.exit_row && active && !active.canExit);
  const [focus, setFocus] = useState<string | null>(null);
  const ref = useRef<HTMLDivElement>(null);
  const all = grid.flat();
  // the one seat in the tab order: the last one moved to, else the first seat to pick, else the first
  const current = (focus && all.some((c) => c.seat === focus) ? focus : null)
    ?? all.find((c) => mine[c.seat])?.seat ?? all.find((c) => selectable(c) && c.state === "free" && !c.blocked)?.seat ?? all[0]?.seat;
  const onKeyDown = (e: KeyboardEvent<HTMLDivElement>) => {
    const next = moveInGrid(grid, current, e.key, e.ctrlKey);
    if (!next) return;
    e.preventDefault();
    setFocus(next);
    ref.current?.querySelector<HTMLButtonElement>(`[data-seat="${next}"]`)?.focus();
  };
  return (
    <div className="bk-seatmap">
      <div className="bk-legend" aria-label="legend">
        <span><i className="bk-seat bk-seat--free" /> Free</span>
        <span><i className="bk-seat bk-seat--mine" /> Yours</span>
        <span><i className="bk-seat bk-seat--held" /> Held by others</span>
        <span><i className="bk-seat bk-seat--taken" /> Taken</span>
        <span><i className="bk-exit-mark">EXIT</i> Exit row</span>
        <span className={`bk-live bk-live--${live}`} role="status">{live === "live" ? "● Live" : live === "refused" ? "No live updates for this flight" : "Reconnecting…"}</span>
      </div>
      {holdsUnavailable ? <p className="bk-muted" role="alert">{holdsUnavailable}</p> : null}
      <p className="bk-muted" id="bk-seat-keys">Use the arrow keys to move between seats and Enter or Space to choose one.</p>
      <div className="bk-plane" role="grid" aria-label="seat map" aria-describedby="bk-seat-keys" ref={ref} onKeyDown={onKeyDown}>
        {cabins.map(([cls, rows]) => (
          <div key={cls} role="rowgroup" aria-label={`${cls === "vip" ? "VIP" : "Economy"} cabin`} className="bk-cabin">
            <div role="row" className="bk-cabin-head"><span role="columnheader" className="bk-cabin-title">{cls === "vip" ? "VIP" : "Economy"}</span></div>
            {rows.map((r) => (
              <div key={r.row} className={`bk-row ${r.exit ? "bk-row--exit" : ""}`} role="row" aria-label={`Row ${r.row}${r.exit ? ", exit row" : ""}`}>
                <span className="bk-rownum" aria-hidden="true">{r.row}</span>
                {r.cells.map((c, i) =>
                  c === "aisle" ? <span key={`a${i}`} className="bk-aisle" aria-hidden="true" /> : (
                    <SeatCell key={c.seat} seat={c} owner={mine[c.seat]} selectable={selectable(c)} onPick={onPick} tabbable={c.seat === current} onFocus={() => setFocus(c.seat)} />
                  ))}
                {r.exit ? <span className="bk-exit-mark" aria-hidden="true">EXIT</span> : null}
              </div>
            ))}
          </div>
        ))}
      </div>
    </div>
  );
}

/** Where an arrow key (Home/End, with Ctrl the first/last seat) moves from `from` in rows of seats. */
export function moveInGrid(grid: Seat[][], from: string | undefined, key: string, ctrl = false): string | null {
  const r = grid.findIndex((row) => row.some((c) => c.seat === from));
  if (r < 0) return null;
  const c = grid[r].findIndex((x) => x.seat === from);
  const at = (row: number, col: number) => grid[row]?.[Math.min(col, grid[row].length - 1)]?.seat ?? null;
  switch (key) {
    case "ArrowLeft": return c > 0 ? at(r, c - 1) : null;
    case "ArrowRight": return c < grid[r].length - 1 ? at(r, c + 1) : null;
    case "ArrowUp": return r > 0 ? at(r - 1, c) : null;
    case "ArrowDown": return r < grid.length - 1 ? at(r + 1, c) : null;
    case "Home": return ctrl ? at(0, 0) : at(r, 0);
    case "End": return ctrl ? at(grid.length - 1, Number.MAX_SAFE_INTEGER) : at(r, Number.MAX_SAFE_INTEGER);
    default: return null;
  }
}

function SeatCell({ seat, owner, selectable, onPick, tabbable, onFocus }: { seat: Seat; owner?: string; selectable: boolean; onPick?: (s: Seat) => void; tabbable: boolean; onFocus: () => void }) {
  const state = owner ? "mine" : seat.blocked ? "taken" : seat.state;
  const free = state === "free" && selectable;
  return (
    <span role="gridcell" aria-selected={owner ? true : undefined} className="bk-cell">
      {/* aria-disabled, not disabled: a seat nobody may pick is still reached by the arrow keys */}
      <button type="button" className={`bk-seat bk-seat--${state === "free" && !free ? "off" : state}`} data-seat={seat.seat} data-state={state}
        aria-pressed={owner ? true : undefined} aria-disabled={free ? undefined : true}
        tabIndex={tabbable ? 0 : -1} onFocus={onFocus} onClick={() => { if (free) onPick?.(seat); }}>
        {/* the name is the whole sentence; the letter (or the passenger) is what the eye needs */}
        <span aria-hidden="true">{owner ? owner : seat.letter}</span><span className="ui-sr">{seatLabel(seat, owner)}</span>
      </button>
    </span>
  );
}
