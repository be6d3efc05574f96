/**
 * Preflight's judgement: the stack's resolved target (and, for adoption, the exact inputs the offline plan
 * registers) against what the live organization holds (read by organization.ts). Pure functions, one per check, each
 * returning one finding per line to print. An `error` means `pulumi up` would fail or grant more than the stack says,
 * or that preflight could not read what a check needs (it fails closed); a `warn` needs a person's attention but
 * blocks nothing. Every value read from the API is data: it is quoted and escaped before it reaches a message.
 */
import type { Catalog } from "../../components/domain/catalog";
import { compare } from "../../components/domain/credential";
import type { Preset } from "../../components/domain/schema";
import type { ResolvedCredential, SpecPaths } from "../../components/domain/credential";
import { escapeUnprintable, oneLine } from "../cli";
import type { DeployCredentials } from "./client";
import type {
  Application,
  ApiKey,
  HeldRule,
  Identity,
  LiveOrganization,
  Policy,
  PolicyRule,
  Secret,
} from "./organization";

/** A credential of the stack as preflight judges it: what its component is checked to make, and its config. */
export type StackCredential = ResolvedCredential & {
  readonly key: string;
  readonly retired: boolean;
  /** IDs in lower case. */
  readonly adopt?: { readonly applicationId: string; readonly policyId: string };
  readonly paths: SpecPaths;
};

/** The stack as preflight judges it. */
export interface ResolvedStack {
  readonly stack: string;
  readonly organizationId: string;
  readonly credentials: readonly StackCredential[];
}

/** A resource the offline plan registers with `import`: the ID it imports and the inputs it registers. */
export interface PlannedImport {
  readonly importId: string;
  /** The ID the plan's mocks gave it (what the plan's other inputs refer to it by). */
  readonly planId: string | null;
  readonly inputs: Readonly<Record<string, unknown>>;
}

/** What the offline plan registers for one adopted credential. */
export interface PlannedAdoption {
  readonly application?: PlannedImport;
  readonly policy?: PlannedImport;
}

export type Level = "ok" | "warn" | "error";

export type CheckName =
  | "organization"
  | "identity"
  | "projects"
  | "permission-sets"
  | "catalog"
  | "quotas"
  | "key-lifetime"
  | "rights"
  | "existing"
  | "secrets"
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
  /** What the offline plan registers for each adopted credential, by credential key. */
  readonly adoptions: ReadonlyMap<string, PlannedAdoption>;
}

/**
 * A finding. Its message and path are escaped whole (control, bidi, zero-width characters): values from the API are
 * already quoted where they appear, and nothing in a finding can start a new line.
 */
export const finding = (level: Level, check: CheckName, message: string, path?: string): Finding => ({
  level,
  check,
  ...(path !== undefined ? { path: escapeUnprintable(path) } : {}),
  message: escapeUnprintable(message),
});

/** A value read from the API, as a message shows it: quoted, escaped, on one line, truncated when long. */
export function shown(value: unknown): string {
  return `"${oneLine(String(value))}"`;
}

/** A list of values read from the API: `[a, b]`, each escaped. */
function shownList(values: readonly unknown[]): string {
  return `[${values.map((v) => oneLine(String(v))).join(", ")}]`;
}

function describeIdentity(identity: Identity): string {
  return `${identity.kind} ${shown(identity.name)} (${identity.id})`;
}

/** The credentials must belong to the stack's organization; the provider's default organization should too. */
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
  if (defaultOrganization && defaultOrganization.id.toLowerCase() !== wanted) {
    out.push(
      finding(
        "warn",
        "organization",
        `${defaultOrganization.source} names organization ${oneLine(defaultOrganization.id)}, not ${wanted}: the provider's default organization differs from the stack's`,
        "organizationId",
      ),
    );
  }
  return out;
}

/**
 * Which identity `pulumi up` will run as: the key the provider will pick (deployCredentials: the environment over
 * the stack config over the config file's profiles), or `--deployer`. Anything preflight cannot tell is an error.
 */
