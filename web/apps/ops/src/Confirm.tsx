import type { ReactNode } from "react";
import { Button } from "@airline/ui";

/** A confirmation before a step that moves money or stock: it says what will happen (the amount,
 * the booking or the flight) and is answered yes or no. */
export function Confirm({ label, children, yes, busy, onYes, onNo }: {
  label: string; children: ReactNode; yes: string; busy: boolean; onYes: () => void; onNo: () => void;
}) {
  return (
    <div className="ui-confirm ui-stack" role="alertdialog" aria-label={label}>
      <div>{children}</div>
      <div className="op-actions">
        <Button variant="danger" busy={busy} onClick={onYes}>{yes}</Button>
        <Button variant="secondary" disabled={busy} onClick={onNo}>No, go back</Button>
      </div>
    </div>
  );
}

/** A new idempotency key: a retried request with the same key is done once. */
export const newKey = () => globalThis.crypto?.randomUUID?.() ?? `${Date.now()}-${Math.random().toString(16).slice(2)}`;
