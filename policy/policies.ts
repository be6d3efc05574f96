/**
 * The policies of the pack, wired to the pure rules of ./rules.ts and ./guards.ts. Kept apart from index.ts, which only
 * serves them, so that tests can call every policy's validation with hand-made arguments (importing index.ts would
 * start the pack's gRPC server).
 *
 * @pulumi/policy hands a policy the resource's properties wrapped in a proxy that throws when code reads a value that
 * is unknown during preview (which would turn the whole policy into a "can't run during preview" warning).
 * `plainProps` copies out the properties the rules read, with `UNKNOWN` in place of those values, and the rules judge
 * only what is known.
 */
import * as policySdk from "@pulumi/policy";
import {
  type Policies,
  type PolicyResource,
  type ResourceValidationArgs,
  type ResourceValidationPolicy,
  type StackValidationPolicy,
} from "@pulumi/policy";
import type { Catalog } from "../components/domain/catalog";
import {
  API_KEY_KEYS,
  type ApiKeyProps,
  apiKeyExpiryViolations,
  GROUP_KEYS,
  GROUP_MEMBERSHIP_KEYS,
  type GroupMembershipProps,
  type GroupProps,
  groupApplicationViolations,
  IAM_POLICY_KEYS,
  type IamPolicyProps,
  keyApplicationViolations,
  keyDefaultProjectViolations,
  membershipApplicationViolations,
  organizationScopedSetViolations,
  principalViolations,
  ruleScopeViolations,
  type StackApplication,
  UNKNOWN,
  uncataloguedSetViolations,
} from "./rules";
import { keyLifetimeViolations, maxLifetimeDaysOf, organizationWideRuleViolations, stackOfUrn } from "./guards";
import { API_KEY_TYPES, APPLICATION_TYPES, GROUP_MEMBERSHIP_TYPES, GROUP_TYPES, IAM_POLICY_TYPES } from "./types";
import { DEFAULT_MAX_LIFETIME_DAYS, MAX_DAYS } from "../components/domain/constants";

/** The pack's name, as `pulumi preview` reports it. */
export const PACK_NAME = "plakar-scaleway-iam";

// The SDK's index exports the proxy's error class at runtime, but its typings leave it out.
const UnknownValueError = (policySdk as unknown as { UnknownValueError?: abstract new (...args: never[]) => Error })
  .UnknownValueError;

/** True for the error @pulumi/policy's property proxy throws on a value that is unknown during preview. */
export function isUnknownValueError(err: unknown): boolean {
  return UnknownValueError !== undefined && err instanceof UnknownValueError;
}

function read(container: unknown, key: string | number): unknown {
  try {
    return toPlain((container as Record<string | number, unknown>)[key]);
  } catch (err) {
    if (isUnknownValueError(err)) return UNKNOWN;
    throw err;
  }
}

/** Plain data out of (possibly proxied) resource properties; values unknown during preview become `UNKNOWN`. */
export function toPlain(value: unknown): unknown {
  if (value === null || typeof value !== "object") return value;
  if (Array.isArray(value)) {
    const out: unknown[] = [];
    for (let i = 0; i < value.length; i++) out.push(read(value, i));
    return out;
  }
  const out: Record<string, unknown> = {};
  for (const key of Object.keys(value)) out[key] = read(value, key);
  return out;
}

/** The `keys` of (possibly proxied) resource properties as plain data; absent keys stay absent. */
export function plainProps(props: unknown, keys: readonly string[]): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  if (props === null || typeof props !== "object") return out;
  for (const key of keys) if (Object.prototype.hasOwnProperty.call(props, key)) out[key] = read(props, key);
  return out;
}

const policyProps = (props: unknown) => plainProps(props, IAM_POLICY_KEYS) as IamPolicyProps;
const keyProps = (props: unknown) => plainProps(props, API_KEY_KEYS) as ApiKeyProps;
const membershipProps = (props: unknown) => plainProps(props, GROUP_MEMBERSHIP_KEYS) as GroupMembershipProps;
const groupProps = (props: unknown) => plainProps(props, GROUP_KEYS) as GroupProps;

