import { useEffect, useMemo, useRef, useState, type FormEvent } from "react";
import {
  isApiError, Alert, Badge, Button, Card, Field, Select, Steps, formatLocalDate, formatLocalTime, formatMoney, useAttempt, type Api, type Booking, type Offer, type PassengerType, type PayMethod, type SearchQuery, type Seat, type Session,
} from "@airline/ui";
import { ChallengeForm, PaymentForm, paymentError, type VoucherIn } from "./PaymentForm";
import { SeatMapView, useLiveSeatMap } from "./SeatMap";
import { HoldBanner } from "./Hold";
import { DayStrip, cheapestByDay, dayOf } from "./Flexible";
import { freeSeats, serverFieldErrors, validateContact, validatePassenger, type Errors, type PassengerDraft } from "./rules";

export const STEPS = ["Search", "Flights", "Review", "Passengers", "Seats", "Bags", "Payment", "Confirmed"];

const localDate = (daysAhead: number) => new Intl.DateTimeFormat("en-CA", { timeZone: "Asia/Singapore" }).format(new Date(Date.now() + daysAhead * 86400_000));
const message = (e: unknown) => (e instanceof Error ? e.message : String(e));

/** The booking flow: 8 steps, back and forward keep what was entered. A draft booking (its id,
 * manage token, offer and step) is kept in sessionStorage: a reload resumes it at its step. */
export function Flow({ api, session }: { api: Api; session: Session | null }) {
  const [step, setStep] = useState(0);
  const [query, setQuery] = useState<SearchQuery>({ origin: "XSP", destination: "AOR", date: localDate(1), return_date: localDate(4), trip_type: "round_trip", adults: 1, children: 0, infants: 0, cabin_class: "normal" });
  const [offers, setOffers] = useState<Offer[] | null>(null);
  const [offer, setOffer] = useState<Offer | null>(null);
  const [booking, setBooking] = useState<Booking | null>(null);
  const [manageToken, setManageToken] = useState<string | null>(null);
  const [drafts, setDrafts] = useState<PassengerDraft[]>([]);
  const [contact, setContact] = useState({ email: session?.user.email ?? "", phone: "" });
  const [resuming, setResuming] = useState(() => loadDraft() !== null);
  const headingRef = useRef<HTMLHeadingElement>(null);

  useEffect(() => { if (!resuming) headingRef.current?.focus(); }, [step, resuming]);
  useEffect(() => {
    const saved = loadDraft();
    if (!saved) return;
    let on = true;
    api.booking(saved.id, saved.token).then((b) => {
      if (!on) return;
      if (b.state !== "held" || (b.expires_at && Date.parse(b.expires_at) <= Date.now())) { clearDraft(); return; }
      setOffer(saved.offer); setOffers([saved.offer]); setBooking(b); setManageToken(saved.token);
      setDrafts(b.passengers.length ? draftsOf(b) : draftsFor(saved.offer));
      if (b.contact?.email) setContact({ email: b.contact.email, phone: b.contact.phone ?? "" });
      setStep(saved.step);
    }).catch(() => clearDraft()).finally(() => { if (on) setResuming(false); });
    return () => { on = false; };
  }, [api]);
  useEffect(() => {
    if (resuming) return;
    if (booking && offer && booking.state === "held" && step >= 3 && step <= 6) saveDraft({ id: booking.id, token: manageToken, step, offer });
    else if (step === 7 || step === 0) clearDraft();
  }, [booking, offer, manageToken, step, resuming]);
  const go = (n: number) => { setStep(n); window.scrollTo?.({ top: 0 }); };
  const restart = () => { clearDraft(); setBooking(null); setOffer(null); setOffers(null); go(0); };
  const held = booking && booking.state === "held" && booking.seats.length && step >= 4 && step <= 6 ? booking.expires_at ?? null : null;
  const keep = async () => {
    if (!booking) return null;
    const kept = await api.keepSeats(booking.id, manageToken);
    setBooking(kept);
    return kept.expires_at ?? null;
  };

  if (resuming) return <p className="bk-muted" role="status">Resuming your booking…</p>;
  return (
    <div className="bk-flow">
      <Steps steps={STEPS} current={step} />
      <h2 ref={headingRef} tabIndex={-1} className="bk-step-title">{STEPS[step]}</h2>
      <HoldBanner until={held} onKeep={keep} onRestart={restart} />
      {step === 0 && <SearchStep api={api} query={query} setQuery={setQuery} onOffers={(o) => { setOffers(o); go(1); }} />}
      {step === 1 && offers && <OffersStep offers={offers} day={query.date} flexible={!!query.flexible_days} onBack={() => go(0)} onPick={(o) => { if (o.offer_id !== offer?.offer_id) { setOffer(o); setBooking(null); setDrafts(draftsFor(o)); } go(2); }} />}
      {step === 2 && offer && <ReviewStep api={api} offer={offer} booking={booking} onBack={() => go(1)} onBooked={(b) => { setBooking(b); if (b.manage_token) setManageToken(b.manage_token); go(3); }} />}
      {step === 3 && booking && offer && <PassengersStep api={api} offer={offer} booking={booking} token={manageToken} drafts={drafts} setDrafts={setDrafts} contact={contact} setContact={setContact} onBack={() => go(2)} onDone={(b) => { setBooking(b); go(4); }} />}
      {step === 4 && booking && offer && <SeatsStep api={api} offer={offer} booking={booking} token={manageToken} setBooking={setBooking} onBack={() => go(3)} onDone={() => go(5)} />}
      {step === 5 && booking && <BagsStep api={api} booking={booking} token={manageToken} onBack={() => go(4)} onDone={(b) => { setBooking(b); go(6); }} />}
      {step === 6 && booking && <PaymentStep api={api} booking={booking} token={manageToken} onBack={() => go(5)} onPaid={(b) => { setBooking(b); go(7); }} />}
      {step === 7 && booking && <Confirmation booking={booking} zones={offer ? zonesOf(offer) : {}} />}
    </div>
  );
}

