import type { ComponentType } from "react";
import { createRoot } from "react-dom/client";
import { createApi } from "./api";
import type { RemoteProps } from "./remote";

/**
 * Mounts a remote's screen on its own page (dev, or /remotes/<folder>/ opened directly): there is
 * no shell around it, so no session either; the screens show the API's 401 where they need one.
 */
export function mountStandalone(App: ComponentType<RemoteProps>, route = "", navigate: (route: string) => void = () => {}) {
  const api = createApi();
  const root = createRoot(document.getElementById("root")!);
  root.render(<App api={api} session={null} route={route} navigate={navigate} />);
  return { api, root };
}
