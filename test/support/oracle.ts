/**
 * The invariants every accepted plan must satisfy, checked against the config it came from. Each check is stated
 * from the rules (the issue, Scaleway's limits), not by re-running the planner's own code.
 */
import { expect } from "vitest";
import type { ApiKey as KeyPlan } from "../../components/domain/keys";
import type { ResolvedStack, ResolvedStackCredential as StackCredential } from "./config";
import {
  type Case,
  CATALOG,
  CLASS_OF_PRESET,
  CUSTOM_CLASS,
  DAY,
  DEFAULTS,
  expectedGrants,
  expectedSets,
  expiryOf,
  GENERATION_SUFFIX,
  isObjectStorage,
  LIMITS,
  maxLifetimeOf,
  NAME_PATTERN,
  type RawCredential,
  type RawStack,
  sortedUnique,
  SECRET_PROVIDER,
  UUID_PATTERN,
} from "./arbitraries";

const RFC3339_UTC = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}Z$/;

function checkKey(label: string, key: KeyPlan, c: Case, max: number): number {
  expect(key.expiresAt, `${label}: expiresAt is RFC 3339 UTC`).toMatch(RFC3339_UTC);
  const at = Date.parse(key.expiresAt);
  const nowMs = c.now.getTime();
  expect(at, `${label}: ${key.expiresAt} must be after now (${c.now.toISOString()})`).toBeGreaterThan(nowMs);
  expect(
    at - nowMs,
    `${label}: ${key.expiresAt} must be at most maxLifetimeDays (${max}) after now (${c.now.toISOString()})`,
  ).toBeLessThanOrEqual(max * DAY);
  expect(key.description.length, `${label}: key description length`).toBeLessThanOrEqual(LIMITS.description);
  return at;
}

