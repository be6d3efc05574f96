/**
 * Property-based tests of the config -> plan pipeline. Valid configs come from a generator that knows the rules;
 * invalid ones are a valid config plus exactly one known mistake. Every valid config must yield a plan whose
 * invariants hold; every invalid one must be rejected with a ConfigError naming the key path of the mistake, and
 * (run through the real program under the mock runtime) before any resource is registered.
 */
import fc from "fast-check";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { ConfigError } from "../components/domain/errors";
import { type ResolvedStack, resolveStack } from "./support/config";
import {
  type Case,
  DAY,
  FC_PARAMS,
  isObjectStorage,
  LIMITS,
  planContext,
  type RawStack,
  Rng,
  validCaseArb,
} from "./support/arbitraries";
import { MUTATIONS, type Mutated, PROTOTYPE_NAMES } from "./support/mutations";
import { freshOffline, tempDir, watchRegistrations, writeStackFile } from "./support/offline";
import { checkLabels, checkValidPlan } from "./support/oracle";

// Mutation testing (vitest.mutation.config.mts) runs this file once per surviving mutant: it asks for a tenth.
const SCALE = Number(process.env.PLAKAR_FUZZ_SCALE ?? "1");
const VALID_RUNS = Math.ceil(800 * SCALE);
const LABEL_RUNS = Math.ceil(400 * SCALE);
const RUNS_PER_MUTATION = Math.ceil(25 * SCALE);
const MIN_CONFIGS = Math.ceil(1_500 * SCALE);

const counts = { valid: 0, invalid: 0 };
const byKind = new Map<string, number>();
const features = new Map<string, number>();
const feature = (name: string, on: boolean) => {
  if (!features.has(name)) features.set(name, 0);
  if (on) features.set(name, features.get(name)! + 1);
};

function recordFeatures(c: Case, plan: ResolvedStack): void {
  const specs = Object.values(c.config.credentials);
  feature(
    'projects "*"',
    specs.some((s) => s.projects === "*"),
  );
  feature(
    "custom credential (no preset)",
    specs.some((s) => s.preset === undefined),
  );
  feature(
    "preset plus explicit sets",
    specs.some((s) => s.preset !== undefined && (s.permissionSets ?? []).length > 0),
  );
  feature(
    "pinned expiry on a credential",
    specs.some((s) => s.expiresAt !== undefined),
  );
  feature("pinned apiKeys.expiresAt", c.config.apiKeys?.expiresAt !== undefined);
  feature(
    "pinned with a UTC offset",
    [c.config.apiKeys?.expiresAt, ...specs.map((s) => s.expiresAt)].some((t) => t !== undefined && !t.endsWith("Z")),
  );
  feature(
    "rotation override",
    specs.some((s) => s.rotateEveryDays !== undefined || s.overlapDays !== undefined),
  );
  feature(
    "previous key in its overlap",
    plan.credentials.some((p) => p.keys.previous !== undefined),
  );
  feature(
    "explicit preferred project",
    specs.some((s) => s.preferredProject !== undefined),
  );
  feature(
    "implicit preferred project",
    plan.credentials.some((p) => p.preferredProject && c.config.credentials[p.key].preferredProject === undefined),
  );
  feature(
    "Object Storage via explicit sets",
    specs.some((s) => (s.permissionSets ?? []).some(isObjectStorage)),
  );
  feature(
    "secret-manager delivery",
    plan.credentials.some((p) => p.delivery !== undefined),
  );
  feature(
    "name of exactly 64 characters",
    plan.credentials.some((p) => p.name.length === LIMITS.name),
  );
  feature(
    "two aliases, one project ID",
    new Set(Object.values(c.config.projects)).size < Object.keys(c.config.projects).length,
  );
  feature("empty namePrefix", c.config.namePrefix === "");
  feature("clock before the rotation epoch", c.now.getTime() < Date.UTC(2024, 0, 1));
  feature("several credentials", plan.credentials.length >= 3);
}

function planOrExplain(c: Case): ResolvedStack {
  try {
    return resolveStack(c.config, planContext(c));
  } catch (err) {
    throw new Error(`a valid config was rejected: ${(err as Error).message}`);
  }
}

