/**
 * Ends every run with one plain line, `vitest: N passed, N failed, N skipped`, that CI systems and people can read
 * without parsing vitest's styled summary.
 */
import type { Reporter, TestModule } from "vitest/node";

type Counted = Pick<TestModule, "state"> & {
  readonly children: { allTests(): Iterable<{ result(): { readonly state: string } }> };
};

/**
 * The line's counts. A file that failed with no failed test (it did not load, or a hook like `beforeAll` threw and
 * its tests were skipped) counts as one failure, and so does an error vitest caught outside any test: a run that
 * failed never reads "0 failed".
 */
export function countResults(
  modules: ReadonlyArray<Counted>,
  unhandledErrors: ReadonlyArray<unknown> = [],
): { passed: number; failed: number; skipped: number } {
  let passed = 0;
  let failed = unhandledErrors.length;
  let skipped = 0;
  for (const module of modules) {
    let failedHere = 0;
    for (const test of module.children.allTests()) {
      const state = test.result().state;
      if (state === "passed") passed++;
      else if (state === "failed") failedHere++;
      else skipped++;
    }
    failed += module.state() === "failed" && failedHere === 0 ? 1 : failedHere;
  }
  return { passed, failed, skipped };
}

export default class SummaryReporter implements Reporter {
  onTestRunEnd(testModules: ReadonlyArray<TestModule>, unhandledErrors: ReadonlyArray<unknown>): void {
    const { passed, failed, skipped } = countResults(testModules, unhandledErrors);
    process.stdout.write(`\nvitest: ${passed} passed, ${failed} failed, ${skipped} skipped\n`);
  }
}
