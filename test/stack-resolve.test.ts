/**
 * planStack (through the resolveStack adapter), rule by rule: the key paths and messages of the stack's own checks,
 * the class and arguments each credential is handed to its component as, and the calendar check behind RFC 3339
 * timestamps. Every test does its own work (no beforeAll, nothing at module level), so a mutation run credits it
 * with the code it runs.
 */
import { describe, expect, it } from "vitest";
import { isRealInstant, Timestamp } from "../components/domain/schema";
import { APPS, BACKUPS, baseConfig, issuesOf, ORG, plan } from "./support/config";

/** The issues of a rejected config, one `path: message` line each, in the order they are reported. */
const lines = (config: unknown) => issuesOf(config).map((i) => `${i.path}: ${i.message}`);

/** A config with one credential `key`. */
const withCredential = (key: string, spec: Record<string, unknown>, extra: Record<string, unknown> = {}) =>
  baseConfig({ ...extra, credentials: { [key]: spec } });

const UNKNOWN_ALIAS = (key: string, alias: string, hint = "") =>
  `credential "${key}" names unknown project alias "${alias}"${hint}; declared aliases: apps, backups`;

const LONG_DESCRIPTION = "d".repeat(190);

describe("schema errors: every one reported, at its key path", () => {
  // A typo at the top level is reported with the top-level keys.
  it("an unknown top-level key names the closest key and the keys known there", () => {
    expect(lines(baseConfig({ organisationId: ORG }))).toEqual([
      'organisationId: unknown key (did you mean "organizationId"?); known keys here: organizationId, projects, namePrefix, allowAllProjects, protect, tags, apiKeys, secretManager, credentials',
    ]);
  });

  // A schema error and a pinned-expiry conflict in one config: both in one run, the schema's first.
  it("a schema error and a pinned expiresAt beside rotation are reported together", () => {
    expect(
      lines(baseConfig({ organisationId: ORG, apiKeys: { expiresAt: "2027-01-01T00:00:00Z", rotateEveryDays: 30 } })),
    ).toEqual([
      'organisationId: unknown key (did you mean "organizationId"?); known keys here: organizationId, projects, namePrefix, allowAllProjects, protect, tags, apiKeys, secretManager, credentials',
      "apiKeys.expiresAt: a pinned expiresAt turns rotation off: set either expiresAt or rotateEveryDays/overlapDays, not both",
    ]);
  });

  // Each nested strict object suggests from its own keys.
  it("a typo under apiKeys lists the apiKeys keys", () => {
    expect(lines(baseConfig({ apiKeys: { rotateEveryDay: 30 } }))).toEqual([
      'apiKeys.rotateEveryDay: unknown key (did you mean "rotateEveryDays"?); known keys here: expiresAt, maxLifetimeDays, rotateEveryDays, overlapDays',
    ]);
  });

  it("a typo under secretManager lists the secretManager keys", () => {
    expect(lines(baseConfig({ secretManager: { project: "backups", pathprefix: "/plakar" } }))).toEqual([
      'secretManager.pathprefix: unknown key (did you mean "pathPrefix"?); known keys here: project, region, pathPrefix',
    ]);
  });

  it("a typo in a credential lists the credential keys", () => {
    expect(lines(withCredential("inventory", { preset: "inventory", project: ["apps"] }))).toEqual([
      'credentials.inventory.project: unknown key (did you mean "projects"?); known keys here: preset, permissionSets, projects, stagingProject, rules, region, preferredProject, expiresAt, rotateEveryDays, overlapDays, description, deliver, adopt, retire',
    ]);
  });

  it("a typo in a rule lists the rule keys", () => {
    const config = withCredential("inventory", {
      preset: "inventory",
      rules: [{ projects: ["apps"], preset: "inventory", prest: "inventory" }],
    });
    expect(lines(config)).toEqual([
      'credentials.inventory.rules[0].prest: unknown key (did you mean "preset"?); known keys here: projects, permissionSets, preset, part',
    ]);
  });

  it("a typo in adopt lists the adopt keys", () => {
    const config = withCredential("inventory", {
      preset: "inventory",
      projects: ["apps"],
      adopt: { applicationId: APPS, policy: BACKUPS },
    });
    expect(lines(config)).toEqual([
      "credentials.inventory.adopt.policyId: is required: it must be a Scaleway ID (a UUID such as 3f2b6c1e-8d4a-4c2e-9b7f-0a1d2e3f4a5b)",
      'credentials.inventory.adopt.policy: unknown key (did you mean "policyId"?); known keys here: applicationId, policyId',
    ]);
  });

  // A missing key says "is required" with the expected type; a wrong type keeps zod's message naming both types.
  it("a missing secretManager.project is required (string)", () => {
    expect(lines(baseConfig({ secretManager: { region: "fr-par" } }))).toEqual([
      "secretManager.project: is required (string)",
    ]);
  });

  it("a secretManager.project of the wrong type names the type it got", () => {
    expect(lines(baseConfig({ secretManager: { project: 5 } }))).toEqual([
      "secretManager.project: Invalid input: expected string, received number",
    ]);
  });

  // Not an object at all: a config error, never a TypeError.
  it("a null config is one config error at the top", () => {
    expect(lines(null)).toEqual([": Invalid input: expected object, received null"]);
  });

  it("apiKeys: null is one config error at apiKeys", () => {
    expect(lines(baseConfig({ apiKeys: null }))).toEqual(["apiKeys: Invalid input: expected object, received null"]);
  });

  // Secret Manager folders are absolute paths.
  it("a relative secretManager.pathPrefix is refused with an example", () => {
    expect(lines(baseConfig({ secretManager: { project: "backups", pathPrefix: "plakar" } }))).toEqual([
      'secretManager.pathPrefix: must be an absolute path such as "/plakar", without a trailing slash',
    ]);
  });
});

