import { fileURLToPath } from "url";
import { defineConfig } from "vitest/config";

export default defineConfig({
  // The examples import the package by name, as another team's program would: serve it from the source.
  resolve: { alias: { "plakar-scaleway-iam": fileURLToPath(new URL("./components/index.ts", import.meta.url)) } },
  test: {
    include: ["test/**/*.test.ts", "components/test/**/*.test.ts"],
    // The Pulumi SDK keeps global state: every test file gets its own module graph (isolate), in a worker thread,
    // which starts faster than a process (tests that need a process spawn one).
    isolate: true,
    pool: "threads",
    // Vitest's default on a 2-core machine is one worker, which runs the files one after another; many files wait on
    // child processes (npm pack, the CLI's end-to-end tests), so two workers keep both cores busy.
    maxWorkers: 2,
    testTimeout: 120_000,
    hookTimeout: 120_000,
    reporters: ["default", "./test/support/summary-reporter.ts"],
    // Temporary files live in one folder per run, removed at its end.
    globalSetup: ["./test/support/tmp-root.ts"],
  },
});
