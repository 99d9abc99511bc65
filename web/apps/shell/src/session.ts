import type { Api, Token } from "@airline/ui";

let inflight: Promise<Token> | null = null;

/** One /auth/refresh at a time for the whole page: the refresh token is used up by each call,
 * so two at once with the same cookie would look like a stolen copy (and end the session).
 * Every caller that asks meanwhile (the load, calls that failed together) shares the answer. */
export function refreshSession(api: Pick<Api, "refresh">): Promise<Token> {
  inflight ??= api.refresh().finally(() => { inflight = null; });
  return inflight;
}
