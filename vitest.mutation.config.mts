// The suite Stryker runs for each mutant: every in-process test file; those that spawn the CLI or pack the package
// are left out (a child process's coverage is invisible to Stryker's perTest analysis, and they are slow).
import { defineConfig, mergeConfig } from "vitest/config";
import base from "./vitest.config.mts";

export default mergeConfig(
  base,
  defineConfig({
    test: {
      exclude: ["test/package.test.ts", "test/workflows.test.ts", "test/readme.test.ts"],
      reporters: ["default"],
    },
  }),
);
