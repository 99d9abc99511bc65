/** A typed client for the gateway's REST API (/api/v1). Errors come back as problem+json and
 * are raised as ApiError with the server's own message, so screens can show it as is. */

export type Role = "passenger" | "agent" | "crew" | "ops" | "cs" | "inventory" | "admin";
export type CabinClass = "vip" | "normal";
export type TripType = "one_way" | "round_trip";
export type PassengerType = "adult" | "child" | "infant";

export interface User { id: string; email: string; role: Role; full_name: string }
export interface Token { access_token: string; token_type: string; expires_in: number; user: User }

export interface Flight {
  id: string; number: string; origin: string; destination: string;
  origin_time_zone: string; destination_time_zone: string; plane_id: string; gate: string | null;
  status: string; scheduled_departure: string | null; scheduled_arrival: string | null;
  estimated_departure: string | null; estimated_arrival: string | null; boarding_starts: string | null;
  diverted_to: string | null; delay_code: string | null; status_reason: string | null; version: number;
}

export interface Announcement { id: string; flight_id: string; flight_number: string; airport: string; kind: string; message: string; created_at: string | null }

export interface PriceLine { passenger_type: string; count: number; unit_amount: number; amount: number }
export interface FareRules { [key: string]: unknown }
export interface Offer {
  offer_id: string; legs: { flight: Flight; seats_left: number; rules: FareRules | null }[];
  cabin_class: CabinClass; trip_type: TripType; adults: number; children: number; infants: number;
  breakdown: PriceLine[]; total: number; currency: string; expires_at: string | null;
}

export interface SearchQuery {
  origin: string; destination: string; date: string; return_date?: string; trip_type: TripType;
  adults: number; children: number; infants: number; cabin_class: CabinClass;
}

export interface Seat {
  seat: string; cabin_class: CabinClass; row: number; letter: string; position: "window" | "middle" | "aisle";
  exit_row: boolean; blocked: boolean; state: "free" | "held" | "taken"; mine: boolean;
}
/** `holds_available` false: seat holds are unknown for the moment (taken seats are still right,
 * a seat someone holds shows free) and holding answers 503 with Retry-After until they are back. */
export interface SeatMap {
  flight_id: string; plane_id: string; cancelled: boolean; seats: Seat[]; generated_at: string | null;
  holds_available?: boolean; holds_unavailable_reason?: string | null;
}
export interface SeatsEvent { type: "SeatsHeld" | "SeatsReleased" | "SeatsAssigned"; flight_id: string; seats: string[]; state: Seat["state"]; at?: string }

export interface PassengerIn {
  type: PassengerType; first_name: string; last_name: string; date_of_birth: string;
  document: { type: "passport" | "id"; number: string; issuing_country: string; expiry: string };
  infant_of?: string; meal?: string;
}
export interface BookingLeg { flight_id: string; flight_number?: string; origin?: string; destination?: string; [k: string]: unknown }
export interface BookingPassenger { id: string; type: PassengerType; first_name: string; last_name: string; [k: string]: unknown }
export interface BookingSeat { flight_id: string; passenger_id: string; seat: string; [k: string]: unknown }
export interface Booking {
  id: string; state: string; step: string; pnr: string | null; total: number; currency: string;
  legs: BookingLeg[]; passengers: BookingPassenger[]; seats: BookingSeat[];
  bags: { flight_id: string; passenger_id: string; extra_pieces?: number; fee: number }[];
  tickets: { number?: string; passenger_id?: string; flight_id?: string; [k: string]: unknown }[];
  payment: { status?: string; next_action?: string; failure_code?: string; failure_message?: string; [k: string]: unknown };
  manage_token: string | null; expires_at: string | null;
  /** Set when the airline changed a flight and re-accommodated the booking. */
  reaccommodation?: Reaccommodation | null;
}
/** A re-accommodation proposal (the airline moved the booking's flight): option 0 is the
 * proposal, with seats reserved; the others are alternatives that had room when it was made. */
