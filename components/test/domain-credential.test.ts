/**
 * One credential through the pure domain, with hand-built specs: its permission sets, grants and rules, the Object
 * Storage preferred project, what a not-yet-known value (UNKNOWN) does to each check, descriptions, expiry, Plakar's
 * form, and the preset and catalog files. Expected values come from the rules (Scaleway's limits, Plakar's forms,
 * the documented messages), not from the code's output.
 */
import { describe, expect, it } from "vitest";
import { parseCatalog } from "../domain/catalog";
import {
  checkCredential,
  compare,
  type CredentialSpec,
  type ResolveContext,
  resolveCredential,
  type RulePaths,
  type RuleSpec,
  type SpecPaths,
} from "../domain/credential";
import { ConfigError, configIssuesOf, Issues } from "../domain/errors";
import {
  type GrantSpec,
  objectStorageScope,
  resolveGrants,
  resolvePermissionSets,
  resolvePreferredProject,
} from "../domain/permissionSets";
import { deliveredExtraFields, plakarForm } from "../domain/plakarForm";
import { parsePreset, shippedData } from "../domain/presets";
import type { Preset } from "../domain/schema";
import { UNKNOWN } from "../domain/unknown";
import { APPS, BACKUPS, catalog, NOW, ORG, presets } from "./support/fixtures";

const apps = { id: APPS, label: "apps" };
const backups = { id: BACKUPS, label: "backups" };
/** A project the credentials below do not reach (a declared alias of the stack, or an ID given to the component). */
const PROD = "2e3f4a5b-6c7d-4e8f-8a9b-0c1d2e3f4a5b";
const BASE = "credentials.reports";

/** The shipped presets, in the order the messages list them (file names, sorted). */
const PRESET_NAMES =
  "block-storage-backup, instance-backup, inventory, object-storage-source, object-storage, secret-manager-backup, secret-provider";
/** The presets made of parts (a staging project for the Object Storage sets). */
const PRESETS_WITH_PARTS = "block-storage-backup, instance-backup";
const OBJECT_STORAGE_SETS = [
  "ObjectStorageBucketsRead",
  "ObjectStorageBucketsWrite",
  "ObjectStorageObjectsRead",
  "ObjectStorageObjectsWrite",
];

const PATHS: SpecPaths = {
  base: BASE,
  organizationId: "organizationId",
  projects: `${BASE}.projects`,
  preset: `${BASE}.preset`,
  permissionSets: `${BASE}.permissionSets`,
  rules: `${BASE}.rules`,
  stagingProject: `${BASE}.stagingProject`,
  preferredProject: `${BASE}.preferredProject`,
  expiresAt: `${BASE}.expiresAt`,
  rotateEveryDays: "apiKeys.rotateEveryDays",
  overlapDays: "apiKeys.overlapDays",
  maxLifetimeDays: "apiKeys.maxLifetimeDays",
  name: BASE,
  nameFix: "shorten the credential name or namePrefix",
  description: `${BASE}.description`,
  tags: "tags",
  delivery: `${BASE}.deliver`,
  region: `${BASE}.region`,
};

const ctx: ResolveContext = { now: NOW, catalog, presets };

function preset(name: string): Preset {
  const found = presets.get(name);
  if (!found) throw new Error(`no preset ${name}`);
  return found;
}

/** A valid credential on `apps`, rotated, with neither preset nor sets yet; override any field. */
function spec(extra: Partial<CredentialSpec> = {}): CredentialSpec {
  return {
    resourceName: "reports",
    stack: "staging",
    organizationId: ORG,
    scope: { kind: "projects", projects: [apps] },
    expiry: { kind: "rotation", rotateEveryDays: 90, overlapDays: 14 },
    maxLifetimeDays: 365,
    name: "plakar-staging-reports",
    tags: [],
    paths: PATHS,
    ...extra,
  };
}

/** A valid custom credential: explicit sets, no preset. */
const custom = (extra: Partial<CredentialSpec> = {}) => spec({ permissionSets: ["AllProductsReadOnly"], ...extra });
const presetSpec = (name: string, extra: Partial<CredentialSpec> = {}) => spec({ preset: name, ...extra });

function rulePaths(i: number): RulePaths {
  const base = `${BASE}.rules[${i}]`;
  return {
    base,
    projects: `${base}.projects`,
    permissionSets: `${base}.permissionSets`,
    preset: `${base}.preset`,
    part: `${base}.part`,
  };
}

function rule(i: number, fields: Omit<RuleSpec, "paths" | "scope"> & { scope?: RuleSpec["scope"] }): RuleSpec {
  return { scope: { kind: "projects", projects: [apps] }, ...fields, paths: rulePaths(i) };
}

