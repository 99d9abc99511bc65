import type { Airport, Flight } from "@airline/ui";

/** The shapes of the staff routes the console reads: aliases of the API's generated types. */
export type { CabinSeats, Fare, FlightCrew, Gate, LoadPlan, Message, Plane, RoleStatus, StockLine } from "@airline/ui";
/** A flight as /flights answers it, with its seats per cabin and its round trip or schedule. */
export type OpsFlight = Flight;
export type AirportInfo = Airport;
