/**
 * The middle of the pipeline: stack config -> validated, resolved plan (plain data, no Pulumi). Every check that
 * can fail runs here, before a single resource is registered, and every problem is reported with its key path.
 * Components only turn the plan into resources.
 */
import type { z } from "zod";
import { ConfigError, type ConfigIssue, formatPath } from "./errors";
import { type Catalog, checkPermissionSet, isObjectStorageSet } from "./presets";
import { DAY_MS, isoSeconds, keySchedule } from "./rotation";
import {
  type CredentialConfig,
  CREDENTIAL_NAME,
  KNOWN_KEYS,
  type Preset,
  PROJECT_ALIAS,
  SCALEWAY_DESCRIPTION_MAX,
  SCALEWAY_NAME,
  SCALEWAY_NAME_MAX,
  SCALEWAY_TAGS_MAX,
  type StackConfig,
  StackConfigSchema,
} from "./schema";
import { didYouMean } from "./suggest";

export interface PlanContext {
  /** The Pulumi stack name (`staging`, `prod`, ...). */
  readonly stack: string;
  /** The clock for every time-based decision. */
  readonly now: Date;
  readonly catalog: Catalog;
  readonly presets: ReadonlyMap<string, Preset>;
}

export interface ProjectRef {
  readonly alias: string;
  readonly id: string;
}

/** The single rule of a credential's policy: exactly one scope. */
export type RulePlan =
  | { readonly projectIds: readonly string[]; readonly permissionSetNames: readonly string[] }
  | { readonly organizationId: string; readonly permissionSetNames: readonly string[] };

export interface KeyPlan {
  /** Logical name of the `scaleway.iam.ApiKey` resource; rotated keys carry their generation. */
  readonly resourceName: string;
  readonly expiresAt: string;
  /** First day of the key's rotation generation; absent for a pinned expiry. */
  readonly generation?: string;
  readonly description: string;
}

export type ExpiryPolicy =
  | { readonly kind: "rotation"; readonly rotateEveryDays: number; readonly overlapDays: number }
  | { readonly kind: "pinned"; readonly expiresAt: string };

export type PlakarSource = Preset["plakar"]["fields"][number]["from"];

export interface PlakarFieldPlan {
  readonly label: string;
  readonly from: PlakarSource;
  /** Known when the plan is made (name, project ID, region, fixed values); keys are filled in by the component. */
  readonly value?: string;
  readonly hint?: string;
  /** For a delivered credential: the field of the secret that holds this value (`<secret_id>#<field>`). */
  readonly secretField?: string;
}

/** Fields of the key-value secret that delivers a credential, keyed by the Plakar source they carry. */
export const SECRET_FIELDS: Partial<Record<PlakarSource, string>> = {
  accessKey: "access_key",
  secretKey: "secret_key",
  projectId: "project_id",
  region: "region",
};

export interface DeliveryPlan {
  /** Name of the secret: the credential's config key. */
  readonly name: string;
  /** Folder of the secret: `<pathPrefix>/<stack>`; the secret's full path is `<folder>/<name>`. */
  readonly folder: string;
  readonly fullPath: string;
  readonly project: ProjectRef;
  readonly region: string;
  readonly tags: readonly string[];
  /** Plain (non-key) values written next to the key, e.g. `project_id`, `region`. */
  readonly extraFields: Readonly<Record<string, string>>;
}

export interface CredentialPlan {
  /** The credential's config key: names every child resource, so reordering config replaces nothing. */
  readonly key: string;
  /** Scaleway name of the application and the policy: `<namePrefix><stack>-<key>`. */
  readonly name: string;
  /** The preset's name, or `custom`. */
  readonly useCase: string;
  readonly description: string;
  readonly tags: readonly string[];
  readonly organizationId: string;
  /** The resolved projects, sorted by alias, or "*" for all current and future projects. */
  readonly projects: readonly ProjectRef[] | "*";
  readonly permissionSets: readonly string[];
  readonly rule: RulePlan;
  /** The key's Object Storage preferred project; set exactly when the sets include Object Storage. */
  readonly preferredProject?: ProjectRef;
  readonly expiry: ExpiryPolicy;
  readonly keys: { readonly current: KeyPlan; readonly previous?: KeyPlan };
  readonly plakar: { readonly integration: string; readonly fields: readonly PlakarFieldPlan[] };
  readonly delivery?: DeliveryPlan;
}

