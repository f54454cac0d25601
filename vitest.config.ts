import { defineConfig } from "vitest/config";

export default defineConfig({
  test: {
    include: ["test/**/*.test.ts"],
    testTimeout: 30_000,
    hookTimeout: 60_000,
    // Files run in parallel workers; every Redis-backed test uses its own key prefix.
    pool: "forks",
    reporters: ["default", "./test/support/summary-reporter.ts"],
  },
});