describe("apiKeys: a pinned expiresAt conflicts only with rotation settings actually given", () => {
  it("rotation settings alone are accepted, and rotate", () => {
    const [c] = plan(baseConfig({ apiKeys: { rotateEveryDays: 30, overlapDays: 7 } })).credentials;
    expect(c.expiry).toEqual({ kind: "rotation", rotateEveryDays: 30, overlapDays: 7 });
  });

  it("expiresAt alone is accepted, and pins", () => {
    const [c] = plan(baseConfig({ apiKeys: { expiresAt: "2027-01-01T00:00:00Z" } })).credentials;
    expect(c.expiry).toEqual({ kind: "pinned", expiresAt: "2027-01-01T00:00:00Z" });
  });

  // A key present with the value undefined (a program's config object) is not set.
  it("rotateEveryDays: undefined beside expiresAt is no conflict", () => {
    const config = baseConfig({ apiKeys: { expiresAt: "2027-01-01T00:00:00Z", rotateEveryDays: undefined } });
    const [c] = plan(config).credentials;
    expect(c.expiry).toEqual({ kind: "pinned", expiresAt: "2027-01-01T00:00:00Z" });
  });
});

describe("project aliases", () => {
  // Declared aliases are listed sorted, whatever order the config declares them in.
  it("an unknown alias in secretManager.project lists the declared aliases sorted", () => {
    const config = baseConfig({
      projects: { zeta: APPS, alpha: BACKUPS },
      secretManager: { project: "bakups" },
      credentials: { inventory: { preset: "inventory", projects: ["zeta"] } },
    });
    expect(lines(config)).toEqual([
      'secretManager.project: unknown project alias "bakups"; declared aliases: alpha, zeta',
    ]);
  });

  it("an unknown alias in secretManager.project suggests the closest one", () => {
    const config = baseConfig({ secretManager: { project: "bakups" } });
    expect(lines(config)).toEqual([
      'secretManager.project: unknown project alias "bakups" (did you mean "backups"?); declared aliases: apps, backups',
    ]);
  });

  it("an unknown alias in a credential's projects names the credential, at the alias's index, aliases sorted", () => {
    const config = baseConfig({
      projects: { zeta: APPS, alpha: BACKUPS },
      credentials: { inventory: { preset: "inventory", projects: ["zeta", "alpa"] } },
    });
    expect(lines(config)).toEqual([
      'credentials.inventory.projects[1]: credential "inventory" names unknown project alias "alpa" (did you mean "alpha"?); declared aliases: alpha, zeta',
    ]);
  });

  // "*" inside a list is not "all projects": it says how to write that.
  it('"*" inside a list is refused at its index, saying to write projects: "*"', () => {
    expect(lines(withCredential("inventory", { preset: "inventory", projects: ["apps", "*"] }))).toEqual([
      'credentials.inventory.projects[1]: to grant all current and future projects, write projects: "*" (a string, not a list)',
    ]);
  });

  // A credential with a bad alias is not judged on the rest of its list: no preferredProject demand on a partial list.
  it('with "*" in the list, the remaining aliases are not judged as the credential\'s projects', () => {
    const config = withCredential("sync", { preset: "object-storage", projects: ["apps", "backups", "*"] });
    expect(lines(config)).toEqual([
      'credentials.sync.projects[2]: to grant all current and future projects, write projects: "*" (a string, not a list)',
    ]);
  });

  it("with an unknown alias in the list, the remaining aliases are not judged as the credential's projects", () => {
    const config = withCredential("sync", { preset: "object-storage", projects: ["apps", "backups", "bkups"] });
    expect(lines(config)).toEqual([`credentials.sync.projects[2]: ${UNKNOWN_ALIAS("sync", "bkups")}`]);
  });

  it("the same holds inside a rule", () => {
    const config = withCredential("sync", {
      preset: "object-storage",
      rules: [{ projects: ["apps", "backups", "bkups"], preset: "object-storage" }],
    });
    expect(lines(config)).toEqual([`credentials.sync.rules[0].projects[2]: ${UNKNOWN_ALIAS("sync", "bkups")}`]);
  });

  // Control: the same credential with only known aliases does need a preferred project.
  it("control: two known projects with Object Storage sets need a preferredProject", () => {
    const config = withCredential("sync", { preset: "object-storage", projects: ["apps", "backups"] });
    expect(lines(config)).toEqual([
      "credentials.sync.preferredProject: required: Object Storage permission sets need a preferred project (the buckets' project) and this credential has 2 projects; set preferredProject to one of apps, backups",
    ]);
  });

  it("an unknown stagingProject names the credential and the alias", () => {
    const config = withCredential("vm", { preset: "instance-backup", projects: ["apps"], stagingProject: "bakups" });
    expect(lines(config)).toEqual([
      `credentials.vm.stagingProject: ${UNKNOWN_ALIAS("vm", "bakups", ' (did you mean "backups"?)')}`,
    ]);
  });

  it("an alias listed twice is one project of the component's arguments", () => {
    const [c] = plan(withCredential("inventory", { preset: "inventory", projects: ["apps", "apps"] })).credentials;
    expect(c.args.projectIds).toStrictEqual([APPS]);
    expect(c.projects).toStrictEqual([{ id: APPS, label: "apps" }]);
  });

  // The credential reaches its projects sorted; the component's arguments keep them as written.
  it("known aliases resolve to their project IDs", () => {
    const resolved = plan(withCredential("inventory", { preset: "inventory", projects: ["backups", "apps"] }));
    expect(resolved.credentials[0].projects).toEqual([
      { id: APPS, label: "apps" },
      { id: BACKUPS, label: "backups" },
    ]);
    expect(resolved.credentials[0].args.projectIds).toStrictEqual([BACKUPS, APPS]);
  });
});

