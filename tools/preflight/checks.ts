/**
 * Preflight's judgement: the stack's resolved target against what the live organization holds (read by
 * scalewayOrg.ts). Pure functions, one per check, each returning one finding per line to print. An `error` means
 * `pulumi up` would fail or grant more than the stack says; a `warn` needs a person's attention but blocks nothing.
 */
import type { Catalog } from "../../components/domain/catalog";
import { compare } from "../../components/domain/credential";
import type { Preset } from "../../components/domain/schema";
import type { ResolvedCredential, SpecPaths } from "../../components/domain/credential";

/** A credential of the stack as preflight judges it: what its component is checked to make, and its config. */
export type StackCredential = ResolvedCredential & {
  readonly key: string;
  readonly retired: boolean;
  readonly adopt?: { readonly applicationId: string; readonly policyId: string };
  readonly paths: SpecPaths;
};

/** The stack as preflight judges it. */
export interface ResolvedStack {
  readonly stack: string;
  readonly organizationId: string;
  readonly credentials: readonly StackCredential[];
}
import type { Application, ApiKey, HeldRule, Identity, LiveOrganization, Policy, PolicyRule } from "./organization";

export type Level = "ok" | "warn" | "error";

export type CheckName =
  | "organization"
  | "projects"
  | "permission-sets"
  | "catalog"
  | "quotas"
  | "key-lifetime"
  | "rights"
  | "existing"
  | "adoption";

export interface Finding {
  readonly level: Level;
  readonly check: CheckName;
  /** The config key the finding is about, when one applies. */
  readonly path?: string;
  readonly message: string;
}

/** The target, as preflight needs it. */
export interface StackUnderCheck {
  readonly resolved: ResolvedStack;
  /** Every declared project: alias and ID (lower case). */
  readonly projects: readonly { readonly alias: string; readonly id: string }[];
  readonly catalog: Catalog;
  readonly presets: ReadonlyMap<string, Preset>;
  /** The time the target is made at. */
  readonly now: Date;
}

const finding = (level: Level, check: CheckName, message: string, path?: string): Finding => ({
  level,
  check,
  ...(path !== undefined ? { path } : {}),
  message,
});

function describeIdentity(identity: Identity): string {
  return `${identity.kind} "${identity.name}" (${identity.id})`;
}

/** The credentials must belong to the stack's organization; the SDK's default organization should too. */
export function checkOrganization(
  target: StackUnderCheck,
  identity: Identity,
  defaultOrganization?: { readonly id: string; readonly source: string },
): Finding[] {
  const wanted = target.resolved.organizationId;
  const out: Finding[] = [];
  if (identity.organizationId.toLowerCase() !== wanted) {
    out.push(
      finding(
        "error",
        "organization",
        `the credentials (${describeIdentity(identity)}) belong to organization ${identity.organizationId}, not ${wanted}: use a key of organization ${wanted}, or fix organizationId`,
        "organizationId",
      ),
    );
  } else {
    out.push(
      finding(
        "ok",
        "organization",
        `the credentials (${describeIdentity(identity)}) belong to organization ${wanted}`,
        "organizationId",
      ),
    );
  }
  if (defaultOrganization && defaultOrganization.id !== wanted) {
    out.push(
      finding(
        "warn",
        "organization",
        `${defaultOrganization.source} names organization ${defaultOrganization.id}, not ${wanted}: the provider's default organization differs from the stack's`,
        "organizationId",
      ),
    );
  }
  return out;
}

