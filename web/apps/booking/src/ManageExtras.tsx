import { useEffect, useMemo, useState } from "react";
import {
  Alert, Button, EmdTable, ReceiptPanel, formatLocalDate, formatLocalTime, formatMoney, forWhom, serviceApi, useAttempt,
  type AncillaryQuote, type Ancillaries, type Api, type BagAllowance, type Booking, type BookingAccess, type BookingWithExtras, type PayMethod, type ServiceApi,
} from "@airline/ui";
import { PaymentForm, type VoucherIn } from "./PaymentForm";
import { estimate, extrasError, extrasRequest, isEmpty, noPicks, pickMeal, piecesLeft, slot, stepBag, type ExtrasPicks } from "./extrasRules";

const at = (iso: string | null | undefined, zone: string | undefined) =>
  iso ? `${formatLocalDate(iso, zone ?? "UTC")} ${formatLocalTime(iso, zone ?? "UTC")}${zone ? "" : " UTC"}` : "—";

/** "Manage booking": the extras bought after the sale (their EMDs), buying more bags and a paid
 * meal (confirmed booking, until sales close), and the receipt of everything paid. */
export function ManageExtras({ api, booking, zones, access, onChanged }: {
  api: Api; booking: Booking; zones: Record<string, string>; access: BookingAccess; onChanged: (b: Booking) => void;
}) {
  const svc = useMemo(() => serviceApi(api), [api]);
  const [open, setOpen] = useState(false);
  const [done, setDone] = useState<string | null>(null);
  const emds = (booking as BookingWithExtras).ancillaries ?? [];
  if (booking.state !== "confirmed" && booking.state !== "cancelled") return null;
  return (
    <section className="ui-stack bk-gap" aria-label="extras">
      <h3>Extras: bags and meals</h3>
      {done ? <Alert kind="success"><span data-testid="extras-done">{done}</span></Alert> : null}
      {emds.length ? <EmdTable booking={booking} emds={emds} /> : null}
      {booking.state === "confirmed" ? (
        open ? (
          <BuyExtras svc={svc} booking={booking} zone={zones[String(booking.legs[0]?.origin ?? "")]} access={access} onClose={() => setOpen(false)}
            onBought={(b, text) => { setOpen(false); setDone(text); onChanged(b); }} />
        ) : <div className="bk-nav"><Button variant="secondary" onClick={() => { setOpen(true); setDone(null); }}>Add bags or meals</Button></div>
      ) : null}
      <section className="ui-stack" aria-label="receipt of the booking">
        <h4>Receipt</h4>
        <ReceiptPanel key={emds.length} load={() => svc.receipt(booking.id, access)} />
      </section>
    </section>
  );
}

