import { useEffect, useState, type FormEvent } from "react";
import { Alert, Badge, Button, Card, Field, Select, type Api, type Booking, type Seat, type Session } from "@airline/ui";
import { BookingDetails } from "./Flow";
import { SeatMapView, useLiveSeatMap } from "./SeatMap";
import { Rebooking } from "./Rebooking";
import { Rights } from "./Rights";
import { DayOfTravel } from "./Travel";
import { ManageChanges } from "./ManageChanges";
import { ManagePassengers } from "./ManagePassengers";
import { ManageExtras } from "./ManageExtras";
import { lookupNameAfter } from "./changeRules";
import { CancelBooking, Cancelled } from "./ManageCancel";
import { VoucherBalance } from "./VoucherBalance";

const TONE: Record<string, "success" | "warning" | "danger" | undefined> = { confirmed: "success", held: "warning", awaiting_payment: "warning", cancelled: "danger", expired: "danger" };

/** Manage a booking: a guest with PNR + last name, a signed-in passenger from "my trips". */
export function Manage({ api, session, initialPnr }: { api: Api; session: Session | null; initialPnr?: string }) {
  const [pnr, setPnr] = useState(initialPnr ?? "");
  const [lastName, setLastName] = useState("");
  const [found, setFound] = useState<{ booking: Booking; lastName?: string } | null>(null);
  const [mine, setMine] = useState<Booking[] | null>(null);
  const [zones, setZones] = useState<Record<string, string>>({});
  const [error, setError] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);

  useEffect(() => { api.airports().then((r) => setZones(Object.fromEntries(r.airports.map((a) => [a.code, a.time_zone])))).catch(() => {}); }, [api]);
  useEffect(() => {
    if (session?.user.role === "passenger") api.myBookings().then((r) => setMine(r.bookings)).catch(() => setMine([]));
  }, [api, session]);

  const find = async (e: FormEvent) => {
    e.preventDefault();
    setError(null); setFound(null);
    if (!/^[A-Za-z0-9]{6}$/.test(pnr.trim())) return setError("The booking reference has 6 letters and digits");
    if (!lastName.trim()) return setError("Enter the last name of a passenger on the booking");
    setBusy(true);
    try { setFound({ booking: await api.lookup(pnr.trim().toUpperCase(), lastName.trim()), lastName: lastName.trim() }); }
    catch (err) { setError((err as Error).message.includes("not found") || (err as { status?: number }).status === 404 ? "We could not find a booking with that reference and last name." : (err as Error).message); }
    finally { setBusy(false); }
  };
  const [cancelled, setCancelled] = useState<Booking | null>(null);

  return (
    <div className="ui-stack">
      {mine && mine.length ? (
        <Card title="My trips">
          <ul className="bk-trips">
            {mine.map((b) => (
              <li key={b.id}>
                <button type="button" className="bk-trip" onClick={() => { setFound({ booking: b }); api.booking(b.id).then((full) => setFound({ booking: full })).catch(() => {}); }}>
                  <strong className="bk-mono">{b.pnr ?? "draft"}</strong> {b.legs.map((l) => `${String(l.origin)}→${String(l.destination)}`).join(", ")} <Badge tone={TONE[b.state]}>{b.state}</Badge>
                </button>
              </li>
            ))}
          </ul>
        </Card>
      ) : null}
      {mine && !mine.length ? (
        <Card title="My trips"><p className="bk-muted" data-testid="no-trips">You have no trips yet. Book one from "Book a trip", or find a booking made as a guest below.</p></Card>
      ) : null}
      <Card title="Find your booking">
        <form className="ui-row" onSubmit={find} aria-label="find booking">
          <Field label="Booking reference (PNR)" value={pnr} maxLength={6} autoCapitalize="characters" onChange={(e) => setPnr(e.target.value)} />
          <Field label="Last name" value={lastName} onChange={(e) => setLastName(e.target.value)} />
          <Button type="submit" busy={busy}>Find booking</Button>
        </form>
        {error ? <div className="bk-gap"><Alert kind="error">{error}</Alert></div> : null}
      </Card>
      {found ? (
        <Card aria-label="booking">
          <div className="bk-found-head">
            <h2>Booking <span className="bk-mono" data-testid="found-pnr">{found.booking.pnr}</span></h2>
            <Badge tone={TONE[found.booking.state]}>{found.booking.state}</Badge>
          </div>
          <Rebooking api={api} booking={found.booking} zones={zones} access={{ pnr: found.lastName ? found.booking.pnr ?? undefined : undefined, lastName: found.lastName }} onChanged={(b) => setFound({ ...found, booking: b })} />
          <BookingDetails booking={found.booking} zones={zones} />
          {found.booking.state === "confirmed" ? (
            <>
              <DayOfTravel api={api} booking={found.booking} zones={zones} access={{ pnr: found.lastName ? found.booking.pnr ?? undefined : undefined, lastName: found.lastName }} />
              <ChangeSeat api={api} booking={found.booking} access={{ pnr: found.booking.pnr ?? undefined, lastName: found.lastName }} onChanged={(b) => setFound({ ...found, booking: b })} />
              <ManageChanges api={api} booking={found.booking} zones={zones} access={{ pnr: found.lastName ? found.booking.pnr ?? undefined : undefined, lastName: found.lastName }} onChanged={(b) => setFound({ ...found, booking: b })} />
              <ManagePassengers api={api} booking={found.booking} access={{ pnr: found.lastName ? found.booking.pnr ?? undefined : undefined, lastName: found.lastName }}
                onChanged={(b, renamed) => setFound({ ...found, booking: b, lastName: lookupNameAfter(found.lastName, renamed) })} />
              <ManageExtras api={api} booking={found.booking} zones={zones} access={{ pnr: found.lastName ? found.booking.pnr ?? undefined : undefined, lastName: found.lastName }} onChanged={(b) => setFound({ ...found, booking: b })} />
              <CancelBooking api={api} booking={found.booking} access={{ pnr: found.lastName ? found.booking.pnr ?? undefined : undefined, lastName: found.lastName }}
                onCancelled={(b) => { setCancelled(b); setFound({ ...found, booking: b }); }} />
            </>
          ) : null}
          {cancelled && cancelled.id === found.booking.id && found.booking.state === "cancelled" ? <Cancelled booking={found.booking} /> : null}
          {found.booking.state === "cancelled" ? <ManageExtras api={api} booking={found.booking} zones={zones} access={{ pnr: found.lastName ? found.booking.pnr ?? undefined : undefined, lastName: found.lastName }} onChanged={() => {}} /> : null}
          {found.booking.state === "confirmed" || found.booking.state === "cancelled" ? <Rights api={api} booking={found.booking} /> : null}
        </Card>
      ) : null}
      {session ? <VoucherBalance api={api} /> : null}
    </div>
  );
}

