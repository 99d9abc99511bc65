import { useEffect, useRef, useState, type FormEvent, type ReactNode } from "react";
import { Alert, Button } from "@airline/ui";
import { otherErrors, type useSend } from "./forms";

/** What an action will do, in words, and how it is done. */
export interface Plan<T> { what: string; effect: ReactNode; run: () => Promise<T> }

/** The confirmation every action asks for: it names what will happen before it is done. */
function Confirmation<T>({ plan, busy, onYes, onNo }: { plan: Plan<T>; busy: boolean; onYes: () => void; onNo: () => void }) {
  const ref = useRef<HTMLDivElement>(null);
  useEffect(() => { ref.current?.focus(); }, []);
  return (
    <div className="op-confirm ui-stack" role="alertdialog" aria-label={`confirm: ${plan.what}`} aria-describedby="op-confirm-effect" tabIndex={-1} ref={ref}>
      <p><strong>{plan.what}?</strong></p>
      <p id="op-confirm-effect">{plan.effect}</p>
      <div className="op-buttons">
        <Button busy={busy} onClick={onYes}>Yes, {plan.what[0].toLowerCase() + plan.what.slice(1)}</Button>
        <Button variant="secondary" disabled={busy} onClick={onNo}>No, go back</Button>
      </div>
    </div>
  );
}

/** One action's form: its fields, then the confirmation naming what it does, then the API's answer
 * (field errors on their fields, the rest above the button). */
export function ActionForm<T>({ label, shown, send, plan, onDone, children }: {
  label: string; shown: string[]; send: ReturnType<typeof useSend>; plan: () => Plan<T> | null; onDone: (r: T) => void; children: ReactNode;
}) {
  const [asking, setAsking] = useState<Plan<T> | null>(null);
  const submit = (e: FormEvent) => { e.preventDefault(); send.setError(null); setAsking(plan()); };
  const yes = async () => {
    const r = await send.run(async () => asking!.run());
    setAsking(null);
    if (r) onDone(r);
  };
  const rest = otherErrors(send.fields, shown);
  return (
    <form onSubmit={submit} aria-label={label} className="ui-stack" noValidate>
      <div className="op-grid">{children}</div>
      {send.error ? <div data-testid="action-error"><Alert kind="error">Not done: {send.error}{rest.length ? ` (${rest.join("; ")})` : ""}</Alert></div> : null}
      {asking ? <Confirmation plan={asking} busy={send.busy} onYes={yes} onNo={() => setAsking(null)} /> : <div><Button type="submit">{label}…</Button></div>}
    </form>
  );
}