const DRAFT_KEY = "airline.booking.draft";
interface SavedDraft { id: string; token: string | null; step: number; offer: Offer }

export function loadDraft(): SavedDraft | null {
  try {
    const d = JSON.parse(window.sessionStorage.getItem(DRAFT_KEY) ?? "null") as SavedDraft | null;
    return d && typeof d.id === "string" && d.offer && d.step >= 3 && d.step <= 6 ? d : null;
  } catch { return null; }
}
function saveDraft(d: SavedDraft) { try { window.sessionStorage.setItem(DRAFT_KEY, JSON.stringify(d)); } catch { /* private mode: no resume */ } }
export function clearDraft() { try { window.sessionStorage.removeItem(DRAFT_KEY); } catch { /* nothing kept */ } }

/** The passenger forms again from a resumed booking's passengers (a guest's view has no documents). */
function draftsOf(b: Booking): PassengerDraft[] {
  return b.passengers.map((p) => ({ key: p.id, type: p.type, first_name: p.first_name, last_name: p.last_name, date_of_birth: p.date_of_birth ?? "",
    document: p.document ?? { type: "passport", number: "", issuing_country: "", expiry: "" }, infant_of: p.infant_of ?? "", meal: p.meal ?? "" }));
}

function zonesOf(o: Offer): Record<string, string> {
  return Object.fromEntries(o.legs.flatMap((l) => [[l.flight.origin, l.flight.origin_time_zone], [l.flight.destination, l.flight.destination_time_zone]]));
}

function draftsFor(o: Offer): PassengerDraft[] {
  const types: PassengerType[] = [...Array(o.adults).fill("adult"), ...Array(o.children).fill("child"), ...Array(o.infants).fill("infant")];
  return types.map((type, i) => ({ key: `P${i + 1}`, type, first_name: "", last_name: "", date_of_birth: "", document: { type: "passport", number: "", issuing_country: "", expiry: "" }, infant_of: "", meal: "" }));
}

// --- 1. search ------------------------------------------------------------------------------