/** Move one passenger to another free seat of a confirmed booking, on the live seat map. */
function ChangeSeat({ api, booking, access, onChanged }: { api: Api; booking: Booking; access: { pnr?: string; lastName?: string }; onChanged: (b: Booking) => void }) {
  const seated = booking.passengers.filter((p) => p.type !== "infant");
  const [open, setOpen] = useState(false);
  const [flightId, setFlightId] = useState(booking.legs[0]?.flight_id ?? "");
  const [passengerId, setPassengerId] = useState(seated[0]?.id ?? "");
  const [error, setError] = useState<string | null>(null);
  const [done, setDone] = useState<string | null>(null);
  if (!open) return <div className="bk-nav"><Button variant="secondary" onClick={() => setOpen(true)}>Change a seat</Button></div>;
  const pick = async (seat: Seat) => {
    setError(null); setDone(null);
    try {
      onChanged(await api.changeSeat(booking.id, access, { flight_id: flightId, passenger_id: passengerId, seat: seat.seat }));
      setDone(`${passengerId} now sits in ${seat.seat}.`);
    } catch (e) { setError((e as Error).message); }
  };
  const passenger = seated.find((p) => p.id === passengerId);
  return (
    <section className="ui-stack bk-gap" aria-label="change a seat">
      <h3>Change a seat</h3>
      <div className="ui-row">
        <Select label="Flight" value={flightId} onChange={(e) => setFlightId(e.target.value)} options={booking.legs.map((l) => ({ value: l.flight_id, label: `${String(l.number)} ${String(l.origin)} → ${String(l.destination)}` }))} />
        <Select label="Passenger" value={passengerId} onChange={(e) => setPassengerId(e.target.value)} options={seated.map((p) => ({ value: p.id, label: `${p.first_name} ${p.last_name}` }))} />
      </div>
      {error ? <Alert kind="error">{error}</Alert> : null}
      {done ? <Alert kind="success">{done}</Alert> : null}
      <LiveMap key={flightId} flightId={flightId} booking={booking} cabin={String((booking as { cabin_class?: string }).cabin_class ?? "normal")} onPick={pick}
        canExit={passenger?.type === "adult"} passengerId={passengerId} />
    </section>
  );
}

function LiveMap({ flightId, booking, cabin, onPick, canExit, passengerId }: { flightId: string; booking: Booking; cabin: string; onPick: (s: Seat) => void; canExit: boolean; passengerId: string }) {
  const { map, live } = useLiveSeatMap(flightId);
  const mine = Object.fromEntries(booking.seats.filter((s) => s.flight_id === flightId).map((s) => [s.seat, s.passenger_id]));
  return map ? <SeatMapView seats={map.seats} cabin={cabin} mine={mine} live={live} holdsUnavailable={map.holds_unavailable_reason} onPick={onPick} active={{ passengerId, label: passengerId, canExit }} /> : <p className="bk-muted">Loading the seat map…</p>;
}
