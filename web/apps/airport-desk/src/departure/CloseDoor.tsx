import { useEffect, useId, useRef, useState } from "react";
import { Alert, Button, Spinner, formatLocalTime } from "@airline/ui";
import { toOffload, type DepartureApi, type DoorClosed, type FlightPassenger } from "./api";
import { useAction } from "./hooks";
import { NAME, PNR, PassengerTable, Refusal, SEAT } from "./parts";

/** Close the door: a confirmation that names who will be offloaded, then who was. */
export function CloseDoor({ d, flightNumber, passengers, doorClosedAt, tz, onClosed }: {
  d: DepartureApi; flightNumber: string; passengers: FlightPassenger[]; doorClosedAt: string | null; tz: string; onClosed: () => void;
}) {
  const [asking, setAsking] = useState(false);
  const [result, setResult] = useState<DoorClosed | null>(null);
  const { busy, error, setError, run } = useAction();
  const opener = useRef<HTMLButtonElement>(null);
  const close = async () => {
    const r = await run(d.closeDoor);
    if (r) { setResult(r); setAsking(false); onClosed(); }
  };
  const cancel = () => { setAsking(false); setError(null); opener.current?.focus(); };
  return (
    <section className="ui-card" aria-labelledby="dk-door">
      <h2 id="dk-door">Door</h2>
      {doorClosedAt && !result ? <Alert kind="info">The door closed at {formatLocalTime(doorClosedAt, tz)}: the lists are final.</Alert> : null}
      {!doorClosedAt && !result && !asking ? (
        <button ref={opener} type="button" className="ui-btn ui-btn--danger" onClick={() => setAsking(true)}>Close the door…</button>
      ) : null}
      {asking ? <ConfirmDoor flightNumber={flightNumber} leaving={toOffload(passengers)} busy={busy} error={error} onConfirm={close} onCancel={cancel} /> : null}
      {!asking ? <Refusal text={error} /> : null}
      {result ? <DoorResult result={result} tz={tz} /> : null}
    </section>
  );
}

function ConfirmDoor({ flightNumber, leaving, busy, error, onConfirm, onCancel }: {
  flightNumber: string; leaving: FlightPassenger[]; busy: boolean; error: string | null; onConfirm: () => void; onCancel: () => void;
}) {
  const id = useId();
  const confirm = useRef<HTMLButtonElement>(null);
  useEffect(() => { confirm.current?.focus(); }, []);
  const n = leaving.length;
  return (
    <div className="ui-stack ui-confirm" role="dialog" aria-modal="false" aria-labelledby={`${id}-t`} aria-describedby={`${id}-d`}
      onKeyDown={(e) => { if (e.key === "Escape") onCancel(); }}>
      <h3 id={`${id}-t`}>Close the door of {flightNumber}?</h3>
      <p id={`${id}-d`} data-testid="offload-count">
        {n === 0 ? "Everyone has boarded: nobody will be offloaded."
          : `${n} passenger${n === 1 ? "" : "s"} not boarded will be offloaded and their bags flagged to come off.`}
      </p>
      {n ? (
        <ul className="dk-names">{leaving.map((p) => (
          <li key={`${p.booking_id}-${p.passenger_id}`}>{p.last_name}/{p.first_name} · {p.pnr} · {p.status.replace("_", " ")}</li>
        ))}</ul>
      ) : null}
      <Refusal text={error} />
      <div className="ui-row">
        <button ref={confirm} type="button" className="ui-btn ui-btn--danger" aria-busy={busy || undefined} disabled={busy} onClick={onConfirm}>
          {busy ? <Spinner label="closing the door" /> : null} {n ? `Close the door and offload ${n}` : "Close the door"}
        </button>
        <Button variant="secondary" disabled={busy} onClick={onCancel}>Keep the door open</Button>
      </div>
    </div>
  );
}

function DoorResult({ result, tz }: { result: DoorClosed; tz: string }) {
  return (
    <div className="ui-stack" role="status" aria-label="door closed">
      <Alert kind="success">
        {result.already_closed ? "The door was already closed" : "Door closed"} at {formatLocalTime(result.closed_at, tz)}
        {result.closed_by ? ` by ${result.closed_by}` : ""}: {result.offloaded.length} offloaded.
      </Alert>
      <PassengerTable label="offloaded passengers" rows={result.offloaded} columns={[NAME, PNR, SEAT]} empty="Nobody was offloaded." />
    </div>
  );
}
