import { useEffect, useMemo, useState } from "react";
import { ensureStyles, followLive, formatLocalTime, type Announcement, type Flight, type LiveState, type RemoteProps } from "@airline/ui";
import { applyAnnouncement, applyFlight, emptyBoard, fromSnapshot, statusOf, type BoardState, type Direction } from "./board";
import { boardCss } from "./styles";

const DEFAULT_AIRPORT = "XSP";

/** The waiting-hall board: full screen, live over SSE, readable from across a hall. Route
 * "<airport>" shows its departures, "<airport>/arrivals" its arrivals (incl. flights diverted there). */
export default function WaitingHall({ api, route, navigate }: RemoteProps) {
  const [code, which] = route.split("/");
  const airport = (code || DEFAULT_AIRPORT).toUpperCase();
  const direction: Direction = which === "arrivals" ? "arrivals" : "departures";
  const [board, setBoard] = useState<BoardState>(() => emptyBoard(airport, direction));
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
    setBoard(emptyBoard(airport, direction));
    setLive("connecting");
    // route-coverage: GET /airports/{code}/departures/live, GET /airports/{code}/arrivals/live
    return followLive(`/api/v1/airports/${encodeURIComponent(airport)}/${direction}/live`, {
      events: ["snapshot", "flight", "announcement"],
      onState: setLive,
      onEvent: (type, data) => {
        if (type === "snapshot") setBoard(fromSnapshot({ direction, ...(data as Parameters<typeof fromSnapshot>[0]) }));
        else if (type === "flight") setBoard((b) => applyFlight(b, (data as { flight: Flight }).flight));
        else if (type === "announcement") setBoard((b) => applyAnnouncement(b, data as Announcement));
      },
    });
  }, [airport, direction]);

  return <Board board={board} live={live} names={names} now={now} onSwitch={(d) => navigate(`board/${airport}${d === "arrivals" ? "/arrivals" : ""}`)} />;
}

const TITLE: Record<Direction, string> = { departures: "Departures", arrivals: "Arrivals" };

/** Departures or arrivals: two links, the shown one marked as the current page. */
function Switch({ airport, direction, onSwitch }: { airport: string; direction: Direction; onSwitch?: (d: Direction) => void }) {
  return (
    <nav className="wh-switch" aria-label="board">
      {(["departures", "arrivals"] as const).map((d) => (
        <a key={d} href={`#/board/${airport}${d === "arrivals" ? "/arrivals" : ""}`} aria-current={d === direction ? "page" : undefined}
          onClick={(e) => { if (onSwitch) { e.preventDefault(); onSwitch(d); } }}>{TITLE[d]}</a>
      ))}
    </nav>
  );
}

export function Board({ board, live, names, now, onSwitch }: { board: BoardState; live: LiveState; names: Record<string, string>; now: Date; onSwitch?: (d: Direction) => void }) {
  const tz = board.timeZone;
  const arrivals = board.direction === "arrivals";
  const ticker = useMemo(() => board.announcements.slice(0, 6).map((a) => a.message).join("   •   "), [board.announcements]);
  const columns = arrivals ? 5 : 6;
  return (
    <div className="wh" role="region" aria-label={`${TITLE[board.direction]} board ${board.airport}`}>
      <style>{boardCss}</style>
      <header className="wh-head">
        <div className="wh-title">
          <span className={`wh-icon${arrivals ? " wh-icon--arrivals" : ""}`} aria-hidden="true">✈</span>
          <h1>{TITLE[board.direction]}</h1>
          <span className="wh-airport">{names[board.airport] ?? board.airport} · {board.airport}</span>
        </div>
        <div className="wh-meta">
          <Switch airport={board.airport} direction={board.direction} onSwitch={onSwitch} />
          <span className={`wh-live wh-live--${live}`} role="status" aria-live="polite">{live === "live" ? "Live" : live === "connecting" ? "Connecting…" : live === "refused" ? "No live board for this airport" : "Reconnecting…"}</span>
          <time className="wh-clock" aria-label="local time">{formatLocalTime(now.toISOString(), tz)}</time>
        </div>
      </header>
      <div className="wh-body">
      <table className="wh-table" aria-label={`${TITLE[board.direction]} ${board.airport}`}>
        <thead>
          <tr><th scope="col">Time</th><th scope="col">Flight</th><th scope="col">{arrivals ? "From" : "To"}</th>{arrivals ? null : <th scope="col">Gate</th>}<th scope="col">Status</th><th scope="col" className="wh-remarks-col">Remarks</th></tr>
        </thead>
        <tbody>
          {board.flights.length === 0 ? (
            <tr><td colSpan={columns} className="wh-empty">{live === "live" ? `No ${board.direction} in the next 24 hours` : live === "refused" ? `${board.airport} has no board here` : "Loading the board…"}</td></tr>
          ) : board.flights.map((f) => <Row key={f.id} f={f} board={board} names={names} />)}
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

/** One flight: its time here (struck through when it moved), the other end, and its status. */
function Row({ f, board, names }: { f: Flight; board: BoardState; names: Record<string, string> }) {
  const tz = board.timeZone;
  const arrivals = board.direction === "arrivals";
  const s = statusOf(f, board.direction, board.airport);
  const scheduled = arrivals ? f.scheduled_arrival : f.scheduled_departure;
  const estimated = arrivals ? f.estimated_arrival : f.estimated_departure;
  const changed = estimated && estimated !== scheduled;
  const other = arrivals ? f.origin : f.destination;
  return (
    <tr data-flight={f.number} className={`wh-row wh-row--${s.tone}`}>
      <td className="wh-time">
        <span className={changed ? "wh-struck" : ""}>{formatLocalTime(scheduled, tz)}</span>
        {changed ? <span className="wh-new" data-testid="new-time">{formatLocalTime(estimated, tz)}</span> : null}
      </td>
      <td className="wh-flight">{f.number}</td>
      <td className="wh-dest">{names[other] ?? other} <span className="wh-code">{other}</span></td>
      {arrivals ? null : <td className="wh-gate">{f.gate ?? "—"}</td>}
      <td><span className={`wh-status wh-status--${s.tone}`}>{s.label}{f.status === "delayed" && estimated ? ` ${formatLocalTime(estimated, tz)}` : ""}</span></td>
      <td className="wh-remarks">{f.status_reason ?? ""}{f.delay_code ? <span className="wh-code"> ({f.delay_code})</span> : null}</td>
    </tr>
  );
}
