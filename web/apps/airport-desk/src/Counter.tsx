import { useEffect, useRef, useState, type FormEvent } from "react";
import {
  isApiError, Alert, Badge, Button, Card, Field, useAttempt, type Api, type Bag, type BoardingPass, type Flight, type Verification,
} from "@airline/ui";
import { checkMeasures, message, parseScan, type Measures } from "./desk";
import { BagFee } from "./parts";

/** The check-in counter: verify a passenger, check them in, show the pass, drop and charge bags. */
export function Counter({ api, flight }: { api: Api; flight: Flight }) {
  const [scan, setScan] = useState("");
  const [doc, setDoc] = useState("");
  const [who, setWho] = useState<Verification | null>(null);
  const [pass, setPass] = useState<BoardingPass | null>(null);
  const [error, setError] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);
  const query = () => parseScan(flight.id, scan, doc);

  const verify = async (e: FormEvent) => {
    e.preventDefault();
    setError(null); setWho(null); setPass(null);
    const q = query();
    if (!q) return setError("Type the check-in code or scan the boarding pass");
    setBusy(true);
    try { const v = await api.verifyPassenger(q); setWho(v); setPass(v.boarding_pass); }
    catch (err) { setError(message(err)); } finally { setBusy(false); }
  };
  const checkIn = async () => {
    const q = query();
    if (!q) return;
    setBusy(true); setError(null);
    try { const p = await api.counterCheckIn(q); setPass(p); if (who) setWho({ ...who, status: "checked_in", seat: p.seat }); }
    catch (err) { setError(message(err)); } finally { setBusy(false); }
  };

  return (
    <div className="dk-grid">
      <Card title="Verify a passenger" aria-label="verify a passenger">
        <form onSubmit={verify} aria-label="verify" className="ui-stack dk-scan">
          <Field label="Check-in code or boarding pass" value={scan} autoFocus autoComplete="off" spellCheck={false}
            hint="Type the 8-character code from the SMS, or scan the pass's QR code (Enter submits)" onChange={(e) => setScan(e.target.value)} />
          <Field label="Document number" value={doc} autoComplete="off" hint="As printed on the passport or ID card" onChange={(e) => setDoc(e.target.value)} />
          <Button type="submit" busy={busy}>Verify</Button>
        </form>
        {error ? <div className="ui-stack"><Alert kind="error">{error}</Alert></div> : null}
        {who ? <WhoItIs who={who} /> : null}
        {who && who.status === "booked" ? <Button busy={busy} onClick={checkIn} disabled={who.document_checked && !who.document_matches}>Check in {who.first_name}</Button> : null}
      </Card>
      {pass ? <PassCard api={api} pass={pass} /> : null}
      {pass && pass.passenger_type !== "infant" ? <BagDrop key={pass.id} api={api} pass={pass} /> : null}
    </div>
  );
}

function WhoItIs({ who }: { who: Verification }) {
  return (
    <section aria-label="passenger" data-testid="verification">
      <dl className="dk-facts">
        <dt>Passenger</dt><dd>{who.first_name} {who.last_name} ({who.passenger_type})</dd>
        <dt>Booking</dt><dd className="dk-mono">{who.pnr}</dd>
        <dt>Flight</dt><dd>{who.flight_number} {who.flight_matches ? <Badge tone="success">this flight</Badge> : <Badge tone="danger">another flight</Badge>}</dd>
        <dt>Seat</dt><dd className="dk-mono">{who.seat || "—"}</dd>
        <dt>Status</dt><dd><Badge tone={who.status === "booked" ? "warning" : who.status === "cancelled" ? "danger" : "success"}>{who.status.replace("_", " ")}</Badge></dd>
        <dt>Document</dt><dd>{!who.document_checked ? <Badge tone="warning">not checked</Badge> : who.document_matches ? <Badge tone="success">matches</Badge> : <Badge tone="danger">does not match</Badge>}</dd>
      </dl>
      <Alert kind={who.document_checked && !who.document_matches ? "error" : "info"}>{who.message}</Alert>
    </section>
  );
}

