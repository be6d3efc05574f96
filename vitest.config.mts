import { fileURLToPath } from "url";
import { defineConfig } from "vitest/config";

/**
 * Test files that need a module graph of their own: they re-import modules (vi.resetModules, directly or through
 * test/support/offline.ts freshOffline), stub the environment, or set Pulumi's mocks in ways another file in the same
 * worker would see. Every other file shares its worker's modules (isolate: false), so @pulumi/pulumi and the SDKs are
 * loaded once per worker rather than once per file: on two cores that is a third of the suite's time.
 */
const ISOLATED = [
  "test/delivery.test.ts",
  "test/examples.test.ts",
  "test/program.test.ts",
  "test/determinism.test.ts",
  "test/fuzz.test.ts",
  "test/leaks.test.ts",
  "test/offline-options.test.ts",
  "test/plakar-cli.test.ts",
  "test/policy-analyzer.test.ts",
  "test/rules.program.test.ts",
  "test/upgrade.test.ts",
  "components/test/args.test.ts",
  "components/test/component-args.test.ts",
  "components/test/component-late.test.ts",
  "components/test/component-preview.test.ts",
  "components/test/component.test.ts",
  "components/test/provider.test.ts",
];

const shared = {
  // The examples import the package by name, as another team's program would: serve it from the source.
  resolve: { alias: { "plakar-scaleway-iam": fileURLToPath(new URL("./components/index.ts", import.meta.url)) } },
};

export default defineConfig({
  ...shared,
  test: {
    // Worker threads start faster than processes (tests that need a process spawn one). Vitest's default on a 2-core
    // machine is one worker; many files wait on child processes (npm, the CLI's end-to-end tests), so two keep both
    // cores busy.
    pool: "threads",
    maxWorkers: 2,
    testTimeout: 120_000,
    hookTimeout: 120_000,
    reporters: ["default", "./test/support/summary-reporter.ts"],
    // Temporary files live in one folder per run, removed at its end.
    globalSetup: ["./test/support/tmp-root.ts"],
    projects: [
      { ...shared, extends: true, test: { name: "isolated", include: ISOLATED, isolate: true } },
      {
        ...shared,
        extends: true,
        test: {
          name: "shared",
          include: ["test/**/*.test.ts", "components/test/**/*.test.ts"],
          exclude: ISOLATED,
          isolate: false,
        },
      },
    ],
  },
});
