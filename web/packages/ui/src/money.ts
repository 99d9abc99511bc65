/** Money is integer minor units + an ISO currency; only the UI turns it into text. */
export function formatMoney(minor: number, currency: string, locale = "en-SG"): string {
  // the ISO code, not "$": a passenger in Bangkok paying in SGD must not guess which dollar
  const format = new Intl.NumberFormat(locale, { style: "currency", currency, currencyDisplay: "code" });
  const digits = format.resolvedOptions().maximumFractionDigits ?? 2;
  return format.format(minor / 10 ** digits).replace(/\u00a0/g, " ");
}

/** A UTC instant shown in an airport's own time zone (boards and tickets speak local time). */
export function formatLocalTime(iso: string | null | undefined, timeZone: string): string {
  if (!iso) return "—";
  return new Intl.DateTimeFormat("en-GB", { hour: "2-digit", minute: "2-digit", hour12: false, timeZone }).format(new Date(iso));
}

export function formatLocalDate(iso: string | null | undefined, timeZone: string): string {
  if (!iso) return "—";
  return new Intl.DateTimeFormat("en-GB", { weekday: "short", day: "numeric", month: "short", timeZone }).format(new Date(iso));
}