export interface StackPlan {
  readonly stack: string;
  readonly now: string;
  readonly organizationId: string;
  /** Pulumi `protect` on applications, policies and delivered secrets (never on keys). */
  readonly protect: boolean;
  readonly credentials: readonly CredentialPlan[];
}

const CUSTOM = "custom";
/** ` (generation YYYY-MM-DD)` */
const GENERATION_SUFFIX_LENGTH = 24;
const SECRET_PROVIDER = "secret-provider";

/** Validates raw config (the project's namespace, keys without prefix) and resolves it into a plan. */
export function planStack(raw: unknown, ctx: PlanContext): StackPlan {
  const reserved = reservedKeys(raw);
  if (reserved.length > 0) throw new ConfigError(reserved);
  const parsed = StackConfigSchema.safeParse(raw);
  if (!parsed.success) throw new ConfigError(zodIssues(parsed.error));
  const planner = new Planner(parsed.data, ctx);
  const plan = planner.plan();
  if (planner.issues.length > 0) throw new ConfigError(planner.issues);
  return plan;
}

function knownKeysAt(path: readonly PropertyKey[]): readonly string[] {
  if (path.length === 0) return KNOWN_KEYS.top;
  if (path[0] === "credentials" && path.length === 2) return KNOWN_KEYS.credential;
  if (path[0] === "apiKeys" && path.length === 1) return KNOWN_KEYS.apiKeys;
  if (path[0] === "secretManager" && path.length === 1) return KNOWN_KEYS.secretManager;
  return [];
}

function zodIssues(error: z.ZodError): ConfigIssue[] {
  const out: ConfigIssue[] = [];
  for (const issue of error.issues) {
    if (issue.code === "unrecognized_keys") {
      const known = knownKeysAt(issue.path);
      for (const key of issue.keys) {
        out.push({
          path: formatPath([...issue.path, key]),
          message: `unknown key${didYouMean(key, known)}; known keys here: ${known.join(", ")}`,
        });
      }
    } else if (issue.code === "invalid_type" && /received undefined$/.test(issue.message)) {
      out.push({ path: formatPath(issue.path), message: `is required (${issue.expected})` });
    } else {
      out.push({ path: formatPath(issue.path), message: issue.message });
    }
  }
  return out;
}

function sortedUnique(values: Iterable<string>): string[] {
  return [...new Set(values)].sort();
}

/** Code-unit order, like Array.prototype.sort: the same on every machine, whatever its locale. */
export function compare(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}

/** Own keys named `__proto__` (JSON.parse makes them) would vanish in a plain object: report them up front. */
function reservedKeys(value: unknown, path: PropertyKey[] = []): ConfigIssue[] {
  if (!value || typeof value !== "object") return [];
  const issues: ConfigIssue[] = [];
  for (const key of Object.keys(value)) {
    const child = (value as Record<string, unknown>)[key];
    if (key === "__proto__")
      issues.push({ path: formatPath([...path, key]), message: '"__proto__" cannot be used as a name' });
    else issues.push(...reservedKeys(child, [...path, Array.isArray(value) ? Number(key) : key]));
  }
  return issues;
}

class Planner {
  readonly issues: ConfigIssue[] = [];
  private readonly seen = new Set<string>();
  private readonly nowMs: number;

  constructor(
    private readonly config: StackConfig,
    private readonly ctx: PlanContext,
  ) {
    this.nowMs = ctx.now.getTime();
  }

  /** The ID of a declared alias; own keys only, so "constructor" or "toString" are not aliases. */
  private projectId(alias: string): string | undefined {
    return Object.hasOwn(this.config.projects, alias) ? this.config.projects[alias] : undefined;
  }

  /** Records a problem once, however many credentials share its cause (e.g. a bad `apiKeys` default). */
  private add(path: string, message: string): void {
    const id = `${path}\u0000${message}`;
    if (this.seen.has(id)) return;
    this.seen.add(id);
    this.issues.push({ path, message });
  }

