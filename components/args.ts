/**
 * The arguments of the credential components: their public types (plain interfaces, read by Pulumi's schema
 * analyzer for other languages), the rules of each argument (zod: the one definition, which the stack's config
 * schema reuses), and the step from argument values to a CredentialSpec, the domain's input.
 *
 * An argument may be an Output, at any depth (another language's program hands a whole object with dependencies as
 * one Output). Its checks then wait for its value: the component shows it as UNKNOWN (credential.ts `visibleNow`),
 * the rules skip what is UNKNOWN, and the component runs `specFor` again on the values once they resolve. Pure: it
 * loads no Pulumi at run time, so the stack's config checks do not either.
 */
import type * as pulumi from "@pulumi/pulumi";
import { z } from "zod";
import { COMPONENT_TYPES, DEFAULT_DELIVERY_REGION, MAX_DAYS } from "./domain/constants";
import { DEFAULT_MAX_LIFETIME_DAYS, DEFAULT_OVERLAP_DAYS, DEFAULT_ROTATE_EVERY_DAYS } from "./domain/constants";
import type { CredentialSpec, RulePaths, RuleSpec, SpecPaths } from "./domain/credential";
import { type ConfigIssue, formatPath, Issues } from "./domain/errors";
import { AdoptSchema, PresetPart, Region, ScalewayId, SecretFolder, Timestamp } from "./domain/schema";
import type { ProjectRef, ScopeSpec } from "./domain/scope";
import { didYouMean } from "./domain/suggest";
import { isKnown, type MaybeUnknown, UNKNOWN } from "./domain/unknown";

/** Key rotation: a new key every `rotateEveryDays`, the previous one kept valid `overlapDays` longer. */
export interface RotationArgs {
  /** A new key every this many days (1–3650). @default 90 */
  rotateEveryDays?: number;
  /** How long the previous key stays valid after a new one is issued; less than rotateEveryDays. @default 14 */
  overlapDays?: number;
}

/** Where the current key is written in Scaleway Secret Manager, for Plakar's secret provider to read. */
export interface DeliveryArgs {
  /** The project that holds the secret. */
  projectId: pulumi.Input<string>;
  /** The Secret Manager region: the region of Plakar's secret provider. @default "fr-par" */
  region?: pulumi.Input<string>;
  /** The secret's folder; the secret is named after the component. @default "/plakar/<stack>" */
  path?: pulumi.Input<string>;
}

/** One policy rule: project-scoped permission sets (explicit, a preset's, or a part of one) on one scope. */
export interface RuleArgs {
  /** The projects the rule reaches (their IDs). Required unless allProjects is true. */
  projectIds?: pulumi.Input<pulumi.Input<string>[]>;
  /** Grant every current and future project of the organization instead of projectIds. @default false */
  allProjects?: pulumi.Input<boolean>;
  /** Project-scoped permission sets, added to the preset's (or its part's). */
  permissionSets?: pulumi.Input<pulumi.Input<string>[]>;
  /** A preset whose permission sets this rule grants. */
  preset?: pulumi.Input<string>;
  /** Only this part of the preset's sets, for a preset made of parts: "projects" or "stagingProject". */
  part?: pulumi.Input<string>;
}

/** An application and its policy made by hand, to take over instead of creating them (Pulumi's `import`). */
export interface AdoptArgs {
  /** The application's ID (a plain value: Pulumi reads import IDs when it registers). */
  applicationId: string;
  /** The ID of the policy whose principal is that application (a plain value). */
  policyId: string;
}

