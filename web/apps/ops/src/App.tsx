import { useEffect, type ReactNode } from "react";
import { Alert, Spinner, ensureStyles, type Api, type RemoteProps, type Role } from "@airline/ui";
import { useReference, type Reference } from "./data";
import { Disruptions } from "./Disruptions";
import { NewFlight } from "./NewFlight";
import { Inventory } from "./Inventory";
import { BookingLookup, CrewReadiness, Fares, Fleet, Overview } from "./panels";
import { Airports } from "./Airports";
import { FlightActions } from "./FlightActions";
import { Messages } from "./Messages";
import { Planes } from "./Planes";
import { Revenue } from "./Revenue";
import { Roster } from "./Roster";
import { Pricing } from "./Pricing";
import { CrewAdmin } from "./CrewAdmin";
import { FlightCrewDesk } from "./FlightCrew";
import { Users } from "./Users";
import { opsCss } from "./styles";
import { Workbench } from "./Workbench";

interface Section { path: string; title: string; roles: Role[]; render: (api: Api, rd: Reference, role: Role | undefined) => ReactNode }

/** Which staff role sees which part of the console (admin sees all; the API checks again). */
export const SECTIONS: Section[] = [
  { path: "overview", title: "Overview", roles: ["ops", "cs", "inventory"], render: (api, rd) => <Overview api={api} rd={rd} /> },
  { path: "disruptions", title: "Disruptions", roles: ["ops"], render: (api, rd) => <Disruptions api={api} rd={rd} /> },
  { path: "flights", title: "New flights", roles: ["ops"], render: (api, rd) => <NewFlight api={api} rd={rd} /> },
  { path: "actions", title: "Flight actions", roles: ["ops"], render: (api, rd) => <FlightActions api={api} rd={rd} /> },
  { path: "fleet", title: "Fleet & gates", roles: ["ops"], render: (api, rd) => <Fleet api={api} rd={rd} /> },
  { path: "airports", title: "Airports & gates", roles: ["ops"], render: (api, rd) => <Airports api={api} rd={rd} /> },
  { path: "planes", title: "Planes", roles: ["ops"], render: (api, rd) => <Planes api={api} rd={rd} /> },
  { path: "crew", title: "Crew readiness", roles: ["ops"], render: (api, rd) => <CrewReadiness api={api} rd={rd} /> },
  { path: "roster", title: "Crew roster", roles: ["ops"], render: (api, rd) => <Roster api={api} rd={rd} /> },
  { path: "crew-members", title: "Crew members", roles: ["ops"], render: (api, rd) => <CrewAdmin api={api} rd={rd} /> },
  { path: "flight-crew", title: "Flight crew", roles: ["ops"], render: (api, rd) => <FlightCrewDesk api={api} rd={rd} /> },
  { path: "fares", title: "Fares", roles: ["ops", "cs"], render: (api) => <Fares api={api} /> },
  { path: "pricing", title: "Pricing", roles: ["ops"], render: (api, rd) => <Pricing api={api} rd={rd} /> },
  { path: "revenue", title: "Revenue", roles: ["ops"], render: (api) => <Revenue api={api} /> },
  { path: "inventory", title: "Stock & load plans", roles: ["inventory"], render: (api, rd) => <Inventory api={api} rd={rd} /> },
  { path: "workbench", title: "Service desk", roles: ["cs"], render: (api) => <Workbench api={api} /> },
  { path: "bookings", title: "Booking lookup", roles: ["cs"], render: (api) => <BookingLookup api={api} /> },
  { path: "users", title: "Users", roles: [], render: (api) => <Users api={api} /> },
  { path: "messages", title: "Notifications", roles: ["ops", "cs"], render: (api, _rd, role) => <Messages api={api} canSend={role === "ops" || role === "admin"} /> },
];

export const sectionsFor = (role: Role | undefined) => SECTIONS.filter((s) => role === "admin" || (role !== undefined && s.roles.includes(role)));

/** The operations console: one remote, its sections shown by the signed-in staff role. */
export default function OpsConsole({ api, session, route }: RemoteProps) {
  useEffect(() => ensureStyles(), []);
  const { rd, error } = useReference(api);
  const sections = sectionsFor(session?.user.role);
  if (!session) return <Alert kind="info">Sign in with a staff account to use the console.</Alert>;
  if (!sections.length) return <Alert kind="error">The console is for ops, customer service, inventory and admin staff.</Alert>;
  const current = sections.find((s) => s.path === route.split("/")[0]) ?? sections[0];
  return (
    <div className="op">
      <style>{opsCss}</style>
      <h1>Operations</h1>
      <nav aria-label="console sections">
        <ul className="op-tabs">
          {sections.map((s) => <li key={s.path}><a href={`#/ops/${s.path}`} aria-current={s === current ? "page" : undefined}>{s.title}</a></li>)}
        </ul>
      </nav>
      {error ? <Alert kind="error">{error}</Alert> : !rd ? <Spinner label="loading the console" /> : <div key={current.path}>{current.render(api, rd, session.user.role)}</div>}
    </div>
  );
}