  plan(): StackPlan {
    const { config, ctx } = this;
    for (const alias of Object.keys(config.projects)) {
      if (!PROJECT_ALIAS.test(alias)) {
        this.add(
          `projects.${alias}`,
          "project aliases are letters, digits, '.', '-' and '_', starting with a letter or digit",
        );
      }
    }
    if (!SCALEWAY_NAME.test(config.namePrefix) && config.namePrefix !== "") {
      this.add(
        "namePrefix",
        `"${config.namePrefix}" has characters Scaleway does not allow in names (letters, digits, spaces and ()._- only)`,
      );
    }
    const stackTags = this.stackTags();
    this.checkSecretManager();

    const credentials: CredentialPlan[] = [];
    for (const key of Object.keys(config.credentials).sort()) {
      const plan = this.planCredential(key, config.credentials[key], stackTags);
      if (plan) credentials.push(plan);
    }
    this.checkDeliveryCoverage(credentials);
    return {
      stack: ctx.stack,
      now: isoSeconds(this.nowMs),
      organizationId: config.organizationId,
      protect: config.protect ?? ctx.stack === "prod",
      credentials,
    };
  }

  private stackTags(): string[] {
    const tags = sortedUnique(this.config.tags);
    // managed-by, stack and use-case are added to every resource.
    const room = SCALEWAY_TAGS_MAX - 3;
    if (tags.length > room) {
      this.add(
        "tags",
        `${tags.length} tags; Scaleway allows ${SCALEWAY_TAGS_MAX} per resource and this stack adds 3 (managed-by, stack, use-case): keep at most ${room}`,
      );
    }
    return tags;
  }

  private checkSecretManager(): void {
    const sm = this.config.secretManager;
    if (sm && this.projectId(sm.project) === undefined) {
      this.add(
        "secretManager.project",
        `unknown project alias "${sm.project}"${didYouMean(sm.project, Object.keys(this.config.projects))}; declared aliases: ${Object.keys(this.config.projects).sort().join(", ")}`,
      );
    }
  }

  private resolveProjects(key: string, spec: CredentialConfig): readonly ProjectRef[] | "*" | undefined {
    const path = `credentials.${key}.projects`;
    const declared = Object.keys(this.config.projects);
    if (spec.projects === "*") {
      if (!this.config.allowAllProjects) {
        this.add(
          path,
          `"*" grants every current and future project of the organization; set plakar-scaleway-iam:allowAllProjects: true to allow it, or list project aliases`,
        );
        return undefined;
      }
      return "*";
    }
    const refs = new Map<string, ProjectRef>();
    let ok = true;
    spec.projects.forEach((alias, i) => {
      const id = this.projectId(alias);
      if (alias === "*") {
        ok = false;
        this.add(
          `${path}[${i}]`,
          'to grant all current and future projects, write projects: "*" (a string, not a list)',
        );
      } else if (id === undefined) {
        ok = false;
        this.add(
          `${path}[${i}]`,
          `credential "${key}" names unknown project alias "${alias}"${didYouMean(alias, declared)}; declared aliases: ${declared.sort().join(", ")}`,
        );
      } else {
        refs.set(alias, { alias, id });
      }
    });
    return ok ? [...refs.values()].sort((a, b) => compare(a.alias, b.alias)) : undefined;
  }

  private resolvePermissionSets(key: string, spec: CredentialConfig, preset: Preset | undefined): string[] | undefined {
    const path = `credentials.${key}`;
    if (!preset && (spec.permissionSets ?? []).length === 0) {
      this.add(path, `needs a preset (${[...this.ctx.presets.keys()].join(", ")}) or a non-empty permissionSets list`);
      return undefined;
    }
    let ok = true;
    (spec.permissionSets ?? []).forEach((set, i) => {
      const problem = checkPermissionSet(set, this.ctx.catalog);
      if (problem) {
        ok = false;
        this.add(`${path}.permissionSets[${i}]`, problem);
      }
    });
    return ok ? sortedUnique([...(preset?.permissionSets ?? []), ...(spec.permissionSets ?? [])]) : undefined;
  }

