/** Wall-clock time in a zone <-> UTC, without a date library: ops types local times. */

function offsetMs(utcMs: number, timeZone: string): number {
  const parts = new Intl.DateTimeFormat("en-US", { timeZone, hourCycle: "h23", year: "numeric", month: "2-digit", day: "2-digit", hour: "2-digit", minute: "2-digit", second: "2-digit" })
    .formatToParts(new Date(utcMs));
  const n = (t: string) => Number(parts.find((p) => p.type === t)?.value);
  return Date.UTC(n("year"), n("month") - 1, n("day"), n("hour"), n("minute"), n("second")) - Math.floor(utcMs / 1000) * 1000;
}

/** "2026-12-01T08:00" read in `timeZone` -> the UTC instant (ISO). */
export function zonedToUtc(local: string, timeZone: string): string {
  const m = /^(\d{4})-(\d{2})-(\d{2})(?:T(\d{2}):(\d{2}))?$/.exec(local);
  if (!m) throw new Error(`not a local date-time: ${local}`);
  const wall = Date.UTC(+m[1], +m[2] - 1, +m[3], +(m[4] ?? 0), +(m[5] ?? 0));
  let utc = wall - offsetMs(wall, timeZone);
  utc = wall - offsetMs(utc, timeZone); // a second pass settles a DST edge
  return new Date(utc).toISOString();
}

/** The UTC instant -> "YYYY-MM-DDTHH:MM" on the wall clock of `timeZone` (for datetime-local inputs). */
export function utcToZoned(iso: string, timeZone: string): string {
  const ms = Date.parse(iso);
  return new Date(ms + offsetMs(ms, timeZone)).toISOString().slice(0, 16);
}

export function localDate(iso: string, timeZone: string): string {
  return utcToZoned(iso, timeZone).slice(0, 10);
}

export function todayIn(timeZone: string, plusDays = 0): string {
  return localDate(new Date(Date.now() + plusDays * 86400_000).toISOString(), timeZone);
}

export function addDays(date: string, days: number): string {
  return new Date(Date.parse(`${date}T00:00:00Z`) + days * 86400_000).toISOString().slice(0, 10);
}
