import { useEffect, useState } from "react";
import {
  Alert, Badge, Button, followLive, formatLocalTime,
  type Announcement, type Api, type Bag, type BagDetail, type BoardingPass, type Booking, type Flight, type LiveState, type TrackingEvent,
} from "@airline/ui";

export interface Access { pnr?: string; lastName?: string; token?: string | null }

const message = (e: unknown) => (e instanceof Error ? e.message : String(e));
const q = (a: Access) => new URLSearchParams(Object.entries({ pnr: a.pnr, last_name: a.lastName }).filter(([, v]) => v) as [string, string][]).toString();

/** The day of travel in Manage booking: online check-in and the boarding passes with their QR,
 * each flight's status live, and each checked bag followed live. */
export function DayOfTravel({ api, booking, access, zones }: { api: Api; booking: Booking; access: Access; zones: Record<string, string> }) {
  return (
    <section className="ui-stack bk-gap" aria-label="day of travel">
      <h3>Day of travel</h3>
      {booking.legs.map((l) => <LiveFlight key={l.flight_id} flightId={l.flight_id} zones={zones} />)}
      <CheckIn api={api} booking={booking} access={access} />
      <LiveBags api={api} booking={booking} access={access} />
    </section>
  );
}

const LIVE_LABEL: Record<LiveState, string> = { connecting: "Connecting…", live: "Live", reconnecting: "Reconnecting…", refused: "No live updates" };

function LiveFlight({ flightId, zones }: { flightId: string; zones: Record<string, string> }) {
  const [flight, setFlight] = useState<Flight | null>(null);
  const [latest, setLatest] = useState<Announcement | null>(null);
  const [live, setLive] = useState<LiveState>("connecting");
  useEffect(() => followLive(`/api/v1/flights/${encodeURIComponent(flightId)}/live`, {
    events: ["snapshot", "flight", "announcement"],
    onState: setLive,
    onEvent: (type, data) => {
      if (type === "snapshot") {
        const s = data as { flight: Flight; announcements: Announcement[] };
        setFlight(s.flight); setLatest(s.announcements.at(-1) ?? null);
      } else if (type === "flight") setFlight((data as { flight: Flight }).flight);
      else if (type === "announcement") setLatest(data as Announcement);
    },
  }), [flightId]);
  if (!flight) return <p className="bk-muted">Loading the flight…</p>;
  const tz = zones[flight.origin] ?? flight.origin_time_zone;
  const delayed = flight.estimated_departure && flight.estimated_departure !== flight.scheduled_departure;
  return (
    <div className="ui-card" aria-label={`flight ${flight.number} live`} data-testid="live-flight">
      <div className="bk-found-head">
        <strong>{flight.number} {flight.origin} → {flight.destination}</strong>
        <span role="status" className="ui-badge">{LIVE_LABEL[live]}</span>
      </div>
      <p>
        Departs {delayed ? <><s>{formatLocalTime(flight.scheduled_departure, tz)}</s> <strong>{formatLocalTime(flight.estimated_departure, tz)}</strong></> : formatLocalTime(flight.scheduled_departure, tz)}
        {" · "}gate {flight.gate ?? "—"} · <Badge tone={flight.status === "cancelled" ? "danger" : delayed || flight.status === "delayed" ? "warning" : "success"}><span data-testid="flight-status">{flight.status.replace(/_/g, " ")}</span></Badge>
      </p>
      {flight.status_reason ? <p className="bk-muted">{flight.status_reason}</p> : null}
      {latest ? <p className="bk-muted" data-testid="latest-announcement">{latest.message}</p> : null}
    </div>
  );
}

function CheckIn({ api, booking, access }: { api: Api; booking: Booking; access: Access }) {
  const [passes, setPasses] = useState<BoardingPass[] | null>(null);
  const [error, setError] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);
  const [flightId, setFlightId] = useState(booking.legs[0]?.flight_id ?? "");
  const go = async () => {
    setBusy(true); setError(null);
    try {
      const r = await api.checkIn({ booking_id: booking.id, flight_id: flightId, pnr: access.pnr, last_name: access.lastName }, access.token);
      setPasses(r.passes);
    } catch (e) { setError(message(e)); } finally { setBusy(false); }
  };
  return (
    <div className="ui-stack" aria-label="online check-in">
      <div className="ui-row">
        {booking.legs.length > 1 ? (
          <label className="ui-field">Flight
            <select value={flightId} onChange={(e) => { setFlightId(e.target.value); setPasses(null); }}>
              {booking.legs.map((l) => <option key={l.flight_id} value={l.flight_id}>{l.number} {l.origin} → {l.destination}</option>)}
            </select>
          </label>
        ) : null}
        <Button busy={busy} onClick={go}>Check in and get boarding passes</Button>
      </div>
      {error ? <Alert kind="warning">{error}</Alert> : null}
      <p className="bk-muted">Checked in already? Check in again to show your boarding passes, to print or download them.</p>
      {passes && !passes.length ? <p className="bk-muted">No boarding pass for this flight yet.</p> : null}
      {passes ? <div className="bk-passes">{passes.map((p) => <PassView key={p.id} api={api} pass={p} access={access} />)}</div> : null}
    </div>
  );
}

