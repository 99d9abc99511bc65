/** A typed client for the gateway's REST API (/api/v1). Errors come back as problem+json and
 * are raised as ApiError with the server's own message, so screens can show it as is. */

import type {
  Airport, Bag, BagDrop, BagPage, BoardingPass, Booking, CheckInIn, CheckInOut, Compensation, CompensationClaimIn, ContactIn, DelayIn,
  Flight, FlightPassengers, FlightQuery, LuggageIn, Manifest, NoShows, Offers, PassengerIn, PassengerQuery, PayMethod,
  ReaccommodationDeclineIn, SearchQuery, SeatChangeIn, SeatMap, SeatsIn, Token, User, Verification, Voucher,
} from "./types";

export * from "./types";

export class ApiError extends Error {
  constructor(readonly status: number, message: string, readonly code?: string, readonly body?: unknown) {
    super(message);
    this.name = "ApiError";
  }
}

/** An ApiError from any copy of this package: inside the shell a remote's `ApiError` is another
 * class than the one the shell's Api throws (each bundle has its own @airline/ui), so
 * `instanceof ApiError` is false there; the name and status say it. */
export function isApiError(e: unknown): e is ApiError {
  return e instanceof ApiError || (e instanceof Error && e.name === "ApiError" && typeof (e as Partial<ApiError>).status === "number");
}

export interface ApiOptions {
  /** Where /api/v1 lives; "" means the page's own origin (the gateway serves the UI too). */
  baseUrl?: string;
  /** The signed-in user's bearer token, read at each call (it lives in memory only). */
  getToken?: () => string | null | undefined;
  fetch?: typeof fetch;
  /** A call that carried a token got 401 (it expired): the shell refreshes the session and
   * answers the new token (the call is retried once with it), or null (the 401 stands). */
  onUnauthorized?: () => Promise<string | null | undefined>;
}

function newKey(): string {
  return globalThis.crypto?.randomUUID?.() ?? `${Date.now()}-${Math.random().toString(16).slice(2)}`;
}

