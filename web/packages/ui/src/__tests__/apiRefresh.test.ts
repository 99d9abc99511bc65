import { createApi, isApiError } from "../api";

const json = (status: number, body: unknown) => new Response(JSON.stringify(body), { status, headers: { "Content-Type": "application/json" } });

describe("an expired token", () => {
  it("is refreshed once and the call retried with the new token", async () => {
    const seen: (string | null)[] = [];
    const fetch = vi.fn(async (_url: RequestInfo | URL, init?: RequestInit) => {
      const auth = (init?.headers as Record<string, string>).Authorization ?? null;
      seen.push(auth);
      return auth === "Bearer fresh" ? json(200, { bookings: [] }) : json(401, { detail: "token expired" });
    });
    let refreshes = 0;
    const api = createApi({ fetch, getToken: () => "stale", onUnauthorized: async () => { refreshes += 1; return "fresh"; } });
    expect(await api.myBookings()).toEqual({ bookings: [] });
    expect(seen).toEqual(["Bearer stale", "Bearer fresh"]);
    expect(refreshes).toBe(1);
  });

  it("stays a 401 when the session cannot be refreshed, and is never retried for a signed-out call", async () => {
    const fetch = vi.fn(async () => json(401, { detail: "token expired" }));
    const onUnauthorized = vi.fn(async () => null);
    const api = createApi({ fetch, getToken: () => "stale", onUnauthorized });
    const err = await api.myBookings().catch((e) => e);
    expect(isApiError(err) && err.status).toBe(401);
    expect(fetch).toHaveBeenCalledTimes(1);
    const guest = createApi({ fetch, onUnauthorized });
    await guest.myBookings().catch(() => undefined);
    expect(onUnauthorized).toHaveBeenCalledTimes(1); // no token sent: nothing to refresh
  });
});