function SearchStep({ api, query, setQuery, onOffers }: { api: Api; query: SearchQuery; setQuery: (q: SearchQuery) => void; onOffers: (o: Offer[]) => void }) {
  const [airports, setAirports] = useState<{ value: string; label: string }[]>([{ value: query.origin, label: query.origin }, { value: query.destination, label: query.destination }]);
  const [error, setError] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);
  useEffect(() => { api.airports().then((r) => setAirports(r.airports.map((a) => ({ value: a.code, label: `${a.city || a.name} (${a.code})` })))).catch(() => {}); }, [api]);
  const set = (patch: Partial<SearchQuery>) => setQuery({ ...query, ...patch });
  const submit = async (e: FormEvent) => {
    e.preventDefault();
    setError(null);
    if (query.origin === query.destination) return setError("Choose different airports to fly from and to");
    if ((query.infants ?? 0) > (query.adults ?? 1)) return setError("Each infant travels on an adult's lap");
    setBusy(true);
    try {
      const r = await api.search({ ...query, return_date: query.trip_type === "round_trip" ? query.return_date : undefined });
      if (!r.offers.length) setError("No flights on those dates. Try other dates.");
      else onOffers(r.offers);
    } catch (err) { setError(message(err)); } finally { setBusy(false); }
  };
  const count = (n: number, from: number) => Array.from({ length: 10 - from }, (_, i) => ({ value: String(i + from), label: String(i + from) })).slice(0, n);
  return (
    <Card>
      <form className="ui-stack" onSubmit={submit} aria-label="search flights">
        <fieldset className="bk-toggle">
          <legend className="ui-sr">Trip type</legend>
          {(["round_trip", "one_way"] as const).map((t) => (
            <label key={t} className={query.trip_type === t ? "on" : ""}><input type="radio" name="trip" checked={query.trip_type === t} onChange={() => set({ trip_type: t })} /> {t === "round_trip" ? "Round trip" : "One way"}</label>
          ))}
          <span className="bk-toggle-gap" />
          {(["normal", "vip"] as const).map((c) => (
            <label key={c} className={query.cabin_class === c ? "on" : ""}><input type="radio" name="cabin" checked={query.cabin_class === c} onChange={() => set({ cabin_class: c })} /> {c === "vip" ? "VIP" : "Economy"}</label>
          ))}
        </fieldset>
        <div className="ui-row">
          <Select label="From" value={query.origin} onChange={(e) => set({ origin: e.target.value })} options={airports} />
          <Select label="To" value={query.destination} onChange={(e) => set({ destination: e.target.value })} options={airports} />
        </div>
        <div className="ui-row">
          <Field label="Departure date" type="date" required value={query.date} min={localDate(0)} onChange={(e) => set({ date: e.target.value })} />
          {query.trip_type === "round_trip" ? <Field label="Return date" type="date" required value={query.return_date ?? ""} min={query.date} onChange={(e) => set({ return_date: e.target.value })} /> : null}
        </div>
        <div className="ui-row">
          <Select label="Adults (12+)" value={String(query.adults)} onChange={(e) => set({ adults: Number(e.target.value) })} options={count(9, 1)} />
          <Select label="Children (2-11)" value={String(query.children)} onChange={(e) => set({ children: Number(e.target.value) })} options={count(9, 0)} />
          <Select label="Infants (under 2)" value={String(query.infants)} onChange={(e) => set({ infants: Number(e.target.value) })} options={count(5, 0)} />
        </div>
        <label className="bk-check"><input type="checkbox" checked={!!query.flexible_days} onChange={(e) => set({ flexible_days: e.target.checked ? 3 : 0 })} /> My dates are flexible (show prices 3 days either side)</label>
        {error ? <Alert kind="error">{error}</Alert> : null}
        <Button type="submit" busy={busy}>Search flights</Button>
      </form>
    </Card>
  );
}

// --- 2. offers -------------------------------------------------------------------------------

function LegLine({ f, label }: { f: Offer["legs"][number]["flight"]; label: string }) {
  return (
    <div className="bk-leg">
      <span className="bk-leg-label">{label}</span>
      <span className="bk-leg-date">{formatLocalDate(f.scheduled_departure, f.origin_time_zone)}</span>
      <span className="bk-leg-times"><strong>{formatLocalTime(f.scheduled_departure, f.origin_time_zone)}</strong> {f.origin} <span aria-hidden="true">→</span><span className="ui-sr">to</span> <strong>{formatLocalTime(f.scheduled_arrival, f.destination_time_zone)}</strong> {f.destination}</span>
      <span className="bk-leg-number">{f.number}</span>
    </div>
  );
}

