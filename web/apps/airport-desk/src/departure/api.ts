/** Departure control's routes (gateway routes/departure.py) for one flight, typed by the API's
 * generated schemas. */
import type { Api, FlightPassengers, components } from "@airline/ui";

type S = components["schemas"];
export type GateLists = S["GateListsOut"];
export type CabinList = S["CabinList"];
export type GatePassenger = S["GatePassenger"];
export type DoorClosed = S["DoorClosedOut"];
export type StandbyCleared = S["StandbyClearedOut"];
export type UpgradesCleared = S["UpgradesClearedOut"];
export type FinalManifest = S["FinalManifest"];
export type Counts = S["Counts"];
export type ApisExport = S["ApisExport"];
export type LoadSheet = S["LoadSheetOut"];
export type Reconciliation = S["ReconciliationOut"];
export type BagLine = S["BagLine"];
export type FlightPassenger = FlightPassengers["passengers"][number];

/** Who a door close offloads: every passenger who has not boarded, checked in or not (the
 * checkin service's offload_not_boarded); cancelled and already offloaded ones stay as they are. */
export const toOffload = (passengers: FlightPassenger[]) => passengers.filter((p) => p.status === "booked" || p.status === "checked_in");

export function departureApi(api: Api, flightId: string) {
  const path = `/flights/${encodeURIComponent(flightId)}/departure`;
  // route-coverage: PUT /flights/{flight_id}/departure/volunteers/{booking_id}/{passenger_id}, PUT /flights/{flight_id}/departure/upgrades/{booking_id}/{passenger_id}, DELETE /flights/{flight_id}/departure/upgrades/{booking_id}/{passenger_id}
  const one = (list: "volunteers" | "upgrades", p: { booking_id: string; passenger_id: string }) =>
    `${path}/${list}/${encodeURIComponent(p.booking_id)}/${encodeURIComponent(p.passenger_id)}`;
  return {
    passengers: async () => (await api.flightPassengers(flightId)).passengers,
    gateLists: () => api.request<GateLists>("GET", `${path}/gate-lists`),
    volunteer: (p: { booking_id: string; passenger_id: string }, volunteer: boolean) =>
      api.request<GateLists>("PUT", one("volunteers", p), { volunteer } satisfies S["VolunteerIn"]),
    listUpgrade: (p: { booking_id: string; passenger_id: string }) => api.request<GateLists>("PUT", one("upgrades", p)),
    unlistUpgrade: (p: { booking_id: string; passenger_id: string }) => api.request<GateLists>("DELETE", one("upgrades", p)),
    clearStandby: () => api.request<StandbyCleared>("POST", `${path}/standby/clear`),
    clearUpgrades: () => api.request<UpgradesCleared>("POST", `${path}/upgrades/clear`),
    closeDoor: () => api.request<DoorClosed>("POST", `${path}/close-door`),
    manifest: () => api.request<FinalManifest>("GET", `${path}/manifest`),
    apis: () => api.request<ApisExport>("GET", `${path}/apis`),
    /** The same records as text/csv (the route's format=csv), fetched with the agent's token. */
    apisCsv: () => api.text(`/api/v1${path}/apis?format=csv`),
    loadSheet: () => api.request<LoadSheet>("GET", `${path}/loadsheet`),
    reconciliation: () => api.request<Reconciliation>("GET", `${path}/reconciliation`),
  };
}

export type DepartureApi = ReturnType<typeof departureApi>;
