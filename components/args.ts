/**
 * PlakarCredential's arguments → a CredentialSpec (domain/credential.ts). Values that are Outputs are UNKNOWN at
 * construction, so their checks wait; `specOf` is run twice: on the arguments as given (the constructor throws on
 * what it can already see) and on the arguments once resolved (the update fails on the rest).
 */
import * as pulumi from "@pulumi/pulumi";
import type { CredentialSpec, RuleSpec, SpecPaths } from "./domain/credential";
import type { Issues } from "./domain/errors";
import {
  folderProblem,
  ScalewayId,
  SCALEWAY_DESCRIPTION_MAX,
  SECRET_MANAGER_REGIONS,
  Timestamp,
} from "./domain/schema";
import { didYouMean } from "./domain/suggest";
import { isKnown, type MaybeUnknown, UNKNOWN } from "./domain/unknown";
import { DEFAULT_MAX_LIFETIME_DAYS, DEFAULT_OVERLAP_DAYS, DEFAULT_ROTATE_EVERY_DAYS } from "./domain/schema";

/** The arguments' values with every Output replaced by UNKNOWN (or, resolved, by its value). */
export type ArgValues = Record<string, unknown>;

/** The keys of each argument object, for typo suggestions. */
export const ARG_KEYS = {
  args: [
    "organizationId",
    "projectIds",
    "allProjects",
    "preset",
    "permissionSets",
    "rules",
    "preferredProjectId",
    "rotation",
    "expiresAt",
    "maxLifetimeDays",
    "name",
    "description",
    "tags",
    "region",
    "delivery",
    "retire",
    "adopt",
  ],
  rotation: ["rotateEveryDays", "overlapDays"],
  rule: ["projectIds", "allProjects", "permissionSets"],
  delivery: ["projectId", "region", "path"],
} as const;

export const PATHS: SpecPaths = {
  base: "args",
  organizationId: "args.organizationId",
  projects: "args.projectIds",
  preset: "args.preset",
  permissionSets: "args.permissionSets",
  rules: "args.rules",
  stagingProject: "args.rules",
  preferredProject: "args.preferredProjectId",
  expiresAt: "args.expiresAt",
  rotateEveryDays: "args.rotation.rotateEveryDays",
  overlapDays: "args.rotation.overlapDays",
  maxLifetimeDays: "args.maxLifetimeDays",
  name: "args.name",
  nameFix: "shorten args.name",
  description: "args.description",
  tags: "args.tags",
  delivery: "args.delivery",
  region: "args.region",
};

/** Replaces Outputs and promises, at any depth, with UNKNOWN: what the constructor can see right away. */
export function visibleNow(value: unknown): unknown {
  if (pulumi.Output.isInstance(value) || value instanceof Promise) return UNKNOWN;
  if (Array.isArray(value)) return value.map(visibleNow);
  if (value !== null && typeof value === "object") {
    return Object.fromEntries(Object.entries(value).map(([k, v]) => [k, visibleNow(v)]));
  }
  return value;
}

function isObject(value: unknown): value is Record<string, unknown> {
  return value !== null && typeof value === "object" && !Array.isArray(value);
}

function unknownKeys(value: Record<string, unknown>, known: readonly string[], path: string, issues: Issues): void {
  for (const key of Object.keys(value)) {
    if (value[key] === undefined || known.includes(key)) continue;
    issues.add(`${path}.${key}`, `unknown argument${didYouMean(key, known)}; known here: ${known.join(", ")}`);
  }
}

function text(
  value: unknown,
  path: string,
  issues: Issues,
  what = "a non-empty string",
): MaybeUnknown<string> | undefined {
  if (value === undefined || value === UNKNOWN) return value as undefined | typeof UNKNOWN;
  if (typeof value === "string" && value.length > 0) return value;
  issues.add(path, `must be ${what}`);
  return undefined;
}

function id(value: unknown, path: string, issues: Issues): MaybeUnknown<string> | undefined {
  const got = text(value, path, issues, "a Scaleway ID (a UUID such as 3f2b6c1e-8d4a-4c2e-9b7f-0a1d2e3f4a5b)");
  if (got === undefined || got === UNKNOWN) return got;
  if (!ScalewayId.safeParse(got).success) {
    issues.add(path, "must be a Scaleway ID (a UUID such as 3f2b6c1e-8d4a-4c2e-9b7f-0a1d2e3f4a5b)");
    return undefined;
  }
  return got.toLowerCase();
}

function list(value: unknown, path: string, issues: Issues): MaybeUnknown<readonly unknown[]> | undefined {
  if (value === undefined || value === UNKNOWN) return value as undefined | typeof UNKNOWN;
  if (Array.isArray(value)) {
    // A hole is an unset variable, not an absent optional value: it would otherwise wait as an unknown forever.
    value.forEach((v, i) => {
      if (v === undefined) issues.add(`${path}[${i}]`, "is undefined (an unset variable?): give a value or remove it");
    });
    return value;
  }
  issues.add(path, "must be a list");
  return undefined;
}

