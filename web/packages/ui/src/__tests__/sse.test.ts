import { followLive, refusedMessage, type LiveState } from "../sse";

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

  it("parses events, reports its state and reopens a stream the server closed", async () => {
    const states: LiveState[] = [];
    const got: unknown[] = [];
    const stop = followLive("/live", { events: ["snapshot"], onEvent: (_, d) => got.push(d), onState: (s) => states.push(s),
      EventSourceImpl: ScriptedSource as unknown as typeof EventSource, probe: async () => 200 });
    const first = ScriptedSource.made[0];
    first.onopen?.();
    first.emit("snapshot", { n: 1 });
    first.readyState = ScriptedSource.CLOSED;
    first.onerror?.();
    expect(ScriptedSource.made).toHaveLength(1);
    await vi.advanceTimersByTimeAsync(1000);
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

  it.each([403, 404])("says a refused stream (%i) is refused instead of reconnecting for ever", async (status) => {
    const states: LiveState[] = [];
    const refused: number[] = [];
    followLive("/live", { events: [], onEvent: () => {}, onState: (s) => states.push(s), onRefused: (s) => refused.push(s),
      EventSourceImpl: ScriptedSource as unknown as typeof EventSource, probe: async () => status });
    ScriptedSource.made[0].readyState = ScriptedSource.CLOSED;
    ScriptedSource.made[0].onerror?.();
    await vi.advanceTimersByTimeAsync(60_000);
    expect(refused).toEqual([status]);
    expect(ScriptedSource.made).toHaveLength(1);
    expect(states).toEqual(["connecting", "refused"]); // never "reconnecting"
    expect(refusedMessage(status)).not.toMatch(/reconnect/i);
  });

  it("keeps retrying a stream whose server is only down (a failed probe or a 5xx)", async () => {
    let n = 0;
    const refused: number[] = [];
    followLive("/live", { events: [], onEvent: () => {}, onRefused: (s) => refused.push(s),
      EventSourceImpl: ScriptedSource as unknown as typeof EventSource,
      probe: async () => { n += 1; if (n === 1) throw new Error("offline"); return 503; } });
    for (let i = 0; i < 2; i++) {
      const last = ScriptedSource.made[ScriptedSource.made.length - 1];
      last.readyState = ScriptedSource.CLOSED;
      last.onerror?.();
      await vi.advanceTimersByTimeAsync(10_000);
    }
    expect(ScriptedSource.made).toHaveLength(3);
    expect(refused).toEqual([]);
  });
});