/** Every declared project exists and belongs to the organization. */
export function checkProjects(target: StackUnderCheck, live: LiveOrganization): Finding[] {
  const org = target.resolved.organizationId;
  const byId = new Map(live.projects.map((p) => [p.id.toLowerCase(), p]));
  return target.projects.map(({ alias, id }) => {
    const path = `projects.${alias}`;
    const project = byId.get(id);
    if (project) return finding("ok", "projects", `${id} is project "${project.name}"`, path);
    const outside = live.outside.get(id);
    if (outside?.kind === "other-organization" && outside.project.organizationId.toLowerCase() !== org) {
      return finding(
        "error",
        "projects",
        `${id} is project "${outside.project.name}" of organization ${outside.project.organizationId}, not of ${org}: use a project of this organization`,
        path,
      );
    }
    return finding(
      "error",
      "projects",
      `no project ${id} in organization ${org}: fix the ID (the console's project settings, or scw account project list)`,
      path,
    );
  });
}

const LIVE_SCOPE: Record<string, "project" | "organization" | undefined> = {
  projects: "project",
  organization: "organization",
};

/** Where a credential's set comes from: its preset, or its own list. */
function setPath(c: StackCredential, set: string, presets: ReadonlyMap<string, Preset>): string {
  const preset = presets.get(c.useCase);
  return preset?.permissionSets.includes(set) ? `credentials.${c.key}.preset` : `credentials.${c.key}.permissionSets`;
}

/** Every set the stack grants exists live with the catalog's scope; the catalog itself matches the live list. */
export function checkPermissionSets(
  target: StackUnderCheck,
  live: LiveOrganization,
  catalogUpdated: boolean,
): Finding[] {
  const liveSets = new Map(live.permissionSets.map((s) => [s.name, s]));
  const out: Finding[] = [];
  const used = new Set<string>();
  for (const c of target.resolved.credentials) {
    for (const set of c.permissionSets) {
      used.add(set);
      const path = setPath(c, set, target.presets);
      const got = liveSets.get(set);
      const scope = target.catalog.get(set)?.scope;
      if (!got) {
        out.push(
          finding(
            "error",
            "permission-sets",
            `"${set}" is not in the organization's live list of ${liveSets.size} permission sets (renamed or retired?): the policy would be refused; see npm run --silent preflight -- --update-catalog`,
            path,
          ),
        );
      } else if (LIVE_SCOPE[got.scopeType] !== scope) {
        out.push(
          finding(
            "error",
            "permission-sets",
            `"${set}" is ${got.scopeType}-scoped in the live list, but ${scope}-scoped in presets/permission-sets.tsv: the policy's rule would be refused`,
            path,
          ),
        );
      }
    }
  }
  if (!out.some((f) => f.level === "error")) {
    const names = [...used].sort(compare);
    out.push(
      finding(
        "ok",
        "permission-sets",
        `the ${names.length} permission sets the stack grants exist, project-scoped: ${names.join(", ")}`,
      ),
    );
  }
  out.push(catalogDrift(target.catalog, live, catalogUpdated));
  return out;
}

function catalogDrift(catalog: Catalog, live: LiveOrganization, updated: boolean): Finding {
  const path = "presets/permission-sets.tsv";
  if (updated) {
    return finding("ok", "catalog", `rewritten from the live list (${live.permissionSets.length} sets)`, path);
  }
  const liveScopes = new Map(live.permissionSets.map((s) => [s.name, LIVE_SCOPE[s.scopeType]]));
  const added = [...liveScopes.keys()].filter((n) => !catalog.has(n) && liveScopes.get(n) !== undefined);
  const gone = [...catalog.keys()].filter((n) => !liveScopes.has(n));
  const changed = [...catalog.values()].filter((s) => liveScopes.has(s.name) && liveScopes.get(s.name) !== s.scope);
  if (added.length + gone.length + changed.length === 0) {
    return finding("ok", "catalog", `matches the live list (${catalog.size} sets)`, path);
  }
  const parts = [
    added.length ? `${added.length} new (${added.sort(compare).join(", ")})` : "",
    gone.length ? `${gone.length} gone (${gone.sort(compare).join(", ")})` : "",
    changed.length ? `${changed.length} with another scope (${changed.map((s) => s.name).join(", ")})` : "",
  ].filter(Boolean);
  return finding(
    "warn",
    "catalog",
    `differs from the live list: ${parts.join("; ")}: run npm run --silent preflight -- --update-catalog`,
    path,
  );
}

