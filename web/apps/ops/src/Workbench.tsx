import { useMemo, useState, type FormEvent } from "react";
import { Alert, Badge, Button, Card, Field, serviceApi, type Api, type SearchHit } from "@airline/ui";
import { WorkbenchBooking } from "./WorkbenchBooking";
import { searchCriteria, stateTone } from "./workbenchRules";
import { VoucherLookup } from "./Vouchers";

/** Customer service's workbench: find a booking (name, e-mail, phone, PNR, flight + date), open
 * it, read its history and act on the passenger's behalf with a reason; refund, void or confirm
 * its payments, issue a voucher; look a voucher up. */
export function Workbench({ api }: { api: Api }) {
  const svc = useMemo(() => serviceApi(api), [api]);
  const [form, setForm] = useState({ q: "", email: "", phone: "", flight: "", date: "" });
  const [hits, setHits] = useState<SearchHit[] | null>(null);
  const [open, setOpen] = useState<string | null>(null);
  const [error, setError] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);
  const set = (k: keyof typeof form) => (e: { target: { value: string } }) => setForm({ ...form, [k]: e.target.value });

  const search = async (e: FormEvent) => {
    e.preventDefault();
    setError(null);
    const c = searchCriteria(form);
    if (typeof c === "string") return setError(c);
    setBusy(true); setOpen(null);
    try { setHits((await svc.searchBookings(c)).bookings); } catch (err) { setHits(null); setError((err as Error).message); } finally { setBusy(false); }
  };
  return (
    <>
      <Card title="Find a booking">
        <form onSubmit={search} className="ui-stack" aria-label="search bookings" noValidate>
          <div className="op-grid">
            <Field label="Passenger name or PNR" value={form.q} onChange={set("q")} hint="Accents, case and a wrong letter or two are forgiven" />
            <Field label="E-mail" type="email" value={form.email} onChange={set("email")} />
            <Field label="Phone" type="tel" value={form.phone} onChange={set("phone")} />
            <Field label="Flight number" value={form.flight} maxLength={8} onChange={set("flight")} />
            <Field label="Departure date (local)" type="date" value={form.date} onChange={set("date")} />
          </div>
          <div className="op-end"><Button type="submit" busy={busy}>Search</Button></div>
        </form>
        {error ? <Alert kind="error">{error}</Alert> : null}
        {hits ? (
          hits.length ? (
            <div className="op-scroll"><table className="ui-table" aria-label="bookings found">
              <thead><tr><th scope="col">PNR</th><th scope="col">State</th><th scope="col">Passengers</th><th scope="col">Contact</th><th scope="col">Flights</th><th scope="col">Open</th></tr></thead>
              <tbody>{hits.map((h) => (
                <tr key={h.id} data-testid="search-hit" aria-current={h.id === open ? "true" : undefined}>
                  <td className="op-mono">{h.pnr ?? "draft"}</td>
                  <td><Badge tone={stateTone(h.state)}>{h.state}</Badge></td>
                  <td>{h.passengers.map((p) => `${p.first_name} ${p.last_name}`).join(", ")}</td>
                  <td>{h.contact.email}<br /><span className="op-mono">{h.contact.phone}</span></td>
                  <td>{h.legs.map((l) => `${l.number} ${l.origin}→${l.destination} ${l.date}`).join(" · ")}</td>
                  <td><Button variant="secondary" onClick={() => setOpen(h.id)} aria-label={`Open booking ${h.pnr ?? h.id}`}>Open</Button></td>
                </tr>
              ))}</tbody>
            </table></div>
          ) : <Alert kind="info">No booking matches. Check the spelling, or search by another detail.</Alert>
        ) : null}
      </Card>
      {open ? <WorkbenchBooking key={open} api={api} id={open} onClose={() => setOpen(null)} /> : null}
      <VoucherLookup api={api} />
    </>
  );
}
