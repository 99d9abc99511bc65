import { createRoot } from "react-dom/client";
import { createApi } from "@airline/ui";
import App from "./App";

// Running on its own (dev, or /remotes/airport-desk/ directly): no shell, so no sign-in either;
// the screens show the API's 401 until it runs inside the shell as an agent.
const api = createApi();
createRoot(document.getElementById("root")!).render(<App api={api} session={null} route="" navigate={() => {}} />);