/** What every credential takes. Values that decide which resources exist are plain; the rest are Inputs. */
export interface CommonCredentialArgs {
  /** The Scaleway organization's ID. */
  organizationId: pulumi.Input<string>;
  /** The projects the credential reaches (their IDs). Required unless allProjects is true. */
  projectIds?: pulumi.Input<pulumi.Input<string>[]>;
  /** Grant every current and future project of the organization instead of projectIds. @default false */
  allProjects?: pulumi.Input<boolean>;
  /** Key rotation; it names the keys, so it is a plain value. @default { rotateEveryDays: 90, overlapDays: 14 } */
  rotation?: RotationArgs;
  /** Pins the key's expiry (RFC 3339) and turns rotation off. */
  expiresAt?: pulumi.Input<string>;
  /** No key may live longer than this many days. @default 365 */
  maxLifetimeDays?: pulumi.Input<number>;
  /** Scaleway name of the application and the policy. @default "plakar-<stack>-<component name>" */
  name?: pulumi.Input<string>;
  /** What the credential is for; written into the descriptions. @default the use case's description */
  description?: pulumi.Input<string>;
  /** Tags for the application, policy and secret, besides managed-by, stack and use-case (at most 7). @default [] */
  tags?: pulumi.Input<pulumi.Input<string>[]>;
  /**
   * Retire the credential: revoke its keys (and the delivered key), keep the application, policy and secret but
   * unprotected, so that removing the component in the next update deletes them cleanly. @default false
   */
  retire?: boolean;
  /** Take over an application and its policy made by hand instead of creating them; keys are never adopted. */
  adopt?: AdoptArgs;
}

/** What every credential but the secret provider's takes: its key can also be written into Secret Manager. */
export interface DeliverableCredentialArgs extends CommonCredentialArgs {
  /** Also write the current key into a Secret Manager secret. @default none: the component's outputs only */
  delivery?: pulumi.Input<DeliveryArgs>;
}

/** The class names of the credential components. */
export type CredentialKind = keyof typeof COMPONENT_TYPES;

/** A whole number of days from 1 to MAX_DAYS. */
const DAYS_MESSAGE = `must be a whole number of days from 1 to ${MAX_DAYS}`;
export const Days = z
  .number({ error: DAYS_MESSAGE })
  .int({ error: DAYS_MESSAGE })
  .min(1, DAYS_MESSAGE)
  .max(MAX_DAYS, DAYS_MESSAGE);

const UUID_MESSAGE = "must be a Scaleway ID (a UUID such as 3f2b6c1e-8d4a-4c2e-9b7f-0a1d2e3f4a5b)";
/** A Scaleway ID; `required` says what it is when it is missing. */
const idArg = (required: string) =>
  z
    .guid({ error: (issue) => (issue.input === undefined ? `is required: ${required}` : UUID_MESSAGE) })
    .transform((id) => id.toLowerCase());

const text = (what = "a non-empty string") => z.string({ error: `must be ${what}` }).min(1, `must be ${what}`);
const list = <T extends z.ZodType>(item: T, what = "a list") => z.array(item, { error: `must be ${what}` });
const Id = ScalewayId;

/**
 * The rules of every argument, by name: the one definition of each, used by the components and, through
 * stack/schema.ts, by the stack's config.
 */
export const ARGUMENT_RULES = {
  organizationId: idArg("the ID of the Scaleway organization"),
  projectIds: list(Id).min(1, "must list at least one project ID"),
  allProjects: z.boolean({ error: "must be a boolean: it decides the policy rule's scope" }),
  preset: text(),
  permissionSets: list(text()),
  rules: list(
    z.strictObject(
      {
        projectIds: list(Id).min(1, "must list at least one project ID").optional(),
        allProjects: z.boolean({ error: "must be a boolean" }).optional(),
        permissionSets: list(text()).optional(),
        preset: text().optional(),
        part: PresetPart.optional(),
      },
      { error: "must be an object { projectIds or allProjects, permissionSets, preset, part }" },
    ),
    "a list of { projectIds or allProjects, permissionSets }",
  ).min(1, "must list at least one rule"),
  preferredProjectId: Id,
  stagingProjectId: Id,
  readOnly: z.boolean({ error: "must be a boolean" }),
  rotation: z.strictObject(
    { rotateEveryDays: Days.optional(), overlapDays: Days.optional() },
    { error: "must be an object { rotateEveryDays, overlapDays }" },
  ),
  expiresAt: text().pipe(Timestamp),
  maxLifetimeDays: Days,
  name: text(),
  description: text(),
  tags: list(text("a non-empty tag")),
  region: Region,
  delivery: z.strictObject(
    {
      projectId: idArg("the project of the secret"),
      region: Region.optional(),
      path: SecretFolder.optional(),
    },
    { error: "must be an object { projectId, region, path }" },
  ),
  retire: z.boolean({ error: "must be a plain boolean" }),
  adopt: AdoptSchema,
} as const;

export type ArgumentName = keyof typeof ARGUMENT_RULES;