function checkCredential(
  c: Case,
  key: string,
  spec: RawCredential,
  plan: StackCredential,
  stackPlan: ResolvedStack,
): void {
  const config: RawStack = c.config;
  const where = `credential ${key}`;

  // Permission sets: exactly the preset's plus the explicit ones, all project-scoped and documented.
  const sets = expectedSets(spec);
  expect(plan.permissionSets, `${where}: permission sets`).toEqual(sets);
  for (const s of plan.permissionSets)
    expect(CATALOG.get(s)?.scope, `${where}: ${s} is a catalogued project-scoped set`).toBe("project");

  // Every rule: exactly one scope, its sets sorted and deduplicated; no two rules with the same scope; each project
  // (or "*") gets exactly the sets the config grants it.
  const scopeOf = (r: Record<string, unknown>) =>
    "organizationId" in r ? "*" : JSON.stringify([...(r.projectIds as string[])].sort());
  const wanted: Record<string, string[]> = {};
  for (const g of expectedGrants(spec)) {
    const ids = g.projects === "*" ? ["*"] : g.projects.map((alias) => config.projects[alias].toLowerCase());
    for (const id of ids) wanted[id] = sortedUnique([...(wanted[id] ?? []), ...g.sets]);
  }
  const granted: Record<string, string[]> = {};
  for (const r of plan.rules as unknown as Record<string, unknown>[]) {
    const scopes = ["projectIds", "organizationId"].filter((k) => k in r);
    expect(scopes, `${where}: each rule has exactly one scope`).toHaveLength(1);
    const names = r.permissionSetNames as string[];
    expect(names, `${where}: rule sets sorted and unique`).toEqual(sortedUnique(names));
    if ("organizationId" in r) expect(r.organizationId).toBe(config.organizationId.toLowerCase());
    else
      expect(r.projectIds, `${where}: rule project IDs sorted and unique`).toEqual(
        sortedUnique(r.projectIds as string[]),
      );
    const ids = "organizationId" in r ? ["*"] : (r.projectIds as string[]);
    for (const id of ids) granted[id] = sortedUnique([...(granted[id] ?? []), ...names]);
  }
  const scopeKeys = (plan.rules as unknown as Record<string, unknown>[]).map(scopeOf);
  expect(new Set(scopeKeys).size, `${where}: rules with the same scope merge`).toBe(scopeKeys.length);
  expect(granted, `${where}: the sets each project gets`).toEqual(wanted);
  if (spec.rules || spec.stagingProject !== undefined) {
    checkSplitCredential(c, key, spec, plan);
    return;
  }

  // Without rules or a staging project: one rule, exactly one scope.
  expect(plan.rules, `${where}: one rule`).toHaveLength(1);
  const rule = plan.rules[0] as unknown as Record<string, unknown>;
  const scopes = ["projectIds", "organizationId"].filter((k) => k in rule);
  expect(scopes, `${where}: the rule has exactly one scope`).toHaveLength(1);
  expect(Object.keys(rule).sort(), `${where}: rule keys`).toEqual([scopes[0], "permissionSetNames"].sort());
  expect(rule.permissionSetNames, `${where}: rule sets`).toEqual(sets);
  if (spec.projects === "*") {
    expect(rule.organizationId, `${where}: "*" scopes the organization`).toBe(config.organizationId.toLowerCase());
  } else {
    // Scaleway IDs are case-insensitive and written in lower case: one project, one entry.
    const ids = sortedUnique(spec.projects.map((alias) => config.projects[alias].toLowerCase()));
    expect(rule.projectIds, `${where}: project IDs of the credential's aliases`).toEqual(ids);
    for (const id of ids)
      expect(typeof id === "string" && UUID_PATTERN.test(id), `${where}: project ID ${String(id)} is a UUID`).toBe(
        true,
      );
  }

  // Names within Scaleway's limits.
  const prefix = config.namePrefix ?? DEFAULTS.namePrefix;
  expect(plan.name, `${where}: name`).toBe(`${prefix}${c.stack}-${key}`);
  expect(plan.name.length, `${where}: name length`).toBeLessThanOrEqual(LIMITS.name);
  expect(plan.name, `${where}: name characters`).toMatch(NAME_PATTERN);
  expect(
    plan.description.length + GENERATION_SUFFIX,
    `${where}: description leaves room for the generation`,
  ).toBeLessThanOrEqual(LIMITS.description);
  if (spec.description !== undefined) expect(plan.description, `${where}: description`).toContain(spec.description);
  expect(plan.tags.length, `${where}: tag count`).toBeLessThanOrEqual(LIMITS.tags);
  expect(new Set(plan.tags).size, `${where}: tags are unique`).toBe(plan.tags.length);
  for (const t of plan.tags) expect(t.length, `${where}: tags are not empty`).toBeGreaterThan(0);
  for (const t of config.tags ?? []) expect(plan.tags, `${where}: stack tag ${t}`).toContain(t);
  expect(plan.tags).toContain(`stack=${c.stack}`);

  // Keys: every expiry within the allowed lifetime; pinned keys keep their date, rotated keys overlap as set.
  const max = maxLifetimeOf(config);
  const expiry = expiryOf(config, key);
  const current = checkKey(`${where}: current key`, plan.keys.current, c, max);
  if (expiry.kind === "pinned") {
    expect(plan.expiry.kind, `${where}: pinned`).toBe("pinned");
    expect(plan.keys.previous, `${where}: a pinned key has no previous key`).toBeUndefined();
    expect(Math.abs(current - Date.parse(expiry.at)), `${where}: pinned to ${expiry.at}`).toBeLessThan(1000);
  } else {
    expect(plan.expiry, `${where}: rotation`).toEqual({
      kind: "rotation",
      rotateEveryDays: expiry.rotate,
      overlapDays: expiry.overlap,
    });
    const nowMs = c.now.getTime();
    // The current key outlives the next rotation by the overlap.
    expect(current - nowMs, `${where}: current key lives past the next rotation`).toBeGreaterThan(expiry.overlap * DAY);
    expect(plan.keys.current.resourceName, `${where}: rotated keys carry their generation`).toBe(
      `${key}-key-${plan.keys.current.generation}`,
    );
    if (plan.keys.previous) {
      const previous = checkKey(`${where}: previous key`, plan.keys.previous, c, max);
      expect(previous - nowMs, `${where}: previous key only during the overlap`).toBeLessThanOrEqual(
        expiry.overlap * DAY,
      );
      expect(plan.keys.previous.resourceName, `${where}: previous and current keys differ`).not.toBe(
        plan.keys.current.resourceName,
      );
    }
  }

  // A preferred project (defaultProjectId) exactly when the sets include Object Storage, one of its projects.
  const needs = sets.some(isObjectStorage);
  if (!needs) {
    expect(plan.preferredProject, `${where}: no Object Storage set, so no preferred project`).toBeUndefined();
  } else {
    expect(plan.preferredProject, `${where}: Object Storage sets need a preferred project`).toBeDefined();
    const preferred = plan.preferredProject!;
    expect(preferred.id, `${where}: preferred project ID`).toBe(config.projects[preferred.label].toLowerCase());
    // The project set (its label, when two aliases name that project, is checkLabels' concern).
    if (spec.preferredProject !== undefined)
      expect(preferred.id, `${where}: the preferred project set`).toBe(
        config.projects[spec.preferredProject].toLowerCase(),
      );
    if (spec.projects === "*") {
      expect(Object.keys(config.projects), `${where}: preferred project is declared`).toContain(preferred.label);
    } else {
      expect(spec.projects, `${where}: preferred project is one of its projects`).toContain(preferred.label);
      expect(rule.projectIds, `${where}: the rule covers the preferred project`).toContain(preferred.id);
    }
  }

  // Delivery exactly as configured.
  if (spec.deliver === "secret-manager") {
    const sm = config.secretManager!;
    const folder = `${(sm.pathPrefix ?? DEFAULTS.pathPrefix) === "/" ? "" : (sm.pathPrefix ?? DEFAULTS.pathPrefix)}/${c.stack}`;
    expect(plan.delivery, `${where}: delivered to Secret Manager`).toMatchObject({
      name: key,
      folder,
      fullPath: `${folder}/${key}`,
      project: { id: config.projects[sm.project].toLowerCase() },
      region: sm.region ?? DEFAULTS.region,
    });
    // Labelled with an alias of that project (which one is checkLabels' concern).
    const label = plan.delivery!.project.label;
    expect(config.projects[label]?.toLowerCase(), `${where}: delivery project label ${label}`).toBe(
      config.projects[sm.project].toLowerCase(),
    );
  } else {
    expect(plan.delivery, `${where}: not delivered`).toBeUndefined();
  }
  checkRegion(c, spec, plan);
  // The plan is plain data made before any key exists: no field may carry a key.
  for (const field of plan.plakar.fields) {
    if (field.from === "secretKey" || field.from === "accessKey")
      expect(field.value, `${where}: ${field.label} has no value in the plan`).toBeUndefined();
  }
  expect(plan.organizationId).toBe(stackPlan.organizationId);
}

