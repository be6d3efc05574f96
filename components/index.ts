/**
 * The component package: one credential component per Plakar use case, and PlakarCredential for any other shape.
 * Importing it creates nothing. Pulumi's plugin runner hosts every component class exported here, as it is, for
 * Python, Go, C# and YAML programs (`pulumi package add`); TypeScript programs import it from npm.
 */
export { PlakarCredential, type PlakarCredentialArgs } from "./plakarCredential";
export { SecretProviderCredential, type SecretProviderCredentialArgs } from "./secretProvider";
export { InventoryCredential, type InventoryCredentialArgs } from "./inventory";
export { ObjectStorageCredential, type ObjectStorageCredentialArgs } from "./objectStorage";
export { InstanceBackupCredential, type InstanceBackupCredentialArgs } from "./instanceBackup";
export { BlockStorageBackupCredential, type BlockStorageBackupCredentialArgs } from "./blockStorageBackup";
export { SecretManagerBackupCredential, type SecretManagerBackupCredentialArgs } from "./secretManagerBackup";
export type {
  AdoptArgs,
  CommonCredentialArgs,
  DeliverableCredentialArgs,
  DeliveryArgs,
  RotationArgs,
  RuleArgs,
} from "./args";
export {
  CredentialArgsError,
  /** The name 0.2.0 gave CredentialArgsError. */
  CredentialArgsError as PlakarCredentialArgsError,
} from "./credential";
export type {
  CredentialAccess,
  CredentialOptions,
  DeliveryInfo,
  IssuedKey,
  IssuedKeys,
  PlakarCliConfiguration,
  PlakarCliSetting,
  PlakarField,
  PlakarInstructions,
  PolicyRule,
} from "./credential";
export type { ConfigIssue } from "./domain/errors";

import { shippedData } from "./domain/presets";

/** The presets shipped with the package (name → description and permission sets). */
export function presets(): { name: string; description: string; permissionSets: string[] }[] {
  return [...shippedData().presets.values()].map((p) => ({
    name: p.name,
    description: p.description,
    permissionSets: [...p.permissionSets],
  }));
}
