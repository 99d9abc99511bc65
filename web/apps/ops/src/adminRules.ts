/** Shapes and form rules of the console's editing screens: fares, taxes, booking classes,
 * overbooking, crew members and staff users (gateway routes fares.py, revenue.py, crew.py, auth.py). */
import { isApiError, type components } from "@airline/ui";

type S = components["schemas"];
export type FareRow = S["Fare"];
export type FareRulesRow = S["FareRules"];
export type FaresOut = S["FaresOut"];
export type Tax = S["TaxOut"];
export type TaxIn = S["TaxIn"];
export type BucketIn = S["BucketIn"];
export type CabinBucketsOut = S["CabinBucketsOut"];
export type CrewMember = S["Member"];
export type MemberIn = S["MemberIn"];
export type Absence = S["Absence"];
export type Assignment = S["Assignment"];
export type FlightCrewOut = S["FlightCrew"];
export type RosterOut = S["Roster"];
export type StaffUser = S["User"];
export type NewUser = S["NewUser"];

export type Errors = Record<string, string>;

export const CABINS = ["normal", "vip"] as const;
export const PASSENGER_TYPES = ["adult", "child", "infant"] as const;
export const TRIP_TYPES = ["one_way", "round_trip"] as const;
export const CREW_ROLES = ["captain", "first_officer", "purser", "flight_attendant"] as const;
export const ABSENCE_KINDS = ["leave", "sickness", "training"] as const;
export const STAFF_ROLES = ["agent", "crew", "ops", "cs", "inventory", "admin", "passenger"] as const;
export const words = (s: string) => s.replace(/_/g, " ");
export const options = (values: readonly string[]) => values.map((v) => ({ value: v, label: words(v) }));

/** The problem+json answer split into errors per field (the last name of `body.taxes.0.code`)
 * for the fields a form shows, and the rest as one message (or null when every error has its field). */
export function problemFields(err: unknown, known: readonly string[]): { fields: Errors; rest: string | null } {
  const message = err instanceof Error ? err.message : String(err);
  const list = isApiError(err) ? (err.body as { errors?: { field?: string; message?: string }[] } | undefined)?.errors : undefined;
  if (!Array.isArray(list) || !list.length) return { fields: {}, rest: message };
  const fields: Errors = {};
  const rest: string[] = [];
  for (const e of list) {
    const name = (e.field ?? "").split(".").filter((s) => s && !/^\d+$/.test(s)).pop() ?? "";
    const text = (e.message ?? "").replace(/^Value error, /, "");
    if (known.includes(name) && !fields[name]) fields[name] = text;
    else rest.push(text);
  }
  return { fields, rest: rest.length ? rest.join("; ") : null };
}

/** An amount typed in major units ("129", "129.5", "129.50") as minor units of the currency, or null. */
export function toMinor(text: string, currency = "SGD"): number | null {
  const digits = new Intl.NumberFormat("en", { style: "currency", currency: /^[A-Z]{3}$/.test(currency) ? currency : "SGD" }).resolvedOptions().maximumFractionDigits ?? 2;
  const t = text.trim();
  if (!new RegExp(`^\\d{1,9}(\\.\\d{0,${digits}})?$`).test(t)) return null;
  const [whole, frac = ""] = t.split(".");
  return Number(whole) * 10 ** digits + Number((frac + "0".repeat(digits)).slice(0, digits) || "0");
}

/** Minor units shown in major units for an input ("12900" SGD → "129.00"). */
export function toMajor(minor: number, currency = "SGD"): string {
  const digits = new Intl.NumberFormat("en", { style: "currency", currency }).resolvedOptions().maximumFractionDigits ?? 2;
  return (minor / 10 ** digits).toFixed(digits);
}

const CURRENCY = /^[A-Z]{3}$/;
const money = (errors: Errors, key: string, text: string, currency: string): number => {
  const v = toMinor(text, currency);
  if (v === null) errors[key] = "An amount such as 129.00";
  return v ?? 0;
};

