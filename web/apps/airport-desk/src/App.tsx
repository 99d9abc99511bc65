import { useEffect, useState } from "react";
import { Alert, ensureStyles, type Flight, type RemoteProps } from "@airline/ui";
import { ManifestView, NoShowsView } from "./AfterGate";
import { BagsView } from "./bags/BagsView";
import { Counter } from "./Counter";
import { DepartureView } from "./departure/DepartureView";
import { FlightPicker } from "./FlightPicker";
import { Gate } from "./Gate";
import { PassengersView } from "./Passengers";
import { deskCss } from "./styles";

const VIEWS = [
  { path: "counter", label: "Check-in counter" },
  { path: "gate", label: "Boarding gate" },
  { path: "no-shows", label: "No-shows" },
  { path: "manifest", label: "Baggage manifest" },
  { path: "departure", label: "Departure" },
  { path: "passengers", label: "Passengers" },
  { path: "bags", label: "Bag tracking" },
] as const;
type View = (typeof VIEWS)[number]["path"];

/** The airport desk (agents): pick today's departure, then the counter, the gate, the no-shows,
 * the baggage manifest, departure control and the passengers of that flight, and bag tracking
 * (any bag, with or without a flight picked). Route: "<view>/<flight id>", "bags/<flight id>/<tag>". */
export default function DeskApp({ api, route, navigate }: RemoteProps) {
  useEffect(() => ensureStyles(), []);
  const [viewPart, flightPart, tagPart] = route.split("/");
  const view: View = (VIEWS.find((v) => v.path === viewPart)?.path ?? "counter") as View;
  const [flight, setFlight] = useState<Flight | null>(null);
  // the flight of the route until the departures are read (a bag opened meanwhile keeps it)
  const go = (v: View, f: string | undefined = flight?.id ?? (flightPart || undefined), tag?: string) => navigate(`desk/${v}/${f ?? ""}${tag ? `/${tag}` : ""}`.replace(/\/$/, ""));

  return (
    <div className="dk">
      <style>{deskCss}</style>
      <FlightPicker api={api} selected={flightPart ?? ""} onPick={(f) => { setFlight(f); if (f && f.id !== flightPart) go(view, f.id); }} />
      <nav className="dk-tabs dk-noprint" aria-label="desk">
        {VIEWS.map((v) => (
          <a key={v.path} href={`#/desk/${v.path}${flight ? `/${flight.id}` : ""}`} aria-current={v.path === view ? "page" : undefined}
            onClick={(e) => { e.preventDefault(); go(v.path); }}>{v.label}</a>
        ))}
      </nav>
      {view === "bags" ? <BagsView api={api} flight={flight} tag={tagPart || undefined} onOpen={(t) => go("bags", undefined, t)} />
        : !flight ? <Alert>Pick the flight you are working.</Alert>
        : view === "counter" ? <Counter key={flight.id} api={api} flight={flight} />
        : view === "gate" ? <Gate key={flight.id} api={api} flight={flight} />
        : view === "no-shows" ? <NoShowsView key={flight.id} api={api} flight={flight} />
        : view === "manifest" ? <ManifestView key={flight.id} api={api} flight={flight} onBag={(t) => go("bags", flight.id, t)} />
        : view === "passengers" ? <PassengersView key={flight.id} api={api} flight={flight} onBag={(t) => go("bags", flight.id, t)} onDeparture={() => go("departure")} />
        : <DepartureView key={flight.id} api={api} flight={flight} />}
    </div>
  );
}
