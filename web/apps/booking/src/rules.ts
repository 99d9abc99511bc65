import type { PassengerIn, PassengerType, Seat } from "@airline/ui";

/** Pure rules of the booking screens (the server re-checks all of them). */

export interface PassengerDraft extends PassengerIn { key: string }
export type Errors = Record<string, string>;

const DATE = /^\d{4}-\d{2}-\d{2}$/;
const E164 = /^\+[1-9]\d{6,14}$/;
const EMAIL = /^[^@\s]+@[^@\s]+\.[^@\s]+$/;

function yearsAt(dob: string, on: string): number {
  const [y, m, d] = dob.split("-").map(Number);
  const [ty, tm, td] = on.split("-").map(Number);
  return ty - y - (tm < m || (tm === m && td < d) ? 1 : 0);
}

/** Age bands at the date of travel: infant under 2, child 2-11, adult 12 and over. */
export function typeForAge(age: number): PassengerType {
  return age < 2 ? "infant" : age < 12 ? "child" : "adult";
}

export function validatePassenger(p: PassengerIn, travelDate: string, lastTravelDate: string): Errors {
  const e: Errors = {};
  if (!p.first_name.trim()) e.first_name = "Enter the first name as in the passport";
  if (!p.last_name.trim()) e.last_name = "Enter the last name as in the passport";
  if (!DATE.test(p.date_of_birth)) e.date_of_birth = "Enter the date of birth";
  else {
    const age = yearsAt(p.date_of_birth, travelDate);
    if (age < 0) e.date_of_birth = "The date of birth is after the flight";
    else if (typeForAge(age) !== p.type) e.date_of_birth = `Age ${age} on the day of travel is not ${p.type === "adult" ? "an adult" : `a ${p.type}`}`;
  }
  if (!p.document.number.trim()) e.document_number = "Enter the document number";
  if (!/^[A-Za-z]{2}$/.test(p.document.issuing_country)) e.document_country = "Two-letter country code, e.g. SG";
  if (!DATE.test(p.document.expiry)) e.document_expiry = "Enter the expiry date";
  else if (p.document.expiry <= lastTravelDate) e.document_expiry = "The document must be valid after your last flight";
  if (p.type === "infant" && !p.infant_of) e.infant_of = "Choose the adult the infant travels with";
  return e;
}

export function validateContact(c: { email: string; phone: string }): Errors {
  const e: Errors = {};
  if (!EMAIL.test(c.email)) e.email = "Enter an e-mail address for the tickets";
  if (!E164.test(c.phone.replace(/[\s-]/g, ""))) e.phone = "International format, e.g. +6591234567";
  return e;
}

export interface Row { row: number; exit: boolean; cells: (Seat | "aisle")[] }

/** A cabin's rows drawn from the plane's layout: an aisle wherever two aisle seats meet. */
export function layoutRows(seats: Seat[]): Row[] {
  const rows = new Map<number, Seat[]>();
  for (const s of seats) rows.set(s.row, [...(rows.get(s.row) ?? []), s]);
  return [...rows.entries()].sort(([a], [b]) => a - b).map(([row, list]) => {
    const sorted = list.sort((a, b) => a.letter.localeCompare(b.letter));
    const cells: (Seat | "aisle")[] = [];
    sorted.forEach((s, i) => {
      if (i > 0 && s.position === "aisle" && sorted[i - 1].position === "aisle") cells.push("aisle");
      cells.push(s);
    });
    return { row, exit: sorted.some((s) => s.exit_row), cells };
  });
}

export function seatLabel(s: Seat, owner?: string): string {
  const state = owner ? `yours (${owner})` : s.blocked ? "not available" : s.state === "free" ? "free" : s.state === "held" ? "held by someone else" : "taken";
  return `Seat ${s.seat}, ${s.position}${s.exit_row ? ", exit row" : ""}, ${state}`;
}

/** Seats of the cabin still free for a passenger to pick (not held, taken or blocked): fewer than
 * the party means the booking may only take its seats at the airport (an overbooking place). */
export function freeSeats(seats: Seat[], cabin: string): number {
  return seats.filter((s) => s.cabin_class === cabin && s.state === "free" && !s.blocked).length;
}

const FIELD_NAMES: Record<string, string> = {
  first_name: "first_name", last_name: "last_name", date_of_birth: "date_of_birth", infant_of: "infant_of", type: "date_of_birth",
  "document.number": "document_number", "document.issuing_country": "document_country", "document.expiry": "document_expiry", "document.type": "document_number",
};

/** A problem+json answer's field `errors` (`body.passengers.0.document.number`, `passengers[1].last_name`,
 * `contact.email`...) put on the passenger-details form's fields: by the passenger's key (P1, P2...)
 * or `contact`; what names no field of the form is left out (the error's message says it). */
export function serverFieldErrors(body: unknown): Record<string, Errors> {
  const out: Record<string, Errors> = {};
  const list = (body as { errors?: { field?: string; message?: string }[] } | null)?.errors;
  if (!Array.isArray(list)) return out;
  for (const e of list) {
    const path = String(e.field ?? "").replace(/^body\./, "").replace(/\[(\d+)\]/g, ".$1");
    const m = /^passengers\.(\d+)\.(.+)$/.exec(path);
    const c = /^contact\.(email|phone)$/.exec(path);
    const [key, name] = m ? [`P${Number(m[1]) + 1}`, FIELD_NAMES[m[2]]] : c ? ["contact", c[1]] : [null, null];
    if (key && name) out[key] = { ...out[key], [name]: (out[key]?.[name] ? `${out[key][name]}; ` : "") + String(e.message ?? "invalid") };
  }
  return out;
}
