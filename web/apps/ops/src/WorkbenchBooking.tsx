import { useCallback, useEffect, useMemo, useRef, useState } from "react";
import {
  Alert, Badge, Button, CancelPassengerConfirm, Card, canCancelPassenger, Field, NameCorrectionForm, REASON_MAX, REASON_MIN, formatMoney, isCancelled,
  leavingWith, reasonOk, serviceApi, type Api, type Booking, type BookingHistory, type ServicedBooking, type HistoryEntry,
  EmdTable, ReceiptPanel, type BookingWithExtras,
} from "@airline/ui";
import { historyTime, stateTone } from "./workbenchRules";
import { Payments } from "./Payments";
import { IssueVoucher } from "./Vouchers";

export { historyTime };

/** The history timeline: when, who (role and subject), what, and why. Oldest first, as the API answers. */
export function HistoryTimeline({ history }: { history: BookingHistory }) {
  if (!history.entries.length) return <p className="op-muted">No history yet.</p>;
  return (
    <ol className="ui-timeline" aria-label="history">
      {history.entries.map((e: HistoryEntry, i) => (
        <li key={`${e.at}-${i}`} data-testid="history-entry" data-kind={e.kind}>
          <div><time dateTime={e.at} className="op-mono">{historyTime(e.at)}</time> <Badge>{e.kind.replace(/_/g, " ")}</Badge></div>
          <div>{e.summary}</div>
          <div className="op-muted">by {e.actor.role || "system"}{e.actor.subject ? ` (${e.actor.subject})` : ""}{e.reason ? <> · why: <q>{e.reason}</q></> : null}</div>
        </li>
      ))}
    </ol>
  );
}

type Open = { id: string; what: "name" | "cancel" } | "booking" | null;

/** One booking at the desk: its details, its history and the actions taken for the passenger,
 * each with the reason typed above (sent as X-Airline-Reason; the service refuses without). */