describe("credential names", () => {
  // The suggestion is the name lowercased, other characters as dashes, leading non-letters dropped.
  it.each([
    ["Nightly_Backup", "nightly-backup"],
    ["42-Backups", "backups"],
    ["2Fast", "fast"],
    ["Sync.Job", "sync-job"],
    // Nothing usable left: a plain example.
    ["42", "inventory"],
  ])("%s is refused, suggesting %s", (key, suggestion) => {
    expect(lines(withCredential(key, { preset: "inventory", projects: ["apps"] }))).toEqual([
      `credentials.${key}: credential names are lowercase letters, digits and dashes, starting with a letter (e.g. "${suggestion}")`,
    ]);
  });

  // Scaleway's 64-character limit on names: the fix names both parts of the name.
  it("a name over 64 characters says to shorten the credential name or namePrefix", () => {
    const prefix = "x".repeat(60);
    expect(lines(baseConfig({ namePrefix: prefix }))).toEqual([
      `credentials.inventory: the application and policy name "${prefix}staging-inventory" is 77 characters; Scaleway allows 64: shorten the credential name or namePrefix`,
    ]);
  });
});

describe("rules beside projects", () => {
  it("rules with projects and permissionSets names both, joined with 'and'", () => {
    const config = withCredential("sync", {
      preset: "object-storage",
      projects: ["apps"],
      permissionSets: ["ObjectStorageReadOnly"],
      rules: [{ projects: ["apps"], preset: "object-storage" }],
    });
    expect(lines(config)).toEqual([
      "credentials.sync.rules: give either rules or projects and permissionSets, not both: each rule has its own projects and permissionSets (move projects and permissionSets into a rule)",
    ]);
  });

  // Neither projects nor rules: one issue, not a second one about an empty project list.
  it("without projects and without rules, projects is required", () => {
    expect(lines(withCredential("inventory", { preset: "inventory" }))).toEqual([
      'credentials.inventory.projects: is required: list project aliases, or "*" for all current and future projects (or give rules, each with its own projects)',
    ]);
  });

  it("without projects and without rules, the credential's own problems are still reported", () => {
    expect(lines(withCredential("inventory", { preset: "inventory", description: LONG_DESCRIPTION }))).toEqual([
      "credentials.inventory.description: makes a 226-character description; Scaleway allows 200 and rotated keys add 24 for their generation: shorten it to at most 140 characters",
      'credentials.inventory.projects: is required: list project aliases, or "*" for all current and future projects (or give rules, each with its own projects)',
    ]);
  });
  // No projects to judge a preferred project against: only the missing projects is reported.
  it("without projects and without rules, a preferredProject is not judged against an empty list", () => {
    expect(lines(withCredential("sync", { preset: "object-storage", preferredProject: "backups" }))).toEqual([
      'credentials.sync.projects: is required: list project aliases, or "*" for all current and future projects (or give rules, each with its own projects)',
    ]);
  });
});

