/** Who is still on a booking, and how much a name correction changes (issue 15). */
import type { Booking, BookingPassenger } from "./api";

/** At most this many letters of a name may change in a free correction (the server decides). */
export const NAME_LETTERS = 3;

/** Case- and accent-insensitive, spaces single (Müller = muller), as the booking service compares. */
const plain = (s: string) => s.normalize("NFKD").replace(/\p{M}/gu, "").toLowerCase().split(/\s+/).filter(Boolean).join(" ");

/** Damerau-Levenshtein (optimal string alignment): an insertion, a deletion, a substitution or
 * a swap of two adjacent letters counts one. */
export function editDistance(a: string, b: string): number {
  let prev2: number[] = [];
  let prev = Array.from({ length: b.length + 1 }, (_, j) => j);
  for (let i = 1; i <= a.length; i++) {
    const row = [i];
    for (let j = 1; j <= b.length; j++) {
      row[j] = Math.min(prev[j] + 1, row[j - 1] + 1, prev[j - 1] + (a[i - 1] === b[j - 1] ? 0 : 1));
      if (i > 1 && j > 1 && a[i - 1] === b[j - 2] && a[i - 2] === b[j - 1]) row[j] = Math.min(row[j], prev2[j - 2] + 1);
    }
    prev2 = prev; prev = row;
  }
  return prev[b.length];
}

/** Letters changed between two names, first and last name together, case and accents ignored. */
export function nameLetters(from: { first_name: string; last_name: string }, to: { first_name: string; last_name: string }): number {
  return editDistance(plain(from.first_name), plain(to.first_name)) + editDistance(plain(from.last_name), plain(to.last_name));
}

export const isCancelled = (p: BookingPassenger) => p.cancelled === true;
export const activePassengers = (b: Booking) => b.passengers.filter((p) => !isCancelled(p));

/** Who leaves with a passenger: the passenger and the infant on their lap. */
export const leavingWith = (b: Booking, p: BookingPassenger) =>
  activePassengers(b).filter((o) => o.id === p.id || (o.type === "infant" && o.infant_of === p.id));

/** "Cancel this passenger" is offered on a confirmed booking while someone stays on it (the
 * server also refuses leaving children without an adult, and legs already flown). */
export function canCancelPassenger(b: Booking, p: BookingPassenger): boolean {
  if (b.state !== "confirmed" || isCancelled(p)) return false;
  const leaving = new Set(leavingWith(b, p).map((o) => o.id));
  return activePassengers(b).some((o) => !leaving.has(o.id));
}