/** A credential made of rules only (the custom use case), as the stack builds it. */
const rulesSpec = (rules: CredentialSpec["rules"], extra: Partial<CredentialSpec> = {}) =>
  spec({ scope: { kind: "projects", projects: [] }, rules, ...extra });

function check(s: CredentialSpec, issues = new Issues()) {
  const resolved = checkCredential(s, ctx, issues);
  return { resolved, issues: issues.list };
}

function grantsOf(s: CredentialSpec, presetOk = true) {
  const issues = new Issues();
  const p = s.preset !== undefined && s.preset !== UNKNOWN ? presets.get(s.preset) : undefined;
  return { grants: resolveGrants(s, p, presetOk, ctx, issues), issues: issues.list };
}

describe("a credential's permission sets (without rules)", () => {
  it("are the preset's and the explicit ones, sorted and deduplicated", () => {
    // Sorted lists keep the provider's diff quiet; the preset's own list is not in that order once sets are added.
    const issues = new Issues();
    const s = presetSpec("object-storage-source", {
      permissionSets: ["ObjectStorageBucketsRead", "AllProductsReadOnly"],
    });
    expect(resolvePermissionSets(s, preset("object-storage-source"), ctx, issues)).toEqual([
      "AllProductsReadOnly",
      "ObjectStorageBucketsRead",
      "ObjectStorageObjectsRead",
    ]);
    expect(issues.list).toEqual([]);
  });

  it("are refused as a whole when one set is refused, the issue naming that set's index", () => {
    const issues = new Issues();
    const s = custom({ permissionSets: ["AllProductsReadOnly", "IAMManager"] });
    expect(resolvePermissionSets(s, undefined, ctx, issues)).toBeUndefined();
    expect(issues.list).toEqual([
      {
        path: `${BASE}.permissionSets[1]`,
        message:
          '"IAMManager" is organization-scoped ("Access to Organization features"); Plakar only needs project-scoped sets ("Access to resources")',
      },
    ]);
  });

  it("are not known yet while one set is not, though the known ones are still checked", () => {
    let issues = new Issues();
    expect(
      resolvePermissionSets(custom({ permissionSets: [UNKNOWN, "AllProductsReadOnly"] }), undefined, ctx, issues),
    ).toBe(UNKNOWN);
    expect(issues.list).toEqual([]);
    issues = new Issues();
    expect(
      resolvePermissionSets(custom({ permissionSets: [UNKNOWN, "AllProductReadOnly"] }), undefined, ctx, issues),
    ).toBeUndefined();
    expect(issues.list.map((i) => i.path)).toEqual([`${BASE}.permissionSets[1]`]);
  });

  it("are not known yet while the list itself is not", () => {
    const issues = new Issues();
    expect(resolvePermissionSets(custom({ permissionSets: UNKNOWN }), undefined, ctx, issues)).toBe(UNKNOWN);
    expect(issues.list).toEqual([]);
  });

  it("need a preset or at least one explicit set; the message lists the presets", () => {
    for (const s of [spec(), custom({ permissionSets: [] })]) {
      const issues = new Issues();
      expect(resolvePermissionSets(s, undefined, ctx, issues)).toBeUndefined();
      expect(issues.list).toEqual([
        { path: BASE, message: `needs a preset (${PRESET_NAMES}) or a non-empty permissionSets list` },
      ]);
    }
  });
});

