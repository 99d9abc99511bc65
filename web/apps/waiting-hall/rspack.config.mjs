import { remoteConfig } from "../../rspack.remote.mjs";

export default remoteConfig({ name: "waiting_hall", title: "Waiting hall", dir: import.meta.dirname });
