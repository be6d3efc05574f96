/**
 * The IAM rules every Plakar credential obeys, as pure functions over the properties of Scaleway resources. The
 * policy pack (policy/) applies them to whatever a stack declares; they reuse the catalog and the permission-set
 * check of presets.ts and the timestamp schema of schema.ts, the same ones the stack's own resolution (credential.ts) uses,
 * so the pack and the stack cannot disagree on what a valid set or expiry is.
 *
 * Values the engine cannot know yet (during `pulumi preview`, an ID of a resource still to be created) are passed as
 * `UNKNOWN`. A rule never reports a violation that depends on an unknown value: it judges what is known.
 */
import { type Catalog, checkPermissionSet, isObjectStorageSet } from "../components/domain/catalog";
import { type MaybeUnknown, UNKNOWN } from "../components/domain/unknown";
import { Timestamp } from "../components/domain/schema";
import { IAM_TYPES } from "../components/domain/constants";

export const POLICY_TYPE = "scaleway:iam/policy:Policy";
/** The current API key token (the deprecated one is in IAM_TYPES.apiKey too). */
export const API_KEY_TYPE = IAM_TYPES.apiKey[0];

export { UNKNOWN, type MaybeUnknown, type Unknown } from "../components/domain/unknown";

/** One rule of a `scaleway:iam/policy:Policy`. */
export interface IamRuleProps {
  readonly organizationId?: MaybeUnknown<string | null>;
  readonly projectIds?: MaybeUnknown<readonly MaybeUnknown<string>[] | null>;
  readonly permissionSetNames?: MaybeUnknown<readonly MaybeUnknown<string>[] | null>;
  readonly condition?: MaybeUnknown<string | null>;
}

/** The properties of a `scaleway:iam/policy:Policy` that the rules look at. */
export interface IamPolicyProps {
  readonly applicationId?: MaybeUnknown<string | null>;
  readonly userId?: MaybeUnknown<string | null>;
  readonly groupId?: MaybeUnknown<string | null>;
  readonly noPrincipal?: MaybeUnknown<boolean | null>;
  readonly rules?: MaybeUnknown<readonly MaybeUnknown<IamRuleProps>[] | null>;
}

/** The properties of a `scaleway:iam/apiKey:ApiKey` that the rules look at. */
export interface ApiKeyProps {
  readonly applicationId?: MaybeUnknown<string | null>;
  readonly userId?: MaybeUnknown<string | null>;
  readonly expiresAt?: MaybeUnknown<string | null>;
  readonly defaultProjectId?: MaybeUnknown<string | null>;
}

/** The properties the rules read; nothing else of a resource (an API key's secretKey, say) is looked at. */
export const IAM_POLICY_KEYS = [
  "applicationId",
  "userId",
  "groupId",
  "noPrincipal",
  "rules",
] as const satisfies readonly (keyof IamPolicyProps)[];
export const API_KEY_KEYS = [
  "applicationId",
  "userId",
  "expiresAt",
  "defaultProjectId",
] as const satisfies readonly (keyof ApiKeyProps)[];

/** The properties that can name a policy's principal. `noPrincipal` is not one of them. */
export const PRINCIPAL_KEYS = ["applicationId", "userId", "groupId"] as const;

/** "set", "unset", or "unknown" (cannot tell during preview). An empty string or list is unset. */
type Presence = "set" | "unset" | "unknown";

function presence(value: unknown): Presence {
  if (value === UNKNOWN) return "unknown";
  if (typeof value === "string") return value === "" ? "unset" : "set";
  if (Array.isArray(value)) return value.length > 0 ? "set" : "unset";
  return value === undefined || value === null ? "unset" : "set";
}

/** The rules of a policy that are known, with their index. */
function knownRules(policy: IamPolicyProps): [number, IamRuleProps][] {
  const rules = policy.rules;
  if (!Array.isArray(rules)) return [];
  const out: [number, IamRuleProps][] = [];
  (rules as readonly MaybeUnknown<IamRuleProps>[]).forEach((rule, i) => {
    if (rule !== UNKNOWN && rule !== null && typeof rule === "object") out.push([i, rule]);
  });
  return out;
}

/** The permission set names of a rule that are known, with their index. */
function knownSets(rule: IamRuleProps): [number, string][] {
  const sets = rule.permissionSetNames;
  if (!Array.isArray(sets)) return [];
  const out: [number, string][] = [];
  (sets as readonly MaybeUnknown<string>[]).forEach((set, j) => {
    if (set !== UNKNOWN) out.push([j, String(set)]);
  });
  return out;
}

/** A policy must name its principal: an application, a user or a group. */
export function principalViolations(policy: IamPolicyProps): string[] {
  if (PRINCIPAL_KEYS.some((k) => presence(policy[k]) !== "unset")) return [];
  const why = policy.noPrincipal === true ? "noPrincipal: true is not a principal" : "the policy has no principal";
  return [`${why}: set one of ${PRINCIPAL_KEYS.join(", ")} (a Plakar credential's policy names its own application)`];
}

/** Every permission set must be in presets/permission-sets.tsv. */
export function uncataloguedSetViolations(policy: IamPolicyProps, catalog: Catalog): string[] {
  const out: string[] = [];
  for (const [i, rule] of knownRules(policy)) {
    for (const [j, set] of knownSets(rule)) {
      if (!catalog.has(set)) out.push(`rules[${i}].permissionSetNames[${j}]: ${checkPermissionSet(set, catalog)}`);
    }
  }
  return out;
}