describe("grants: the sets on each scope", () => {
  it("rules, when given, must list at least one", () => {
    const { grants, issues } = grantsOf(rulesSpec([]));
    expect(grants).toEqual([]);
    expect(issues).toEqual([{ path: `${BASE}.rules`, message: "must list at least one rule" }]);
  });

  it("rules not known yet leave the grants unknown, with no issue and no credential", () => {
    expect(grantsOf(rulesSpec(UNKNOWN))).toEqual({ grants: UNKNOWN, issues: [] });
    expect(check(rulesSpec(UNKNOWN))).toEqual({ resolved: undefined, issues: [] });
  });

  it("a staging project is refused for a preset not made of parts, and the sets are still granted and checked", () => {
    const { grants, issues } = grantsOf(presetSpec("inventory", { stagingProject: backups }));
    expect(issues).toEqual([
      {
        path: `${BASE}.stagingProject`,
        message: `preset "inventory" is not made of parts, so it has no staging project: remove stagingProject (presets with one: ${PRESETS_WITH_PARTS})`,
      },
    ]);
    expect(grants).toEqual([{ projects: [apps], sets: ["AllProductsReadOnly"], path: `${BASE}.projects` }]);
  });

  it("a staging project is refused without a preset", () => {
    const { grants, issues } = grantsOf(custom({ stagingProject: backups }));
    expect(issues).toEqual([
      {
        path: `${BASE}.stagingProject`,
        message: `only a preset made of parts (${PRESETS_WITH_PARTS}) takes a staging project: remove stagingProject, or write rules`,
      },
    ]);
    expect(grants).toEqual([{ projects: [apps], sets: ["AllProductsReadOnly"], path: `${BASE}.projects` }]);
  });

  it("with the credential's preset refused (or unknown), its sets are not judged: unknown", () => {
    const { grants, issues } = grantsOf(presetSpec("inventory"), false);
    expect(grants).toEqual([{ projects: [apps], sets: UNKNOWN, path: `${BASE}.projects` }]);
    expect(issues).toEqual([]);
  });

  it("a preset made of parts puts each part on its own project, explicit sets with the main part", () => {
    const { grants, issues } = grantsOf(
      presetSpec("block-storage-backup", { stagingProject: backups, permissionSets: ["AllProductsReadOnly"] }),
    );
    expect(issues).toEqual([]);
    expect(grants).toEqual([
      { projects: [apps], sets: ["AllProductsReadOnly", "BlockStorageFullAccess"], path: `${BASE}.projects` },
      { projects: [backups], sets: OBJECT_STORAGE_SETS, path: `${BASE}.stagingProject` },
    ]);
  });

  it("with parts, explicit sets not known yet leave the main part unknown; a refused one refuses it", () => {
    const unknownSets = grantsOf(
      presetSpec("block-storage-backup", { stagingProject: backups, permissionSets: UNKNOWN }),
    );
    expect(unknownSets.issues).toEqual([]);
    expect(unknownSets.grants).toEqual([
      { projects: [apps], sets: UNKNOWN, path: `${BASE}.projects` },
      { projects: [backups], sets: OBJECT_STORAGE_SETS, path: `${BASE}.stagingProject` },
    ]);

    const refused = grantsOf(presetSpec("block-storage-backup", { stagingProject: backups, permissionSets: ["Nope"] }));
    expect(refused.issues.map((i) => i.path)).toEqual([`${BASE}.permissionSets[0]`]);
    expect(refused.grants).toEqual([
      { projects: [apps], sets: undefined, path: `${BASE}.projects` },
      { projects: [backups], sets: OBJECT_STORAGE_SETS, path: `${BASE}.stagingProject` },
    ]);
  });

  it("a staging project not known yet keeps its sets, on unknown projects", () => {
    const { grants } = grantsOf(presetSpec("block-storage-backup", { stagingProject: UNKNOWN }));
    expect(grants).toEqual([
      { projects: [apps], sets: ["BlockStorageFullAccess"], path: `${BASE}.projects` },
      { projects: UNKNOWN, sets: OBJECT_STORAGE_SETS, path: `${BASE}.stagingProject` },
    ]);
  });
});

describe("rules", () => {
  const one = (r: Omit<RuleSpec, "paths" | "scope">) => {
    const { grants, issues } = grantsOf(rulesSpec([rule(0, r)]));
    return { grant: (grants as readonly GrantSpec[])[0], issues };
  };
  const R0 = `${BASE}.rules[0]`;

  it("grant a preset's sets, a part of them, and explicit sets, sorted", () => {
    expect(one({ preset: "block-storage-backup", part: "projects", permissionSets: ["AllProductsReadOnly"] })).toEqual({
      grant: { projects: [apps], sets: ["AllProductsReadOnly", "BlockStorageFullAccess"], path: `${R0}.projects` },
      issues: [],
    });
  });

  it("refuse an unknown preset, suggesting the closest and listing them all", () => {
    expect(one({ preset: "inventroy" })).toEqual({
      grant: { projects: [apps], sets: undefined, path: `${R0}.projects` },
      issues: [
        {
          path: `${R0}.preset`,
          message: `unknown preset "inventroy" (did you mean "inventory"?); presets: ${PRESET_NAMES}`,
        },
      ],
    });
  });

  it("refuse a part of a preset not made of parts", () => {
    expect(one({ preset: "inventory", part: "projects" }).issues).toEqual([
      {
        path: `${R0}.part`,
        message: `preset "inventory" is not made of parts (presets with parts: ${PRESETS_WITH_PARTS}): remove part`,
      },
    ]);
  });

  it("refuse a part the preset does not have, listing its parts", () => {
    const { grant, issues } = one({ preset: "block-storage-backup", part: "staging" });
    expect(issues).toEqual([
      {
        path: `${R0}.part`,
        message: 'preset "block-storage-backup" has no part "staging"; its parts: projects, stagingProject',
      },
    ]);
    expect(grant.sets).toBeUndefined();
  });

  it("refuse a part without its preset", () => {
    expect(one({ part: "projects", permissionSets: ["AllProductsReadOnly"] }).issues).toEqual([
      { path: `${R0}.part`, message: "names a part of a preset: give the preset too, or remove part" },
    ]);
  });

  it("need a preset or explicit sets", () => {
    expect(one({ permissionSets: [] })).toEqual({
      grant: { projects: [apps], sets: undefined, path: `${R0}.projects` },
      issues: [{ path: R0, message: `needs a preset (${PRESET_NAMES}) or a non-empty permissionSets list` }],
    });
  });

  it("have unknown sets, and no issue, while their preset, part or explicit sets are not known", () => {
    const unknownSets = { grant: { projects: [apps], sets: UNKNOWN, path: `${R0}.projects` }, issues: [] };
    expect(one({ preset: UNKNOWN })).toEqual(unknownSets);
    expect(one({ preset: "block-storage-backup", part: UNKNOWN })).toEqual(unknownSets);
    expect(one({ preset: "inventory", permissionSets: UNKNOWN })).toEqual(unknownSets);
    expect(one({ preset: "inventory", permissionSets: [UNKNOWN] })).toEqual(unknownSets);
    expect(one({ preset: UNKNOWN, permissionSets: ["AllProductsReadOnly"] })).toEqual(unknownSets);
  });
});

