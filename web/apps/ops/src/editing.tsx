/** What the console's editing screens share: sending a form with the API's field errors shown on
 * their fields, and picking one departure of an airport's day. */
import { useEffect, useState } from "react";
import { Alert, Select, formatLocalTime, type Api } from "@airline/ui";
import { departures, type Reference } from "./data";
import { AirportDay } from "./panels";
import { problemFields, type Errors } from "./adminRules";
import type { OpsFlight } from "./types";
import { todayIn } from "./time";

/** One form's sending state: inline errors (ours first, then the API's per field), the API's
 * other refusal as one message, and what was done. */
export function useSave(known: readonly string[]) {
  const [errors, setErrors] = useState<Errors>({});
  const [error, setError] = useState<string | null>(null);
  const [done, setDone] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);
  const run = async (check: Errors, send: () => Promise<string>) => {
    setDone(null); setError(null); setErrors(check);
    if (Object.keys(check).length) return;
    setBusy(true);
    try { setDone(await send()); } catch (e) {
      const p = problemFields(e, known);
      setErrors(p.fields); setError(p.rest);
    } finally { setBusy(false); }
  };
  const clear = (key: string) => setErrors((e) => (e[key] ? { ...e, [key]: "" } : e));
  return { errors, error, done, busy, run, clear };
}

export function Outcome({ error, done, label }: { error: string | null; done: string | null; label: string }) {
  return (
    <div aria-live="polite" data-testid={`${label}-outcome`}>
      {error ? <Alert kind="error">Not saved: {error}</Alert> : null}
      {done ? <Alert kind="success">{done}</Alert> : null}
    </div>
  );
}

/** An airport's local day and one of its departures (cancelled ones left out). */
export function FlightPicker({ api, rd, flight, onPick }: { api: Api; rd: Reference; flight: OpsFlight | null; onPick: (f: OpsFlight | null) => void }) {
  const [airport, setAirport] = useState("XSP");
  const tz = rd.zones[airport] ?? "UTC";
  const [date, setDate] = useState(() => todayIn(tz));
  const [list, setList] = useState<OpsFlight[] | null>(null);
  const [error, setError] = useState<string | null>(null);
  useEffect(() => {
    let live = true;
    setList(null); setError(null);
    departures(api, airport, date, tz)
      .then((f) => live && setList(f.filter((x) => x.status !== "cancelled")))
      .catch((e: Error) => live && setError(e.message));
    return () => { live = false; };
  }, [api, airport, date, tz]);
  const choices = [{ value: "", label: list === null ? "Loading…" : list.length ? "Choose a departure…" : "No departures this day" },
    ...(list ?? []).map((f) => ({ value: f.id, label: `${f.number} ${formatLocalTime(f.scheduled_departure, tz)} → ${f.destination}` }))];
  return (
    <div className="ui-stack">
      <AirportDay rd={rd} airport={airport} setAirport={setAirport} date={date} setDate={setDate} />
      {error ? <Alert kind="error">{error}</Alert> : null}
      <Select label="Departure" value={flight?.id ?? ""} options={choices} disabled={!list?.length}
        onChange={(e) => onPick((list ?? []).find((f) => f.id === e.target.value) ?? null)} />
    </div>
  );
}
