import { isApiError, type AncillaryRequest, type Ancillaries, type BagAllowance } from "@airline/ui";
import { paymentError } from "./PaymentForm";

/** One passenger on one leg: the unit bags and meals are sold by. */
export const slot = (x: { flight_id: string; passenger_id: string }) => `${x.flight_id}|${x.passenger_id}`;

/** What the passenger picked so far: extra pieces to add and a meal code, by slot. */
export interface ExtrasPicks { bags: Record<string, number>; meals: Record<string, string> }
export const noPicks = (): ExtrasPicks => ({ bags: {}, meals: {} });

/** How many more pieces can still be bought for a slot (the server counts those held already;
 * none for an infant on a lap). */
export const piecesLeft = (b: BagAllowance) => Math.max(0, b.max_extra_pieces);

/** One more (or one fewer) piece for a slot, kept within 0..piecesLeft. */
export function stepBag(picks: ExtrasPicks, b: BagAllowance, by: number): ExtrasPicks {
  const n = Math.min(piecesLeft(b), Math.max(0, (picks.bags[slot(b)] ?? 0) + by));
  return { ...picks, bags: { ...picks.bags, [slot(b)]: n } };
}

export function pickMeal(picks: ExtrasPicks, s: { flight_id: string; passenger_id: string }, code: string): ExtrasPicks {
  return { ...picks, meals: { ...picks.meals, [slot(s)]: code } };
}

/** The body of the quote: only what was picked (pieces >= 1, a meal chosen and not bought yet). */
export function extrasRequest(offer: Ancillaries, picks: ExtrasPicks): Required<AncillaryRequest> {
  const ordered = new Set(offer.meal_orders.map(slot));
  const menu = new Set(offer.meals.map((m) => m.code));
  return {
    bags: offer.bags.filter((b) => (picks.bags[slot(b)] ?? 0) > 0)
      .map((b) => ({ flight_id: b.flight_id, passenger_id: b.passenger_id, extra_pieces: picks.bags[slot(b)] })),
    meals: offer.bags.filter((b) => !ordered.has(slot(b)) && menu.has(picks.meals[slot(b)] ?? ""))
      .map((b) => ({ flight_id: b.flight_id, passenger_id: b.passenger_id, code: picks.meals[slot(b)] })),
  };
}

export const isEmpty = (r: Required<AncillaryRequest>) => r.bags.length + r.meals.length === 0;

/** The price of what was picked, from the prices shown (the quote has the last word). */
export function estimate(offer: Ancillaries, picks: ExtrasPicks): number {
  const r = extrasRequest(offer, picks);
  const price = Object.fromEntries(offer.meals.map((m) => [m.code, m.price]));
  const piece = Object.fromEntries(offer.bags.map((b) => [slot(b), b.piece_price]));
  return r.bags.reduce((t, b) => t + b.extra_pieces * (piece[slot(b)] ?? 0), 0) + r.meals.reduce((t, m) => t + (price[m.code] ?? 0), 0);
}

/** A purchase refused by the server, in words a passenger can act on. */
export function extrasError(err: unknown): string {
  if (isApiError(err) && err.code === "sales_closed") return "Bags and meals can no longer be bought online for this trip. Extra bags can still be paid at the airport desk.";
  if (isApiError(err) && (err.code === "quote_stale" || err.code === "quote_expired")) return "Your booking or the prices changed since this quote, or it expired. Please review your extras again.";
  if (isApiError(err) && err.code === "payment_declined") return `Payment declined: ${err.message}. Nothing was bought; try another card.`;
  if (isApiError(err) && err.code === "booking_state") return "Extras can only be added to a confirmed booking.";
  if (isApiError(err) && err.status === 422) return `${err.message} Please check your choice.`;
  return paymentError(err, "Nothing was bought");
}
