import { useState, type FormEvent } from "react";
import { isApiError, Alert, Button, Card, Field, Select, formatMoney, type PayMethod } from "@airline/ui";

/** A voucher code as typed, or nothing. */
export type VoucherIn = { code: string } | undefined;

/** The payment form of the booking flow, shared by everything that takes money for a booking
 * (the booking itself, a voluntary change): card, e-wallet and/or a voucher. With a voucher and
 * no card or e-wallet, the voucher must cover it all (`method` null). */
export function PaymentForm({ amount, currency, busy, error, onPay, onBack, label = "payment" }: {
  amount: number; currency: string; busy: boolean; error: string | null;
  onPay: (method: PayMethod | null, voucher: VoucherIn) => void; onBack?: () => void; label?: string;
}) {
  const [method, setMethod] = useState<"card" | "e_wallet">("card");
  const [card, setCard] = useState({ number: "", exp: "", cvc: "", holder: "" });
  const [wallet, setWallet] = useState({ provider: "paypal" as "paypal" | "apple_pay" | "google_pay", account: "" });
  const [voucher, setVoucher] = useState("");
  const [invalid, setInvalid] = useState<string | null>(null);

  const submit = (e: FormEvent) => {
    e.preventDefault();
    setInvalid(null);
    const [mm, yy] = card.exp.split("/").map((s) => Number(s.trim()));
    const v = voucher.trim().toUpperCase();
    // with a voucher the card (or e-wallet) pays the rest; left empty, the voucher must cover it all
    const noMethod = v !== "" && (method === "card" ? !card.number.trim() : !wallet.account.trim());
    if (method === "card" && !noMethod && (!mm || !yy || mm > 12)) return setInvalid("Enter the expiry as MM/YY");
    const m: PayMethod | null = noMethod ? null : method === "card"
      ? { type: "card", number: card.number, exp_month: mm, exp_year: yy < 100 ? 2000 + yy : yy, cvc: card.cvc, holder: card.holder }
      : { type: "e_wallet", provider: wallet.provider, account: wallet.account };
    onPay(m, v ? { code: v } : undefined);
  };
  const shown = invalid ?? error;
  return (
    <form className="ui-stack" onSubmit={submit} aria-label={label}>
      <div className="bk-total">To pay <span className="ui-money" data-testid="total">{formatMoney(amount, currency)}</span></div>
      <fieldset className="bk-toggle">
        <legend className="ui-sr">Payment method</legend>
        <label className={method === "card" ? "on" : ""}><input type="radio" name="method" checked={method === "card"} onChange={() => setMethod("card")} /> Card</label>
        <label className={method === "e_wallet" ? "on" : ""}><input type="radio" name="method" checked={method === "e_wallet"} onChange={() => setMethod("e_wallet")} /> E-wallet</label>
      </fieldset>
      <Field label="Voucher code (optional)" autoComplete="off" value={voucher} onChange={(e) => setVoucher(e.target.value)}
        hint="A voucher pays what its balance covers; the card or e-wallet pays the rest. What is left stays on the voucher." />
      {method === "card" ? (
        <>
          <Alert kind="info">Sandbox test cards: <code>4242 4242 4242 4242</code> approved · <code>4000 0000 0000 3220</code> asks for 3-D Secure (code 123456) · <code>4000 0000 0000 0002</code> declined. Any future expiry and CVC.</Alert>
          <Field label="Card number" inputMode="numeric" autoComplete="cc-number" required={!voucher.trim()} value={card.number} onChange={(e) => setCard({ ...card, number: e.target.value })} />
          <div className="ui-row">
            <Field label="Expiry (MM/YY)" autoComplete="cc-exp" placeholder="12/30" required={!voucher.trim()} value={card.exp} onChange={(e) => setCard({ ...card, exp: e.target.value })} />
            <Field label="CVC" inputMode="numeric" autoComplete="cc-csc" required={!voucher.trim()} maxLength={4} value={card.cvc} onChange={(e) => setCard({ ...card, cvc: e.target.value })} />
          </div>
          <Field label="Name on card" autoComplete="cc-name" value={card.holder} onChange={(e) => setCard({ ...card, holder: e.target.value })} />
        </>
      ) : (
        <div className="ui-row">
          <Select label="Provider" value={wallet.provider} onChange={(e) => setWallet({ ...wallet, provider: e.target.value as typeof wallet.provider })} options={[{ value: "paypal", label: "PayPal" }, { value: "apple_pay", label: "Apple Pay" }, { value: "google_pay", label: "Google Pay" }]} />
          <Field label="Account" required={!voucher.trim()} value={wallet.account} onChange={(e) => setWallet({ ...wallet, account: e.target.value })} />
        </div>
      )}
      {shown ? <Alert kind="error">{shown}</Alert> : null}
      <div className="bk-nav">
        {onBack ? <Button type="button" variant="secondary" onClick={onBack}>Back</Button> : null}
        <Button type="submit" busy={busy}>Pay {formatMoney(amount, currency)}</Button>
      </div>
    </form>
  );
}

/** The bank's one-time code (3-D Secure) for a payment that waits for it. */
export function ChallengeForm({ amount, currency, busy, error, onAnswer }: {
  amount: number; currency: string; busy: boolean; error: string | null; onAnswer: (code: string) => void;
}) {
  const [code, setCode] = useState("");
  return (
    <Card title="Verify it's you (3-D Secure)">
      <form className="ui-stack" onSubmit={(e) => { e.preventDefault(); onAnswer(code); }} aria-label="3-D Secure">
        <p>Your bank sent a one-time code. Enter it to approve {formatMoney(amount, currency)}.</p>
        <Field label="Verification code" inputMode="numeric" autoComplete="one-time-code" value={code} onChange={(e) => setCode(e.target.value)} hint="Sandbox code: 123456" required />
        {error ? <Alert kind="error">{error}</Alert> : null}
        <Button type="submit" busy={busy}>Verify and pay</Button>
      </form>
    </Card>
  );
}

/** A refused payment in words a passenger can act on. */
export function paymentError(err: unknown, still = "Your booking is still held"): string {
  if (isApiError(err) && err.status === 402) return `Payment declined: ${err.message}. ${still}; try another card.`;
  if (isApiError(err) && err.code === "voucher_does_not_cover") return "The voucher does not cover the whole amount: add a card or e-wallet for the rest.";
  return err instanceof Error ? err.message : String(err);
}
