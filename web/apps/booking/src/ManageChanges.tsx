import { useMemo, useState, type FormEvent } from "react";
import {
  isApiError, Alert, Button, Field, formatLocalDate, formatLocalTime, formatMoney, serviceApi, useAttempt, type Api, type Booking, type BookingAccess, type ChangeOption, type ChangeQuote, type PayMethod,
} from "@airline/ui";
import { localDay } from "./changeRules";
import { PaymentForm, paymentError, type VoucherIn } from "./PaymentForm";

const when = (iso: string | null | undefined, zone: string | undefined) =>
  iso ? `${formatLocalDate(iso, zone ?? "UTC")} ${formatLocalTime(iso, zone ?? "UTC")}${zone ? "" : " UTC"}` : "—";

/** A change refused by the server, in words a passenger can act on. */
export function changeError(err: unknown): string {
  if (isApiError(err) && err.code === "change_closed") return `${err.message} Changes close a few hours before departure; please call us.`;
  if (isApiError(err) && err.code === "quote_stale") return "Your booking changed since this price was given. Please look at the flights again.";
  if (isApiError(err) && err.code === "payment_declined") return `Payment declined: ${err.message}. Your booking is unchanged; try another card.`;
  return paymentError(err, "Your booking is unchanged");
}

/** "Manage booking" of a confirmed booking: change the date (or flight) of one leg, priced by
 * the fare rules kept at booking, and pay what is due with the booking flow's payment form. */
export function ManageChanges({ api, booking, zones, access, onChanged }: {
  api: Api; booking: Booking; zones: Record<string, string>; access: BookingAccess; onChanged: (b: Booking) => void;
}) {
  const [open, setOpen] = useState<number | null>(null);
  const [done, setDone] = useState<string | null>(null);
  if (booking.state !== "confirmed") return null;
  return (
    <section className="ui-stack bk-gap" aria-label="change flights">
      <h3>Change your flights</h3>
      {done ? <Alert kind="success"><span data-testid="change-done">{done}</span></Alert> : null}
      <ul className="bk-trips">
        {booking.legs.map((l, i) => (
          <li key={`${i}-${l.flight_id}`} className="ui-stack">
            <div className="ui-row bk-change-leg">
              <span><strong className="bk-mono">{String(l.number ?? "")}</strong> {String(l.origin ?? "")} → {String(l.destination ?? "")} · {when(l.scheduled_departure as string | undefined, zones[String(l.origin)])}</span>
              {open === i ? null : (
                <Button variant="secondary" aria-label={`Change date of ${String(l.number ?? "")} ${String(l.origin ?? "")} to ${String(l.destination ?? "")}`}
                  onClick={() => { setOpen(i); setDone(null); }}>Change date</Button>
              )}
            </div>
            {open === i ? (
              <ChangeLeg api={api} booking={booking} leg={i} zones={zones} access={access} onClose={() => setOpen(null)}
                onChanged={(b, text) => { setOpen(null); setDone(text); onChanged(b); }} />
            ) : null}
          </li>
        ))}
      </ul>
    </section>
  );
}

