import { defineConfig } from "vitest/config";

/** The fast unit tests of the folders under mutation testing (stryker.config.mjs); no processes, no browser. */
export default defineConfig({
  test: {
    include: [
      "test/unit/core/**/*.test.ts",
      "test/unit/store/**/*.test.ts",
      "test/unit/jobs/**/*.test.ts",
      "test/unit/adapters/**/*.test.ts",
      // Drives the engine and compares every reply with the stored ones: the check that sees the
      // conversation's texts and buttons as users do.
      "test/unit/fixtures/replies.test.ts",
    ],
    exclude: ["test/unit/adapters/teams/package.test.ts"],
    testTimeout: 30_000,
    hookTimeout: 60_000,
    pool: "forks",
  },
});
