import { fileURLToPath } from "node:url";
import { defineConfig } from "vitest/config";

export default defineConfig({
  resolve: {
    // Strategies import the public face, as a user's file would. Compiled, Node resolves it through
    // package.json "exports" (a package may import itself by name); in the tests it is the source.
    alias: { "tollway/strategy": fileURLToPath(new URL("./src/agents/index.ts", import.meta.url)) },
  },
  test: {
    include: ["test/**/*.test.ts"],
    reporters: ["default", "./test/support/summary-reporter.ts"],
    // Golden and CLI tests spawn processes; give them room on a 2-core machine.
    testTimeout: 120_000,
    hookTimeout: 120_000,
    pool: "forks",
  },
});