/** Asserts that resolveStack rejects the mutated config with a ConfigError naming `m.path`. */
function expectRejected(c: Case, m: Mutated): ConfigError {
  let thrown: unknown;
  let plan: ResolvedStack | undefined;
  try {
    plan = resolveStack(m.config, planContext(c));
  } catch (err) {
    thrown = err;
  }
  expect(
    plan === undefined,
    `accepted, but ${m.path} is wrong; planned: ${JSON.stringify(plan?.credentials.map((p) => [p.key, p.rules[0]]))}`,
  ).toBe(true);
  expect(thrown, `rejected with something other than a ConfigError: ${String(thrown)}`).toBeInstanceOf(ConfigError);
  const err = thrown as ConfigError;
  expect(err.issues.length).toBeGreaterThan(0);
  for (const issue of err.issues) {
    expect(issue.path, `every issue names a key path: ${issue.message}`).not.toBe("");
    expect(issue.message.length).toBeGreaterThan(0);
  }
  expect(
    err.issues.map((i) => i.path),
    `issues of: ${err.message}`,
  ).toContain(m.path);
  expect(err.message).toContain(`${m.path}: `);
  if (m.suggest !== undefined) {
    const issue = err.issues.find((i) => i.path === m.path)!;
    expect(issue.message).toContain(`did you mean "${m.suggest}"`);
  }
  if (m.message !== undefined) {
    const messages = err.issues.filter((i) => i.path === m.path).map((i) => i.message);
    expect(
      messages.some((text) => text.includes(m.message!)),
      `${m.path}: ${messages.join(" / ")}`,
    ).toBe(true);
  }
  return err;
}

describe("fuzz: valid configs", () => {
  it(`accepts ${VALID_RUNS} generated valid configs, and every plan keeps its invariants`, () => {
    fc.assert(
      fc.property(validCaseArb, (c) => {
        counts.valid++;
        const plan = planOrExplain(c);
        checkValidPlan(c, plan);
        recordFeatures(c, plan);
      }),
      { ...FC_PARAMS, numRuns: VALID_RUNS },
    );
  });

  // Apart from the invariants above, so that a mislabelled project does not hide what else a plan gets wrong.
  it(`names the preferred and delivery projects by the aliases the config gives them (${LABEL_RUNS} configs)`, () => {
    fc.assert(
      fc.property(validCaseArb, (c) => {
        checkLabels(c, planOrExplain(c));
      }),
      { ...FC_PARAMS, numRuns: LABEL_RUNS },
    );
  });
});

describe("fuzz: invalid configs (one known mistake each)", () => {
  for (const mutation of MUTATIONS) {
    it(`rejects with the key path: ${mutation.kind}`, () => {
      fc.assert(
        fc.property(validCaseArb, fc.integer(), (c, seed) => {
          const m = mutation.apply(c, new Rng(seed));
          fc.pre(m !== undefined);
          counts.invalid++;
          byKind.set(mutation.kind, (byKind.get(mutation.kind) ?? 0) + 1);
          expectRejected(c, m);
        }),
        { ...FC_PARAMS, numRuns: RUNS_PER_MUTATION },
      );
    });
  }
});

