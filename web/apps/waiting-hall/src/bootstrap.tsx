import { mountStandalone } from "@airline/ui/src/standalone";
import App from "./App";

// Opened on its own (/remotes/waiting-hall/?airport=XSP): the airport comes from the query.
mountStandalone(App, new URLSearchParams(location.search).get("airport") ?? "");