  private resolvePreferredProject(
    key: string,
    spec: CredentialConfig,
    projects: readonly ProjectRef[] | "*",
    sets: readonly string[] | undefined,
  ): ProjectRef | undefined | null {
    const path = `credentials.${key}.preferredProject`;
    const wanted = spec.preferredProject;
    // With invalid sets, still check the alias; whether one is needed is decided once the sets are fixed.
    const needsOne = sets === undefined ? wanted !== undefined : sets.some(isObjectStorageSet);
    if (!needsOne) {
      if (wanted !== undefined) {
        this.add(
          path,
          `only keys with Object Storage permission sets (ObjectStorage*) take a preferred project; remove preferredProject`,
        );
        return null;
      }
      return undefined;
    }
    const candidates =
      projects === "*" ? Object.entries(this.config.projects).map(([alias, id]) => ({ alias, id })) : projects;
    const names = candidates.map((p) => p.alias);
    if (wanted !== undefined) {
      const hit = candidates.find((p) => p.alias === wanted);
      if (!hit) {
        const scope = projects === "*" ? "a declared project alias" : "one of this credential's projects";
        this.add(path, `"${wanted}" is not ${scope} (${names.join(", ")})${didYouMean(wanted, names)}`);
        return null;
      }
      return hit;
    }
    if (projects !== "*" && projects.length === 1) return projects[0];
    this.add(
      path,
      `required: Object Storage permission sets need a preferred project (the buckets' project) and this credential has ${projects === "*" ? 'projects "*"' : `${projects.length} projects`}; set preferredProject to one of ${names.join(", ")}`,
    );
    return null;
  }

  private resolveExpiry(key: string, spec: CredentialConfig): ExpiryPolicy | undefined {
    const { apiKeys } = this.config;
    const credPath = `credentials.${key}`;
    const rotationOverride = spec.rotateEveryDays !== undefined || spec.overlapDays !== undefined;
    if (spec.expiresAt !== undefined && rotationOverride) {
      this.add(
        `${credPath}.expiresAt`,
        "a pinned expiresAt turns rotation off: set either expiresAt or rotateEveryDays/overlapDays, not both",
      );
      return undefined;
    }
    const maxMs = apiKeys.maxLifetimeDays * DAY_MS;
    const pinned = spec.expiresAt ?? (rotationOverride ? undefined : apiKeys.expiresAt);
    if (pinned !== undefined) {
      const path = spec.expiresAt !== undefined ? `${credPath}.expiresAt` : "apiKeys.expiresAt";
      // Scaleway takes the expiry to the second: the truncated value must still be in the future.
      const exact = Date.parse(pinned);
      const at = Math.floor(exact / 1000) * 1000;
      const nowIso = isoSeconds(this.nowMs);
      if (at <= this.nowMs) {
        this.add(
          path,
          `${pinned} is not in the future (now is ${nowIso}): set a later date, or remove it so the key rotates automatically`,
        );
        return undefined;
      }
      if (exact - this.nowMs > maxMs) {
        const days = Math.ceil((exact - this.nowMs) / DAY_MS);
        this.add(
          path,
          `${pinned} is ${days} days ahead, more than apiKeys.maxLifetimeDays (${apiKeys.maxLifetimeDays}): set an earlier date`,
        );
        return undefined;
      }
      return { kind: "pinned", expiresAt: isoSeconds(at) };
    }
    const rotateEveryDays = spec.rotateEveryDays ?? apiKeys.rotateEveryDays;
    const overlapDays = spec.overlapDays ?? apiKeys.overlapDays;
    const overlapPath = spec.overlapDays !== undefined ? `${credPath}.overlapDays` : "apiKeys.overlapDays";
    const rotatePath = spec.rotateEveryDays !== undefined ? `${credPath}.rotateEveryDays` : "apiKeys.rotateEveryDays";
    if (overlapDays >= rotateEveryDays) {
      this.add(
        overlapPath,
        `overlapDays (${overlapDays}) must be less than rotateEveryDays (${rotateEveryDays}), or two generations would overlap fully`,
      );
      return undefined;
    }
    if (rotateEveryDays + overlapDays > apiKeys.maxLifetimeDays) {
      this.add(
        rotatePath,
        `a rotated key lives rotateEveryDays + overlapDays = ${rotateEveryDays + overlapDays} days, more than apiKeys.maxLifetimeDays (${apiKeys.maxLifetimeDays}): rotate more often or raise maxLifetimeDays`,
      );
      return undefined;
    }
    return { kind: "rotation", rotateEveryDays, overlapDays };
  }

