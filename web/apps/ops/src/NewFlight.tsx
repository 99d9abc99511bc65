import { useEffect, useMemo, useState, type FormEvent } from "react";
import { Alert, Button, Card, Field, Select, formatLocalTime, type Api } from "@airline/ui";
import type { Reference } from "./data";
import { departures } from "./data";
import { gateClashes, returnTooEarly, validateFlight, type Errors, type FlightForm, type FlightKind } from "./rules";
import type { OpsFlight } from "./types";
import { todayIn, zonedToUtc } from "./time";

const WEEKDAYS = ["Mon", "Tue", "Wed", "Thu", "Fri", "Sat", "Sun"];

export const emptyForm = (): FlightForm => ({
  kind: "single", number: "", origin: "XSP", destination: "", departure: "", duration: "120", plane: "", gate: "",
  returnNumber: "", returnDeparture: "", returnGate: "", departureTime: "08:00", firstDate: "", days: "7", weekdays: [],
  withReturn: false, returnTime: "12:00",
});

/** Create a flight: single, round trip or a recurring schedule. Local times are read in the
 * airport's own zone; the API's refusals (busy plane, closed gate...) show next to the form. */
export function NewFlight({ api, rd, onCreated }: { api: Api; rd: Reference; onCreated?: (f: OpsFlight[]) => void }) {
  const [form, setForm] = useState<FlightForm>(emptyForm);
  const [errors, setErrors] = useState<Errors>({});
  const [serverError, setServerError] = useState<string | null>(null);
  const [created, setCreated] = useState<OpsFlight[] | null>(null);
  const [busy, setBusy] = useState(false);
  const [dayFlights, setDayFlights] = useState<OpsFlight[]>([]);
  const set = <K extends keyof FlightForm>(k: K, v: FlightForm[K]) => { setForm((f) => ({ ...f, [k]: v })); setErrors((e) => ({ ...e, [k]: undefined })); };
  const zone = (code: string) => rd.zones[code] ?? "UTC";
  const airportOptions = [{ value: "", label: "Choose…" }, ...rd.airports.map((a) => ({ value: a.code, label: `${a.code} · ${a.city || a.name}` }))];
  const gateOptions = (code: string) => [{ value: "", label: "Choose…" }, ...(rd.gates[code] ?? []).map((g) => ({ value: g.code, label: `${g.code}${g.status !== "open" ? ` (${g.status})` : ""}` }))];
  const planeOptions = [{ value: "", label: "Choose…" }, ...rd.planes.map((p) => ({ value: p.id, label: `${p.id} · ${p.aircraft_type} · ${p.registration}${p.status !== "active" ? ` (${p.status})` : ""}` }))];

  // the origin's departures that day, to warn of a gate clash before saving
  const day = form.kind === "recurring" ? form.firstDate : form.departure.slice(0, 10);
  useEffect(() => {
    if (!form.origin || !/^\d{4}-\d{2}-\d{2}$/.test(day)) return setDayFlights([]);
    departures(api, form.origin, day, zone(form.origin)).then(setDayFlights).catch(() => setDayFlights([]));
  }, [api, form.origin, day]); // eslint-disable-line react-hooks/exhaustive-deps
  const clashes = useMemo(() => {
    if (!form.gate || !form.departure || form.kind === "recurring") return [];
    try { return gateClashes(dayFlights, form.gate, zonedToUtc(form.departure, zone(form.origin))); } catch { return []; }
  }, [dayFlights, form.gate, form.departure, form.origin, form.kind]); // eslint-disable-line react-hooks/exhaustive-deps

  const submit = async (e: FormEvent) => {
    e.preventDefault();
    setServerError(null); setCreated(null);
    const errs = validateFlight(form);
    if (form.kind === "round_trip" && !errs.departure && !errs.returnDeparture && !errs.duration
      && returnTooEarly(zonedToUtc(form.departure, zone(form.origin)), Number(form.duration), zonedToUtc(form.returnDeparture, zone(form.destination)))) {
      errs.returnDeparture = "The return must leave after the outbound lands";
    }
    setErrors(errs);
    if (Object.values(errs).some(Boolean)) return;
    const outbound = {
      number: form.number.trim().toUpperCase(), origin: form.origin, destination: form.destination,
      duration_minutes: Number(form.duration), plane_id: form.plane, gate: form.gate,
    };
    setBusy(true);
    try {
      let flights: OpsFlight[];
      if (form.kind === "single") {
        flights = [await api.request<OpsFlight>("POST", "/flights", { ...outbound, departure: zonedToUtc(form.departure, zone(form.origin)) })];
      } else if (form.kind === "round_trip") {
        flights = (await api.request<{ flights: OpsFlight[] }>("POST", "/flights/round-trips", {
          outbound: { ...outbound, departure: zonedToUtc(form.departure, zone(form.origin)) },
          return_number: form.returnNumber.trim().toUpperCase(), return_gate: form.returnGate,
          return_departure: zonedToUtc(form.returnDeparture, zone(form.destination)),
        })).flights;
      } else {
        flights = (await api.request<{ flights: OpsFlight[] }>("POST", "/schedules", {
          ...outbound, departure_local_time: form.departureTime, first_date: form.firstDate, days: Number(form.days), weekdays: form.weekdays,
          ...(form.withReturn ? { return_number: form.returnNumber.trim().toUpperCase(), return_gate: form.returnGate, return_departure_local_time: form.returnTime } : {}),
        })).flights;
      }
      setCreated(flights);
      onCreated?.(flights);
    } catch (err) {
      setServerError((err as Error).message);
    } finally { setBusy(false); }
  };

  const needsReturn = form.kind === "round_trip" || (form.kind === "recurring" && form.withReturn);
  return (
    <Card title="Create flights">
      <form onSubmit={submit} aria-label="create flights" noValidate className="ui-stack">
        <fieldset className="op-toggle">
          <legend className="ui-sr">Kind</legend>
          {(["single", "round_trip", "recurring"] as FlightKind[]).map((k) => (
            <label key={k} className={form.kind === k ? "on" : ""}>
              <input type="radio" name="kind" checked={form.kind === k} onChange={() => set("kind", k)} />
              {k === "single" ? "Single" : k === "round_trip" ? "Round trip" : "Recurring"}
            </label>
          ))}
        </fieldset>
        <div className="op-grid">
          <Field label="Flight number" value={form.number} onChange={(e) => set("number", e.target.value)} error={errors.number} placeholder="XA101" />
          <Select label="From" value={form.origin} options={airportOptions} onChange={(e) => set("origin", e.target.value)} error={errors.origin} />
          <Select label="To" value={form.destination} options={airportOptions} onChange={(e) => set("destination", e.target.value)} error={errors.destination} />
          <Select label="Plane" value={form.plane} options={planeOptions} onChange={(e) => set("plane", e.target.value)} error={errors.plane} />
          <Select label="Gate" value={form.gate} options={gateOptions(form.origin)} onChange={(e) => set("gate", e.target.value)} error={errors.gate} />
          <Field label="Block time (minutes)" type="number" min={1} max={1200} value={form.duration} onChange={(e) => set("duration", e.target.value)} error={errors.duration} />
          {form.kind !== "recurring" ? (
            <Field label={`Departure (local ${form.origin || "time"})`} type="datetime-local" value={form.departure} onChange={(e) => set("departure", e.target.value)} error={errors.departure} />
          ) : (
            <>
              <Field label={`Departure time (local ${form.origin || ""})`} type="time" value={form.departureTime} onChange={(e) => set("departureTime", e.target.value)} error={errors.departureTime} />
              <Field label="First date" type="date" value={form.firstDate} min={todayIn(zone(form.origin))} onChange={(e) => set("firstDate", e.target.value)} error={errors.firstDate} />
              <Field label="Days" type="number" min={1} max={366} value={form.days} onChange={(e) => set("days", e.target.value)} error={errors.days} hint="how many days from the first date" />
            </>
          )}
        </div>
        {form.kind === "recurring" ? (
          <fieldset className="op-toggle">
            <legend>Weekdays (none = every day)</legend>
            {WEEKDAYS.map((d, i) => (
              <label key={d} className={form.weekdays.includes(i + 1) ? "on" : ""}>
                <input type="checkbox" checked={form.weekdays.includes(i + 1)} onChange={(e) => set("weekdays", e.target.checked ? [...form.weekdays, i + 1].sort() : form.weekdays.filter((w) => w !== i + 1))} />{d}
              </label>
            ))}
            <label className={form.withReturn ? "on" : ""}><input type="checkbox" checked={form.withReturn} onChange={(e) => set("withReturn", e.target.checked)} />With a return leg</label>
          </fieldset>
        ) : null}
        {needsReturn ? (
          <div className="op-grid" role="group" aria-label="return leg">
            <Field label="Return flight number" value={form.returnNumber} onChange={(e) => set("returnNumber", e.target.value)} error={errors.returnNumber} placeholder="XA102" />
            <Select label="Return gate" value={form.returnGate} options={gateOptions(form.destination)} onChange={(e) => set("returnGate", e.target.value)} error={errors.returnGate} />
            {form.kind === "round_trip"
              ? <Field label={`Return departure (local ${form.destination || "time"})`} type="datetime-local" value={form.returnDeparture} onChange={(e) => set("returnDeparture", e.target.value)} error={errors.returnDeparture} />
              : <Field label={`Return time (local ${form.destination || ""})`} type="time" value={form.returnTime} onChange={(e) => set("returnTime", e.target.value)} error={errors.returnTime} />}
          </div>
        ) : null}
        {clashes.length ? (
          <Alert kind="warning">Gate {form.gate} is in use around then: {clashes.map((f) => `${f.number} ${formatLocalTime(f.estimated_departure ?? f.scheduled_departure, zone(form.origin))}`).join(", ")}. Saving will fail if they overlap.</Alert>
        ) : null}
        {serverError ? <div data-testid="create-error"><Alert kind="error">Not saved: {serverError}</Alert></div> : null}
        {created ? (
          <Alert kind="success">
            <span data-testid="created">Created {created.length} flight{created.length === 1 ? "" : "s"}: {created.slice(0, 6).map((f) => f.number).join(", ")}{created.length > 6 ? "…" : ""}</span>
          </Alert>
        ) : null}
        <div><Button type="submit" busy={busy}>Save</Button></div>
      </form>
    </Card>
  );
}
