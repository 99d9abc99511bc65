import * as React from "react";
import * as ReactDOM from "react-dom";
import { init, loadRemote } from "@module-federation/enhanced/runtime";
import type { RemoteEntry } from "@airline/ui";

let ready = false;

/** Registers the remotes of remotes.json, sharing the shell's own React as the singleton every
 * remote uses ("loaded-first": the copy already running wins, whatever the remotes bundle). */
export function federation(remotes: RemoteEntry[]): void {
  if (ready) return;
  init({
    name: "shell",
    remotes: remotes.map((r) => ({ name: r.name, entry: r.entry })),
    shared: {
      react: { version: React.version, scope: "default", lib: () => React, shareConfig: { singleton: true, requiredVersion: false } },
      "react-dom": { version: ReactDOM.version, scope: "default", lib: () => ReactDOM, shareConfig: { singleton: true, requiredVersion: false } },
    },
    shareStrategy: "loaded-first",
  });
  ready = true;
}

// eslint-disable-next-line @typescript-eslint/no-explicit-any
export async function loadScreen(remotes: RemoteEntry[], name: string): Promise<React.ComponentType<any>> {
  federation(remotes);
  // eslint-disable-next-line @typescript-eslint/no-explicit-any
  const mod = await loadRemote<{ default: React.ComponentType<any> }>(`${name}/App`);
  if (!mod?.default) throw new Error(`${name} exposes no screen`);
  return mod.default;
}