export interface ReaccommodationFlight {
  flight_id: string; number: string; origin: string; destination: string; departure: string; arrival: string; cabin_class: string;
}
export interface Reaccommodation {
  id: string; booking_id: string; flight_id: string; flight_number: string;
  reason: "cancelled" | "diverted" | "retimed" | "connection_broken" | "aircraft_swap" | string;
  rank: number; state: "reserving" | "proposed" | "accepted" | "applied" | "declining" | "refunded" | "unplaced" | "kept";
  options: { option: number; flights: ReaccommodationFlight[]; seats: { flight_id: string; passenger_id: string; seat: string }[] }[];
  unplaced_reason?: string; deadline?: string; chosen_option?: number; taken?: string;
  refund_amount: number; voucher_amount: number; voucher_code?: string; currency: string;
}
/** What each passenger is owed for a flight the airline cancelled or that arrived late (the
 * booking's compensation policy), and what was already paid. Amounts in minor units. */
export interface CompensationItem {
  passenger_id: string; passenger_name: string; flight_id: string; flight_number: string;
  reason: "cancelled" | "arrival_delay"; explanation: string; policy: string; distance_km: number; delay_minutes: number;
  amount: number; currency: string; status: "due" | "pending" | "paid"; method?: "voucher" | "refund"; reference?: string;
  paid_at?: string;
}
export interface Compensation {
  booking_id: string; policy: string; policy_description: string; currency: string;
  items: CompensationItem[]; total_due: number; total_paid: number;
}
export interface BoardingPass {
  id: string; booking_id: string; passenger_id: string; pnr: string; first_name: string; last_name: string;
  passenger_type: PassengerType; infant_of: string; flight_id: string; flight_number: string; origin: string; destination: string;
  departure: string | null; gate: string; seat: string; cabin_class: string; sequence: number; e_ticket: string; bcbp: string;
  checked_in_at: string | null; boarded_at: string | null; qr_png: string; qr_svg: string;
}
export interface Verification {
  booking_id: string; passenger_id: string; pnr: string; first_name: string; last_name: string; passenger_type: PassengerType;
  infant_of: string; seat: string; flight_id: string; flight_number: string; status: "booked" | "checked_in" | "boarded" | "cancelled";
  flight_matches: boolean; document_checked: boolean; document_matches: boolean; message: string; boarding_pass: BoardingPass | null;
}
/** At the counter or gate: a check-in code or a scanned pass (its BCBP text), for one flight. */
export interface PassengerQuery { flight_id: string; code?: string; bcbp?: string; document_number?: string }
export interface FlightPassenger {
  booking_id: string; passenger_id: string; pnr: string; first_name: string; last_name: string; passenger_type: PassengerType;
  seat: string; status: Verification["status"]; sequence: number | null; checked_in_at: string | null; boarded_at: string | null;
}
export interface NoShows { flight_id: string; gate_closed_at: string | null; not_checked_in: FlightPassenger[]; checked_in_not_boarded: FlightPassenger[] }
export interface TrackingEvent { seq: number; status: string; place: { airport: string; location: string }; at: string | null; recorded_by: string; role: string; event_id: string }
export interface Bag {
  id: string; tag: string | null; status: string; booking_id: string; pnr: string; passenger_id: string; passenger_name: string;
  flight_id: string; flight_number: string; origin: string; destination: string; plane_id: string; plane_registration: string;
  weight_g: number; weight_kg: number; length_cm: number; width_cm: number; height_cm: number; fee: number; currency: string;
  fee_reasons: string[]; payment_id: string; created_at: string | null; accepted_at: string | null; history?: TrackingEvent[];
}
export interface BagDrop { booking_id: string; passenger_id: string; flight_id: string; weight_kg: string; length_cm: number; width_cm: number; height_cm: number; location?: string }
export interface Manifest {
  flight_id: string; flight_number: string; plane_id: string; plane_registration: string; count: number;
  total_weight_g: number; total_weight_kg: number; not_loaded: string[];
  bags: { tag: string; bag_id: string; passenger_name: string; passenger_id: string; pnr: string; weight_g: number; status: string }[];
}
export type PayMethod =
  | { type: "card"; number: string; exp_month: number; exp_year: number; cvc: string; holder?: string }
  | { type: "e_wallet"; provider: "paypal" | "apple_pay" | "google_pay"; account: string };

export class ApiError extends Error {
  constructor(readonly status: number, message: string, readonly code?: string, readonly body?: unknown) {
    super(message);
    this.name = "ApiError";
  }
}

export interface ApiOptions {
  /** Where /api/v1 lives; "" means the page's own origin (the gateway serves the UI too). */
  baseUrl?: string;
  /** The signed-in user's bearer token, read at each call (it lives in memory only). */
  getToken?: () => string | null | undefined;
  fetch?: typeof fetch;
}