export function createApi(options: ApiOptions = {}) {
  const base = `${options.baseUrl ?? ""}/api/v1`;
  const doFetch = options.fetch ?? ((...a: Parameters<typeof fetch>) => fetch(...a));

  async function call<T>(method: string, path: string, init: { body?: unknown; headers?: Record<string, string>; accept?: number[] } = {}): Promise<{ status: number; data: T }> {
    const send = (token: string | null | undefined) => {
      const headers: Record<string, string> = { Accept: "application/json", ...init.headers };
      if (token) headers.Authorization = `Bearer ${token}`;
      if (init.body !== undefined) headers["Content-Type"] = "application/json";
      return doFetch(`${base}${path}`, { method, headers, body: init.body === undefined ? undefined : JSON.stringify(init.body) });
    };
    const token = options.getToken?.();
    let res = await send(token);
    if (res.status === 401 && token && options.onUnauthorized && !path.startsWith("/auth/")) {
      const fresh = await options.onUnauthorized();
      if (fresh) res = await send(fresh);
    }
    const text = await res.text();
    let data: unknown = undefined;
    try { data = text ? JSON.parse(text) : undefined; } catch { data = text; }
    if (!res.ok && !(init.accept ?? []).includes(res.status)) {
      const p = (data ?? {}) as { detail?: unknown; title?: string; code?: string; errors?: { field?: string; message?: string }[] };
      let message = typeof p.detail === "string" ? p.detail : p.title || `request failed (${res.status})`;
      if (Array.isArray(p.errors) && p.errors.length) message = p.errors.map((e) => [e.field, e.message].filter(Boolean).join(": ")).join("; ");
      throw new ApiError(res.status, message, p.code, data);
    }
    return { status: res.status, data: data as T };
  }
  const get = async <T>(path: string, headers?: Record<string, string>) => (await call<T>("GET", path, { headers })).data;
  const manage = (token?: string | null): Record<string, string> => (token ? { "X-Manage-Token": token } : {});
  const qs = (q: Record<string, string | number | null | undefined>) =>
    new URLSearchParams(Object.entries(q).filter(([, v]) => v !== undefined && v !== null && v !== "").map(([k, v]) => [k, String(v)])).toString();

  return {
    /** Any other route, with the same auth and problem+json handling (staff screens wrap it). */
    request: <T>(method: string, path: string, body?: unknown, headers?: Record<string, string>) =>
      call<T>(method, path, { body, headers }).then((r) => r.data),
    login: async (email: string, password: string) => (await call<Token>("POST", "/auth/login", { body: { email, password } })).data,
    /** A passenger account; sign in afterwards (login sets the session cookie). */
    signup: async (email: string, password: string, fullName: string) =>
      (await call<User>("POST", "/auth/signup", { body: { email, password, full_name: fullName } })).data,
    /** The session cookie (HttpOnly, set at login) for a new access token; 401 when there is no session. */
    refresh: async () => (await call<Token>("POST", "/auth/refresh")).data,
    /** End the session: the cookie is revoked and cleared. */
    logout: async () => { await call<void>("POST", "/auth/logout"); },
    me: () => get<User>("/auth/me"),
    airports: () => get<{ airports: Airport[] }>("/airports"),
    search: (q: SearchQuery) => get<Offers>(`/search?${qs({ ...q })}`),
    flight: (id: string) => get<Flight>(`/flights/${encodeURIComponent(id)}`),
    flights: (q: FlightQuery) => get<{ flights: Flight[] }>(`/flights?${qs(q)}`),
    delay: async (id: string, body: DelayIn) =>
      (await call<Flight>("POST", `/flights/${encodeURIComponent(id)}/delay`, { body })).data,
    seatMap: (flightId: string) => get<SeatMap>(`/flights/${encodeURIComponent(flightId)}/seats`),
    createBooking: async (offerId: string) =>
      (await call<Booking>("POST", "/bookings", { body: { offer_id: offerId }, headers: { "Idempotency-Key": newKey() } })).data,
    booking: (id: string, token?: string | null) => get<Booking>(`/bookings/${encodeURIComponent(id)}`, manage(token)),
    myBookings: () => get<{ bookings: Booking[] }>("/bookings"),
    lookup: (pnr: string, lastName: string) => get<Booking>(`/bookings/lookup?${qs({ pnr, last_name: lastName })}`),
    setPassengers: async (id: string, token: string | null, passengers: PassengerIn[], contact: ContactIn) =>
      (await call<Booking>("PUT", `/bookings/${id}/passengers`, { body: { passengers, contact }, headers: manage(token) })).data,
    setSeats: async (id: string, token: string | null, flightId: string, seats: SeatsIn["seats"]) =>
      (await call<Booking>("PUT", `/bookings/${id}/seats`, { body: { flight_id: flightId, seats }, headers: manage(token) })).data,
    /** The cabin has no free seat for the party: one of its overbooking places per passenger (409 `overbooking_full` when none). */
    seatsAtAirport: async (id: string, token: string | null, flightId: string) =>
      (await call<Booking>("PUT", `/bookings/${id}/seats`, { body: { flight_id: flightId, seat_at_airport: true }, headers: manage(token) })).data,
    setLuggage: async (id: string, token: string | null, bags: LuggageIn["bags"]) =>
      (await call<Booking>("PUT", `/bookings/${id}/luggage`, { body: { bags }, headers: manage(token) })).data,
    /** "Keep my seats": the draft and its seat holds live 10 minutes longer (409 `keep_limit` 45 minutes after it was made). */
    keepSeats: async (id: string, token: string | null) =>
      (await call<Booking>("POST", `/bookings/${id}/keep`, { headers: manage(token) })).data,
    /** 200 confirmed, 202 waiting for a 3-D Secure code; a decline (402) is raised as ApiError. */
    pay: async (id: string, token: string | null, method: PayMethod | null, idempotencyKey: string = newKey(), voucher?: { code: string; amount?: number }) =>
      call<Booking>("POST", `/bookings/${id}/pay`, { body: { ...(method ? { method } : {}), ...(voucher ? { voucher } : {}) }, headers: { ...manage(token), "Idempotency-Key": idempotencyKey } }),
    /** A voucher's balance (signed in; the code is the voucher: keep it secret). */
    voucher: (code: string) => get<Voucher>(`/vouchers/${encodeURIComponent(code)}`),
    challenge: async (id: string, token: string | null, code: string) =>
      call<Booking>("POST", `/bookings/${id}/pay/challenge`, { body: { code }, headers: manage(token) }),
    changeSeat: async (id: string, access: { token?: string | null; pnr?: string; lastName?: string }, change: SeatChangeIn) =>
      (await call<Booking>("POST", `/bookings/${id}/seat-change?${qs({ pnr: access.pnr, last_name: access.lastName })}`, { body: change, headers: manage(access.token) })).data,
    cancel: async (id: string, access: { token?: string | null; pnr?: string; lastName?: string }) =>
      (await call<Booking>("POST", `/bookings/${id}/cancel?${qs({ pnr: access.pnr, last_name: access.lastName })}`, { body: {}, headers: manage(access.token) })).data,
    /** Accept the proposal (option 0) or an alternative: the owner, the manage token, or a guest's PNR + last name. */
    acceptReaccommodation: async (id: string, option: number, access: { token?: string | null; pnr?: string; lastName?: string } = {}) =>
      (await call<Booking>("POST", `/bookings/${encodeURIComponent(id)}/reaccommodation/accept?${qs({ pnr: access.pnr, last_name: access.lastName })}`, { body: { option }, headers: manage(access.token) })).data,
    /** Decline: the whole booking back to the card, a voucher worth more (never on a PNR alone), or keep a retimed flight. */
    declineReaccommodation: async (id: string, take: ReaccommodationDeclineIn["take"], access: { token?: string | null; pnr?: string; lastName?: string } = {}) =>
      (await call<Booking>("POST", `/bookings/${encodeURIComponent(id)}/reaccommodation/decline?${qs({ pnr: access.pnr, last_name: access.lastName })}`, { body: { take }, headers: manage(access.token) })).data,
    /** The owner (signed in), the manage token's holder or staff; a PNR + last name is not enough (404). */
    compensation: (id: string, token?: string | null) => get<Compensation>(`/bookings/${encodeURIComponent(id)}/compensation`, manage(token)),
    claimCompensation: async (id: string, method: CompensationClaimIn["method"], token?: string | null) =>
      (await call<Compensation>("POST", `/bookings/${encodeURIComponent(id)}/compensation`, { body: { method }, headers: manage(token) })).data,
    // check-in: a guest online, an agent at the counter and the gate
    checkIn: async (body: CheckInIn, token?: string | null) =>
      (await call<CheckInOut>("POST", "/checkin", { body, headers: manage(token) })).data,
    verifyPassenger: async (q: PassengerQuery) => (await call<Verification>("POST", "/checkin/verify", { body: q })).data,
    counterCheckIn: async (q: PassengerQuery) => (await call<BoardingPass>("POST", "/checkin/check-in", { body: q })).data,
    board: async (q: PassengerQuery) => (await call<BoardingPass>("POST", "/boarding", { body: q })).data,
    flightPassengers: (flightId: string) => get<FlightPassengers>(`/flights/${encodeURIComponent(flightId)}/passengers`),
    noShows: (flightId: string) => get<NoShows>(`/flights/${encodeURIComponent(flightId)}/no-shows`),
    // baggage: the desk drops and charges, anyone with the booking follows a bag
    dropBag: async (body: BagDrop, idempotencyKey: string = newKey()) =>
      (await call<Bag>("POST", "/bags", { body, headers: { "Idempotency-Key": idempotencyKey } })).data,
    payBag: async (bagId: string, method: PayMethod, idempotencyKey: string = newKey()) =>
      (await call<Bag>("POST", `/bags/${encodeURIComponent(bagId)}/payment`, { body: { method }, headers: { "Idempotency-Key": idempotencyKey } })).data,
    manifest: (flightId: string) => get<Manifest>(`/flights/${encodeURIComponent(flightId)}/baggage`),
    bookingBags: (bookingId: string, access: { pnr?: string; lastName?: string } = {}) =>
      get<BagPage>(`/bookings/${encodeURIComponent(bookingId)}/bags?${qs({ pnr: access.pnr, last_name: access.lastName })}`),
    /** An image route of the API (QR code, bag tag) as a same-origin URL with the guest's access in the query. */
    url: (path: string, q: Record<string, string | undefined> = {}) => { const query = qs(q); return `${options.baseUrl ?? ""}${path}${query ? `?${query}` : ""}`; },
    /** The SVG text of an image route that needs the bearer token (an <img> cannot send it). */
    text: async (path: string) => {
      const headers: Record<string, string> = {};
      const token = options.getToken?.();
      if (token) headers.Authorization = `Bearer ${token}`;
      const res = await doFetch(`${options.baseUrl ?? ""}${path}`, { headers });
      if (!res.ok) throw new ApiError(res.status, `request failed (${res.status})`);
      return res.text();
    },
  };
}

export type Api = ReturnType<typeof createApi>;
