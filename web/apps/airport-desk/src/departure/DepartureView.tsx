import { useCallback, useMemo, useState, type ReactNode } from "react";
import { Alert, Button, type Api, type Flight } from "@airline/ui";
import { departureApi, type GateLists } from "./api";
import { CloseDoor } from "./CloseDoor";
import { GateListsPanel } from "./GateLists";
import { useLoad } from "./hooks";
import { LoadSheetPanel, ManifestPanel, ReconciliationPanel } from "./Reports";

/** Departure control of the picked flight: gate lists, standby and upgrades, the door, bag
 * reconciliation, the final manifest with APIS, and the load sheet. Every action re-reads the rest. */
export function DepartureView({ api, flight }: { api: Api; flight: Flight }) {
  const d = useMemo(() => departureApi(api, flight.id), [api, flight.id]);
  // `version` re-reads everything; a list change that answers the gate lists re-reads only the rest
  const [version, setVersion] = useState(0);
  const [rest, setRest] = useState(0);
  const refresh = useCallback(() => setVersion((v) => v + 1), []);
  const tz = flight.origin_time_zone;
  const lists = useLoad(d.gateLists, version);
  const passengers = useLoad(d.passengers, version + rest);
  const manifest = useLoad(d.manifest, version + rest);
  const reconciliation = useLoad(d.reconciliation, version + rest);
  const sheet = useLoad(d.loadSheet, version + rest);
  const changed = (next?: GateLists) => { if (next) { lists.setData(next); setRest((v) => v + 1); } else refresh(); };

  return (
    <div className="ui-stack" aria-label="departure control">
      <div className="ui-row dk-actions dk-end"><Button variant="secondary" onClick={refresh}>Refresh</Button></div>
      <Loaded what="the gate lists" state={lists}>
        {(l) => <GateListsPanel d={d} lists={l} passengers={passengers.data ?? []} tz={tz} onChanged={changed} />}
      </Loaded>
      <CloseDoor d={d} flightNumber={flight.number} passengers={passengers.data ?? []} doorClosedAt={manifest.data?.door_closed_at ?? null} tz={tz} onClosed={refresh} />
      <Loaded what="the bag reconciliation" state={reconciliation}>{(r) => <ReconciliationPanel r={r} />}</Loaded>
      <Loaded what="the final manifest" state={manifest}>{(m) => <ManifestPanel d={d} m={m} tz={tz} />}</Loaded>
      <Loaded what="the load sheet" state={sheet}>{(s) => <LoadSheetPanel s={s} />}</Loaded>
    </div>
  );
}

function Loaded<T>({ what, state, children }: { what: string; state: { data: T | null; error: string | null }; children: (data: T) => ReactNode }) {
  if (state.error) return <Alert kind="error">Could not read {what}: {state.error}</Alert>;
  if (state.data === null) return <p className="dk-muted">Loading {what}…</p>;
  return <>{children(state.data)}</>;
}
