import { remoteConfig } from "../../rspack.remote.mjs";

export default remoteConfig({ name: "ops", title: "Operations console", dir: import.meta.dirname });
