import { defineConfig } from "vitest/config";

export default defineConfig({
  test: {
    include: ["app/**/*.test.{ts,tsx}", "extensions/**/*.test.{ts,tsx}", "test/**/*.test.ts", "scripts/**/*.test.ts"],
    exclude: ["**/node_modules/**", "test/browser/**"],
    pool: "forks",
    // Two cores: two test files at a time, each with its own database and dev store.
    poolOptions: { forks: { maxForks: 2, minForks: 1 } },
    testTimeout: 60_000,
    hookTimeout: 120_000,
    env: { NODE_ENV: "test" },
    globalSetup: ["test/global-setup.ts"],
    setupFiles: ["test/matchers.ts"],
    // Shopify's Function test helpers run through Vite, so they share one `graphql` module with
    // the tests (Node would load its CommonJS build, Vite its ESM build: two realms).
    // Shopify's UI extension tester wants to be inlined too (it resolves the extension's modules).
    server: { deps: { inline: ["@shopify/shopify-function-test-helpers", "@shopify/ui-extensions-tester"] } },
  },
});