/**
 * Resource validation on the inputs of every type in `types` (current and deprecated tokens alike): one violation per
 * message the rule returns. Not `validateResourceOfType`: it binds a policy to a single type token.
 */
function onTypes<P>(
  types: readonly string[],
  propsOf: (props: unknown) => P,
  check: (props: P, args: ResourceValidationArgs) => string[],
): ResourceValidationPolicy["validateResource"] {
  return (args, reportViolation) => {
    if (!types.includes(args.type)) args.notApplicable(`applies to ${types.join(", ")} only`);
    for (const message of check(propsOf(args.props), args)) reportViolation(message);
  };
}

const onIamPolicy = (check: (policy: IamPolicyProps, args: ResourceValidationArgs) => string[]) =>
  onTypes(IAM_POLICY_TYPES, policyProps, check);
const onApiKey = (check: (key: ApiKeyProps, args: ResourceValidationArgs) => string[]) =>
  onTypes(API_KEY_TYPES, keyProps, check);

const urnsOf = (resources: readonly PolicyResource[] | undefined) => new Set((resources ?? []).map((r) => r.urn));

const sameId = (a: unknown, b: unknown) => typeof a === "string" && a !== "" && a === b;

/**
 * The policies that govern `key`: those it depends on (a PlakarCredential makes each key depend on its policy), those
 * whose applicationId (or userId) equals the key's, and those whose applicationId comes from the same resource as the
 * key's (which still matches during preview, while the application's ID is unknown).
 */
export function policiesOfKey(
  key: PolicyResource,
  keyValues: ApiKeyProps,
  policies: readonly { readonly resource: PolicyResource; readonly props: IamPolicyProps }[],
): IamPolicyProps[] {
  const dependsOn = urnsOf(key.dependencies);
  const applicationFrom = urnsOf(key.propertyDependencies?.applicationId);
  return policies
    .filter(
      ({ resource, props }) =>
        dependsOn.has(resource.urn) ||
        sameId(keyValues.applicationId, props.applicationId) ||
        sameId(keyValues.userId, props.userId) ||
        [...urnsOf(resource.propertyDependencies?.applicationId)].some((urn) => applicationFrom.has(urn)),
    )
    .map(({ props }) => props);
}

/**
 * The application resources among a stack policy's resources (current and deprecated tokens), with their `id`
 * output. The resources are those the program registers: @pulumi/policy's server (server.js, analyzeStack) drops
 * dependencies on anything else, and the engine sends no resource the program only reads.
 */
export function stackApplications(resources: readonly PolicyResource[]): StackApplication[] {
  return resources
    .filter((r) => APPLICATION_TYPES.includes(r.type))
    .map((r) => ({ urn: r.urn, name: r.name, id: plainProps(r.props, ["id"]).id as StackApplication["id"] }));
}

/** The URNs a property of `resource` was computed from (the engine's property dependencies). */
function dependenciesOf(resource: PolicyResource, property: string): string[] {
  const deps = resource.propertyDependencies ?? {};
  return Object.prototype.hasOwnProperty.call(deps, property) ? (deps[property] ?? []).map((d) => d.urn) : [];
}

