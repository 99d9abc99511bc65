import { useState } from "react";
import { Alert, Badge, Card, Select, formatLocalTime, type Api } from "@airline/ui";
import { departures, type Reference } from "./data";
import { AirportDay, useAsync } from "./panels";
import type { LoadPlan, OpsFlight, StockLine } from "./types";
import { todayIn } from "./time";

/** The inventory console: stock per airport and each departure's load plan. */
export function Inventory({ api, rd }: { api: Api; rd: Reference }) {
  const stock = useAsync(() => api.request<{ stock: StockLine[] }>("GET", "/inventory/stock"), [api]);
  const [airport, setAirport] = useState("XSP");
  const tz = rd.zones[airport] ?? "UTC";
  const [date, setDate] = useState(() => todayIn(tz));
  const day = useAsync(() => departures(api, airport, date, tz), [api, airport, date, tz]);
  const [flightId, setFlightId] = useState("");
  const plan = useAsync(() => (flightId ? api.request<LoadPlan>("GET", `/flights/${flightId}/load-plan`) : Promise.resolve(null)), [api, flightId]);
  return (
    <>
      <Card title="Stock">
        {stock.error ? <Alert kind="error">{stock.error}</Alert> : null}
        <div className="op-scroll"><table className="ui-table" aria-label="stock">
          <thead><tr><th scope="col">Airport</th><th scope="col">Item</th><th scope="col">Quantity</th><th scope="col">Threshold</th><th scope="col"></th></tr></thead>
          <tbody>{(stock.data?.stock ?? []).map((s) => (
            <tr key={`${s.airport}${s.item}`}><th scope="row">{s.airport}</th><td>{s.item}</td><td>{s.quantity}</td><td>{s.threshold}</td><td>{s.low ? <Badge tone="danger">low</Badge> : <Badge tone="success">ok</Badge>}</td></tr>
          ))}</tbody>
        </table></div>
      </Card>
      <Card title="Load plans">
        <AirportDay rd={rd} airport={airport} setAirport={setAirport} date={date} setDate={setDate} />
        <Select label="Flight" value={flightId} onChange={(e) => setFlightId(e.target.value)}
          options={[{ value: "", label: "Choose…" }, ...(day.data ?? []).map((f: OpsFlight) => ({ value: f.id, label: `${f.number} ${formatLocalTime(f.scheduled_departure, tz)} → ${f.destination}` }))]} />
        {plan.error ? <Alert kind="error">{plan.error}</Alert> : null}
        {plan.data ? (
          <div aria-label="load plan" role="region">
            <p>Plan v{plan.data.version} · buffer {plan.data.buffer_percent}% · {plan.data.loaded ? "loaded" : "not loaded yet"}{plan.data.needs_unload ? " · needs unloading" : ""}</p>
            <table className="ui-table" aria-label="items to load"><thead><tr><th scope="col">Item</th><th scope="col">Quantity</th></tr></thead>
              <tbody>{Object.entries(plan.data.items).map(([k, v]) => <tr key={k}><th scope="row">{k}</th><td>{v}</td></tr>)}</tbody></table>
          </div>
        ) : null}
      </Card>
    </>
  );
}
