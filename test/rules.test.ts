/**
 * Several rules per credential: `rules`, presets made of parts (`stagingProject`), the Object Storage
 * preferred project, the refusals, the component's `rules` argument and the policy pack over several rules. Every
 * expectation is written from the issue and Plakar's/Scaleway's pages: which sets each project needs.
 */
import * as fs from "fs";
import * as path from "path";
import { describe, expect, it } from "vitest";
import { ARG_PATHS, ARGS_NAMING, specFor } from "../components/args";
import { checkCredential } from "../components/domain/credential";
import { Issues } from "../components/domain/errors";
import {
  keyDefaultProjectViolations,
  organizationScopedSetViolations,
  ruleScopeViolations,
  uncataloguedSetViolations,
} from "../policy/rules";
import type { ResolvedStackCredential as StackCredential } from "./support/config";
import { namespaceConfig, parseStackFile } from "../stack/config";
import { APPS, BACKUPS, baseConfig, catalog, issuesOf, NOW, ORG, plan, presets } from "./support/config";

const DATA = "2b3c4d5e-6f70-4a81-9b92-a3b4c5d6e7f8";
const PROJECTS = { apps: APPS, backups: BACKUPS, data: DATA };

// What each use case needs, from Plakar's pages (compute, Block Storage, S3) and the issue's read-only source.
const INSTANCES = ["BlockStorageFullAccess", "InstancesFullAccess"];
const BLOCK = ["BlockStorageFullAccess"];
const STAGING = [
  "ObjectStorageBucketsRead",
  "ObjectStorageBucketsWrite",
  "ObjectStorageObjectsRead",
  "ObjectStorageObjectsWrite",
];
const S3_STORE = [
  "ObjectStorageBucketsRead",
  "ObjectStorageBucketsWrite",
  "ObjectStorageObjectsDelete",
  "ObjectStorageObjectsRead",
  "ObjectStorageObjectsWrite",
];
const S3_SOURCE = ["ObjectStorageBucketsRead", "ObjectStorageObjectsRead"];

function only(credentials: Record<string, unknown>, extra: Record<string, unknown> = {}): StackCredential {
  return plan(baseConfig({ projects: PROJECTS, credentials, ...extra })).credentials[0];
}

/** The sets a credential's policy grants on each project: what the held-out check compares. */
function setsByProject(c: StackCredential): Record<string, string[]> {
  const out: Record<string, Set<string>> = {};
  for (const rule of c.rules) {
    const ids = "organizationId" in rule ? ["*"] : rule.projectIds;
    for (const id of ids) for (const s of rule.permissionSetNames) (out[id] ??= new Set()).add(s);
  }
  return Object.fromEntries(Object.entries(out).map(([id, sets]) => [id, [...sets].sort()]));
}

function issues(credentials: Record<string, unknown>, extra: Record<string, unknown> = {}) {
  return issuesOf(baseConfig({ projects: PROJECTS, credentials, ...extra }));
}

function expectIssue(list: readonly { path: string; message: string }[], path: string, message: RegExp) {
  const hit = list.find((i) => i.path === path);
  expect(hit, `issues were: ${JSON.stringify(list)}`).toBeDefined();
  expect(hit?.message).toMatch(message);
}

