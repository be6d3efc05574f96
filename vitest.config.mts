import { defineConfig } from "vitest/config";

export default defineConfig({
  test: {
    include: ["test/**/*.test.ts"],
    // The Pulumi SDK keeps global state: every test file runs in its own isolated module graph.
    isolate: true,
    pool: "forks",
    testTimeout: 60_000,
    reporters: ["default"],
  },
});
