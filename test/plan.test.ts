/** The pure config -> plan step, without Pulumi: resolution and every guardrail. */
import { describe, expect, it } from "vitest";
import { parsePreset } from "../components/domain/presets";
import { planStack, type StackPlan } from "../stack/credentials";
import type { OfflinePlan } from "../tools/plan/offline";
import { accessByProject, daysLeft, mdCode, mdText, renderMarkdown, renderTable } from "../tools/plan/render";
import { APPS, BACKUPS, baseConfig, catalog, context, issuesOf, NOW, ORG, plan, presets } from "./support/config";

const REFERENCE_PRESETS: Record<string, string[]> = {
  inventory: ["AllProductsReadOnly"],
  "secret-provider": ["SecretManagerReadOnly", "SecretManagerSecretAccess"],
  "secret-manager-backup": [
    "SecretManagerReadOnly",
    "SecretManagerSecretAccess",
    "SecretManagerSecretCreate",
    "SecretManagerSecretWrite",
    "SecretManagerSecretRestore",
  ],
  "instance-backup": [
    "InstancesFullAccess",
    "BlockStorageFullAccess",
    "ObjectStorageBucketsRead",
    "ObjectStorageBucketsWrite",
    "ObjectStorageObjectsRead",
    "ObjectStorageObjectsWrite",
  ],
  "block-storage-backup": [
    "BlockStorageFullAccess",
    "ObjectStorageBucketsRead",
    "ObjectStorageBucketsWrite",
    "ObjectStorageObjectsRead",
    "ObjectStorageObjectsWrite",
  ],
  "object-storage": [
    "ObjectStorageBucketsRead",
    "ObjectStorageBucketsWrite",
    "ObjectStorageObjectsRead",
    "ObjectStorageObjectsWrite",
    "ObjectStorageObjectsDelete",
  ],
  // Narrower than Plakar's list: a backup source is only read.
  "object-storage-source": ["ObjectStorageBucketsRead", "ObjectStorageObjectsRead"],
};

describe("presets and catalog", () => {
  it("ships the documented catalog: 202 sets, 176 project-scoped", () => {
    expect(catalog.size).toBe(202);
    expect([...catalog.values()].filter((s) => s.scope === "project")).toHaveLength(176);
    expect(catalog.get("IAMManager")?.scope).toBe("organization");
  });

  it("has exactly the Plakar use cases with exactly the reference permission sets", () => {
    expect([...presets.keys()].sort()).toEqual(Object.keys(REFERENCE_PRESETS).sort());
    for (const [name, sets] of Object.entries(REFERENCE_PRESETS)) {
      expect(presets.get(name)?.permissionSets, name).toEqual(sets);
      expect(presets.get(name)?.plakar.fields.length, name).toBeGreaterThan(0);
    }
  });

  it("a secret provider is asked only for its secret key, never its access key", () => {
    const labels = presets.get("secret-provider")?.plakar.fields.map((f) => f.from);
    expect(labels).toEqual(["name", "region", "secretKey"]);
  });
});

