/**
 * The IAM rules every Plakar credential obeys, as pure functions over the properties of Scaleway resources. The
 * policy pack (policy/) applies them to whatever a stack declares; they reuse the catalog and the permission-set
 * check of components/domain/catalog.ts and the timestamp schema of components/domain/schema.ts, the same ones the
 * components' own resolution uses, so the pack and the components cannot disagree on what a valid set or expiry is.
 *
 * Values the engine cannot know yet (during `pulumi preview`, an ID of a resource still to be created) are passed as
 * `UNKNOWN`. A rule never reports a violation that depends on an unknown value: it judges what is known.
 */
import { type Catalog, checkPermissionSet, isObjectStorageSet } from "../components/domain/catalog";
import { type MaybeUnknown, UNKNOWN } from "../components/domain/unknown";
import { Timestamp } from "../components/domain/schema";
import { IAM_TYPES } from "../components/domain/constants";

/** The current IAM policy token (the deprecated one is in IAM_TYPES.policy too). */
export const POLICY_TYPE = IAM_TYPES.policy[0];
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

/**
 * Where the stack's own applications and what names them meet: the rules below compare an application ID named by a
 * key, a group membership or a group with the IDs of the application resources the program registers.
 *
 * What the engine hands a stack policy (pulumi/pulumi pkg/resource/deploy/step_generator.go `AnalyzeResources`):
 * every resource the program registers, with its outputs. A bridged resource's outputs carry its `id` (the Terraform
 * state's `id` attribute); during a preview, an application still to be created has an unknown `id`. Resources the
 * program only reads (`Application.get`) are not among them: pkg/resource/deploy/step_executor.go keeps reads apart
 * from `news`, so an application read by ID is not one the program manages.
 */

/** One application resource of the stack, as the stack rules see it. */
export interface StackApplication {
  readonly urn: string;
  /** Its resource name, for messages. */
  readonly name: string;
  /** Its `id` output: UNKNOWN (or absent) while it is still to be created. */
  readonly id?: MaybeUnknown<string | null>;
}

/** The properties of a `scaleway:iam/groupMembership:GroupMembership` that the rules look at. */
export interface GroupMembershipProps {
  readonly applicationId?: MaybeUnknown<string | null>;
  readonly userId?: MaybeUnknown<string | null>;
  readonly groupId?: MaybeUnknown<string | null>;
}

/** The properties of a `scaleway:iam/group:Group` that the rules look at. */
export interface GroupProps {
  readonly name?: MaybeUnknown<string | null>;
  readonly applicationIds?: MaybeUnknown<readonly MaybeUnknown<string>[] | null>;
}

export const GROUP_MEMBERSHIP_KEYS = [
  "applicationId",
  "userId",
  "groupId",
] as const satisfies readonly (keyof GroupMembershipProps)[];
export const GROUP_KEYS = ["name", "applicationIds"] as const satisfies readonly (keyof GroupProps)[];

/** The longest value a message quotes; IDs are 36 characters. */
const MAX_QUOTED = 100;

/**
 * A value from the program or the engine, for a violation message on one line: characters that change what a
 * terminal shows (controls, bidi and zero-width format characters, line separators) escaped, long values cut.
 */
export function shown(value: unknown): string {
  const text = String(value).replace(/[\p{Cc}\p{Cf}\p{Cs}\p{Zl}\p{Zp}]/gu, (c) => {
    const code = c.codePointAt(0) ?? 0;
    return code > 0xffff ? `\\u{${code.toString(16)}}` : `\\u${code.toString(16).padStart(4, "0")}`;
  });
  return text.length > MAX_QUOTED ? `${text.slice(0, MAX_QUOTED)}…` : text;
}

/** `shown`, in double quotes. */
export const quoted = (value: unknown): string => `"${shown(value)}"`;

/**
 * Scaleway IDs are UUIDs; the comparison ignores case and surrounding blanks, so writing an application's ID in
 * capitals does not make it another application.
 */
function sameApplicationId(a: string, b: string): boolean {
  return a.trim().toLowerCase() === b.trim().toLowerCase();
}

const knownId = (app: StackApplication): string | undefined =>
  typeof app.id === "string" && app.id.trim() !== "" ? app.id : undefined;

