import { createRoot } from "react-dom/client";
import { createApi } from "@airline/ui";
import App from "./App";

// Running on its own (dev, or /remotes/waiting-hall/ directly): no shell around it.
const api = createApi();
const route = new URLSearchParams(location.search).get("airport") ?? "";
createRoot(document.getElementById("root")!).render(<App api={api} session={null} route={route} navigate={() => {}} />);
