import { memo, useCallback, useEffect, useState } from "react";
import { Alert, Badge, Button, Field, formatMoney, reasonOk, REASON_MAX, type Api, type components } from "@airline/ui";
import { Confirm, newKey } from "./Confirm";
import { amountText, fieldErrors, historyTime, parseAmount, paymentActions, paymentTone } from "./workbenchRules";

export type Payment = components["schemas"]["Payment"];
type RefundResult = components["schemas"]["RefundResult"];
type Open = { id: string; what: "refund" | "void" | "transfer" | "details" } | null;

const paidWith = (p: Payment) =>
  p.method === "card" ? `card ${p.card_brand ?? ""} ····${p.card_last4 ?? ""}` : p.method === "e_wallet" ? `${p.wallet_provider ?? "e-wallet"} ${p.wallet_account ?? ""}`
    : p.method === "bank_transfer" ? `bank transfer ${p.transfer_reference ?? ""}` : p.method.replace(/_/g, " ");

/** A booking's payments at the desk (GET /payments?reference=<booking id>): refund in full or in
 * part, void an authorisation, confirm a bank transfer received; each behind a confirmation that
 * names the amount and the booking. */
export const Payments = memo(function Payments({ api, bookingId, pnr }: { api: Api; bookingId: string; pnr: string }) {
  const [list, setList] = useState<Payment[] | null>(null);
  const [error, setError] = useState<string | null>(null);
  const [open, setOpen] = useState<Open>(null);
  const [detail, setDetail] = useState<Payment | null>(null);
  const [done, setDone] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);
  const [form, setForm] = useState({ amount: "", reason: "", key: "" });
  const [errs, setErrs] = useState<Record<string, string>>({});
  const [reviewing, setReviewing] = useState(false);

  const load = useCallback(() => {
    setError(null);
    api.request<{ payments: Payment[] }>("GET", `/payments?reference=${encodeURIComponent(bookingId)}`)
      .then((r) => setList(r.payments)).catch((e: Error) => setError(e.message));
  }, [api, bookingId]);
  useEffect(load, [load]);

  const put = (p: Payment) => setList((l) => (l ?? []).map((x) => (x.id === p.id ? p : x)));
  const start = (p: Payment, what: NonNullable<Open>["what"]) => {
    setOpen({ id: p.id, what }); setDone(null); setError(null); setErrs({}); setReviewing(false); setDetail(null);
    if (what === "refund") setForm({ amount: amountText(paymentActions(p).refundable, p.currency), reason: "", key: newKey() });
    if (what === "details") api.request<Payment>("GET", `/payments/${encodeURIComponent(p.id)}`).then(setDetail).catch((e: Error) => setError(e.message));
  };
  const run = async (what: string, call: () => Promise<Payment>) => {
    setBusy(true); setError(null);
    try { put(await call()); setOpen(null); setReviewing(false); setDone(what); } catch (e) {
      const f = fieldErrors(e);
      setErrs(f); setReviewing(false);
      if (!Object.keys(f).length) setError((e as Error).message);
    } finally { setBusy(false); }
  };

  const current = list?.find((p) => open && p.id === open.id) ?? null;
  const refundAmount = current ? parseAmount(form.amount, current.currency, paymentActions(current).refundable) : 0;
  const review = () => {
    const e: Record<string, string> = {};
    if (typeof refundAmount === "string") e.amount = refundAmount;
    if (!reasonOk(form.reason)) e.reason = "Give a reason of at least 3 characters";
    setErrs(e);
    if (!Object.keys(e).length) setReviewing(true);
  };

  return (
    <section className="op-panel" aria-label="payments">
      <div className="op-actions"><h3>Payments</h3><Button variant="ghost" onClick={load}>Refresh payments</Button></div>
      {done ? <Alert kind="success"><span data-testid="payment-done">{done}</span></Alert> : null}
      {error ? <Alert kind="error">{error}</Alert> : null}
      {list === null ? (error ? null : <p className="op-muted">Loading the payments…</p>) : !list.length ? (
        <p className="op-muted">No payment for this booking yet.</p>
      ) : (
        <div className="op-scroll"><table className="ui-table" aria-label="payments of the booking">
          <thead><tr><th scope="col">Paid with</th><th scope="col">Status</th><th scope="col">Amount</th><th scope="col">Refunded</th><th scope="col">Actions</th></tr></thead>
          <tbody>{list.map((p) => {
            const can = paymentActions(p);
            const money = formatMoney(p.amount, p.currency);
            return (
              <tr key={p.id} data-testid="payment" data-status={p.status}>
                <td>{paidWith(p)}{p.voucher_code ? <div className="op-muted">voucher {p.voucher_code}: {formatMoney(p.voucher_amount ?? 0, p.currency)}</div> : null}</td>
                <td><Badge tone={paymentTone(p.status)}>{p.status.replace(/_/g, " ")}</Badge></td>
                <td>{money}</td>
                <td>{(p.refunded_amount ?? 0) > 0 ? formatMoney(p.refunded_amount ?? 0, p.currency) : "—"}</td>
                <td><div className="op-actions">
                  {can.refund ? <Button variant="secondary" onClick={() => start(p, "refund")} aria-label={`Refund the payment of ${money}`}>Refund</Button> : null}
                  {can.void ? <Button variant="secondary" onClick={() => start(p, "void")} aria-label={`Void the payment of ${money}`}>Void</Button> : null}
                  {can.confirmTransfer ? <Button variant="secondary" onClick={() => start(p, "transfer")} aria-label={`Bank transfer received: ${money}`}>Bank transfer received</Button> : null}
                  <Button variant="ghost" onClick={() => start(p, "details")} aria-label={`Details of the payment of ${money}`}>Details</Button>
                </div></td>
              </tr>
            );
          })}</tbody>
        </table></div>
      )}

      {current && open?.what === "refund" ? (
        <form className="ui-stack" aria-label="refund" noValidate onSubmit={(e) => { e.preventDefault(); review(); }}>
          <h4>Refund {paidWith(current)} ({formatMoney(current.amount, current.currency)})</h4>
          <div className="op-grid">
            <Field label={`Amount to refund (${current.currency})`} inputMode="decimal" value={form.amount} error={errs.amount}
              hint={`Up to ${formatMoney(paymentActions(current).refundable, current.currency)}; less is a partial refund`}
              onChange={(e) => { setForm({ ...form, amount: e.target.value }); setReviewing(false); }} />
            <Field label="Refund reason" value={form.reason} maxLength={REASON_MAX} error={errs.reason}
              onChange={(e) => { setForm({ ...form, reason: e.target.value }); setReviewing(false); }} />
          </div>
          {reviewing && typeof refundAmount === "number" ? (
            <Confirm label="confirm the refund" yes={`Yes, refund ${formatMoney(refundAmount, current.currency)}`} busy={busy} onNo={() => setReviewing(false)}
              onYes={() => run(`Refunded ${formatMoney(refundAmount, current.currency)} on booking ${pnr}.`, async () =>
                (await api.request<RefundResult>("POST", `/payments/${encodeURIComponent(current.id)}/refund`,
                  { amount: refundAmount, reason: form.reason.trim() }, { "Idempotency-Key": form.key })).payment)}>
              Refund <strong>{formatMoney(refundAmount, current.currency)}</strong> of booking <strong>{pnr}</strong> to its {paidWith(current)}?
            </Confirm>
          ) : (
            <div className="op-actions"><Button type="submit">Review the refund</Button><Button variant="ghost" onClick={() => setOpen(null)}>Close</Button></div>
          )}
        </form>
      ) : null}
      {current && open?.what === "void" ? (
        <Confirm label="confirm voiding the payment" yes="Yes, void it" busy={busy} onNo={() => setOpen(null)}
          onYes={() => run(`The payment of ${formatMoney(current.amount, current.currency)} on booking ${pnr} was voided.`, () =>
            api.request<Payment>("POST", `/payments/${encodeURIComponent(current.id)}/void`))}>
          Void the authorisation of <strong>{formatMoney(current.amount, current.currency)}</strong> on booking <strong>{pnr}</strong>? Nothing of it will be charged.
        </Confirm>
      ) : null}
      {current && open?.what === "transfer" ? (
        <Confirm label="confirm the bank transfer" yes="Yes, it was received" busy={busy} onNo={() => setOpen(null)}
          onYes={() => run(`The bank transfer of ${formatMoney(current.amount, current.currency)} on booking ${pnr} is confirmed.`, () =>
            api.request<Payment>("POST", `/payments/${encodeURIComponent(current.id)}/bank-transfer/confirm`))}>
          Confirm that the bank transfer of <strong>{formatMoney(current.amount, current.currency)}</strong> for booking <strong>{pnr}</strong> (reference {current.transfer_reference ?? "—"}) was received?
        </Confirm>
      ) : null}
      {current && open?.what === "details" ? (
        <div role="region" aria-label="payment details" className="ui-stack">
          {detail ? (
            <>
              <p>Payment <span className="op-mono">{detail.id}</span> · {detail.origin ?? "direct"} · captured {formatMoney(detail.captured_amount ?? 0, detail.currency)}
                {detail.failure_message ? ` · ${detail.failure_message}` : ""}</p>
              {detail.refunds?.length ? (
                <ul className="op-list" aria-label="refunds">{detail.refunds.map((r) => (
                  <li key={r.id}>{formatMoney(r.amount, detail.currency)}{r.created_at ? ` on ${historyTime(r.created_at)}` : ""}{r.reason ? <> · <q>{r.reason}</q></> : null}</li>
                ))}</ul>
              ) : <p className="op-muted">No refund on this payment.</p>}
            </>
          ) : <p className="op-muted">Loading the payment…</p>}
          <div className="op-actions"><Button variant="ghost" onClick={() => setOpen(null)}>Close the details</Button></div>
        </div>
      ) : null}
    </section>
  );
});
