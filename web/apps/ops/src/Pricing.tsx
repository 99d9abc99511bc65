import { useState, type FormEvent } from "react";
import { Alert, Button, Card, Field, Select, formatMoney, type Api } from "@airline/ui";
import { qs, type Reference } from "./data";
import { useAsync } from "./panels";
import {
  CABINS, PASSENGER_TYPES, TRIP_TYPES, fareRequest, options, rulesRequest, taxRequest, toMajor, words,
  type FareForm, type FareRulesRow, type FaresOut, type RulesForm, type Tax, type TaxForm, type TaxIn,
} from "./adminRules";
import { Outcome, useSave } from "./editing";
import { FlightSettings } from "./FlightSettings";

/** Ops' pricing: a route's fares and fare rules, taxes per airport, and one flight's booking
 * classes and overbooking. */
export function Pricing({ api, rd }: { api: Api; rd: Reference }) {
  return (
    <>
      <FareEditor api={api} rd={rd} />
      <TaxEditor api={api} rd={rd} />
      <FlightSettings api={api} rd={rd} />
    </>
  );
}

const airportOptions = (rd: Reference) => rd.airports.map((a) => ({ value: a.code, label: `${a.code} · ${a.city || a.name}` }));

const emptyRules = (origin: string, destination: string, cabin = "normal"): RulesForm => ({
  origin, destination, cabin_class: cabin, refundable: false, change_fee: "0.00", currency: "SGD", checked_bags: "0", bag_weight_kg: "0", no_show_refund: "none", taxes: "0.00",
});
const rulesForm = (r: FareRulesRow): RulesForm => ({
  origin: r.origin, destination: r.destination, cabin_class: r.cabin_class, refundable: !!r.refundable, change_fee: toMajor(r.change_fee ?? 0, r.currency),
  currency: r.currency, checked_bags: String(r.checked_bags ?? 0), bag_weight_kg: String(r.bag_weight_kg ?? 0), no_show_refund: r.no_show_refund ?? "none", taxes: toMajor(r.taxes ?? 0, r.currency),
});

