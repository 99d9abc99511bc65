/** The API's shapes, as the gateway's OpenAPI document says (schema.d.ts is generated from it by
 * `make web-types`; tests/unit/test_web_api_types.py fails when it is stale). Every type here is
 * an alias of a generated one, so a screen that no longer fits the API fails the typecheck.
 *
 * Refined by hand, and only where the document leaves a shape open: the booking's legs,
 * passengers, seats, bags, tickets, payment, re-accommodation and EMDs (the gateway's `Booking`
 * passes the booking service's message through as objects; the fields are the proto's,
 * proto/airline/booking/v1/booking.proto), a user's role (a string in the document), and the
 * live streams' events (Server-Sent Events, which OpenAPI does not describe). */
import type { components, paths } from "./schema";

type S = components["schemas"];
/** A schema's named fields without its index signature (`extra="allow"` models have one), so
 * that Omit keeps them and a misspelt field is an error. */
type Known<T> = { [K in keyof T as string extends K ? never : number extends K ? never : K]: T[K] };
/** The query parameters of a GET route. */
type QueryOf<P extends keyof paths> = paths[P] extends { get: { parameters: { query?: infer Q } } } ? NonNullable<Q> : never;

export type Role = "passenger" | "agent" | "crew" | "ops" | "cs" | "inventory" | "admin";
export type CabinClass = S["SeatOut"]["cabin_class"];
export type TripType = S["Fare"]["trip_type"];
export type PassengerType = S["PassengerIn"]["type"];

export type User = Omit<S["User"], "role"> & { role: Role };
export type Token = Omit<S["Token"], "user"> & { user: User };
export type Airport = S["Airport"];

export type Flight = S["Flight"];
export type CabinSeats = S["CabinSeats"];
export type Announcement = S["Announcement"];
export type PriceLine = S["PriceLine"];
export type FareRules = S["FareRules"];
export type Fare = S["Fare"];
export type Offer = S["Offer"];
export type Offers = S["Offers"];
export type SearchQuery = QueryOf<"/api/v1/search">;
export type FlightQuery = QueryOf<"/api/v1/flights">;

export type Seat = S["SeatOut"];
export type SeatMap = S["SeatMap"];
/** A seat-map stream event (`/flights/{id}/seats/live`). */
export interface SeatsEvent { type: "SeatsHeld" | "SeatsReleased" | "SeatsAssigned"; flight_id: string; seats: string[]; state: Seat["state"]; at?: string }

export type PassengerIn = S["PassengerIn"];
export type PayMethod = S["CardIn"] | S["EWalletIn"];
/** The body of POST /bookings/{id}/pay (and of a change or extras payment): a card or e-wallet, and/or a voucher. */
export type PaymentIn = S["PayIn"];
export type Voucher = S["Voucher"];

// booking.proto's parts of a booking. The service prints every field, but the ones a screen
// does not need are optional here, so that a test's booking names only what it is about.
export interface BookingLeg {
  flight_id: string; number: string; origin: string; destination: string;
  scheduled_departure?: string; scheduled_arrival?: string; estimated_departure?: string; estimated_arrival?: string;
  status?: string; status_reason?: string; checked_bags?: number; bag_weight_kg?: number; refundable?: boolean; change_fee?: number; hold_id?: string;
}
export interface BookingPassenger {
  id: string; type: PassengerType; first_name: string; last_name: string; date_of_birth?: string;
  document?: PassengerIn["document"]; infant_of?: string; meal?: string; cancelled?: boolean;
}
/** `seat_at_airport`: an overbooking place sold when the cabin had no free seat for the party;
 * check-in gives the seat (seat is then ""). */
