/** Test data in the API's shapes, for the packages' component tests (not exported by the index,
 * so it stays out of the bundles): `import { flightOf } from "@airline/ui/src/testing"`. */
import type { Flight } from "./api";

/** A scheduled flight XSP → AOR with every field the API answers; `over` changes any of them. */
export const flightOf = (over: Partial<Flight> = {}): Flight => ({
  id: "f1", number: "XA101", origin: "XSP", destination: "AOR", origin_time_zone: "Asia/Singapore",
  destination_time_zone: "Asia/Kuala_Lumpur", plane_id: "P1", gate: "X1", status: "scheduled",
  scheduled_departure: "2026-12-01T01:00:00Z", scheduled_arrival: "2026-12-01T02:00:00Z",
  estimated_departure: "2026-12-01T01:00:00Z", estimated_arrival: null, boarding_starts: null,
  diverted_to: null, delay_code: null, status_reason: null, version: 1, round_trip_id: null, schedule_id: null,
  scheduled_departure_local: null, scheduled_arrival_local: null, estimated_departure_local: null, estimated_arrival_local: null,
  actual_departure_local: null, actual_arrival_local: null, boarding_starts_local: null,
  ...over,
});
