import type { OpsFlight } from "./types";
import { localDate } from "./time";

/** Checks the console makes before it sends a form; the server checks again (and has the last
 * word on conflicts such as a busy plane or gate, shown inline as it says them). */
export const FLIGHT_NUMBER = /^[A-Za-z0-9]{2}[0-9]{1,4}[A-Za-z]?$/;
export const AIRPORT = /^[A-Za-z]{3}$/;

export type FlightKind = "single" | "round_trip" | "recurring";
export interface FlightForm {
  kind: FlightKind; number: string; origin: string; destination: string; departure: string; duration: string;
  plane: string; gate: string; returnNumber: string; returnDeparture: string; returnGate: string;
  departureTime: string; firstDate: string; days: string; weekdays: number[]; withReturn: boolean; returnTime: string;
}
export type Errors = Partial<Record<keyof FlightForm, string>>;

export function validateFlight(f: FlightForm): Errors {
  const e: Errors = {};
  if (!FLIGHT_NUMBER.test(f.number.trim())) e.number = "Airline code and 1-4 digits, e.g. XA101";
  if (!AIRPORT.test(f.origin)) e.origin = "Choose the departure airport";
  if (!AIRPORT.test(f.destination)) e.destination = "Choose the arrival airport";
  else if (f.origin === f.destination) e.destination = "Origin and destination must differ";
  const minutes = Number(f.duration);
  if (!Number.isInteger(minutes) || minutes < 1 || minutes > 1200) e.duration = "Block time in minutes, 1 to 1200";
  if (!f.plane) e.plane = "Choose a plane";
  if (!f.gate) e.gate = "Choose a gate at the origin";
  const needsReturn = f.kind === "round_trip" || (f.kind === "recurring" && f.withReturn);
  if (f.kind !== "recurring" && !f.departure) e.departure = "Enter the local departure time";
  if (needsReturn) {
    if (!FLIGHT_NUMBER.test(f.returnNumber.trim())) e.returnNumber = "Airline code and 1-4 digits, e.g. XA102";
    else if (f.returnNumber.trim().toUpperCase() === f.number.trim().toUpperCase()) e.returnNumber = "The return needs its own number";
    if (!f.returnGate) e.returnGate = "Choose a gate at the destination";
  }
  if (f.kind === "round_trip") {
    if (!f.returnDeparture) e.returnDeparture = "Enter the local return departure";
  }
  if (f.kind === "recurring") {
    if (!/^\d{2}:\d{2}$/.test(f.departureTime)) e.departureTime = "Local time HH:MM";
    if (!/^\d{4}-\d{2}-\d{2}$/.test(f.firstDate)) e.firstDate = "Enter the first date";
    const days = Number(f.days);
    if (!Number.isInteger(days) || days < 1 || days > 366) e.days = "1 to 366 days";
    if (f.withReturn && !/^\d{2}:\d{2}$/.test(f.returnTime)) e.returnTime = "Local time HH:MM";
  }
  return e;
}

/** Round trip: the return must leave after the outbound lands (UTC instants). */
export function returnTooEarly(departureUtc: string, minutes: number, returnUtc: string): boolean {
  return Date.parse(returnUtc) < Date.parse(departureUtc) + minutes * 60_000;
}

/** What would clash with a new flight at its gate (the same gate within 60 minutes) among the
 * origin's departures that day: a warning before saving; the server decides. */
export function gateClashes(flights: OpsFlight[], gate: string, departureUtc: string): OpsFlight[] {
  const t = Date.parse(departureUtc);
  return flights.filter((f) => f.gate === gate && f.status !== "cancelled" && f.scheduled_departure
    && Math.abs(Date.parse(f.estimated_departure ?? f.scheduled_departure) - t) < 60 * 60_000);
}

export const seatsOf = (f: OpsFlight) => (f.seats ?? []).reduce((a, s) => ({ sold: a.sold + s.sold, capacity: a.capacity + s.capacity }), { sold: 0, capacity: 0 });

/** Load factor (seats sold / sellable seats) per flight, in percent. */
export function loadFactors(flights: OpsFlight[]): { label: string; value: number; note: string }[] {
  return flights.filter((f) => f.status !== "cancelled").map((f) => {
    const s = seatsOf(f);
    return { label: f.number, value: s.capacity ? Math.round((100 * s.sold) / s.capacity) : 0, note: `${s.sold}/${s.capacity}` };
  });
}

/** Seats sold per local departure day (each sold seat is one passenger on one booking leg). */
export function soldPerDay(flights: OpsFlight[], timeZone: string): { label: string; value: number }[] {
  const days = new Map<string, number>();
  for (const f of flights) {
    if (!f.scheduled_departure) continue;
    const d = localDate(f.scheduled_departure, timeZone);
    days.set(d, (days.get(d) ?? 0) + seatsOf(f).sold);
  }
  return [...days.entries()].sort(([a], [b]) => a.localeCompare(b)).map(([label, value]) => ({ label, value }));
}

/** A flight counts as late from 15 minutes (the usual on-time threshold). */
export const LATE_MS = 15 * 60_000;
export type Punctuality = "on_time" | "late" | "cancelled" | "diverted";
export function punctuality(f: OpsFlight): Punctuality {
  if (f.status === "cancelled") return "cancelled";
  if (f.status === "diverted") return "diverted";
  const planned = Date.parse(f.scheduled_departure ?? "");
  const actual = Date.parse(f.estimated_departure ?? f.scheduled_departure ?? "");
  return f.status === "delayed" || actual - planned >= LATE_MS ? "late" : "on_time";
}

export function onTimePerDay(flights: OpsFlight[], timeZone: string): { label: string; values: Record<Punctuality, number> }[] {
  const days = new Map<string, Record<Punctuality, number>>();
  for (const f of flights) {
    if (!f.scheduled_departure) continue;
    const d = localDate(f.scheduled_departure, timeZone);
    const row = days.get(d) ?? { on_time: 0, late: 0, cancelled: 0, diverted: 0 };
    row[punctuality(f)] += 1;
    days.set(d, row);
  }
  return [...days.entries()].sort(([a], [b]) => a.localeCompare(b)).map(([label, values]) => ({ label, values }));
}