/** A route's fares (per cabin, passenger and trip type) and rules (per cabin): pick a row to change it. */
export function FareEditor({ api, rd }: { api: Api; rd: Reference }) {
  const [origin, setOrigin] = useState("XSP");
  const [destination, setDestination] = useState("BKK");
  const [version, setVersion] = useState(0);
  const list = useAsync(() => api.request<FaresOut>("GET", `/fares?${qs({ origin, destination })}`), [api, origin, destination, version]);
  const [fare, setFare] = useState<FareForm>({ origin, destination, cabin_class: "normal", passenger_type: "adult", trip_type: "one_way", amount: "", currency: "SGD" });
  const [rules, setRules] = useState<RulesForm>(() => emptyRules(origin, destination));
  const fareSave = useSave(["origin", "destination", "cabin_class", "passenger_type", "trip_type", "amount", "currency"]);
  const rulesSave = useSave(["cabin_class", "refundable", "change_fee", "currency", "checked_bags", "bag_weight_kg", "no_show_refund", "taxes"]);
  const route = (o: string, d: string) => {
    setOrigin(o); setDestination(d);
    setFare((f) => ({ ...f, origin: o, destination: d })); setRules(emptyRules(o, d));
  };
  const setF = (k: keyof FareForm) => (e: { target: { value: string } }) => { setFare({ ...fare, [k]: e.target.value }); fareSave.clear(k); };
  const setR = (k: keyof RulesForm) => (e: { target: { value: string } }) => { setRules({ ...rules, [k]: e.target.value }); rulesSave.clear(k); };
  const saveFare = (e: FormEvent) => {
    e.preventDefault();
    const { errors, body } = fareRequest(fare);
    void fareSave.run(errors, async () => {
      await api.request<FaresOut>("PUT", "/fares", body);
      setVersion((v) => v + 1);
      return `Saved: ${fare.origin}→${fare.destination} ${fare.cabin_class} ${fare.passenger_type} ${words(fare.trip_type)} at ${formatMoney(body!.fares[0].amount, fare.currency)}.`;
    });
  };
  const saveRules = (e: FormEvent) => {
    e.preventDefault();
    const { errors, body } = rulesRequest(rules);
    void rulesSave.run(errors, async () => {
      await api.request<FaresOut>("PUT", "/fares", body);
      setVersion((v) => v + 1);
      return `Saved the ${rules.cabin_class} rules of ${rules.origin}→${rules.destination}.`;
    });
  };
  const fares = list.data?.fares ?? [];
  const ruleRows = list.data?.rules ?? [];
  return (
    <Card title="Fares and fare rules" aria-label="fares and fare rules">
      <div className="op-grid" role="group" aria-label="route">
        <Select label="Route from" value={origin} options={airportOptions(rd)} onChange={(e) => route(e.target.value, destination)} />
        <Select label="Route to" value={destination} options={airportOptions(rd)} onChange={(e) => route(origin, e.target.value)} />
      </div>
      {list.error ? <Alert kind="error">{list.error}</Alert> : null}
      <div className="op-scroll"><table className="ui-table" aria-label="route fares">
        <thead><tr><th scope="col">Cabin</th><th scope="col">Passenger</th><th scope="col">Trip</th><th scope="col">Per flight</th><th scope="col">Change</th></tr></thead>
        <tbody>{fares.map((f) => (
          <tr key={`${f.cabin_class}${f.passenger_type}${f.trip_type}`}><th scope="row">{f.cabin_class}</th><td>{f.passenger_type}</td><td>{words(f.trip_type)}</td>
            <td data-testid="fare-amount">{formatMoney(f.amount, f.currency)}</td>
            <td className="op-actions"><Button variant="secondary" aria-label={`edit ${f.cabin_class} ${f.passenger_type} ${words(f.trip_type)} fare`}
              onClick={() => setFare({ ...f, amount: toMajor(f.amount, f.currency) })}>Edit</Button></td></tr>
        ))}{list.data && !fares.length ? <tr><td colSpan={5}>No fares on {origin}→{destination} yet: add one below.</td></tr> : null}</tbody>
      </table></div>
      <form onSubmit={saveFare} aria-label="set a fare" className="ui-stack op-panel" noValidate>
        <h3>Set a fare ({fare.origin}→{fare.destination})</h3>
        <div className="op-grid">
          <Select label="Cabin" value={fare.cabin_class} options={options(CABINS)} onChange={setF("cabin_class")} error={fareSave.errors.cabin_class} />
          <Select label="Passenger type" value={fare.passenger_type} options={options(PASSENGER_TYPES)} onChange={setF("passenger_type")} error={fareSave.errors.passenger_type} />
          <Select label="Trip type" value={fare.trip_type} options={options(TRIP_TYPES)} onChange={setF("trip_type")} error={fareSave.errors.trip_type} />
          <Field label="Amount per flight" inputMode="decimal" value={fare.amount} onChange={setF("amount")} error={fareSave.errors.amount} placeholder="129.00" />
          <Field label="Currency" value={fare.currency} maxLength={3} onChange={setF("currency")} error={fareSave.errors.currency} />
        </div>
        {fareSave.errors.origin || fareSave.errors.destination ? <Alert kind="error">{fareSave.errors.origin || fareSave.errors.destination}</Alert> : null}
        <Outcome error={fareSave.error} done={fareSave.done} label="fare" />
        <div><Button type="submit" busy={fareSave.busy}>Save fare</Button></div>
      </form>
      <div className="op-scroll"><table className="ui-table" aria-label="route fare rules">
        <thead><tr><th scope="col">Cabin</th><th scope="col">Refundable</th><th scope="col">Change fee</th><th scope="col">Bags</th><th scope="col">No-show refund</th><th scope="col">Taxes in fare</th><th scope="col">Change</th></tr></thead>
        <tbody>{ruleRows.map((r) => (
          <tr key={r.cabin_class}><th scope="row">{r.cabin_class}</th><td>{r.refundable ? "yes" : "no"}</td><td>{formatMoney(r.change_fee ?? 0, r.currency)}</td>
            <td>{r.checked_bags} × {r.bag_weight_kg} kg</td><td>{r.no_show_refund}</td><td>{formatMoney(r.taxes ?? 0, r.currency)}</td>
            <td className="op-actions"><Button variant="secondary" aria-label={`edit ${r.cabin_class} rules`} onClick={() => setRules(rulesForm(r))}>Edit</Button></td></tr>
        ))}{list.data && !ruleRows.length ? <tr><td colSpan={7}>No fare rules on this route yet.</td></tr> : null}</tbody>
      </table></div>
      <form onSubmit={saveRules} aria-label="set fare rules" className="ui-stack op-panel" noValidate>
        <h3>Fare rules ({rules.origin}→{rules.destination})</h3>
        <div className="op-grid">
          <Select label="Rules cabin" value={rules.cabin_class} options={options(CABINS)} onChange={setR("cabin_class")} error={rulesSave.errors.cabin_class} />
          <Field label="Change fee" inputMode="decimal" value={rules.change_fee} onChange={setR("change_fee")} error={rulesSave.errors.change_fee} />
          <Field label="Rules currency" value={rules.currency} maxLength={3} onChange={setR("currency")} error={rulesSave.errors.currency} />
          <Field label="Checked bags" type="number" min={0} max={5} value={rules.checked_bags} onChange={setR("checked_bags")} error={rulesSave.errors.checked_bags} />
          <Field label="Bag weight (kg)" type="number" min={0} max={50} value={rules.bag_weight_kg} onChange={setR("bag_weight_kg")} error={rulesSave.errors.bag_weight_kg} />
          <Select label="No-show refund" value={rules.no_show_refund} options={[{ value: "none", label: "nothing" }, { value: "taxes", label: "the taxes" }]} onChange={setR("no_show_refund")} />
          <Field label="Taxes in the fare" inputMode="decimal" value={rules.taxes} onChange={setR("taxes")} error={rulesSave.errors.taxes}
            hint="per passenger and flight; at most the cabin's lowest fare" />
          <label style={{ display: "flex", gap: 6, alignItems: "center", alignSelf: "end", fontWeight: 600 }}><input type="checkbox" checked={rules.refundable} onChange={(e) => setRules({ ...rules, refundable: e.target.checked })} /> Refundable</label>
        </div>
        {rulesSave.errors.destination ? <Alert kind="error">{rulesSave.errors.destination}</Alert> : null}
        <Outcome error={rulesSave.error} done={rulesSave.done} label="rules" />
        <div><Button type="submit" busy={rulesSave.busy}>Save rules</Button></div>
      </form>
    </Card>
  );
}