function PassView({ api, pass, access }: { api: Api; pass: BoardingPass; access: Access }) {
  // a guest's access rides in the image URL; a signed-in owner's token cannot, so that one is fetched
  const [src, setSrc] = useState<string | null>(access.lastName ? `${pass.qr_png}?${q(access)}` : null);
  useEffect(() => {
    if (access.lastName) return;
    let on = true;
    api.text(pass.qr_svg).then((svg) => { if (on) setSrc(`data:image/svg+xml;charset=utf-8,${encodeURIComponent(svg)}`); }).catch(() => {});
    return () => { on = false; };
  }, [api, pass.qr_svg, access.lastName]);
  const [shown, setShown] = useState(pass);
  const [note, setNote] = useState<string | null>(null);
  // route-coverage: GET /boarding-passes/{pass_id}, GET /boarding-passes/{pass_id}/qr.png, GET /boarding-passes/{pass_id}/qr.svg
  const reopen = async () => {
    setNote(null);
    try { setShown(await api.request<BoardingPass>("GET", `/boarding-passes/${encodeURIComponent(pass.id)}${access.lastName ? `?${q(access)}` : ""}`, undefined, access.token ? { "X-Manage-Token": access.token } : undefined)); setNote("Up to date."); }
    catch (e) { setNote(message(e)); }
  };
  const name = `boarding-pass-${shown.flight_number}-${shown.last_name}`.replace(/[^A-Za-z0-9-]/g, "");
  const print = () => {
    const me = document.getElementById(`pass-${pass.id}`);
    me?.classList.add("bk-print-target");
    window.print();
    me?.classList.remove("bk-print-target");
  };
  return (
    <article className="bk-pass" id={`pass-${pass.id}`} aria-label={`boarding pass ${shown.first_name} ${shown.last_name}`}>
      {src ? <img src={src} alt={`Boarding pass QR code for ${shown.first_name} ${shown.last_name}`} width={180} height={180} /> : null}
      <div className="ui-stack">
        <div>
          <strong>{shown.last_name}/{shown.first_name}</strong>
          <div>{shown.flight_number} {shown.origin} → {shown.destination}</div>
          <div>Seat <span className="bk-mono" data-testid="pass-seat">{shown.seat || "on lap"}</span> · gate {shown.gate || "—"} · seq {shown.sequence}</div>
          {shown.boarded_at ? <Badge tone="success">boarded</Badge> : <Badge>checked in</Badge>}
        </div>
        <div className="bk-pass-actions bk-noprint">
          <Button variant="secondary" onClick={reopen} aria-label={`Refresh the boarding pass of ${shown.first_name} ${shown.last_name}`}>Refresh</Button>
          <Button variant="secondary" onClick={print} aria-label={`Print the boarding pass of ${shown.first_name} ${shown.last_name}`}>Print</Button>
          {access.lastName ? <a className="ui-btn ui-btn--secondary" href={`${pass.qr_png}?${q(access)}`} download={`${name}.png`}>Download PNG</a> : null}
          {src ? <a className="ui-btn ui-btn--secondary" href={access.lastName ? `${pass.qr_svg}?${q(access)}` : src} download={`${name}.svg`}>Download SVG</a> : null}
        </div>
        {note ? <span className="bk-muted" role="status">{note}</span> : null}
      </div>
    </article>
  );
}

const BAG_STEPS = ["checked_in", "screened", "loaded", "unloaded", "on_belt", "claimed"];

function LiveBags({ api, booking, access }: { api: Api; booking: Booking; access: Access }) {
  const [bags, setBags] = useState<Bag[] | null>(null);
  useEffect(() => { api.bookingBags(booking.id, access).then((r) => setBags(r.bags.filter((b) => b.tag))).catch(() => setBags([])); }, [api, booking.id, access.pnr, access.lastName]); // eslint-disable-line react-hooks/exhaustive-deps
  if (!bags) return null;
  return (
    <div className="ui-stack" aria-label="bag tracking">
      <h3>Your bags</h3>
      {!bags.length ? <p className="bk-muted" data-testid="no-bags">No checked bag yet: a bag dropped at the airport shows here, followed live.</p> : null}
      {bags.map((b) => <LiveBag key={b.tag} bag={b} access={access} />)}
    </div>
  );
}

function LiveBag({ bag, access }: { bag: Bag; access: Access }) {
  const [history, setHistory] = useState<TrackingEvent[]>([]);
  const [status, setStatus] = useState(bag.status);
  const [live, setLive] = useState<LiveState>("connecting");
  useEffect(() => followLive(`/api/v1/bags/${bag.tag}/live?${q(access)}`, {
    events: ["snapshot", "bag"],
    onState: setLive,
    onEvent: (type, data) => {
      if (type === "snapshot") { const s = data as { bag: BagDetail }; setHistory(s.bag.history); setStatus(s.bag.status); }
      else { const e = data as TrackingEvent; setHistory((h) => (h.some((x) => x.seq === e.seq) ? h : [...h, e])); setStatus(e.status); }
    },
  }), [bag.tag, access.pnr, access.lastName]); // eslint-disable-line react-hooks/exhaustive-deps
  const reached = BAG_STEPS.indexOf(status);
  return (
    <div className="ui-card" aria-label={`bag ${bag.tag}`}>
      <div className="bk-found-head">
        <strong className="bk-mono">{bag.tag}</strong> {bag.passenger_name} · {bag.weight_kg} kg
        <span role="status" className="ui-badge">{LIVE_LABEL[live]}</span>
      </div>
      <ol className="bk-bag-steps" aria-label="where the bag is">
        {BAG_STEPS.map((s, i) => <li key={s} data-state={i <= reached ? "done" : undefined} aria-current={i === reached ? "step" : undefined}>{s.replace("_", " ")}</li>)}
      </ol>
      {status === "mishandled" ? <Alert kind="error">This bag was mishandled; we will contact you.</Alert> : null}
      <ul className="bk-muted" data-testid="bag-history">
        {history.map((e) => <li key={e.seq}>{e.status.replace("_", " ")} · {e.place.airport} {e.place.location}</li>)}
      </ul>
    </div>
  );
}