describe("region: only on a form that asks for one", () => {
  it("a custom credential (no preset) with region is refused", () => {
    const config = withCredential("c", { permissionSets: ["InstancesReadOnly"], projects: ["apps"], region: "fr-par" });
    expect(lines(config)).toEqual([
      "credentials.c.region: Plakar's custom form asks for no region: remove region (it is the region of the secrets, for Secret Manager presets)",
    ]);
  });

  it("a preset whose form has no Region field names the preset", () => {
    const config = withCredential("inventory", { preset: "inventory", projects: ["apps"], region: "fr-par" });
    expect(lines(config)).toEqual([
      `credentials.inventory.region: Plakar's "inventory" form asks for no region: remove region (it is the region of the secrets, for Secret Manager presets)`,
    ]);
  });

  // An unknown preset is the problem to fix; its form cannot be judged.
  it("with an unknown preset, only the preset is reported", () => {
    const config = withCredential("inventory", { preset: "inventori", projects: ["apps"], region: "fr-par" });
    expect(lines(config)).toEqual([
      'credentials.inventory.preset: unknown preset "inventori" (did you mean "inventory"?); presets: block-storage-backup, instance-backup, inventory, object-storage-source, object-storage, secret-manager-backup, secret-provider',
    ]);
  });

  it("a preset whose form has a Region field takes it", () => {
    const config = withCredential("secrets-backup", {
      preset: "secret-manager-backup",
      projects: ["apps"],
      region: "nl-ams",
    });
    const [c] = plan(config).credentials;
    expect(c.args.region).toBe("nl-ams");
    expect(c.plakar.fields.find((f) => f.from === "region")?.value).toBe("nl-ams");
  });

  it("without region, no credential is refused for one (control)", () => {
    const r = plan(baseConfig());
    expect(r.credentials.map((c) => c.key)).toEqual(["inventory"]);
  });
});

describe("a refused credential still shows its own problems, in one run", () => {
  // Refused by its name: the scope is still known, so the preferredProject check still runs.
  it("a bad name and a preferredProject outside the projects are both reported", () => {
    const config = withCredential("Sync", {
      preset: "object-storage",
      projects: ["apps"],
      preferredProject: "backups",
    });
    expect(lines(config)).toEqual([
      'credentials.Sync: credential names are lowercase letters, digits and dashes, starting with a letter (e.g. "sync")',
      `credentials.Sync.preferredProject: "backups" is not one of this credential's projects (apps)`,
    ]);
  });

  // The stack-only problem comes after the credential's own.
  it("an unknown stagingProject and a too-long description are both reported", () => {
    const config = withCredential("vm", {
      preset: "instance-backup",
      projects: ["apps"],
      stagingProject: "bakups",
      description: LONG_DESCRIPTION,
    });
    expect(lines(config)).toEqual([
      "credentials.vm.description: makes a 232-character description; Scaleway allows 200 and rotated keys add 24 for their generation: shorten it to at most 134 characters",
      `credentials.vm.stagingProject: ${UNKNOWN_ALIAS("vm", "bakups", ' (did you mean "backups"?)')}`,
    ]);
  });
});

