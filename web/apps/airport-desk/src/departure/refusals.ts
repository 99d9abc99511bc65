/** The gate's refusals (problem+json `code`) as an agent reads them; the API's own sentence follows. */
import { isApiError } from "@airline/ui";

const REFUSALS: Record<string, string> = {
  gate_open: "The gate is still open: the door can be closed only after gate close.",
  checkin_open: "Check-in is still open: standby and upgrades are cleared once check-in has closed.",
  door_closed: "The door is closed: the gate lists are final.",
  boarding_closed: "Boarding is over for this flight.",
  flight_cancelled: "This flight is cancelled: it has no door to close.",
  not_checked_in: "Only a checked-in passenger can be listed.",
  already_boarded: "This passenger has boarded already.",
  offloaded: "This passenger was offloaded at door close.",
  on_standby: "This passenger is on standby (no seat yet): clear standby first.",
  top_cabin: "This passenger is in the top cabin already.",
  already_upgraded: "This passenger was upgraded already.",
  not_upgradable: "Infants and children are not upgraded at the gate.",
  travels_with_infant: "An adult with a lap infant is never upgraded at the gate.",
  not_volunteerable: "This passenger cannot volunteer.",
  clearing_in_progress: "Another agent is clearing this flight's lists right now: look again in a moment.",
};

/** A refusal's clear message: what it means at the gate, then the API's detail when it adds something. */
export function refusal(e: unknown): string {
  if (!isApiError(e)) return e instanceof Error ? e.message : String(e);
  const lead = e.code ? REFUSALS[e.code] : undefined;
  if (e.status === 403 && !lead) return `Not allowed for your role: ${e.message}`;
  if (!lead) return e.message;
  return e.message && e.message !== lead ? `${lead} (${e.message})` : lead;
}