describe("where the Object Storage preferred project may be", () => {
  const grant = (projects: GrantSpec["projects"], sets: GrantSpec["sets"]): GrantSpec => ({
    projects,
    sets,
    path: "p",
  });

  it("cannot be told while the grants are not known", () => {
    expect(objectStorageScope(UNKNOWN)).toEqual({ needed: UNKNOWN, projects: UNKNOWN });
  });

  it("is needed exactly when a grant holds Object Storage sets, and then only on those grants' projects", () => {
    expect(
      objectStorageScope([grant([apps], ["AllProductsReadOnly"]), grant([backups], ["ObjectStorageObjectsRead"])]),
    ).toEqual({ needed: true, projects: [backups] });
    expect(
      objectStorageScope([grant([apps], ["AllProductsReadOnly"]), grant([backups], ["InstancesFullAccess"])]),
    ).toEqual({ needed: false, projects: [] });
  });

  it("is undecided while some grant's sets are refused or unknown, every project then a candidate", () => {
    for (const undecided of [undefined, UNKNOWN] as const) {
      expect(objectStorageScope([grant([apps], ["AllProductsReadOnly"]), grant([backups], undecided)])).toEqual({
        needed: UNKNOWN,
        projects: [apps, backups],
      });
    }
    // One grant holding Object Storage sets settles it.
    expect(objectStorageScope([grant([apps], ["ObjectStorageObjectsRead"]), grant([backups], undefined)])).toEqual({
      needed: true,
      projects: [apps, backups],
    });
  });

  it("has unknown projects while a candidate's projects are not known", () => {
    expect(
      objectStorageScope([grant([apps], ["ObjectStorageObjectsRead"]), grant(UNKNOWN, ["ObjectStorageObjectsRead"])]),
    ).toEqual({ needed: true, projects: UNKNOWN });
    // A grant that holds no Object Storage set is no candidate: its unknown projects do not matter.
    expect(
      objectStorageScope([grant([apps], ["ObjectStorageObjectsRead"]), grant(UNKNOWN, ["AllProductsReadOnly"])]),
    ).toEqual({ needed: true, projects: [apps] });
  });
});