const MANAGED_TAG = "managed-by=pulumi";

/** Made by this stack: the tags every resource of the stack carries. */
function ownedByStack(resource: { tags: string[] }, stack: string): boolean {
  return resource.tags.includes(MANAGED_TAG) && resource.tags.includes(`stack=${stack}`);
}

/** Keys the stack issued on an application: their descriptions start with the credential's. */
function issuedByStack(key: ApiKey, c: StackCredential): boolean {
  return key.description === c.description || key.description.startsWith(`${c.description} (generation `);
}

/** What the stack already has of one credential in the organization. */
interface Owned {
  readonly applications: readonly Application[];
  readonly policies: readonly Policy[];
  readonly keys: readonly ApiKey[];
}

function ownedOf(c: StackCredential, stack: string, live: LiveOrganization): Owned {
  const adopt = c.adopt;
  const applications = live.applications.filter(
    (a) => a.id === adopt?.applicationId || (a.name === c.name && ownedByStack(a, stack)),
  );
  const policies = live.policies.filter(
    (p) => p.id === adopt?.policyId || (p.name === c.name && ownedByStack(p, stack)),
  );
  const appIds = new Set(applications.map((a) => a.id));
  const keys = live.apiKeys.filter(
    (k) => k.applicationId !== undefined && appIds.has(k.applicationId) && issuedByStack(k, c),
  );
  return { applications, policies, keys };
}

/** The IAM quotas the stack consumes, and how much of each one credential holds at its peak. */
const QUOTAS = [
  { name: "applications", what: "applications", peak: () => 1, owned: (o: Owned) => o.applications.length },
  { name: "policies", what: "policies", peak: () => 1, owned: (o: Owned) => o.policies.length },
  {
    name: "api_keys",
    what: "API keys",
    // A rotating credential holds the current and the previous key during the overlap; a retired one, none.
    peak: (c: StackCredential) => (c.retired ? 0 : c.expiry.kind === "rotation" ? 2 : 1),
    owned: (o: Owned) => o.keys.length,
  },
] as const;

function usage(name: string, live: LiveOrganization): number {
  if (name === "applications") return live.applications.length;
  if (name === "policies") return live.policies.length;
  return live.apiKeys.length;
}

/** What exists now, plus what the stack adds at its peak (minus what it already holds), fits each IAM quota. */
export function checkQuotas(target: StackUnderCheck, live: LiveOrganization): Finding[] {
  const stack = target.resolved.stack;
  const owned = target.resolved.credentials.map((c) => [c, ownedOf(c, stack, live)] as const);
  return QUOTAS.map((q) => {
    const existing = usage(q.name, live);
    const more = owned.reduce((sum, [c, o]) => sum + Math.max(0, q.peak(c) - q.owned(o)), 0);
    const total = existing + more;
    const quotum = live.quotas.find((x) => x.name === q.name);
    const path = `quota ${q.name}`;
    if (!quotum) {
      return finding("warn", "quotas", `the organization reports no quota named ${q.name}: not checked`, undefined);
    }
    const global = quotum.limits?.find((l) => l.global) ?? quotum.limits?.[0];
    const unlimited = quotum.unlimited ?? global?.unlimited ?? false;
    const limit = quotum.limit ?? global?.limit;
    const sum = `${existing} ${q.what} exist + ${more} more at the stack's peak = ${total}`;
    if (unlimited || limit === undefined) {
      return finding("ok", "quotas", `${path}: ${sum}, unlimited`);
    }
    if (total > limit) {
      return finding(
        "error",
        "quotas",
        `${path}: ${sum}, over the organization's limit of ${limit}: delete unused ${q.what}, or ask Scaleway support to raise the quota`,
      );
    }
    return finding("ok", "quotas", `${path}: ${sum}, within the limit of ${limit}`);
  });
}

