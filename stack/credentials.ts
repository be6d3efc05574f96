/**
 * The stack config, checked and resolved: project aliases become IDs, stack-wide defaults (apiKeys, secretManager,
 * tags, namePrefix) are applied, and each credential becomes a CredentialSpec resolved by credential.ts. Every
 * problem is reported with its config key path, before a single resource is registered.
 */
import type { z } from "zod";
import {
  CUSTOM_USE_CASE,
  checkCredential,
  compare,
  type CredentialSpec,
  type ResolveContext,
} from "../components/domain/credential";
import {
  type ResolvedCredential,
  type RuleSpec,
  SECRET_PROVIDER,
  type SpecPaths,
} from "../components/domain/credential";
import { ConfigError, type ConfigIssue, formatPath, Issues } from "../components/domain/errors";
import { isoSeconds } from "../components/domain/rotation";
import {
  AdoptSchema,
  type CredentialConfig,
  CREDENTIAL_NAME,
  KNOWN_KEYS,
  PROJECT_ALIAS,
  SCALEWAY_NAME,
  type StackConfig,
  StackConfigSchema,
} from "../components/domain/schema";
import type { ProjectRef } from "../components/domain/scope";
import { didYouMean } from "../components/domain/suggest";
import { UNKNOWN } from "../components/domain/unknown";

export interface StackContext extends ResolveContext {
  /** The Pulumi stack name (`staging`, `prod`, ...). */
  readonly stack: string;
}

/** One credential of the stack: its config key, and the spec the component is built from. */
export interface StackCredential extends ResolvedCredential {
  /** The credential's config key; also the component's name. */
  readonly key: string;
  /** Retired: its keys are revoked, its other resources unprotected so that removing it deletes them cleanly. */
  readonly retired: boolean;
  /** The application and policy to import instead of creating them (`adopt`). */
  readonly adopt?: { readonly applicationId: string; readonly policyId: string };
}

export interface ResolvedStack {
  readonly stack: string;
  readonly now: string;
  readonly organizationId: string;
  /** Pulumi `protect` on applications, policies and delivered secrets (never on keys). */
  readonly protect: boolean;
  readonly credentials: readonly StackCredential[];
  /** The specs the components are built from, by credential key. */
  readonly specs: ReadonlyMap<string, CredentialSpec>;
}

/** Validates raw config (the project's namespace, keys without prefix) and resolves every credential. */
export function resolveStack(raw: unknown, ctx: StackContext): ResolvedStack {
  const reserved = reservedKeys(raw);
  if (reserved.length > 0) throw new ConfigError(reserved);
  const conflict = pinnedWithRotation(raw);
  const parsed = StackConfigSchema.safeParse(raw);
  if (!parsed.success) throw new ConfigError([...zodIssues(parsed.error), ...(conflict ? [conflict] : [])]);
  if (conflict) throw new ConfigError([conflict]);
  const config = parsed.data;
  const issues = new Issues();
  checkStackWide(config, issues);
  const specs = new Map<string, CredentialSpec>();
  const credentials: StackCredential[] = [];
  for (const key of Object.keys(config.credentials).sort(compare)) {
    const spec = credentialSpec(key, config.credentials[key], config, ctx, issues);
    if (!spec) continue;
    const resolved = checkCredential(spec, ctx, issues);
    if (!resolved) continue;
    specs.set(key, spec);
    const adopt = config.credentials[key].adopt;
    credentials.push({ key, retired: config.credentials[key].retire, ...resolved, ...(adopt ? { adopt } : {}) });
  }
  checkDeliveryCoverage(config, credentials, issues);
  if (issues.count > 0) throw new ConfigError(issues.list);
  return {
    stack: ctx.stack,
    now: isoSeconds(ctx.now.getTime()),
    organizationId: config.organizationId,
    protect: config.protect ?? ctx.stack === "prod",
    credentials,
    specs,
  };
}

function knownKeysAt(path: readonly PropertyKey[]): readonly string[] {
  if (path.length === 0) return KNOWN_KEYS.top;
  if (path[0] === "credentials" && path.length === 2) return KNOWN_KEYS.credential;
  if (path[0] === "credentials" && path.length === 3 && path[2] === "adopt") return Object.keys(AdoptSchema.shape);
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

function declaredAliases(config: StackConfig): string[] {
  return Object.keys(config.projects).sort(compare);
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
      `unknown project alias "${sm.project}"${didYouMean(sm.project, Object.keys(config.projects))}; declared aliases: ${declaredAliases(config).join(", ")}`,
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

/** The projects at `path`, as IDs with their aliases; undefined (and issues) when one is unknown. */
function resolveAliases(
  key: string,
  projects: NonNullable<CredentialConfig["projects"]>,
  path: string,
  config: StackConfig,
  issues: Issues,
) {
  if (projects === "*") {
    if (!config.allowAllProjects) {
      issues.add(
        path,
        `"*" grants every current and future project of the organization; set plakar-scaleway-iam:allowAllProjects: true to allow it, or list project aliases`,
      );
      return undefined;
    }
    return "*" as const;
  }
  const refs: ProjectRef[] = [];
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
      const declared = declaredAliases(config);
      issues.add(
        `${path}[${i}]`,
        `credential "${key}" names unknown project alias "${alias}"${didYouMean(alias, declared)}; declared aliases: ${declared.join(", ")}`,
      );
    } else if (!refs.some((r) => r.label === alias)) {
      refs.push({ id, label: alias });
    }
  });
  return ok ? refs : undefined;
}

