import "@testing-library/jest-dom/vitest";
import { configure } from "@testing-library/react";

// findBy*/waitFor wait up to 1 s by default: on two loaded cores (make test builds and lints
// beside these) a render that settles in 100 ms alone can take longer; a hang guard, not a claim
configure({ asyncUtilTimeout: 10_000 });
