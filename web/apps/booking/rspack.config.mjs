import { remoteConfig } from "../../rspack.remote.mjs";

export default remoteConfig({ name: "booking", title: "Book a trip", dir: import.meta.dirname });