function OffersStep({ offers: all, day: asked, flexible, onPick, onBack }: { offers: Offer[]; day: string; flexible: boolean; onPick: (o: Offer) => void; onBack: () => void }) {
  const prices = useMemo(() => (flexible ? cheapestByDay(all, asked) : []), [all, asked, flexible]);
  const [day, setDay] = useState(() => (!flexible || prices.some((p) => p.day === asked && p.lowest !== null) ? asked : prices.find((p) => p.lowest !== null)?.day ?? asked));
  const offers = flexible ? all.filter((o) => dayOf(o) === day) : all;
  return (
    <div className="ui-stack">
      {flexible ? <DayStrip prices={prices} day={day} onDay={setDay} /> : null}
      {!offers.length ? <p className="bk-muted" role="status">No flights on this day. Pick another day above or change the search.</p> : null}
      {offers.map((o, i) => (
        <Card key={o.offer_id} className="bk-offer" aria-label={`offer ${i + 1}`}>
          <div className="bk-offer-body">
            <div className="bk-offer-legs">
              {o.legs.map((l, j) => <LegLine key={l.flight.id} f={l.flight} label={j === 0 ? "Outbound" : "Return"} />)}
              <p className="bk-muted">{o.cabin_class === "vip" ? "VIP" : "Economy"} · {Math.min(...o.legs.map((l) => l.seats_left))} seats left</p>
            </div>
            <div className="bk-offer-price">
              <table className="ui-table bk-breakdown" aria-label="price breakdown">
                <tbody>
                  {o.breakdown.map((p) => <tr key={p.passenger_type}><td>{p.count} × {p.passenger_type}</td><td className="ui-money">{formatMoney(p.amount, o.currency)}</td></tr>)}
                </tbody>
              </table>
              <div className="bk-total">Total <span className="ui-money">{formatMoney(o.total, o.currency)}</span></div>
              <Button onClick={() => onPick(o)} aria-label={`Select offer ${i + 1}, ${formatMoney(o.total, o.currency)}`}>Select</Button>
            </div>
          </div>
        </Card>
      ))}
      <div><Button variant="secondary" onClick={onBack}>Back to search</Button></div>
    </div>
  );
}

// --- 3. review -------------------------------------------------------------------------------

function ReviewStep({ api, offer, booking, onBooked, onBack }: { api: Api; offer: Offer; booking: Booking | null; onBooked: (b: Booking) => void; onBack: () => void }) {
  const [error, setError] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);
  const start = async () => {
    if (booking) return onBooked(booking); // going forward again keeps the same booking
    setBusy(true); setError(null);
    try { onBooked(await api.createBooking(offer.offer_id)); } catch (e) { setError(message(e)); } finally { setBusy(false); }
  };
  const rules = offer.legs[0].rules as { refundable?: boolean; checked_bags?: number; bag_weight_kg?: number; change_fee?: number } | null;
  return (
    <Card>
      {offer.legs.map((l, j) => <LegLine key={l.flight.id} f={l.flight} label={j === 0 ? "Outbound" : "Return"} />)}
      <ul className="bk-facts">
        {rules?.checked_bags !== undefined ? <li>{rules.checked_bags} checked bag(s) of {rules.bag_weight_kg} kg included per passenger (infants: none)</li> : null}
        {rules ? <li>{rules.refundable ? "Refundable" : "Non-refundable"}{rules.change_fee ? `, changes ${formatMoney(rules.change_fee, offer.currency)}` : ""}</li> : null}
        <li>Seats are held for you while you complete the booking.</li>
      </ul>
      <div className="bk-total">Total for {offer.adults + offer.children + offer.infants} passenger(s) <span className="ui-money">{formatMoney(offer.total, offer.currency)}</span></div>
      {error ? <Alert kind="error">{error}</Alert> : null}
      <div className="bk-nav"><Button variant="secondary" onClick={onBack}>Back</Button><Button busy={busy} onClick={start}>Continue</Button></div>
    </Card>
  );
}

// --- 4. passengers ---------------------------------------------------------------------------