describe("resolution", () => {
  it("names, describes and tags the application and policy", () => {
    const p = plan(baseConfig({ tags: ["team=platform", "cost=backup"] }));
    const c = p.credentials[0];
    expect(c.name).toBe("plakar-staging-inventory");
    expect(c.description).toBe(
      "Plakar inventory for stack staging: Discovers resources for a Plakar Scaleway inventory",
    );
    expect(c.tags).toEqual([
      "cost=backup",
      "managed-by=pulumi",
      "stack=staging",
      "team=platform",
      "use-case=inventory",
    ]);
  });

  it("uses namePrefix", () => {
    expect(plan(baseConfig({ namePrefix: "acme-" })).credentials[0].name).toBe("acme-staging-inventory");
  });

  it("builds one rule with sorted project IDs and sorted, deduplicated sets", () => {
    const p = plan(
      baseConfig({
        credentials: {
          reports: {
            preset: "secret-provider",
            permissionSets: ["SecretManagerReadOnly", "AllProductsReadOnly", "AllProductsReadOnly"],
            projects: ["backups", "apps"],
          },
        },
      }),
    );
    expect(p.credentials[0].rules[0]).toEqual({
      projectIds: [APPS, BACKUPS].sort(),
      permissionSetNames: ["AllProductsReadOnly", "SecretManagerReadOnly", "SecretManagerSecretAccess"],
    });
    expect(p.credentials[0].useCase).toBe("secret-provider");
  });

  it('scopes "*" to the organization when allowAllProjects is on', () => {
    const p = plan(
      baseConfig({ allowAllProjects: true, credentials: { inv: { preset: "inventory", projects: "*" } } }),
    );
    expect(p.credentials[0].rules[0]).toEqual({ organizationId: ORG, permissionSetNames: ["AllProductsReadOnly"] });
    expect(p.credentials[0].projects).toBe("*");
  });

  it("a custom credential takes explicit sets only and is tagged use-case=custom", () => {
    const c = plan(
      baseConfig({ credentials: { reports: { permissionSets: ["ObjectStorageObjectsRead"], projects: ["backups"] } } }),
    ).credentials[0];
    expect(c.useCase).toBe("custom");
    expect(c.permissionSets).toEqual(["ObjectStorageObjectsRead"]);
    expect(c.tags).toContain("use-case=custom");
    expect(c.preferredProject).toEqual({ label: "backups", id: BACKUPS });
  });

  it("gives a preferred project only to Object Storage credentials: the only project, or preferredProject", () => {
    const p = plan(
      baseConfig({
        credentials: {
          single: { preset: "object-storage", projects: ["backups"] },
          chosen: { preset: "block-storage-backup", projects: ["apps", "backups"], preferredProject: "apps" },
          inventory: { preset: "inventory", projects: ["apps", "backups"] },
        },
      }),
    );
    const byKey = Object.fromEntries(p.credentials.map((c) => [c.key, c]));
    expect(byKey.single.preferredProject?.id).toBe(BACKUPS);
    expect(byKey.chosen.preferredProject?.id).toBe(APPS);
    expect(byKey.inventory.preferredProject).toBeUndefined();
  });

  it('with "*", the preferred project may be any declared alias', () => {
    const c = plan(
      baseConfig({
        allowAllProjects: true,
        credentials: { all: { preset: "object-storage", projects: "*", preferredProject: "apps" } },
      }),
    ).credentials[0];
    expect(c.preferredProject?.id).toBe(APPS);
  });

  it("orders credentials by name whatever the config order", () => {
    const p = plan(
      baseConfig({
        credentials: {
          zeta: { preset: "inventory", projects: ["apps"] },
          alpha: { preset: "inventory", projects: ["apps"] },
        },
      }),
    );
    expect(p.credentials.map((c) => c.key)).toEqual(["alpha", "zeta"]);
  });

  it("protects by default in prod only, and follows the protect key", () => {
    expect(plan(baseConfig()).protect).toBe(false);
    expect(plan(baseConfig(), { stack: "prod" }).protect).toBe(true);
    expect(plan(baseConfig({ protect: false }), { stack: "prod" }).protect).toBe(false);
    expect(plan(baseConfig({ protect: true })).protect).toBe(true);
  });

  it("fills in what Plakar asks for where the stack knows it", () => {
    const c = plan(baseConfig()).credentials[0];
    expect(c.plakar.fields).toEqual([
      { label: "Name", from: "name", value: "plakar-staging-inventory" },
      { label: "Project ID", from: "projectId", value: APPS },
      { label: "Access key", from: "accessKey" },
      { label: "Secret key", from: "secretKey" },
    ]);
  });
});