function newKey(): string {
  return globalThis.crypto?.randomUUID?.() ?? `${Date.now()}-${Math.random().toString(16).slice(2)}`;
}

export function createApi(options: ApiOptions = {}) {
  const base = `${options.baseUrl ?? ""}/api/v1`;
  const doFetch = options.fetch ?? ((...a: Parameters<typeof fetch>) => fetch(...a));

  async function call<T>(method: string, path: string, init: { body?: unknown; headers?: Record<string, string>; accept?: number[] } = {}): Promise<{ status: number; data: T }> {
    const headers: Record<string, string> = { Accept: "application/json", ...init.headers };
    const token = options.getToken?.();
    if (token) headers.Authorization = `Bearer ${token}`;
    if (init.body !== undefined) headers["Content-Type"] = "application/json";
    const res = await doFetch(`${base}${path}`, { method, headers, body: init.body === undefined ? undefined : JSON.stringify(init.body) });
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
  const qs = (q: Record<string, string | number | undefined>) =>
    new URLSearchParams(Object.entries(q).filter(([, v]) => v !== undefined && v !== "").map(([k, v]) => [k, String(v)])).toString();

  return {
    /** Any other route, with the same auth and problem+json handling (staff screens wrap it). */
    request: <T>(method: string, path: string, body?: unknown, headers?: Record<string, string>) =>
      call<T>(method, path, { body, headers }).then((r) => r.data),
    login: async (email: string, password: string) => (await call<Token>("POST", "/auth/login", { body: { email, password } })).data,
    me: () => get<User>("/auth/me"),
    airports: () => get<{ airports: { code: string; name: string; city?: string; time_zone: string }[] }>("/airports"),
    search: (q: SearchQuery) => get<{ offers: Offer[] }>(`/search?${qs({ ...q })}`),
    flight: (id: string) => get<Flight>(`/flights/${encodeURIComponent(id)}`),
    flights: (q: { airport?: string; direction?: string; number?: string; from?: string; to?: string }) => get<{ flights: Flight[] }>(`/flights?${qs(q)}`),
    delay: async (id: string, body: { new_departure: string; delay_code: string; reason: string }) =>
      (await call<Flight>("POST", `/flights/${encodeURIComponent(id)}/delay`, { body })).data,
    seatMap: (flightId: string) => get<SeatMap>(`/flights/${encodeURIComponent(flightId)}/seats`),
    createBooking: async (offerId: string) =>
      (await call<Booking>("POST", "/bookings", { body: { offer_id: offerId }, headers: { "Idempotency-Key": newKey() } })).data,
    booking: (id: string, token?: string | null) => get<Booking>(`/bookings/${encodeURIComponent(id)}`, manage(token)),
    myBookings: () => get<{ bookings: Booking[] }>("/bookings"),
    lookup: (pnr: string, lastName: string) => get<Booking>(`/bookings/lookup?${qs({ pnr, last_name: lastName })}`),
    setPassengers: async (id: string, token: string | null, passengers: PassengerIn[], contact: { email: string; phone: string }) =>
      (await call<Booking>("PUT", `/bookings/${id}/passengers`, { body: { passengers, contact }, headers: manage(token) })).data,
    setSeats: async (id: string, token: string | null, flightId: string, seats: { passenger_id: string; seat: string }[]) =>
      (await call<Booking>("PUT", `/bookings/${id}/seats`, { body: { flight_id: flightId, seats }, headers: manage(token) })).data,
    setLuggage: async (id: string, token: string | null, bags: { flight_id: string; passenger_id: string; extra_pieces: number }[]) =>
      (await call<Booking>("PUT", `/bookings/${id}/luggage`, { body: { bags }, headers: manage(token) })).data,
    /** 200 confirmed, 202 waiting for a 3-D Secure code; a decline (402) is raised as ApiError. */
    pay: async (id: string, token: string | null, method: PayMethod | null, idempotencyKey: string = newKey(), voucher?: { code: string; amount?: number }) =>
      call<Booking>("POST", `/bookings/${id}/pay`, { body: { ...(method ? { method } : {}), ...(voucher ? { voucher } : {}) }, headers: { ...manage(token), "Idempotency-Key": idempotencyKey } }),
    /** A voucher's balance (signed in; the code is the voucher: keep it secret). */
    voucher: (code: string) => get<{ code: string; amount_issued: number; balance: number; currency: string; expires_at?: string | null }>(`/vouchers/${encodeURIComponent(code)}`),
    challenge: async (id: string, token: string | null, code: string) =>
      call<Booking>("POST", `/bookings/${id}/pay/challenge`, { body: { code }, headers: manage(token) }),
    changeSeat: async (id: string, access: { token?: string | null; pnr?: string; lastName?: string }, change: { flight_id: string; passenger_id: string; seat: string }) =>
      (await call<Booking>("POST", `/bookings/${id}/seat-change?${qs({ pnr: access.pnr, last_name: access.lastName })}`, { body: change, headers: manage(access.token) })).data,
    cancel: async (id: string, access: { token?: string | null; pnr?: string; lastName?: string }) =>
      (await call<Booking>("POST", `/bookings/${id}/cancel?${qs({ pnr: access.pnr, last_name: access.lastName })}`, { body: {}, headers: manage(access.token) })).data,
    /** Accept the proposal (option 0) or an alternative: the owner, the manage token, or a guest's PNR + last name. */
    acceptReaccommodation: async (id: string, option: number, access: { token?: string | null; pnr?: string; lastName?: string } = {}) =>
      (await call<Booking>("POST", `/bookings/${encodeURIComponent(id)}/reaccommodation/accept?${qs({ pnr: access.pnr, last_name: access.lastName })}`, { body: { option }, headers: manage(access.token) })).data,
    /** Decline: the whole booking back to the card, a voucher worth more (never on a PNR alone), or keep a retimed flight. */
    declineReaccommodation: async (id: string, take: "refund" | "voucher" | "keep", access: { token?: string | null; pnr?: string; lastName?: string } = {}) =>
      (await call<Booking>("POST", `/bookings/${encodeURIComponent(id)}/reaccommodation/decline?${qs({ pnr: access.pnr, last_name: access.lastName })}`, { body: { take }, headers: manage(access.token) })).data,
    /** The owner (signed in), the manage token's holder or staff; a PNR + last name is not enough (404). */
    compensation: (id: string, token?: string | null) => get<Compensation>(`/bookings/${encodeURIComponent(id)}/compensation`, manage(token)),
    claimCompensation: async (id: string, method: "voucher" | "refund", token?: string | null) =>
      (await call<Compensation>("POST", `/bookings/${encodeURIComponent(id)}/compensation`, { body: { method }, headers: manage(token) })).data,
    // check-in: a guest online, an agent at the counter and the gate
    checkIn: async (body: { code?: string; last_name?: string; flight_id?: string; booking_id?: string; pnr?: string }, token?: string | null) =>
      (await call<{ passes: BoardingPass[] }>("POST", "/checkin", { body, headers: manage(token) })).data,
    verifyPassenger: async (q: PassengerQuery) => (await call<Verification>("POST", "/checkin/verify", { body: q })).data,
    counterCheckIn: async (q: PassengerQuery) => (await call<BoardingPass>("POST", "/checkin/check-in", { body: q })).data,
    board: async (q: PassengerQuery) => (await call<BoardingPass>("POST", "/boarding", { body: q })).data,
    flightPassengers: (flightId: string) => get<{ flight_id: string; passengers: FlightPassenger[] }>(`/flights/${encodeURIComponent(flightId)}/passengers`),
    noShows: (flightId: string) => get<NoShows>(`/flights/${encodeURIComponent(flightId)}/no-shows`),
    // baggage: the desk drops and charges, anyone with the booking follows a bag
    dropBag: async (body: BagDrop, idempotencyKey: string = newKey()) =>
      (await call<Bag>("POST", "/bags", { body, headers: { "Idempotency-Key": idempotencyKey } })).data,
    payBag: async (bagId: string, method: PayMethod, idempotencyKey: string = newKey()) =>
      (await call<Bag>("POST", `/bags/${encodeURIComponent(bagId)}/payment`, { body: { method }, headers: { "Idempotency-Key": idempotencyKey } })).data,
    manifest: (flightId: string) => get<Manifest>(`/flights/${encodeURIComponent(flightId)}/baggage`),
    bookingBags: (bookingId: string, access: { pnr?: string; lastName?: string } = {}) =>
      get<{ bags: Bag[] }>(`/bookings/${encodeURIComponent(bookingId)}/bags?${qs({ pnr: access.pnr, last_name: access.lastName })}`),
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