export interface FareForm { origin: string; destination: string; cabin_class: string; passenger_type: string; trip_type: string; amount: string; currency: string }

export function fareRequest(f: FareForm): { errors: Errors; body: { fares: FareRow[] } | null } {
  const errors: Errors = {};
  if (!f.origin) errors.origin = "Choose the origin";
  if (!f.destination) errors.destination = "Choose the destination";
  else if (f.destination === f.origin) errors.destination = "Origin and destination must differ";
  if (!CURRENCY.test(f.currency)) errors.currency = "A three-letter code such as SGD";
  const amount = money(errors, "amount", f.amount, f.currency);
  if (Object.keys(errors).length) return { errors, body: null };
  return { errors, body: { fares: [{ ...f, amount } as FareRow] } };
}

export interface RulesForm {
  origin: string; destination: string; cabin_class: string; refundable: boolean; change_fee: string; currency: string;
  checked_bags: string; bag_weight_kg: string; no_show_refund: string; taxes: string;
}

const whole = (errors: Errors, key: string, text: string, max: number): number => {
  const n = Number(text);
  if (!/^\d+$/.test(text.trim()) || n > max) errors[key] = `A whole number from 0 to ${max}`;
  return n;
};

export function rulesRequest(f: RulesForm): { errors: Errors; body: { rules: FareRulesRow[] } | null } {
  const errors: Errors = {};
  if (!f.origin || !f.destination || f.origin === f.destination) errors.destination = "Choose a route of two airports";
  if (!CURRENCY.test(f.currency)) errors.currency = "A three-letter code such as SGD";
  const change_fee = money(errors, "change_fee", f.change_fee, f.currency);
  const taxes = money(errors, "taxes", f.taxes, f.currency);
  const checked_bags = whole(errors, "checked_bags", f.checked_bags, 5);
  const bag_weight_kg = whole(errors, "bag_weight_kg", f.bag_weight_kg, 50);
  if (Object.keys(errors).length) return { errors, body: null };
  return {
    errors,
    body: { rules: [{
      origin: f.origin, destination: f.destination, cabin_class: f.cabin_class as FareRulesRow["cabin_class"], refundable: f.refundable,
      change_fee, currency: f.currency, checked_bags, bag_weight_kg, no_show_refund: f.no_show_refund as FareRulesRow["no_show_refund"], taxes,
    }] },
  };
}

export interface TaxForm { airport: string; passenger_type: string; code: string; name: string; amount: string; currency: string; applies_on: string }

export function taxRequest(f: TaxForm): { errors: Errors; body: { taxes: TaxIn[] } | null } {
  const errors: Errors = {};
  if (!f.airport) errors.airport = "Choose the airport";
  if (!/^[A-Za-z0-9]{2,3}$/.test(f.code.trim())) errors.code = "Two or three letters or digits";
  if (f.name.length > 80) errors.name = "At most 80 characters";
  if (!CURRENCY.test(f.currency)) errors.currency = "A three-letter code such as SGD";
  const amount = money(errors, "amount", f.amount, f.currency);
  if (Object.keys(errors).length) return { errors, body: null };
  return { errors, body: { taxes: [{ ...f, code: f.code.trim().toUpperCase(), name: f.name.trim(), amount } as TaxIn] } };
}

export interface BucketForm { code: string; adult: string; child: string; infant: string; authorised: string; open: boolean; load: string; days: string }

export const bucketForm = (b: CabinBucketsOut["buckets"][number]): BucketForm => ({
  code: b.code, adult: toMajor(b.adult_amount, b.currency), child: toMajor(b.child_amount, b.currency), infant: toMajor(b.infant_amount, b.currency),
  authorised: String(b.authorised), open: b.open, load: String(b.close_at_load_percent), days: String(b.close_days_before),
});

