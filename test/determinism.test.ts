/**
 * Determinism: the same config and clock give a byte-identical JSON plan, across runs (in one process, and in
 * separate CLI processes) and across any reordering of the config's maps and lists.
 */
import * as fs from "fs";
import fc from "fast-check";
import { beforeAll, describe, expect, it } from "vitest";
import { ConfigError } from "../components/domain/errors";
import type { OfflinePlan } from "../tools/plan/offline";
import { type ResolvedStack, resolveStack } from "./support/config";
import { renderJson, renderMarkdown, renderTable } from "../tools/plan/render";
import {
  FC_PARAMS,
  planContext,
  type RawCredential,
  type RawStack,
  reorder,
  Rng,
  validCaseArb,
} from "./support/arbitraries";
import { MUTATIONS } from "./support/mutations";
import { freshOffline, runInProcess, runScript, type ScriptResult, tempDir, writeStackFile } from "./support/offline";

const NOW = new Date("2026-09-18T00:00:00Z");
const NOW_ARG = "2026-09-18T00:00:00Z";

/**
 * The plan as JSON, byte for byte, except what only mirrors the config's own order: the map of declared aliases,
 * and the lists handed to each component as its arguments (tags, permission sets, project IDs). A component sorts
 * those itself and records none of them (its only input is the retired flag), so their order changes no resource;
 * every value the stack resolves (names, rules, keys, projects and their labels, delivery, Plakar's form) keeps its
 * bytes.
 */
function planJson(plan: ResolvedStack): string {
  const sorted = <T>(xs: readonly T[] | undefined) => (xs === undefined ? undefined : [...xs].sort());
  return JSON.stringify({
    ...plan,
    projects: Object.fromEntries(Object.entries(plan.projects).sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0))),
    credentials: plan.credentials.map((c) => {
      const args = c.args as unknown as Record<string, unknown> & {
        tags?: string[];
        permissionSets?: string[];
        projectIds?: string[];
        rules?: Record<string, unknown>[];
      };
      return {
        ...c,
        args: {
          ...args,
          tags: sorted(args.tags),
          permissionSets: sorted(args.permissionSets),
          projectIds: sorted(args.projectIds),
          rules: args.rules?.map((r) => ({ ...r, projectIds: sorted(r.projectIds as string[] | undefined) })),
        },
      };
    }),
  });
}

/** Every map's keys and every list in reverse order: same meaning, different bytes. */
function reversed(config: RawStack): RawStack {
  const rev = <T extends object>(obj: T): T => Object.fromEntries(Object.entries(obj).reverse()) as T;
  const credentials: Record<string, RawCredential> = {};
  for (const [key, spec] of Object.entries(config.credentials).reverse()) {
    const copy: RawCredential = { ...spec };
    if (copy.permissionSets) copy.permissionSets = [...copy.permissionSets].reverse();
    if (copy.projects !== "*") copy.projects = [...copy.projects].reverse();
    credentials[key] = rev(copy);
  }
  const out: RawStack = { ...config, projects: rev(config.projects), credentials };
  if (out.tags) out.tags = [...out.tags].reverse();
  if (out.apiKeys) out.apiKeys = rev(out.apiKeys);
  if (out.secretManager) out.secretManager = rev(out.secretManager);
  return rev(out);
}