describe("expiry", () => {
  it("shows days left as check-expiry does: whole days, the fraction dropped on either side", () => {
    const now = "2026-11-26T00:00:00Z";
    expect(daysLeft("2026-12-01T12:00:00Z", now)).toBe(5);
    expect(daysLeft("2026-11-26T23:00:00Z", now)).toBe(0);
    expect(Object.is(daysLeft("2026-11-25T23:00:00Z", now), 0)).toBe(true);
    expect(daysLeft("2026-11-21T23:00:00Z", now)).toBe(-4);
  });

  it("pins a key's expiry from the credential, else apiKeys.expiresAt, normalised to UTC seconds", () => {
    const p = plan(
      baseConfig({
        apiKeys: { expiresAt: "2027-06-30T00:00:00Z" },
        credentials: {
          a: { preset: "inventory", projects: ["apps"] },
          b: { preset: "inventory", projects: ["apps"], expiresAt: "2027-03-01T02:00:00+02:00" },
        },
      }),
    );
    expect(p.credentials.map((c) => [c.keys.current.resourceName, c.keys.current.expiresAt, c.keys.previous])).toEqual([
      ["a-key", "2027-06-30T00:00:00Z", undefined],
      ["b-key", "2027-03-01T00:00:00Z", undefined],
    ]);
  });

  it("rotates by default: the key is named by its generation and outlives it by the overlap", () => {
    const c = plan(baseConfig()).credentials[0];
    expect(c.expiry).toEqual({ kind: "rotation", rotateEveryDays: 90, overlapDays: 14 });
    // 2024-01-01 + 11 * 90 days = 2026-09-17; that generation ends 2026-12-16, plus 14 days overlap.
    expect(c.keys.current).toMatchObject({
      resourceName: "inventory-key-2026-09-17",
      expiresAt: "2026-12-30T00:00:00Z",
    });
    expect(c.keys.previous).toBeUndefined();
  });

  it("declares the previous key during the overlap only", () => {
    const during = plan(baseConfig(), { now: new Date("2026-12-20T00:00:00Z") }).credentials[0].keys;
    expect(during.current.resourceName).toBe("inventory-key-2026-12-16");
    expect(during.previous).toMatchObject({
      resourceName: "inventory-key-2026-09-17",
      expiresAt: "2026-12-30T00:00:00Z",
    });
    const after = plan(baseConfig(), { now: new Date("2026-12-30T00:00:00Z") }).credentials[0].keys;
    expect(after.previous).toBeUndefined();
  });
});

interface Guardrail {
  readonly name: string;
  readonly config: Record<string, unknown>;
  readonly path: string;
  readonly message: RegExp;
}

const inv = (extra: Record<string, unknown> = {}) => ({ preset: "inventory", projects: ["apps"], ...extra });