describe("rules: several rules per credential", () => {
  it("a backup of prod-data's buckets into backups reads data and writes backups", () => {
    const c = only({
      sync: {
        preset: "object-storage",
        rules: [
          { projects: ["data"], preset: "object-storage-source" },
          { projects: ["backups"], preset: "object-storage" },
        ],
        preferredProject: "backups",
      },
    });
    expect(setsByProject(c)).toEqual({ [DATA]: S3_SOURCE, [BACKUPS]: S3_STORE });
    expect(c.rules).toHaveLength(2);
    expect(c.preferredProject).toEqual({ id: BACKUPS, label: "backups" });
    expect(c.permissionSets).toEqual(S3_STORE);
    expect(c.projects).toEqual([
      { id: BACKUPS, label: "backups" },
      { id: DATA, label: "data" },
    ]);
    expect(c.useCase).toBe("object-storage");
  });

  it("gives each rule exactly one scope, sorted: the organization-wide rule first, then by project IDs", () => {
    const c = only(
      {
        mixed: {
          rules: [
            { projects: ["data", "apps"], permissionSets: ["BlockStorageReadOnly"] },
            { projects: "*", permissionSets: ["AllProductsReadOnly"] },
          ],
        },
      },
      { allowAllProjects: true },
    );
    expect(c.rules).toEqual([
      { organizationId: ORG, permissionSetNames: ["AllProductsReadOnly"] },
      { projectIds: [APPS, DATA].sort(), permissionSetNames: ["BlockStorageReadOnly"] },
    ]);
    expect(c.projects).toBe("*");
  });

  it("merges rules with the same scope, sets sorted and deduplicated", () => {
    const c = only({
      x: {
        rules: [
          { projects: ["apps", "backups"], permissionSets: ["InstancesReadOnly", "BlockStorageReadOnly"] },
          { projects: ["backups", "apps"], permissionSets: ["BlockStorageReadOnly", "AllProductsReadOnly"] },
        ],
      },
    });
    expect(c.rules).toEqual([
      {
        projectIds: [APPS, BACKUPS].sort(),
        permissionSetNames: ["AllProductsReadOnly", "BlockStorageReadOnly", "InstancesReadOnly"],
      },
    ]);
  });

  it("lets a project be in several rules when their sets differ", () => {
    const c = only({
      x: {
        rules: [
          { projects: ["apps", "backups"], permissionSets: ["AllProductsReadOnly"] },
          { projects: ["backups"], permissionSets: ["SecretManagerReadOnly"] },
        ],
      },
    });
    expect(setsByProject(c)).toEqual({
      [APPS]: ["AllProductsReadOnly"],
      [BACKUPS]: ["AllProductsReadOnly", "SecretManagerReadOnly"],
    });
  });

  it("refuses a project in two rules with the same sets, naming the later rule", () => {
    const list = issues({
      x: {
        rules: [
          { projects: ["apps", "backups"], permissionSets: ["AllProductsReadOnly"] },
          { projects: ["backups"], permissionSets: ["AllProductsReadOnly"] },
        ],
      },
    });
    expectIssue(list, "credentials.x.rules[1].projects", /"backups" is also in credentials\.x\.rules\[0\]\.projects/);
  });

  it('refuses a project rule that repeats the "*" rule\'s sets', () => {
    const list = issues(
      {
        x: {
          rules: [
            { projects: "*", permissionSets: ["AllProductsReadOnly"] },
            { projects: ["apps"], permissionSets: ["AllProductsReadOnly"] },
          ],
        },
      },
      { allowAllProjects: true },
    );
    expectIssue(list, "credentials.x.rules[1].projects", /same permission sets/);
  });

  it("requires the preferred project to be covered by a rule holding Object Storage sets", () => {
    const rules = [
      { projects: ["apps"], permissionSets: ["InstancesFullAccess"] },
      { projects: ["backups"], permissionSets: ["ObjectStorageObjectsRead"] },
    ];
    // Implicit: the only project the Object Storage sets apply to.
    expect(only({ x: { rules } }).preferredProject).toEqual({ id: BACKUPS, label: "backups" });
    expectIssue(
      issues({ x: { rules, preferredProject: "apps" } }),
      "credentials.x.preferredProject",
      /"apps" is not a project of a rule holding Object Storage sets \(backups\)/,
    );
    expectIssue(
      issues({ x: { rules: [...rules, { projects: ["data"], permissionSets: ["ObjectStorageBucketsRead"] }] } }),
      "credentials.x.preferredProject",
      /required: .* they apply to 2 projects; set preferredProject to one of backups, data/,
    );
  });

  it("takes a preset part in a rule", () => {
    const c = only({
      x: {
        preset: "instance-backup",
        rules: [
          { projects: ["apps", "data"], preset: "instance-backup", part: "projects" },
          { projects: ["backups"], preset: "instance-backup", part: "stagingProject" },
        ],
      },
    });
    expect(setsByProject(c)).toEqual({ [APPS]: INSTANCES, [DATA]: INSTANCES, [BACKUPS]: STAGING });
    expect(c.preferredProject?.id).toBe(BACKUPS);
  });

  it.each<[string, Record<string, unknown>, Record<string, unknown>, string, RegExp]>([
    [
      "rules with projects",
      { preset: "inventory", projects: ["apps"], rules: [{ projects: ["apps"], preset: "inventory" }] },
      {},
      "credentials.x.rules",
      /give either rules or projects, not both/,
    ],
    [
      "rules with permissionSets",
      { permissionSets: ["AllProductsReadOnly"], rules: [{ projects: ["apps"], preset: "inventory" }] },
      {},
      "credentials.x.rules",
      /give either rules or permissionSets, not both/,
    ],
    [
      "rules with stagingProject",
      { preset: "instance-backup", stagingProject: "backups", rules: [{ projects: ["apps"], preset: "inventory" }] },
      {},
      "credentials.x.rules",
      /stagingProject/,
    ],
    ["an empty rule list", { rules: [] }, {}, "credentials.x.rules", /at least one rule/],
    [
      "a rule without sets",
      { rules: [{ projects: ["apps"] }] },
      {},
      "credentials.x.rules[0]",
      /needs a preset .* or a non-empty permissionSets/,
    ],
    [
      "an unknown preset in a rule",
      { rules: [{ projects: ["apps"], preset: "object-storage-sorce" }] },
      {},
      "credentials.x.rules[0].preset",
      /did you mean "object-storage-source"/,
    ],
    [
      "a part of a preset without parts",
      { rules: [{ projects: ["apps"], preset: "inventory", part: "stagingProject" }] },
      {},
      "credentials.x.rules[0].part",
      /not made of parts/,
    ],
    [
      "a part without a preset",
      { rules: [{ projects: ["apps"], part: "projects", permissionSets: ["AllProductsReadOnly"] }] },
      {},
      "credentials.x.rules[0].part",
      /give the preset too/,
    ],
    [
      "an uncatalogued set in a rule",
      { rules: [{ projects: ["apps"], permissionSets: ["AllProductReadOnly"] }] },
      {},
      "credentials.x.rules[0].permissionSets[0]",
      /did you mean "AllProductsReadOnly"/,
    ],
    [
      "an organization-scoped set in a rule",
      { rules: [{ projects: ["apps"], permissionSets: ["IAMManager"] }] },
      {},
      "credentials.x.rules[0].permissionSets[0]",
      /organization-scoped/,
    ],
    [
      "an unknown alias in a rule",
      { rules: [{ projects: ["apps", "bakups"], preset: "inventory" }] },
      {},
      "credentials.x.rules[0].projects[1]",
      /unknown project alias "bakups" \(did you mean "backups"\?\)/,
    ],
    [
      '"*" in a rule without allowAllProjects',
      { rules: [{ projects: "*", preset: "inventory" }] },
      {},
      "credentials.x.rules[0].projects",
      /allowAllProjects: true/,
    ],
    [
      "a misspelt rule key",
      { rules: [{ projects: ["apps"], permisionSets: ["AllProductsReadOnly"] }] },
      {},
      "credentials.x.rules[0].permisionSets",
      /did you mean "permissionSets"/,
    ],
    ["neither projects nor rules", { preset: "inventory" }, {}, "credentials.x.projects", /is required/],
  ])("refuses %s with its key path", (_name, credential, extra, where, message) => {
    expectIssue(issues({ x: credential }, extra), where, message);
  });
});

