import type { Bag, BoardingPass } from "@airline/ui";
import { feeSummary } from "./desk";

export type ScanOutcome =
  | { kind: "boarded"; pass: BoardingPass }
  | { kind: "refused"; message: string };

/** The gate's answer to one scan, readable from a step away; a refusal is announced at once. */
export function ScanResult({ outcome }: { outcome: ScanOutcome | null }) {
  if (!outcome) return null;
  if (outcome.kind === "boarded") {
    const p = outcome.pass;
    return (
      <div className="dk-result dk-result--ok" role="status" data-testid="scan-result" data-result="boarded">
        <strong>BOARDED</strong>
        <p>{p.first_name} {p.last_name} · seat {p.seat || "lap infant"} · {p.flight_number}</p>
      </div>
    );
  }
  return (
    <div className="dk-result dk-result--refused" role="alert" data-testid="scan-result" data-result="refused">
      <strong>REFUSED</strong>
      <p>{outcome.message}</p>
    </div>
  );
}

/** What a dropped bag costs beyond the allowance, as the agent says it to the passenger. */
export function BagFee({ bag }: { bag: Pick<Bag, "fee" | "currency" | "fee_reasons" | "status" | "weight_kg"> }) {
  const f = feeSummary(bag);
  if (!f.due) return <div className="ui-alert ui-alert--success" role="status" data-testid="bag-fee">Within the allowance: no fee ({bag.weight_kg} kg).</div>;
  return (
    <div className="ui-alert ui-alert--warning" role="status" data-testid="bag-fee">
      <div>Excess baggage fee <span className="dk-fee" data-testid="fee-amount">{f.amount}</span></div>
      <ul>{f.reasons.map((r) => <li key={r}>{r}</li>)}</ul>
      {bag.status === "awaiting_payment" ? <div>The bag is accepted once the fee is paid.</div> : null}
    </div>
  );
}