/** Whole days within [1, max]: what Scaleway and Date arithmetic can take. */
export const MAX_DAYS = 3650;

function days(value: unknown, path: string, fallback: number, issues: Issues): number {
  if (value === undefined) return fallback;
  if (value === UNKNOWN) {
    issues.add(path, "must be a plain number, not an Output: it decides which keys exist and how they are named");
    return fallback;
  }
  if (typeof value !== "number" || !Number.isInteger(value) || value < 1 || value > MAX_DAYS) {
    issues.add(path, `must be a whole number of days from 1 to ${MAX_DAYS}`);
    return fallback;
  }
  return value;
}

/** The scope of `values` (the arguments, or one rule): `projectIds`, or `allProjects: true`. */
function scopeOf(values: ArgValues, base: string, issues: Issues): CredentialSpec["scope"] {
  const path = `${base}.projectIds`;
  const allProjects = values.allProjects;
  if (allProjects !== undefined && typeof allProjects !== "boolean") {
    issues.add(`${base}.allProjects`, "must be a plain boolean: it decides the policy rule's scope");
  }
  const projectList = list(values.projectIds, path, issues);
  if (allProjects === true) {
    if (projectList !== undefined) issues.add(path, "give either projectIds or allProjects: true, not both");
    return { kind: "organization" };
  }
  if (projectList === undefined) {
    if (values.projectIds === undefined) {
      issues.add(
        path,
        "is required: list the project IDs the credential reaches, or set allProjects: true for every current and future project",
      );
    }
    return { kind: "projects", projects: UNKNOWN };
  }
  if (projectList === UNKNOWN) return { kind: "projects", projects: UNKNOWN };
  if (projectList.length === 0) issues.add(path, "must list at least one project ID");
  const projects = projectList.map((p, i) => {
    const got = id(p, `${path}[${i}]`, issues);
    return got === undefined ? UNKNOWN : got === UNKNOWN ? UNKNOWN : { id: got, label: got };
  });
  return { kind: "projects", projects };
}

function setsOf(
  value: unknown,
  path: string,
  issues: Issues,
): MaybeUnknown<readonly MaybeUnknown<string>[]> | undefined {
  const setList = list(value, path, issues);
  return setList === undefined || setList === UNKNOWN
    ? setList
    : setList.map((s, i) => text(s, `${path}[${i}]`, issues) ?? UNKNOWN);
}

/** `args.rules`: each rule its own scope and permission sets. */
function rulesOf(value: unknown, issues: Issues): MaybeUnknown<readonly RuleSpec[]> | undefined {
  if (value === undefined) return undefined;
  if (value === UNKNOWN) {
    issues.add(PATHS.rules, "must be a plain list, not an Output: it decides the policy's rules");
    return UNKNOWN;
  }
  if (!Array.isArray(value)) {
    issues.add(PATHS.rules, "must be a list of { projectIds or allProjects, permissionSets }");
    return undefined;
  }
  if (value.length === 0) issues.add(PATHS.rules, "must list at least one rule");
  return value.map((rule: unknown, i): RuleSpec => {
    const base = `${PATHS.rules}[${i}]`;
    const paths = {
      base,
      projects: `${base}.projectIds`,
      permissionSets: `${base}.permissionSets`,
      preset: `${base}.preset`,
      part: `${base}.part`,
    };
    if (!isObject(rule)) {
      issues.add(base, "must be an object { projectIds or allProjects, permissionSets }");
      return { scope: { kind: "projects", projects: UNKNOWN }, permissionSets: UNKNOWN, paths };
    }
    unknownKeys(rule, ARG_KEYS.rule, base, issues);
    const permissionSets = setsOf(rule.permissionSets, paths.permissionSets, issues);
    return { scope: scopeOf(rule, base, issues), ...(permissionSets !== undefined ? { permissionSets } : {}), paths };
  });
}

/**
 * The spec of a component named `name` from its argument values (Outputs as UNKNOWN). Shape problems (types,
 * formats, unknown keys, missing values) are added to `issues`; the domain checks the rest.
 */