const COMMON: readonly ArgumentName[] = [
  "organizationId",
  "projectIds",
  "allProjects",
  "rotation",
  "expiresAt",
  "maxLifetimeDays",
  "name",
  "description",
  "tags",
  "retire",
  "adopt",
];

/** The arguments each class takes, and the preset it stands for. */
export const KINDS: Record<CredentialKind, { readonly args: readonly ArgumentName[]; readonly preset?: string }> = {
  PlakarCredential: {
    args: [
      ...COMMON,
      "delivery",
      "preset",
      "permissionSets",
      "rules",
      "preferredProjectId",
      "stagingProjectId",
      "region",
    ],
  },
  SecretProviderCredential: { args: [...COMMON, "region"], preset: "secret-provider" },
  InventoryCredential: { args: [...COMMON, "delivery"], preset: "inventory" },
  ObjectStorageCredential: { args: [...COMMON, "delivery", "readOnly", "preferredProjectId"] },
  InstanceBackupCredential: {
    args: [...COMMON, "delivery", "stagingProjectId", "preferredProjectId"],
    preset: "instance-backup",
  },
  BlockStorageBackupCredential: {
    args: [...COMMON, "delivery", "stagingProjectId", "preferredProjectId"],
    preset: "block-storage-backup",
  },
  SecretManagerBackupCredential: { args: [...COMMON, "delivery", "region"], preset: "secret-manager-backup" },
};

/** The class that serves each preset with a class of its own; other presets (and custom sets) are PlakarCredential's. */
export function kindOfPreset(preset: string): Exclude<CredentialKind, "PlakarCredential"> | undefined {
  if (preset === "object-storage" || preset === "object-storage-source") return "ObjectStorageCredential";
  for (const [kind, info] of Object.entries(KINDS)) {
    if (info.preset === preset) return kind as Exclude<CredentialKind, "PlakarCredential">;
  }
  return undefined;
}

/** Arguments whose value decides which resources exist or how they are named: they cannot wait for an Output. */
const PLAIN = {
  rotation: "must be a plain object, not an Output: it names the keys",
  retire: "must be a plain boolean",
  adopt:
    "must be a plain object { applicationId, policyId }, not an Output: Pulumi reads the import IDs when it registers",
} as const;

/** True when the value holds an UNKNOWN at any depth. */
export function holdsUnknown(value: unknown): boolean {
  if (value === UNKNOWN) return true;
  if (Array.isArray(value)) {
    for (let i = 0; i < value.length; i++) if (holdsUnknown(value[i])) return true;
    return false;
  }
  if (value !== null && typeof value === "object") return Object.values(value).some(holdsUnknown);
  return false;
}

/** How the caller names things: key paths in messages and how a project is shown. */
export interface Naming {
  readonly paths: SpecPaths;
  /** The key path of an argument (zod's path into the arguments: `["rules", 0, "projectIds", 1]`). */
  argPath(path: readonly PropertyKey[]): string;
  /** How the project at `path` in the arguments is shown: its ID, or the alias the stack's config gives it there. */
  label(id: string, path: readonly PropertyKey[]): string;
}