/** The Plakar form's Region: the credential's own; a secret provider's is where the stack delivers. */
function checkRegion(c: Case, spec: RawCredential, plan: StackCredential): void {
  const field = plan.plakar.fields.find((f) => f.from === "region");
  if (!field) return;
  const sm = c.config.secretManager;
  const expected =
    spec.region ?? (spec.preset === "secret-provider" && sm ? (sm.region ?? DEFAULTS.region) : undefined);
  expect(field.value, `${plan.key}: Plakar's Region`).toBe(expected);
  if (plan.delivery) expect(plan.delivery.extraFields.region, `${plan.key}: the delivered region`).toBe(expected);
}

/** A credential with rules or a staging project: names, preferred project and form (its rules are checked above). */
function checkSplitCredential(c: Case, key: string, spec: RawCredential, plan: StackCredential): void {
  const where = `credential ${key}`;
  const config = c.config;
  expect(plan.name.length, `${where}: name length`).toBeLessThanOrEqual(LIMITS.name);
  expect(plan.name, `${where}: name characters`).toMatch(NAME_PATTERN);
  expect(plan.useCase, `${where}: use case`).toBe(spec.preset ?? "custom");
  const os = expectedSets(spec).some(isObjectStorage);
  if (!os) {
    expect(plan.preferredProject, `${where}: no Object Storage set, so no preferred project`).toBeUndefined();
  } else {
    const preferred = plan.preferredProject!;
    expect(preferred, `${where}: Object Storage sets need a preferred project`).toBeDefined();
    expect(preferred.id, `${where}: preferred project ID`).toBe(config.projects[preferred.label].toLowerCase());
    if (spec.preferredProject !== undefined)
      expect(preferred.id, `${where}: the preferred project set`).toBe(
        config.projects[spec.preferredProject].toLowerCase(),
      );
    // Covered by a rule that holds Object Storage sets.
    const covered = plan.rules.some(
      (r) =>
        r.permissionSetNames.some(isObjectStorage) &&
        ("organizationId" in r || r.projectIds.includes(config.projects[preferred.label].toLowerCase())),
    );
    expect(covered, `${where}: preferred project ${preferred.label} is covered by an Object Storage rule`).toBe(true);
    if (spec.stagingProject !== undefined && spec.preferredProject === undefined) {
      expect(preferred.id, `${where}: the staging project is the preferred project`).toBe(
        config.projects[spec.stagingProject].toLowerCase(),
      );
    }
  }
  checkRegion(c, spec, plan);
}