describe("Secret Manager delivery and the secret provider", () => {
  const SM = { secretManager: { project: "backups" } };
  const DELIVERED = { preset: "inventory", projects: ["apps"], deliver: "secret-manager" };
  const NOT_COVERED =
    'credentials.reports.deliver: credential "reports" is delivered to Secret Manager project "backups", but no secret-provider credential covers project "backups", so Plakar could not read it: add a credential with preset: secret-provider and projects: [backups]';

  // The provider's key is what Plakar reads the others with: it cannot be one of them.
  it("a secret-provider credential cannot itself be delivered to Secret Manager", () => {
    const config = withCredential(
      "sp",
      { preset: "secret-provider", projects: ["backups"], deliver: "secret-manager" },
      SM,
    );
    expect(lines(config)).toEqual([
      "credentials.sp.deliver: the secret-provider key is the one typed into Plakar to read all the others, so it cannot be delivered through Secret Manager itself: use deliver: outputs",
    ]);
  });

  // Without a usable Secret Manager set-up the delivery is not resolved, and the stack still says both things to fix.
  it("a secret provider delivered without secretManager configured: both problems are reported", () => {
    const config = withCredential("sp", {
      preset: "secret-provider",
      projects: ["backups"],
      deliver: "secret-manager",
    });
    expect(lines(config)).toEqual([
      "credentials.sp.deliver: deliver: secret-manager needs plakar-scaleway-iam:secretManager configured (e.g. { project: <alias>, region: fr-par, pathPrefix: /plakar })",
      "credentials.sp.deliver: the secret-provider key is the one typed into Plakar to read all the others, so it cannot be delivered through Secret Manager itself: use deliver: outputs",
    ]);
  });

  it("a delivered credential with no secret provider is reported", () => {
    expect(lines(baseConfig({ ...SM, credentials: { reports: DELIVERED } }))).toEqual([NOT_COVERED]);
  });

  it("a secret provider on the Secret Manager project covers it (control)", () => {
    const config = baseConfig({
      ...SM,
      credentials: { sp: { preset: "secret-provider", projects: ["backups"] }, reports: DELIVERED },
    });
    expect(plan(config).credentials.map((c) => c.key)).toEqual(["reports", "sp"]);
  });

  // A provider with its own errors is reported already; coverage is judged once it is fixed.
  it("a secret provider refused for its own problems hides the coverage check", () => {
    const config = baseConfig({
      ...SM,
      credentials: {
        sp: { preset: "secret-provider", projects: ["backups"], description: LONG_DESCRIPTION },
        reports: DELIVERED,
      },
    });
    expect(lines(config)).toEqual([
      "credentials.sp.description: makes a 232-character description; Scaleway allows 200 and rotated keys add 24 for their generation: shorten it to at most 134 characters",
    ]);
  });

  // Only a broken secret provider defers the check: another broken credential does not.
  it("a broken credential that is not a secret provider leaves the coverage check on", () => {
    const config = baseConfig({
      ...SM,
      credentials: {
        broken: { preset: "inventory", projects: ["apps"], description: LONG_DESCRIPTION },
        reports: DELIVERED,
      },
    });
    expect(lines(config)).toEqual([
      "credentials.broken.description: makes a 226-character description; Scaleway allows 200 and rotated keys add 24 for their generation: shorten it to at most 140 characters",
      NOT_COVERED,
    ]);
  });
});