export const ARG_PATHS: SpecPaths = {
  base: "args",
  organizationId: "args.organizationId",
  projects: "args.projectIds",
  preset: "args.preset",
  permissionSets: "args.permissionSets",
  rules: "args.rules",
  stagingProject: "args.stagingProjectId",
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

/** A program's naming: `args.<path>`, projects by ID. */
export const ARGS_NAMING: Naming = {
  paths: ARG_PATHS,
  argPath: (path) => formatPath(["args", ...path]),
  label: (id) => id,
};

function rulePaths(naming: Naming, i: number): RulePaths {
  const at = (...rest: PropertyKey[]) => naming.argPath(["rules", i, ...rest]);
  return {
    base: at(),
    projects: at("projectIds"),
    permissionSets: at("permissionSets"),
    preset: at("preset"),
    part: at("part"),
  };
}

/** What is at `path` in `value`, or UNKNOWN as soon as the walk meets one. */
function at(value: unknown, path: readonly PropertyKey[]): unknown {
  let node = value;
  for (const key of path) {
    if (node === UNKNOWN) return UNKNOWN;
    if (node === null || typeof node !== "object") return undefined;
    node = (node as Record<PropertyKey, unknown>)[key];
  }
  return node;
}

/** One zod issue as our ConfigIssues: unknown keys one by one, with the closest known key. */
function issuesOf(issue: z.core.$ZodIssue, values: unknown, naming: Naming): ConfigIssue[] {
  if (issue.code === "unrecognized_keys") {
    const known = knownKeysAt(issue.path);
    return issue.keys.map((key) => ({
      path: naming.argPath([...issue.path, key]),
      message: `unknown argument${didYouMean(key, known)}; known here: ${known.join(", ")}`,
    }));
  }
  const last = issue.path[issue.path.length - 1];
  const parent = at(values, issue.path.slice(0, -1));
  if (typeof last === "number" && Array.isArray(parent) && parent[last] === undefined) {
    // A hole or an undefined element is an unset variable, not an absent optional value.
    return [
      { path: naming.argPath(issue.path), message: "is undefined (an unset variable?): give a value or remove it" },
    ];
  }
  return [{ path: naming.argPath(issue.path), message: issue.message }];
}

function knownKeysAt(path: readonly PropertyKey[]): readonly string[] {
  const field = path[0] as ArgumentName | undefined;
  const schema = field === undefined ? undefined : (ARGUMENT_RULES[field] as z.ZodType);
  const shape = (s: z.ZodType | undefined): string[] => {
    const def = (s as { def?: { type?: string; shape?: object; element?: z.ZodType } } | undefined)?.def;
    if (def?.type === "object" && def.shape) return Object.keys(def.shape);
    if (def?.type === "array") return shape(def.element);
    return [];
  };
  return shape(schema);
}

/**
 * The shape of the arguments a `kind` takes, against their rules: unknown arguments, types, formats, values that
 * must be plain. Whatever holds an UNKNOWN is not judged (its value comes later). Problems are added to `issues`.
 */
export function checkShape(
  kind: CredentialKind,
  values: Record<string, unknown>,
  naming: Naming,
  issues: Issues,
): void {
  const allowed = KINDS[kind].args;
  for (const key of Object.keys(values)) {
    if (values[key] === undefined || (allowed as readonly string[]).includes(key)) continue;
    issues.add(naming.argPath([key]), `unknown argument${didYouMean(key, allowed)}; known here: ${allowed.join(", ")}`);
  }
  for (const key of allowed) {
    const value = values[key];
    if (value === undefined) continue;
    if (key in PLAIN && holdsUnknown(value)) {
      if (key === "rotation" && value !== UNKNOWN) {
        for (const field of ["rotateEveryDays", "overlapDays"] as const) {
          if (at(value, [field]) === UNKNOWN) {
            issues.add(
              naming.argPath([key, field]),
              "must be a plain number, not an Output: it decides which keys exist and how they are named",
            );
          }
        }
      } else if (key === "adopt" && value !== UNKNOWN) {
        for (const field of ["applicationId", "policyId"] as const) {
          if (at(value, [field]) === UNKNOWN) {
            issues.add(
              naming.argPath([key, field]),
              "must be a plain Scaleway ID (a UUID), not an Output: Pulumi reads the import ID when it registers",
            );
          }
        }
      } else {
        issues.add(naming.argPath([key]), PLAIN[key as keyof typeof PLAIN]);
      }
      continue;
    }
    if (value === UNKNOWN) continue;
    const parsed = (ARGUMENT_RULES[key] as z.ZodType).safeParse(value);
    if (parsed.success) continue;
    for (const issue of parsed.error.issues) {
      const path = [key, ...issue.path];
      // A check on a value that is not known yet waits for it.
      if (holdsUnknown(at(values, path))) continue;
      for (const found of issuesOf({ ...issue, path } as z.core.$ZodIssue, values, naming)) {
        issues.add(found.path, found.message);
      }
    }
  }
  if (values.organizationId === undefined) {
    issues.add(naming.paths.organizationId, "is required: the ID of the Scaleway organization");
  }
}

/** A known value that passed its rule, else UNKNOWN (unknown until later, or refused and reported). */
function valid<T>(key: ArgumentName, value: unknown): MaybeUnknown<T> {
  if (value === UNKNOWN || holdsUnknown(value)) return UNKNOWN;
  const parsed = (ARGUMENT_RULES[key] as z.ZodType).safeParse(value);
  return parsed.success ? (parsed.data as T) : UNKNOWN;
}

/** An ID, lower-cased, or UNKNOWN. */
function idOf(value: unknown): MaybeUnknown<string> {
  const parsed = ScalewayId.safeParse(value);
  return parsed.success ? parsed.data : UNKNOWN;
}

function projectRef(id: string, naming: Naming, path: readonly PropertyKey[]): ProjectRef {
  return { id, label: naming.label(id, path) };
}

/** A list of project IDs as refs: UNKNOWN for the list or an element not known (or refused) yet. */
function projectList(
  value: unknown,
  naming: Naming,
  path: readonly PropertyKey[],
): MaybeUnknown<readonly MaybeUnknown<ProjectRef>[]> {
  if (!Array.isArray(value)) return UNKNOWN;
  const refs: MaybeUnknown<ProjectRef>[] = [];
  for (let i = 0; i < value.length; i++) {
    const id = idOf(value[i]);
    refs.push(isKnown(id) ? projectRef(id, naming, [...path, i]) : UNKNOWN);
  }
  return refs;
}

/** The scope of `values` (the arguments, or one rule): `projectIds`, or `allProjects: true`. */
function scopeOf(
  values: Record<string, unknown>,
  path: string,
  at: readonly PropertyKey[],
  naming: Naming,
  issues: Issues,
): ScopeSpec {
  const all = values.allProjects;
  const projects = values.projectIds;
  if (all === true) {
    if (projects !== undefined) issues.add(path, "give either projectIds or allProjects: true, not both");
    return { kind: "organization" };
  }
  if (all === UNKNOWN) return { kind: "projects", projects: UNKNOWN };
  if (projects === undefined) {
    issues.add(
      path,
      "is required: list the project IDs the credential reaches, or set allProjects: true for every current and future project",
    );
    return { kind: "projects", projects: UNKNOWN };
  }
  return { kind: "projects", projects: projectList(projects, naming, [...at, "projectIds"]) };
}

function stringList(value: unknown): MaybeUnknown<readonly MaybeUnknown<string>[]> {
  if (!Array.isArray(value)) return UNKNOWN;
  const out: MaybeUnknown<string>[] = [];
  for (let i = 0; i < value.length; i++) {
    const v = value[i];
    out.push(typeof v === "string" && v.length > 0 ? v : UNKNOWN);
  }
  return out;
}

function rulesOf(value: unknown, naming: Naming, issues: Issues): MaybeUnknown<readonly RuleSpec[]> {
  if (!Array.isArray(value)) return UNKNOWN;
  const rules: RuleSpec[] = [];
  for (let i = 0; i < value.length; i++) {
    const rule = value[i];
    const paths = rulePaths(naming, i);
    if (rule === UNKNOWN || rule === null || typeof rule !== "object") {
      rules.push({ scope: { kind: "projects", projects: UNKNOWN }, permissionSets: UNKNOWN, paths });
      continue;
    }
    const r = rule as Record<string, unknown>;
    rules.push({
      scope: scopeOf(r, paths.projects, ["rules", i], naming, issues),
      ...(r.permissionSets !== undefined ? { permissionSets: stringList(r.permissionSets) } : {}),
      ...(r.preset !== undefined ? { preset: typeof r.preset === "string" && r.preset ? r.preset : UNKNOWN } : {}),
      ...(r.part !== undefined ? { part: PresetPart.safeParse(r.part).success ? (r.part as string) : UNKNOWN } : {}),
      paths,
    });
  }
  return rules;
}

/** The preset a class stands for; for ObjectStorageCredential it follows readOnly. */
export function presetOf(kind: CredentialKind, values: Record<string, unknown>): MaybeUnknown<string> | undefined {
  if (kind === "ObjectStorageCredential") {
    const readOnly = values.readOnly;
    if (readOnly === UNKNOWN) return UNKNOWN;
    return readOnly === true ? "object-storage-source" : "object-storage";
  }
  if (kind === "PlakarCredential") {
    const preset = values.preset;
    if (preset === undefined) return undefined;
    return typeof preset === "string" && preset.length > 0 ? preset : UNKNOWN;
  }
  return KINDS[kind].preset;
}

/**
 * The spec of a component of `kind` named `name`, from its argument values (Outputs as UNKNOWN). Shape problems are
 * added to `issues` (see checkShape); the domain (checkCredential) checks what the values mean.
 */
export function specFor(
  kind: CredentialKind,
  name: string,
  stack: string,
  values: Record<string, unknown>,
  naming: Naming,
  issues: Issues,
): CredentialSpec {
  checkShape(kind, values, naming, issues);
  const { paths } = naming;
  const rules = values.rules === undefined ? undefined : rulesOf(values.rules, naming, issues);
  if (values.rules !== undefined) {
    const mixed = ["projectIds", "allProjects", "permissionSets", "stagingProjectId"].filter(
      (k) => values[k] !== undefined,
    );
    if (mixed.length > 0) {
      issues.add(
        paths.rules,
        `give either rules or ${mixed.join(" and ")}, not both: each rule has its own projectIds (or allProjects) and permissionSets`,
      );
    }
  }
  const scope: ScopeSpec =
    values.rules === undefined
      ? scopeOf(values, paths.projects, [], naming, issues)
      : { kind: "projects", projects: [] };

  const preset = presetOf(kind, values);
  const rotation = values.rotation;
  const rot = rotation !== null && typeof rotation === "object" ? (rotation as Record<string, unknown>) : {};
  const day = (v: unknown, fallback: number) => (Days.safeParse(v).success ? (v as number) : fallback);
  let expiry: CredentialSpec["expiry"];
  if (values.expiresAt !== undefined) {
    if (rotation !== undefined) {
      issues.add(paths.expiresAt, "a pinned expiresAt turns rotation off: set either expiresAt or rotation, not both");
    }
    expiry = { kind: "pinned", expiresAt: valid<string>("expiresAt", values.expiresAt) };
  } else {
    expiry = {
      kind: "rotation",
      rotateEveryDays: day(rot.rotateEveryDays, DEFAULT_ROTATE_EVERY_DAYS),
      overlapDays: day(rot.overlapDays, DEFAULT_OVERLAP_DAYS),
    };
  }
  const maxLifetime =
    values.maxLifetimeDays === undefined
      ? DEFAULT_MAX_LIFETIME_DAYS
      : valid<number>("maxLifetimeDays", values.maxLifetimeDays);

  const tags = values.tags === undefined ? [] : stringList(values.tags);
  const delivery = values.delivery;
  let deliverySpec: CredentialSpec["delivery"];
  if (delivery !== undefined) {
    const d = delivery !== null && typeof delivery === "object" ? (delivery as Record<string, unknown>) : {};
    const projectId = delivery === UNKNOWN ? UNKNOWN : idOf(d.projectId);
    const region = delivery === UNKNOWN ? UNKNOWN : (d.region ?? DEFAULT_DELIVERY_REGION);
    const folder = delivery === UNKNOWN ? UNKNOWN : (d.path ?? `/plakar/${stack}`);
    deliverySpec = {
      project: isKnown(projectId) ? projectRef(projectId, naming, ["delivery", "projectId"]) : UNKNOWN,
      region: typeof region === "string" && Region.safeParse(region).success ? region : UNKNOWN,
      folder: typeof folder === "string" ? folder : UNKNOWN,
    };
  }
  const preferred = values.preferredProjectId;
  const staging = values.stagingProjectId;

  return {
    resourceName: name,
    stack,
    organizationId: idOf(values.organizationId),
    scope,
    ...(preset !== undefined ? { preset } : {}),
    ...(values.permissionSets !== undefined ? { permissionSets: stringList(values.permissionSets) } : {}),
    ...(staging !== undefined
      ? {
          stagingProject: isKnown(idOf(staging))
            ? projectRef(idOf(staging) as string, naming, ["stagingProjectId"])
            : UNKNOWN,
        }
      : {}),
    ...(rules !== undefined ? { rules } : {}),
    ...(preferred !== undefined
      ? {
          preferredProject: isKnown(idOf(preferred))
            ? projectRef(idOf(preferred) as string, naming, ["preferredProjectId"])
            : UNKNOWN,
        }
      : {}),
    expiry,
    maxLifetimeDays: maxLifetime,
    name: values.name === undefined ? `plakar-${stack}-${name}` : valid<string>("name", values.name),
    ...(values.description !== undefined ? { purpose: valid<string>("description", values.description) } : {}),
    tags,
    ...(values.region !== undefined ? { region: valid<string>("region", values.region) } : {}),
    ...(deliverySpec ? { delivery: deliverySpec } : {}),
    paths,
  };
}
