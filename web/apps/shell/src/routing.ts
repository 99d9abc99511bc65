import type { RemoteEntry, Role } from "@airline/ui";

/** The shell routes with the URL hash (#/<remote path>/<the remote's own route>) because it is a
 * static export: one index.html, served by the gateway, whatever the remote shows. */
export function parseHash(hash: string): { path: string; rest: string } {
  const clean = hash.replace(/^#\/?/, "");
  const [path = "", ...rest] = clean.split("/");
  return { path, rest: rest.join("/") };
}

export function visibleRemotes(remotes: RemoteEntry[], role: Role | null): RemoteEntry[] {
  return remotes.filter((r) => r.roles.includes("*") || (role === null ? r.roles.includes("guest") : role === "admin" || r.roles.includes(role)));
}
