/**
 * Every IAM resource type token that the pinned @pulumiverse/scaleway (package.json) registers, current and
 * deprecated: the deprecated `scaleway:index/iam*` classes take the same inputs under another token, so a policy that
 * knew only `scaleway:iam/...` could be walked around with `new scaleway.IamApiKey(...)`. test/policy.test.ts reads
 * every class's `__pulumiType` from the package and fails when a token is missing here.
 */

/** Policies: a principal and rules of permission sets. */
export const IAM_POLICY_TYPES: readonly string[] = ["scaleway:iam/policy:Policy", "scaleway:index/iamPolicy:IamPolicy"];

/** API keys: an access key and a secret, of an application or a user. */
export const API_KEY_TYPES: readonly string[] = ["scaleway:iam/apiKey:ApiKey", "scaleway:index/iamApiKey:IamApiKey"];

/** Applications: the principals of Plakar's policies and the owners of its keys. */
export const APPLICATION_TYPES: readonly string[] = [
  "scaleway:iam/application:Application",
  "scaleway:index/iamApplication:IamApplication",
];

/** The provider's other IAM types: no rule of the pack applies to them (they grant nothing by themselves). */
export const OTHER_IAM_TYPES: readonly string[] = [
  "scaleway:iam/group:Group",
  "scaleway:iam/groupMembership:GroupMembership",
  "scaleway:iam/saml:Saml",
  "scaleway:iam/samlCertificate:SamlCertificate",
  "scaleway:iam/scim:Scim",
  "scaleway:iam/scimToken:ScimToken",
  "scaleway:iam/sshKey:SshKey",
  "scaleway:iam/user:User",
  "scaleway:index/iamGroup:IamGroup",
  "scaleway:index/iamGroupMembership:IamGroupMembership",
  "scaleway:index/iamSshKey:IamSshKey",
  "scaleway:index/iamUser:IamUser",
];