describe("presets made of parts: stagingProject", () => {
  it.each([
    ["instance-backup", INSTANCES],
    ["block-storage-backup", BLOCK],
  ])("%s: its own sets on projects, Object Storage on the staging project, the preferred project", (preset, own) => {
    const c = only({ vm: { preset, projects: ["apps", "data"], stagingProject: "backups" } });
    expect(setsByProject(c)).toEqual({ [APPS]: own, [DATA]: own, [BACKUPS]: STAGING });
    expect(c.preferredProject).toEqual({ id: BACKUPS, label: "backups" });
    expect(c.rules).toHaveLength(2);
  });

  it("without stagingProject, every set lands on projects, as before", () => {
    const c = only({ vm: { preset: "instance-backup", projects: ["apps"] } });
    expect(c.rules).toEqual([{ projectIds: [APPS], permissionSetNames: [...INSTANCES, ...STAGING].sort() }]);
    expect(c.preferredProject?.id).toBe(APPS);
  });

  it("a staging project that is the only project gives the same single rule", () => {
    const before = only({ vm: { preset: "block-storage-backup", projects: ["backups"] } });
    const after = only({ vm: { preset: "block-storage-backup", projects: ["backups"], stagingProject: "backups" } });
    expect(after.rules).toEqual(before.rules);
    expect(after.preferredProject).toEqual(before.preferredProject);
  });

  it("explicit permissionSets go on projects, not on the staging project", () => {
    const c = only({
      vm: {
        preset: "block-storage-backup",
        projects: ["apps"],
        stagingProject: "backups",
        permissionSets: ["InstancesReadOnly"],
      },
    });
    expect(setsByProject(c)).toEqual({ [APPS]: ["BlockStorageFullAccess", "InstancesReadOnly"], [BACKUPS]: STAGING });
  });

  it("the preferred project, when given, must be the staging project", () => {
    expectIssue(
      issues({
        vm: { preset: "instance-backup", projects: ["apps"], stagingProject: "backups", preferredProject: "apps" },
      }),
      "credentials.vm.preferredProject",
      /"apps" is not a project of a rule holding Object Storage sets \(backups\)/,
    );
  });

  it.each([
    [
      "a preset without parts",
      { preset: "object-storage", projects: ["apps"], stagingProject: "backups" },
      /not made of parts/,
    ],
    [
      "a custom credential",
      { permissionSets: ["AllProductsReadOnly"], projects: ["apps"], stagingProject: "backups" },
      /only a preset made of parts/,
    ],
    [
      "an unknown alias",
      { preset: "instance-backup", projects: ["apps"], stagingProject: "bakups" },
      /unknown project alias "bakups"/,
    ],
  ])("refuses stagingProject on %s, at its key path", (_name, credential, message) => {
    expectIssue(issues({ vm: credential }), "credentials.vm.stagingProject", message);
  });
});

