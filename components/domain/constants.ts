/**
 * Scaleway's and Pulumi's names and numbers that the package, the stack, the tools and the policy pack share: type
 * tokens, Scaleway's limits, our defaults. Each is defined here once.
 */

/** The package's name: the first part of every type token of ours, and the npm package. */
export const PACKAGE = "plakar-scaleway-iam";

/** The component classes, by type token: one per Plakar use case, and the general one. */
export const COMPONENT_TYPES = {
  PlakarCredential: `${PACKAGE}:index:PlakarCredential`,
  SecretProviderCredential: `${PACKAGE}:index:SecretProviderCredential`,
  InventoryCredential: `${PACKAGE}:index:InventoryCredential`,
  ObjectStorageCredential: `${PACKAGE}:index:ObjectStorageCredential`,
  InstanceBackupCredential: `${PACKAGE}:index:InstanceBackupCredential`,
  BlockStorageBackupCredential: `${PACKAGE}:index:BlockStorageBackupCredential`,
  SecretManagerBackupCredential: `${PACKAGE}:index:SecretManagerBackupCredential`,
} as const;

/** The component's token in 0.1.0, before the component package: aliased, so upgrading stacks replace nothing. */
export const LEGACY_CREDENTIAL_TYPE = `${PACKAGE}:iam:Credential`;

/** Every token a credential component has had or has: what the tools and the policy pack recognise as one. */
export const CREDENTIAL_TYPES: readonly string[] = [...Object.values(COMPONENT_TYPES), LEGACY_CREDENTIAL_TYPE];

/** The component that writes a credential's key into Secret Manager (internal, a child of a credential). */
export const DELIVERY_TYPE = `${PACKAGE}:secrets:Delivery`;

/** The root of every Pulumi stack's resource tree. */
export const ROOT_STACK_TYPE = "pulumi:pulumi:Stack";

/**
 * Scaleway's IAM resource tokens in @pulumiverse/scaleway, current and deprecated: the deprecated
 * `scaleway:index/iam*` classes take the same inputs under another token (test/policy.test.ts reads every class's
 * token from the package and fails when one is missing here).
 */
export const IAM_TYPES = {
  /** Policies: a principal and rules of permission sets. */
  policy: ["scaleway:iam/policy:Policy", "scaleway:index/iamPolicy:IamPolicy"],
  /** API keys: an access key and a secret, of an application or a user. */
  apiKey: ["scaleway:iam/apiKey:ApiKey", "scaleway:index/iamApiKey:IamApiKey"],
  /** Applications: the principals of Plakar's policies and the owners of its keys. */
  application: ["scaleway:iam/application:Application", "scaleway:index/iamApplication:IamApplication"],
  /** Groups and memberships: what would add an application's identity to others' rights. */
  group: ["scaleway:iam/group:Group", "scaleway:index/iamGroup:IamGroup"],
  groupMembership: [
    "scaleway:iam/groupMembership:GroupMembership",
    "scaleway:index/iamGroupMembership:IamGroupMembership",
  ],
  /** The provider's other IAM types: they grant nothing by themselves. */
  other: [
    "scaleway:iam/saml:Saml",
    "scaleway:iam/samlCertificate:SamlCertificate",
    "scaleway:iam/scim:Scim",
    "scaleway:iam/scimToken:ScimToken",
    "scaleway:iam/sshKey:SshKey",
    "scaleway:iam/user:User",
    "scaleway:index/iamSshKey:IamSshKey",
    "scaleway:index/iamUser:IamUser",
  ],
} as const;

/** Secret Manager's tokens. */
export const SECRET_TYPE = "scaleway:secrets/secret:Secret";
export const SECRET_VERSION_TYPE = "scaleway:secrets/version:Version";

/** The longest span, in days, any day count may take (ten years): what Scaleway and Date arithmetic can take. */
export const MAX_DAYS = 3650;
export const DEFAULT_ROTATE_EVERY_DAYS = 90;
export const DEFAULT_OVERLAP_DAYS = 14;
/** No key may live longer than this many days, unless said otherwise (the stack, the component, the policy pack). */
export const DEFAULT_MAX_LIFETIME_DAYS = 365;

/** Scaleway's limits on applications and policies (`@scaleway/sdk-iam` validation rules). */
export const SCALEWAY_NAME = /^[a-zA-Z0-9()._\- ]+$/;
export const SCALEWAY_NAME_MAX = 64;
export const SCALEWAY_DESCRIPTION_MAX = 200;
export const SCALEWAY_TAGS_MAX = 10;

/** Secret Manager's regions (`@scaleway/sdk-secret`'s declared localities). */
export const SECRET_MANAGER_REGIONS = ["fr-par", "nl-ams", "pl-waw"] as const;
export type SecretManagerRegion = (typeof SECRET_MANAGER_REGIONS)[number];
export const DEFAULT_DELIVERY_REGION: SecretManagerRegion = "fr-par";

/** The preset of the credential Plakar reads every other one with: it cannot be delivered through itself. */
export const SECRET_PROVIDER = "secret-provider";
/** The use case of a credential made of explicit permission sets, without a preset. */
export const CUSTOM_USE_CASE = "custom";
