import { useMemo, useState } from "react";
import {
  Badge, Button, CancelPassengerConfirm, NameCorrectionForm, canCancelPassenger, isCancelled, leavingWith, serviceApi,
  type Api, type Booking, type BookingAccess,
} from "@airline/ui";
import { refundRule } from "./changeRules";

/** "Manage booking", per passenger of a confirmed booking: correct a misspelt name (free, up to
 * 3 letters) or cancel this one passenger (the others keep their seats and tickets). */
export function ManagePassengers({ api, booking, access, onChanged }: {
  api: Api; booking: Booking; access: BookingAccess; onChanged: (b: Booking, renamed?: { from: string; to: string }) => void;
}) {
  const svc = useMemo(() => serviceApi(api), [api]);
  const [open, setOpen] = useState<{ id: string; what: "name" | "cancel" } | null>(null);
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<string | null>(null);
  if (booking.state !== "confirmed") return null;
  const act = async (run: () => Promise<Booking>, renamed?: { from: string; to: string }) => {
    setBusy(true); setError(null);
    try { onChanged(await run(), renamed); setOpen(null); } catch (e) { setError((e as Error).message); } finally { setBusy(false); }
  };
  const toggle = (id: string, what: "name" | "cancel") => { setError(null); setOpen(open?.id === id && open.what === what ? null : { id, what }); };
  return (
    <section className="ui-stack bk-gap" aria-label="passengers">
      <h3>Passengers</h3>
      <ul className="bk-trips">
        {booking.passengers.map((p) => (
          <li key={p.id} className="ui-stack" data-testid="manage-passenger">
            <div className="ui-row bk-change-leg">
              <span><strong>{p.first_name} {p.last_name}</strong> <span className="bk-muted">({p.type})</span> {isCancelled(p) ? <Badge tone="danger">cancelled</Badge> : null}</span>
              {isCancelled(p) ? null : (
                <span className="bk-nav">
                  <Button variant="secondary" aria-expanded={open?.id === p.id && open.what === "name"} onClick={() => toggle(p.id, "name")}
                  >Correct the name{" "}<span className="ui-sr">of {p.first_name} {p.last_name}</span></Button>
                  {canCancelPassenger(booking, p) ? (
                    <Button variant="ghost" aria-expanded={open?.id === p.id && open.what === "cancel"} onClick={() => toggle(p.id, "cancel")}
                    >Cancel {p.first_name} {p.last_name} only</Button>
                  ) : null}
                </span>
              )}
            </div>
            {open?.id === p.id && open.what === "name" ? (
              <NameCorrectionForm passenger={p} busy={busy} error={error} onClose={() => setOpen(null)}
                onSubmit={(name) => act(() => svc.correctName(booking.id, p.id, name, access), { from: p.last_name, to: name.last_name })} />
            ) : null}
            {open?.id === p.id && open.what === "cancel" ? (
              <CancelPassengerConfirm leaving={leavingWith(booking, p)} rule={refundRule(booking)} busy={busy} error={error} onClose={() => setOpen(null)}
                onConfirm={() => act(() => svc.cancelPassenger(booking.id, p.id, access))} />
            ) : null}
          </li>
        ))}
      </ul>
    </section>
  );
}