/** Seconds of a protobuf duration as Scaleway sends it ("2592000s", "1.5s"); undefined when it is not one. */
export function durationSeconds(text: string): number | undefined {
  const m = /^(\d+(?:\.\d+)?)s$/.exec(text.trim());
  return m ? Number(m[1]) : undefined;
}

const DAY_S = 86_400;

/** The longest life any key of the credential is created with. */
function longestKeyDays(c: StackCredential, now: Date): number {
  if (c.expiry.kind === "rotation") return c.expiry.rotateEveryDays + c.expiry.overlapDays;
  return (Date.parse(c.expiry.expiresAt) - now.getTime()) / (DAY_S * 1000);
}

/** The organization's maximum API key lifetime is at least every lifetime the target creates keys with. */
export function checkKeyLifetime(target: StackUnderCheck, live: LiveOrganization): Finding[] {
  const raw = live.maxApiKeyExpiration;
  const capSeconds = raw === undefined ? 0 : durationSeconds(raw);
  if (capSeconds === undefined) {
    return [
      finding(
        "warn",
        "key-lifetime",
        `the organization's maximum API key lifetime "${raw}" is not a duration: not checked`,
      ),
    ];
  }
  if (capSeconds === 0) {
    return [finding("ok", "key-lifetime", "the organization sets no maximum API key lifetime")];
  }
  const capDays = capSeconds / DAY_S;
  const capText = `${Number.isInteger(capDays) ? capDays : capDays.toFixed(2)} days`;
  const out: Finding[] = [];
  for (const c of target.resolved.credentials) {
    // A retired credential creates no key: no lifetime to fit under the cap.
    if (c.retired) continue;
    const days = longestKeyDays(c, target.now);
    if (days * DAY_S <= capSeconds) continue;
    if (c.expiry.kind === "rotation") {
      const overlap = Math.max(1, Math.min(c.expiry.overlapDays, Math.floor(capDays / 7)));
      const rotate = Math.floor(capDays) - overlap;
      const fix =
        rotate > overlap
          ? `rotate more often, e.g. rotateEveryDays: ${rotate} and overlapDays: ${overlap}`
          : "the cap is too short for rotation with an overlap: pin expiresAt instead";
      out.push(
        finding(
          "error",
          "key-lifetime",
          `keys of "${c.key}" live up to ${days} days (rotateEveryDays ${c.expiry.rotateEveryDays} + overlapDays ${c.expiry.overlapDays}), but the organization caps API keys at ${capText}: Scaleway would refuse the key; ${fix}`,
          c.paths.rotateEveryDays,
        ),
      );
    } else {
      out.push(
        finding(
          "error",
          "key-lifetime",
          `the key of "${c.key}" expires ${c.expiry.expiresAt}, ${Math.ceil(days)} days from now, but the organization caps API keys at ${capText}: Scaleway would refuse the key; set an earlier expiresAt`,
          c.paths.expiresAt,
        ),
      );
    }
  }
  if (out.length === 0) {
    const longest = Math.max(...target.resolved.credentials.map((c) => longestKeyDays(c, target.now)));
    out.push(
      finding(
        "ok",
        "key-lifetime",
        `every key lives at most ${Math.ceil(longest)} days, within the organization's cap of ${capText}`,
      ),
    );
  }
  return out;
}

/** Permission sets that grant each right the deployment needs (any one of them does). */
const RIGHTS = [
  { what: "manage applications", sets: ["IAMManager", "IAMApplicationManager"] },
  { what: "manage policies", sets: ["IAMManager", "IAMPolicyManager"] },
  { what: "manage API keys", sets: ["IAMManager", "IAMApplicationManager"] },
] as const;

/** Writing a delivered secret: one of these sets, or all the fine-grained ones below. */
const SECRET_FULL = ["SecretManagerFullAccess", "AllProductsFullAccess"];
const SECRET_PARTS = ["SecretManagerReadOnly", "SecretManagerSecretCreate", "SecretManagerSecretWrite"];