/** Several credentials, each with multi-entry lists, so that reversing changes every map and list. */
const RICH: RawStack = {
  organizationId: "5b0a1c2d-3e4f-4a5b-8c6d-7e8f9a0b1c2d",
  projects: {
    apps: "0c1d2e3f-4a5b-4c6d-8e7f-8a9b0c1d2e3f",
    backups: "1d2e3f4a-5b6c-4d7e-9f8a-9b0c1d2e3f4a",
    vault: "4a5b6c7d-8e9f-4a0b-8c1d-2e3f4a5b6c7d",
    Data_2: "2e3f4a5b-6c7d-4e8f-8a9b-0c1d2e3f4a5b",
    // Differs from "apps" only by case: its place in a sorted list must not depend on the machine's locale.
    Apps: "3f4a5b6c-7d8e-4f9a-9b0c-1d2e3f4a5b6c",
  },
  namePrefix: "plakar-",
  allowAllProjects: true,
  tags: ["team=platform", "env=staging", "cost-center=42"],
  apiKeys: { maxLifetimeDays: 200, rotateEveryDays: 60, overlapDays: 10 },
  secretManager: { project: "vault", region: "fr-par", pathPrefix: "/plakar" },
  credentials: {
    secrets: { preset: "secret-provider", projects: ["vault", "backups"] },
    buckets: {
      preset: "object-storage",
      permissionSets: ["ObjectStorageBucketPolicyFullAccess", "BlockStorageReadOnly"],
      projects: ["backups", "apps", "Data_2"],
      preferredProject: "backups",
      deliver: "secret-manager",
      description: "Backups bucket (Plakar store)",
    },
    inventory: {
      preset: "inventory",
      projects: ["apps", "Data_2", "Apps", "backups"],
      rotateEveryDays: 30,
      overlapDays: 5,
    },
    volumes: {
      preset: "block-storage-backup",
      projects: "*",
      preferredProject: "Data_2",
      expiresAt: "2026-12-24T00:00:00Z",
    },
    custom: {
      permissionSets: ["InstancesReadOnly", "BlockStorageReadOnly", "IPAMReadOnly"],
      projects: ["apps", "vault"],
      deliver: "secret-manager",
    },
  },
};

describe("determinism: the pure planner (fuzzed)", () => {
  it("plans a generated config identically across runs and across reorderings of its maps and lists", () => {
    let reorderedSomething = 0;
    fc.assert(
      fc.property(validCaseArb, fc.integer(), (c, seed) => {
        const plan = resolveStack(c.config, planContext(c));
        const first = planJson(plan);
        const again = resolveStack(
          structuredClone(c.config),
          planContext({ stack: c.stack, now: new Date(c.now.getTime()) }),
        );
        const shuffled = reorder(c.config, new Rng(seed));
        if (JSON.stringify(shuffled) !== JSON.stringify(c.config)) reorderedSomething++;
        // The same config twice: the same bytes, arguments included.
        expect(JSON.stringify(again)).toBe(JSON.stringify(plan));
        expect(planJson(resolveStack(shuffled, planContext(c)))).toBe(first);
        expect(planJson(resolveStack(reversed(c.config), planContext(c)))).toBe(first);
      }),
      { ...FC_PARAMS, numRuns: 300 },
    );
    expect(reorderedSomething, "the reorderings did change the configs").toBeGreaterThan(200);
  });

  // Two aliases of one project (the generator makes such configs): which alias the plan shows must not depend on the
  // order of the credential's projects nor of the declared aliases.
  it("shows a project named by two aliases the same way whatever the order of the config's lists and maps", () => {
    const ids = { apps: "0c1d2e3f-4a5b-4c6d-8e7f-8a9b0c1d2e3f", backups: "1d2e3f4a-5b6c-4d7e-9f8a-9b0c1d2e3f4a" };
    const config: RawStack = {
      organizationId: "5b0a1c2d-3e4f-4a5b-8c6d-7e8f9a0b1c2d",
      projects: { apps: ids.apps, web: ids.apps, backups: ids.backups, vault: ids.backups },
      secretManager: { project: "vault" },
      credentials: {
        buckets: {
          preset: "object-storage",
          projects: ["apps", "web", "backups"],
          preferredProject: "web",
          deliver: "secret-manager",
        },
        reader: { preset: "secret-provider", projects: ["vault"] },
      },
    };
    const c = { config, stack: "staging", now: NOW };
    const first = planJson(resolveStack(config, planContext(c)));
    expect(planJson(resolveStack(reversed(config), planContext(c)))).toBe(first);
  });

  it("rejects a generated invalid config with the same issues on every run", () => {
    fc.assert(
      fc.property(validCaseArb, fc.integer(), fc.nat({ max: MUTATIONS.length - 1 }), (c, seed, k) => {
        const m = MUTATIONS[k].apply(c, new Rng(seed));
        fc.pre(m !== undefined);
        const messages = [0, 1].map(() => {
          try {
            resolveStack(structuredClone(m.config), planContext(c));
            return "accepted";
          } catch (err) {
            return err instanceof ConfigError ? JSON.stringify(err.issues) : String(err);
          }
        });
        expect(messages[1]).toBe(messages[0]);
      }),
      { ...FC_PARAMS, numRuns: 100 },
    );
  });
});

