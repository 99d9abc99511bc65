import type { Flight } from "@airline/ui";

/** The shapes of the staff routes the console reads (gateway routes/*.py). */
export interface CabinSeats { cabin_class: string; capacity: number; sold: number; available: number }
export interface OpsFlight extends Flight { seats: CabinSeats[]; round_trip_id: string | null; schedule_id: string | null }
export interface Plane { id: string; registration: string; aircraft_type: string; status: string; home_airport: string; capacity: Record<string, number> }
export interface Gate { airport_code: string; code: string; status: string }
export interface AirportInfo { code: string; name: string; city?: string; time_zone: string }
export interface Fare { origin: string; destination: string; cabin_class: string; passenger_type: string; trip_type: string; amount: number; currency: string }
export interface StockLine { airport: string; item: string; quantity: number; threshold: number; low: boolean }
export interface LoadPlan {
  flight_id: string; flight_number: string; version: number; items: Record<string, number>; buffer_percent: number;
  passengers: { cabin_class: string; passenger_type: string; meal: string; count: number }[]; loaded: boolean; needs_unload: boolean;
}
export interface RoleStatus { role: string; required: number; accepted: number; proposed: number; short: number }
export interface FlightCrew { flight_id: string; flight_number: string; readiness: "complete" | "pending" | "short"; short_roles: string[]; roles: RoleStatus[]; aircraft_type: string }
export interface Message { id: string; channel: string; recipient: string; kind: string; body: string; reference: string; status: string; attempts: number; created_at: string | null }
