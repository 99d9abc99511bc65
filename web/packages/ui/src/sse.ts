/** A live stream that never gives up: EventSource reconnects by itself after a dropped
 * connection, but not after the server answered an error or the stream was closed for good,
 * so we reopen it with a capped backoff and report the state for a "reconnecting" badge.
 * A stream the server refuses (401/403/404/410: no access, or nothing there) is not retried
 * for ever: EventSource hides the status, so a closed stream is probed once with fetch, and a
 * refusal stops it and is reported through `onRefused` (say so, not "Reconnecting…"). */
/** "refused": the server refused the stream (see onRefused); it is not retried. */
export type LiveState = "connecting" | "live" | "reconnecting" | "refused";

/** The statuses that mean "this stream will not open for you", not "try again later". */
export const REFUSED_STATUSES = [401, 403, 404, 410];

export interface LiveOptions {
  onEvent: (type: string, data: unknown) => void;
  onState?: (state: LiveState) => void;
  /** The server refused the stream (its HTTP status); no more attempts are made. */
  onRefused?: (status: number) => void;
  events: string[];
  maxBackoffMs?: number;
  EventSourceImpl?: typeof EventSource;
  /** The HTTP status of the stream's URL (default: a GET with fetch, aborted once the headers are in). */
  probe?: (url: string) => Promise<number>;
}

async function probeStatus(url: string): Promise<number> {
  const ctl = new AbortController();
  try {
    const res = await fetch(url, { headers: { Accept: "text/event-stream" }, signal: ctl.signal, credentials: "same-origin" });
    return res.status;
  } finally {
    ctl.abort();
  }
}

export function followLive(url: string, o: LiveOptions): () => void {
  const ES = o.EventSourceImpl ?? EventSource;
  const probe = o.probe ?? probeStatus;
  let source: EventSource | null = null;
  let stopped = false;
  let attempt = 0;
  let timer: ReturnType<typeof setTimeout> | undefined;

  const retry = () => {
    attempt += 1;
    const delay = Math.min(o.maxBackoffMs ?? 10_000, 500 * 2 ** Math.min(attempt, 5));
    timer = setTimeout(open, delay);
  };
  const open = () => {
    if (stopped) return;
    o.onState?.(attempt === 0 ? "connecting" : "reconnecting");
    const es = new ES(url);
    source = es;
    es.onopen = () => { attempt = 0; o.onState?.("live"); };
    for (const type of o.events) {
      es.addEventListener(type, (e) => {
        const raw = (e as MessageEvent).data;
        let data: unknown = raw;
        try { data = JSON.parse(raw); } catch { /* a non-JSON payload is passed on as text */ }
        o.onEvent(type, data);
      });
    }
    es.onerror = () => {
      if (stopped) return;
      if (es.readyState !== ES.CLOSED) { o.onState?.("reconnecting"); return; }
      es.close();
      probe(url).then(
        (status) => {
          if (stopped) return;
          if (REFUSED_STATUSES.includes(status)) { stopped = true; o.onState?.("refused"); o.onRefused?.(status); return; }
          o.onState?.("reconnecting");
          retry();
        },
        () => { if (!stopped) { o.onState?.("reconnecting"); retry(); } },
      );
    };
  };
  open();
  return () => { stopped = true; if (timer) clearTimeout(timer); source?.close(); };
}

/** What to tell the user about a refused stream. */
export function refusedMessage(status: number): string {
  if (status === 401) return "Live updates need you to sign in again.";
  if (status === 403) return "Live updates are not available to you here.";
  return "There are no live updates for this (it was not found).";
}