const emptyTax = (airport: string): TaxForm => ({ airport, passenger_type: "adult", code: "", name: "", amount: "", currency: "SGD", applies_on: "departure" });
const taxKey = (t: Tax) => `${t.airport}-${t.passenger_type}-${t.code}-${t.applies_on}`;

/** Taxes and fees per airport and passenger type: add or change one, or remove it. */
export function TaxEditor({ api, rd }: { api: Api; rd: Reference }) {
  const [airport, setAirport] = useState("");
  const [version, setVersion] = useState(0);
  const list = useAsync(() => api.request<{ taxes: Tax[] }>("GET", `/taxes?${qs({ airport })}`), [api, airport, version]);
  const [form, setForm] = useState<TaxForm>(() => emptyTax(rd.airports[0]?.code ?? "XSP"));
  const save = useSave(["airport", "passenger_type", "code", "name", "amount", "currency", "applies_on"]);
  const [removeError, setRemoveError] = useState<string | null>(null);
  const set = (k: keyof TaxForm) => (e: { target: { value: string } }) => { setForm({ ...form, [k]: e.target.value }); save.clear(k); };
  const submit = (e: FormEvent) => {
    e.preventDefault();
    const { errors, body } = taxRequest(form);
    void save.run(errors, async () => {
      await api.request("PUT", "/taxes", body);
      setVersion((v) => v + 1);
      const t = body!.taxes[0];
      return `Saved tax ${t.code} at ${t.airport} (${t.passenger_type}, on ${t.applies_on}): ${formatMoney(t.amount ?? 0, t.currency)}.`;
    });
  };
  const remove = async (t: Tax) => {
    setRemoveError(null);
    try { await api.request("PUT", "/taxes", { remove: [t as TaxIn] }); setVersion((v) => v + 1); }
    catch (err) { setRemoveError((err as Error).message); }
  };
  const taxes = list.data?.taxes ?? [];
  return (
    <Card title="Taxes and fees" aria-label="taxes and fees">
      <Select label="Show airport" value={airport} options={[{ value: "", label: "All airports" }, ...airportOptions(rd)]} onChange={(e) => setAirport(e.target.value)} />
      {list.error || removeError ? <Alert kind="error">{list.error ?? removeError}</Alert> : null}
      <div className="op-scroll"><table className="ui-table" aria-label="taxes">
        <thead><tr><th scope="col">Airport</th><th scope="col">Code</th><th scope="col">Name</th><th scope="col">Passenger</th><th scope="col">On</th><th scope="col">Amount</th><th scope="col">Change</th></tr></thead>
        <tbody>{taxes.map((t) => (
          <tr key={taxKey(t)} data-tax={taxKey(t)}><th scope="row">{t.airport}</th><td className="op-mono">{t.code}</td><td>{t.name}</td><td>{t.passenger_type}</td><td>{t.applies_on}</td>
            <td>{formatMoney(t.amount, t.currency)}</td>
            <td className="op-actions">
              <Button variant="secondary" aria-label={`edit tax ${t.code} ${t.airport} ${t.passenger_type}`} onClick={() => setForm({ ...t, amount: toMajor(t.amount, t.currency) })}>Edit</Button>
              <Button variant="danger" aria-label={`remove tax ${t.code} ${t.airport} ${t.passenger_type}`} onClick={() => void remove(t)}>Remove</Button>
            </td></tr>
        ))}{list.data && !taxes.length ? <tr><td colSpan={7}>No taxes{airport ? ` at ${airport}` : ""} yet.</td></tr> : null}</tbody>
      </table></div>
      <form onSubmit={submit} aria-label="set a tax" className="ui-stack op-panel" noValidate>
        <h3>Add or change a tax</h3>
        <div className="op-grid">
          <Select label="Airport" value={form.airport} options={airportOptions(rd)} onChange={set("airport")} error={save.errors.airport} />
          <Select label="Passenger type" value={form.passenger_type} options={options(PASSENGER_TYPES)} onChange={set("passenger_type")} error={save.errors.passenger_type} />
          <Field label="Tax code" value={form.code} maxLength={3} onChange={set("code")} error={save.errors.code} placeholder="SG" />
          <Field label="Name" value={form.name} maxLength={80} onChange={set("name")} error={save.errors.name} placeholder="Passenger service charge" />
          <Field label="Amount per leg" inputMode="decimal" value={form.amount} onChange={set("amount")} error={save.errors.amount} placeholder="65.00" />
          <Field label="Currency" value={form.currency} maxLength={3} onChange={set("currency")} error={save.errors.currency} />
          <Select label="Charged on" value={form.applies_on} options={[{ value: "departure", label: "departure from the airport" }, { value: "arrival", label: "arrival at the airport" }]} onChange={set("applies_on")} />
        </div>
        <Outcome error={save.error} done={save.done} label="tax" />
        <div><Button type="submit" busy={save.busy}>Save tax</Button></div>
      </form>
    </Card>
  );
}
