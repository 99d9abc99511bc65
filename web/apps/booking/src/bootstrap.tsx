import { createRoot } from "react-dom/client";
import { createApi, ensureStyles } from "@airline/ui";
import App from "./App";

// Running on its own (dev, or /remotes/booking/ directly): no shell around it, a guest.
ensureStyles();
const api = createApi();
const navigate = (route: string) => { location.hash = `#/${route}`; };
const render = () => root.render(<App api={api} session={null} route={location.hash.replace(/^#\/?/, "")} navigate={navigate} />);
const root = createRoot(document.getElementById("root")!);
window.addEventListener("hashchange", render);
render();
