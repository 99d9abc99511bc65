/** Bag tracking and search (gateway routes/baggage.py) for the agent, typed by the API's schemas. */
import { isApiError, type Api, type Bag, type BagDetail, type BagPage, type components } from "@airline/ui";

type S = components["schemas"];
export type TrackingEvent = S["TrackingEvent"];
export type ScanIn = S["EventIn"];
export type ScanStatus = ScanIn["status"];
export type { Bag, BagDetail };

/** The scans an agent records, in the order a bag goes through them (the baggage service's rules). */
export const SCANS: { status: ScanStatus; label: string }[] = [
  { status: "screened", label: "Screened" },
  { status: "loaded", label: "Loaded into the hold" },
  { status: "unloaded", label: "Unloaded" },
  { status: "on_belt", label: "On the belt" },
  { status: "claimed", label: "Claimed" },
  { status: "mishandled", label: "Mishandled" },
];

// screened after check-in, loaded after screened, unloaded after loaded, on_belt after unloaded,
// claimed only from the belt (POST /bags/{tag}/events); mishandled from any open state
const NEXT: Record<string, ScanStatus> = { checked_in: "screened", screened: "loaded", loaded: "unloaded", unloaded: "on_belt", on_belt: "claimed" };
const CLOSED = new Set(["claimed", "withdrawn", "rerouted", "awaiting_payment"]);

/** The scan that normally comes next for a bag in this state, if any. */
export const nextScan = (status: string): ScanStatus | null => NEXT[status] ?? null;
/** Whether a bag in this state can take a scan at all (claimed, withdrawn, unpaid ones cannot). */
export const scannable = (status: string) => !CLOSED.has(status);

export const statusText = (s: string) => s.replace(/_/g, " ");

export interface BagQuery { tag?: string; name?: string; flight_id?: string; status?: string; page_size?: string; page_token?: string }

/** What a search found: its bags so far, how the agent asked, and the next page's query (if any). */
export interface Found { bags: Bag[]; what: string; more: BagQuery | null }

const qs = (q: Record<string, string | undefined>) =>
  new URLSearchParams(Object.entries(q).filter((e): e is [string, string] => !!e[1]?.trim()).map(([k, v]) => [k, v.trim()])).toString();

export function bagsApi(api: Api) {
  return {
    search: (q: BagQuery) => api.request<BagPage>("GET", `/bags?${qs({ page_size: "50", ...q })}`),
    lookup: (pnr: string, lastName: string) => api.request<BagPage>("GET", `/baggage/lookup?${qs({ pnr: pnr.toUpperCase(), last_name: lastName })}`),
    get: (tag: string) => api.request<BagDetail>("GET", `/bags/${encodeURIComponent(tag)}`),
    scan: (tag: string, body: ScanIn) => api.request<BagDetail>("POST", `/bags/${encodeURIComponent(tag)}/events`, body),
  };
}
export type BagsApi = ReturnType<typeof bagsApi>;

/** problem+json `errors` by the form's own field names ("body.airport" -> "airport", "query.tag" -> "tag"). */
export function fieldErrors(e: unknown): Record<string, string> {
  if (!isApiError(e)) return {};
  const errors = (e.body as { errors?: { field?: string; message?: string }[] } | undefined)?.errors;
  if (!Array.isArray(errors)) return {};
  const out: Record<string, string> = {};
  for (const x of errors) {
    const name = (x.field ?? "").split(".").pop();
    if (name && !out[name]) out[name] = x.message ?? "invalid";
  }
  return out;
}

/** A fresh scanner id for one scan: a retry of the same attempt keeps it (the API ignores a repeat). */
export const newScanId = () => `desk-${globalThis.crypto?.randomUUID?.() ?? `${Date.now()}-${Math.random().toString(16).slice(2)}`}`;