  private keys(key: string, expiry: ExpiryPolicy, description: string): CredentialPlan["keys"] {
    if (expiry.kind === "pinned") {
      return { current: { resourceName: `${key}-key`, expiresAt: expiry.expiresAt, description } };
    }
    const schedule = keySchedule(this.nowMs, expiry.rotateEveryDays, expiry.overlapDays);
    const toPlan = (k: typeof schedule.current): KeyPlan => ({
      resourceName: `${key}-key-${k.generation}`,
      expiresAt: isoSeconds(k.expiresAtMs),
      generation: k.generation,
      description: `${description} (generation ${k.generation})`,
    });
    return schedule.previous
      ? { current: toPlan(schedule.current), previous: toPlan(schedule.previous) }
      : { current: toPlan(schedule.current) };
  }

  private planCredential(
    key: string,
    spec: CredentialConfig,
    stackTags: readonly string[],
  ): CredentialPlan | undefined {
    const { config, ctx } = this;
    const path = `credentials.${key}`;
    const before = this.issues.length;
    if (!CREDENTIAL_NAME.test(key)) {
      this.add(
        path,
        `credential names are lowercase letters, digits and dashes, starting with a letter (e.g. "${
          key
            .toLowerCase()
            .replace(/[^a-z0-9-]/g, "-")
            .replace(/^[^a-z]+/, "") || "inventory"
        }")`,
      );
    }
    let preset: Preset | undefined;
    if (spec.preset !== undefined) {
      preset = ctx.presets.get(spec.preset);
      if (!preset) {
        this.add(
          `${path}.preset`,
          `unknown preset "${spec.preset}"${didYouMean(spec.preset, ctx.presets.keys())}; presets: ${[...ctx.presets.keys()].join(", ")}`,
        );
      }
    }
    const useCase = spec.preset ?? CUSTOM;
    const sets = spec.preset !== undefined && !preset ? undefined : this.resolvePermissionSets(key, spec, preset);
    const projects = this.resolveProjects(key, spec);
    const preferred = projects ? this.resolvePreferredProject(key, spec, projects, sets) : null;
    const expiry = this.resolveExpiry(key, spec);

    const name = `${config.namePrefix}${ctx.stack}-${key}`;
    if (name.length > SCALEWAY_NAME_MAX) {
      this.add(
        path,
        `the application and policy name "${name}" is ${name.length} characters; Scaleway allows ${SCALEWAY_NAME_MAX}: shorten the credential name or namePrefix`,
      );
    } else if (!SCALEWAY_NAME.test(name)) {
      this.add(
        path,
        `the application and policy name "${name}" has characters Scaleway does not allow (letters, digits, spaces and ()._- only)`,
      );
    }
    const purpose = spec.description ?? preset?.description ?? `Custom permission sets`;
    const description = `Plakar ${useCase} for stack ${ctx.stack}: ${purpose}`;
    // Rotated keys append their generation to this description; keep room for it.
    const suffix = expiry?.kind === "pinned" ? 0 : GENERATION_SUFFIX_LENGTH;
    const max = SCALEWAY_DESCRIPTION_MAX - suffix;
    if (description.length > max) {
      const room = max - (description.length - purpose.length);
      this.add(
        `${path}.description`,
        `makes a ${description.length}-character description; Scaleway allows ${SCALEWAY_DESCRIPTION_MAX}${suffix ? ` and rotated keys add ${suffix} for their generation` : ""}: shorten it to at most ${room} characters`,
      );
    }
    const tags = sortedUnique([`managed-by=pulumi`, `stack=${ctx.stack}`, `use-case=${useCase}`, ...stackTags]);

    if (spec.deliver === "secret-manager") {
      if (useCase === SECRET_PROVIDER) {
        this.add(
          `${path}.deliver`,
          `the secret-provider key is the one typed into Plakar to read all the others, so it cannot be delivered through Secret Manager itself: use deliver: outputs`,
        );
      }
      if (!config.secretManager) {
        this.add(
          `${path}.deliver`,
          `deliver: secret-manager needs plakar-scaleway-iam:secretManager configured (e.g. { project: <alias>, region: fr-par, pathPrefix: /plakar })`,
        );
      }
    }

    if (this.issues.length > before || !sets || !projects || preferred === null || !expiry) return undefined;

    const rule: RulePlan =
      projects === "*"
        ? { organizationId: config.organizationId, permissionSetNames: sets }
        : { projectIds: sortedUnique(projects.map((p) => p.id)), permissionSetNames: sets };
    const credential: CredentialPlan = {
      key,
      name,
      useCase,
      description,
      tags,
      organizationId: config.organizationId,
      projects,
      permissionSets: sets,
      rule,
      ...(preferred ? { preferredProject: preferred } : {}),
      expiry,
      keys: this.keys(key, expiry, description),
      plakar: { integration: preset?.plakar.integration ?? "custom", fields: [] },
    };
    let fields = this.plakarFields(credential, preset);
    const delivery = spec.deliver === "secret-manager" ? this.delivery(credential, fields) : undefined;
    if (delivery) {
      const inSecret = (field: PlakarFieldPlan) =>
        field.from === "accessKey" || field.from === "secretKey" || field.value !== undefined;
      fields = fields.map((field) => {
        const secretField = SECRET_FIELDS[field.from];
        return secretField && inSecret(field) ? { ...field, secretField } : field;
      });
    }
    return { ...credential, plakar: { ...credential.plakar, fields }, ...(delivery ? { delivery } : {}) };
  }