describe("the Object Storage preferred project", () => {
  const resolve = (
    s: CredentialSpec,
    scope: ReturnType<typeof objectStorageScope>,
    setsFailed = false,
  ): { preferred: unknown; issues: readonly unknown[] } => {
    const issues = new Issues();
    return { preferred: resolvePreferredProject(s, scope, setsFailed, issues), issues: issues.list };
  };
  const NOT_OBJECT_STORAGE = {
    path: `${BASE}.preferredProject`,
    message:
      "only keys with Object Storage permission sets (ObjectStorage*) take a preferred project; remove preferredProject",
  };

  it("is refused on a key without Object Storage sets, and absent otherwise", () => {
    expect(check(presetSpec("inventory", { preferredProject: apps }))).toEqual({
      resolved: undefined,
      issues: [NOT_OBJECT_STORAGE],
    });
    expect(resolve(custom(), { needed: false, projects: [] })).toEqual({ preferred: undefined, issues: [] });
  });

  it("is taken without asking when the Object Storage sets apply to one project", () => {
    expect(resolve(custom(), { needed: true, projects: [backups] })).toEqual({ preferred: backups, issues: [] });
    expect(check(presetSpec("object-storage")).resolved?.preferredProject).toEqual(apps);
  });

  it("is not decided while whether one is needed is not known", () => {
    expect(resolve(custom(), { needed: UNKNOWN, projects: [apps] })).toEqual({ preferred: UNKNOWN, issues: [] });
    expect(resolve(custom({ preferredProject: UNKNOWN }), { needed: true, projects: [apps] })).toEqual({
      preferred: UNKNOWN,
      issues: [],
    });
    expect(resolve(custom(), { needed: true, projects: UNKNOWN })).toEqual({ preferred: UNKNOWN, issues: [] });
  });

  it("with refused sets, a named one is still checked against the projects, never refused for lack of sets", () => {
    // Whether a preferred project is needed is decided once the sets are fixed.
    expect(resolve(custom({ preferredProject: apps }), { needed: false, projects: [apps] }, true)).toEqual({
      preferred: apps,
      issues: [],
    });
    expect(resolve(custom(), { needed: true, projects: [apps] }, true)).toEqual({ preferred: UNKNOWN, issues: [] });
    const other = { id: PROD, label: "other" };
    expect(resolve(custom({ preferredProject: other }), { needed: false, projects: [apps] }, true)).toEqual({
      preferred: null,
      issues: [
        { path: `${BASE}.preferredProject`, message: `"other" is not one of this credential's projects (apps)` },
      ],
    });
  });

  it("must be one of the credential's projects", () => {
    expect(
      check(
        presetSpec("object-storage", {
          scope: { kind: "projects", projects: [apps, backups] },
          // An alias declared in the stack, but not one of this credential's projects.
          preferredProject: { id: PROD, label: "bakups" },
        }),
      ),
    ).toEqual({
      resolved: undefined,
      issues: [
        {
          path: `${BASE}.preferredProject`,
          message: `"bakups" is not one of this credential's projects (apps, backups) (did you mean "backups"?)`,
        },
      ],
    });
  });

  it("is matched by project ID, and keeps the name it was given (the stack may give a project two aliases)", () => {
    expect(
      resolve(custom({ preferredProject: { id: BACKUPS, label: "vault" } }), {
        needed: true,
        projects: [apps, backups],
      }),
    ).toEqual({
      preferred: { id: BACKUPS, label: "vault" },
      issues: [],
    });
  });

  it("with rules or a staging project, must be a project of a rule holding Object Storage sets", () => {
    const s = presetSpec("block-storage-backup", { stagingProject: backups, preferredProject: apps });
    expect(check(s).issues).toEqual([
      {
        path: `${BASE}.preferredProject`,
        message: `"apps" is not a project of a rule holding Object Storage sets (backups)`,
      },
    ]);
    expect(check({ ...s, preferredProject: backups }).resolved?.preferredProject).toEqual(backups);
  });

  it("organization-wide, may be any project (the stack refuses an undeclared alias itself)", () => {
    // Every project of the organization is granted: any project will do, an alias of the stack's or an ID.
    const orgWide = presetSpec("object-storage", { scope: { kind: "organization" } });
    const prod = { id: PROD, label: "prod" };
    expect(check({ ...orgWide, preferredProject: prod })).toMatchObject({
      resolved: { preferredProject: prod },
      issues: [],
    });
    expect(check({ ...orgWide, preferredProject: backups }).resolved?.preferredProject).toEqual(backups);
    // The component labels a project by its ID.
    const byId = { id: PROD, label: PROD };
    expect(resolve({ ...orgWide, preferredProject: byId }, { needed: true, projects: "*" })).toEqual({
      preferred: byId,
      issues: [],
    });
  });

  it("is required when the Object Storage sets apply to several projects, or to all", () => {
    const required = (rest: string) => ({
      path: `${BASE}.preferredProject`,
      message: `required: Object Storage permission sets need a preferred project (the buckets' project) and ${rest}`,
    });
    const two = { kind: "projects" as const, projects: [apps, backups] };
    expect(check(presetSpec("object-storage", { scope: two })).issues).toEqual([
      required("this credential has 2 projects; set preferredProject to one of apps, backups"),
    ]);
    expect(check(rulesSpec([rule(0, { preset: "object-storage", scope: two })])).issues).toEqual([
      required("they apply to 2 projects; set preferredProject to one of apps, backups"),
    ]);
    const orgWide = presetSpec("object-storage", { scope: { kind: "organization" } });
    expect(check(orgWide).issues).toEqual([
      required(`this credential has projects "*"; set preferredProject to the buckets' project`),
    ]);
    expect(check(rulesSpec([rule(0, { preset: "object-storage", scope: { kind: "organization" } })])).issues).toEqual([
      required(`they apply to projects "*"; set preferredProject to the buckets' project`),
    ]);
  });

  it("is not asked for while some rule's sets are refused: that is fixed first", () => {
    // One rule holds Object Storage sets on two projects, another names a set that does not exist.
    const s = rulesSpec([
      rule(0, { preset: "object-storage", scope: { kind: "projects", projects: [apps, backups] } }),
      rule(1, { permissionSets: ["NotASet"], scope: { kind: "projects", projects: [backups] } }),
    ]);
    expect(check(s).issues.map((i) => i.path)).toEqual([`${BASE}.rules[1].permissionSets[0]`]);
  });

  it("is not asked for while the credential's preset is refused", () => {
    const s = rulesSpec(
      [rule(0, { preset: "object-storage", scope: { kind: "projects", projects: [apps, backups] } })],
      { preset: "inventroy" },
    );
    expect(check(s).issues).toEqual([
      {
        path: `${BASE}.preset`,
        message: `unknown preset "inventroy" (did you mean "inventory"?); presets: ${PRESET_NAMES}`,
      },
    ]);
  });
});

