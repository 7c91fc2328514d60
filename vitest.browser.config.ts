import { defineConfig } from "vitest/config";

// The browser test: `npm run demo` in the background, driven by Debian's Chromium.
export default defineConfig({
  test: {
    include: ["test/browser/**/*.test.ts"],
    testTimeout: 120_000,
    hookTimeout: 240_000,
    fileParallelism: false,
    // A page's answer goes through the app, the dev store and a carrier: give each poll time
    // on a busy machine (CI runs the suites back to back).
    expect: { poll: { timeout: 10_000 } },
  },
});
