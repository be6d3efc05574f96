/**
 * Property tests for the keys of several rules: configs with several rules, staging projects and a Secret Manager backup's own
 * region must be accepted with every invariant the oracle states (each project gets exactly the sets the config
 * grants it, one scope per rule, rules with the same scope merged, the preferred project covered by an Object
 * Storage rule); each known mistake with those keys must be refused with its key path.
 */
import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { ConfigError } from "../components/domain/errors";
import { type ResolvedStack, resolveStack } from "./support/config";
import { type Case, FC_PARAMS, planContext, Rng, rulesCaseArb } from "./support/arbitraries";
import { MUTATIONS, RULE_MUTATIONS } from "./support/mutations";
import { checkLabels, checkValidPlan } from "./support/oracle";

// Mutation testing (vitest.mutation.config.mts) runs this file once per surviving mutant: it asks for a tenth.
const SCALE = Number(process.env.PLAKAR_FUZZ_SCALE ?? "1");

function planOrExplain(c: Case): ResolvedStack {
  try {
    return resolveStack(c.config, planContext(c));
  } catch (err) {
    throw new Error(`a valid config was rejected: ${(err as Error).message}\n${JSON.stringify(c.config)}`);
  }
}

describe("configs with several rules, staging projects and regions", () => {
  const seen = { rules: 0, split: 0, staging: 0, star: 0, region: 0 };

  it("accepts generated configs with rules, staging projects and regions, and keeps every invariant", () => {
    fc.assert(
      fc.property(rulesCaseArb, (c) => {
        const plan = planOrExplain(c);
        checkValidPlan(c, plan);
        for (const spec of Object.values(c.config.credentials)) {
          if (spec.rules) seen.rules++;
          if (spec.stagingProject !== undefined) seen.staging++;
          if (spec.region !== undefined) seen.region++;
          if (spec.rules?.some((r) => r.projects === "*")) seen.star++;
        }
        if (plan.credentials.some((p) => p.rules.length > 1)) seen.split++;
      }),
      { ...FC_PARAMS, numRuns: Math.ceil(400 * SCALE) },
    );
    // The generator reaches what it is for (at full scale: a tenth of the configs may miss a rare shape).
    if (SCALE >= 1) for (const [what, n] of Object.entries(seen)) expect(n, what).toBeGreaterThan(0);
  });

  // Apart from the invariants above, so that a mislabelled project does not hide what else a plan gets wrong.
  it("names the preferred (or staging) and delivery projects by the aliases the config gives them", () => {
    fc.assert(
      fc.property(rulesCaseArb, (c) => {
        checkLabels(c, planOrExplain(c));
      }),
      { ...FC_PARAMS, numRuns: Math.ceil(400 * SCALE) },
    );
  });

  for (const mutation of [...RULE_MUTATIONS, ...MUTATIONS.filter((m) => !RULE_MUTATIONS.includes(m))]) {
    it(`refuses with the key path: ${mutation.kind}`, () => {
      fc.assert(
        fc.property(rulesCaseArb, fc.integer(), (c, seed) => {
          const m = mutation.apply(c, new Rng(seed));
          fc.pre(m !== undefined);
          let thrown: unknown;
          try {
            resolveStack(m.config, planContext(c));
          } catch (err) {
            thrown = err;
          }
          expect(thrown, `accepted, but ${m.path} is wrong`).toBeInstanceOf(ConfigError);
          const issues = (thrown as ConfigError).issues;
          expect(
            issues.map((i) => i.path),
            (thrown as Error).message,
          ).toContain(m.path);
          if (m.message !== undefined) {
            const messages = issues.filter((i) => i.path === m.path).map((i) => i.message);
            expect(
              messages.some((text) => text.includes(m.message!)),
              `${m.path}: ${messages.join(" / ")}`,
            ).toBe(true);
          }
        }),
        { ...FC_PARAMS, numRuns: Math.ceil((RULE_MUTATIONS.includes(mutation) ? 60 : 8) * SCALE) },
      );
    });
  }
});