describe("checkCredential with values not known yet", () => {
  // A check that needs an unknown value is skipped: no issue, no credential (the component checks again later).
  const cases: [string, Partial<CredentialSpec>][] = [
    ["organization", { organizationId: UNKNOWN }],
    ["name", { name: UNKNOWN }],
    // Without explicit sets: an unknown preset must not be taken for a missing one.
    ["preset", { preset: UNKNOWN, permissionSets: [] }],
    ["description", { purpose: UNKNOWN }],
    ["tag list", { tags: UNKNOWN }],
    ["tag", { tags: ["team=platform", UNKNOWN] }],
    ["region", { region: UNKNOWN }],
    ["pinned expiry", { expiry: { kind: "pinned", expiresAt: UNKNOWN } }],
    ["delivery project", { delivery: { project: UNKNOWN, region: "fr-par", folder: "/plakar/staging" } }],
    ["project", { scope: { kind: "projects", projects: [apps, UNKNOWN] } }],
  ];
  for (const [what, extra] of cases) {
    it(`an unknown ${what} gives no issue and no credential yet`, () => {
      expect(check(custom(extra))).toEqual({ resolved: undefined, issues: [] });
    });
  }

  it("resolves once every value is known", () => {
    const resolved = check(
      custom({
        region: "fr-par",
        purpose: "Reads reports",
        tags: ["team=platform"],
        delivery: { project: backups, region: "fr-par", folder: "/plakar/staging" },
      }),
    ).resolved;
    expect(resolved).toMatchObject({
      name: "plakar-staging-reports",
      organizationId: ORG,
      useCase: "custom",
      description: "Plakar custom for stack staging: Reads reports",
      tags: ["managed-by=pulumi", "stack=staging", "team=platform", "use-case=custom"],
      rules: [{ projectIds: [APPS], permissionSetNames: ["AllProductsReadOnly"] }],
      delivery: { fullPath: "/plakar/staging/reports", project: backups, region: "fr-par" },
    });
  });

  it("still judges the known values around an unknown preset", () => {
    const { resolved, issues } = check(spec({ preset: UNKNOWN, tags: ["stack=prod"] }));
    expect(resolved).toBeUndefined();
    expect(issues).toEqual([
      {
        path: "tags[0]",
        message:
          'the tag key "stack" is written by this stack itself (managed-by, stack, use-case), so a user tag cannot set it: use another key',
      },
    ]);
  });

  it("resolveCredential reports unknown values left as an internal error", () => {
    expect(() => resolveCredential(custom({ name: UNKNOWN }), ctx)).toThrow(
      new Error('internal: credential "reports" has unknown values left'),
    );
  });

  it("resolveCredential throws every problem as a ConfigError", () => {
    let caught: unknown;
    try {
      resolveCredential(custom({ preset: "inventroy", tags: ["use-case=x"] }), ctx);
    } catch (err) {
      caught = err;
    }
    expect(caught).toBeInstanceOf(ConfigError);
    expect((caught as ConfigError).issues.map((i) => i.path)).toEqual([`${BASE}.preset`, "tags[0]"]);
  });
});

describe("checkCredential refusals", () => {
  it("a refused check gives no credential, even with every value known", () => {
    expect(check(custom({ tags: ["managed-by=me"] })).resolved).toBeUndefined();
  });

  it("problems reported before, for other credentials, do not refuse this one", () => {
    const issues = new Issues();
    issues.add("credentials.other.preset", "unknown preset");
    expect(check(custom(), issues).resolved?.name).toBe("plakar-staging-reports");
  });

  it("a refused preferred project gives no credential, even when its problem was reported already", () => {
    // Issues keeps each problem once: the second report adds nothing, the credential must still be refused.
    const s = presetSpec("object-storage", { scope: { kind: "projects", projects: [apps, backups] } });
    const issues = new Issues();
    expect(check(s, issues).resolved).toBeUndefined();
    expect(issues.count).toBe(1);
    expect(check(s, issues).resolved).toBeUndefined();
    expect(issues.count).toBe(1);
  });

  it("an unknown preset is refused, suggesting the closest", () => {
    expect(check(custom({ preset: "secret-provder" })).issues).toEqual([
      {
        path: `${BASE}.preset`,
        message: `unknown preset "secret-provder" (did you mean "secret-provider"?); presets: ${PRESET_NAMES}`,
      },
    ]);
  });
});

