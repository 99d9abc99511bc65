import type { Announcement, Flight } from "@airline/ui";

export type Direction = "departures" | "arrivals";

export interface BoardState {
  airport: string;
  direction: Direction;
  timeZone: string;
  flights: Flight[];
  announcements: Announcement[];
}

export const emptyBoard = (airport: string, direction: Direction = "departures"): BoardState => ({ airport, direction, timeZone: "UTC", flights: [], announcements: [] });

/** The board's order: departures by scheduled departure, arrivals by scheduled arrival. */
const when = (direction: Direction) => (f: Flight) => (direction === "arrivals" ? f.scheduled_arrival : f.scheduled_departure) ?? "";
const byTime = (direction: Direction, flights: Flight[]) => { const w = when(direction); return flights.sort((a, b) => w(a).localeCompare(w(b))); };

/** A snapshot replaces everything (a reconnect starts with a fresh one). */
export function fromSnapshot(s: { airport: string; time_zone: string; direction?: string; flights: Flight[]; announcements?: Announcement[] }): BoardState {
  const direction: Direction = s.direction === "arrivals" ? "arrivals" : "departures";
  return { airport: s.airport, direction, timeZone: s.time_zone, flights: byTime(direction, [...s.flights]), announcements: newestFirst(s.announcements ?? []) };
}

/** A flight event carries the flight's full state: an older version never overwrites a newer one. */
export function applyFlight(state: BoardState, flight: Flight): BoardState {
  const current = state.flights.find((f) => f.id === flight.id);
  if (current && (current.version ?? 0) > (flight.version ?? 0)) return state;
  const flights = current ? state.flights.map((f) => (f.id === flight.id ? flight : f)) : [...state.flights, flight];
  return { ...state, flights: byTime(state.direction, flights) };
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

// On an arrivals board a departed flight is on its way here, and a diverted one may be coming here instead.
const ARRIVING: Record<string, { label: string; tone: "ok" | "warn" | "bad" | "info" }> = {
  boarding: { label: "Boarding", tone: "info" },
  departed: { label: "In the air", tone: "info" },
  arrived: { label: "Landed", tone: "ok" },
};

export function statusOf(f: Flight, direction: Direction = "departures", airport = "") {
  if (direction === "arrivals") {
    if (f.status === "diverted" && f.diverted_to && f.diverted_to === airport) return { label: "Diverted here", tone: "warn" as const };
    const s = ARRIVING[f.status];
    if (s) return s;
  }
  return STATUS[f.status] ?? { label: f.status, tone: "info" as const };
}
