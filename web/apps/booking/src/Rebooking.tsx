import { useState } from "react";
import { Alert, Badge, Button, formatLocalDate, formatLocalTime, formatMoney, type Api, type Booking, type ReaccommodationFlight } from "@airline/ui";

const WHY: Record<string, string> = {
  cancelled: "was cancelled", diverted: "was diverted", retimed: "was retimed by several hours",
  connection_broken: "now misses your connection", aircraft_swap: "now flies a smaller aircraft",
};

function when(iso: string, zone: string | undefined): string {
  const tz = zone ?? "UTC";
  return `${formatLocalDate(iso, tz)} ${formatLocalTime(iso, tz)}${zone ? "" : " UTC"}`;
}

function Flights({ flights, zones }: { flights: ReaccommodationFlight[]; zones: Record<string, string> }) {
  return (
    <ul className="bk-trips">
      {flights.map((f) => (
        <li key={f.flight_id}>
          <strong className="bk-mono">{f.number}</strong> {f.origin} {when(f.departure, zones[f.origin])} → {f.destination} {when(f.arrival, zones[f.destination])}
          {f.cabin_class !== "normal" ? <Badge>{f.cabin_class}</Badge> : null}
        </li>
      ))}
    </ul>
  );
}

type Access = { token?: string | null; pnr?: string; lastName?: string };

/** "Manage booking" after the airline changed a flight: the new flights it proposes (seats
 * reserved), other flights that had room, a full refund, a voucher worth more (signed-in owner
 * or manage token only: never on a PNR and a name), or, for a retimed flight, keeping it. */
export function Rebooking({ api, booking, zones, access, onChanged }: {
  api: Api; booking: Booking; zones: Record<string, string>; access: Access; onChanged: (b: Booking) => void;
}) {
  const r = booking.reaccommodation;
  const [busy, setBusy] = useState<string | null>(null);
  const [error, setError] = useState<string | null>(null);
  if (!r || r.state === "reserving") return null;
  const act = async (what: string, run: () => Promise<Booking>) => {
    setBusy(what); setError(null);
    try { onChanged(await run()); } catch (e) { setError((e as Error).message); } finally { setBusy(null); }
  };
  const [proposal, ...alternatives] = r.options;
  const money = (n: number) => formatMoney(n, r.currency || booking.currency);
  const open = r.state === "proposed" || r.state === "unplaced";
  return (
    <section className="ui-stack bk-gap" aria-label="rebooking">
      <h3>Flight {r.flight_number} {WHY[r.reason] ?? "changed"}</h3>
      {r.state === "proposed" && proposal ? (
        <>
          <p>We have booked you on {proposal.flights.length > 1 ? "these flights" : "this flight"}, with seats held for you:</p>
          <div data-testid="proposal"><Flights flights={proposal.flights} zones={zones} /></div>
          {proposal.seats.length ? <p className="bk-muted">Seats: {proposal.seats.map((s) => s.seat).join(", ")}</p> : null}
          {r.deadline ? <p className="bk-muted">If you do not answer by {when(r.deadline, zones[proposal.flights[0]?.origin ?? ""])}, we move you to it.</p> : null}
          <div className="bk-nav"><Button busy={busy === "accept"} disabled={busy !== null} onClick={() => act("accept", () => api.acceptReaccommodation(booking.id, 0, access))}>Accept this flight</Button></div>
          {alternatives.length ? (
            <div className="ui-stack">
              <p>Or another flight that had room:</p>
              {alternatives.map((o) => (
                <div key={o.option} className="ui-row" data-testid="alternative">
                  <Flights flights={o.flights} zones={zones} />
                  <Button variant="secondary" busy={busy === `alt-${o.option}`} disabled={busy !== null}
                    onClick={() => act(`alt-${o.option}`, () => api.acceptReaccommodation(booking.id, o.option, access))}>Choose {o.flights.map((f) => f.number).join(" + ")}</Button>
                </div>
              ))}
            </div>
          ) : null}
        </>
      ) : null}
      {r.state === "unplaced" ? <Alert kind="warning">We could not find a flight with room for everyone on this booking. Choose a refund or a voucher, or call us.</Alert> : null}
      {open ? (
        <div className="bk-nav">
          <Button variant="secondary" busy={busy === "refund"} disabled={busy !== null} onClick={() => act("refund", () => api.declineReaccommodation(booking.id, "refund", access))}>
            Cancel and refund {money(r.refund_amount)}
          </Button>
          {access.pnr ? null : (
            <Button variant="secondary" busy={busy === "voucher"} disabled={busy !== null} onClick={() => act("voucher", () => api.declineReaccommodation(booking.id, "voucher", access))}>
              Cancel for a voucher worth {money(r.voucher_amount)}
            </Button>
          )}
          {r.reason === "retimed" ? (
            <Button variant="secondary" busy={busy === "keep"} disabled={busy !== null} onClick={() => act("keep", () => api.declineReaccommodation(booking.id, "keep", access))}>
              Keep my flight at its new time
            </Button>
          ) : null}
        </div>
      ) : null}
      {r.state === "accepted" || r.state === "applied" ? (
        <Alert kind="success"><span data-testid="rebooked">You are now on {r.options[r.chosen_option ?? 0]?.flights.map((f) => f.number).join(" + ")}.</span> Your new e-tickets and seats are below.</Alert>
      ) : null}
      {r.state === "kept" ? <Alert kind="info">You keep flight {r.flight_number} at its new time.</Alert> : null}
      {r.state === "refunded" || r.state === "declining" ? (
        <Alert kind="info">
          {r.taken === "voucher" ? <>Your voucher <span className="bk-mono" data-testid="rebooking-voucher">{r.voucher_code ?? "…"}</span> is worth {money(r.voucher_amount)}.</>
            : <>{money(r.refund_amount)} {r.state === "refunded" ? "was refunded" : "is being refunded"} to your card.</>}
        </Alert>
      ) : null}
      {error ? <Alert kind="error">{error}</Alert> : null}
    </section>
  );
}