describe("the class and arguments each credential is handed to its component as", () => {
  /** The key paths of a credential whose expiry and region come from the stack-wide settings. */
  const stackPaths = (key: string) => {
    const base = `credentials.${key}`;
    return {
      base,
      organizationId: "organizationId",
      projects: `${base}.projects`,
      preset: `${base}.preset`,
      permissionSets: `${base}.permissionSets`,
      rules: `${base}.rules`,
      stagingProject: `${base}.stagingProject`,
      preferredProject: `${base}.preferredProject`,
      expiresAt: "apiKeys.expiresAt",
      rotateEveryDays: "apiKeys.rotateEveryDays",
      overlapDays: "apiKeys.overlapDays",
      maxLifetimeDays: "apiKeys.maxLifetimeDays",
      name: base,
      nameFix: "shorten the credential name or namePrefix",
      description: `${base}.description`,
      tags: "tags",
      delivery: `${base}.deliver`,
      region: "secretManager.region",
    };
  };
  const ROTATION = { rotateEveryDays: 90, overlapDays: 14 };

  // Only the keys the user gave: no key set to undefined; the preset is the class, not an argument.
  it("a minimal credential: its use case's class, its project IDs, the stack's defaults, and nothing else", () => {
    const [c] = plan(baseConfig()).credentials;
    expect(c.kind).toBe("InventoryCredential");
    expect(c.args).toStrictEqual({
      organizationId: ORG,
      projectIds: [APPS],
      rotation: ROTATION,
      maxLifetimeDays: 365,
      name: "plakar-staging-inventory",
      tags: [],
    });
    expect(c.paths).toStrictEqual(stackPaths("inventory"));
  });

  // No preset: custom permission sets are PlakarCredential's.
  it("explicit permission sets, a description and a preferred project are passed on", () => {
    const config = withCredential("reports", {
      permissionSets: ["ObjectStorageObjectsRead"],
      projects: ["backups"],
      preferredProject: "backups",
      description: "Nightly report export",
    });
    const [c] = plan(config).credentials;
    expect(c.kind).toBe("PlakarCredential");
    expect(c.args).toStrictEqual({
      organizationId: ORG,
      projectIds: [BACKUPS],
      permissionSets: ["ObjectStorageObjectsRead"],
      preferredProjectId: BACKUPS,
      rotation: ROTATION,
      maxLifetimeDays: 365,
      name: "plakar-staging-reports",
      description: "Nightly report export",
      tags: [],
    });
    expect(c.paths).toStrictEqual(stackPaths("reports"));
    expect(c.preferredProject).toStrictEqual({ id: BACKUPS, label: "backups" });
  });

  // "*": every project of the organization.
  it('projects: "*" is allProjects', () => {
    const config = withCredential("all", { preset: "inventory", projects: "*" }, { allowAllProjects: true });
    const [c] = plan(config).credentials;
    expect(c.kind).toBe("InventoryCredential");
    expect(c.args).toStrictEqual({
      organizationId: ORG,
      allProjects: true,
      rotation: ROTATION,
      maxLifetimeDays: 365,
      name: "plakar-staging-all",
      tags: [],
    });
    expect(c.paths).toStrictEqual(stackPaths("all"));
    expect(c.projects).toBe("*");
  });

  // With "*" the preferred project may name any declared alias (it is passed as its ID); an undeclared one is refused.
  it('with projects: "*", a preferredProject may name any declared alias, and no other', () => {
    const spec = { preset: "object-storage", projects: "*", preferredProject: "backups" };
    const [c] = plan(withCredential("sync", spec, { allowAllProjects: true })).credentials;
    expect(c.kind).toBe("ObjectStorageCredential");
    expect(c.args.allProjects).toBe(true);
    expect(c.args.preferredProjectId).toBe(BACKUPS);
    expect(c.preferredProject).toStrictEqual({ id: BACKUPS, label: "backups" });
    expect(lines(withCredential("sync", { ...spec, preferredProject: "bakups" }, { allowAllProjects: true }))).toEqual([
      `credentials.sync.preferredProject: ${UNKNOWN_ALIAS("sync", "bakups", ' (did you mean "backups"?)')}`,
    ]);
  });

  // With rules: a PlakarCredential, no projects of its own; each rule with its scope and its own keys only.
  it("rules: each rule with its own scope and keys, the credential without projects of its own", () => {
    const rules = [
      { projects: ["apps"], preset: "object-storage-source" },
      {
        projects: ["backups"],
        preset: "instance-backup",
        part: "stagingProject",
        permissionSets: ["ObjectStorageBucketsDelete"],
      },
    ];
    const [c] = plan(
      withCredential("sync", { preset: "object-storage", rules, preferredProject: "backups" }),
    ).credentials;
    expect(c.kind).toBe("PlakarCredential");
    expect(c.args.projectIds).toBeUndefined();
    expect(c.args.allProjects).toBeUndefined();
    expect(c.args.preset).toBe("object-storage");
    expect(c.args.rules).toStrictEqual([
      { projectIds: [APPS], preset: "object-storage-source" },
      {
        projectIds: [BACKUPS],
        permissionSets: ["ObjectStorageBucketsDelete"],
        preset: "instance-backup",
        part: "stagingProject",
      },
    ]);
    expect(c.paths.rules).toBe("credentials.sync.rules");
    // Each rule's problems are reported at its own key path.
    const broken = [
      { ...rules[0], preset: "object-storage-sourc" },
      { ...rules[1], permissionSets: ["ObjectStorageBucketsDelet"] },
    ];
    expect(
      issuesOf(withCredential("sync", { preset: "object-storage", rules: broken, preferredProject: "backups" })).map(
        (i) => i.path,
      ),
    ).toEqual(["credentials.sync.rules[0].preset", "credentials.sync.rules[1].permissionSets[0]"]);
  });

  it('a rule on "*" has allProjects', () => {
    const config = withCredential(
      "sync",
      { preset: "inventory", rules: [{ projects: "*", permissionSets: ["InstancesReadOnly"] }] },
      { allowAllProjects: true },
    );
    const [c] = plan(config).credentials;
    expect(c.args.rules).toStrictEqual([{ allProjects: true, permissionSets: ["InstancesReadOnly"] }]);
    expect(c.projects).toBe("*");
    const typo = withCredential(
      "sync",
      { preset: "inventory", rules: [{ projects: "*", permissionSets: ["InstancesReadOnl"] }] },
      { allowAllProjects: true },
    );
    expect(issuesOf(typo).map((i) => i.path)).toEqual(["credentials.sync.rules[0].permissionSets[0]"]);
  });

  // The region Plakar's form asks for: the credential's own (reported there), else the delivered secrets' region.
  it("a credential's own region is its region, reported at its own key", () => {
    const config = withCredential("secrets-backup", {
      preset: "secret-manager-backup",
      projects: ["apps"],
      region: "nl-ams",
    });
    const [c] = plan(config).credentials;
    expect(c.kind).toBe("SecretManagerBackupCredential");
    expect(c.args.region).toBe("nl-ams");
    expect(c.paths.region).toBe("credentials.secrets-backup.region");
  });

  it("a secret provider without a region reads the Secret Manager region, reported at secretManager.region", () => {
    const config = withCredential(
      "sp",
      { preset: "secret-provider", projects: ["backups"] },
      { secretManager: { project: "backups", region: "pl-waw" } },
    );
    const [c] = plan(config).credentials;
    expect(c.kind).toBe("SecretProviderCredential");
    expect(c.args.region).toBe("pl-waw");
    expect(c.paths.region).toBe("secretManager.region");
  });
});

