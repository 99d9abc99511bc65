import { useEffect, useState } from "react";
import { Alert, Button, Card, Select, formatLocalTime, type Api, type Flight } from "@airline/ui";
import { message } from "./desk";

/** Today's departures of an airport: what already left in the last hours (for no-shows and the
 * door) and the next day. */
export function FlightPicker({ api, selected, onPick }: { api: Api; selected: string; onPick: (f: Flight | null) => void }) {
  const [airport, setAirport] = useState("XSP");
  const [airports, setAirports] = useState<{ code: string; name: string; time_zone: string }[]>([]);
  const [flights, setFlights] = useState<Flight[] | null>(null);
  const [error, setError] = useState<string | null>(null);
  const [attempt, setAttempt] = useState(0); // "Try again" after a list the server could not give
  useEffect(() => { api.airports().then((r) => setAirports(r.airports)).catch(() => {}); }, [api]);
  useEffect(() => {
    setFlights(null); setError(null);
    // "today's departures": what already left in the last hours (for no-shows) and the next day
    const now = Date.now();
    api.flights({ airport, direction: "departures", from: new Date(now - 6 * 3600_000).toISOString(), to: new Date(now + 24 * 3600_000).toISOString() })
      .then((r) => setFlights(r.flights.filter((f) => f.status !== "cancelled")))
      .catch((e) => setError(message(e)));
  }, [api, airport, attempt]);
  const tz = airports.find((a) => a.code === airport)?.time_zone ?? "UTC";
  const current = flights?.find((f) => f.id === selected) ?? null;
  useEffect(() => { if (flights) onPick(current); }, [flights, current?.id]); // eslint-disable-line react-hooks/exhaustive-deps
  const label = (f: Flight) => `${f.number} ${f.origin} → ${f.destination} ${formatLocalTime(f.estimated_departure ?? f.scheduled_departure, tz)} · gate ${f.gate ?? "—"} · ${f.status}`;
  return (
    <Card title="Airport desk" className="dk-noprint" aria-label="agent's selection">
      <div className="ui-row">
        <Select label="Airport" value={airport} onChange={(e) => setAirport(e.target.value)}
          options={(airports.length ? airports : [{ code: "XSP", name: "Seletar" }]).map((a) => ({ value: a.code, label: `${a.code} ${a.name}` }))} />
        <Select label="Flight" value={selected} onChange={(e) => onPick(flights?.find((f) => f.id === e.target.value) ?? null)}
          options={[{ value: "", label: flights ? (flights.length ? "Choose a departure" : "No departures today") : "Loading…" }, ...(flights ?? []).map((f) => ({ value: f.id, label: label(f) }))]} />
      </div>
      {error ? <Alert kind="error">Could not read the departures: {error} <Button variant="secondary" onClick={() => setAttempt((n) => n + 1)}>Try again</Button></Alert> : null}
    </Card>
  );
}
