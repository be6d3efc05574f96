// Mutation testing: `npm run mutation` (not part of `npm test`: it runs the suite once per mutant).
// Stryker 9.6 (10.x needs Node 22). Only in-process tests count: code reached through a child process is seen as
// uncovered by `perTest` coverage, so the CLI's process tests are left out (vitest.mutation.config.mts).
/** @type {import('@stryker-mutator/api/core').PartialStrykerOptions} */
export default {
  testRunner: "vitest",
  vitest: { configFile: "vitest.mutation.config.mts" },
  coverageAnalysis: "perTest",
  // The component package and the stack's own config logic.
  // One file or a few: `npm run mutation -- --mutate components/domain/scope.ts`.
  mutate: [
    "components/**/*.ts",
    "stack/**/*.ts",
    "!components/dist/**",
    "!components/scripts/**",
    "!components/test/**",
  ],
  checkers: [],
  concurrency: 2,
  // Mutants in module-level code (schemas, constants) would each rerun the whole suite: hours on 2 cores.
  ignoreStatic: true,
  // A mutant that loops forever is a timeout (counted as killed) after this much more than the tests normally take.
  timeoutMS: 8_000,
  reporters: ["clear-text", "progress", "html", "json"],
  htmlReporter: { fileName: "reports/mutation/index.html" },
  jsonReporter: { fileName: "reports/mutation/mutation.json" },
  thresholds: { high: 90, low: 80, break: null },
  tempDirName: ".stryker-tmp",
  ignorePatterns: ["dist", ".build", "reports", "coverage", "node_modules", ".stryker-tmp"],
};
