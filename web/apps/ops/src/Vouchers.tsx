import { memo, useState, type FormEvent } from "react";
import { Alert, Button, Card, Field, formatMoney, reasonOk, REASON_MAX, type Api, type Voucher } from "@airline/ui";
import { Confirm } from "./Confirm";
import { fieldErrors, historyTime, parseAmount } from "./workbenchRules";

function VoucherCard({ v }: { v: Voucher }) {
  return (
    <dl className="op-totals" aria-label={`voucher ${v.code}`} data-testid="voucher">
      <dt>Code</dt><dd className="op-mono">{v.code}</dd>
      <dt>Balance</dt><dd>{formatMoney(v.balance, v.currency)} of {formatMoney(v.amount_issued, v.currency)}</dd>
      <dt>Expires</dt><dd>{v.expires_at ? historyTime(v.expires_at) : "never"}</dd>
    </dl>
  );
}

/** Issue a voucher for a booking's passenger (cs; POST /vouchers): the amount, its currency (the
 * booking's by default) and a reason, which is kept with the booking's PNR. */
export const IssueVoucher = memo(function IssueVoucher({ api, pnr, currency: bookingCurrency }: { api: Api; pnr: string; currency: string }) {
  const [form, setForm] = useState({ amount: "", currency: bookingCurrency, reason: "" });
  const [errs, setErrs] = useState<Record<string, string>>({});
  const [error, setError] = useState<string | null>(null);
  const [amount, setAmount] = useState<number | null>(null);
  const [issued, setIssued] = useState<Voucher | null>(null);
  const [busy, setBusy] = useState(false);
  const currency = form.currency.trim().toUpperCase();
  const set = (k: keyof typeof form) => (e: { target: { value: string } }) => { setForm({ ...form, [k]: e.target.value }); setAmount(null); };

  const review = (e: FormEvent) => {
    e.preventDefault(); setError(null); setIssued(null);
    const x: Record<string, string> = {};
    if (!/^[A-Z]{3}$/.test(currency)) x.currency = "A 3-letter ISO currency, e.g. SGD";
    const a = parseAmount(form.amount, /^[A-Z]{3}$/.test(currency) ? currency : "SGD");
    if (typeof a === "string") x.amount = a;
    if (!reasonOk(form.reason)) x.reason = "Give a reason of at least 3 characters";
    setErrs(x);
    setAmount(Object.keys(x).length || typeof a === "string" ? null : a);
  };
  const issue = async () => {
    if (amount === null) return;
    setBusy(true); setError(null);
    try {
      setIssued(await api.request<Voucher>("POST", "/vouchers", { amount, currency, reason: `${form.reason.trim()} (booking ${pnr})` }));
      setForm({ amount: "", currency, reason: "" }); setAmount(null);
    } catch (err) {
      const f = fieldErrors(err);
      setErrs(f); setAmount(null);
      if (!Object.keys(f).length) setError((err as Error).message);
    } finally { setBusy(false); }
  };

  return (
    <section className="op-panel" aria-label="issue a voucher">
      <h3>Issue a voucher</h3>
      <form className="ui-stack" aria-label="voucher" noValidate onSubmit={review}>
        <div className="op-grid">
          <Field label="Voucher amount" inputMode="decimal" value={form.amount} onChange={set("amount")} error={errs.amount} />
          <Field label="Currency" value={form.currency} maxLength={3} onChange={set("currency")} error={errs.currency} />
          <Field label="Voucher reason" value={form.reason} maxLength={REASON_MAX - 20} onChange={set("reason")} error={errs.reason}
            hint={`Kept with the voucher as "… (booking ${pnr})"`} />
        </div>
        {amount === null ? <div className="op-actions"><Button type="submit" variant="secondary">Review the voucher</Button></div> : (
          <Confirm label="confirm the voucher" yes={`Yes, issue ${formatMoney(amount, currency)}`} busy={busy} onYes={issue} onNo={() => setAmount(null)}>
            Issue a voucher of <strong>{formatMoney(amount, currency)}</strong> for booking <strong>{pnr}</strong>?
          </Confirm>
        )}
      </form>
      {error ? <Alert kind="error">{error}</Alert> : null}
      {issued ? <Alert kind="success">Voucher issued: give the passenger its code. <VoucherCard v={issued} /></Alert> : null}
    </section>
  );
});

/** A voucher's balance by its code (GET /vouchers/{code}). */
export function VoucherLookup({ api }: { api: Api }) {
  const [code, setCode] = useState("");
  const [found, setFound] = useState<Voucher | null>(null);
  const [error, setError] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);
  const find = async (e: FormEvent) => {
    e.preventDefault(); setFound(null); setError(null);
    const c = code.trim().toUpperCase();
    if (!c) return setError("Enter the voucher's code");
    setBusy(true);
    try { setFound(await api.request<Voucher>("GET", `/vouchers/${encodeURIComponent(c)}`)); } catch (err) { setError((err as Error).message); } finally { setBusy(false); }
  };
  return (
    <Card title="Look up a voucher">
      <form onSubmit={find} className="op-grid" aria-label="voucher lookup" noValidate>
        <Field label="Voucher code" value={code} maxLength={64} onChange={(e) => setCode(e.target.value)} error={error} />
        <div className="op-end"><Button type="submit" variant="secondary" busy={busy}>Look up</Button></div>
      </form>
      {found ? <VoucherCard v={found} /> : null}
    </Card>
  );
}