/** An image route that needs the agent's token: fetched as SVG text, shown as an <img> (no script runs). */
function useSvg(api: Api, path: string | null) {
  const [src, setSrc] = useState<string | null>(null);
  useEffect(() => {
    if (!path) return;
    let live = true;
    api.text(path).then((svg) => { if (live) setSrc(`data:image/svg+xml;charset=utf-8,${encodeURIComponent(svg)}`); }).catch(() => setSrc(null));
    return () => { live = false; };
  }, [api, path]);
  return src;
}

function PassCard({ api, pass }: { api: Api; pass: BoardingPass }) {
  const qr = useSvg(api, pass.qr_svg);
  return (
    <Card title="Boarding pass" aria-label="boarding pass">
      <div className="dk-pass">
        {qr ? <img src={qr} alt={`QR code of the boarding pass of ${pass.first_name} ${pass.last_name}`} /> : null}
        <dl className="dk-facts">
          <dt>Name</dt><dd>{pass.last_name}/{pass.first_name}</dd>
          <dt>Flight</dt><dd>{pass.flight_number} {pass.origin} → {pass.destination}</dd>
          <dt>Seat</dt><dd className="dk-mono" data-testid="pass-seat">{pass.seat || "lap infant"}</dd>
          <dt>Gate</dt><dd>{pass.gate || "—"}</dd>
          <dt>Sequence</dt><dd>{pass.sequence}</dd>
          <dt>E-ticket</dt><dd className="dk-mono">{pass.e_ticket}</dd>
        </dl>
      </div>
    </Card>
  );
}

const TEST_CARD_HINT = "Sandbox: 4242 4242 4242 4242, any future expiry, any CVC (a card needing 3-D Secure is refused at the desk)";

function BagDrop({ api, pass }: { api: Api; pass: BoardingPass }) {
  const [m, setM] = useState<Measures>({ weightKg: "", lengthCm: "", widthCm: "", heightCm: "" });
  const [tried, setTried] = useState(false);
  const [bag, setBag] = useState<Bag | null>(null);
  const [error, setError] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);
  // one key per bag drop, so a double click or a retry after a timeout drops the bag once
  const dropKey = useRef(crypto.randomUUID());
  const check = checkMeasures(m);
  const set = (k: keyof Measures) => (e: { target: { value: string } }) => setM({ ...m, [k]: e.target.value });

  const drop = async (e: FormEvent) => {
    e.preventDefault();
    setTried(true); setError(null);
    if (Object.keys(check.errors).length) return;
    setBusy(true);
    try {
      setBag(await api.dropBag({ booking_id: pass.booking_id, passenger_id: pass.passenger_id, flight_id: pass.flight_id,
        weight_kg: m.weightKg.replace(",", "."), length_cm: Number(m.lengthCm), width_cm: Number(m.widthCm), height_cm: Number(m.heightCm), location: "desk" }, dropKey.current));
    } catch (err) { setError(message(err)); } finally { setBusy(false); }
  };
  const next = () => { setBag(null); setTried(false); setM({ weightKg: "", lengthCm: "", widthCm: "", heightCm: "" }); dropKey.current = crypto.randomUUID(); };

  return (
    <Card title={`Bag drop · ${pass.first_name} ${pass.last_name}`} aria-label="bag drop">
      {!bag ? (
        <form onSubmit={drop} className="ui-stack" aria-label="weigh a bag" noValidate>
          <Field label="Weight (kg)" inputMode="decimal" value={m.weightKg} onChange={set("weightKg")} error={tried ? check.errors.weightKg : null} />
          <div className="ui-row">
            <Field label="Length (cm)" inputMode="numeric" value={m.lengthCm} onChange={set("lengthCm")} error={tried ? check.errors.lengthCm : null} />
            <Field label="Width (cm)" inputMode="numeric" value={m.widthCm} onChange={set("widthCm")} error={tried ? check.errors.widthCm : null} />
            <Field label="Height (cm)" inputMode="numeric" value={m.heightCm} onChange={set("heightCm")} error={tried ? check.errors.heightCm : null} />
          </div>
          {check.linearCm !== null ? <p className="dk-muted">{check.linearCm} cm in total{check.oversize ? " — oversize, a fee applies" : ""}</p> : null}
          <p className="dk-muted">Allowance: the fare's pieces and kilos plus what was bought while booking; the system charges only beyond it.</p>
          <Button type="submit" busy={busy}>Weigh in</Button>
        </form>
      ) : (
        <div className="ui-stack">
          <BagFee bag={bag} />
          {bag.status === "awaiting_payment" ? <PayFee api={api} bag={bag} onPaid={setBag} /> : null}
          {bag.tag ? <BagTag api={api} bag={bag} /> : null}
          {bag.tag ? <Button variant="secondary" className="dk-noprint" onClick={next}>Another bag</Button> : null}
        </div>
      )}
      {error ? <Alert kind="error">{error}</Alert> : null}
    </Card>
  );
}