/** Every policy of the pack, mandatory. `now` is the clock of the key lifetime policy. */
export function buildPolicies(catalog: Catalog, now: () => Date = () => new Date()): Policies {
  const policyChecks: ResourceValidationPolicy[] = [
    {
      name: "iam-policy-has-principal",
      description:
        "An IAM policy names its principal: applicationId, userId or groupId (noPrincipal is not a principal).",
      enforcementLevel: "mandatory",
      validateResource: onIamPolicy(principalViolations),
    },
    {
      name: "iam-policy-no-organization-scoped-sets",
      description:
        "An IAM policy grants no organization-scoped permission set (IAM, billing, audit trail...): Plakar needs project-scoped sets only.",
      enforcementLevel: "mandatory",
      validateResource: onIamPolicy((policy) => organizationScopedSetViolations(policy, catalog)),
    },
    {
      name: "iam-policy-catalogued-sets-only",
      description: "An IAM policy grants only the permission sets documented in presets/permission-sets.tsv.",
      enforcementLevel: "mandatory",
      validateResource: onIamPolicy((policy) => uncataloguedSetViolations(policy, catalog)),
    },
    {
      name: "iam-policy-rule-single-scope",
      description: "Every rule of an IAM policy has exactly one scope: projectIds or organizationId.",
      enforcementLevel: "mandatory",
      validateResource: onIamPolicy(ruleScopeViolations),
    },
    {
      name: "iam-api-key-expires",
      description: "Every IAM API key has an expiry (expiresAt).",
      enforcementLevel: "mandatory",
      validateResource: onApiKey(apiKeyExpiryViolations),
    },
    {
      name: "iam-api-key-max-lifetime",
      description: "An IAM API key expires at most maxLifetimeDays (pack config, default 365) from now.",
      enforcementLevel: "mandatory",
      configSchema: {
        properties: {
          maxLifetimeDays: { type: "integer", minimum: 1, maximum: MAX_DAYS, default: DEFAULT_MAX_LIFETIME_DAYS },
        },
      },
      validateResource: onApiKey((key, args) =>
        keyLifetimeViolations(key, now(), maxLifetimeDaysOf(args.getConfig<{ maxLifetimeDays?: unknown }>())),
      ),
    },
    {
      name: "iam-policy-no-organization-wide-rules",
      description:
        'No IAM policy rule applies to the whole organization (organizationId, or "*") unless the stack is in the pack config\'s allowedStacks.',
      enforcementLevel: "mandatory",
      configSchema: {
        properties: { allowedStacks: { type: "array", items: { type: "string" }, default: [] } },
      },
      validateResource: onIamPolicy((policy, args) => {
        const allowed = args.getConfig<{ allowedStacks?: unknown }>().allowedStacks;
        const stack = stackOfUrn(args.urn);
        if (Array.isArray(allowed) && stack !== undefined && allowed.includes(stack)) return [];
        return organizationWideRuleViolations(policy);
      }),
    },
  ];
  const objectStorageKeys: StackValidationPolicy = {
    name: "iam-object-storage-key-default-project",
    description:
      "An API key whose policy grants Object Storage sets has a defaultProjectId, one of the projects those sets apply to.",
    enforcementLevel: "mandatory",
    validateStack: (args, reportViolation) => {
      const policies = args.resources
        .filter((r) => IAM_POLICY_TYPES.includes(r.type))
        .map((resource) => ({ resource, props: policyProps(resource.props) }));
      for (const key of args.resources.filter((r) => API_KEY_TYPES.includes(r.type))) {
        const props = keyProps(key.props);
        for (const message of keyDefaultProjectViolations(props, policiesOfKey(key, props, policies))) {
          reportViolation(message, key.urn);
        }
      }
    },
  };
  const keysOnOwnApplications: StackValidationPolicy = {
    name: "iam-api-key-own-application",
    description:
      "An IAM API key belongs to an application of this stack: its applicationId is the ID of an application resource the program manages (no key on another application or on a user).",
    enforcementLevel: "mandatory",
    validateStack: (args, reportViolation) => {
      const applications = stackApplications(args.resources);
      for (const key of args.resources.filter((r) => API_KEY_TYPES.includes(r.type))) {
        const from = dependenciesOf(key, "applicationId");
        for (const message of keyApplicationViolations(keyProps(key.props), from, applications)) {
          reportViolation(message, key.urn);
        }
      }
    },
  };
  const noGroupMembers: StackValidationPolicy = {
    name: "iam-application-not-in-group",
    description:
      "No application of this stack is added to an IAM group, by a group membership (applicationId) or by a group's applicationIds: a group's policies would grant it more than its own.",
    enforcementLevel: "mandatory",
    validateStack: (args, reportViolation) => {
      const applications = stackApplications(args.resources);
      for (const r of args.resources) {
        const messages = GROUP_MEMBERSHIP_TYPES.includes(r.type)
          ? membershipApplicationViolations(membershipProps(r.props), applications)
          : GROUP_TYPES.includes(r.type)
            ? groupApplicationViolations(groupProps(r.props), applications)
            : [];
        for (const message of messages) reportViolation(message, r.urn);
      }
    },
  };
  return [...policyChecks, objectStorageKeys, keysOnOwnApplications, noGroupMembers];
}