function PassengersStep({ api, offer, booking, token, drafts, setDrafts, contact, setContact, onDone, onBack }: {
  api: Api; offer: Offer; booking: Booking; token: string | null; drafts: PassengerDraft[]; setDrafts: (d: PassengerDraft[]) => void;
  contact: { email: string; phone: string }; setContact: (c: { email: string; phone: string }) => void; onDone: (b: Booking) => void; onBack: () => void;
}) {
  const [errors, setErrors] = useState<Record<string, Errors>>({});
  const [touched, setTouched] = useState(false);
  const [error, setError] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);
  const travel = (offer.legs[0].flight.scheduled_departure ?? "").slice(0, 10);
  const last = (offer.legs[offer.legs.length - 1].flight.scheduled_departure ?? "").slice(0, 10);
  const check = (d = drafts, c = contact) => {
    const all: Record<string, Errors> = {};
    d.forEach((p) => { all[p.key] = validatePassenger(p, travel, last); });
    all.contact = validateContact(c);
    setErrors(all);
    return Object.values(all).every((e) => Object.keys(e).length === 0);
  };
  const update = (i: number, patch: Partial<PassengerDraft>) => {
    const next = drafts.map((p, j) => (j === i ? { ...p, ...patch, document: { ...p.document, ...(patch.document ?? {}) } } : p));
    setDrafts(next);
    if (touched) check(next);
  };
  const adults = drafts.filter((p) => p.type === "adult");
  const submit = async (e: FormEvent) => {
    e.preventDefault();
    setTouched(true); setError(null);
    if (!check()) return setError("Please correct the highlighted fields.");
    setBusy(true);
    try {
      const body = drafts.map(({ key: _k, ...p }) => ({ ...p, document: { ...p.document, issuing_country: p.document.issuing_country.toUpperCase() } }));
      onDone(await api.setPassengers(booking.id, token, body, { email: contact.email.trim(), phone: contact.phone.replace(/[\s-]/g, "") }));
    } catch (err) {
      // the server's own checks land on their fields (problem+json `errors`)
      const onFields = isApiError(err) ? serverFieldErrors(err.body) : {};
      if (Object.keys(onFields).length) { setErrors(onFields); setError("Please correct the highlighted fields."); } else setError(message(err));
    } finally { setBusy(false); }
  };
  const err = (k: string, f: string) => (touched ? errors[k]?.[f] : undefined);
  return (
    <form className="ui-stack" onSubmit={submit} noValidate aria-label="passengers">
      {drafts.map((p, i) => (
        <Card key={p.key} aria-label={`Passenger ${i + 1}`}>
          <h3>Passenger {i + 1} <Badge>{p.type}</Badge></h3>
          <div className="ui-row">
            <Field label="First name" autoComplete="off" value={p.first_name} error={err(p.key, "first_name")} onChange={(e) => update(i, { first_name: e.target.value })} />
            <Field label="Last name" autoComplete="off" value={p.last_name} error={err(p.key, "last_name")} onChange={(e) => update(i, { last_name: e.target.value })} />
            <Field label="Date of birth" type="date" value={p.date_of_birth} error={err(p.key, "date_of_birth")} onChange={(e) => update(i, { date_of_birth: e.target.value })} />
          </div>
          <div className="ui-row">
            <Select label="Document" value={p.document.type} onChange={(e) => update(i, { document: { ...p.document, type: e.target.value as "passport" | "id" } })} options={[{ value: "passport", label: "Passport" }, { value: "id", label: "National ID" }]} />
            <Field label="Document number" value={p.document.number} error={err(p.key, "document_number")} onChange={(e) => update(i, { document: { ...p.document, number: e.target.value } })} />
            <Field label="Issuing country" maxLength={2} placeholder="SG" value={p.document.issuing_country} error={err(p.key, "document_country")} onChange={(e) => update(i, { document: { ...p.document, issuing_country: e.target.value } })} />
            <Field label="Expiry date" type="date" value={p.document.expiry} error={err(p.key, "document_expiry")} onChange={(e) => update(i, { document: { ...p.document, expiry: e.target.value } })} />
          </div>
          {p.type === "infant" ? (
            <Select label="Travels on the lap of" value={p.infant_of ?? ""} error={err(p.key, "infant_of")} onChange={(e) => update(i, { infant_of: e.target.value })}
              options={[{ value: "", label: "Choose an adult" }, ...adults.map((a) => ({ value: a.key, label: `${a.key} ${a.first_name} ${a.last_name}`.trim() }))]} />
          ) : null}
        </Card>
      ))}
      <Card title="Contact">
        <div className="ui-row">
          <Field label="E-mail" type="email" value={contact.email} error={touched ? errors.contact?.email : undefined} onChange={(e) => { const c = { ...contact, email: e.target.value }; setContact(c); if (touched) check(drafts, c); }} />
          <Field label="Mobile phone" type="tel" hint="International format, e.g. +6591234567" value={contact.phone} error={touched ? errors.contact?.phone : undefined} onChange={(e) => { const c = { ...contact, phone: e.target.value }; setContact(c); if (touched) check(drafts, c); }} />
        </div>
      </Card>
      {error ? <Alert kind="error">{error}</Alert> : null}
      <div className="bk-nav"><Button type="button" variant="secondary" onClick={onBack}>Back</Button><Button type="submit" busy={busy}>Continue to seats</Button></div>
    </form>
  );
}

