/**
 * The component library: `import { PlakarCredential } from "plakar-scaleway-iam"`. Importing it creates nothing;
 * the stack in this repository (index.ts) is one program built on it. Through PulumiPlugin.yaml the same component
 * serves Python, Go, C# and YAML programs.
 */
export {
  type DeliveryArgs,
  type DeliveryInfo,
  type IssuedKey,
  type IssuedKeys,
  PlakarCredential,
  type PlakarCredentialArgs,
  PlakarCredentialArgsError,
  type PlakarCredentialOptions,
  type PlakarField,
  type PlakarInstructions,
  type RotationArgs,
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
