import { useEffect, useState, type FormEvent } from "react";
import { Alert, Badge, Button, Card, Field, Select, formatLocalTime, formatMoney, type Api, type Booking } from "@airline/ui";
import { BarChart } from "./charts";
import { departures, type Reference } from "./data";
import { GateTimeline } from "./GateTimeline";
import { loadFactors, onTimePerDay, soldPerDay } from "./rules";
import type { Fare, FlightCrew, OpsFlight } from "./types";
import { addDays, localDate, todayIn } from "./time";

export function useAsync<T>(fn: () => Promise<T>, deps: unknown[]): { data: T | null; error: string | null } {
  const [state, setState] = useState<{ data: T | null; error: string | null }>({ data: null, error: null });
  useEffect(() => {
    let live = true;
    setState({ data: null, error: null });
    fn().then((data) => live && setState({ data, error: null })).catch((e: Error) => live && setState({ data: null, error: e.message }));
    return () => { live = false; };
  }, deps); // eslint-disable-line react-hooks/exhaustive-deps
  return state;
}

export function AirportDay({ rd, airport, setAirport, date, setDate }: { rd: Reference; airport: string; setAirport: (a: string) => void; date: string; setDate: (d: string) => void }) {
  return (
    <div className="op-grid">
      <Select label="Airport" value={airport} onChange={(e) => setAirport(e.target.value)} options={rd.airports.map((a) => ({ value: a.code, label: `${a.code} · ${a.city || a.name}` }))} />
      <Field label="Day (local)" type="date" value={date} onChange={(e) => setDate(e.target.value)} />
    </div>
  );
}

/** Charts: load factor per flight of a day, seats sold per day and punctuality over a week. */
export function Overview({ api, rd }: { api: Api; rd: Reference }) {
  const [airport, setAirport] = useState("XSP");
  const tz = rd.zones[airport] ?? "UTC";
  const [date, setDate] = useState(() => todayIn(tz));
  const week = useAsync(() => departures(api, airport, addDays(date, -3), tz, 7), [api, airport, date, tz]);
  const day = (week.data ?? []).filter((f) => f.scheduled_departure && localDate(f.scheduled_departure, tz) === date);
  return (
    <Card title="Overview">
      <AirportDay rd={rd} airport={airport} setAirport={setAirport} date={date} setDate={setDate} />
      {week.error ? <Alert kind="error">{week.error}</Alert> : null}
      <div className="op-charts">
        <BarChart title={`Load factor per flight, ${airport} ${date}`} unit="%" max={100}
          description={`Seats sold as a share of sellable seats for each departure from ${airport} on ${date}.`}
          series={[{ key: "v", label: "Load factor", color: "#1f6feb" }]}
          bars={loadFactors(day).map((b) => ({ label: b.label, values: { v: b.value }, note: `${b.note} seats` }))} />
        <BarChart title={`Seats sold per departure day, ${airport}`}
          description={`Seats sold (one per passenger and flight) on departures from ${airport}, by local departure day, from ${addDays(date, -3)} for 7 days.`}
          series={[{ key: "v", label: "Seats sold", color: "#0f9d77" }]}
          bars={soldPerDay(week.data ?? [], tz).map((b) => ({ label: b.label, values: { v: b.value } }))} />
        <BarChart title={`On-time performance, ${airport}`}
          description="Departures per local day: on time (less than 15 minutes late), late, cancelled and diverted."
          series={[{ key: "on_time", label: "On time", color: "#0f9d77" }, { key: "late", label: "Late", color: "#f0a020" }, { key: "cancelled", label: "Cancelled", color: "#9aa6b5" }, { key: "diverted", label: "Diverted", color: "#d94a56" }]}
          bars={onTimePerDay(week.data ?? [], tz).map((b) => ({ label: b.label, values: b.values }))} />
      </div>
    </Card>
  );
}

