import { useEffect, useState } from "react";
import type { Api } from "@airline/ui";
import type { AirportInfo, Gate, OpsFlight, Plane } from "./types";
import { addDays, zonedToUtc } from "./time";

export const qs = (q: Record<string, string | number | undefined>) =>
  new URLSearchParams(Object.entries(q).filter(([, v]) => v !== undefined && v !== "").map(([k, v]) => [k, String(v)])).toString();

/** An airport's departures over local days [date, date + days). */
export async function departures(api: Api, airport: string, date: string, timeZone: string, days = 1): Promise<OpsFlight[]> {
  const r = await api.request<{ flights: OpsFlight[] }>("GET", `/flights?${qs({
    airport, direction: "departures", from: zonedToUtc(date, timeZone), to: zonedToUtc(addDays(date, days), timeZone), limit: 1000,
  })}`);
  return r.flights;
}

export interface Reference {
  airports: AirportInfo[]; zones: Record<string, string>; planes: Plane[]; gates: Record<string, Gate[]>;
  /** Read it all again (after a screen added or changed a plane, an airport or a gate); the old copy stays shown meanwhile. */
  reload?: () => void;
}

/** Airports, their gates and the fleet: what every form and chart of the console needs. */
export function useReference(api: Api): { rd: Reference | null; error: string | null } {
  const [rd, setRef] = useState<Reference | null>(null);
  const [error, setError] = useState<string | null>(null);
  const [version, setVersion] = useState(0);
  useEffect(() => {
    (async () => {
      const [{ airports }, { planes }] = await Promise.all([
        api.airports() as Promise<{ airports: AirportInfo[] }>,
        api.request<{ planes: Plane[] }>("GET", "/planes"),
      ]);
      const gates = Object.fromEntries(await Promise.all(airports.map(async (a) =>
        [a.code, (await api.request<{ gates: Gate[] }>("GET", `/airports/${a.code}/gates`)).gates] as const)));
      setRef({ airports, planes, gates, zones: Object.fromEntries(airports.map((a) => [a.code, a.time_zone])), reload: () => setVersion((v) => v + 1) });
    })().catch((e: Error) => setError(e.message));
  }, [api, version]);
  return { rd, error };
}