function BuyExtras({ svc, booking, zone, access, onBought, onClose }: {
  svc: ServiceApi; booking: Booking; zone: string | undefined; access: BookingAccess;
  onBought: (b: BookingWithExtras, text: string) => void; onClose: () => void;
}) {
  const [offer, setOffer] = useState<Ancillaries | null>(null);
  const [picks, setPicks] = useState<ExtrasPicks>(noPicks);
  const [quote, setQuote] = useState<AncillaryQuote | null>(null);
  const { error, setError, busy, setBusy, key, renew } = useAttempt();
  useEffect(() => {
    svc.ancillaries(booking.id, access).then(setOffer).catch((e: unknown) => setError(extrasError(e)));
    // loaded once per opening: `access` is a new object at each render of Manage
  }, [svc, booking.id]);

  const run = async <T,>(work: () => Promise<T>): Promise<T | undefined> => {
    setBusy(true); setError(null);
    try { return await work(); } catch (e) { renew(); setError(extrasError(e)); return undefined; } finally { setBusy(false); }
  };
  const review = async () => {
    if (!offer) return;
    const request = extrasRequest(offer, picks);
    if (isEmpty(request)) return setError("Add a bag or choose a meal first.");
    const q = await run(() => svc.quoteAncillaries(booking.id, request, access));
    if (q) { key.current = crypto.randomUUID(); setQuote(q); }
  };
  const pay = async (method: PayMethod | null, voucher: VoucherIn) => {
    if (!quote) return;
    const before = new Set(((booking as BookingWithExtras).ancillaries ?? []).map((e) => e.emd_number));
    const b = await run(() => svc.buyAncillaries(booking.id, quote.quote_id, { ...(method ? { method } : {}), ...(voucher ? { voucher } : {}) }, access, key.current));
    if (!b) return;
    const issued = (b.ancillaries ?? []).filter((e) => !before.has(e.emd_number)).map((e) => e.emd_number);
    onBought(b, `Paid ${formatMoney(quote.total, quote.currency)}. ${issued.length === 1 ? "Your document (EMD) is" : "Your documents (EMD) are"} ${issued.join(", ")}.`);
  };

  if (!offer) return error ? <Alert kind="error">{error}</Alert> : <p className="bk-muted">Loading the extras…</p>;
  if (!offer.open) {
    return (
      <Alert kind="info"><span data-testid="extras-closed">Bags and meals could be bought online until {at(offer.closes_at, zone)}. Extra bags can still be paid at the airport desk.</span></Alert>
    );
  }
  const money = (n: number) => formatMoney(n, quote?.currency ?? offer.currency);
  if (quote) {
    return (
      <div className="ui-stack bk-change" role="group" aria-label="your extras">
        <table className="ui-table bk-breakdown" aria-label="extras quote">
          <tbody>
            {quote.items.map((it, i) => (
              <tr key={`${i}-${slot(it)}-${it.kind}`} data-testid="extras-item"><td>{it.description} · {forWhom(booking, it.passenger_id, it.flight_id)}</td><td className="ui-money">{money(it.amount)}</td></tr>
            ))}
            <tr><th scope="row">Total</th><td className="ui-money" data-testid="extras-total">{money(quote.total)}</td></tr>
          </tbody>
        </table>
        <p className="bk-muted">This price holds until {at(quote.expires_at, zone)}.</p>
        <PaymentForm label="pay for extras" amount={quote.total} currency={quote.currency} busy={busy} error={error} onPay={pay} onBack={() => { setQuote(null); setError(null); }} />
      </div>
    );
  }
  const meals = new Map(offer.meal_orders.map((m) => [slot(m), m.code]));
  const menu = offer.meals;
  const rows = offer.bags;
  return (
    <div className="ui-stack bk-change" role="group" aria-label="choose extras">
      {rows.length ? (
        <div className="bk-scroll"><table className="ui-table" aria-label="bags and meals by passenger">
          <thead><tr><th scope="col">Passenger</th><th scope="col">Bags</th><th scope="col">Add bags</th><th scope="col">Meal</th></tr></thead>
          <tbody>{rows.map((b) => (
            <ExtrasRow key={slot(b)} booking={booking} b={b} picks={picks} bought={meals.get(slot(b))} menu={menu} currency={offer.currency} onPicks={setPicks} />
          ))}</tbody>
        </table></div>
      ) : <Alert kind="info">There is nothing to add on this booking.</Alert>}
      <div className="bk-total">Estimated <span className="ui-money" data-testid="extras-estimate">{money(estimate(offer, picks))}</span></div>
      {error ? <Alert kind="error">{error}</Alert> : null}
      <div className="bk-nav">
        <Button type="button" variant="ghost" onClick={onClose}>Not now</Button>
        <Button busy={busy} disabled={isEmpty(extrasRequest(offer, picks))} onClick={() => void review()}>Review</Button>
      </div>
    </div>
  );
}

function ExtrasRow({ booking, b, picks, bought, menu, currency, onPicks }: {
  booking: Booking; b: BagAllowance; picks: ExtrasPicks; bought: string | undefined; menu: Ancillaries["meals"]; currency: string; onPicks: (p: ExtrasPicks) => void;
}) {
  const who = forWhom(booking, b.passenger_id, b.flight_id);
  const adding = picks.bags[slot(b)] ?? 0;
  const left = piecesLeft(b);
  const meal = menu.find((m) => m.code === bought);
  const infant = booking.passengers.find((p) => p.id === b.passenger_id)?.type === "infant"; // on a lap: no bag allowance, no meal
  return (
    <tr data-testid="extras-slot">
      <td>{who}</td>
      <td>{b.included_pieces} included{b.extra_pieces ? `, ${b.extra_pieces} extra` : ""}</td>
      <td>
        {left ? (
          <span className="ui-stepper">
            <Button variant="ghost" aria-label={`One bag fewer for ${who}`} disabled={adding < 1} onClick={() => onPicks(stepBag(picks, b, -1))}>−</Button>
            <output aria-label={`bags to add for ${who}`}>{adding}</output>
            <Button variant="ghost" aria-label={`Add a bag for ${who}`} disabled={adding >= left} onClick={() => onPicks(stepBag(picks, b, 1))}>+</Button>
            <span className="bk-muted">{formatMoney(b.piece_price, currency)} each</span>
          </span>
        ) : <span className="bk-muted">{infant ? "None for an infant on a lap" : "No more bags can be added"}</span>}
      </td>
      <td>
        {bought ? <span>{meal?.name ?? bought} <span className="bk-muted">(bought)</span></span> : menu.length && !infant ? (
          <div className="ui-field">
            <select aria-label={`Meal for ${who}`} value={picks.meals[slot(b)] ?? ""} onChange={(e) => onPicks(pickMeal(picks, b, e.target.value))}>
              <option value="">No meal</option>
              {menu.map((m) => <option key={m.code} value={m.code}>{m.name} · {formatMoney(m.price, currency)}</option>)}
            </select>
          </div>
        ) : <span className="bk-muted">—</span>}
      </td>
    </tr>
  );
}