describe("the Secret Manager backup's own region", () => {
  const sm = { secretManager: { project: "backups", region: "nl-ams" } };
  const provider = { secrets: { preset: "secret-provider", projects: ["backups"] } };
  const form = (c: StackCredential) => Object.fromEntries(c.plakar.fields.map((f) => [f.label, f]));

  it("fills Plakar's Region with the secrets' region and writes it into the delivered secret", () => {
    const p = plan(
      baseConfig({
        projects: PROJECTS,
        ...sm,
        credentials: {
          ...provider,
          vault: { preset: "secret-manager-backup", projects: ["data"], region: "pl-waw", deliver: "secret-manager" },
        },
      }),
    );
    const vault = p.credentials.find((c) => c.key === "vault")!;
    expect(form(vault).Region).toMatchObject({ value: "pl-waw", secretField: "region" });
    expect(vault.delivery?.extraFields).toEqual({ region: "pl-waw" });
    // The secret itself lives where the stack delivers, whatever the secrets' region.
    expect(vault.delivery?.region).toBe("nl-ams");
    // The secret provider reads the delivered secrets: its region is the delivery's.
    expect(form(p.credentials.find((c) => c.key === "secrets")!).Region.value).toBe("nl-ams");
  });

  it("never takes the delivery region for the secrets' region", () => {
    const p = plan(
      baseConfig({
        projects: PROJECTS,
        ...sm,
        credentials: {
          ...provider,
          vault: { preset: "secret-manager-backup", projects: ["data"], deliver: "secret-manager" },
        },
      }),
    );
    const vault = p.credentials.find((c) => c.key === "vault")!;
    expect(form(vault).Region.value).toBeUndefined();
    expect(form(vault).Region.hint).toMatch(/region of the secrets/);
    expect(vault.delivery?.extraFields).toEqual({});
  });

  it.each([
    [
      "a region Secret Manager does not have",
      { preset: "secret-manager-backup", projects: ["apps"], region: "fr-lyo" },
      /Secret Manager region/,
    ],
    [
      "a region on a form without one",
      { preset: "object-storage", projects: ["apps"], region: "fr-par" },
      /asks for no region/,
    ],
  ])("refuses %s at credentials.x.region", (_name, credential, message) => {
    expectIssue(issues({ x: credential }), "credentials.x.region", message);
  });
});