const GUARDRAILS: Guardrail[] = [
  {
    name: "unknown top-level key",
    config: baseConfig({ tag: ["x"] }),
    path: "tag",
    message: /unknown key \(did you mean "tags"\?\)/,
  },
  {
    name: "unknown credential key",
    config: baseConfig({ credentials: { inventory: inv({ preferedProject: "apps" }) } }),
    path: "credentials.inventory.preferedProject",
    message: /unknown key \(did you mean "preferredProject"\?\)/,
  },
  {
    name: "unknown apiKeys key",
    config: baseConfig({ apiKeys: { expiry: "2027-01-01T00:00:00Z" } }),
    path: "apiKeys.expiry",
    message: /unknown key/,
  },
  {
    name: "empty credentials",
    config: baseConfig({ credentials: {} }),
    path: "credentials",
    message: /at least one credential/,
  },
  {
    name: "missing organizationId",
    config: { ...baseConfig(), organizationId: undefined },
    path: "organizationId",
    message: /required/,
  },
  {
    name: "bad organizationId",
    config: baseConfig({ organizationId: "org-1" }),
    path: "organizationId",
    message: /UUID/,
  },
  {
    name: "bad project ID",
    config: baseConfig({ projects: { apps: "nope" } }),
    path: "projects.apps",
    message: /UUID/,
  },
  {
    name: "unknown preset",
    config: baseConfig({ credentials: { x: { preset: "inventori", projects: ["apps"] } } }),
    path: "credentials.x.preset",
    message: /unknown preset "inventori" \(did you mean "inventory"\?\)/,
  },
  {
    name: "no preset and no sets",
    config: baseConfig({ credentials: { x: { projects: ["apps"] } } }),
    path: "credentials.x",
    message: /needs a preset .* or a non-empty permissionSets/,
  },
  {
    name: "uncatalogued permission set",
    config: baseConfig({ credentials: { x: { permissionSets: ["ObjectStorageObjectRead"], projects: ["apps"] } } }),
    path: "credentials.x.permissionSets[0]",
    message: /not a documented .* \(did you mean "ObjectStorageObjectsRead"\?\)/,
  },
  {
    name: "organization-scoped set",
    config: baseConfig({ credentials: { x: { permissionSets: ["IAMManager"], projects: ["apps"] } } }),
    path: "credentials.x.permissionSets[0]",
    message: /organization-scoped/,
  },
  {
    name: "unknown project alias",
    config: baseConfig({ credentials: { inv: inv({ projects: ["apps", "bakups"] }) } }),
    path: "credentials.inv.projects[1]",
    message: /credential "inv" names unknown project alias "bakups" \(did you mean "backups"\?\)/,
  },
  {
    name: '"*" without allowAllProjects',
    config: baseConfig({ credentials: { inv: inv({ projects: "*" }) } }),
    path: "credentials.inv.projects",
    message: /allowAllProjects: true/,
  },
  {
    name: "empty project list",
    config: baseConfig({ credentials: { inv: inv({ projects: [] }) } }),
    path: "credentials.inv.projects",
    message: /at least one project/,
  },
  {
    name: "Object Storage with two projects and no preferred project",
    config: baseConfig({ credentials: { b: { preset: "object-storage", projects: ["apps", "backups"] } } }),
    path: "credentials.b.preferredProject",
    message: /required: .* set preferredProject to one of apps, backups/,
  },
  {
    name: 'Object Storage with "*" and no preferred project',
    config: baseConfig({ allowAllProjects: true, credentials: { b: { preset: "object-storage", projects: "*" } } }),
    path: "credentials.b.preferredProject",
    message: /required: .* projects "\*"; set preferredProject to the buckets' project$/,
  },
  {
    // Any project will do with "*", but the alias must be declared: the stack reports it as in projects.
    name: 'undeclared preferred project with "*"',
    config: baseConfig({
      allowAllProjects: true,
      credentials: { b: { preset: "object-storage", projects: "*", preferredProject: "bakups" } },
    }),
    path: "credentials.b.preferredProject",
    message:
      /credential "b" names unknown project alias "bakups" \(did you mean "backups"\?\); declared aliases: apps, backups/,
  },
  {
    name: "undeclared staging project",
    config: baseConfig({
      credentials: { b: { preset: "instance-backup", projects: ["apps"], stagingProject: "bakups" } },
    }),
    path: "credentials.b.stagingProject",
    message: /credential "b" names unknown project alias "bakups" \(did you mean "backups"\?\)/,
  },
  {
    name: "preferred project outside the credential's projects",
    config: baseConfig({
      credentials: { b: { preset: "object-storage", projects: ["backups"], preferredProject: "apps" } },
    }),
    path: "credentials.b.preferredProject",
    message: /"apps" is not one of this credential's projects \(backups\)/,
  },
  {
    name: "preferred project without Object Storage sets",
    config: baseConfig({ credentials: { inv: inv({ preferredProject: "apps" }) } }),
    path: "credentials.inv.preferredProject",
    message: /only keys with Object Storage/,
  },
  {
    name: "expiry in the past",
    config: baseConfig({ credentials: { inv: inv({ expiresAt: "2026-01-01T00:00:00Z" }) } }),
    path: "credentials.inv.expiresAt",
    message: /not in the future/,
  },
  {
    name: "expiry now",
    config: baseConfig({ apiKeys: { expiresAt: NOW.toISOString() } }),
    path: "apiKeys.expiresAt",
    message: /not in the future/,
  },
  {
    name: "expiry beyond maxLifetimeDays",
    config: baseConfig({ apiKeys: { expiresAt: "2028-06-30T00:00:00Z" } }),
    path: "apiKeys.expiresAt",
    message: /more than apiKeys.maxLifetimeDays \(365\)/,
  },
  {
    name: "expiry without a zone",
    config: baseConfig({ credentials: { inv: inv({ expiresAt: "2027-01-01" }) } }),
    path: "credentials.inv.expiresAt",
    message: /RFC 3339/,
  },
  {
    name: "overlap not shorter than the period",
    config: baseConfig({ apiKeys: { rotateEveryDays: 30, overlapDays: 30 } }),
    path: "apiKeys.overlapDays",
    message: /must be less than rotateEveryDays \(30\)/,
  },
  {
    name: "rotation longer than the max lifetime",
    config: baseConfig({ credentials: { inv: inv({ rotateEveryDays: 360, overlapDays: 14 }) } }),
    path: "credentials.inv.rotateEveryDays",
    message: /374 days, more than apiKeys.maxLifetimeDays \(365\)/,
  },
  {
    name: "a day count that is not a whole number of days",
    config: baseConfig({ credentials: { inv: inv({ overlapDays: 1.5 }) } }),
    path: "credentials.inv.overlapDays",
    message: /^must be a whole number of days from 1 to 3650$/,
  },
  {
    name: "pinned expiry and rotation together",
    config: baseConfig({ credentials: { inv: inv({ expiresAt: "2027-01-01T00:00:00Z", rotateEveryDays: 30 }) } }),
    path: "credentials.inv.expiresAt",
    message: /not both/,
  },
  {
    name: "credential name with capitals",
    config: baseConfig({ credentials: { Inventory: inv() } }),
    path: "credentials.Inventory",
    message: /lowercase letters, digits and dashes/,
  },
  {
    name: "credential name starting with a digit",
    config: baseConfig({ credentials: { "1inv": inv() } }),
    path: "credentials.1inv",
    message: /starting with a letter/,
  },
  {
    name: "name over 64 characters",
    config: baseConfig({ namePrefix: "x".repeat(50), credentials: { inventory: inv() } }),
    path: "credentials.inventory",
    message: /is 67 characters; Scaleway allows 64/,
  },
  {
    name: "namePrefix with a bad character",
    config: baseConfig({ namePrefix: "plakar/" }),
    path: "namePrefix",
    message: /does not allow/,
  },
  {
    name: "description over 200 characters",
    config: baseConfig({ credentials: { inv: inv({ description: "d".repeat(190) }) } }),
    path: "credentials.inv.description",
    message: /Scaleway allows 200/,
  },
  {
    name: "more than 10 tags",
    config: baseConfig({ tags: ["a", "b", "c", "d", "e", "f", "g", "h"] }),
    path: "tags",
    message: /keep at most 7/,
  },
  {
    name: "missing projects on a credential",
    config: baseConfig({ credentials: { inv: { preset: "inventory" } } }),
    path: "credentials.inv.projects",
    message: /is required/,
  },
  {
    name: "wrong type",
    config: baseConfig({ allowAllProjects: "yes" }),
    path: "allowAllProjects",
    message: /expected boolean/,
  },
];