describe("isRealInstant: the calendar fields as written (RFC 3339)", () => {
  // RFC 3339 hours are 00-23, with or without seconds; Date.parse alone takes 24:00 as the next midnight.
  it("refuses hour 24, with or without seconds", () => {
    expect(isRealInstant("2027-06-30T24:00:00Z")).toBe(false);
    expect(isRealInstant("2027-06-30T24:00Z")).toBe(false);
    expect(isRealInstant("2027-06-30T23:59Z")).toBe(true);
  });

  it("refuses days past the end of the month, which Date.parse rolls over", () => {
    expect(isRealInstant("2027-02-29T00:00:00Z")).toBe(false);
    expect(isRealInstant("2027-06-31T00:00Z")).toBe(false);
    expect(isRealInstant("2028-02-29T00:00:00Z")).toBe(true);
  });

  // RFC 3339 years are four digits, at the start: the expanded "+002027" form is not RFC 3339.
  it("refuses an expanded year, though Date.parse reads it", () => {
    expect(isRealInstant("+002027-06-30T00:00:00Z")).toBe(false);
  });

  // A valid date followed by text that is no time is not a date and time.
  it("refuses a valid date followed by garbage", () => {
    expect(isRealInstant("2027-06-30 nonsense")).toBe(false);
  });

  it("a Timestamp at hour 24 is refused with the calendar message", () => {
    const result = Timestamp.safeParse("2027-06-30T24:00Z");
    expect(result.success).toBe(false);
    expect(result.error?.issues.map((i) => i.message)).toEqual([
      "is not a real date and time (check the day of the month and the hours)",
    ]);
  });
});