/** Rules of an organization-wide scope, or reaching the project. */
function rulesCovering(rules: readonly HeldRule[], organizationId: string, projectId?: string): HeldRule[] {
  return rules.filter(({ rule }) => {
    if (rule.organizationId?.toLowerCase() === organizationId) return true;
    return projectId !== undefined && (rule.projectIds ?? []).some((id) => id.toLowerCase() === projectId);
  });
}

function grantsOf(held: readonly HeldRule[], sets: readonly string[]): HeldRule | undefined {
  return held.find(({ rule }) => (rule.permissionSetNames ?? []).some((s) => sets.includes(s)));
}

/** The deploying identity holds, through its own or its groups' policies, every right `pulumi up` will use. */
export function checkRights(target: StackUnderCheck, live: LiveOrganization, deployerFlag: boolean): Finding[] {
  const { identity, rules } = live.deployer;
  const who = `${deployerFlag ? "the deployer, " : "the credentials' "}${describeIdentity(identity)}`;
  if (identity.owner) {
    return [finding("ok", "rights", `${who} owns the organization: it holds every right`)];
  }
  const org = target.resolved.organizationId;
  const out: Finding[] = [];
  const orgRules = rulesCovering(rules, org).filter(({ rule }) => rule.organizationId !== undefined);
  for (const right of RIGHTS) {
    const grant = grantsOf(orgRules, right.sets);
    if (grant) {
      out.push(finding("ok", "rights", `${who} may ${right.what}: ${grantText(grant, right.sets)}`));
      if (grant.rule.condition) out.push(conditional(who, right.what, grant));
    } else {
      out.push(
        finding(
          "error",
          "rights",
          `${who} cannot ${right.what}: none of its policies (its own or its groups') grants ${right.sets.join(" or ")} on organization ${org}; give it a policy rule on the organization with IAMManager (docs/ci.md)`,
        ),
      );
    }
  }
  const deliveryProjects = new Map<string, string>();
  for (const c of target.resolved.credentials) {
    if (c.delivery) deliveryProjects.set(c.delivery.project.id.toLowerCase(), c.delivery.project.label);
  }
  for (const [projectId, alias] of deliveryProjects) {
    const covering = rulesCovering(rules, org, projectId).filter(
      ({ rule }) => rule.permissionSetsScopeType !== "organization",
    );
    const full = grantsOf(covering, SECRET_FULL);
    const names = new Set(covering.flatMap(({ rule }) => rule.permissionSetNames ?? []));
    const path = "secretManager.project";
    if (full) {
      out.push(
        finding("ok", "rights", `${who} may write secrets in project ${alias}: ${grantText(full, SECRET_FULL)}`, path),
      );
      if (full.rule.condition) out.push(conditional(who, `write secrets in project ${alias}`, full));
    } else if (SECRET_PARTS.every((s) => names.has(s))) {
      out.push(
        finding("ok", "rights", `${who} may write secrets in project ${alias}: ${SECRET_PARTS.join(", ")}`, path),
      );
    } else {
      out.push(
        finding(
          "error",
          "rights",
          `${who} cannot write secrets in project ${alias} (${projectId}), where credentials are delivered: give it SecretManagerFullAccess on that project`,
          path,
        ),
      );
    }
  }
  return out;
}

function grantText(held: HeldRule, sets: readonly string[]): string {
  const set = (held.rule.permissionSetNames ?? []).find((s) => sets.includes(s));
  return `${set} through policy "${held.policy.name}"`;
}

function conditional(who: string, what: string, held: HeldRule): Finding {
  return finding(
    "warn",
    "rights",
    `${who} may ${what} only when the condition of policy "${held.policy.name}" holds (${held.rule.condition}): make sure it holds where pulumi up runs`,
  );
}

