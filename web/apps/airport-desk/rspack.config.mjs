import { remoteConfig } from "../../rspack.remote.mjs";

export default remoteConfig({ name: "airport_desk", title: "Airport desk", dir: import.meta.dirname });