describe("determinism: the offline plan of the real program", () => {
  let dir: string;
  let original: string;
  let reorderedFile: string;

  beforeAll(() => {
    dir = tempDir();
    // Named for stack staging: --config Pulumi.<stack>.yaml plans that stack, as the in-process runs below do.
    original = writeStackFile(dir, "Pulumi.staging.yaml", RICH as unknown as Record<string, unknown>);
    reorderedFile = writeStackFile(
      fs.mkdtempSync(`${dir}/reordered-`),
      "Pulumi.staging.yaml",
      reversed(RICH) as unknown as Record<string, unknown>,
    );
  });

  it("the example stack: byte-identical JSON, table and Markdown across two runs", async () => {
    const a = await freshOffline({ stack: "staging", now: NOW });
    const b = await freshOffline({ stack: "staging", now: new Date(NOW.getTime()) });
    expect(renderJson(b)).toBe(renderJson(a));
    expect(renderTable(b)).toBe(renderTable(a));
    expect(renderMarkdown(b.resolved)).toBe(renderMarkdown(a.resolved));
  });

  describe("a config and its reordering", () => {
    let runs: OfflinePlan[];
    let cli: ScriptResult[];

    beforeAll(async () => {
      // Control: the two stack files really differ (every map and list is reversed).
      expect(fs.readFileSync(reorderedFile, "utf8")).not.toBe(fs.readFileSync(original, "utf8"));
      runs = [];
      for (const file of [original, reorderedFile, original])
        runs.push(await freshOffline({ stack: "staging", configFile: file, now: NOW }));
      const args = (file: string, format: string) => ["--format", format, "--config", file, "--now", NOW_ARG];
      // The commands' main in this process for what does not depend on the process; real processes only where
      // the machine's locale is the point.
      cli = [
        await runInProcess("plan", args(original, "json")),
        await runInProcess("plan", args(reorderedFile, "json")),
      ];
      const locale = (file: string, format: string, lc: string) =>
        runScript("plan", args(file, format), { LC_ALL: lc, LANG: lc });
      cli.push(
        ...(await Promise.all([
          locale(original, "json", "da_DK.UTF-8"),
          locale(original, "markdown", "C"),
          locale(original, "markdown", "da_DK.UTF-8"),
        ])),
      );
    }, 60_000);

    it("plans every credential, delivered ones included (control)", () => {
      expect(runs[0].resolved.credentials.map((c) => c.key)).toEqual([
        "buckets",
        "custom",
        "inventory",
        "secrets",
        "volumes",
      ]);
      expect(runs[0].resources.filter((r) => r.type === "scaleway:secrets/secret:Secret")).toHaveLength(2);
    });

    it("gives a byte-identical JSON plan in process, across runs and across the reordering", () => {
      const json = renderJson(runs[0]);
      expect(renderJson(runs[2]), "same file, second run").toBe(json);
      expect(renderJson(runs[1]), "reordered file").toBe(json);
      expect(renderTable(runs[1])).toBe(renderTable(runs[0]));
      expect(renderMarkdown(runs[1].resolved)).toBe(renderMarkdown(runs[0].resolved));
    });

    it("gives the same bytes from the CLI for both files, in process and in separate processes", () => {
      for (const run of cli) expect(run.code, run.stderr).toBe(0);
      expect(cli[1].stdout, "CLI: reordered file").toBe(cli[0].stdout);
      expect(cli[0].stdout, "CLI vs in-process").toBe(renderJson(runs[0]));
      expect(cli[2].stdout, "CLI process vs in-process").toBe(renderJson(runs[0]));
    });

    it("gives the same bytes whatever the machine's locale (Danish sorts upper case first)", () => {
      for (const run of cli) expect(run.code, run.stderr).toBe(0);
      expect(cli[2].stdout, "JSON plan, LC_ALL=da_DK.UTF-8").toBe(cli[0].stdout);
      expect(cli[4].stdout, "Markdown access report, LC_ALL=da_DK.UTF-8 vs C").toBe(cli[3].stdout);
    });
  });
});