/** Applications and policies named like a credential that the stack neither made nor adopts. */
export function checkExisting(target: StackUnderCheck, live: LiveOrganization): Finding[] {
  const stack = target.resolved.stack;
  const out: Finding[] = [];
  for (const c of target.resolved.credentials) {
    const path = `credentials.${c.key}`;
    const adopted = new Set([c.adopt?.applicationId, c.adopt?.policyId].filter((x): x is string => x !== undefined));
    const apps = live.applications.filter((a) => a.name === c.name && !adopted.has(a.id));
    const policies = live.policies.filter((p) => p.name === c.name && !adopted.has(p.id));
    const strayApps = apps.filter((a) => !ownedByStack(a, stack));
    const strayPolicies = policies.filter((p) => !ownedByStack(p, stack));
    for (const app of strayApps) {
      const policy =
        live.policies.find((p) => p.applicationId === app.id && p.name === c.name) ??
        live.policies.find((p) => p.applicationId === app.id);
      const keys = live.apiKeys.filter((k) => k.applicationId === app.id).length;
      out.push(
        finding(
          "error",
          "existing",
          `application "${c.name}" (${app.id}, ${keys} API key${keys === 1 ? "" : "s"}) exists and is not this stack's: pulumi up would create a second one beside it, and its keys would stay valid. To take it over, set ${path}.adopt: { applicationId: ${app.id}, policyId: ${policy?.id ?? "<its policy's ID>"} } (README: Adopting credentials made by hand)`,
          path,
        ),
      );
    }
    for (const policy of strayPolicies) {
      if (strayApps.some((a) => a.id === policy.applicationId)) continue;
      out.push(
        finding(
          "error",
          "existing",
          `policy "${c.name}" (${policy.id}) exists and is not this stack's: pulumi up would create a second one beside it. To take it over, set ${path}.adopt: { applicationId: ${policy.applicationId ?? "<its application's ID>"}, policyId: ${policy.id} }`,
          path,
        ),
      );
    }
    const mine = apps.length - strayApps.length + policies.length - strayPolicies.length;
    if (strayApps.length + strayPolicies.length === 0 && !c.adopt) {
      out.push(
        finding(
          "ok",
          "existing",
          mine > 0
            ? `the application and policy named "${c.name}" are this stack's (tags ${MANAGED_TAG}, stack=${stack})`
            : `no application or policy named "${c.name}" yet: pulumi up creates them`,
          path,
        ),
      );
    }
  }
  return out;
}

/** A normalised rule: what decides whether an imported policy matches the target. */
function ruleKey(rule: {
  projectIds?: readonly string[];
  organizationId?: string;
  permissionSetNames?: readonly string[];
  condition?: string;
}): string {
  const scope = rule.organizationId
    ? `organization ${rule.organizationId.toLowerCase()}`
    : `projects [${[...(rule.projectIds ?? [])]
        .map((p) => p.toLowerCase())
        .sort(compare)
        .join(", ")}]`;
  const sets = [...(rule.permissionSetNames ?? [])].sort(compare).join(", ");
  return `${scope}: ${sets}${rule.condition ? ` when ${rule.condition}` : ""}`;
}

const sameTags = (a: readonly string[], b: readonly string[]) =>
  JSON.stringify([...a].sort(compare)) === JSON.stringify([...b].sort(compare));

/**
 * For each credential to adopt: the application and policy exist in the organization, and each property Pulumi's
 * import compares matches the target (an import with any difference fails). Then the keys made by hand, to revoke.
 */