export function specOf(name: string, stack: string, values: ArgValues, issues: Issues): CredentialSpec {
  unknownKeys(values, ARG_KEYS.args, "args", issues);
  const organizationId = id(values.organizationId, PATHS.organizationId, issues);
  if (values.organizationId === undefined) {
    issues.add(PATHS.organizationId, "is required: the ID of the Scaleway organization");
  }

  const rules = rulesOf(values.rules, issues);
  if (rules !== undefined) {
    const mixed = ["projectIds", "allProjects", "permissionSets"].filter((k) => values[k] !== undefined);
    if (mixed.length > 0) {
      issues.add(
        PATHS.rules,
        `give either rules or ${mixed.join(" and ")}, not both: each rule has its own projectIds (or allProjects) and permissionSets`,
      );
    }
  }
  const scope: CredentialSpec["scope"] =
    values.rules === undefined ? scopeOf(values, "args", issues) : { kind: "projects", projects: [] };

  const preset = text(values.preset, PATHS.preset, issues);
  const permissionSets = setsOf(values.permissionSets, PATHS.permissionSets, issues);
  const preferred = id(values.preferredProjectId, PATHS.preferredProject, issues);

  const rotation = values.rotation;
  if (rotation === UNKNOWN) issues.add("args.rotation", "must be a plain object, not an Output: it names the keys");
  else if (rotation !== undefined && !isObject(rotation)) issues.add("args.rotation", "must be an object");
  else if (isObject(rotation)) unknownKeys(rotation, ARG_KEYS.rotation, "args.rotation", issues);
  const rot = isObject(rotation) ? rotation : {};
  let expiry: CredentialSpec["expiry"];
  if (values.expiresAt !== undefined) {
    if (isObject(rotation)) {
      issues.add(PATHS.expiresAt, "a pinned expiresAt turns rotation off: set either expiresAt or rotation, not both");
    }
    const at = text(values.expiresAt, PATHS.expiresAt, issues);
    let expiresAt: MaybeUnknown<string> = UNKNOWN;
    if (at !== undefined && at !== UNKNOWN) {
      const parsed = Timestamp.safeParse(at);
      if (parsed.success) expiresAt = at;
      else issues.add(PATHS.expiresAt, parsed.error.issues[0]?.message ?? "is not a timestamp");
    }
    expiry = { kind: "pinned", expiresAt };
  } else {
    expiry = {
      kind: "rotation",
      rotateEveryDays: days(rot.rotateEveryDays, PATHS.rotateEveryDays, DEFAULT_ROTATE_EVERY_DAYS, issues),
      overlapDays: days(rot.overlapDays, PATHS.overlapDays, DEFAULT_OVERLAP_DAYS, issues),
    };
  }
  const maxLifetimeDays = days(values.maxLifetimeDays, PATHS.maxLifetimeDays, DEFAULT_MAX_LIFETIME_DAYS, issues);

  const scalewayName = text(values.name, PATHS.name, issues) ?? `plakar-${stack}-${name}`;
  const purpose = text(values.description, PATHS.description, issues);
  if (isKnown(purpose ?? UNKNOWN) && typeof purpose === "string" && purpose.length > SCALEWAY_DESCRIPTION_MAX) {
    issues.add(PATHS.description, `must be at most ${SCALEWAY_DESCRIPTION_MAX} characters`);
  }
  const tagList = list(values.tags, PATHS.tags, issues);
  const tags =
    tagList === undefined
      ? []
      : tagList === UNKNOWN
        ? UNKNOWN
        : tagList.map((t, i) => text(t, `${PATHS.tags}[${i}]`, issues, "a non-empty tag") ?? UNKNOWN);
  const region = text(values.region, PATHS.region, issues);

  let delivery: CredentialSpec["delivery"];
  const d = values.delivery;
  if (d === UNKNOWN)
    issues.add(PATHS.delivery, "must be a plain object, not an Output: it decides whether a secret exists");
  else if (d !== undefined && !isObject(d)) issues.add(PATHS.delivery, "must be an object { projectId, region, path }");
  else if (isObject(d)) {
    unknownKeys(d, ARG_KEYS.delivery, PATHS.delivery, issues);
    if (d.projectId === undefined) issues.add(`${PATHS.delivery}.projectId`, "is required: the project of the secret");
    const projectId = id(d.projectId, `${PATHS.delivery}.projectId`, issues);
    const deliveryRegion = text(d.region, `${PATHS.delivery}.region`, issues) ?? "fr-par";
    if (isKnown(deliveryRegion) && !(SECRET_MANAGER_REGIONS as readonly string[]).includes(deliveryRegion)) {
      issues.add(`${PATHS.delivery}.region`, 'must be a Secret Manager region: "fr-par", "nl-ams" or "pl-waw"');
    }
    const folder = text(d.path, `${PATHS.delivery}.path`, issues) ?? `/plakar/${stack}`;
    if (isKnown(folder)) {
      const problem = folderProblem(folder);
      if (problem) issues.add(`${PATHS.delivery}.path`, problem);
    }
    delivery = {
      project: projectId === undefined || projectId === UNKNOWN ? UNKNOWN : { id: projectId, label: projectId },
      region: deliveryRegion,
      folder,
    };
  }

  return {
    resourceName: name,
    stack,
    organizationId: organizationId ?? UNKNOWN,
    scope,
    ...(preset !== undefined ? { preset } : {}),
    ...(permissionSets !== undefined ? { permissionSets } : {}),
    ...(rules !== undefined ? { rules } : {}),
    ...(preferred !== undefined ? { preferredProject: preferred } : {}),
    expiry,
    maxLifetimeDays,
    name: scalewayName,
    ...(purpose !== undefined ? { purpose } : {}),
    tags,
    // Plakar's "Region" field: the credential's own (the secrets' region), never guessed from the delivery's.
    ...(region !== undefined ? { region } : {}),
    ...(delivery ? { delivery } : {}),
    paths: PATHS,
  };
}
