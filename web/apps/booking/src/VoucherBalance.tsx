import { useState, type FormEvent } from "react";
import { Alert, Button, Card, Field, formatLocalDate, formatMoney, isApiError, type Api } from "@airline/ui";

/** "What is left on my voucher?" (GET /vouchers/{code}, signed in): the balance to pay a booking with. */
export function VoucherBalance({ api }: { api: Api }) {
  const [code, setCode] = useState("");
  const [state, setState] = useState<{ busy?: boolean; error?: string; text?: string }>({});
  const look = async (e: FormEvent) => {
    e.preventDefault();
    const c = code.trim().toUpperCase();
    if (!c) return setState({ error: "Enter the code printed on your voucher" });
    setState({ busy: true });
    try {
      const v = await api.voucher(c);
      const until = v.expires_at ? `, valid until ${formatLocalDate(v.expires_at, "UTC")}` : "";
      setState({ text: `${formatMoney(v.balance, v.currency)} left of ${formatMoney(v.amount_issued, v.currency)}${until}.` });
    } catch (err) {
      setState({ error: isApiError(err) && err.status === 404 ? "No voucher has that code." : (err as Error).message });
    }
  };
  return (
    <Card title="Voucher balance">
      <form className="ui-row" onSubmit={look} aria-label="voucher balance" noValidate>
        <Field label="Voucher code" autoComplete="off" value={code} onChange={(e) => setCode(e.target.value)} error={state.error ?? null} />
        <Button type="submit" variant="secondary" busy={!!state.busy}>Check balance</Button>
      </form>
      {state.text ? <div className="bk-gap" role="status" data-testid="voucher-balance"><Alert kind="info">{state.text}</Alert></div> : null}
    </Card>
  );
}