export function checkAdoption(target: StackUnderCheck, live: LiveOrganization): Finding[] {
  const out: Finding[] = [];
  const org = target.resolved.organizationId;
  for (const c of target.resolved.credentials) {
    const adopt = c.adopt;
    if (!adopt) continue;
    const base = `credentials.${c.key}.adopt`;
    const before = out.length;
    const app = live.applications.find((a) => a.id === adopt.applicationId);
    const policy = live.policies.find((p) => p.id === adopt.policyId);
    const diff = (path: string, what: string, got: string, want: string) =>
      out.push(
        finding(
          "error",
          "adoption",
          `${what} is ${got}; the stack declares ${want}: the import would fail on this difference: change it to the declared value first`,
          path,
        ),
      );
    if (!app) {
      out.push(
        finding(
          "error",
          "adoption",
          `no application ${adopt.applicationId} in organization ${org}: the import would fail; check the ID (console: IAM, Applications)`,
          `${base}.applicationId`,
        ),
      );
    } else {
      const p = `${base}.applicationId`;
      if (app.name !== c.name)
        diff(p, `application ${app.id}'s name`, JSON.stringify(app.name), JSON.stringify(c.name));
      if (app.description !== c.description) {
        diff(p, `application ${app.id}'s description`, JSON.stringify(app.description), JSON.stringify(c.description));
      }
      if (!sameTags(app.tags, c.tags)) {
        diff(p, `application ${app.id}'s tags`, `[${app.tags.join(", ")}]`, `[${c.tags.join(", ")}]`);
      }
    }
    if (!policy) {
      out.push(
        finding(
          "error",
          "adoption",
          `no policy ${adopt.policyId} in organization ${org}: the import would fail; check the ID (console: IAM, Policies)`,
          `${base}.policyId`,
        ),
      );
    } else {
      const p = `${base}.policyId`;
      if (policy.applicationId !== adopt.applicationId) {
        const principal = policy.applicationId
          ? `application ${policy.applicationId}`
          : policy.userId
            ? `user ${policy.userId}`
            : policy.groupId
              ? `group ${policy.groupId}`
              : "no principal";
        diff(p, `policy ${policy.id}'s principal`, principal, `application ${adopt.applicationId}`);
      }
      if (policy.name !== c.name)
        diff(p, `policy ${policy.id}'s name`, JSON.stringify(policy.name), JSON.stringify(c.name));
      if (policy.description !== c.description) {
        diff(p, `policy ${policy.id}'s description`, JSON.stringify(policy.description), JSON.stringify(c.description));
      }
      if (!sameTags(policy.tags, c.tags)) {
        diff(p, `policy ${policy.id}'s tags`, `[${policy.tags.join(", ")}]`, `[${c.tags.join(", ")}]`);
      }
      const liveRules = (live.adoptedRules.get(policy.id) ?? []).map((r: PolicyRule) => ruleKey(r)).sort(compare);
      const planned = c.rules.map((r) => ruleKey(r)).sort(compare);
      if (JSON.stringify(liveRules) !== JSON.stringify(planned)) {
        diff(p, `policy ${policy.id}'s rules`, `[${liveRules.join("; ")}]`, `[${planned.join("; ")}]`);
      }
    }
    if (out.length === before) {
      out.push(
        finding(
          "ok",
          "adoption",
          `application ${adopt.applicationId} and policy ${adopt.policyId} match the stack: pulumi up imports them`,
          base,
        ),
      );
    }
    for (const key of live.apiKeys.filter((k) => k.applicationId === adopt.applicationId && !issuedByStack(k, c))) {
      const expires = key.expiresAt ? `expires ${key.expiresAt.toISOString()}` : "never expires";
      out.push(
        finding(
          "warn",
          "adoption",
          `key ${key.accessKey} of application ${adopt.applicationId} ("${key.description}", ${expires}) was made by hand and is not adopted: once Plakar uses the stack's new key, revoke it (console, or scw iam api-key delete ${key.accessKey})`,
          base,
        ),
      );
    }
  }
  return out;
}

/** Every check, in the order they are printed. */
export function runChecks(
  target: StackUnderCheck,
  live: LiveOrganization,
  options: { readonly catalogUpdated: boolean; readonly deployerFlag: boolean },
): Finding[] {
  return [
    ...checkProjects(target, live),
    ...checkPermissionSets(target, live, options.catalogUpdated),
    ...checkQuotas(target, live),
    ...checkKeyLifetime(target, live),
    ...checkRights(target, live, options.deployerFlag),
    ...checkExisting(target, live),
    ...checkAdoption(target, live),
  ];
}
