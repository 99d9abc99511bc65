import type { Api, User } from "./api";

/** What the shell hands to every remote's exposed screen: one contract for all remotes. */
export interface Session { token: string; user: User }

export interface RemoteProps {
  api: Api;
  session: Session | null;
  /** The part of the shell's location after the remote's own path (e.g. "XSP" in #/board/XSP). */
  route: string;
  navigate: (route: string) => void;
}

/** One line of remotes.json (served next to the shell; a remote redeploys without the shell). */
export interface RemoteEntry {
  name: string;
  entry: string;
  title: string;
  path: string;
  /** Roles that see it in the navigation: "guest" = signed-out visitors, "*" = everyone. */
  roles: string[];
  fullscreen?: boolean;
  /** One line under the title on the home page. */
  description?: string;
}