export function WorkbenchBooking({ api, id, onClose }: { api: Api; id: string; onClose: () => void }) {
  const svc = useMemo(() => serviceApi(api), [api]);
  const [booking, setBooking] = useState<ServicedBooking | null>(null);
  const [history, setHistory] = useState<BookingHistory | null>(null);
  const [historyError, setHistoryError] = useState<string | null>(null);
  const [error, setError] = useState<string | null>(null);
  const [done, setDone] = useState<string | null>(null);
  const [reason, setReason] = useState("");
  const [open, setOpen] = useState<Open>(null);
  const [busy, setBusy] = useState(false);
  const ready = reasonOk(reason);
  const heading = useRef<HTMLHeadingElement>(null);
  useEffect(() => { heading.current?.focus(); heading.current?.scrollIntoView?.({ block: "start" }); }, []); // the opened booking, for keyboard and screen readers

  const loadHistory = useCallback(async (atLeast = 0) => {
    // entries follow the booking's events: give a fresh one a few seconds to land
    for (let i = 0; i < 10; i++) {
      try {
        const h = await svc.history(id);
        setHistory(h); setHistoryError(null);
        if (h.entries.length >= atLeast) return;
      } catch (e) { setHistoryError((e as Error).message); return; }
      await new Promise((r) => setTimeout(r, 500));
    }
  }, [svc, id]);
  useEffect(() => {
    svc.booking(id).then(setBooking).catch((e: Error) => setError(e.message));
    void loadHistory();
  }, [svc, id, loadHistory]);

  const act = async (what: string, run: () => Promise<Booking | null>) => {
    setBusy(true); setError(null); setDone(null);
    const before = history?.entries.length ?? 0;
    try {
      const b = await run();
      if (b) setBooking(b);
      setOpen(null); setDone(what); setReason("");
      await loadHistory(before + 1);
    } catch (e) { setError((e as Error).message); } finally { setBusy(false); }
  };
  const withReason = { reason };

  return (
    <Card aria-label="booking at the desk">
      <h2 ref={heading} tabIndex={-1}>Booking <span className="op-mono" data-testid="workbench-pnr">{booking?.pnr ?? "…"}</span></h2>
      <div className="op-actions"><Button variant="ghost" onClick={onClose}>Close</Button></div>
      {booking ? (
        <div className="ui-stack">
          <p><Badge tone={stateTone(booking.state)}>{booking.state}</Badge> Paid {formatMoney(booking.total, booking.currency)}
            {Number(booking.refunded_amount ?? 0) > 0 ? `, refunded ${formatMoney(Number(booking.refunded_amount), booking.currency)}` : ""}
            {booking.contact ? ` · ${booking.contact.email} ${booking.contact.phone}` : null}</p>
          <div className="op-scroll"><table className="ui-table" aria-label="flights of the booking">
            <thead><tr><th scope="col">Flight</th><th scope="col">Route</th><th scope="col">Departs (UTC)</th><th scope="col">Status</th></tr></thead>
            <tbody>{booking.legs.map((l, i) => (
              <tr key={`${i}-${l.flight_id}`} data-testid="booking-leg"><td className="op-mono">{l.number}</td><td>{l.origin} → {l.destination}</td>
                <td>{l.scheduled_departure ? historyTime(l.scheduled_departure) : "—"}</td><td>{l.status || "—"}</td></tr>
            ))}</tbody>
          </table></div>
        </div>
      ) : error ? null : <p className="op-muted">Loading the booking…</p>}

      <section className="op-panel" aria-label="act for the passenger">
        <h3>Act for the passenger</h3>
        <Field label="Reason (recorded in the history)" value={reason} maxLength={REASON_MAX} onChange={(e) => setReason(e.target.value)}
          hint={`Required for every action below, at least ${REASON_MIN} characters: e.g. "passenger called, e-mail lost".`} />
        {done ? <Alert kind="success"><span data-testid="workbench-done">{done}</span></Alert> : null}
        {error ? <Alert kind="error">{error}</Alert> : null}
        {booking ? (
          <div className="ui-stack">
            <div className="op-actions">
              <Button variant="secondary" busy={busy && open === null} disabled={!ready || busy}
                onClick={() => act("The confirmation was sent again.", async () => { await svc.resendConfirmation(id, withReason); return null; })}>Resend confirmation</Button>
              {booking.state === "confirmed" ? (
                <Button variant="danger" disabled={!ready || busy} onClick={() => setOpen("booking")}>Cancel booking</Button>
              ) : null}
            </div>
            {open === "booking" ? (
              <div className="ui-confirm ui-stack" role="alertdialog" aria-label="confirm cancelling the booking">
                <p>Cancel the whole booking {booking.pnr}? The refund follows the fare rules kept at booking.</p>
                <div className="op-actions">
                  <Button variant="danger" busy={busy} disabled={!ready} onClick={() => act("The booking was cancelled.", () => svc.cancelBooking(id, withReason))}>Yes, cancel the booking</Button>
                  <Button variant="secondary" onClick={() => setOpen(null)}>Keep it</Button>
                </div>
              </div>
            ) : null}
            <div className="op-scroll"><table className="ui-table" aria-label="passengers of the booking">
              <thead><tr><th scope="col">Passenger</th><th scope="col">Seats</th><th scope="col">E-tickets</th><th scope="col">Actions</th></tr></thead>
              <tbody>{booking.passengers.map((p) => (
                <tr key={p.id}>
                  <td>{p.first_name} {p.last_name} <span className="op-muted">({p.type})</span> {isCancelled(p) ? <Badge tone="danger">cancelled</Badge> : null}</td>
                  <td>{booking.seats.filter((s) => s.passenger_id === p.id).map((s) => s.seat).join(", ") || "—"}</td>
                  <td className="op-mono">{booking.tickets.filter((t) => t.passenger_id === p.id).map((t) => t.number).join(", ")}</td>
                  <td>{isCancelled(p) || booking.state !== "confirmed" ? null : (
                    <div className="op-actions">
                      <Button variant="secondary" onClick={() => { setError(null); setOpen({ id: p.id, what: "name" }); }} aria-label={`Correct the name of ${p.first_name} ${p.last_name}`}>Correct the name</Button>
                      {canCancelPassenger(booking, p) ? (
                        <Button variant="ghost" onClick={() => { setError(null); setOpen({ id: p.id, what: "cancel" }); }} aria-label={`Cancel ${p.first_name} ${p.last_name}`}>Cancel</Button>
                      ) : null}
                    </div>
                  )}</td>
                </tr>
              ))}</tbody>
            </table></div>
            {open !== null && open !== "booking" ? (() => {
              const p = booking.passengers.find((x) => x.id === open.id);
              if (!p) return null;
              return open.what === "name" ? (
                <NameCorrectionForm key={p.id} passenger={p} busy={busy} error={null} disabled={!ready} onClose={() => setOpen(null)}
                  onSubmit={(name) => act(`The name was corrected to ${name.first_name} ${name.last_name}.`, () => svc.correctName(id, p.id, name, withReason))} />
              ) : (
                <CancelPassengerConfirm key={p.id} leaving={leavingWith(booking, p)} rule="The refund of their share follows the fare rules kept at booking." busy={busy} error={null}
                  disabled={!ready} onClose={() => setOpen(null)} onConfirm={() => act(`${p.first_name} ${p.last_name} was cancelled.`, () => svc.cancelPassenger(id, p.id, withReason, reason.trim()))} />
              );
            })() : null}
          </div>
        ) : null}
      </section>

      {booking ? (
        <section className="op-panel" aria-label="extras and receipt">
          <h3>Extras (EMD) and receipt</h3>
          <EmdTable booking={booking} emds={(booking as BookingWithExtras).ancillaries ?? []} />
          <ReceiptPanel key={(booking as BookingWithExtras).ancillaries?.length ?? 0} load={() => svc.receipt(id)} />
        </section>
      ) : null}

      {booking ? <Payments api={api} bookingId={id} pnr={booking.pnr ?? id} /> : null}
      {booking ? <IssueVoucher api={api} pnr={booking.pnr ?? id} currency={booking.currency} /> : null}

      <section className="op-panel" aria-label="booking history">
        <div className="op-actions"><h3>History</h3><Button variant="ghost" onClick={() => void loadHistory()}>Refresh</Button></div>
        {historyError ? <Alert kind="error">{historyError}</Alert> : null}
        {history ? <HistoryTimeline history={history} /> : historyError ? null : <p className="op-muted">Loading the history…</p>}
      </section>
    </Card>
  );
}
