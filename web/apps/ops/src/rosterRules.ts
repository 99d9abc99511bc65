/** The crew roster run's request, from what ops picks: local days of a base (or of the home airport). */
import type { components } from "@airline/ui";
import { addDays, zonedToUtc } from "./time";

type S = components["schemas"];
export type RosterIn = S["RosterIn"];
export type RosterRun = S["RosterRun"];
export type RosterFlight = S["RosterFlight"];

/** The API takes at most 31 days after `from` (gateway routes/crew_roster.py). */
export const MAX_ROSTER_DAYS = 31;

export interface RosterForm { first: string; last: string; base: string }

/** Inline errors, or the body of POST /crew/roster: [first day 00:00, the day after the last) local. */
export function rosterRequest(form: RosterForm, timeZone: string, dryRun: boolean): { errors: Partial<Record<keyof RosterForm, string>>; body: RosterIn | null } {
  const errors: Partial<Record<keyof RosterForm, string>> = {};
  if (!form.first) errors.first = "Choose the first day";
  if (!form.last) errors.last = "Choose the last day";
  else if (form.first && form.last < form.first) errors.last = "The last day comes on or after the first";
  else if (form.first && addDays(form.first, MAX_ROSTER_DAYS) < addDays(form.last, 1)) errors.last = `At most ${MAX_ROSTER_DAYS} days in one run`;
  if (Object.keys(errors).length) return { errors, body: null };
  return {
    errors,
    body: { from: zonedToUtc(form.first, timeZone), to: zonedToUtc(addDays(form.last, 1), timeZone), dry_run: dryRun, ...(form.base ? { base: form.base } : {}) },
  };
}

export const roleName = (role: string) => role.replace(/_/g, " ");

/** The query of GET /crew/roster for local days [first, last] of a zone, or why not. */
export function rosterViewQuery(first: string, last: string, timeZone: string): { qs: string; error: string | null } {
  if (!first || !last) return { qs: "", error: "Choose both days" };
  if (last < first) return { qs: "", error: "The last day comes on or after the first" };
  if (addDays(first, MAX_ROSTER_DAYS) < addDays(last, 1)) return { qs: "", error: `At most ${MAX_ROSTER_DAYS} days` };
  return { qs: new URLSearchParams({ from: zonedToUtc(first, timeZone), to: zonedToUtc(addDays(last, 1), timeZone) }).toString(), error: null };
}