export function checkIdentity(
  deploy: DeployCredentials,
  live: LiveOrganization,
  options: { readonly deployerFlag: boolean; readonly ownAccessKey: string; readonly ownApiURL: string },
): Finding[] {
  const out: Finding[] = deploy.notes.map((n) => finding(n.level, "identity", n.message));
  const { accessKey, secretKey, apiURL } = deploy;
  if (secretKey?.layer === "stack config" && secretKey.value !== undefined) {
    out.push(
      finding(
        "error",
        "identity",
        "scaleway:secretKey is written in plain text in the stack file: whoever reads the repository holds the key. Revoke it, and set the new one with pulumi config set --secret scaleway:secretKey",
        "scaleway:secretKey",
      ),
    );
  }
  if (apiURL?.value !== undefined && apiURL.value.replace(/\/+$/, "") !== options.ownApiURL) {
    out.push(
      finding(
        "warn",
        "identity",
        `pulumi up run here would call ${shown(apiURL.value)} (${apiURL.source}), not ${options.ownApiURL}, which preflight read`,
      ),
    );
  }
  if (secretKey?.value === "") {
    out.push(
      finding(
        "error",
        "identity",
        `${secretKey.source} is set but empty: the provider would use an empty secret key (a set variable wins, even empty): unset it, or give it the key`,
      ),
    );
  }
  // A pair is one key when both halves come from one place: the environment, the stack config, or one profile.
  const place = (v: { layer: string; source: string }) => (v.layer === "config file" ? v.source : v.layer);
  if (accessKey && secretKey && place(accessKey) !== place(secretKey)) {
    out.push(
      finding(
        "warn",
        "identity",
        `pulumi up run here would pair the access key from ${accessKey.source} with the secret key from ${secretKey.source}: make sure both belong to one API key, or Scaleway refuses them (401)`,
      ),
    );
  }
  const deployer = live.deployer;
  if (options.deployerFlag) {
    if (deployer.kind === "known") {
      out.push(
        finding(
          "ok",
          "identity",
          `pulumi up's identity is the one --deployer names: ${describeIdentity(deployer.identity)}; its rights are checked below`,
        ),
      );
    }
    return out;
  }
  if (!accessKey) {
    out.push(
      finding(
        "error",
        "identity",
        "pulumi up run here would find no access key (SCW_ACCESS_KEY, scaleway:accessKey or a profile of the Scaleway config file)",
      ),
    );
  } else if (accessKey.value === undefined) {
    out.push(
      finding(
        "error",
        "identity",
        `cannot tell which identity pulumi up runs as: its access key comes from ${accessKey.source}, which preflight cannot decrypt. Set SCW_ACCESS_KEY to that key where preflight runs, or pass --deployer APPLICATION_ID`,
      ),
    );
  } else if (accessKey.value === "") {
    out.push(
      finding(
        "error",
        "identity",
        `${accessKey.source} is set but empty: the provider would use an empty access key (a set variable wins, even empty): unset it, or give it the key`,
      ),
    );
  } else if (deployer.kind === "unknown") {
    out.push(
      finding(
        "error",
        "identity",
        `the access key pulumi up would use (${accessKey.source}) is not a Scaleway access key (SCW followed by 17 letters or digits): Scaleway would refuse it`,
      ),
    );
  } else if (deployer.kind === "unknown-key") {
    out.push(
      finding(
        "error",
        "identity",
        `pulumi up run here would use access key ${shown(accessKey.value)} (${accessKey.source}), which organization ${live.identity.organizationId} does not know: Scaleway would refuse it (401)`,
      ),
    );
  } else if (deployer.kind === "known" && deployer.identity.organizationId !== live.identity.organizationId) {
    out.push(
      finding(
        "error",
        "identity",
        `pulumi up run here would use access key ${shown(accessKey.value)} (${accessKey.source}) of ${describeIdentity(deployer.identity)}, which belongs to organization ${deployer.identity.organizationId}, not ${live.identity.organizationId}`,
      ),
    );
  } else if (deployer.kind === "known") {
    const same = accessKey.value.toUpperCase() === options.ownAccessKey.toUpperCase();
    out.push(
      finding(
        "ok",
        "identity",
        `pulumi up run here would use access key ${shown(accessKey.value)} (${accessKey.source}): ${describeIdentity(deployer.identity)}${same ? ", the identity preflight reads with" : ""}; its rights are checked below`,
      ),
    );
  }
  return out;
}

