// Mutation testing (`npm run test:mutation`, not part of `npm test`: it is long). Mutates the core, the
// store, the jobs and the adapters' renderers, and runs only the unit tests that cover each mutant.
/** @type {import('@stryker-mutator/api/core').PartialStrykerOptions} */
export default {
  mutate: [
    "src/core/**/*.ts",
    "src/store/**/*.ts",
    "jobs/**/*.ts",
    "!jobs/cli.ts",
    "src/adapters/render/**/*.ts",
    "src/adapters/slack/render/**/*.ts",
    "src/adapters/teams/render/**/*.ts",
    "src/adapters/playground/render.ts",
  ],
  testRunner: "vitest",
  vitest: { configFile: "vitest.mutation.config.ts" },
  coverageAnalysis: "perTest",
  // Module-level constants would re-run every test per mutant: hours on this suite for little signal.
  ignoreStatic: true,
  incremental: true,
  incrementalFile: "reports/stryker-incremental.json",
  checkers: ["typescript"],
  tsconfigFile: "tsconfig.json",
  typescriptChecker: { prioritizePerformanceOverAccuracy: true },
  concurrency: 2,
  timeoutMS: 20_000,
  reporters: ["clear-text", "progress", "html"],
  htmlReporter: { fileName: "reports/mutation/index.html" },
  thresholds: { high: 90, low: 80, break: null },
  tempDirName: ".stryker-tmp",
};
