/** After the sale (issue 15): voluntary changes, partial cancellation, name correction, the
 * booking's history and customer service's search, over the same client (auth, problem+json).
 * A booking is reached as elsewhere: the signed-in owner or staff (bearer), the manage token
 * (X-Manage-Token) or a guest's PNR + last name (query). Staff acting on a booking give a
 * reason (X-Airline-Reason, 3..500 characters); it lands in the booking's history. */
import type {
  Ancillaries, AncillaryQuote, AncillaryRequest, Api, Booking, BookingHistory, BookingSearch, ChangeOptions, ChangeQuote,
  ConfirmationResent, PaymentIn, Receipt, SearchHit,
} from "./api";

/** The Booking as the service answers it (contact, refunded amount, cancel reason included). */
export type ServicedBooking = Booking;
/** A booking with the EMDs of the extras bought after the sale. */
export type BookingWithExtras = Booking;

export interface BookingAccess { token?: string | null; pnr?: string; lastName?: string; reason?: string }

/** A staff reason is 3..500 characters once trimmed. */
export const REASON_MIN = 3;
export const REASON_MAX = 500;
export const reasonOk = (reason: string | undefined) => { const n = (reason ?? "").trim().length; return n >= REASON_MIN && n <= REASON_MAX; };

const query = (q: Record<string, string | number | null | undefined>) => {
  const s = new URLSearchParams(Object.entries(q).filter(([, v]) => v !== undefined && v !== null && v !== "").map(([k, v]) => [k, String(v)])).toString();
  return s ? `?${s}` : "";
};

/** The headers and query string that reach a booking (and carry a staff reason). */
export function accessOf(a: BookingAccess = {}, extra: Record<string, string | number | undefined> = {}) {
  const headers: Record<string, string> = {};
  if (a.token) headers["X-Manage-Token"] = a.token;
  if (a.reason && a.reason.trim()) headers["X-Airline-Reason"] = a.reason.trim();
  return { headers, query: query({ ...extra, pnr: a.pnr, last_name: a.pnr ? a.lastName : undefined }) };
}

const key = () => globalThis.crypto?.randomUUID?.() ?? `${Date.now()}-${Math.random().toString(16).slice(2)}`;

/** The routes of issue 15 on top of an Api (createApi): one object per screen is enough. */
export function serviceApi(api: Api) {
  const path = (id: string, rest: string) => `/bookings/${encodeURIComponent(id)}${rest}`;
  const send = <T>(method: string, id: string, rest: string, a: BookingAccess, body?: unknown, extra: Record<string, string> = {}) => {
    const { headers, query: q } = accessOf(a);
    return api.request<T>(method, `${path(id, rest)}${q}`, body, { ...headers, ...extra });
  };
  return {
    changeOptions: (id: string, leg: number, date: string, a: BookingAccess = {}) => {
      const { headers, query: q } = accessOf(a, { leg, date });
      return api.request<ChangeOptions>("GET", `${path(id, "/changes/options")}${q}`, undefined, headers);
    },
    quoteChange: (id: string, legs: { leg: number; flight_id: string }[], a: BookingAccess = {}) =>
      send<ChangeQuote>("POST", id, "/changes/quote", a, { legs }),
    /** Pays what the quote says is due (`payment` null when nothing is), reissues tickets and seats. */
    applyChange: (id: string, quoteId: string, payment: PaymentIn | null, a: BookingAccess = {}, idempotencyKey: string = key()) =>
      send<Booking>("POST", id, "/changes", a, { quote_id: quoteId, payment }, { "Idempotency-Key": idempotencyKey }),
    cancelPassenger: (id: string, passengerId: string, a: BookingAccess = {}, reason?: string) =>
      send<Booking>("POST", id, `/passengers/${encodeURIComponent(passengerId)}/cancel`, a, reason ? { reason } : {}),
    correctName: (id: string, passengerId: string, name: { first_name: string; last_name: string }, a: BookingAccess = {}) =>
      send<Booking>("POST", id, `/passengers/${encodeURIComponent(passengerId)}/name-correction`, a, name),
    cancelBooking: (id: string, a: BookingAccess = {}) => send<Booking>("POST", id, "/cancel", a, {}),
    history: (id: string, a: BookingAccess = {}) => send<BookingHistory>("GET", id, "/history", a),
    resendConfirmation: (id: string, a: BookingAccess = {}) =>
      send<ConfirmationResent>("POST", id, "/confirmation/resend", a, {}),
    booking: (id: string, a: BookingAccess = {}) => send<Booking>("GET", id, "", a),
    /** Bags and meals that can be bought now (and what was), per passenger and leg. */
    ancillaries: (id: string, a: BookingAccess = {}) => send<Ancillaries>("GET", id, "/ancillaries", a),
    quoteAncillaries: (id: string, items: AncillaryRequest, a: BookingAccess = {}) => send<AncillaryQuote>("POST", id, "/ancillaries/quote", a, items),
    /** Pays a quote of extras (the body of /pay); the booking answered lists the EMDs issued. */
    buyAncillaries: (id: string, quoteId: string, payment: PaymentIn, a: BookingAccess = {}, idempotencyKey: string = key()) =>
      send<BookingWithExtras>("POST", id, "/ancillaries", a, { quote_id: quoteId, payment }, { "Idempotency-Key": idempotencyKey }),
    receipt: (id: string, a: BookingAccess = {}) => send<Receipt>("GET", id, "/receipt", a),
    searchBookings: (q: BookingSearch) => api.request<{ bookings: SearchHit[] }>("GET", `/bookings/search${query({ ...q })}`),
  };
}

export type ServiceApi = ReturnType<typeof serviceApi>;
