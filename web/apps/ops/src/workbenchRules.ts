import type { BookingSearch } from "@airline/ui";

/** The criteria as typed: at least one, a date only with a flight; the PNR or name goes in `q`. */
export function searchCriteria(form: { q: string; email: string; phone: string; flight: string; date: string }): BookingSearch | string {
  const c: BookingSearch = { q: form.q.trim(), email: form.email.trim(), phone: form.phone.trim(), flight: form.flight.trim().toUpperCase(), date: form.date };
  if (!c.q && !c.email && !c.phone && !c.flight) return "Enter a name or PNR, an e-mail, a phone number or a flight";
  if (c.date && !c.flight) return "A departure date narrows a flight: enter the flight number too";
  return c;
}

/** An instant in UTC, to the second: the desk compares it with calls and e-mails. */
export const historyTime = (iso: string) => `${iso.slice(0, 10)} ${iso.slice(11, 19)} UTC`;

export const stateTone = (s: string): "success" | "warning" | "danger" | undefined =>
  s === "confirmed" ? "success" : s === "cancelled" || s === "expired" ? "danger" : "warning";

/** How many minor units a currency has (2 for SGD, 0 for JPY). */
export const minorDigits = (currency: string) => {
  try { return new Intl.NumberFormat("en", { style: "currency", currency }).resolvedOptions().maximumFractionDigits ?? 2; } catch { return 2; }
};

/** An amount typed in major units ("12.50") as minor units, or why it is not one. */
export function parseAmount(text: string, currency: string, max?: number): number | string {
  const digits = minorDigits(currency);
  const t = text.trim().replace(/,/g, "");
  const shape = digits ? new RegExp(`^\\d+(\\.\\d{1,${digits}})?$`) : /^\d+$/;
  if (!shape.test(t)) return digits ? `Enter an amount like 12.50 (at most ${digits} decimals)` : "Enter a whole amount";
  const minor = Math.round(Number(t) * 10 ** digits);
  if (minor <= 0) return "The amount must be more than zero";
  if (max !== undefined && minor > max) return `At most ${(max / 10 ** digits).toFixed(digits)} ${currency}`;
  return minor;
}

/** A minor-unit amount as the major-unit text a field starts with. */
export const amountText = (minor: number, currency: string) => { const d = minorDigits(currency); return (minor / 10 ** d).toFixed(d); };

/** Problem+json's per-field errors (`errors: [{field: "body.amount", message}]`) by the field's last name. */
export function fieldErrors(e: unknown): Record<string, string> {
  const body = (e as { body?: { errors?: { field?: string; message?: string }[] } } | null)?.body;
  const out: Record<string, string> = {};
  for (const err of body?.errors ?? []) {
    const name = (err.field ?? "").split(".").pop() ?? "";
    if (name && err.message && !out[name]) out[name] = err.message;
  }
  return out;
}

/** The staff actions a payment allows now, as the payment service does. */
export function paymentActions(p: { status: string; method: string; captured_amount?: number; refunded_amount?: number }) {
  const refundable = (p.captured_amount ?? 0) - (p.refunded_amount ?? 0);
  return {
    refund: (p.status === "captured" || p.status === "partially_refunded") && refundable > 0,
    refundable,
    void: p.status === "authorised",
    confirmTransfer: p.method === "bank_transfer" && p.status === "pending",
  };
}

export const paymentTone = (s: string): "success" | "warning" | "danger" | undefined =>
  s === "captured" || s === "authorised" ? "success" : s === "failed" || s === "voided" ? "danger" : "warning";
