import { useEffect, useMemo, useState } from "react";
import { ensureStyles, followLive, formatLocalTime, type Announcement, type Flight, type LiveState, type RemoteProps } from "@airline/ui";
import { applyAnnouncement, applyFlight, emptyBoard, fromSnapshot, statusOf, type BoardState } from "./board";
import { boardCss } from "./styles";

const DEFAULT_AIRPORT = "XSP";

/** The waiting-hall departures board: full screen, live over SSE, readable from across a hall. */
export default function WaitingHall({ api, route }: RemoteProps) {
  const airport = (route.split("/")[0] || DEFAULT_AIRPORT).toUpperCase();
  const [board, setBoard] = useState<BoardState>(() => emptyBoard(airport));
  const [live, setLive] = useState<LiveState>("connecting");
  const [names, setNames] = useState<Record<string, string>>({});
  const [now, setNow] = useState(() => new Date());

  useEffect(() => ensureStyles(), []);
  useEffect(() => {
    const t = setInterval(() => setNow(new Date()), 15_000);
    return () => clearInterval(t);
  }, []);
  useEffect(() => {
    api.airports().then((r) => setNames(Object.fromEntries(r.airports.map((a) => [a.code, a.city || a.name])))).catch(() => {});
  }, [api]);
  useEffect(() => {
    setBoard(emptyBoard(airport));
    return followLive(`/api/v1/airports/${encodeURIComponent(airport)}/departures/live`, {
      events: ["snapshot", "flight", "announcement"],
      onState: setLive,
      onEvent: (type, data) => {
        if (type === "snapshot") setBoard(fromSnapshot(data as Parameters<typeof fromSnapshot>[0]));
        else if (type === "flight") setBoard((b) => applyFlight(b, (data as { flight: Flight }).flight));
        else if (type === "announcement") setBoard((b) => applyAnnouncement(b, data as Announcement));
      },
    });
  }, [airport]);

  return <Board board={board} live={live} names={names} now={now} />;
}

export function Board({ board, live, names, now }: { board: BoardState; live: LiveState; names: Record<string, string>; now: Date }) {
  const tz = board.timeZone;
  const ticker = useMemo(() => board.announcements.slice(0, 6).map((a) => a.message).join("   •   "), [board.announcements]);
  return (
    <div className="wh" role="region" aria-label={`Departures board ${board.airport}`}>
      <style>{boardCss}</style>
      <header className="wh-head">
        <div className="wh-title">
          <span className="wh-icon" aria-hidden="true">✈</span>
          <h1>Departures</h1>
          <span className="wh-airport">{names[board.airport] ?? board.airport} · {board.airport}</span>
        </div>
        <div className="wh-meta">
          <span className={`wh-live wh-live--${live}`} role="status" aria-live="polite">{live === "live" ? "Live" : live === "connecting" ? "Connecting…" : "Reconnecting…"}</span>
          <time className="wh-clock" aria-label="local time">{formatLocalTime(now.toISOString(), tz)}</time>
        </div>
      </header>
      <div className="wh-body">
      <table className="wh-table">
        <thead>
          <tr><th scope="col">Time</th><th scope="col">Flight</th><th scope="col">To</th><th scope="col">Gate</th><th scope="col">Status</th><th scope="col" className="wh-remarks-col">Remarks</th></tr>
        </thead>
        <tbody>
          {board.flights.length === 0 ? (
            <tr><td colSpan={6} className="wh-empty">{live === "live" ? "No departures in the next 24 hours" : "Loading the board…"}</td></tr>
          ) : board.flights.map((f) => {
            const s = statusOf(f);
            const changed = f.estimated_departure && f.estimated_departure !== f.scheduled_departure;
            return (
              <tr key={f.id} data-flight={f.number} className={`wh-row wh-row--${s.tone}`}>
                <td className="wh-time">
                  <span className={changed ? "wh-struck" : ""}>{formatLocalTime(f.scheduled_departure, tz)}</span>
                  {changed ? <span className="wh-new" data-testid="new-time">{formatLocalTime(f.estimated_departure, tz)}</span> : null}
                </td>
                <td className="wh-flight">{f.number}</td>
                <td className="wh-dest">{names[f.destination] ?? f.destination} <span className="wh-code">{f.destination}</span></td>
                <td className="wh-gate">{f.gate ?? "—"}</td>
                <td><span className={`wh-status wh-status--${s.tone}`}>{s.label}{f.status === "delayed" && f.estimated_departure ? ` ${formatLocalTime(f.estimated_departure, tz)}` : ""}</span></td>
                <td className="wh-remarks">{f.status_reason ?? ""}{f.delay_code ? <span className="wh-code"> ({f.delay_code})</span> : null}</td>
              </tr>
            );
          })}
        </tbody>
      </table>
      </div>
      <footer className="wh-ticker" aria-label="announcements">
        <span className="wh-ticker-label">Announcements</span>
        <div className="wh-ticker-track" aria-live="polite">
          {ticker ? <span className="wh-ticker-text" key={board.announcements[0]?.id}><span>{ticker}</span><span aria-hidden="true">{ticker}</span></span> : <span className="wh-ticker-text wh-ticker-idle">Welcome. Please keep your belongings with you at all times.</span>}
        </div>
      </footer>
    </div>
  );
}
