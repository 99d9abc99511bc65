import { useCallback, useEffect, useRef, useState, type FormEvent } from "react";
import { Button, Card, type Api, type Flight } from "@airline/ui";
import { message, parseScan } from "./desk";
import { ScanResult, type ScanOutcome } from "./parts";

/** The boarding gate: one scan, one answer readable from a step away; the field clears for the next. */
export function Gate({ api, flight }: { api: Api; flight: Flight }) {
  const [scan, setScan] = useState("");
  const [outcome, setOutcome] = useState<ScanOutcome | null>(null);
  const [boarded, setBoarded] = useState<number | null>(null);
  const [busy, setBusy] = useState(false);
  const input = useRef<HTMLInputElement>(null);
  const count = useCallback(() => api.flightPassengers(flight.id).then((r) => setBoarded(r.passengers.filter((p) => p.status === "boarded").length)).catch(() => {}), [api, flight.id]);
  useEffect(() => { void count(); }, [count]);

  const submit = async (e: FormEvent) => {
    e.preventDefault();
    const q = parseScan(flight.id, scan);
    if (!q) return;
    setBusy(true); setOutcome(null);
    try { setOutcome({ kind: "boarded", pass: await api.board(q) }); void count(); }
    catch (err) { setOutcome({ kind: "refused", message: message(err) }); }
    finally {
      // the next passenger's scan goes straight into the field
      setBusy(false); setScan(""); input.current?.focus();
    }
  };
  return (
    <Card title={`Boarding gate · ${flight.number} · gate ${flight.gate ?? "—"}`} aria-label="boarding gate">
      <form onSubmit={submit} className="ui-stack dk-scan" aria-label="gate scan">
        <div className="ui-field">
          <label htmlFor="dk-gate-scan">Scan boarding pass</label>
          <input id="dk-gate-scan" ref={input} value={scan} autoFocus autoComplete="off" spellCheck={false} onChange={(e) => setScan(e.target.value)} />
          <span className="ui-hint">Scan the QR code (the scanner presses Enter) or type the check-in code</span>
        </div>
        <Button type="submit" busy={busy}>Board</Button>
      </form>
      <ScanResult outcome={outcome} />
      {boarded !== null ? <p className="dk-muted" data-testid="boarded-count">{boarded} boarded</p> : null}
    </Card>
  );
}