describe("guardrails: every bad config is rejected with its key path", () => {
  it.each(GUARDRAILS)("$name", ({ config, path, message }) => {
    const issues = issuesOf(config);
    const hit = issues.find((i) => i.path === path);
    expect(hit, `issues were: ${JSON.stringify(issues)}`).toBeDefined();
    expect(hit?.message).toMatch(message);
  });

  it("reports every problem of a config at once", () => {
    const issues = issuesOf(
      baseConfig({
        credentials: {
          a: { preset: "nope", projects: ["apps"] },
          b: { permissionSets: ["IAMManager"], projects: ["ops"] },
        },
      }),
    );
    expect(issues.map((i) => i.path)).toEqual([
      "credentials.a.preset",
      "credentials.b.permissionSets[0]",
      "credentials.b.projects[0]",
    ]);
  });

  it("a valid base config is accepted (the table above is not vacuous)", () => {
    expect(plan(baseConfig()).credentials).toHaveLength(1);
  });
});

describe("preset validation", () => {
  const base = "description: d\nplakar:\n  integration: x\n  fields:\n    - { label: Access key, from: accessKey }\n";

  it("accepts a well-formed preset", () => {
    expect(parsePreset("ok", `${base}permissionSets: [AllProductsReadOnly]\n`, catalog).permissionSets).toEqual([
      "AllProductsReadOnly",
    ]);
  });

  it.each([
    [
      "an uncatalogued set",
      `${base}permissionSets: [AllProductReadOnly]\n`,
      /presets\/bad\.yaml:permissionSets\[0\]: .*did you mean "AllProductsReadOnly"/,
    ],
    [
      "an organization-scoped set",
      `${base}permissionSets: [IAMManager]\n`,
      /presets\/bad\.yaml:permissionSets\[0\]: .*organization-scoped/,
    ],
    ["an unknown key", `${base}permissionSets: [AllProductsReadOnly]\nscope: org\n`, /presets\/bad\.yaml:/],
    ["no permission sets", base, /presets\/bad\.yaml:permissionSets/],
  ])("rejects %s, naming the file and key", (_name, text, message) => {
    expect(() => parsePreset("bad", text, catalog)).toThrow(message);
  });
});

