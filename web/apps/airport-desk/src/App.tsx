import { useEffect, useState } from "react";
import { Alert, ensureStyles, type Flight, type RemoteProps } from "@airline/ui";
import { ManifestView, NoShowsView } from "./AfterGate";
import { Counter } from "./Counter";
import { DepartureView } from "./departure/DepartureView";
import { FlightPicker } from "./FlightPicker";
import { Gate } from "./Gate";
import { deskCss } from "./styles";

const VIEWS = [
  { path: "counter", label: "Check-in counter" },
  { path: "gate", label: "Boarding gate" },
  { path: "no-shows", label: "No-shows" },
  { path: "manifest", label: "Baggage manifest" },
  { path: "departure", label: "Departure" },
] as const;
type View = (typeof VIEWS)[number]["path"];

/** The airport desk (agents): pick today's departure, then the counter, the gate, the no-shows,
 * the baggage manifest and departure control of that flight. Route: "<view>/<flight id>". */
export default function DeskApp({ api, route, navigate }: RemoteProps) {
  useEffect(() => ensureStyles(), []);
  const [viewPart, flightPart] = route.split("/");
  const view: View = (VIEWS.find((v) => v.path === viewPart)?.path ?? "counter") as View;
  const [flight, setFlight] = useState<Flight | null>(null);
  const go = (v: View, f: string | undefined = flight?.id) => navigate(`desk/${v}${f ? `/${f}` : ""}`);

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
      {!flight ? <Alert>Pick the flight you are working.</Alert>
        : view === "counter" ? <Counter key={flight.id} api={api} flight={flight} />
        : view === "gate" ? <Gate key={flight.id} api={api} flight={flight} />
        : view === "no-shows" ? <NoShowsView key={flight.id} api={api} flight={flight} />
        : view === "manifest" ? <ManifestView key={flight.id} api={api} flight={flight} />
        : <DepartureView key={flight.id} api={api} flight={flight} />}
    </div>
  );
}
