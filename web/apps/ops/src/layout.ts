import type { FieldErrors } from "./forms";
import type { SeatLayout } from "./types";

/** A plane's seat layout as the API defines it (gateway/fleet.py SeatLayout): cabins of rows
 * first_row..last_row with seat letters left to right (a space for each aisle), exit rows and
 * blocked seats. The editor keeps each input as typed; `parseLayout` reads it with the API's rules. */
export const MAX_ROW = 200;
export type CabinClass = "vip" | "normal";
export interface CabinDraft { cabin_class: CabinClass; first_row: string; last_row: string; seat_letters: string }
export interface LayoutDraft { cabins: CabinDraft[]; exit_rows: string; blocked_seats: string }

export const NEW_LAYOUT: LayoutDraft = {
  cabins: [
    { cabin_class: "vip", first_row: "1", last_row: "2", seat_letters: "AC DF" },
    { cabin_class: "normal", first_row: "10", last_row: "34", seat_letters: "ABC DEF" },
  ],
  exit_rows: "12, 13",
  blocked_seats: "",
};

export function draftOf(l: { cabins: { cabin_class: string; first_row: number; last_row: number; seat_letters: string }[]; exit_rows: number[]; blocked_seats: string[] }): LayoutDraft {
  return {
    cabins: l.cabins.map((c) => ({ cabin_class: c.cabin_class === "vip" ? "vip" : "normal", first_row: String(c.first_row), last_row: String(c.last_row), seat_letters: c.seat_letters })),
    exit_rows: l.exit_rows.join(", "),
    blocked_seats: l.blocked_seats.join(", "),
  };
}

const words = (s: string) => s.split(/[\s,;]+/).map((w) => w.trim().toUpperCase()).filter(Boolean);
const rowOk = (s: string) => /^\d{1,3}$/.test(s.trim()) && Number(s) >= 1 && Number(s) <= MAX_ROW;

/** The layout to send and the errors by the API's field paths (so that the API's own refusals
 * land on the same fields). Cabins with an error are left out of the layout (and the preview). */
export function parseLayout(d: LayoutDraft): { layout: SeatLayout; errors: FieldErrors } {
  const errors: FieldErrors = {};
  const cabins: SeatLayout["cabins"] = [];
  d.cabins.forEach((c, i) => {
    const at = `layout.cabins.${i}`;
    const letters = c.seat_letters.trim().toUpperCase().replace(/\s+/g, " ");
    let ok = true;
    if (!rowOk(c.first_row)) { errors[`${at}.first_row`] = `A row from 1 to ${MAX_ROW}`; ok = false; }
    if (!rowOk(c.last_row)) { errors[`${at}.last_row`] = `A row from 1 to ${MAX_ROW}`; ok = false; }
    if (ok && Number(c.first_row) > Number(c.last_row)) { errors[`${at}.last_row`] = "The last row must not be before the first"; ok = false; }
    const seats = letters.replace(/ /g, "");
    if (!/^[A-Z]+( [A-Z]+)*$/.test(letters) || letters.length > 20) { errors[`${at}.seat_letters`] = "Letters left to right, a space for each aisle (e.g. ABC DEF)"; ok = false; }
    else if (new Set(seats).size !== seats.length) { errors[`${at}.seat_letters`] = "A letter names two seats"; ok = false; }
    if (ok) cabins.push({ cabin_class: c.cabin_class, first_row: Number(c.first_row), last_row: Number(c.last_row), seat_letters: letters });
  });
  if (!d.cabins.length) errors["layout.cabins"] = "Add a cabin";
  const ordered = [...cabins].sort((a, b) => a.first_row - b.first_row);
  ordered.slice(1).forEach((after, i) => {
    const before = ordered[i];
    if (after.first_row <= before.last_row) errors["layout.cabins"] = `Cabins overlap at rows ${after.first_row}-${Math.min(before.last_row, after.last_row)}: a seat would exist twice`;
  });
  const exits = words(d.exit_rows);
  const badExit = exits.filter((r) => !rowOk(r));
  if (badExit.length) errors["layout.exit_rows"] = `Not a row from 1 to ${MAX_ROW}: ${badExit.join(", ")}`;
  const blocked = words(d.blocked_seats);
  const onPlane = new Set(seatRows({ cabins, exit_rows: [], blocked_seats: [] }).flatMap((r) => r.groups.flat().map((s) => s.seat)));
  const badSeat = blocked.filter((s) => !/^[1-9][0-9]{0,2}[A-Z]$/.test(s) || !onPlane.has(s));
  if (badSeat.length) errors["layout.blocked_seats"] = `Not a seat of this layout: ${badSeat.join(", ")}`;
  else if (new Set(blocked).size !== blocked.length) errors["layout.blocked_seats"] = "A seat is listed twice";
  return {
    layout: { cabins, exit_rows: [...new Set(exits.filter(rowOk).map(Number))].sort((a, b) => a - b), blocked_seats: [...new Set(blocked)] },
    errors,
  };
}

export interface SeatRow { row: number; cabin: string; exit: boolean; groups: { seat: string; blocked: boolean }[][] }

/** Row by row, front to back: each row's seats in groups between the aisles. */
export function seatRows(l: SeatLayout): SeatRow[] {
  const blocked = new Set(l.blocked_seats ?? []);
  const exits = new Set(l.exit_rows ?? []);
  return [...l.cabins].sort((a, b) => a.first_row - b.first_row).flatMap((c) =>
    Array.from({ length: c.last_row - c.first_row + 1 }, (_, k) => {
      const row = c.first_row + k;
      return { row, cabin: c.cabin_class, exit: exits.has(row), groups: c.seat_letters.split(" ").map((g) => [...g].map((ch) => ({ seat: `${row}${ch}`, blocked: blocked.has(`${row}${ch}`) }))) };
    }));
}

/** Sellable seats per cabin class (blocked seats left out), as the API's `capacity` counts them. */
export function capacityOf(l: SeatLayout): Record<string, number> {
  const out: Record<string, number> = {};
  for (const r of seatRows(l)) out[r.cabin] = (out[r.cabin] ?? 0) + r.groups.flat().filter((s) => !s.blocked).length;
  return out;
}

export const capacityText = (c: Record<string, number>) => Object.entries(c).map(([k, n]) => `${n} ${k}`).join(", ") || "no seats";
