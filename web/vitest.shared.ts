/** The one vitest configuration of every web package: each package's `npm test` is
 * `vitest run --config ../../vitest.shared.ts`, run in the package (its folder is the root, so
 * it finds its own tests). Component tests run in jsdom with testing-library's matchers. */
import path from "node:path";
import { defineConfig } from "vitest/config";

export default defineConfig({
  test: {
    environment: "jsdom",
    globals: true,
    setupFiles: [path.join(import.meta.dirname, "vitest.setup.ts")],
    // a hang guard, not a speed claim: `make test` runs these beside the build and lint on two
    // cores, where a jsdom test that takes 1 s alone took more than vitest's default 5 s
    testTimeout: 30_000,
  },
});
