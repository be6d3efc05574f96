import { describe, expect, it } from "vitest";
import { countResults } from "./support/summary-reporter";

/** A test file as the reporter reads it: its state and its tests' states. */
const file = (state: string, tests: string[]) => ({
  state: () => state as "passed",
  children: { allTests: () => tests.map((s) => ({ result: () => ({ state: s }) })) },
});

describe("the run's summary line", () => {
  it("counts each test by its state", () => {
    expect(
      countResults([file("passed", ["passed", "passed", "skipped"]), file("failed", ["failed", "passed"])]),
    ).toEqual({ passed: 3, failed: 1, skipped: 1 });
  });

  it("counts a file whose beforeAll threw (its tests skipped) as a failure, not as 0 failed", () => {
    expect(countResults([file("passed", ["passed"]), file("failed", ["skipped", "skipped"])])).toEqual({
      passed: 1,
      failed: 1,
      skipped: 2,
    });
  });

  it("counts a file that did not load (no tests) as a failure", () => {
    expect(countResults([file("failed", [])]).failed).toBe(1);
  });

  it("counts errors caught outside any test", () => {
    expect(countResults([file("passed", ["passed"])], [new Error("unhandled rejection")]).failed).toBe(1);
  });
});