describe("fuzz: regressions (each a minimal config of a mistake the generators make)", () => {
  const base = (): Case => ({
    stack: "staging",
    now: new Date("2026-11-26T00:00:00Z"),
    config: {
      organizationId: "5b0a1c2d-3e4f-4a5b-8c6d-7e8f9a0b1c2d",
      projects: { apps: "0c1d2e3f-4a5b-4c6d-8e7f-8a9b0c1d2e3f" },
      credentials: { inventory: { preset: "inventory", projects: ["apps"] } },
    },
  });
  const with_ = (edit: (config: RawStack) => void): Case => {
    const c = base();
    edit(c.config);
    return c;
  };
  const asMutated = (c: Case, path: string): Mutated => ({
    config: c.config as unknown as Record<string, unknown>,
    path,
  });

  it("the base config is valid", () => {
    checkValidPlan(base(), planOrExplain(base()));
  });

  for (const name of PROTOTYPE_NAMES) {
    it(`rejects the undeclared project alias "${name}" (an Object.prototype key)`, () => {
      const c = with_((config) => (config.credentials.inventory.projects = [name]));
      expectRejected(c, asMutated(c, "credentials.inventory.projects[0]"));
    });
    it(`rejects secretManager.project "${name}" (an Object.prototype key)`, () => {
      const c = with_((config) => (config.secretManager = { project: name }));
      expectRejected(c, asMutated(c, "secretManager.project"));
    });
  }

  it("rejects a credential named __proto__ instead of dropping it", () => {
    const c = base();
    Object.defineProperty(c.config.credentials, "__proto__", {
      value: { preset: "inventory", projects: ["apps"] },
      enumerable: true,
    });
    expectRejected(c, asMutated(c, "credentials.__proto__"));
  });

  for (const date of ["2027-02-30T12:00:00Z", "2027-06-31T12:00:00Z", "2027-04-31T00:00:00+02:00"]) {
    it(`rejects the calendar date that does not exist ${date}`, () => {
      const c = with_((config) => (config.credentials.inventory.expiresAt = date));
      expectRejected(c, asMutated(c, "credentials.inventory.expiresAt"));
    });
  }

  // Two aliases of one project: the stack resolves aliases to IDs, but must still show the alias written for a field.
  it("names the preferred project by the alias it is set with, when two aliases name that project", () => {
    const c = with_((config) => {
      config.projects.web = config.projects.apps;
      config.credentials = {
        buckets: { preset: "object-storage", projects: ["apps", "web"], preferredProject: "web" },
      };
    });
    const plan = planOrExplain(c);
    checkValidPlan(c, plan);
    checkLabels(c, plan);
  });

  it("names the delivery project by secretManager.project, when two aliases name that project", () => {
    const c = with_((config) => {
      config.projects.vault = "4a5b6c7d-8e9f-4a0b-8c1d-2e3f4a5b6c7d";
      config.projects.secrets = config.projects.vault;
      config.secretManager = { project: "vault" };
      config.credentials.inventory.deliver = "secret-manager";
      config.credentials.reader = { preset: "secret-provider", projects: ["vault"] };
    });
    const plan = planOrExplain(c);
    checkValidPlan(c, plan);
    checkLabels(c, plan);
  });

  it("never plans a pinned key that expires at or before now (sub-second pin)", () => {
    const c = with_((config) => (config.credentials.inventory.expiresAt = "2026-11-26T00:00:00.500Z"));
    let plan: ResolvedStack | undefined;
    try {
      plan = resolveStack(c.config, planContext(c));
    } catch (err) {
      expect((err as ConfigError).issues.map((i) => i.path)).toContain("credentials.inventory.expiresAt");
    }
    if (plan) {
      const at = plan.credentials[0].keys.current.expiresAt;
      expect(Date.parse(at), `planned expiresAt ${at} for a pin after now ${plan.now}`).toBeGreaterThan(
        c.now.getTime(),
      );
      expect(Date.parse(at) - c.now.getTime()).toBeLessThanOrEqual(365 * DAY);
    }
  });
});

