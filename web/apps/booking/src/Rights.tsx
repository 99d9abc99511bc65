import { useEffect, useState } from "react";
import { Alert, Badge, Button, formatMoney, type Api, type Booking, type Compensation } from "@airline/ui";

const STATUS: Record<string, "success" | "warning" | undefined> = { paid: "success", pending: "warning" };

/** Passenger rights in "Manage booking": what each passenger is owed for a cancelled or late
 * flight under the airline's policy, taken once as a voucher or a refund to the card. Shown to
 * whoever may claim it (the signed-in owner or the holder of the booking's manage token);
 * nothing is shown when nothing is owed or the caller may not see it. */
export function Rights({ api, booking, token }: { api: Api; booking: Booking; token?: string | null }) {
  const [rights, setRights] = useState<Compensation | null>(null);
  const [error, setError] = useState<string | null>(null);
  const [busy, setBusy] = useState<"voucher" | "refund" | null>(null);

  useEffect(() => {
    let gone = false;
    api.compensation(booking.id, token)
      .then((r) => { if (!gone) setRights(r); })
      .catch(() => { if (!gone) setRights(null); }); // not owed to this caller: say nothing
    return () => { gone = true; };
  }, [api, booking.id, booking.state, token]);

  if (!rights || !rights.items.length) return null;
  const claim = async (method: "voucher" | "refund") => {
    setBusy(method); setError(null);
    try { setRights(await api.claimCompensation(booking.id, method, token)); }
    catch (e) { setError((e as Error).message); } // e.g. a refund bigger than the payment: the voucher is the way
    finally { setBusy(null); }
  };
  return (
    <section className="ui-stack bk-gap" aria-label="compensation">
      <h3>Compensation</h3>
      <p className="bk-muted">{rights.policy_description}</p>
      <div className="ui-scroll"><table className="ui-table" aria-label="compensation owed">
        <thead><tr><th>Passenger</th><th>Flight</th><th>Why</th><th>Amount</th><th>Status</th></tr></thead>
        <tbody>
          {rights.items.map((i) => (
            <tr key={`${i.passenger_id}-${i.flight_id}`} data-testid="compensation-item">
              <td>{i.passenger_name}</td>
              <td className="bk-mono">{i.flight_number}</td>
              <td>{i.explanation}</td>
              <td>{formatMoney(i.amount, i.currency)}</td>
              <td>
                <Badge tone={STATUS[i.status]}>{i.status}</Badge>
                {i.status === "paid" && i.method === "voucher" ? <> voucher <span className="bk-mono" data-testid="compensation-voucher">{i.reference}</span></> : null}
                {i.status === "paid" && i.method === "refund" ? <> to your card</> : null}
              </td>
            </tr>
          ))}
        </tbody>
      </table></div>
      {(rights.total_due ?? 0) > 0 ? (
        <div className="bk-nav">
          <span>Owed: <strong>{formatMoney(rights.total_due ?? 0, rights.currency)}</strong></span>
          <Button busy={busy === "voucher"} disabled={busy !== null} onClick={() => claim("voucher")}>Take as a voucher</Button>
          <Button variant="secondary" busy={busy === "refund"} disabled={busy !== null} onClick={() => claim("refund")}>Refund to my card</Button>
        </div>
      ) : null}
      {error ? <Alert kind="error">{error}</Alert> : null}
    </section>
  );
}