describe("descriptions", () => {
  it('a custom credential is described as "Custom permission sets"', () => {
    expect(check(custom()).resolved?.description).toBe("Plakar custom for stack staging: Custom permission sets");
  });

  // Scaleway allows 200 characters; a rotated key appends " (generation YYYY-MM-DD)", 24 more.
  const PREFIX = "Plakar custom for stack staging: ";
  const pinned = { kind: "pinned" as const, expiresAt: "2027-06-30T00:00:00Z" };

  it("take 200 characters with a pinned expiry, and say how short the purpose must be", () => {
    const room = 200 - PREFIX.length;
    expect(check(custom({ expiry: pinned, purpose: "x".repeat(room) })).issues).toEqual([]);
    expect(check(custom({ expiry: pinned, purpose: "x".repeat(room + 1) })).issues).toEqual([
      {
        path: `${BASE}.description`,
        message: `makes a 201-character description; Scaleway allows 200: shorten it to at most ${room} characters`,
      },
    ]);
    expect(room).toBe(167);
  });

  it("keep room for the generation suffix when keys rotate", () => {
    const room = 200 - 24 - PREFIX.length;
    expect(check(custom({ purpose: "x".repeat(room) })).issues).toEqual([]);
    expect(check(custom({ purpose: "x".repeat(room + 1) })).issues).toEqual([
      {
        path: `${BASE}.description`,
        message: `makes a 177-character description; Scaleway allows 200 and rotated keys add 24 for their generation: shorten it to at most ${room} characters`,
      },
    ]);
    // The longest rotated key's description is exactly Scaleway's limit.
    const keys = check(custom({ purpose: "x".repeat(room) })).resolved?.keys;
    expect(keys?.current.description).toHaveLength(200);
  });
});

describe("compare", () => {
  it("orders by code unit, as Array.prototype.sort does, whatever the locale", () => {
    expect(compare("a", "b")).toBe(-1);
    expect(compare("b", "a")).toBe(1);
    expect(compare("a", "a")).toBe(0);
    expect(compare("Z", "a")).toBe(-1);
    expect(compare("ab", "a")).toBe(1);
  });
});

describe("a pinned expiry", () => {
  it("may be exactly maxLifetimeDays ahead, not a second more", () => {
    // NOW is 2026-11-26T12:00:00Z; the cap is 365 days.
    const at = (expiresAt: string) => check(custom({ expiry: { kind: "pinned", expiresAt } }));
    expect(at("2027-11-26T12:00:00Z").resolved?.expiry).toEqual({ kind: "pinned", expiresAt: "2027-11-26T12:00:00Z" });
    expect(at("2027-11-26T12:00:01Z").issues).toEqual([
      {
        path: `${BASE}.expiresAt`,
        message: "2027-11-26T12:00:01Z is 366 days ahead, more than apiKeys.maxLifetimeDays (365): set an earlier date",
      },
    ]);
  });
});

