"use client";

import { useRef, useState } from "react";

/**
 * The state of one form that changes money or bookings: its error, whether it is being sent,
 * and one idempotency key per attempt. A double click or a retry after a timeout reuses the key
 * (the server applies the request once); `renew()` starts a new attempt after a refusal.
 */
export function useAttempt() {
  const [error, setError] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);
  const key = useRef(crypto.randomUUID());
  const renew = () => { key.current = crypto.randomUUID(); };
  return { error, setError, busy, setBusy, key, renew };
}