/** The fleet, and an airport's gates with a day's occupancy on a timeline. */
export function Fleet({ api, rd }: { api: Api; rd: Reference }) {
  const [airport, setAirport] = useState("XSP");
  const tz = rd.zones[airport] ?? "UTC";
  const [date, setDate] = useState(() => todayIn(tz));
  const day = useAsync(() => departures(api, airport, date, tz), [api, airport, date, tz]);
  const gates = (rd.gates[airport] ?? []).map((g) => g.code);
  return (
    <>
      <Card title="Gates">
        <AirportDay rd={rd} airport={airport} setAirport={setAirport} date={date} setDate={setDate} />
        <p className="op-muted">{(rd.gates[airport] ?? []).map((g) => `${g.code} ${g.status}`).join(" · ") || "No gates"}</p>
        {day.error ? <Alert kind="error">{day.error}</Alert> : null}
        <GateTimeline gates={gates} flights={day.data ?? []} date={date} timeZone={tz} airport={airport} />
        <details className="op-chart-data">
          <summary>Data table</summary>
          <table className="ui-table" aria-label="gate occupancy data">
            <thead><tr><th scope="col">Gate</th><th scope="col">Flight</th><th scope="col">Boarding</th><th scope="col">Departs</th><th scope="col">Status</th></tr></thead>
            <tbody>{(day.data ?? []).map((f) => (
              <tr key={f.id}><th scope="row">{f.gate ?? "—"}</th><td>{f.number} → {f.destination}</td><td>{formatLocalTime(f.boarding_starts, tz)}</td>
                <td>{formatLocalTime(f.estimated_departure ?? f.scheduled_departure, tz)}</td><td>{f.status}</td></tr>
            ))}</tbody>
          </table>
        </details>
      </Card>
      <Card title="Fleet">
        <div className="op-scroll"><table className="ui-table" aria-label="fleet">
          <thead><tr><th scope="col">Plane</th><th scope="col">Type</th><th scope="col">Registration</th><th scope="col">Base</th><th scope="col">Seats</th><th scope="col">Status</th></tr></thead>
          <tbody>{rd.planes.map((p) => (
            <tr key={p.id}><th scope="row">{p.id}</th><td>{p.aircraft_type}</td><td className="op-mono">{p.registration}</td><td>{p.home_airport}</td>
              <td>{Object.entries(p.capacity ?? {}).map(([c, n]) => `${n} ${c}`).join(", ")}</td><td><Badge tone={p.status === "active" ? "success" : "warning"}>{p.status}</Badge></td></tr>
          ))}</tbody>
        </table></div>
      </Card>
    </>
  );
}

/** Whether each departure of a day has its crew: complete, answers pending, or short. */
export function CrewReadiness({ api, rd }: { api: Api; rd: Reference }) {
  const [airport, setAirport] = useState("XSP");
  const tz = rd.zones[airport] ?? "UTC";
  const [date, setDate] = useState(() => todayIn(tz));
  const rows = useAsync(async () => {
    const flights = (await departures(api, airport, date, tz)).filter((f) => f.status !== "cancelled").slice(0, 40);
    return Promise.all(flights.map(async (f) => ({ f, crew: await api.request<FlightCrew>("GET", `/flights/${f.id}/crew`).catch(() => null) })));
  }, [api, airport, date, tz]);
  const tone = { complete: "success", pending: "warning", short: "danger" } as const;
  return (
    <Card title="Crew readiness">
      <AirportDay rd={rd} airport={airport} setAirport={setAirport} date={date} setDate={setDate} />
      {rows.error ? <Alert kind="error">{rows.error}</Alert> : null}
      <div className="op-scroll"><table className="ui-table" aria-label="crew readiness">
        <thead><tr><th scope="col">Flight</th><th scope="col">Departs</th><th scope="col">Aircraft</th><th scope="col">Readiness</th><th scope="col">Roles (accepted/required)</th></tr></thead>
        <tbody>{(rows.data ?? []).map(({ f, crew }) => (
          <tr key={f.id}><th scope="row">{f.number}</th><td>{formatLocalTime(f.scheduled_departure, tz)}</td><td>{crew?.aircraft_type ?? "—"}</td>
            <td>{crew ? <Badge tone={tone[crew.readiness]}>{crew.readiness}</Badge> : "—"}{crew?.short_roles.length ? <span className="op-muted"> short: {crew.short_roles.join(", ")}</span> : null}</td>
            <td>{crew?.roles.map((r) => `${r.role.replace("_", " ")} ${r.accepted}/${r.required}`).join(" · ")}</td></tr>
        ))}{rows.data?.length === 0 ? <tr><td colSpan={5}>No departures this day.</td></tr> : null}</tbody>
      </table></div>
    </Card>
  );
}

