import { followLive, type LiveState } from "../sse";

/** A scripted EventSource: the browser API's states, driven by the test (there is no server
 * behind a jsdom EventSource; the real stream is covered by the browser tests). */
class ScriptedSource {
  static CLOSED = 2;
  static made: ScriptedSource[] = [];
  readyState = 0;
  onopen: (() => void) | null = null;
  onerror: (() => void) | null = null;
  listeners: Record<string, ((e: { data: string }) => void)[]> = {};
  closed = false;
  constructor(readonly url: string) { ScriptedSource.made.push(this); }
  addEventListener(type: string, fn: (e: { data: string }) => void) { (this.listeners[type] ??= []).push(fn); }
  close() { this.closed = true; this.readyState = 2; }
  emit(type: string, data: unknown) { this.listeners[type]?.forEach((fn) => fn({ data: JSON.stringify(data) })); }
}

describe("followLive", () => {
  beforeEach(() => { ScriptedSource.made = []; vi.useFakeTimers(); });
  afterEach(() => vi.useRealTimers());

  it("parses events, reports its state and reopens a stream the server closed", () => {
    const states: LiveState[] = [];
    const got: unknown[] = [];
    const stop = followLive("/live", { events: ["snapshot"], onEvent: (_, d) => got.push(d), onState: (s) => states.push(s),
      EventSourceImpl: ScriptedSource as unknown as typeof EventSource });
    const first = ScriptedSource.made[0];
    first.onopen?.();
    first.emit("snapshot", { n: 1 });
    first.readyState = ScriptedSource.CLOSED;
    first.onerror?.();
    expect(ScriptedSource.made).toHaveLength(1);
    vi.advanceTimersByTime(1000);
    expect(ScriptedSource.made).toHaveLength(2);
    ScriptedSource.made[1].onopen?.();
    ScriptedSource.made[1].emit("snapshot", { n: 2 });
    expect(got).toEqual([{ n: 1 }, { n: 2 }]);
    expect(states).toEqual(["connecting", "live", "reconnecting", "reconnecting", "live"]);
    stop();
    expect(ScriptedSource.made[1].closed).toBe(true);
  });

  it("leaves a dropped connection to EventSource's own retry and stops for good when asked", () => {
    const stop = followLive("/live", { events: [], onEvent: () => {}, EventSourceImpl: ScriptedSource as unknown as typeof EventSource });
    ScriptedSource.made[0].readyState = 0; // CONNECTING: the browser retries by itself
    ScriptedSource.made[0].onerror?.();
    vi.advanceTimersByTime(20_000);
    expect(ScriptedSource.made).toHaveLength(1);
    stop();
    ScriptedSource.made[0].onerror?.();
    vi.advanceTimersByTime(20_000);
    expect(ScriptedSource.made).toHaveLength(1);
  });
});
