/**
 * The IAM resource type tokens the pack judges, from components/domain/constants.ts: every token the pinned
 * @pulumiverse/scaleway registers, current and deprecated. The deprecated `scaleway:index/iam*` classes take the
 * same inputs under another token, so a policy that knew only `scaleway:iam/...` could be walked around with
 * `new scaleway.IamApiKey(...)`. test/policy.test.ts reads every class's `__pulumiType` from the package and fails
 * when a token is missing from ALL_IAM_TYPES.
 */
import { IAM_TYPES } from "../components/domain/constants";

/** Policies: a principal and rules of permission sets. */
export const IAM_POLICY_TYPES: readonly string[] = IAM_TYPES.policy;

/** API keys: an access key and a secret, of an application or a user. */
export const API_KEY_TYPES: readonly string[] = IAM_TYPES.apiKey;

/** Applications: the principals of Plakar's policies and the owners of its keys. */
export const APPLICATION_TYPES: readonly string[] = IAM_TYPES.application;

/** Groups: their `applicationIds` make applications members. */
export const GROUP_TYPES: readonly string[] = IAM_TYPES.group;

/** Group memberships: one user or application added to a group. */
export const GROUP_MEMBERSHIP_TYPES: readonly string[] = IAM_TYPES.groupMembership;

/** The provider's other IAM types: they grant nothing by themselves, and no rule of the pack applies to them. */
export const OTHER_IAM_TYPES: readonly string[] = IAM_TYPES.other;

/** Every IAM token, each in exactly one of the lists above. */
export const ALL_IAM_TYPES: readonly string[] = [
  ...IAM_POLICY_TYPES,
  ...API_KEY_TYPES,
  ...APPLICATION_TYPES,
  ...GROUP_TYPES,
  ...GROUP_MEMBERSHIP_TYPES,
  ...OTHER_IAM_TYPES,
];
