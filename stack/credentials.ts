/**
 * The stack's config, mapped to component arguments: project aliases become IDs, stack-wide defaults (apiKeys,
 * secretManager, tags, namePrefix) are applied, and each credential becomes the arguments of the component class
 * that serves its use case (PlakarCredential for custom sets or rules). Each credential is checked by the very
 * function its component runs, with the config's key paths and aliases in the messages; what spans credentials
 * (aliases, delivery set-up, who can read the delivered secrets) is checked here. Every problem is reported with its
 * config key path, before a single resource is registered.
 */
import type { z } from "zod";
import { type CredentialKind, kindOfPreset, KINDS, type Naming, specFor } from "../components/args";
import type { BlockStorageBackupCredentialArgs } from "../components/blockStorageBackup";
import { CUSTOM_USE_CASE, SCALEWAY_NAME, SECRET_PROVIDER } from "../components/domain/constants";
import { checkCredential, compare, type ResolveContext, type SpecPaths } from "../components/domain/credential";
import type { ResolvedCredential } from "../components/domain/credential";
import { ConfigError, type ConfigIssue, formatPath, Issues } from "../components/domain/errors";
import { isoSeconds } from "../components/domain/rotation";
import { didYouMean } from "../components/domain/suggest";
import { UNKNOWN } from "../components/domain/unknown";
import type { InstanceBackupCredentialArgs } from "../components/instanceBackup";
import type { InventoryCredentialArgs } from "../components/inventory";
import type { ObjectStorageCredentialArgs } from "../components/objectStorage";
import type { PlakarCredentialArgs } from "../components/plakarCredential";
import type { SecretManagerBackupCredentialArgs } from "../components/secretManagerBackup";
import type { SecretProviderCredentialArgs } from "../components/secretProvider";
import {
  type CredentialConfig,
  CREDENTIAL_NAME,
  KNOWN_KEYS,
  PROJECT_ALIAS,
  type StackConfig,
  StackConfigSchema,
} from "./schema";

export interface StackContext extends ResolveContext {
  /** The Pulumi stack name (`staging`, `prod`, ...). */
  readonly stack: string;
}

/**
 * Every argument a credential of the stack may get, plain values only: the union of what the classes take. The
 * stack gives a class only the arguments it takes (kindOf), and the class refuses any other.
 */
export type StackCredentialArgs = PlakarCredentialArgs &
  ObjectStorageCredentialArgs &
  InstanceBackupCredentialArgs &
  BlockStorageBackupCredentialArgs &
  InventoryCredentialArgs &
  SecretProviderCredentialArgs &
  SecretManagerBackupCredentialArgs;

/** One credential of the stack: the component class that serves it, and its arguments. */
export interface StackCredential {
  readonly key: string;
  readonly kind: CredentialKind;
  readonly args: StackCredentialArgs;
  /** What the credential's component is checked to make: for the tools' views and preflight. */
  readonly resolved: ResolvedCredential;
  /** Where each of its fields is written in the config, for the tools' messages. */
  readonly paths: SpecPaths;
}

export interface StackPlan {
  readonly stack: string;
  readonly now: string;
  readonly organizationId: string;
  /** Pulumi `protect` for the components (their applications, policies and secrets; never their keys). */
  readonly protect: boolean;
  /** The declared project aliases, alias → ID. */
  readonly projects: Readonly<Record<string, string>>;
  readonly credentials: readonly StackCredential[];
}

/** Validates raw config (the project's namespace, keys without prefix) and maps every credential to its component. */
export function planStack(raw: unknown, ctx: StackContext): StackPlan {
  const reserved = reservedKeys(raw);
  if (reserved.length > 0) throw new ConfigError(reserved);
  const conflict = pinnedWithRotation(raw);
  const parsed = StackConfigSchema.safeParse(raw);
  if (!parsed.success) throw new ConfigError([...zodIssues(parsed.error), ...(conflict ? [conflict] : [])]);
  if (conflict) throw new ConfigError([conflict]);
  const config = parsed.data;
  const issues = new Issues();
  checkStackWide(config, issues);
  const credentials: StackCredential[] = [];
  for (const key of Object.keys(config.credentials).sort(compare)) {
    const credential = stackCredential(key, config.credentials[key], config, ctx, issues);
    if (credential) credentials.push(credential);
  }
  checkDeliveryCoverage(config, credentials, issues);
  if (issues.count > 0) throw new ConfigError(issues.list);
  return {
    stack: ctx.stack,
    now: isoSeconds(ctx.now.getTime()),
    organizationId: config.organizationId,
    protect: config.protect ?? ctx.stack === "prod",
    projects: { ...config.projects },
    credentials,
  };
}