describe("the component's rules argument", () => {
  const ctx = { now: NOW, catalog, presets };
  const check = (args: Record<string, unknown>) => {
    const list = new Issues();
    const spec = specFor("PlakarCredential", "c", "staging", { organizationId: ORG, ...args }, ARGS_NAMING, list);
    const resolved = list.count === 0 ? checkCredential(spec, ctx, list) : undefined;
    return { resolved, issues: list.list };
  };

  it("resolves rules of projectIds or allProjects with their sets", () => {
    const { resolved, issues: list } = check({
      preset: "object-storage",
      rules: [
        { projectIds: [DATA], permissionSets: S3_SOURCE },
        { projectIds: [BACKUPS], permissionSets: S3_STORE },
        { allProjects: true, permissionSets: ["AllProductsReadOnly"] },
      ],
      preferredProjectId: BACKUPS,
    });
    expect(list).toEqual([]);
    expect(resolved?.rules).toEqual([
      { organizationId: ORG, permissionSetNames: ["AllProductsReadOnly"] },
      { projectIds: [BACKUPS], permissionSetNames: S3_STORE },
      { projectIds: [DATA], permissionSetNames: S3_SOURCE },
    ]);
    expect(resolved?.preferredProject?.id).toBe(BACKUPS);
  });

  it.each<[string, Record<string, unknown>, string, RegExp]>([
    [
      "rules with projectIds",
      { projectIds: [APPS], rules: [{ projectIds: [APPS], permissionSets: ["AllProductsReadOnly"] }] },
      ARG_PATHS.rules,
      /not both/,
    ],
    [
      "rules with permissionSets",
      {
        permissionSets: ["AllProductsReadOnly"],
        rules: [{ projectIds: [APPS], permissionSets: ["AllProductsReadOnly"] }],
      },
      ARG_PATHS.rules,
      /not both/,
    ],
    [
      "rules with stagingProjectId",
      {
        preset: "instance-backup",
        stagingProjectId: BACKUPS,
        rules: [{ projectIds: [APPS], preset: "instance-backup" }],
      },
      ARG_PATHS.rules,
      /give either rules or stagingProjectId, not both/,
    ],
    [
      "a rule without projects",
      { rules: [{ permissionSets: ["AllProductsReadOnly"] }] },
      "args.rules[0].projectIds",
      /is required/,
    ],
    [
      "a misspelt rule argument",
      { rules: [{ projectIds: [APPS], permissionSet: ["AllProductsReadOnly"] }] },
      "args.rules[0].permissionSet",
      /did you mean "permissionSets"/,
    ],
    [
      "a bad set in a rule",
      { rules: [{ projectIds: [APPS], permissionSets: ["IAMManager"] }] },
      "args.rules[0].permissionSets[0]",
      /organization-scoped/,
    ],
  ])("refuses %s with its args path", (_name, args, where, message) => {
    expectIssue(check(args).issues, where, message);
  });
});

describe("the example stacks plan the same rules as released (v0.1.0)", () => {
  const root = path.join(__dirname, "..");
  it.each(["staging", "prod"])("%s", (stack) => {
    const file = path.join(root, `Pulumi.${stack}.yaml`);
    const config = parseStackFile(fs.readFileSync(file, "utf8"), "plakar-scaleway-iam", file).config;
    const now = new Date("2026-11-27T00:00:00Z");
    const p = plan(namespaceConfig(config, "plakar-scaleway-iam"), { stack, now });
    const fixture = JSON.parse(fs.readFileSync(path.join(root, `test/fixtures/v0.1.0-plan-${stack}.json`), "utf8")) as {
      resources: { type: string; name: string; inputs: { rules?: unknown; defaultProjectId?: string } }[];
    };
    for (const c of p.credentials) {
      const released = fixture.resources.find(
        (r) => r.type === "scaleway:iam/policy:Policy" && r.name === `${c.key}-policy`,
      );
      expect(c.rules, c.key).toEqual(released?.inputs.rules);
    }
  });
});