/** No permission set may be organization-scoped ("Access to Organization features": IAM, billing, audit trail...). */
export function organizationScopedSetViolations(policy: IamPolicyProps, catalog: Catalog): string[] {
  const out: string[] = [];
  for (const [i, rule] of knownRules(policy)) {
    for (const [j, set] of knownSets(rule)) {
      if (catalog.get(set)?.scope === "organization") {
        out.push(`rules[${i}].permissionSetNames[${j}]: ${checkPermissionSet(set, catalog)}`);
      }
    }
  }
  return out;
}

/** Every rule has exactly one scope: `projectIds` (non-empty) or `organizationId` (all projects), not both. */
export function ruleScopeViolations(policy: IamPolicyProps): string[] {
  const out: string[] = [];
  for (const [i, rule] of knownRules(policy)) {
    const org = presence(rule.organizationId);
    const projects = presence(rule.projectIds);
    if (org === "unknown" || projects === "unknown") continue;
    if (org === "set" && projects === "set") {
      out.push(
        `rules[${i}] has both projectIds and organizationId: a rule has exactly one scope; keep projectIds to grant the listed projects only, or organizationId alone for every project of the organization`,
      );
    } else if (org === "unset" && projects === "unset") {
      out.push(
        `rules[${i}] has neither projectIds nor organizationId: a rule has exactly one scope; set projectIds to the projects it grants`,
      );
    }
  }
  return out;
}

/** Every API key expires: `expiresAt` is set, to an RFC 3339 timestamp. */
export function apiKeyExpiryViolations(key: ApiKeyProps): string[] {
  const at = key.expiresAt;
  if (at === UNKNOWN) return [];
  if (presence(at) === "unset") {
    return [
      "the API key has no expiresAt: every key must expire (Plakar credentials rotate; set expiresAt to an RFC 3339 timestamp such as 2027-06-30T00:00:00Z)",
    ];
  }
  const parsed = Timestamp.safeParse(at);
  return parsed.success ? [] : [`expiresAt "${String(at)}" ${parsed.error.issues[0]?.message ?? "is not a timestamp"}`];
}

/** The rules of `policies` that grant an Object Storage set, and whether some rule's sets could not be read. */
export function objectStorageRules(policies: readonly IamPolicyProps[]): {
  readonly rules: readonly IamRuleProps[];
  readonly sets: readonly string[];
  readonly undetermined: boolean;
} {
  const rules: IamRuleProps[] = [];
  const sets = new Set<string>();
  let undetermined = false;
  for (const policy of policies) {
    if (!Array.isArray(policy.rules)) {
      undetermined ||= policy.rules === UNKNOWN;
      continue;
    }
    for (const rule of policy.rules as readonly MaybeUnknown<IamRuleProps>[]) {
      if (rule === UNKNOWN || rule === null || typeof rule !== "object") {
        undetermined ||= rule === UNKNOWN;
        continue;
      }
      const names = rule.permissionSetNames;
      if (names === UNKNOWN || (Array.isArray(names) && names.includes(UNKNOWN))) undetermined = true;
      const granted = knownSets(rule)
        .map(([, set]) => set)
        .filter(isObjectStorageSet);
      if (granted.length > 0) {
        rules.push(rule);
        granted.forEach((s) => sets.add(s));
      }
    }
  }
  return { rules, sets: [...sets].sort(), undetermined };
}

/** True when `rule` grants `projectId` (or may: an unknown scope gets the benefit of the doubt). */
function ruleCovers(rule: IamRuleProps, projectId: string): boolean {
  if (presence(rule.organizationId) !== "unset") return true;
  const ids = rule.projectIds;
  if (ids === UNKNOWN) return true;
  return Array.isArray(ids) && (ids.includes(projectId) || ids.includes(UNKNOWN));
}

/**
 * A key whose policies grant Object Storage sets needs a `defaultProjectId` (Object Storage requests made with the
 * key go to that project; without one Scaleway picks the organization's default project), and it must be a project
 * those sets apply to. `policies` are the policies of the key's application (or user).
 */
export function keyDefaultProjectViolations(key: ApiKeyProps, policies: readonly IamPolicyProps[]): string[] {
  const { rules, sets, undetermined } = objectStorageRules(policies);
  if (rules.length === 0) return [];
  const project = key.defaultProjectId;
  if (project === UNKNOWN) return [];
  if (typeof project !== "string" || project === "") {
    return [
      `the API key has no defaultProjectId but its policy grants Object Storage sets (${sets.join(", ")}): set defaultProjectId to the project of the buckets (Plakar: the credential's preferredProject), or Object Storage requests go to the organization's default project`,
    ];
  }
  if (undetermined || rules.some((rule) => ruleCovers(rule, project))) return [];
  const scopes = [
    ...new Set(rules.flatMap((r) => (Array.isArray(r.projectIds) ? r.projectIds.map(String) : []))),
  ].sort();
  return [
    `defaultProjectId ${project} is not a project its Object Storage sets (${sets.join(", ")}) apply to (${scopes.join(", ")}): set it to one of them`,
  ];
}
