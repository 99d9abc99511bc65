import { useEffect } from "react";
import { ensureStyles, type RemoteProps } from "@airline/ui";
import { Flow } from "./Flow";
import { Manage } from "./Manage";
import { bookingCss } from "./styles";

/** The booking remote: book a trip (#/booking) or manage one (#/booking/manage). */
export default function BookingApp({ api, session, route, navigate }: RemoteProps) {
  useEffect(() => ensureStyles(), []);
  const [view, arg] = route.split("/");
  const manage = view === "manage";
  return (
    <div className="bk">
      <style>{bookingCss}</style>
      <nav className="bk-tabs bk-top" aria-label="booking">
        <a href="#/booking" aria-current={!manage ? "page" : undefined} onClick={(e) => { e.preventDefault(); navigate("booking"); }}>Book a trip</a>
        <a href="#/booking/manage" aria-current={manage ? "page" : undefined} onClick={(e) => { e.preventDefault(); navigate("booking/manage"); }}>Manage booking</a>
      </nav>
      {manage ? <Manage api={api} session={session} initialPnr={arg} /> : <Flow api={api} session={session} />}
    </div>
  );
}