// --- 5. seats --------------------------------------------------------------------------------

function SeatsStep({ api, offer, booking, token, setBooking, onDone, onBack }: { api: Api; offer: Offer; booking: Booking; token: string | null; setBooking: (b: Booking) => void; onDone: () => void; onBack: () => void }) {
  const [leg, setLeg] = useState(0);
  const flight = offer.legs[leg].flight;
  const seated = booking.passengers.filter((p) => p.type !== "infant");
  const done = offer.legs.every((l) => seated.every((p) => booking.seats.some((s) => s.flight_id === l.flight.id && s.passenger_id === p.id)));
  return (
    <div className="ui-stack">
      {offer.legs.length > 1 ? (
        <div role="tablist" aria-label="flights" className="bk-tabs">
          {offer.legs.map((l, i) => (
            <button key={l.flight.id} role="tab" aria-selected={i === leg} className={i === leg ? "on" : ""} onClick={() => setLeg(i)}>
              {i === 0 ? "Outbound" : "Return"} {l.flight.number} {l.flight.origin}→{l.flight.destination}
            </button>
          ))}
        </div>
      ) : null}
      <FlightSeats key={flight.id} api={api} booking={booking} token={token} flightId={flight.id} cabin={offer.cabin_class} setBooking={setBooking} />
      <div className="bk-nav">
        <Button variant="secondary" onClick={onBack}>Back</Button>
        {leg < offer.legs.length - 1 ? <Button variant="secondary" onClick={() => setLeg(leg + 1)}>Next flight</Button> : null}
        <Button onClick={onDone} disabled={!done}>Continue to bags</Button>
      </div>
    </div>
  );
}

function FlightSeats({ api, booking, token, flightId, cabin, setBooking }: { api: Api; booking: Booking; token: string | null; flightId: string; cabin: string; setBooking: (b: Booking) => void }) {
  const { map, live } = useLiveSeatMap(flightId);
  const seated = booking.passengers.filter((p) => p.type !== "infant");
  const held = useMemo(() => Object.fromEntries(booking.seats.filter((s) => s.flight_id === flightId).map((s) => [s.passenger_id, s.seat])), [booking, flightId]);
  const [draft, setDraft] = useState<Record<string, string>>(held);
  const [active, setActive] = useState(seated.find((p) => !held[p.id])?.id ?? seated[0]?.id);
  const [error, setError] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);
  useEffect(() => setDraft(held), [held]);

  const pick = async (seat: Seat) => {
    if (!active || busy) return;
    const next = { ...Object.fromEntries(Object.entries(draft).filter(([, s]) => s !== seat.seat)), [active]: seat.seat };
    setDraft(next); setError(null);
    const following = seated.find((p) => !next[p.id]);
    if (following) { setActive(following.id); return; }
    setBusy(true);
    try {
      setBooking(await api.setSeats(booking.id, token, flightId, seated.map((p) => ({ passenger_id: p.id, seat: next[p.id] }))));
    } catch (e) {
      setDraft(held);
      setError(isApiError(e) && e.status === 409 ? `${seat.seat} was just taken by someone else. Please choose another seat.` : message(e));
    } finally { setBusy(false); }
  };
  const mine = Object.fromEntries(Object.entries(draft).map(([pid, s]) => [s, pid]));
  const activePax = seated.find((p) => p.id === active);
  const atAirport = booking.seats.some((s) => s.flight_id === flightId && s.seat_at_airport);
  const free = map ? freeSeats(map.seats, cabin) : null;
  const takeAtAirport = async () => {
    setBusy(true); setError(null);
    try { setBooking(await api.seatsAtAirport(booking.id, token, flightId)); }
    catch (e) { setError(isApiError(e) && e.status === 409 ? `${message(e)} Please choose another flight.` : message(e)); }
    finally { setBusy(false); }
  };
  if (atAirport) {
    return (
      <Card>
        <Alert kind="info">Your seats on this flight are given at the airport: check in as usual and the agent (or online check-in) seats you. In the rare case no seat is left, the airline offers you another flight and compensation.</Alert>
      </Card>
    );
  }
  return (
    <Card>
      {free !== null && free < seated.length && !Object.keys(held).length ? (
        <div className="ui-stack">
          <Alert kind="warning">This cabin has {free === 0 ? "no free seat" : `only ${free} free seat${free === 1 ? "" : "s"}`} for your {seated.length} passenger{seated.length === 1 ? "" : "s"}. You can still fly: your seats are then given at the airport.</Alert>
          <div><Button onClick={takeAtAirport} busy={busy}>Get our seats at the airport</Button></div>
        </div>
      ) : null}
      <div className="bk-pax" role="radiogroup" aria-label="choose a seat for">
        {seated.map((p) => (
          <button key={p.id} type="button" role="radio" aria-checked={p.id === active} className={p.id === active ? "on" : ""} onClick={() => setActive(p.id)}>
            <strong>{p.id}</strong> {p.first_name} {p.last_name} <span className="bk-muted">{draft[p.id] ?? "no seat yet"}</span>
          </button>
        ))}
      </div>
      {error ? <Alert kind="error">{error}</Alert> : null}
      {busy ? <p className="bk-muted" role="status">Holding your seats…</p> : null}
      {map ? (
        <SeatMapView seats={map.seats} cabin={cabin} mine={mine} live={live} holdsUnavailable={map.holds_unavailable_reason} onPick={pick}
          active={activePax ? { passengerId: activePax.id, label: activePax.first_name, canExit: activePax.type === "adult" } : undefined} />
      ) : <p className="bk-muted">Loading the seat map…</p>}
    </Card>
  );
}

