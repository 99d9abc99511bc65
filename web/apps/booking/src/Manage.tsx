import { useEffect, useState, type FormEvent } from "react";
import { Alert, Badge, Button, Card, Field, type Api, type Booking, type Session } from "@airline/ui";
import { BookingDetails } from "./Flow";

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
  const cancel = async () => {
    if (!found || !window.confirm("Cancel this booking? A refund follows the fare rules.")) return;
    setBusy(true); setError(null);
    try { setFound({ ...found, booking: await api.cancel(found.booking.id, { pnr: found.booking.pnr ?? undefined, lastName: found.lastName }) }); }
    catch (err) { setError((err as Error).message); } finally { setBusy(false); }
  };

  return (
    <div className="ui-stack">
      {mine && mine.length ? (
        <Card title="My trips">
          <ul className="bk-trips">
            {mine.map((b) => (
              <li key={b.id}>
                <button type="button" className="bk-trip" onClick={() => setFound({ booking: b })}>
                  <strong className="bk-mono">{b.pnr ?? "draft"}</strong> {b.legs.map((l) => `${String(l.origin)}→${String(l.destination)}`).join(", ")} <Badge tone={TONE[b.state]}>{b.state}</Badge>
                </button>
              </li>
            ))}
          </ul>
        </Card>
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
          <BookingDetails booking={found.booking} zones={zones} />
          {found.booking.state === "confirmed" ? <div className="bk-nav"><Button variant="danger" busy={busy} onClick={cancel}>Cancel booking</Button></div> : null}
        </Card>
      ) : null}
    </div>
  );
}
