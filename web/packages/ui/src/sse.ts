/** A live stream that never gives up: EventSource reconnects by itself after a dropped
 * connection, but not after the server answered an error or the stream was closed for good,
 * so we reopen it with a capped backoff and report the state for a "reconnecting" badge. */
export type LiveState = "connecting" | "live" | "reconnecting";

export interface LiveOptions {
  onEvent: (type: string, data: unknown) => void;
  onState?: (state: LiveState) => void;
  events: string[];
  maxBackoffMs?: number;
  EventSourceImpl?: typeof EventSource;
}

export function followLive(url: string, o: LiveOptions): () => void {
  const ES = o.EventSourceImpl ?? EventSource;
  let source: EventSource | null = null;
  let stopped = false;
  let attempt = 0;
  let timer: ReturnType<typeof setTimeout> | undefined;

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
      o.onState?.("reconnecting");
      if (es.readyState === ES.CLOSED) {
        es.close();
        attempt += 1;
        const delay = Math.min(o.maxBackoffMs ?? 10_000, 500 * 2 ** Math.min(attempt, 5));
        timer = setTimeout(open, delay);
      }
    };
  };
  open();
  return () => { stopped = true; if (timer) clearTimeout(timer); source?.close(); };
}