describe("Plakar's form", () => {
  const inventoryHint = preset("inventory").plakar.fields.find((f) => f.from === "projectId")?.hint;
  const delivery = { project: backups, region: "fr-par", folder: "/plakar/staging" };

  it("a custom credential asks for its keys only, in a form of its own", () => {
    expect(check(custom()).resolved?.plakar).toStrictEqual({
      integration: "custom",
      fields: [
        { label: "Access key", from: "accessKey" },
        { label: "Secret key", from: "secretKey" },
      ],
    });
  });

  it("fills the inventory's project ID when it has one project, and leaves the hint otherwise", () => {
    const form = (s: CredentialSpec) => check(s).resolved?.plakar.fields.find((f) => f.from === "projectId");
    expect(form(presetSpec("inventory"))).toStrictEqual({ label: "Project ID", from: "projectId", value: APPS });
    expect(form(presetSpec("inventory", { scope: { kind: "projects", projects: [apps, backups] } }))).toStrictEqual({
      label: "Project ID",
      from: "projectId",
      hint: inventoryHint,
    });
  });

  it("fills the project ID with the preferred project when there is one", () => {
    const s = presetSpec("inventory", {
      scope: { kind: "projects", projects: [apps, backups] },
      permissionSets: ["ObjectStorageBucketsRead"],
      preferredProject: backups,
    });
    expect(check(s).resolved?.plakar.fields.find((f) => f.from === "projectId")?.value).toBe(BACKUPS);
    expect(plakarForm({ name: "n", projects: "*" }, preset("inventory"), undefined, undefined).fields[1]).toStrictEqual(
      { label: "Project ID", from: "projectId", hint: inventoryHint },
    );
  });

  it("a delivered credential marks the values its secret holds, and only those", () => {
    const resolved = check(
      presetSpec("block-storage-backup", { stagingProject: backups, preferredProject: backups, delivery }),
    ).resolved;
    expect(resolved?.plakar.fields).toStrictEqual([
      { label: "Protocol", from: "fixed", value: "scaleway-block" },
      { label: "Access Key", from: "accessKey", secretField: "access_key" },
      { label: "Secret Key", from: "secretKey", secretField: "secret_key" },
      { label: "Bucket", from: "user", hint: preset("block-storage-backup").plakar.fields[3].hint },
    ]);
    // A fixed value is no secret field: nothing is written next to the key.
    expect(resolved?.delivery?.extraFields).toStrictEqual({});
  });

  it("a delivered inventory writes its project ID next to the key only when it is known", () => {
    const one = check(presetSpec("inventory", { delivery })).resolved;
    expect(one?.delivery?.extraFields).toStrictEqual({ project_id: APPS });
    const two = check(
      presetSpec("inventory", { scope: { kind: "projects", projects: [apps, backups] }, delivery }),
    ).resolved;
    expect(two?.plakar.fields.find((f) => f.from === "projectId")).toStrictEqual({
      label: "Project ID",
      from: "projectId",
      hint: inventoryHint,
    });
    expect(two?.delivery?.extraFields).toStrictEqual({});
    expect(
      deliveredExtraFields({ integration: "x", fields: [{ label: "P", from: "fixed", value: "v" }] }),
    ).toStrictEqual({});
  });
});

describe("preset files", () => {
  const VALID = [
    "description: Test preset",
    "permissionSets: [AllProductsReadOnly]",
    "plakar:",
    "  integration: Test",
    "  fields:",
    "    - { label: Access key, from: accessKey }",
  ];

  it("refuse a wrong shape under a heading naming the file", () => {
    expect(() => parsePreset("broken", "description: 1\n", catalog)).toThrow(
      /^invalid preset presets\/broken\.yaml:\n/,
    );
  });

  it("refuse an undocumented set under a heading naming the file", () => {
    const text = VALID.join("\n").replace("AllProductsReadOnly", "NotASet");
    expect(() => parsePreset("broken", text, catalog)).toThrow(
      /^invalid preset presets\/broken\.yaml:\n {2}presets\/broken\.yaml:permissionSets\[0\]: "NotASet"/,
    );
  });

  it('need a value for a field "from: fixed"', () => {
    const text = [...VALID, "    - { label: Protocol, from: fixed }"].join("\n");
    let caught: unknown;
    try {
      parsePreset("broken", text, catalog);
    } catch (err) {
      caught = err;
    }
    expect(configIssuesOf(caught)).toEqual([
      { path: "presets/broken.yaml:plakar.fields[1].value", message: 'required for "from: fixed"' },
    ]);
    expect(
      parsePreset("ok", [...VALID, "    - { label: Protocol, from: fixed, value: x }"].join("\n"), catalog).name,
    ).toBe("ok");
  });

  it("the shipped ones are read once", () => {
    expect(shippedData()).toBe(shippedData());
  });
});

describe("the catalog file, edge cases", () => {
  it("names the default file in its error, an empty file included", () => {
    expect(() => parseCatalog("")).toThrow(
      new Error('permission-sets.tsv: expected a header line "name<TAB>scope<TAB>category"'),
    );
  });

  it("skips lines of only blanks", () => {
    expect([...parseCatalog("name\tscope\n   \nA\tproject\n \t \n").keys()]).toEqual(["A"]);
  });
});

describe("issues carried by another error", () => {
  it("are found only when every one has a string path and message", () => {
    const carrying = (issues: unknown) => Object.assign(new Error("x"), { issues });
    expect(
      configIssuesOf(
        carrying([
          { path: "a", message: "one" },
          { path: 1, message: "two" },
        ]),
      ),
    ).toBeUndefined();
    expect(configIssuesOf(carrying([{ path: "a", message: 1 }]))).toBeUndefined();
    expect(configIssuesOf(carrying([null]))).toBeUndefined();
    expect(configIssuesOf(carrying([]))).toEqual([]);
  });
});
