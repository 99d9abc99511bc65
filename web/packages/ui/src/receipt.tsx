"use client";

import { useState } from "react";
import { Alert, Button } from "./components";
import { formatMoney } from "./money";
import type { Booking, Emd, Receipt } from "./api";

/** Who and which flight an EMD or a line is for, in words ("Linh Vo · XA7001"). */
export function forWhom(booking: Pick<Booking, "passengers" | "legs">, passengerId: string, flightId: string): string {
  const p = booking.passengers.find((x) => x.id === passengerId);
  const l = booking.legs.find((x) => x.flight_id === flightId);
  const number = l?.number ?? "";
  return [p ? `${p.first_name} ${p.last_name}` : passengerId, number || flightId].filter(Boolean).join(" · ");
}

/** A receipt amount: refunds read as money going back ("− SGD 12.00") whatever sign they carry. */
export function receiptAmount(kind: string, amount: number, currency: string): string {
  return kind === "refund" ? `− ${formatMoney(Math.abs(amount), currency)}` : formatMoney(amount, currency);
}

/** The EMDs of a booking (extras bought after the sale), one row each. */
export function EmdTable({ booking, emds }: { booking: Pick<Booking, "passengers" | "legs">; emds: Emd[] }) {
  if (!emds.length) return <p className="ui-muted">No extras bought after the booking.</p>;
  return (
    <div className="ui-scroll"><table className="ui-table" aria-label="extras documents (EMD)">
      <thead><tr><th scope="col">EMD</th><th scope="col">Extra</th><th scope="col">For</th><th scope="col">Amount</th></tr></thead>
      <tbody>{emds.map((e) => (
        <tr key={e.emd_number} data-testid="emd" data-kind={e.kind}>
          <td className="ui-mono">{e.emd_number}</td><td>{e.description}</td><td>{forWhom(booking, e.passenger_id, e.flight_id)}</td>
          <td className="ui-money">{formatMoney(e.amount, e.currency)}</td>
        </tr>
      ))}</tbody>
    </table></div>
  );
}

/** The receipt: fare, extras, changes and refunds with their documents, and the totals. */
export function ReceiptView({ receipt }: { receipt: Receipt }) {
  const money = (n: number) => formatMoney(n, receipt.currency);
  return (
    <div className="ui-receipt ui-stack" role="document" aria-label="receipt">
      <h4>Receipt · booking <span className="ui-mono">{receipt.pnr}</span></h4>
      <table className="ui-table" aria-label="receipt lines">
        <thead><tr><th scope="col">What</th><th scope="col">Document</th><th scope="col">Amount</th></tr></thead>
        <tbody>{receipt.lines.map((l, i) => (
          <tr key={`${i}-${l.document}`} data-testid="receipt-line" data-kind={l.kind}>
            <td>{l.description}</td><td className="ui-mono">{l.document || "—"}</td><td className="ui-money">{receiptAmount(l.kind, l.amount, receipt.currency)}</td>
          </tr>
        ))}</tbody>
        <tfoot>
          <tr><th scope="row" colSpan={2}>Total paid</th><td className="ui-money" data-testid="receipt-paid">{money(receipt.total_paid)}</td></tr>
          {receipt.total_refunded ? <tr><th scope="row" colSpan={2}>Total refunded</th><td className="ui-money" data-testid="receipt-refunded">{receiptAmount("refund", receipt.total_refunded, receipt.currency)}</td></tr> : null}
        </tfoot>
      </table>
    </div>
  );
}

/** "Receipt" on demand (loaded when asked, so it is current), with a print button: the print
 * stylesheet shows the receipt alone. */
export function ReceiptPanel({ load, print = true }: { load: () => Promise<Receipt>; print?: boolean }) {
  const [receipt, setReceipt] = useState<Receipt | null>(null);
  const [error, setError] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);
  const show = async () => {
    setBusy(true); setError(null);
    try { setReceipt(await load()); } catch (e) { setError((e as Error).message); } finally { setBusy(false); }
  };
  return (
    <div className="ui-stack">
      <div className="ui-actions ui-noprint">
        <Button variant="secondary" busy={busy} onClick={() => void show()}>{receipt ? "Refresh the receipt" : "Show the receipt"}</Button>
        {receipt && print ? <Button variant="ghost" onClick={() => window.print()}>Print the receipt</Button> : null}
      </div>
      {error ? <Alert kind="error">{error}</Alert> : null}
      {receipt ? <ReceiptView receipt={receipt} /> : null}
    </div>
  );
}