/** Every declared project exists and belongs to the organization. */
export function checkProjects(target: StackUnderCheck, live: LiveOrganization): Finding[] {
  const org = target.resolved.organizationId;
  const byId = new Map(live.projects.map((p) => [p.id, p]));
  return target.projects.map(({ alias, id }) => {
    const path = `projects.${alias}`;
    const project = byId.get(id);
    if (project) return finding("ok", "projects", `${id} is project ${shown(project.name)}`, path);
    const outside = live.outside.get(id);
    if (outside?.kind === "other-organization" && outside.project.organizationId !== org) {
      return finding(
        "error",
        "projects",
        `${id} is project ${shown(outside.project.name)} of organization ${outside.project.organizationId}, not of ${org}: use a project of this organization`,
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

export const LIVE_SCOPE: Record<string, "project" | "organization" | undefined> = {
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
            `"${set}" is ${oneLine(got.scopeType)}-scoped in the live list, but ${scope}-scoped in presets/permission-sets.tsv: the policy's rule would be refused`,
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
  if (!catalogUpdated) out.push(catalogDrift(target.catalog, live));
  return out;
}

function catalogDrift(catalog: Catalog, live: LiveOrganization): Finding {
  const path = "presets/permission-sets.tsv";
  const liveScopes = new Map(live.permissionSets.map((s) => [s.name, LIVE_SCOPE[s.scopeType]]));
  const added = [...liveScopes.keys()].filter((n) => !catalog.has(n) && liveScopes.get(n) !== undefined);
  const gone = [...catalog.keys()].filter((n) => !liveScopes.has(n));
  const changed = [...catalog.values()].filter((s) => liveScopes.has(s.name) && liveScopes.get(s.name) !== s.scope);
  if (added.length + gone.length + changed.length === 0) {
    return finding("ok", "catalog", `matches the live list (${catalog.size} sets)`, path);
  }
  const parts = [
    added.length ? `${added.length} new (${shownList(added.sort(compare))})` : "",
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
function ownedByStack(resource: { tags: readonly string[] }, stack: string): boolean {
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

/**
 * What exists now, plus what the stack adds at its peak (minus what it already holds), fits each IAM quota. Quotas
 * preflight may not read, or that the organization does not report, are errors: not checked is not passed.
 */
export function checkQuotas(target: StackUnderCheck, live: LiveOrganization): Finding[] {
  if ("denied" in live.quotas) {
    return [
      finding(
        "error",
        "quotas",
        `not checked: ${live.quotas.denied}; until then nothing says the stack's applications, policies and keys fit`,
      ),
    ];
  }
  const quotas = live.quotas.ok;
  const stack = target.resolved.stack;
  const owned = target.resolved.credentials.map((c) => [c, ownedOf(c, stack, live)] as const);
  return QUOTAS.map((q) => {
    const existing = usage(q.name, live);
    const more = owned.reduce((sum, [c, o]) => sum + Math.max(0, q.peak(c) - q.owned(o)), 0);
    const total = existing + more;
    const found = quotas.filter((x) => x.name === q.name);
    const path = `quota ${q.name}`;
    if (found.length !== 1) {
      return finding(
        "error",
        "quotas",
        `${path}: not checked: the organization reports ${found.length === 0 ? "no quota" : `${found.length} quotas`} of that name, so nothing says ${total} ${q.what} fit`,
      );
    }
    const quotum = found[0]!;
    const global = quotum.limits.find((l) => l.global) ?? quotum.limits[0];
    const unlimited = quotum.unlimited ?? global?.unlimited ?? false;
    const limit = quotum.limit ?? global?.limit;
    const sum = `${existing} ${q.what} exist + ${more} more at the stack's peak = ${total}`;
    if (unlimited) return finding("ok", "quotas", `${path}: ${sum}, unlimited`);
    if (limit === undefined) {
      return finding(
        "error",
        "quotas",
        `${path}: not checked: the organization reports it with neither a limit nor unlimited`,
      );
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
  const m = /^(\d{1,12}(?:\.\d{1,9})?)s$/.exec(text.trim());
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
        "error",
        "key-lifetime",
        `not checked: the organization's maximum API key lifetime ${shown(raw)} is not a duration; nothing says the stack's keys fit under it`,
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
    const lives = target.resolved.credentials.filter((c) => !c.retired).map((c) => longestKeyDays(c, target.now));
    out.push(
      finding(
        "ok",
        "key-lifetime",
        lives.length === 0
          ? `no key is created; the organization caps API keys at ${capText}`
          : `every key lives at most ${Math.ceil(Math.max(...lives))} days, within the organization's cap of ${capText}`,
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

/** Managing a delivered secret: one of these sets, or all the fine-grained ones below. */
const SECRET_FULL = ["SecretManagerFullAccess", "AllProductsFullAccess"];
/**
 * What each write of a delivery needs. terraform-provider-scaleway internal/services/secret/version.go: `data` is
 * ForceNew, so each rotation creates a version and deletes the one it replaces (`DeleteSecretVersion`); retiring
 * deletes the version, removing deletes the secret (secret.go `DeleteSecret`); reading back a version is
 * `GetSecretVersion` (metadata, not the data).
 */
const SECRET_PARTS = [
  { set: "SecretManagerReadOnly", why: "read the secret and its versions back" },
  { set: "SecretManagerSecretCreate", why: "create the secret and each key's version" },
  { set: "SecretManagerSecretWrite", why: "update the secret's name, path, tags and protection" },
  {
    set: "SecretManagerSecretDelete",
    why: "delete the version each rotation replaces, and the versions or the secret when a credential is retired or removed",
  },
] as const;

/** Rules of an organization-wide scope, or reaching the project. */
function rulesCovering(rules: readonly HeldRule[], organizationId: string, projectId?: string): HeldRule[] {
  return rules.filter(({ rule }) => {
    if (rule.organizationId === organizationId) return true;
    return projectId !== undefined && (rule.projectIds ?? []).includes(projectId);
  });
}

function grantsOf(held: readonly HeldRule[], sets: readonly string[]): HeldRule | undefined {
  return held.find(({ rule }) => rule.permissionSetNames.some((s) => sets.includes(s)));
}

/**
 * The deploying identity holds, through its own or its groups' policies, every right `pulumi up` will use: create,
 * rotate, retire and remove (applications, policies, API keys on the organization; the delivered secrets and their
 * versions in each delivery project).
 */
export function checkRights(target: StackUnderCheck, live: LiveOrganization, deployerFlag: boolean): Finding[] {
  const deployer = live.deployer;
  if (deployer.kind !== "known") {
    return [
      finding(
        "error",
        "rights",
        "not checked: preflight cannot tell which identity pulumi up runs as (see the identity lines): pass --deployer APPLICATION_ID",
      ),
    ];
  }
  const { identity, rules } = deployer;
  const who = `${deployerFlag ? "the deployer, " : "pulumi up's identity, "}${describeIdentity(identity)}`;
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
    const path = "secretManager.project";
    const what = `manage the delivered secrets in project ${alias}`;
    if (full) {
      out.push(finding("ok", "rights", `${who} may ${what}: ${grantText(full, SECRET_FULL)}`, path));
      if (full.rule.condition) out.push(conditional(who, what, full));
      continue;
    }
    const missing = SECRET_PARTS.filter((p) => !grantsOf(covering, [p.set]));
    if (missing.length === 0) {
      out.push(finding("ok", "rights", `${who} may ${what}: ${SECRET_PARTS.map((p) => p.set).join(", ")}`, path));
      for (const p of SECRET_PARTS) {
        const grant = grantsOf(covering, [p.set])!;
        if (grant.rule.condition) out.push(conditional(who, `${p.why} in project ${alias}`, grant));
      }
      continue;
    }
    out.push(
      finding(
        "error",
        "rights",
        `${who} cannot write secrets in project ${alias} (${projectId}), where credentials are delivered: it lacks ${missing.map((m) => `${m.set} (to ${m.why})`).join(", ")}. Give it SecretManagerFullAccess on that project, or the missing sets`,
        path,
      ),
    );
  }
  return out;
}

function grantText(held: HeldRule, sets: readonly string[]): string {
  const set = held.rule.permissionSetNames.find((s) => sets.includes(s));
  return `${set} through policy ${shown(held.policy.name)}`;
}

function conditional(who: string, what: string, held: HeldRule): Finding {
  return finding(
    "warn",
    "rights",
    `${who} may ${what} only when the condition of policy ${shown(held.policy.name)} holds (${oneLine(held.rule.condition)}): make sure it holds where pulumi up runs`,
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

/**
 * No secret already sits at a delivery's project, path and name unless this stack made it: Secret Manager names a
 * secret by project, path and name (`@scaleway/sdk-secret` accessSecretVersionByPath), so pulumi up could not create
 * the delivery's secret there, and Plakar could be handed a secret someone else writes. A list preflight may not
 * read is an error with the right to add.
 */
export function checkSecrets(target: StackUnderCheck, live: LiveOrganization): Finding[] {
  const stack = target.resolved.stack;
  const out: Finding[] = [];
  for (const c of target.resolved.credentials) {
    if (!c.delivery) continue;
    const path = c.paths.delivery;
    const where = `${c.delivery.fullPath} in project ${c.delivery.project.label} (${c.delivery.region})`;
    const read = live.secrets.get(c.key);
    if (!read) {
      out.push(finding("error", "secrets", `not checked: the secrets at ${where} were not read`, path));
      continue;
    }
    if ("denied" in read) {
      out.push(
        finding(
          "error",
          "secrets",
          `not checked: ${read.denied}; until then nothing says no one else's secret sits at ${where}`,
          path,
        ),
      );
      continue;
    }
    const foreign = read.ok.filter((s: Secret) => !ownedByStack(s, stack));
    for (const s of foreign) {
      out.push(
        finding(
          "error",
          "secrets",
          `a secret already sits at ${where} (${s.id}, tags ${shownList(s.tags)}) and is not this stack's: pulumi up could not create the delivery's secret there. Delete or move that secret, or deliver elsewhere (secretManager.pathPrefix)`,
          path,
        ),
      );
    }
    if (foreign.length === 0) {
      out.push(
        finding(
          "ok",
          "secrets",
          read.ok.length > 0
            ? `the secret at ${where} is this stack's (tags ${MANAGED_TAG}, stack=${stack})`
            : `no secret at ${where} yet: pulumi up creates it`,
          path,
        ),
      );
    }
  }
  return out;
}

// ---------------------------------------------------------------------------------------------------------------
// Adoption

/**
 * How terraform-provider-scaleway holds each input Pulumi's import compares (internal/services/iam/application.go
 * and policy.go, read through the bridged @pulumiverse/scaleway): `tags`, `rule` and a rule's `project_ids` are
 * TypeList (order counts), `permission_set_names` is TypeSet (order does not); an unset string or list reads as
 * empty. The import step diffs the read state against the inputs and fails on any difference ("inputs to import do
 * not match the existing resource").
 */
const APPLICATION_INPUTS = new Set(["name", "description", "tags", "organizationId"]);
const POLICY_INPUTS = new Set([
  "name",
  "description",
  "tags",
  "organizationId",
  "applicationId",
  "userId",
  "groupId",
  "noPrincipal",
  "rules",
]);
const RULE_INPUTS = new Set(["permissionSetNames", "projectIds", "organizationId", "condition"]);

const asText = (v: unknown): string => (typeof v === "string" ? v : v === undefined || v === null ? "" : String(v));
const asList = (v: unknown): string[] => (Array.isArray(v) ? v.map(asText) : []);
const sameList = (a: readonly string[], b: readonly string[]) => a.length === b.length && a.every((x, i) => x === b[i]);
const asSet = (v: readonly string[]) => [...new Set(v)].sort(compare);

function ruleText(rule: { projectIds: string[]; organizationId: string; sets: string[]; condition: string }): string {
  const scope = rule.organizationId ? `organization ${rule.organizationId}` : `projects ${shownList(rule.projectIds)}`;
  return `${scope}: ${shownList(rule.sets)}${rule.condition ? ` when ${shown(rule.condition)}` : ""}`;
}

interface ComparableRule {
  projectIds: string[];
  organizationId: string;
  sets: string[];
  condition: string;
}

function plannedRule(raw: unknown): ComparableRule | string {
  if (!raw || typeof raw !== "object" || Array.isArray(raw)) return "a rule that is not an object";
  const r = raw as Record<string, unknown>;
  const unknown = Object.keys(r).filter((k) => !RULE_INPUTS.has(k));
  if (unknown.length > 0) return `rule input ${unknown.join(", ")}`;
  return {
    projectIds: asList(r.projectIds),
    organizationId: asText(r.organizationId),
    sets: asSet(asList(r.permissionSetNames)),
    condition: asText(r.condition),
  };
}

const liveRule = (r: PolicyRule): ComparableRule => ({
  projectIds: r.projectIds ?? [],
  organizationId: r.organizationId ?? "",
  sets: asSet(r.permissionSetNames),
  condition: r.condition,
});

/**
 * For each credential to adopt: the application and policy exist, each input the offline plan registers for them
 * matches what the provider reads back, in the provider's order (an import with any difference fails), and no
 * application or policy the stack already manages would be import-replaced. Then the keys made by hand, to revoke.
 */
export function checkAdoption(target: StackUnderCheck, live: LiveOrganization): Finding[] {
  const out: Finding[] = [];
  const org = target.resolved.organizationId;
  const stack = target.resolved.stack;
  for (const c of target.resolved.credentials) {
    const adopt = c.adopt;
    if (!adopt) continue;
    const base = `credentials.${c.key}.adopt`;
    const before = out.length;
    const planned = target.adoptions.get(c.key) ?? {};
    const fail = (path: string, message: string) => out.push(finding("error", "adoption", message, path));
    const differs = (path: string, what: string, got: string, want: string, why = "") =>
      fail(
        path,
        `${what}: ${got} in Scaleway; the stack sends ${want}${why}: pulumi up's import would fail ("inputs to import do not match"): change it in Scaleway to what the stack sends first`,
      );

    // The stack already manages this credential under other IDs: adopting others would import-replace them.
    const managedApps = live.applications.filter(
      (a) =>
        a.id !== adopt.applicationId &&
        a.name === c.name &&
        (ownedByStack(a, stack) || live.apiKeys.some((k) => k.applicationId === a.id && issuedByStack(k, c))),
    );
    const managedPolicies = live.policies.filter(
      (p) => p.id !== adopt.policyId && p.name === c.name && ownedByStack(p, stack),
    );
    for (const managed of [...managedApps, ...managedPolicies]) {
      const kind = managedApps.includes(managed as Application) ? "application" : "policy";
      const adoptId = kind === "application" ? adopt.applicationId : adopt.policyId;
      fail(
        base,
        `this stack already manages ${kind} "${c.name}" (${managed.id}, tags ${MANAGED_TAG} and stack=${stack}), but adopt names ${adoptId}: pulumi up would import ${adoptId} in its place and delete ${managed.id} (an import whose ID differs from the resource in the state is an import-replace, pulumi/pulumi pkg/resource/deploy/step_generator.go). Remove adopt from credentials.${c.key}: the stack already holds this credential`,
      );
    }

    const app = live.applications.find((a) => a.id === adopt.applicationId);
    const policy = live.policies.find((p) => p.id === adopt.policyId);
    const appPath = `${base}.applicationId`;
    const policyPath = `${base}.policyId`;
    if (!app) {
      fail(
        appPath,
        `no application ${adopt.applicationId} in organization ${org}: the import would fail; check the ID (console: IAM, Applications)`,
      );
    } else if (!planned.application) {
      fail(appPath, `not checked: the offline plan imports no application ${adopt.applicationId}`);
    } else {
      const inputs = planned.application.inputs;
      const unknown = Object.keys(inputs).filter((k) => !APPLICATION_INPUTS.has(k));
      if (unknown.length > 0) {
        fail(
          appPath,
          `not checked: the plan sends application inputs preflight does not compare (${unknown.join(", ")})`,
        );
      }
      const what = `application ${app.id}'s`;
      if ("name" in inputs && app.name !== asText(inputs.name)) {
        differs(appPath, `${what} name`, shown(app.name), shown(asText(inputs.name)));
      }
      if (app.description !== asText(inputs.description)) {
        differs(appPath, `${what} description`, shown(app.description), shown(asText(inputs.description)));
      }
      if (!sameList(app.tags, asList(inputs.tags))) {
        const reordered = sameList(asSet(app.tags), asSet(asList(inputs.tags)));
        differs(
          appPath,
          `${what} tags`,
          shownList(app.tags),
          shownList(asList(inputs.tags)),
          reordered ? " (the same tags in another order: tags is an ordered list)" : "",
        );
      }
      if ("organizationId" in inputs && app.organizationId !== asText(inputs.organizationId).toLowerCase()) {
        differs(appPath, `${what} organization`, app.organizationId, asText(inputs.organizationId));
      }
    }
    if (!policy) {
      fail(
        policyPath,
        `no policy ${adopt.policyId} in organization ${org}: the import would fail; check the ID (console: IAM, Policies)`,
      );
    } else if (!planned.policy) {
      fail(policyPath, `not checked: the offline plan imports no policy ${adopt.policyId}`);
    } else {
      comparePolicy(policy, planned, adopt, live, policyPath, fail, differs);
    }
    if (out.length === before) {
      out.push(
        finding(
          "ok",
          "adoption",
          `application ${adopt.applicationId} and policy ${adopt.policyId} match the inputs the stack sends, in the provider's order: pulumi up imports them`,
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
          `key ${key.accessKey} of application ${adopt.applicationId} (${shown(key.description)}, ${expires}) was made by hand and is not adopted: once Plakar uses the stack's new key, revoke it (console, or scw iam api-key delete ${key.accessKey})`,
          base,
        ),
      );
    }
  }
  return out;
}

function comparePolicy(
  policy: Policy,
  planned: PlannedAdoption,
  adopt: { readonly applicationId: string; readonly policyId: string },
  live: LiveOrganization,
  path: string,
  fail: (path: string, message: string) => void,
  differs: (path: string, what: string, got: string, want: string, why?: string) => void,
): void {
  const inputs = planned.policy!.inputs;
  const unknown = Object.keys(inputs).filter((k) => !POLICY_INPUTS.has(k));
  if (unknown.length > 0) {
    fail(path, `not checked: the plan sends policy inputs preflight does not compare (${unknown.join(", ")})`);
  }
  const what = `policy ${policy.id}'s`;
  // The plan's application has the mocks' ID: the policy's principal refers to it, and means the adopted one.
  const plannedApp = asText(inputs.applicationId);
  const wantApp =
    plannedApp !== "" && plannedApp === planned.application?.planId ? adopt.applicationId : plannedApp.toLowerCase();
  const principal = (p: { applicationId?: string; userId?: string; groupId?: string; noPrincipal?: boolean }) =>
    p.applicationId
      ? `application ${p.applicationId}`
      : p.userId
        ? `user ${p.userId}`
        : p.groupId
          ? `group ${p.groupId}`
          : p.noPrincipal
            ? "no principal"
            : "none";
  const want = principal({
    ...(wantApp ? { applicationId: wantApp } : {}),
    ...(inputs.userId ? { userId: asText(inputs.userId).toLowerCase() } : {}),
    ...(inputs.groupId ? { groupId: asText(inputs.groupId).toLowerCase() } : {}),
    ...(inputs.noPrincipal === true ? { noPrincipal: true } : {}),
  });
  if (principal(policy) !== want) differs(path, `${what} principal`, principal(policy), want);
  if ("name" in inputs && policy.name !== asText(inputs.name)) {
    differs(path, `${what} name`, shown(policy.name), shown(asText(inputs.name)));
  }
  if (policy.description !== asText(inputs.description)) {
    differs(path, `${what} description`, shown(policy.description), shown(asText(inputs.description)));
  }
  if (!sameList(policy.tags, asList(inputs.tags))) {
    const reordered = sameList(asSet(policy.tags), asSet(asList(inputs.tags)));
    differs(
      path,
      `${what} tags`,
      shownList(policy.tags),
      shownList(asList(inputs.tags)),
      reordered ? " (the same tags in another order: tags is an ordered list)" : "",
    );
  }
  if ("organizationId" in inputs && policy.organizationId !== asText(inputs.organizationId).toLowerCase()) {
    differs(path, `${what} organization`, policy.organizationId, asText(inputs.organizationId));
  }
  const plannedRules = Array.isArray(inputs.rules) ? inputs.rules.map(plannedRule) : [];
  const badRule = plannedRules.find((r): r is string => typeof r === "string");
  if (badRule !== undefined) {
    fail(path, `not checked: the plan sends ${badRule}, which preflight does not compare`);
    return;
  }
  const wantRules = plannedRules as ComparableRule[];
  const gotRules = (live.adoptedRules.get(policy.id) ?? []).map(liveRule);
  if (gotRules.length !== wantRules.length) {
    differs(
      path,
      `${what} rules`,
      `${gotRules.length} (${gotRules.map(ruleText).join("; ")})`,
      `${wantRules.length} (${wantRules.map(ruleText).join("; ")})`,
    );
    return;
  }
  wantRules.forEach((w, i) => {
    const g = gotRules[i]!;
    const n = `${what} rule ${i + 1}`;
    if (g.organizationId !== w.organizationId.toLowerCase() || !sameList(g.projectIds, w.projectIds)) {
      const reordered = !g.organizationId && !w.organizationId && sameList(asSet(g.projectIds), asSet(w.projectIds));
      differs(
        path,
        `${n}'s scope`,
        g.organizationId ? `organization ${g.organizationId}` : `projects ${shownList(g.projectIds)}`,
        w.organizationId ? `organization ${w.organizationId}` : `projects ${shownList(w.projectIds)}`,
        reordered ? " (the same projects in another order: project_ids is an ordered list)" : "",
      );
    }
    if (!sameList(g.sets, w.sets)) differs(path, `${n}'s permission sets`, shownList(g.sets), shownList(w.sets));
    if (g.condition !== w.condition) differs(path, `${n}'s condition`, shown(g.condition), shown(w.condition));
  });
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
    ...checkSecrets(target, live),
    ...checkAdoption(target, live),
  ];
}
