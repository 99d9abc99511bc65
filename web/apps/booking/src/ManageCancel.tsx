import { useEffect, useRef, useState } from "react";
import { Alert, Button, formatMoney, type Api, type Booking, type BookingAccess } from "@airline/ui";

/** GET /bookings/{id}/cancel/quote: what cancelling the whole booking now refunds (the server's computation). */
export interface CancelQuote { booking_id: string; refund_amount: number; fare_refund: number; changes_refund: number; currency: string; no_show: boolean; refundable: boolean }

const query = (a: BookingAccess) => {
  const q = new URLSearchParams(Object.entries({ pnr: a.pnr, last_name: a.lastName }).filter(([, v]) => v) as [string, string][]).toString();
  return q ? `?${q}` : "";
};

export const quoteCancel = (api: Api, id: string, access: BookingAccess) =>
  api.request<CancelQuote>("GET", `/bookings/${encodeURIComponent(id)}/cancel/quote${query(access)}`, undefined, access.token ? { "X-Manage-Token": access.token } : undefined);

/** What the quote means for the passenger, in words. */
export function refundWords(q: CancelQuote): string {
  if (q.refund_amount > 0) {
    const parts = q.changes_refund > 0 ? ` (${formatMoney(q.fare_refund, q.currency)} of the fare and ${formatMoney(q.changes_refund, q.currency)} of your flight changes)` : "";
    return `You get back ${formatMoney(q.refund_amount, q.currency)}${parts} to the card or e-wallet you paid with.`;
  }
  if (q.no_show) return "A flight of this booking has already left: cancelling now refunds nothing of the fare.";
  return "This fare is non-refundable: cancelling refunds nothing of the fare.";
}

/** "Cancel booking": a confirmation that names the refund the server computed before anything
 * happens, then the cancel; `onCancelled` gets the cancelled booking (its `refunded_amount`). */
export function CancelBooking({ api, booking, access, onCancelled }: { api: Api; booking: Booking; access: BookingAccess; onCancelled: (b: Booking) => void }) {
  const [open, setOpen] = useState(false);
  const [quote, setQuote] = useState<CancelQuote | null>(null);
  const [quoteError, setQuoteError] = useState<string | null>(null);
  const [error, setError] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);
  const titleRef = useRef<HTMLHeadingElement>(null);
  useEffect(() => {
    if (!open) return;
    titleRef.current?.focus();
    let on = true;
    setQuote(null); setQuoteError(null);
    quoteCancel(api, booking.id, access).then((q) => { if (on) setQuote(q); }).catch((e) => { if (on) setQuoteError((e as Error).message); });
    return () => { on = false; };
  }, [open]); // eslint-disable-line react-hooks/exhaustive-deps
  const close = () => { setOpen(false); setError(null); setTimeout(() => document.getElementById("bk-cancel-open")?.focus()); };
  const confirm = async () => {
    setBusy(true); setError(null);
    try { onCancelled(await api.cancel(booking.id, access)); setOpen(false); } catch (e) { setError((e as Error).message); } finally { setBusy(false); }
  };
  if (!open) return <div className="bk-nav"><Button id="bk-cancel-open" variant="danger" onClick={() => setOpen(true)}>Cancel booking</Button></div>;
  return (
    <section className="bk-dialog ui-stack" role="alertdialog" aria-modal="false" aria-labelledby="bk-cancel-title" aria-describedby="bk-cancel-refund"
      onKeyDown={(e) => { if (e.key === "Escape") close(); }}>
      <h3 id="bk-cancel-title" ref={titleRef} tabIndex={-1}>Cancel booking {booking.pnr}?</h3>
      <div id="bk-cancel-refund" data-testid="cancel-quote">
        {quote ? <p><strong>{refundWords(quote)}</strong></p>
          : quoteError ? <Alert kind="warning">We could not work out the refund just now ({quoteError}). A refund follows the fare rules.</Alert>
          : <p className="bk-muted" role="status">Working out your refund…</p>}
        <p className="bk-muted">Every passenger and flight of the booking is cancelled. Paid extras are refunded by their own rules. This cannot be undone.</p>
      </div>
      {error ? <Alert kind="error">{error}</Alert> : null}
      <div className="bk-nav">
        <Button variant="secondary" onClick={close}>Keep my booking</Button>
        <Button variant="danger" busy={busy} disabled={!quote && !quoteError} onClick={confirm}>
          {quote && quote.refund_amount > 0 ? `Cancel and refund ${formatMoney(quote.refund_amount, quote.currency)}` : "Cancel booking"}
        </Button>
      </div>
    </section>
  );
}

/** After the cancel: what was refunded, from the cancel's answer. */
export function Cancelled({ booking }: { booking: Booking }) {
  const back = Number(booking.refunded_amount ?? 0);
  return (
    <div role="status" data-testid="cancel-done">
      <Alert kind="success">Booking {booking.pnr} is cancelled. {back > 0 ? <>We refunded <strong>{formatMoney(back, booking.currency)}</strong> to the card or e-wallet you paid with; it shows within a few days.</> : "Nothing was refunded."}</Alert>
    </div>
  );
}