export interface BookingSeat { flight_id: string; passenger_id: string; seat: string; seat_at_airport?: boolean }
export interface BookingBag { flight_id: string; passenger_id: string; extra_pieces?: number; overweight_kg?: number; included_pieces?: number; fee: number }
export interface BookingTicket { passenger_id: string; flight_id: string; number: string }
export interface BookingPayment {
  payment_id?: string; status?: string; next_action?: string; failure_code?: string; failure_message?: string;
  voucher_amount?: number; card_amount?: number; voucher_code?: string | null;
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
  options: { option: number; flights: ReaccommodationFlight[]; seats: BookingSeat[] }[];
  unplaced_reason?: string; deadline?: string; chosen_option?: number; taken?: string;
  refund_amount: number; voucher_amount: number; voucher_code?: string; currency: string;
}
/** A flight's re-accommodation run (ops): every affected booking's proposal, by priority rank. */
export type ReaccommodationStatus = Omit<S["ReaccommodationStatus"], "bookings"> & { bookings: Reaccommodation[] };
/** An electronic miscellaneous document: what one paid extra is proven by. */
export interface Emd {
  emd_number: string; kind: "bag" | "meal" | string; flight_id: string; passenger_id: string; description: string; amount: number; currency: string; issued_at: string;
}
/** The booking: the document's fields, with the service's parts (objects there) spelled out. */
export type Booking = Omit<Known<S["Booking"]>, "legs" | "passengers" | "seats" | "bags" | "tickets" | "payment" | "reaccommodation" | "ancillaries"> & {
  legs: BookingLeg[]; passengers: BookingPassenger[]; seats: BookingSeat[]; bags: BookingBag[]; tickets: BookingTicket[];
  payment: BookingPayment;
  /** Set when the airline changed a flight and re-accommodated the booking. */
  reaccommodation?: Reaccommodation | null;
  /** The EMDs of the extras bought after the sale. */
  ancillaries?: Emd[];
  // booking.proto's Booking, passed through by the gateway
  cabin_class?: CabinClass; trip_type?: TripType; adults?: number; children?: number; infants?: number;
  fare_total?: number; bag_total?: number; refunded_amount?: number; cancel_reason?: string;
  contact?: S["ContactIn"]; flight_cancelled?: boolean; disruption?: string; created_at?: string; updated_at?: string;
};

// request bodies
export type ContactIn = S["ContactIn"];
export type SeatsIn = S["SeatsIn"];
export type LuggageIn = S["LuggageIn"];
export type SeatChangeIn = S["SeatChangeIn"];
export type DelayIn = S["DelayIn"];
export type CheckInIn = S["CheckInIn"];
export type CompensationClaimIn = S["CompensationClaimIn"];
export type ReaccommodationDeclineIn = S["ReaccommodationDeclineIn"];

export type Compensation = S["Compensation"];
export type CompensationItem = S["CompensationItem"];
export type BoardingPass = S["BoardingPass"];
export type Verification = S["Verification"];
/** At the counter or gate: a check-in code or a scanned pass (its BCBP text), for one flight. */
export type PassengerQuery = S["PassengerQuery"];
export type FlightPassenger = S["FlightPassenger"];
export type FlightPassengers = S["FlightPassengers"];
export type CheckInOut = S["CheckInOut"];
export type NoShows = S["NoShows"];
export type TrackingEvent = S["TrackingEvent"];
export type Bag = S["Bag"];
export type BagDetail = S["BagDetail"];
export type BagPage = S["BagPage"];
export type BagDrop = S["DropIn"];
export type Manifest = S["Manifest"];

// after the sale (issue 15): changes, history, search, extras, receipt
export type ChangeOption = S["ChangeOption"];
export type ChangeOptions = S["ChangeOptions"];
export type ChangeQuote = S["ChangeQuote"];
export type HistoryEntry = S["HistoryEntry"];
export type BookingHistory = S["BookingHistoryOut"];
export type SearchHit = S["SearchHit"];
export type BookingSearch = QueryOf<"/api/v1/bookings/search">;
export type BagAllowance = S["AncillaryBag"];
export type MealItem = S["MenuMeal"];
export type MealOrder = S["OrderedMeal"];
export type Ancillaries = S["AncillaryCatalogue"];
export type AncillaryRequest = S["AncillaryQuoteIn"];
export type AncillaryQuoteItem = S["QuotedAncillary"];
export type AncillaryQuote = S["AncillaryQuote"];
export type ReceiptLine = S["ReceiptLine"];
export type Receipt = S["BookingReceipt"];
export type ConfirmationResent = S["ConfirmationResent"];

// staff: crew, ops, inventory, notifications
export type CrewRole = S["Assignment"]["role"];
export type Violation = S["Violation"];
export type Assignment = S["Assignment"];
export type Member = S["Member"];
export type MyAssignments = S["MyAssignments"];
export type MyPairings = S["MyPairings"];
export type Pairing = S["Pairing"];
export type DutyPeriod = S["DutyPeriod"];
export type CrewNotification = S["Notification"];
export type Plane = S["Plane"];
export type Gate = S["Gate"];
export type StockLine = S["StockLine"];
export type LoadPlan = S["LoadPlan"];
export type RoleStatus = S["RoleStatus"];
export type FlightCrew = S["FlightCrew"];
export type Message = S["Message"];

export type { components, paths, operations } from "./schema";