/** A component's arguments as plain values (the stack gives plain values only). */
interface PlainArgs {
  readonly organizationId: string;
  readonly projectIds?: readonly string[];
  readonly allProjects?: boolean;
  readonly rules?: readonly {
    readonly projectIds?: readonly string[];
    readonly allProjects?: boolean;
    readonly permissionSets?: readonly string[];
    readonly preset?: string;
    readonly part?: string;
  }[];
  readonly preset?: string;
  readonly readOnly?: boolean;
  readonly permissionSets?: readonly string[];
  readonly stagingProjectId?: string;
  readonly preferredProjectId?: string;
  readonly expiresAt?: string;
  readonly rotation?: { readonly rotateEveryDays?: number; readonly overlapDays?: number };
  readonly maxLifetimeDays?: number;
  readonly name?: string;
  readonly description?: string;
  readonly tags?: readonly string[];
  readonly region?: string;
  readonly delivery?: { readonly projectId: string; readonly region?: string; readonly path?: string };
  readonly retire?: boolean;
  readonly adopt?: unknown;
}

/**
 * The component the stack makes of a credential: the class of its use case (a custom credential, rules or extra
 * permission sets make a PlakarCredential), and its arguments: the config's values with project aliases replaced by
 * the IDs they name and the stack-wide defaults applied. Generated valid configs never give a class a field it does
 * not take (a preferred project only with Object Storage sets, a staging project only on presets made of parts, a
 * region only on a Secret Manager backup).
 */
function checkArgs(c: Case, key: string, spec: RawCredential, plan: StackCredential): void {
  const where = `credential ${key}: component`;
  const config = c.config;
  const args = plan.args as unknown as PlainArgs;
  const idOf = (alias: string) => config.projects[alias].toLowerCase();
  const idsOf = (aliases: readonly string[]) => sortedUnique(aliases.map(idOf));
  const lower = (ids: readonly string[] | undefined) =>
    ids === undefined ? undefined : ids.map((id) => id.toLowerCase());

  const own = spec.preset !== undefined ? CLASS_OF_PRESET[spec.preset] : undefined;
  if (spec.rules || own === undefined || (spec.permissionSets ?? []).length > 0) {
    expect(plan.kind, `${where}: class`).toBe(CUSTOM_CLASS);
  } else if (spec.permissionSets !== undefined) {
    // An empty permissionSets list adds no set: either class makes the same resources.
    expect([own, CUSTOM_CLASS], `${where}: class`).toContain(plan.kind);
  } else {
    expect(plan.kind, `${where}: class`).toBe(own);
  }
  expect(args.preset, `${where}: preset (a use-case class stands for its own)`).toBe(
    plan.kind === CUSTOM_CLASS ? spec.preset : undefined,
  );
  expect(args.readOnly, `${where}: readOnly`).toBe(
    plan.kind === "ObjectStorageCredential" && spec.preset === "object-storage-source" ? true : undefined,
  );

  expect(args.organizationId.toLowerCase(), `${where}: organizationId`).toBe(config.organizationId.toLowerCase());
  if (spec.rules) {
    expect(args.projectIds, `${where}: no projectIds beside rules`).toBeUndefined();
    expect(args.allProjects, `${where}: no allProjects beside rules`).toBeUndefined();
    expect(args.rules, `${where}: one rule argument per rule`).toHaveLength(spec.rules.length);
    spec.rules.forEach((rule, i) => {
      const arg = args.rules![i];
      if (rule.projects === "*") {
        expect(arg.allProjects, `${where}: rules[${i}] reaches every project`).toBe(true);
        expect(arg.projectIds, `${where}: rules[${i}] projectIds`).toBeUndefined();
      } else {
        expect(sortedUnique(lower(arg.projectIds) ?? []), `${where}: rules[${i}] project IDs`).toEqual(
          idsOf(rule.projects),
        );
        expect(arg.allProjects, `${where}: rules[${i}] allProjects`).toBeUndefined();
      }
      expect(arg.permissionSets, `${where}: rules[${i}] permissionSets`).toEqual(rule.permissionSets);
      expect(arg.preset, `${where}: rules[${i}] preset`).toBe(rule.preset);
      expect(arg.part, `${where}: rules[${i}] part`).toBe(rule.part);
    });
  } else if (spec.projects === "*") {
    expect(args.allProjects, `${where}: "*" is allProjects`).toBe(true);
    expect(args.projectIds, `${where}: no projectIds with "*"`).toBeUndefined();
  } else {
    expect(args.allProjects, `${where}: allProjects`).toBeUndefined();
    const ids = lower(args.projectIds) ?? [];
    expect(new Set(ids).size, `${where}: each project ID once`).toBe(ids.length);
    expect(sortedUnique(ids), `${where}: the IDs of its aliases`).toEqual(idsOf(spec.projects));
  }
  expect(args.permissionSets, `${where}: permissionSets as written`).toEqual(spec.permissionSets);
  expect(args.stagingProjectId?.toLowerCase(), `${where}: stagingProjectId`).toBe(
    spec.stagingProject === undefined ? undefined : idOf(spec.stagingProject),
  );
  // Only the one given: the component takes the only project itself.
  expect(args.preferredProjectId?.toLowerCase(), `${where}: preferredProjectId`).toBe(
    spec.preferredProject === undefined ? undefined : idOf(spec.preferredProject),
  );

  const expiry = expiryOf(config, key);
  if (expiry.kind === "pinned") {
    expect(args.expiresAt, `${where}: the pinned expiry as written`).toBe(expiry.at);
    expect(args.rotation, `${where}: no rotation with a pin`).toBeUndefined();
  } else {
    expect(args.rotation, `${where}: rotation`).toEqual({
      rotateEveryDays: expiry.rotate,
      overlapDays: expiry.overlap,
    });
    expect(args.expiresAt, `${where}: no pin with rotation`).toBeUndefined();
  }
  expect(args.maxLifetimeDays, `${where}: maxLifetimeDays`).toBe(maxLifetimeOf(config));
  expect(args.name, `${where}: name`).toBe(`${config.namePrefix ?? DEFAULTS.namePrefix}${c.stack}-${key}`);
  expect(args.description, `${where}: description as written`).toBe(spec.description);
  expect(sortedUnique(args.tags ?? []), `${where}: the stack's tags`).toEqual(sortedUnique(config.tags ?? []));

  const sm = config.secretManager;
  expect(args.region, `${where}: region`).toBe(
    spec.region ?? (spec.preset === SECRET_PROVIDER && sm ? (sm.region ?? DEFAULTS.region) : undefined),
  );
  if (spec.deliver === "secret-manager") {
    const prefix = sm!.pathPrefix ?? DEFAULTS.pathPrefix;
    expect(
      { ...args.delivery, projectId: args.delivery?.projectId.toLowerCase() },
      `${where}: delivered to Secret Manager`,
    ).toEqual({
      projectId: idOf(sm!.project),
      region: sm!.region ?? DEFAULTS.region,
      path: `${prefix === "/" ? "" : prefix}/${c.stack}`,
    });
  } else {
    expect(args.delivery, `${where}: not delivered`).toBeUndefined();
  }
  expect(args.retire, `${where}: not retired`).toBeUndefined();
  expect(plan.retired, `${where}: not retired`).toBe(false);
  expect(args.adopt, `${where}: nothing adopted`).toBeUndefined();
}