describe("policy pack over several rules", () => {
  const staging = { projectIds: [BACKUPS], permissionSetNames: STAGING };
  const instances = { projectIds: [APPS], permissionSetNames: INSTANCES };

  it("accepts a key whose preferred project is covered by the Object Storage rule, wherever it sits", () => {
    for (const rules of [
      [instances, staging],
      [staging, instances],
    ]) {
      expect(keyDefaultProjectViolations({ defaultProjectId: BACKUPS }, [{ applicationId: "a", rules }])).toEqual([]);
    }
  });

  it("refuses a preferred project only a rule without Object Storage covers", () => {
    expect(
      keyDefaultProjectViolations({ defaultProjectId: APPS }, [{ applicationId: "a", rules: [instances, staging] }]),
    ).toEqual([
      expect.stringMatching(
        new RegExp(`defaultProjectId ${APPS} is not a project its Object Storage sets .* apply to \\(${BACKUPS}\\)`),
      ),
    ]);
  });

  it("judges every rule's scope and sets, naming each by its index", () => {
    const policy = {
      applicationId: "a",
      rules: [
        instances,
        { projectIds: [APPS], organizationId: ORG, permissionSetNames: ["AllProductsReadOnly"] },
        { permissionSetNames: ["IAMManager", "NoSuchSet"] },
      ],
    };
    expect(ruleScopeViolations(policy)).toEqual([
      expect.stringMatching(/^rules\[1\] has both projectIds and organizationId/),
      expect.stringMatching(/^rules\[2\] has neither projectIds nor organizationId/),
    ]);
    expect(organizationScopedSetViolations(policy, catalog)).toEqual([
      expect.stringMatching(/^rules\[2\]\.permissionSetNames\[0\]: "IAMManager" is organization-scoped/),
    ]);
    expect(uncataloguedSetViolations(policy, catalog)).toEqual([
      expect.stringMatching(/^rules\[2\]\.permissionSetNames\[1\]: "NoSuchSet" is not a documented/),
    ]);
  });

  it("finds nothing wrong in what the stack plans for a staging project", () => {
    const c = only({ vm: { preset: "instance-backup", projects: ["apps"], stagingProject: "backups" } });
    const policy = { applicationId: "a", rules: c.rules as never };
    expect(ruleScopeViolations(policy)).toEqual([]);
    expect(organizationScopedSetViolations(policy, catalog)).toEqual([]);
    expect(keyDefaultProjectViolations({ defaultProjectId: c.preferredProject!.id }, [policy])).toEqual([]);
  });
});

describe("a secret provider reads one region", () => {
  it("does not cover delivered secrets in another region", () => {
    const config = (region?: string) =>
      baseConfig({
        projects: PROJECTS,
        secretManager: { project: "backups", region: "fr-par" },
        credentials: {
          secrets: { preset: "secret-provider", projects: ["backups"], ...(region ? { region } : {}) },
          b: { preset: "object-storage", projects: ["data"], deliver: "secret-manager" },
        },
      });
    expect(plan(config("fr-par")).credentials).toHaveLength(2);
    expect(plan(config()).credentials).toHaveLength(2);
    expectIssue(
      issuesOf(config("nl-ams")),
      "credentials.b.deliver",
      /no secret-provider credential covers .*in region fr-par/,
    );
  });
});

describe("the component's region", () => {
  it("is the secrets' region: a Secret Manager one, and never the delivery's", () => {
    const ctx = { now: NOW, catalog, presets };
    const run = (args: Record<string, unknown>) => {
      const list = new Issues();
      const spec = specFor(
        "PlakarCredential",
        "c",
        "staging",
        { organizationId: ORG, projectIds: [APPS], ...args },
        ARGS_NAMING,
        list,
      );
      return { resolved: list.count === 0 ? checkCredential(spec, ctx, list) : undefined, issues: list.list };
    };
    const delivery = { projectId: BACKUPS, region: "nl-ams" };
    const backup = run({ preset: "secret-manager-backup", delivery });
    expect(backup.resolved?.plakar.fields.find((f) => f.label === "Region")?.value).toBeUndefined();
    expect(backup.resolved?.delivery?.extraFields).toEqual({});
    const set = run({ preset: "secret-manager-backup", delivery, region: "pl-waw" });
    expect(set.resolved?.delivery?.extraFields).toEqual({ region: "pl-waw" });
    expectIssue(
      run({ preset: "secret-manager-backup", region: "fr-lyo" }).issues,
      "args.region",
      /Secret Manager region/,
    );
  });
});