/**
 * What an application ID named by a resource is to the stack:
 * - `ours`: the ID of one of the stack's applications;
 * - `undetermined`: unknown during preview, or computed (`from`, the property's dependencies) from an application of
 *   the stack whose own ID is not known yet;
 * - `foreign`: a known ID that is none of the stack's applications, and not computed from one still to be created;
 * - `none`: no ID at all.
 */
export type ApplicationMatch =
  | { readonly kind: "ours"; readonly application: StackApplication }
  | { readonly kind: "foreign"; readonly id: string }
  | { readonly kind: "undetermined" }
  | { readonly kind: "none" };

export function matchApplication(
  value: unknown,
  from: readonly string[],
  applications: readonly StackApplication[],
): ApplicationMatch {
  if (value === UNKNOWN) return { kind: "undetermined" };
  if (typeof value !== "string" || value.trim() === "") return { kind: "none" };
  const application = applications.find((app) => {
    const id = knownId(app);
    return id !== undefined && sameApplicationId(id, value);
  });
  if (application) return { kind: "ours", application };
  // A value known while the application it comes from is not: a computed value (an apply on the application's
  // Output) judged once the application exists, at the end of the update.
  if (applications.some((app) => knownId(app) === undefined && from.includes(app.urn))) return { kind: "undetermined" };
  return { kind: "foreign", id: value };
}

/**
 * An API key belongs to an application the program manages: its `applicationId` is the ID of an application
 * resource of the stack. Refused: a key on any other application (made by hand, by another stack, or read with
 * `Application.get`), a key on a user (`userId`: the program creates no user and no user's key; such a key acts with
 * every right of the user, its groups and, for the owner, the whole organization, bounded by no policy of this stack
 * and outside the credentials' rotation) and a key that names neither. `from` are the URNs the key's applicationId
 * was computed from (its property dependencies).
 */
export function keyApplicationViolations(
  key: ApiKeyProps,
  from: readonly string[],
  applications: readonly StackApplication[],
): string[] {
  const user = presence(key.userId);
  if (user === "set") {
    return [
      `the API key belongs to user ${quoted(key.userId)}: keys of this stack belong to its own applications, whose policies bound what the key may do (a user's key carries all of the user's rights); issue it to an application of the stack`,
    ];
  }
  const match = matchApplication(key.applicationId, from, applications);
  switch (match.kind) {
    case "ours":
    case "undetermined":
      return [];
    case "foreign":
      return [
        `applicationId ${quoted(match.id)} is not an application of this stack: keys may only be issued to the applications the program manages (declare the application in the stack, or take it over with a credential's adopt)`,
      ];
    case "none":
      return user === "unknown"
        ? []
        : ["the API key names no application: set applicationId to the ID of one of the stack's applications"];
  }
}

const appLabel = (app: StackApplication) => `${quoted(app.name)} (${shown(app.id)})`;

/**
 * No application of the stack joins a group through a membership: a group's policies would add their rights to the
 * application's own, out of sight of the credential's policy. A membership of any other principal is not this
 * pack's business; an ID unknown during preview is not judged.
 */
export function membershipApplicationViolations(
  membership: GroupMembershipProps,
  applications: readonly StackApplication[],
): string[] {
  const match = matchApplication(membership.applicationId, [], applications);
  if (match.kind !== "ours") return [];
  const group =
    typeof membership.groupId === "string" && membership.groupId !== ""
      ? `group ${quoted(membership.groupId)}`
      : "a group";
  return [
    `adds application ${appLabel(match.application)} of this stack to ${group}: the group's policies would grant it rights beyond its own policy; remove the membership`,
  ];
}

/**
 * No application of the stack is listed in a group's `applicationIds`, for the same reason. Refused whatever the
 * group's `externalMembership` says: with it the provider leaves the members alone (terraform-provider-scaleway
 * internal/services/iam/group.go), but the program still declares the application a member, and the pack judges
 * what the program declares rather than which provider setting currently makes a list inert.
 */
export function groupApplicationViolations(group: GroupProps, applications: readonly StackApplication[]): string[] {
  const ids = group.applicationIds;
  if (!Array.isArray(ids)) return [];
  const out: string[] = [];
  (ids as readonly MaybeUnknown<string>[]).forEach((id, i) => {
    const match = matchApplication(id, [], applications);
    if (match.kind === "ours") {
      out.push(
        `applicationIds[${i}] is application ${appLabel(match.application)} of this stack: the group's policies would grant it rights beyond its own policy; remove it from the group`,
      );
    }
  });
  return out;
}