export function Fares({ api }: { api: Api }) {
  const fares = useAsync(() => api.request<{ fares: Fare[] }>("GET", "/fares"), [api]);
  return (
    <Card title="Fares">
      {fares.error ? <Alert kind="error">{fares.error}</Alert> : null}
      <div className="op-scroll"><table className="ui-table" aria-label="fares">
        <thead><tr><th scope="col">Route</th><th scope="col">Cabin</th><th scope="col">Passenger</th><th scope="col">Trip</th><th scope="col">Per flight</th></tr></thead>
        <tbody>{(fares.data?.fares ?? []).map((f) => (
          <tr key={`${f.origin}${f.destination}${f.cabin_class}${f.passenger_type}${f.trip_type}`}><th scope="row">{f.origin}→{f.destination}</th><td>{f.cabin_class}</td><td>{f.passenger_type}</td><td>{f.trip_type.replace("_", " ")}</td><td>{formatMoney(f.amount, f.currency)}</td></tr>
        ))}</tbody>
      </table></div>
    </Card>
  );
}

/** Customer service: a booking by PNR + last name, or by its id. */
export function BookingLookup({ api }: { api: Api }) {
  const [pnr, setPnr] = useState("");
  const [last, setLast] = useState("");
  const [id, setId] = useState("");
  const [found, setFound] = useState<Booking | null>(null);
  const [error, setError] = useState<string | null>(null);
  const find = async (e: FormEvent) => {
    e.preventDefault(); setError(null); setFound(null);
    try {
      if (id.trim()) setFound(await api.booking(id.trim()));
      else if (/^[A-Za-z0-9]{6}$/.test(pnr.trim()) && last.trim()) setFound(await api.lookup(pnr.trim().toUpperCase(), last.trim()));
      else setError("Enter a 6-character PNR and a last name, or a booking id");
    } catch (err) { setError((err as Error).message); }
  };
  return (
    <Card title="Booking lookup">
      <form onSubmit={find} className="op-grid" aria-label="booking lookup" noValidate>
        <Field label="PNR" value={pnr} maxLength={6} onChange={(e) => setPnr(e.target.value)} />
        <Field label="Last name" value={last} onChange={(e) => setLast(e.target.value)} />
        <Field label="or booking id" value={id} onChange={(e) => setId(e.target.value)} />
        <div className="op-end"><Button type="submit">Find</Button></div>
      </form>
      {error ? <Alert kind="error">{error}</Alert> : null}
      {found ? (
        <div role="region" aria-label="found booking" className="ui-stack">
          <p><strong className="op-mono" data-testid="found-pnr">{found.pnr ?? "draft"}</strong> <Badge tone={found.state === "confirmed" ? "success" : "warning"}>{found.state}</Badge> {formatMoney(found.total, found.currency)}</p>
          <p>{found.legs.map((l) => `${l.number} ${l.origin ?? ""}→${l.destination ?? ""}`).join(" · ")}</p>
          <ul>{found.passengers.map((p) => <li key={p.id}>{p.first_name} {p.last_name} ({p.type}) {found.seats.filter((s) => s.passenger_id === p.id).map((s) => s.seat).join(", ")}</li>)}</ul>
        </div>
      ) : null}
    </Card>
  );
}