/**
 * Each project is shown by the alias the config names it with where one alias is written for it: the preferred
 * project by `preferredProject` (or `stagingProject`, which is the preferred one), the delivery project by
 * `secretManager.project`. When two aliases name one project, the plan must not name it by the other one.
 */
export function checkLabels(c: Case, plan: ResolvedStack): void {
  const config = c.config;
  for (const p of plan.credentials) {
    const spec = config.credentials[p.key];
    const where = `credential ${p.key}`;
    const preferred = spec.preferredProject ?? (spec.rules ? undefined : spec.stagingProject);
    if (preferred !== undefined)
      expect(p.preferredProject?.label, `${where}: the preferred project, as set`).toBe(preferred);
    if (p.delivery)
      expect(p.delivery.project.label, `${where}: the delivery project, as secretManager.project names it`).toBe(
        config.secretManager?.project,
      );
  }
}

/** Asserts every invariant of an accepted plan. */
export function checkValidPlan(c: Case, plan: ResolvedStack): void {
  const config = c.config;
  expect(plan.stack).toBe(c.stack);
  expect(plan.organizationId).toBe(config.organizationId.toLowerCase());
  expect(plan.protect, "protect defaults to on for prod only").toBe(config.protect ?? c.stack === "prod");
  expect(
    plan.credentials.map((p) => p.key),
    "one plan per credential, sorted",
  ).toEqual(Object.keys(config.credentials).sort());
  expect(
    Object.fromEntries(Object.entries(plan.projects).map(([alias, id]) => [alias, id.toLowerCase()])),
    "the declared aliases",
  ).toEqual(Object.fromEntries(Object.entries(config.projects).map(([alias, id]) => [alias, id.toLowerCase()])));
  for (const p of plan.credentials) {
    checkCredential(c, p.key, config.credentials[p.key], p, plan);
    checkArgs(c, p.key, config.credentials[p.key], p);
  }
}
