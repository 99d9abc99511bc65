import { formatMoney, type Booking } from "@airline/ui";

/** What cancelling one passenger gives back, by the fare rules kept at booking. */
export function refundRule(b: Booking): string {
  const legs = b.legs as { refundable?: boolean; change_fee?: number }[];
  if (!legs.length || !legs.every((l) => l.refundable)) {
    return "This fare is non-refundable: nothing is refunded for the cancelled passenger.";
  }
  const fees = legs.reduce((n, l) => n + Number(l.change_fee ?? 0), 0);
  return fees > 0
    ? `Refundable fare: the passenger's share of what was paid comes back to the card, less ${formatMoney(fees, b.currency)} in fees.`
    : "Refundable fare: the passenger's share of what was paid comes back to the card.";
}

/** The local date (YYYY-MM-DD) of an instant in a time zone: what a date picker shows. */
export function localDay(iso: string | null | undefined, timeZone = "UTC"): string {
  if (!iso) return "";
  return new Intl.DateTimeFormat("en-CA", { timeZone }).format(new Date(iso));
}

/** The last name a guest reaches the booking with, after a passenger's name was corrected: the
 * corrected one when the old one was it (the old name no longer finds the booking). */
export function lookupNameAfter(lastName: string | undefined, renamed?: { from: string; to: string }): string | undefined {
  if (!lastName || !renamed) return lastName;
  return renamed.from.trim().toLowerCase() === lastName.trim().toLowerCase() ? renamed.to : lastName;
}