function PayFee({ api, bag, onPaid }: { api: Api; bag: Bag; onPaid: (b: Bag) => void }) {
  const [number, setNumber] = useState("");
  const [expiry, setExpiry] = useState("");
  const [cvc, setCvc] = useState("");
  const { error, setError, busy, setBusy, key, renew } = useAttempt();
  const pay = async (e: FormEvent) => {
    e.preventDefault();
    setError(null);
    const exp = /^(\d{1,2})\s*\/\s*(\d{2}|\d{4})$/.exec(expiry.trim());
    if (!/^[\d ]{12,23}$/.test(number.trim())) return setError("Enter the card number");
    if (!exp) return setError("Expiry as MM/YY");
    if (!/^\d{3,4}$/.test(cvc.trim())) return setError("The CVC has 3 or 4 digits");
    const year = Number(exp[2]) < 100 ? 2000 + Number(exp[2]) : Number(exp[2]);
    setBusy(true);
    try { onPaid(await api.payBag(bag.id, { type: "card", number: number.trim(), exp_month: Number(exp[1]), exp_year: year, cvc: cvc.trim() }, key.current)); }
    catch (err) {
      // a decline leaves the bag unpaid: the next try is a new payment, with a new key
      if (isApiError(err) && err.status === 402) renew();
      setError(message(err));
    } finally { setBusy(false); }
  };
  return (
    <form onSubmit={pay} className="ui-stack" aria-label="pay the excess fee">
      <Field label="Card number" inputMode="numeric" autoComplete="off" value={number} onChange={(e) => setNumber(e.target.value)} hint={TEST_CARD_HINT} />
      <div className="ui-row">
        <Field label="Expiry (MM/YY)" value={expiry} onChange={(e) => setExpiry(e.target.value)} />
        <Field label="CVC" inputMode="numeric" autoComplete="off" value={cvc} onChange={(e) => setCvc(e.target.value)} />
      </div>
      {error ? <Alert kind="error">{error}</Alert> : null}
      <Button type="submit" busy={busy}>Pay the fee</Button>
    </form>
  );
}

function BagTag({ api, bag }: { api: Api; bag: Bag }) {
  const svg = useSvg(api, `/api/v1/bags/${bag.tag}/tag.svg`);
  return (
    <section className="ui-stack" aria-label="bag tag">
      <Alert kind="success">Bag accepted: tag <strong className="dk-mono" data-testid="bag-tag">{bag.tag}</strong></Alert>
      <div className="dk-tag">{svg ? <img src={svg} alt={`Bag tag ${bag.tag}`} /> : null}</div>
      <Button className="dk-noprint" onClick={() => window.print()}>Print the tag</Button>
    </section>
  );
}
