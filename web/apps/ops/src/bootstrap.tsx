import { mountStandalone } from "@airline/ui/src/standalone";
import App from "./App";

mountStandalone(App);