  private plakarFields(credential: CredentialPlan, preset: Preset | undefined): PlakarFieldPlan[] {
    const template: Preset["plakar"]["fields"] = preset?.plakar.fields ?? [
      { label: "Access key", from: "accessKey" },
      { label: "Secret key", from: "secretKey" },
    ];
    return template.map((field): PlakarFieldPlan => {
      const known = this.knownValue(credential, field.from, field.value);
      return known !== undefined
        ? { label: field.label, from: field.from, value: known }
        : { label: field.label, from: field.from, ...(field.hint ? { hint: field.hint } : {}) };
    });
  }

  private knownValue(credential: CredentialPlan, from: PlakarSource, fixed: string | undefined): string | undefined {
    switch (from) {
      case "name":
        return credential.name;
      case "projectId":
        if (credential.preferredProject) return credential.preferredProject.id;
        return credential.projects !== "*" && credential.projects.length === 1 ? credential.projects[0].id : undefined;
      case "region":
        return this.config.secretManager?.region;
      case "fixed":
        return fixed;
      default:
        return undefined;
    }
  }

  private delivery(credential: CredentialPlan, fields: readonly PlakarFieldPlan[]): DeliveryPlan | undefined {
    const sm = this.config.secretManager;
    const id = sm && this.projectId(sm.project);
    if (!sm || !id) return undefined;
    const folder = `${sm.pathPrefix === "/" ? "" : sm.pathPrefix}/${this.ctx.stack}`;
    const extraFields: Record<string, string> = {};
    for (const field of fields) {
      const secretField = SECRET_FIELDS[field.from];
      if (secretField && field.value !== undefined) extraFields[secretField] = field.value;
    }
    return {
      name: credential.key,
      folder,
      fullPath: `${folder}/${credential.key}`,
      project: { alias: sm.project, id },
      region: sm.region,
      tags: credential.tags,
      extraFields,
    };
  }

  /** Plakar reads delivered secrets through its secret provider: some secret-provider credential must reach them. */
  private checkDeliveryCoverage(credentials: readonly CredentialPlan[]): void {
    const sm = this.config.secretManager;
    if (!sm) return;
    const smId = this.projectId(sm.project);
    // A secret-provider credential with its own errors is reported already: fix that first.
    const brokenProvider = Object.entries(this.config.credentials).some(
      ([key, spec]) => spec.preset === SECRET_PROVIDER && !credentials.some((c) => c.key === key),
    );
    if (brokenProvider) return;
    const providers = credentials.filter((c) => c.useCase === SECRET_PROVIDER);
    const covers = (c: CredentialPlan) => c.projects === "*" || c.projects.some((p) => p.id === smId);
    if (providers.some(covers)) return;
    for (const c of credentials.filter((x) => x.delivery)) {
      const fix =
        providers.length > 0
          ? `add "${sm.project}" to the projects of secret-provider credential "${providers[0].key}"`
          : `add a credential with preset: secret-provider and projects: [${sm.project}]`;
      this.add(
        `credentials.${c.key}.deliver`,
        `credential "${c.key}" is delivered to Secret Manager project "${sm.project}", but no secret-provider credential covers project "${sm.project}", so Plakar could not read it: ${fix}`,
      );
    }
  }
}
