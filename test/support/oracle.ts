/**
 * The invariants every accepted plan must satisfy, checked against the config it came from. Each check is stated
 * from the rules (the issue, Scaleway's limits), not by re-running the planner's own code.
 */
import { expect } from "vitest";
import type { ApiKey as KeyPlan } from "../../domain/keys";
import type { StackCredential, ResolvedStack } from "../../domain/stack";
import {
  type Case,
  CATALOG,
  DAY,
  DEFAULTS,
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

  // One rule, exactly one scope.
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
    if (spec.preferredProject !== undefined)
      expect(preferred.label, `${where}: the preferred project set`).toBe(spec.preferredProject);
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
      project: { label: sm.project, id: config.projects[sm.project].toLowerCase() },
      region: sm.region ?? DEFAULTS.region,
    });
  } else {
    expect(plan.delivery, `${where}: not delivered`).toBeUndefined();
  }
  // The plan is plain data made before any key exists: no field may carry a key.
  for (const field of plan.plakar.fields) {
    if (field.from === "secretKey" || field.from === "accessKey")
      expect(field.value, `${where}: ${field.label} has no value in the plan`).toBeUndefined();
  }
  expect(plan.organizationId).toBe(stackPlan.organizationId);
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
  for (const p of plan.credentials) checkCredential(c, p.key, config.credentials[p.key], p, plan);
}
