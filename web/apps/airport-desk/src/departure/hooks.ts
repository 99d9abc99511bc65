import { useCallback, useEffect, useRef, useState } from "react";
import { refusal } from "./refusals";

/** Read one departure route; `version` changes re-read it (after an action changed the flight). */
export function useLoad<T>(load: () => Promise<T>, version: number) {
  const [data, setData] = useState<T | null>(null);
  const [error, setError] = useState<string | null>(null);
  useEffect(() => {
    let live = true;
    setError(null);
    load().then((d) => { if (live) setData(d); }).catch((e) => { if (live) setError(refusal(e)); });
    return () => { live = false; };
  }, [load, version]);
  return { data, setData, error };
}

/** One action at a time: a second click while the first runs does nothing; a refusal is kept as text. */
export function useAction() {
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<string | null>(null);
  const running = useRef(false);
  const run = useCallback(async <T>(act: () => Promise<T>): Promise<T | undefined> => {
    if (running.current) return undefined;
    running.current = true; setBusy(true); setError(null);
    try { return await act(); }
    catch (e) { setError(refusal(e)); return undefined; }
    finally { running.current = false; setBusy(false); }
  }, []);
  return { busy, error, setError, run };
}