// --- 6. bags ---------------------------------------------------------------------------------

function BagsStep({ api, booking, token, onDone, onBack }: { api: Api; booking: Booking; token: string | null; onDone: (b: Booking) => void; onBack: () => void }) {
  const carriers = booking.passengers.filter((p) => p.type !== "infant");
  const [extra, setExtra] = useState<Record<string, number>>(() => Object.fromEntries(booking.bags.map((b) => [`${b.flight_id}/${b.passenger_id}`, b.extra_pieces ?? 0])));
  const [error, setError] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);
  const submit = async () => {
    setBusy(true); setError(null);
    try {
      const bags = Object.entries(extra).filter(([, n]) => n > 0).map(([k, n]) => { const [flight_id, passenger_id] = k.split("/"); return { flight_id, passenger_id, extra_pieces: n }; });
      onDone(await api.setLuggage(booking.id, token, bags));
    } catch (e) { setError(message(e)); } finally { setBusy(false); }
  };
  return (
    <Card>
      {booking.legs.map((l) => (
        <div key={l.flight_id} className="bk-bags">
          <h3>{String(l.number ?? "")} {String(l.origin ?? "")} → {String(l.destination ?? "")} <span className="bk-muted">· {String(l.checked_bags ?? 1)} × {String(l.bag_weight_kg ?? 20)} kg included</span></h3>
          <div className="ui-row">
            {carriers.map((p) => (
              <Select key={p.id} label={`Extra bags for ${p.first_name} ${p.last_name}`} value={String(extra[`${l.flight_id}/${p.id}`] ?? 0)}
                onChange={(e) => setExtra({ ...extra, [`${l.flight_id}/${p.id}`]: Number(e.target.value) })}
                options={[0, 1, 2, 3].map((n) => ({ value: String(n), label: n === 0 ? "No extra bag" : `+${n} bag${n > 1 ? "s" : ""}` }))} />
            ))}
          </div>
        </div>
      ))}
      {error ? <Alert kind="error">{error}</Alert> : null}
      <div className="bk-nav"><Button variant="secondary" onClick={onBack}>Back</Button><Button busy={busy} onClick={submit}>Continue to payment</Button></div>
    </Card>
  );
}

// --- 7. payment ------------------------------------------------------------------------------