function knownKeysAt(path: readonly PropertyKey[]): readonly string[] {
  if (path.length === 0) return KNOWN_KEYS.top;
  if (path[0] === "credentials" && path.length === 2) return KNOWN_KEYS.credential;
  if (path[0] === "credentials" && path.length === 3 && path[2] === "adopt") return KNOWN_KEYS.adopt;
  if (path[0] === "credentials" && path.length === 4 && path[2] === "rules") return KNOWN_KEYS.rule;
  if (path[0] === "apiKeys" && path.length === 1) return KNOWN_KEYS.apiKeys;
  if (path[0] === "secretManager" && path.length === 1) return KNOWN_KEYS.secretManager;
  return [];
}

export function zodIssues(error: z.ZodError): ConfigIssue[] {
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

/** A pinned `apiKeys.expiresAt` with rotation settings beside it: one of them would be ignored. */
function pinnedWithRotation(raw: unknown): ConfigIssue | undefined {
  const apiKeys = (raw as { apiKeys?: unknown } | null | undefined)?.apiKeys;
  if (!apiKeys || typeof apiKeys !== "object") return undefined;
  const has = (key: string) => Object.hasOwn(apiKeys, key) && (apiKeys as Record<string, unknown>)[key] !== undefined;
  if (!has("expiresAt") || !(has("rotateEveryDays") || has("overlapDays"))) return undefined;
  return {
    path: "apiKeys.expiresAt",
    message: "a pinned expiresAt turns rotation off: set either expiresAt or rotateEveryDays/overlapDays, not both",
  };
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

/** The ID of a declared alias; own keys only, so "constructor" or "toString" are not aliases. */
function projectId(config: StackConfig, alias: string): string | undefined {
  return Object.hasOwn(config.projects, alias) ? config.projects[alias] : undefined;
}

/** How many declared aliases an error lists (a line is cut at 300 characters), and suggestions one config gets. */
const MAX_LISTED = 10;
const MAX_SUGGESTIONS = 20;

/** The declared aliases as an error lists them: the first MAX_LISTED in order, then how many more. */
function declaredAliases(config: StackConfig): string {
  const all = Object.keys(config.projects).sort(compare);
  const shown = all.slice(0, MAX_LISTED).join(", ");
  return all.length > MAX_LISTED ? `${shown} and ${all.length - MAX_LISTED} more` : shown;
}

/**
 * Suggestions already made per config: past MAX_SUGGESTIONS, an unknown alias gets none. Each costs an edit distance to
 * every declared alias, and a config of thousands of typos would otherwise take minutes to refuse.
 */
const suggestionsMade = new WeakMap<StackConfig, number>();

/** ` (did you mean "x"?)` for an unknown alias, while this config's suggestions last. */
function aliasSuggestion(config: StackConfig, alias: string): string {
  const made = suggestionsMade.get(config) ?? 0;
  if (made >= MAX_SUGGESTIONS) return "";
  suggestionsMade.set(config, made + 1);
  return didYouMean(alias, Object.keys(config.projects));
}

function checkStackWide(config: StackConfig, issues: Issues): void {
  for (const alias of Object.keys(config.projects)) {
    if (!PROJECT_ALIAS.test(alias)) {
      issues.add(
        `projects.${alias}`,
        "project aliases are letters, digits, '.', '-' and '_', starting with a letter or digit",
      );
    }
  }
  if (!SCALEWAY_NAME.test(config.namePrefix) && config.namePrefix !== "") {
    issues.add(
      "namePrefix",
      `"${config.namePrefix}" has characters Scaleway does not allow in names (letters, digits, spaces and ()._- only)`,
    );
  }
  const sm = config.secretManager;
  if (sm && projectId(config, sm.project) === undefined) {
    issues.add(
      "secretManager.project",
      `unknown project alias "${sm.project}"${aliasSuggestion(config, sm.project)}; declared aliases: ${declaredAliases(config)}`,
    );
  }
}

function pathsFor(key: string, spec: CredentialConfig): SpecPaths {
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
    expiresAt: spec.expiresAt !== undefined ? `${base}.expiresAt` : "apiKeys.expiresAt",
    rotateEveryDays: spec.rotateEveryDays !== undefined ? `${base}.rotateEveryDays` : "apiKeys.rotateEveryDays",
    overlapDays: spec.overlapDays !== undefined ? `${base}.overlapDays` : "apiKeys.overlapDays",
    maxLifetimeDays: "apiKeys.maxLifetimeDays",
    name: base,
    nameFix: "shorten the credential name or namePrefix",
    description: `${base}.description`,
    tags: "tags",
    delivery: `${base}.deliver`,
    region: spec.region !== undefined ? `${base}.region` : "secretManager.region",
  };
}

/** The alias the config writes at each argument path that holds a project ID (`projectIds[1]`, `delivery.projectId`). */
type Labels = Map<string, string>;

/** The config's naming of a credential's arguments: its key paths, and each project by the alias written there. */
function namingFor(key: string, spec: CredentialConfig, labels: Labels): Naming {
  const paths = pathsFor(key, spec);
  const fields: Record<string, string> = {
    organizationId: paths.organizationId,
    projectIds: paths.projects,
    allProjects: paths.projects,
    rules: paths.rules,
    preferredProjectId: paths.preferredProject,
    stagingProjectId: paths.stagingProject,
    maxLifetimeDays: paths.maxLifetimeDays,
    tags: paths.tags,
    name: paths.name,
    delivery: paths.delivery,
    region: paths.region,
    expiresAt: paths.expiresAt,
  };
  return {
    paths,
    argPath: ([field, ...rest]) => {
      if (field === "rotation") return rest[0] === "overlapDays" ? paths.overlapDays : paths.rotateEveryDays;
      if (field === "rules") {
        const [i, inner, ...more] = rest;
        const name = inner === "projectIds" || inner === "allProjects" ? "projects" : inner;
        return formatPath([
          paths.rules,
          ...(i === undefined ? [] : [i]),
          ...(name === undefined ? [] : [name]),
          ...more,
        ]);
      }
      const at = fields[String(field)] ?? `${paths.base}.${String(field)}`;
      return formatPath([at, ...rest]);
    },
    label: (id, at) => labels.get(formatPath(at)) ?? id,
  };
}

/**
 * The IDs of the projects at `path`, each once, noting the alias of each argument at `at` (`projectIds[i]`);
 * undefined (and issues) when one is not declared.
 */
function resolveAliases(
  key: string,
  projects: NonNullable<CredentialConfig["projects"]>,
  path: string,
  at: readonly PropertyKey[],
  config: StackConfig,
  labels: Labels,
  issues: Issues,
): string[] | "*" | undefined {
  if (projects === "*") {
    if (!config.allowAllProjects) {
      issues.add(
        path,
        `"*" grants every current and future project of the organization; set plakar-scaleway-iam:allowAllProjects: true to allow it, or list project aliases`,
      );
      return undefined;
    }
    return "*";
  }
  const ids: string[] = [];
  let ok = true;
  projects.forEach((alias, i) => {
    const id = projectId(config, alias);
    if (alias === "*") {
      ok = false;
      issues.add(
        `${path}[${i}]`,
        'to grant all current and future projects, write projects: "*" (a string, not a list)',
      );
    } else if (id === undefined) {
      ok = false;
      issues.add(`${path}[${i}]`, unknownAlias(key, alias, config));
    } else {
      // Each project once; one named by two aliases is shown by the first of them in code-unit order, whatever
      // order the config lists them in.
      const index = ids.includes(id) ? ids.indexOf(id) : ids.push(id) - 1;
      const where = formatPath([...at, index]);
      const shown = labels.get(where);
      if (shown === undefined || compare(alias, shown) < 0) labels.set(where, alias);
    }
  });
  return ok ? ids : undefined;
}

function unknownAlias(key: string, alias: string, config: StackConfig): string {
  return `credential "${key}" names unknown project alias "${alias}"${aliasSuggestion(config, alias)}; declared aliases: ${declaredAliases(config)}`;
}

/** One alias (stagingProject, preferredProject) for the argument `at`: its ID, or undefined (and an issue). */
function resolveAlias(
  key: string,
  alias: string,
  path: string,
  at: string,
  config: StackConfig,
  labels: Labels,
  issues: Issues,
): string | undefined {
  const id = projectId(config, alias);
  if (id === undefined) {
    issues.add(path, unknownAlias(key, alias, config));
    return undefined;
  }
  labels.set(at, alias);
  return id;
}

/** The scope arguments of aliases resolved: `allProjects: true`, or the project IDs. */
function scopeArgs(projects: string[] | "*"): { allProjects: true } | { projectIds: string[] } {
  return projects === "*" ? { allProjects: true } : { projectIds: projects };
}

/** The class that serves a credential: its use case's own, when the config holds nothing that class does not take. */
function kindOf(spec: CredentialConfig): CredentialKind {
  const kind = spec.preset === undefined ? undefined : kindOfPreset(spec.preset);
  if (!kind || spec.rules !== undefined || spec.permissionSets !== undefined) return "PlakarCredential";
  const takes = KINDS[kind].args as readonly string[];
  const given: [string, unknown][] = [
    ["stagingProjectId", spec.stagingProject],
    ["preferredProjectId", spec.preferredProject],
    ["region", spec.region],
    ["delivery", spec.deliver === "secret-manager" ? true : undefined],
  ];
  return given.every(([arg, value]) => value === undefined || takes.includes(arg)) ? kind : "PlakarCredential";
}

/** The component of one credential; undefined (and issues) when the config or the component's checks refuse it. */
function stackCredential(
  key: string,
  spec: CredentialConfig,
  config: StackConfig,
  ctx: StackContext,
  issues: Issues,
): StackCredential | undefined {
  const path = `credentials.${key}`;
  if (!CREDENTIAL_NAME.test(key)) {
    const suggestion =
      key
        .toLowerCase()
        .replace(/[^a-z0-9-]/g, "-")
        .replace(/^[^a-z]+/, "") || "inventory";
    issues.add(
      path,
      `credential names are lowercase letters, digits and dashes, starting with a letter (e.g. "${suggestion}")`,
    );
  }
  // The stack's own checks are reported after the component's, in the order of a credential's keys.
  const later = new Issues();
  const labels: Labels = new Map();
  if (spec.rules !== undefined) {
    const mixed = (["projects", "permissionSets", "stagingProject"] as const).filter((k) => spec[k] !== undefined);
    if (mixed.length > 0) {
      later.add(
        `${path}.rules`,
        `give either rules or ${mixed.join(" and ")}, not both: each rule has its own projects and permissionSets (move ${mixed.join(" and ")} into a rule)`,
      );
    }
  } else if (spec.projects === undefined) {
    later.add(
      `${path}.projects`,
      'is required: list project aliases, or "*" for all current and future projects (or give rules, each with its own projects)',
    );
  }
  const projects =
    spec.projects !== undefined && spec.rules === undefined
      ? resolveAliases(key, spec.projects, `${path}.projects`, ["projectIds"], config, labels, later)
      : undefined;
  const ruleScopes = spec.rules?.map((rule, i) =>
    resolveAliases(
      key,
      rule.projects,
      `${path}.rules[${i}].projects`,
      ["rules", i, "projectIds"],
      config,
      labels,
      later,
    ),
  );
  const rules = spec.rules?.map((rule, i) => {
    const ids = ruleScopes?.[i];
    return {
      ...(ids === undefined ? {} : scopeArgs(ids)),
      ...(rule.permissionSets !== undefined ? { permissionSets: rule.permissionSets } : {}),
      ...(rule.preset !== undefined ? { preset: rule.preset } : {}),
      ...(rule.part !== undefined ? { part: rule.part } : {}),
    };
  });
  const staging =
    spec.stagingProject === undefined
      ? undefined
      : resolveAlias(key, spec.stagingProject, `${path}.stagingProject`, "stagingProjectId", config, labels, later);
  const preferred =
    spec.preferredProject === undefined
      ? undefined
      : resolveAlias(
          key,
          spec.preferredProject,
          `${path}.preferredProject`,
          "preferredProjectId",
          config,
          labels,
          later,
        );

  const formPreset = spec.preset !== undefined ? ctx.presets.get(spec.preset) : undefined;
  if (spec.region !== undefined && (spec.preset === undefined || formPreset)) {
    if (!formPreset?.plakar.fields.some((f) => f.from === "region")) {
      later.add(
        `${path}.region`,
        `Plakar's ${formPreset ? `"${formPreset.name}"` : "custom"} form asks for no region: remove region (it is the region of the secrets, for Secret Manager presets)`,
      );
    }
  }
  const { apiKeys } = config;
  const rotationOverride = spec.rotateEveryDays !== undefined || spec.overlapDays !== undefined;
  if (spec.expiresAt !== undefined && rotationOverride) {
    later.add(
      `${path}.expiresAt`,
      "a pinned expiresAt turns rotation off: set either expiresAt or rotateEveryDays/overlapDays, not both",
    );
  }
  if (apiKeys.expiresAt !== undefined && spec.expiresAt === undefined && spec.overlapDays !== undefined) {
    if (spec.rotateEveryDays === undefined) {
      // The stack's pin leaves no stack-wide rotateEveryDays: the credential would rotate on the default unasked.
      later.add(
        `${path}.overlapDays`,
        `apiKeys.expiresAt pins every key of the stack; to rotate this credential's keys instead, set its rotateEveryDays too (overlapDays alone does not say how often)`,
      );
    }
  }
  const pinned = spec.expiresAt ?? (rotationOverride ? undefined : apiKeys.expiresAt);
  const sm = config.secretManager;
  const delivered = spec.deliver === "secret-manager";
  if (delivered && !sm) {
    later.add(
      `${path}.deliver`,
      `deliver: secret-manager needs plakar-scaleway-iam:secretManager configured (e.g. { project: <alias>, region: fr-par, pathPrefix: /plakar })`,
    );
  }
  const smId = sm ? projectId(config, sm.project) : undefined;
  const useCase = spec.preset ?? CUSTOM_USE_CASE;
  if (delivered && useCase === SECRET_PROVIDER) {
    later.add(
      `${path}.deliver`,
      `the secret-provider key is the one typed into Plakar to read all the others, so it cannot be delivered through Secret Manager itself: use deliver: outputs`,
    );
  }

  const kind = kindOf(spec);
  const args: StackCredentialArgs = {
    organizationId: config.organizationId,
    ...(projects !== undefined ? scopeArgs(projects) : {}),
    ...(rules !== undefined ? { rules } : {}),
    ...(kind === "PlakarCredential" && spec.preset !== undefined ? { preset: spec.preset } : {}),
    ...(spec.preset === "object-storage-source" && kind === "ObjectStorageCredential" ? { readOnly: true } : {}),
    // Beside rules, projects, permissionSets and stagingProject are the stack's to report (above), in its words.
    ...(spec.permissionSets !== undefined && rules === undefined ? { permissionSets: spec.permissionSets } : {}),
    ...(staging !== undefined && rules === undefined ? { stagingProjectId: staging } : {}),
    ...(preferred !== undefined ? { preferredProjectId: preferred } : {}),
    ...(pinned !== undefined
      ? { expiresAt: pinned }
      : {
          rotation: {
            rotateEveryDays: spec.rotateEveryDays ?? apiKeys.rotateEveryDays,
            overlapDays: spec.overlapDays ?? apiKeys.overlapDays,
          },
        }),
    maxLifetimeDays: apiKeys.maxLifetimeDays,
    name: `${config.namePrefix}${ctx.stack}-${key}`,
    ...(spec.description !== undefined ? { description: spec.description } : {}),
    tags: [...config.tags],
    // Plakar's "Region": the credential's own (the secrets' region); a secret provider reads the delivered secrets.
    ...(spec.region !== undefined
      ? { region: spec.region }
      : useCase === SECRET_PROVIDER && sm
        ? { region: sm.region }
        : {}),
    ...(delivered && sm && smId
      ? {
          delivery: {
            projectId: smId,
            region: sm.region,
            path: `${sm.pathPrefix === "/" ? "" : sm.pathPrefix}/${ctx.stack}`,
          },
        }
      : {}),
    ...(spec.retire ? { retire: true } : {}),
    ...(spec.adopt ? { adopt: { ...spec.adopt } } : {}),
  };
  // The component's own checks, as its constructor runs them, with this config's key paths and aliases. A
  // credential whose projects the stack could not resolve is still checked, so one run shows everything to fix.
  // Projects the stack could not resolve are not known to the component's checks (the stack reported them).
  const values: Record<string, unknown> = {
    ...args,
    ...(spec.rules === undefined && projects === undefined ? { projectIds: UNKNOWN } : {}),
    ...(rules !== undefined
      ? { rules: rules.map((rule, i) => (ruleScopes?.[i] === undefined ? { ...rule, projectIds: UNKNOWN } : rule)) }
      : {}),
    ...(spec.stagingProject !== undefined && staging === undefined ? { stagingProjectId: UNKNOWN } : {}),
    ...(spec.preferredProject !== undefined && preferred === undefined ? { preferredProjectId: UNKNOWN } : {}),
  };
  const own = new Issues();
  if (sm) labels.set("delivery.projectId", sm.project);
  const naming = namingFor(key, spec, labels);
  const credentialSpec = specFor(kind, key, ctx.stack, values, naming, own);
  const resolved = checkCredential(credentialSpec, ctx, own);
  for (const issue of [...own.list, ...later.list]) issues.add(issue.path, issue.message);
  if (!resolved || own.count > 0 || later.count > 0) return undefined;
  return { key, kind, args, resolved, paths: naming.paths };
}

/** Plakar reads delivered secrets through its secret provider: some secret-provider credential must reach them. */
function checkDeliveryCoverage(config: StackConfig, credentials: readonly StackCredential[], issues: Issues): void {
  const sm = config.secretManager;
  if (!sm) return;
  const smId = projectId(config, sm.project);
  // A secret-provider credential with its own errors is reported already: fix that first.
  const brokenProvider = Object.entries(config.credentials).some(
    ([key, spec]) => spec.preset === SECRET_PROVIDER && !credentials.some((c) => c.key === key),
  );
  if (brokenProvider) return;
  const providers = credentials.filter((c) => c.resolved.useCase === SECRET_PROVIDER);
  // A provider reads one region: the delivered secrets' (its own region, when it sets one, must be that one).
  const inRegion = (c: StackCredential) => (config.credentials[c.key].region ?? sm.region) === sm.region;
  const covers = (c: StackCredential) =>
    inRegion(c) && (c.resolved.projects === "*" || c.resolved.projects.some((p) => p.id === smId));
  if (providers.some(covers)) return;
  for (const c of credentials.filter((x) => x.resolved.delivery)) {
    const fix =
      providers.length > 0
        ? `add "${sm.project}" to the projects of secret-provider credential "${providers[0].key}" (in region ${sm.region})`
        : `add a credential with preset: secret-provider and projects: [${sm.project}]`;
    issues.add(
      `credentials.${c.key}.deliver`,
      `credential "${c.key}" is delivered to Secret Manager project "${sm.project}", but no secret-provider credential covers project "${sm.project}", so Plakar could not read it: ${fix}`,
    );
  }
}
