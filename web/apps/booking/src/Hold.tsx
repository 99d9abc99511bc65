import { useEffect, useRef, useState } from "react";
import { Alert, Button, formatLocalTime } from "@airline/ui";

/** Seconds left before `until` (0 once passed), ticking every second; null without a deadline. */
export function useSecondsLeft(until: string | null): number | null {
  const [now, setNow] = useState(Date.now());
  useEffect(() => {
    if (!until) return;
    setNow(Date.now());
    const t = setInterval(() => setNow(Date.now()), 1000);
    return () => clearInterval(t);
  }, [until]);
  if (!until) return null;
  return Math.max(0, Math.floor((Date.parse(until) - now) / 1000));
}

export const clock = (left: number) => `${Math.floor(left / 60)}:${String(left % 60).padStart(2, "0")}`;

/** The seats held for a draft booking: a countdown nobody's screen reader reads out every second
 * (the ticking text is aria-hidden), a warning `warnBefore` seconds before the end with
 * "Keep my seats" (when the booking can keep them longer), and a plain "expired" when the time is
 * up, instead of a payment that fails. A polite live region says only the warning, the new
 * time after keeping the seats, and the expiry. */
export function HoldBanner({ until, warnBefore = 120, onKeep, onRestart }: {
  until: string | null; warnBefore?: number; onKeep?: () => Promise<string | null>; onRestart: () => void;
}) {
  const left = useSecondsLeft(until);
  const [said, setSaid] = useState("");
  const [error, setError] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);
  const phase = left === null ? "none" : left === 0 ? "expired" : left <= warnBefore ? "warning" : "held";
  const last = useRef(phase);
  const zone = Intl.DateTimeFormat().resolvedOptions().timeZone;
  useEffect(() => {
    if (phase === last.current) return;
    last.current = phase;
    if (phase === "warning") setSaid(`Your seats are held for less than ${Math.ceil(warnBefore / 60)} minute${warnBefore > 60 ? "s" : ""} more.`);
    else if (phase === "expired") setSaid("Your seats were released: the time to complete the booking is over.");
  }, [phase, warnBefore]);
  if (left === null || !until) return null;
  const keep = async () => {
    if (!onKeep) return;
    setBusy(true); setError(null);
    try {
      const next = await onKeep();
      if (next && Date.parse(next) > Date.parse(until)) setSaid(`Your seats are now held until ${formatLocalTime(next, zone)}.`);
      else setError("Your seats cannot be held any longer: please complete the payment before the time runs out.");
    } catch (e) { setError(e instanceof Error ? e.message : String(e)); } finally { setBusy(false); }
  };
  return (
    <div className="bk-hold" data-testid="hold">
      <div role="status" aria-live="polite" className="ui-sr" data-testid="hold-announcement">{said}</div>
      {phase === "expired" ? (
        <Alert kind="error">
          <span data-testid="hold-expired">Your seats were released: the time to complete this booking ran out, so nothing was charged.</span> Please choose your flight and seats again.
          <span className="bk-hold-actions"><Button onClick={onRestart}>Start again</Button></span>
        </Alert>
      ) : (
        <Alert kind={phase === "warning" ? "warning" : "info"}>
          {phase === "warning" ? <strong>Your seats are about to be released. </strong> : null}
          Your seats are held until <strong data-testid="hold-until">{formatLocalTime(until, zone)}</strong>{" "}
          <span aria-hidden="true">(<span data-testid="hold-countdown">{clock(left)}</span> left)</span>. Complete payment before then.
          {onKeep ? <span className="bk-hold-actions"><Button variant={phase === "warning" ? "primary" : "secondary"} busy={busy} onClick={keep}>Keep my seats</Button></span> : null}
          {error ? <span className="bk-hold-error" role="alert">{error}</span> : null}
        </Alert>
      )}
    </div>
  );
}
