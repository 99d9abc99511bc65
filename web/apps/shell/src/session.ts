import type { Api, Token } from "@airline/ui";

let inflight: Promise<Token> | null = null;

/** One /auth/refresh at a time: the refresh token is used up by each call, so two at once with
 * the same cookie would look like a stolen copy (and end the session). In this page every caller
 * that asks meanwhile (the load, calls that failed together) shares the answer; across the
 * site's tabs (a browser restoring several at once) a Web Lock makes them take turns, so each
 * sends the cookie the previous one was given. */
export function refreshSession(api: Pick<Api, "refresh">): Promise<Token> {
  const run = () => api.refresh();
  const locks = typeof navigator !== "undefined" ? navigator.locks : undefined;
  const next: Promise<Token> = inflight ?? (locks ? locks.request("airline-session-refresh", run).then((t) => t) : run()).finally(() => { inflight = null; });
  inflight = next;
  return next;
}
