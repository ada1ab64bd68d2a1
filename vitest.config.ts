import { createRequire } from "node:module";
import { defineConfig } from "vitest/config";

const require = createRequire(import.meta.url);

export default defineConfig({
  resolve: {
    // graphql 16 ships CommonJS and .mjs side by side; type-graphql and graphql-shield load the
    // CommonJS one, so the tests must too, or schema objects come from two "realms".
    alias: [{ find: /^graphql$/, replacement: require.resolve("graphql") }],
  },
  test: {
    include: ["test/**/*.test.ts"],
    // Starts (or reuses) the test Neo4j, migrates it and loads the demo channel once per run.
    globalSetup: ["test/support/global-setup.ts"],
    env: { NODE_ENV: "test" },
    testTimeout: 30_000,
    hookTimeout: 240_000,
    pool: "forks",
    maxWorkers: 2,
  },
});
