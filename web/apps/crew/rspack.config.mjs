import { remoteConfig } from "../../rspack.remote.mjs";

export default remoteConfig({ name: "crew", title: "Crew portal", dir: import.meta.dirname });
