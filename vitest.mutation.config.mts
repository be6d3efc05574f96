// The suite Stryker runs for each mutant of components/ and stack/: the tests of the domain, the component, the
// program, the command-line tools (in process) and the policy pack. Left out: the tests of tools whose code is not
// mutated (preflight, check-preview), those that only spawn processes or pack the package (a child process's coverage
// is invisible to Stryker's perTest analysis).
import { defineConfig } from "vitest/config";
import base from "./vitest.config.mts";

// The base config's settings without its projects: one list of files, each in a module graph of its own.
const test = { ...base.test! };
delete test.projects;

export default defineConfig({
  ...base,
  test: {
    ...test,
    isolate: true,
    include: [
      "components/test/domain.test.ts",
      "components/test/domain-credential.test.ts",
      "test/plan.test.ts",
      "test/rules.test.ts",
      "test/rules.fuzz.test.ts",
      "test/rules.program.test.ts",
      "components/test/presets.test.ts",
      "test/fuzz.test.ts",
      "test/hardening.test.ts",
      "components/test/args.test.ts",
      "components/test/component.test.ts",
      "components/test/component-late.test.ts",
      "components/test/component-preview.test.ts",
      "components/test/provider.test.ts",
      "test/retire.test.ts",
      "test/upgrade.test.ts",
      "test/examples.test.ts",
      "test/delivery.test.ts",
      "test/program.test.ts",
      "test/offline-options.test.ts",
      "test/rotation.test.ts",
      "test/cli.test.ts",
      "test/policy.test.ts",
      "components/test/schema.test.ts",
      "components/test/library.test.ts",
      "components/test/component-args.test.ts",
      "test/stack-resolve.test.ts",
      "test/plakar-cli.test.ts",
    ],
    reporters: ["default"],
    // The property tests, a tenth of their configs: enough to kill a mutant, cheap enough to run per mutant.
    // PLAKAR_MUTATION: work shared by a file's tests runs in each test's beforeEach (see oncePerFile).
    env: { PLAKAR_FUZZ_SCALE: "0.1", PLAKAR_MUTATION: "1" },
  },
});