function ChangeLeg({ api, booking, leg, zones, access, onChanged, onClose }: {
  api: Api; booking: Booking; leg: number; zones: Record<string, string>; access: BookingAccess;
  onChanged: (b: Booking, text: string) => void; onClose: () => void;
}) {
  const svc = useMemo(() => serviceApi(api), [api]);
  const l = booking.legs[leg];
  const zone = zones[String(l.origin)];
  const [date, setDate] = useState(localDay(l.scheduled_departure as string | undefined, zone ?? "UTC"));
  const [options, setOptions] = useState<ChangeOption[] | null>(null);
  const [quote, setQuote] = useState<ChangeQuote | null>(null);
  const { error, setError, busy, setBusy, key, renew } = useAttempt();

  const run = async <T,>(work: () => Promise<T>): Promise<T | undefined> => {
    setBusy(true); setError(null);
    try { return await work(); } catch (e) { renew(); setError(changeError(e)); return undefined; } finally { setBusy(false); }
  };
  const look = async (e: FormEvent) => {
    e.preventDefault();
    setQuote(null); setOptions(null);
    if (!/^\d{4}-\d{2}-\d{2}$/.test(date)) return setError("Choose a date");
    const r = await run(() => svc.changeOptions(booking.id, leg, date, access));
    if (r) setOptions(r.options);
  };
  const choose = async (o: ChangeOption) => {
    const q = await run(() => svc.quoteChange(booking.id, [{ leg, flight_id: o.flight_id }], access));
    if (q) { key.current = crypto.randomUUID(); setQuote(q); }
  };
  const finish = (b: Booking, q: ChangeQuote) => {
    const moved = q.legs.map((x) => `${x.number} on ${when(x.scheduled_departure, zone)}`).join(", ");
    const voucher = q.residual_voucher > 0 ? ` The ${formatMoney(q.residual_voucher, q.currency)} difference comes back as a voucher.` : "";
    onChanged(b, `You now fly ${moved}. Your new seats and e-tickets are below.${voucher}`);
  };
  const pay = async (method: PayMethod | null, voucher: VoucherIn) => {
    if (!quote) return;
    const payment = quote.total_due > 0 ? { ...(method ? { method } : {}), ...(voucher ? { voucher } : {}) } : null;
    // a card asking for 3-D Secure is declined here (a change cannot answer it): another card then
    const b = await run(() => svc.applyChange(booking.id, quote.quote_id, payment, access, key.current));
    if (b) finish(b, quote);
  };

  return (
    <div className="ui-stack bk-change" role="group" aria-label={`change ${String(l.number ?? "")}`}>
      <form className="ui-row" onSubmit={look} aria-label="flights on another day">
        <Field label="New date" type="date" value={date} onChange={(e) => setDate(e.target.value)} />
        <Button type="submit" busy={busy && !quote}>Show flights</Button>
        <Button type="button" variant="ghost" onClick={onClose}>Keep my flight</Button>
      </form>
      {options && !quote ? (
        options.length ? (
          <div className="bk-scroll"><table className="ui-table" aria-label="flights you can change to">
            <thead><tr><th scope="col">Flight</th><th scope="col">Departs</th><th scope="col">Seats left</th><th scope="col">To pay</th><th scope="col"><span className="ui-sr">Choose</span></th></tr></thead>
            <tbody>
              {options.map((o) => (
                <tr key={o.flight_id} data-testid="change-option">
                  <td className="bk-mono">{o.number}</td>
                  <td>{when(o.scheduled_departure, zone)}</td>
                  <td>{o.seats_left}</td>
                  <td>
                    <span className="ui-money">{formatMoney(o.total_due, o.currency)}</span>
                    <span className="bk-muted"> (fee {formatMoney(o.change_fee, o.currency)}, fare difference {formatMoney(o.fare_difference, o.currency)})</span>
                    {o.residual > 0 ? <span className="bk-muted"> · {formatMoney(o.residual, o.currency)} back as a voucher</span> : null}
                  </td>
                  <td><Button variant="secondary" disabled={busy || o.seats_left < 1} aria-label={`Choose ${o.number}`} onClick={() => choose(o)}>Choose</Button></td>
                </tr>
              ))}
            </tbody>
          </table></div>
        ) : <Alert kind="info">No flights with room on that day. Try another date.</Alert>
      ) : null}
      {quote ? <QuoteSummary quote={quote} zone={zone} /> : null}
      {quote && quote.total_due > 0 ? (
        <PaymentForm label="pay for the change" amount={quote.total_due} currency={quote.currency} busy={busy} error={error} onPay={pay} onBack={() => setQuote(null)} />
      ) : null}
      {quote && quote.total_due <= 0 ? (
        <div className="bk-nav">
          <Button type="button" variant="secondary" onClick={() => setQuote(null)}>Back</Button>
          <Button busy={busy} onClick={() => pay(null, undefined)}>Confirm the change</Button>
        </div>
      ) : null}
      {error && !quote ? <Alert kind="error">{error}</Alert> : null}
      {error && quote && quote.total_due <= 0 ? <Alert kind="error">{error}</Alert> : null}
    </div>
  );
}

function QuoteSummary({ quote, zone }: { quote: ChangeQuote; zone: string | undefined }) {
  const money = (n: number) => formatMoney(n, quote.currency);
  return (
    <div className="ui-stack" aria-label="price of the change" role="group">
      <p>New flight: {quote.legs.map((x) => <strong key={x.leg} className="bk-mono">{x.number} </strong>)} {quote.legs.map((x) => when(x.scheduled_departure, zone)).join(", ")}</p>
      <table className="ui-table bk-breakdown" aria-label="change price">
        <tbody>
          <tr><td>Change fee</td><td className="ui-money">{money(quote.change_fee)}</td></tr>
          <tr><td>Fare difference</td><td className="ui-money">{money(quote.fare_difference)}</td></tr>
          {quote.residual_voucher > 0 ? <tr><td>Back to you as a voucher</td><td className="ui-money">{money(quote.residual_voucher)}</td></tr> : null}
          <tr><th scope="row">To pay now</th><td className="ui-money" data-testid="change-due">{money(quote.total_due)}</td></tr>
        </tbody>
      </table>
      <p className="bk-muted">This price holds until {when(quote.expires_at, zone)}.</p>
    </div>
  );
}
