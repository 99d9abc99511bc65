import type { BookingSearch } from "@airline/ui";

/** The criteria as typed: at least one, a date only with a flight; the PNR or name goes in `q`. */
export function searchCriteria(form: { q: string; email: string; phone: string; flight: string; date: string }): BookingSearch | string {
  const c: BookingSearch = { q: form.q.trim(), email: form.email.trim(), phone: form.phone.trim(), flight: form.flight.trim().toUpperCase(), date: form.date };
  if (!c.q && !c.email && !c.phone && !c.flight) return "Enter a name or PNR, an e-mail, a phone number or a flight";
  if (c.date && !c.flight) return "A departure date narrows a flight: enter the flight number too";
  return c;
}

export const stateTone = (s: string): "success" | "warning" | "danger" | undefined =>
  s === "confirmed" ? "success" : s === "cancelled" || s === "expired" ? "danger" : "warning";