describe("access by project (the table's and the Markdown report's section)", () => {
  // Several use cases and rules: a project with two aliases (apps, web), a staging project, a custom credential with
  // an organization-wide rule and a project rule, and two rules of one credential on the same project.
  const config = baseConfig({
    allowAllProjects: true,
    projects: { apps: APPS, backups: BACKUPS, web: APPS },
    credentials: {
      inventory: { preset: "inventory", projects: ["apps"] },
      buckets: { preset: "object-storage", projects: ["backups"] },
      vms: { preset: "instance-backup", projects: ["web"], stagingProject: "backups" },
      wide: {
        rules: [
          { projects: "*", permissionSets: ["AllProductsReadOnly"] },
          { projects: ["backups"], permissionSets: ["SecretManagerReadOnly"] },
        ],
      },
      split: {
        rules: [
          { projects: ["apps"], permissionSets: ["SecretManagerSecretAccess"] },
          { projects: ["apps", "backups"], permissionSets: ["SecretManagerReadOnly"] },
        ],
      },
      everywhere: { preset: "inventory", projects: "*" },
    },
  });
  const stackPlan: StackPlan = planStack(config, context());
  const OS_STAGING = [
    "ObjectStorageBucketsRead",
    "ObjectStorageBucketsWrite",
    "ObjectStorageObjectsRead",
    "ObjectStorageObjectsWrite",
  ];
  // Written from the config above: per project, each credential's sets there (every rule naming the project).
  const EXPECTED_PROJECTS: Record<string, Record<string, string[]>> = {
    [APPS]: {
      inventory: ["AllProductsReadOnly"],
      split: ["SecretManagerReadOnly", "SecretManagerSecretAccess"],
      vms: ["BlockStorageFullAccess", "InstancesFullAccess"],
    },
    [BACKUPS]: {
      buckets: [...OS_STAGING.slice(0, 2), "ObjectStorageObjectsDelete", ...OS_STAGING.slice(2)],
      split: ["SecretManagerReadOnly"],
      vms: OS_STAGING,
      wide: ["SecretManagerReadOnly"],
    },
  };
  const EXPECTED_ORGANIZATION = { everywhere: ["AllProductsReadOnly"], wide: ["AllProductsReadOnly"] };

  /** The rows of the Markdown table under `heading`, each split into its cells (on unescaped pipes). */
  function tableUnder(report: string, heading: string): string[][] {
    const lines = report.split("\n");
    const start = lines.indexOf(heading);
    expect(start, `${heading} in the report`).toBeGreaterThan(-1);
    const rows: string[][] = [];
    let i = lines.findIndex((l, j) => j > start && l.startsWith("|---"));
    for (i += 1; i < lines.length && lines[i].startsWith("|"); i++) {
      rows.push(
        lines[i]
          .slice(1, -1)
          .split(/(?<!\\)\|/)
          .map((cell) => cell.trim()),
      );
    }
    return rows;
  }
  const codes = (cell: string) => [...cell.matchAll(/`([^`]+)`/g)].map((m) => m[1]);

  it("lists per project (aliases beside the ID) each credential with its permission sets there", () => {
    const access = accessByProject(stackPlan);
    expect(access.projects.map((p) => [p.id, p.aliases])).toEqual([
      [APPS, ["apps", "web"]],
      [BACKUPS, ["backups"]],
    ]);
    for (const p of access.projects) {
      expect(Object.fromEntries(p.holdings.map((h) => [h.key, h.sets])), p.id).toEqual(EXPECTED_PROJECTS[p.id]);
      for (const h of p.holdings) expect(h.name).toBe(`plakar-staging-${h.key}`);
    }
    expect(access.organization).toHaveLength(1);
    expect(access.organization[0].organizationId).toBe(ORG);
    expect(Object.fromEntries(access.organization[0].holdings.map((h) => [h.key, h.sets]))).toEqual(
      EXPECTED_ORGANIZATION,
    );
  });

  it("the Markdown report has the section: one row per project and credential, the organization-wide rules apart", () => {
    const report = renderMarkdown(stackPlan);
    const rows = tableUnder(report, "#### Access by project");
    const seen: Record<string, Record<string, string[]>> = {};
    let project = "";
    for (const [projectCell, credential, application, sets] of rows) {
      if (projectCell) {
        // The aliases and the ID, each in code: `apps` `web` `<id>`.
        const names = codes(projectCell);
        project = names[names.length - 1];
        expect(names.slice(0, -1), project).toEqual(project === APPS ? ["apps", "web"] : ["backups"]);
      }
      const key = codes(credential)[0];
      expect(codes(application)).toEqual([`plakar-staging-${key}`]);
      (seen[project] ??= {})[key] = codes(sets);
    }
    expect(seen).toEqual(EXPECTED_PROJECTS);

    // Apart: a table of its own after the projects' one.
    const org = tableUnder(report, "Organization-wide grants (rules on all current and future projects):");
    expect(org).toHaveLength(2);
    expect(codes(org[0][0])).toEqual([ORG]);
    expect(Object.fromEntries(org.map((r) => [codes(r[1])[0], codes(r[3])]))).toEqual(EXPECTED_ORGANIZATION);
  });

  it("says so when no rule is organization-wide", () => {
    const report = renderMarkdown(planStack(baseConfig(), context()));
    expect(report).toMatch(/Organization-wide grants \(rules on all current and future projects\):\n\nNone\./);
    expect(accessByProject(planStack(baseConfig(), context())).organization).toEqual([]);
  });

  it("the table shows the same section, after the credentials", () => {
    const offline = {
      stack: "staging",
      project: "p",
      now: stackPlan.now,
      resources: [],
      outputs: {},
      resolved: stackPlan,
    };
    const table = renderTable(offline as OfflinePlan);
    const section = table.slice(table.indexOf("\nAccess by project\n") + 1);
    expect(section.indexOf("Access by project")).toBe(0);
    expect(table.indexOf("everywhere  [inventory]")).toBeLessThan(table.indexOf("\nAccess by project\n"));
    const lines = section.split("\n");
    const appsAt = lines.indexOf(`  apps, web (${APPS})`);
    const backupsAt = lines.indexOf(`  backups (${BACKUPS})`);
    const orgAt = lines.indexOf(`  all current and future projects of organization ${ORG}`);
    expect([appsAt, backupsAt, orgAt].every((i) => i > 0)).toBe(true);
    const block = (from: number, to: number) => lines.slice(from + 1, to).filter((l) => l.startsWith("    "));
    const parse = (l: string) => {
      const m = /^ {4}([a-z-]+) \(plakar-staging-\1\): (.*)$/.exec(l);
      expect(m, l).not.toBeNull();
      return [m![1], m![2].split(", ")];
    };
    expect(Object.fromEntries(block(appsAt, backupsAt).map(parse))).toEqual(EXPECTED_PROJECTS[APPS]);
    expect(Object.fromEntries(block(backupsAt, orgAt).map(parse))).toEqual(EXPECTED_PROJECTS[BACKUPS]);
    expect(Object.fromEntries(block(orgAt, lines.length).map(parse))).toEqual(EXPECTED_ORGANIZATION);
  });

  it("escapes what the config names: aliases with pipes, backticks, bidi and newlines", () => {
    const hostile = "x|`y`*_<b>\u202e\n::error::z";
    const tampered: StackPlan = { ...stackPlan, projects: { [hostile]: BACKUPS, apps: APPS, web: APPS } };
    const report = renderMarkdown(tampered);
    const row = report.split("\n").find((l) => l.includes(BACKUPS) && l.includes("x\\|"));
    expect(row).toBeDefined();
    // One code span, its fence longer than the backticks inside, the pipe escaped: the row keeps its 4 cells.
    expect(row).toContain("``x\\|`y`*_<b>\\u202e\\n::error::z``");
    expect(row!.slice(1, -1).split(/(?<!\\)\|/)).toHaveLength(4);
    expect(report).not.toContain("\u202e");
    expect(report.split("\n").some((l) => l.startsWith("::"))).toBe(false);

    const offline = {
      stack: "staging",
      project: "p",
      now: stackPlan.now,
      resources: [],
      outputs: {},
      resolved: tampered,
    };
    const table = renderTable(offline as OfflinePlan);
    expect(table).not.toContain("\u202e");
    expect(table.split("\n").some((l) => l.startsWith("::"))).toBe(false);
    expect(table).toContain(`  x|\`y\`*_<b>\\u202e\\n::error::z (${BACKUPS})`);
  });

  it("mdCode and mdText: nothing from the config can close a code span, split a cell or start a tag", () => {
    expect(mdCode("plain")).toBe("`plain`");
    expect(mdCode("a|b")).toBe("`a\\|b`");
    expect(mdCode("a``b")).toBe("```a``b```");
    expect(mdCode("`edge`")).toBe("`` `edge` ``");
    expect(mdText("a|b`c*d_e<f>[g]~h&i\\")).toBe("a\\|b\\`c\\*d\\_e\\<f\\>\\[g\\]\\~h\\&i\\\\");
    expect(mdText("new\nline")).toBe("new\\\\nline");
  });
});
