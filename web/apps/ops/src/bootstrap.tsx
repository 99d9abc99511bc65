import { createRoot } from "react-dom/client";
import { createApi } from "@airline/ui";
import App from "./App";

// Running on its own (dev, or /remotes/<folder>/ directly): no shell, so no session either.
const api = createApi();
createRoot(document.getElementById("root")!).render(<App api={api} session={null} route="" navigate={() => {}} />);
