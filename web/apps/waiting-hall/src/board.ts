import type { Announcement, Flight } from "@airline/ui";

export interface BoardState {
  airport: string;
  timeZone: string;
  flights: Flight[];
  announcements: Announcement[];
}

export const emptyBoard = (airport: string): BoardState => ({ airport, timeZone: "UTC", flights: [], announcements: [] });

const when = (f: Flight) => f.scheduled_departure ?? "";

/** A snapshot replaces everything (a reconnect starts with a fresh one). */
export function fromSnapshot(s: { airport: string; time_zone: string; flights: Flight[]; announcements: Announcement[] }): BoardState {
  return { airport: s.airport, timeZone: s.time_zone, flights: [...s.flights].sort((a, b) => when(a).localeCompare(when(b))), announcements: newestFirst(s.announcements) };
}

/** A flight event carries the flight's full state: an older version never overwrites a newer one. */
export function applyFlight(state: BoardState, flight: Flight): BoardState {
  const current = state.flights.find((f) => f.id === flight.id);
  if (current && (current.version ?? 0) > (flight.version ?? 0)) return state;
  const flights = current ? state.flights.map((f) => (f.id === flight.id ? flight : f)) : [...state.flights, flight];
  return { ...state, flights: flights.sort((a, b) => when(a).localeCompare(when(b))) };
}

export function applyAnnouncement(state: BoardState, a: Announcement): BoardState {
  if (state.announcements.some((x) => x.id === a.id)) return state;
  return { ...state, announcements: newestFirst([a, ...state.announcements]).slice(0, 20) };
}

function newestFirst(list: Announcement[]): Announcement[] {
  return [...list].sort((a, b) => (b.created_at ?? "").localeCompare(a.created_at ?? ""));
}

const STATUS: Record<string, { label: string; tone: "ok" | "warn" | "bad" | "info" }> = {
  scheduled: { label: "On time", tone: "ok" },
  delayed: { label: "Delayed", tone: "warn" },
  boarding: { label: "Boarding", tone: "info" },
  departed: { label: "Departed", tone: "info" },
  arrived: { label: "Arrived", tone: "info" },
  cancelled: { label: "Cancelled", tone: "bad" },
  diverted: { label: "Diverted", tone: "bad" },
};

export function statusOf(f: Flight) {
  return STATUS[f.status] ?? { label: f.status, tone: "info" as const };
}