function PaymentStep({ api, booking, token, onPaid, onBack }: { api: Api; booking: Booking; token: string | null; onPaid: (b: Booking) => void; onBack: () => void }) {
  const [challenge, setChallenge] = useState(false);
  // one key per attempt: a double click or a retry after a timeout never pays twice
  const { error, setError, busy, setBusy, key, renew } = useAttempt();

  const pay = async (m: PayMethod | null, voucher: VoucherIn) => {
    setError(null); setBusy(true);
    try {
      const r = await api.pay(booking.id, token, m, key.current, voucher);
      if (r.status === 202) setChallenge(true);
      else onPaid(r.data);
    } catch (err) { renew(); setError(paymentError(err)); } finally { setBusy(false); }
  };
  const answer = async (code: string) => {
    setBusy(true); setError(null);
    try { onPaid((await api.challenge(booking.id, token, code)).data); }
    catch (err) { setChallenge(false); renew(); setError(message(err)); }
    finally { setBusy(false); }
  };
  if (challenge) return <ChallengeForm amount={booking.total} currency={booking.currency} busy={busy} error={error} onAnswer={answer} />;
  return <Card><PaymentForm amount={booking.total} currency={booking.currency} busy={busy} error={error} onPay={pay} onBack={onBack} /></Card>;
}

// --- 8. confirmation -------------------------------------------------------------------------

function departs(iso: string | undefined, zone: string | undefined): string {
  if (!iso) return "—";
  const tz = zone ?? "UTC";
  return `${formatLocalDate(iso, tz)} ${formatLocalTime(iso, tz)}${zone ? "" : " UTC"}`;
}

export function Confirmation({ booking, zones }: { booking: Booking; zones?: Record<string, string> }) {
  return (
    <Card className="bk-confirm">
      <Alert kind="success">Your booking is confirmed. We sent the e-tickets to your e-mail.</Alert>
      <p className="bk-pnr-label">Booking reference</p>
      <p className="bk-pnr" data-testid="pnr">{booking.pnr}</p>
      <BookingDetails booking={booking} zones={zones} />
    </Card>
  );
}

export function BookingDetails({ booking, zones = {} }: { booking: Booking; zones?: Record<string, string> }) {
  const byVoucher = Number(booking.payment.voucher_amount ?? 0);
  return (
    <div className="ui-stack">
      {byVoucher > 0 ? (
        <p className="bk-muted" data-testid="paid-split">Paid {formatMoney(byVoucher, booking.currency)} by voucher
          {Number(booking.payment.card_amount ?? 0) > 0 ? ` and ${formatMoney(Number(booking.payment.card_amount), booking.currency)} by card or e-wallet` : ""}.</p>
      ) : null}
      <table className="ui-table" aria-label="itinerary">
        <thead><tr><th>Flight</th><th>Route</th><th>Departs</th><th>Status</th></tr></thead>
        <tbody>
          {booking.legs.map((l) => (
            <tr key={l.flight_id}><td>{String(l.number ?? "")}</td><td>{String(l.origin ?? "")} → {String(l.destination ?? "")}</td>
              <td>{departs(l.scheduled_departure as string | undefined, zones[String(l.origin)])}</td><td><Badge tone={l.status === "cancelled" || l.status === "diverted" ? "danger" : l.status === "delayed" ? "warning" : "success"}>{String(l.status ?? "")}</Badge>{l.status_reason ? <span className="bk-muted"> {String(l.status_reason)}</span> : null}</td></tr>
          ))}
        </tbody>
      </table>
      <table className="ui-table" aria-label="passengers and seats">
        <thead><tr><th>Passenger</th><th>Seats</th><th>E-tickets</th></tr></thead>
        <tbody>
          {booking.passengers.map((p) => (
            <tr key={p.id}><td>{p.first_name} {p.last_name} <span className="bk-muted">({p.type})</span></td>
              <td>{booking.seats.filter((s) => s.passenger_id === p.id).map((s) => `${s.seat_at_airport ? "at the airport" : s.seat} (${String(booking.legs.find((l) => l.flight_id === s.flight_id)?.number ?? "")})`).join(", ") || (p.type === "infant" ? "on lap" : "—")}</td>
              <td className="bk-mono">{booking.tickets.filter((t) => t.passenger_id === p.id).map((t) => t.number).join(", ")}</td></tr>
          ))}
        </tbody>
      </table>
      <div className="bk-total">Paid <span className="ui-money">{formatMoney(booking.total, booking.currency)}</span></div>
    </div>
  );
}