/** The cabin's booking classes, dearest first: errors per row (`2.authorised`) or the PUT body's buckets. */
export function bucketsRequest(rows: BucketForm[], currency: string): { errors: Errors; buckets: BucketIn[] | null } {
  const errors: Errors = {};
  const seen = new Set<string>();
  const buckets = rows.map((r, i) => {
    const e: Errors = {};
    const code = r.code.trim().toUpperCase();
    if (!/^[A-Z]$/.test(code)) e.code = "One letter";
    else if (seen.has(code)) e.code = "Each class once";
    seen.add(code);
    const b = {
      code, currency, open: r.open,
      adult_amount: money(e, "adult", r.adult, currency), child_amount: money(e, "child", r.child, currency), infant_amount: money(e, "infant", r.infant, currency),
      authorised: whole(e, "authorised", r.authorised, 10_000), close_at_load_percent: whole(e, "load", r.load, 100), close_days_before: whole(e, "days", r.days, 365),
    };
    const above = i > 0 ? Number(rows[i - 1].authorised) : Infinity;
    if (!e.authorised && b.authorised > above) e.authorised = "No more than the class above";
    for (const [k, v] of Object.entries(e)) errors[`${i}.${k}`] = v;
    return b;
  });
  if (!CURRENCY.test(currency)) errors.currency = "A three-letter code such as SGD";
  return Object.keys(errors).length ? { errors, buckets: null } : { errors, buckets };
}

/** A show-up rate typed in percent (50-100, one decimal) as basis points, or null. */
export function showUpBasisPoints(text: string): number | null {
  const t = text.trim();
  if (!/^\d{1,3}(\.\d)?$/.test(t)) return null;
  const bp = Math.round(Number(t) * 100);
  return bp >= 5000 && bp <= 10_000 ? bp : null;
}

export interface MemberForm { name: string; role: string; qualifications: string; home_base: string; email: string; phone: string }

export function memberRequest(f: MemberForm): { errors: Errors; body: MemberIn | null } {
  const errors: Errors = {};
  const qualifications = f.qualifications.split(",").map((q) => q.trim()).filter(Boolean);
  if (!f.name.trim()) errors.name = "Give the member's name";
  if (!qualifications.length) errors.qualifications = "At least one aircraft type, such as A320-200";
  else if (qualifications.length > 20 || qualifications.some((q) => q.length > 40)) errors.qualifications = "At most 20 types of 40 characters";
  if (!f.home_base) errors.home_base = "Choose the home base";
  if (f.email && !/^[^@\s]+@[^@\s]+$/.test(f.email.trim())) errors.email = "An e-mail address such as name@airline.local";
  if (Object.keys(errors).length) return { errors, body: null };
  return { errors, body: { name: f.name.trim(), role: f.role as MemberIn["role"], qualifications, home_base: f.home_base, email: f.email.trim(), phone: f.phone.trim() } };
}

export interface UserForm { email: string; full_name: string; password: string; role: string }

export function userRequest(f: UserForm): { errors: Errors; body: NewUser | null } {
  const errors: Errors = {};
  if (!/^[^@\s]+@[^@\s]+$/.test(f.email.trim())) errors.email = "An e-mail address such as name@airline.local";
  if (!f.full_name.trim()) errors.full_name = "Give the person's name";
  if (!f.password) errors.password = "Give a first password";
  if (Object.keys(errors).length) return { errors, body: null };
  return { errors, body: { email: f.email.trim(), full_name: f.full_name.trim(), password: f.password, role: f.role as NewUser["role"] } };
}

/** A new absence window from local datetime inputs (already turned into UTC instants). */
export function absenceErrors(startsAt: string, endsAt: string): Errors {
  const errors: Errors = {};
  if (!startsAt) errors.starts_at = "Choose when it starts";
  if (!endsAt) errors.ends_at = "Choose when it ends";
  else if (startsAt && endsAt <= startsAt) errors.ends_at = "It ends after it starts";
  return errors;
}