describe("fuzz: invalid configs through the real program (mock runtime)", () => {
  let dir: string;
  beforeAll(() => {
    dir = tempDir();
  });

  // Kinds whose mistakes survive the stack-file encoding unchanged (YAML scalars become strings there).
  const OFFLINE_KINDS = [
    "top-level key typo",
    "credential key typo",
    "bad project UUID",
    "unknown project alias in a credential",
    "permission set typo",
    '"*" without allowAllProjects',
    "preferred project missing",
    "apiKeys overlapDays >= rotateEveryDays",
    "pinned expiry beyond maxLifetimeDays",
    "delivered credential not covered by a secret provider",
    "bad secretManager region",
  ];
  const bases = fc.sample(validCaseArb, { numRuns: 300, seed: 20261126 });
  const picked = OFFLINE_KINDS.map((kind) => {
    const mutation = MUTATIONS.find((m) => m.kind === kind)!;
    for (let i = 0; i < bases.length; i++) {
      const m = mutation.apply(bases[i], new Rng(1000 + i));
      if (m) return { kind, c: bases[i], m };
    }
    throw new Error(`no sampled config takes the mutation "${kind}"`);
  });

  it("observes registrations: a valid config registers its resources", async () => {
    const c = bases[0];
    const file = writeStackFile(dir, "valid.yaml", c.config as unknown as Record<string, unknown>);
    const watch = watchRegistrations();
    try {
      const result = await freshOffline({ stack: c.stack, configFile: file, now: c.now });
      expect(watch.programTypes().length).toBeGreaterThan(0);
      expect(watch.programTypes().length).toBe(result.resources.length);
    } finally {
      watch.stop();
    }
  });

  for (const [i, { kind, c, m }] of picked.entries()) {
    it(`throws ConfigError before registering anything: ${kind}`, async () => {
      const file = writeStackFile(dir, `invalid-${i}.yaml`, m.config);
      const watch = watchRegistrations();
      let thrown: unknown;
      try {
        await freshOffline({ stack: c.stack, configFile: file, now: c.now });
      } catch (err) {
        thrown = err;
      } finally {
        await new Promise((r) => setTimeout(r, 20));
        watch.stop();
      }
      expect(thrown, `accepted, but ${m.path} is wrong`).toBeInstanceOf(ConfigError);
      const err = thrown as ConfigError;
      expect(err.issues.map((x) => x.path)).toContain(m.path);
      // The same issues as the pure planner finds for the same config.
      expect(err.issues).toEqual(expectRejected(c, m).issues);
      expect(watch.programTypes(), "resources registered despite the invalid config").toEqual([]);
    });
  }

  it("valid generated configs: API keys get defaultProjectId exactly with Object Storage sets, one scope per policy", async () => {
    const samples = bases
      .filter((c) => {
        const specs = Object.values(c.config.credentials);
        return specs.length >= 2 && specs.some((s) => s.deliver === "secret-manager" || s.projects === "*");
      })
      .slice(0, 4);
    expect(samples.length).toBeGreaterThan(0);
    for (const [i, c] of samples.entries()) {
      const file = writeStackFile(dir, `valid-${i}.yaml`, c.config as unknown as Record<string, unknown>);
      const result = await freshOffline({ stack: c.stack, configFile: file, now: c.now });
      for (const { key: name, resolved: p } of result.resolved.credentials) {
        for (const key of [p.keys.current, p.keys.previous]) {
          if (!key) continue;
          const res = result.resources.find(
            (r) => r.type === "scaleway:iam/apiKey:ApiKey" && r.name === key.resourceName,
          );
          expect(res, `API key ${key.resourceName}`).toBeDefined();
          const inputs = res!.inputs as Record<string, unknown>;
          const os = p.permissionSets.some(isObjectStorage);
          expect("defaultProjectId" in inputs, `${key.resourceName}: defaultProjectId iff Object Storage`).toBe(os);
          if (os) {
            expect(inputs.defaultProjectId).toBe(p.preferredProject!.id);
            if (p.projects !== "*") expect(p.projects.map((x) => x.id)).toContain(inputs.defaultProjectId);
          }
          expect(inputs.expiresAt).toBe(key.expiresAt);
        }
        const policy = result.resources.find(
          (r) => r.type === "scaleway:iam/policy:Policy" && r.name === `${name}-policy`,
        );
        const rules = (policy!.inputs as { rules: Record<string, unknown>[] }).rules;
        expect(rules).toHaveLength(1);
        expect(["projectIds", "organizationId"].filter((k) => k in rules[0])).toHaveLength(1);
      }
    }
  });
});

describe("fuzz: population", () => {
  afterAll(() => {
    const kinds = [...byKind].map(([k, n]) => `${k}: ${n}`).join("; ");
    console.info(`fuzz: ${counts.valid} valid + ${counts.invalid} invalid configs generated (${kinds})`);
  });

  it(`generated at least ${MIN_CONFIGS} configs, with large valid and invalid populations`, () => {
    // A failing property stops at its first counterexample: fix those first, this count then follows.
    expect(counts.valid + counts.invalid, "configs generated and checked").toBeGreaterThanOrEqual(MIN_CONFIGS);
    expect(counts.valid).toBeGreaterThanOrEqual(VALID_RUNS);
    expect(counts.invalid).toBeGreaterThanOrEqual(MUTATIONS.length * RUNS_PER_MUTATION);
    for (const m of MUTATIONS)
      expect(byKind.get(m.kind) ?? 0, `mutation "${m.kind}" exercised`).toBeGreaterThanOrEqual(RUNS_PER_MUTATION);
    for (const [name, n] of features) expect(n, `valid configs with: ${name}`).toBeGreaterThan(0);
    expect(features.size).toBeGreaterThan(10);
  });
});