/** The spec of one credential; undefined when a stack-only check (name, aliases, delivery set-up) refuses it. */
function credentialSpec(
  key: string,
  spec: CredentialConfig,
  config: StackConfig,
  ctx: StackContext,
  issues: Issues,
): CredentialSpec | undefined {
  const before = issues.count;
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
  // Reported after the credential's own checks, in the order of a credential's keys.
  const later = new Issues();
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
    spec.projects !== undefined
      ? resolveAliases(key, spec.projects, `${path}.projects`, config, later)
      : spec.rules !== undefined
        ? []
        : undefined;
  const rules = spec.rules?.map((rule, i) => ruleSpec(key, rule, `${path}.rules[${i}]`, config, later));
  let staging: ProjectRef | undefined;
  if (spec.stagingProject !== undefined) {
    const id = projectId(config, spec.stagingProject);
    if (id === undefined) {
      const declared = declaredAliases(config);
      later.add(
        `${path}.stagingProject`,
        `credential "${key}" names unknown project alias "${spec.stagingProject}"${didYouMean(spec.stagingProject, declared)}; declared aliases: ${declared.join(", ")}`,
      );
    } else staging = { id, label: spec.stagingProject };
  }
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
  if (apiKeys.expiresAt !== undefined && spec.expiresAt === undefined && rotationOverride) {
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
  // The component checks the rest; a credential refused here would only repeat the same problems there.
  const refused = issues.count > before || later.count > 0;
  const allDeclared = Object.entries(config.projects).map(([alias, id]) => ({ id, label: alias }));
  const credential: CredentialSpec = {
    resourceName: key,
    stack: ctx.stack,
    organizationId: config.organizationId,
    scope: projects === "*" ? { kind: "organization" } : { kind: "projects", projects: projects ?? [] },
    ...(spec.preset !== undefined ? { preset: spec.preset } : {}),
    ...(spec.permissionSets !== undefined ? { permissionSets: spec.permissionSets } : {}),
    ...(spec.stagingProject !== undefined ? { stagingProject: staging ?? UNKNOWN } : {}),
    ...(rules !== undefined ? { rules } : {}),
    ...(spec.preferredProject !== undefined ? { preferredProject: spec.preferredProject } : {}),
    ...(projects === "*" ? { preferredCandidates: allDeclared } : {}),
    expiry:
      pinned !== undefined
        ? { kind: "pinned", expiresAt: pinned }
        : {
            kind: "rotation",
            rotateEveryDays: spec.rotateEveryDays ?? apiKeys.rotateEveryDays,
            overlapDays: spec.overlapDays ?? apiKeys.overlapDays,
          },
    maxLifetimeDays: apiKeys.maxLifetimeDays,
    name: `${config.namePrefix}${ctx.stack}-${key}`,
    ...(spec.description !== undefined ? { purpose: spec.description } : {}),
    tags: config.tags,
    // Plakar's "Region": the credential's own (the secrets' region); a secret provider reads the delivered secrets.
    ...(spec.region !== undefined
      ? { region: spec.region }
      : useCase === SECRET_PROVIDER && sm
        ? { region: sm.region }
        : {}),
    ...(delivered && sm && smId
      ? {
          delivery: {
            project: { id: smId, label: sm.project },
            region: sm.region,
            folder: `${sm.pathPrefix === "/" ? "" : sm.pathPrefix}/${ctx.stack}`,
          },
        }
      : {}),
    paths: pathsFor(key, spec),
  };
  if (refused || projects === undefined) {
    // Still report what the credential's own checks find, so one run shows everything to fix.
    const scope: CredentialSpec["scope"] =
      projects === undefined ? { kind: "projects", projects: UNKNOWN } : credential.scope;
    checkCredential({ ...credential, scope }, ctx, issues);
    for (const issue of later.list) issues.add(issue.path, issue.message);
    return undefined;
  }
  return credential;
}

/** One rule of a credential: its aliases resolved (UNKNOWN, with issues, when one is not declared). */
function ruleSpec(
  key: string,
  rule: NonNullable<CredentialConfig["rules"]>[number],
  base: string,
  config: StackConfig,
  issues: Issues,
): RuleSpec {
  const projects = resolveAliases(key, rule.projects, `${base}.projects`, config, issues);
  return {
    scope:
      projects === "*"
        ? { kind: "organization" }
        : { kind: "projects", projects: projects === undefined ? UNKNOWN : projects },
    ...(rule.permissionSets !== undefined ? { permissionSets: rule.permissionSets } : {}),
    ...(rule.preset !== undefined ? { preset: rule.preset } : {}),
    ...(rule.part !== undefined ? { part: rule.part } : {}),
    paths: {
      base,
      projects: `${base}.projects`,
      permissionSets: `${base}.permissionSets`,
      preset: `${base}.preset`,
      part: `${base}.part`,
    },
  };
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
  const providers = credentials.filter((c) => c.useCase === SECRET_PROVIDER);
  // A provider reads one region: the delivered secrets' (its own region, when it sets one, must be that one).
  const inRegion = (c: StackCredential) => (config.credentials[c.key].region ?? sm.region) === sm.region;
  const covers = (c: StackCredential) => inRegion(c) && (c.projects === "*" || c.projects.some((p) => p.id === smId));
  if (providers.some(covers)) return;
  for (const c of credentials.filter((x) => x.delivery)) {
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
