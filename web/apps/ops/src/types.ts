import type { Airport, Flight } from "@airline/ui";
import type { components } from "@airline/ui/src/api/schema";

/** The shapes of the staff routes the console reads: aliases of the API's generated types. */
export type { CabinSeats, Fare, FlightCrew, Gate, LoadPlan, Message, Plane, RoleStatus, StockLine } from "@airline/ui";
/** A flight as /flights answers it, with its seats per cabin and its round trip or schedule. */
export type OpsFlight = Flight;
export type AirportInfo = Airport;

type S = components["schemas"];
/** The request bodies of the console's master-data and flight-action forms. */
export type AirportIn = S["AirportIn"];
export type AirportPatch = S["AirportPatch"];
export type PlaneIn = S["PlaneIn"];
export type PlanePatch = S["PlanePatch"];
export type SeatLayout = S["SeatLayout"];
export type MessageIn = S["MessageIn"];
export type StatusIn = S["StatusIn"];
export type AnnouncementIn = S["AnnouncementIn"];
export type { Announcement } from "@airline/ui";
