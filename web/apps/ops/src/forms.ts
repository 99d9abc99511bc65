import { useState } from "react";
import { isApiError } from "@airline/ui";

/** Field errors by the field's path in the request body ("registration", "layout.cabins.0.first_row"). */
export type FieldErrors = Record<string, string>;

/** A refusal as a form shows it: a problem+json 422's `errors` by field (the "body." prefix
 * dropped), and the message for above the form (the problem's `detail`). */
export function problemOf(err: unknown): { message: string; fields: FieldErrors } {
  const fields: FieldErrors = {};
  const body = isApiError(err) && err.body && typeof err.body === "object" ? err.body as { detail?: unknown; errors?: { field?: string; message?: string }[] } : null;
  for (const e of body?.errors ?? []) {
    if (!e.field) continue;
    const key = e.field.replace(/^(body|query|path)\./, "");
    const text = (e.message ?? "invalid").replace(/^Value error, /, "");
    fields[key] = fields[key] ? `${fields[key]}; ${text}` : text;
  }
  const message = Object.keys(fields).length && typeof body?.detail === "string" ? body.detail : (err as Error).message;
  return { message, fields };
}

/** The errors at a field and under it ("layout.exit_rows" takes "layout.exit_rows.2" too). */
export function errorAt(fields: FieldErrors, key: string): string | null {
  const found = Object.entries(fields).filter(([k]) => k === key || k.startsWith(`${key}.`)).map(([, v]) => v);
  return found.length ? found.join("; ") : null;
}

/** The errors at none of the fields a form shows (they go in its alert, not lost). */
export function otherErrors(fields: FieldErrors, shown: string[]): string[] {
  return Object.entries(fields).filter(([k]) => !shown.some((s) => k === s || k.startsWith(`${s}.`))).map(([k, v]) => `${k}: ${v}`);
}

/** A form's sending state: busy, the refusal's message and its field errors. */
export function useSend() {
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<string | null>(null);
  const [fields, setFields] = useState<FieldErrors>({});
  const [code, setCode] = useState<string | undefined>(undefined);
  const run = async <T,>(fn: () => Promise<T>): Promise<T | undefined> => {
    setBusy(true); setError(null); setFields({}); setCode(undefined);
    try { return await fn(); } catch (e) {
      const p = problemOf(e);
      setError(p.message); setFields(p.fields); setCode(isApiError(e) ? e.code : undefined);
      return undefined;
    } finally { setBusy(false); }
  };
  const clear = (key?: string) => setFields((f) => (key ? Object.fromEntries(Object.entries(f).filter(([k]) => k !== key && !k.startsWith(`${key}.`))) : {}));
  /** code: the refusal's problem+json `code` (e.g. door_not_closed) */
  return { busy, error, fields, code, run, setError, setFields, clear };
}
