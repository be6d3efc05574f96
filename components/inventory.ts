import * as pulumi from "@pulumi/pulumi";
import type { DeliverableCredentialArgs } from "./args";
import {
  buildCredential,
  type CredentialAccess,
  type CredentialOptions,
  type DeliveryInfo,
  type IssuedKeys,
  planCredential,
  type PlakarInstructions,
} from "./credential";
import { COMPONENT_TYPES } from "./domain/constants";

/** The arguments of an InventoryCredential: the projects the inventory discovers (one per project is Plakar's advice). */
export interface InventoryCredentialArgs extends DeliverableCredentialArgs {
  /** Plakar recommends one inventory, so one credential, per project or environment. */
  projectIds?: pulumi.Input<pulumi.Input<string>[]>;
}

/** The credential of a Plakar Scaleway inventory, which discovers a project's resources (AllProductsReadOnly). */
export class InventoryCredential extends pulumi.ComponentResource {
  /** The IAM application's ID. */
  declare readonly applicationId: pulumi.Output<string>;
  /** The policy's ID. */
  declare readonly policyId: pulumi.Output<string>;
  /** The current key's access key; it resolves only once the policy exists. */
  declare readonly accessKey: pulumi.Output<string>;
  /** The current key's secret key: always a Pulumi secret. */
  declare readonly secretKey: pulumi.Output<string>;
  /** The previous key's secret key during a rotation overlap: always a Pulumi secret. */
  declare readonly previousSecretKey?: pulumi.Output<string>;
  /** When the current key expires (RFC 3339). */
  declare readonly expiresAt: pulumi.Output<string>;
  /** The keys in force (current and, during an overlap, previous), without their secrets. */
  declare readonly keys: pulumi.Output<IssuedKeys>;
  /** What the credential may do: its use case, each rule of its policy, its projects and preferred project. */
  declare readonly access: pulumi.Output<CredentialAccess>;
  /** The Secret Manager secret holding the current key, when delivered. */
  declare readonly delivery?: pulumi.Output<DeliveryInfo>;
  /** What to type into Plakar, field by field (never a secret key). */
  declare readonly plakar: pulumi.Output<PlakarInstructions>;

  constructor(name: string, args: InventoryCredentialArgs, opts?: CredentialOptions) {
    // Every check that can run now runs before anything is registered, the component itself included.
    const plan = planCredential("InventoryCredential", name, args, opts);
    super(COMPONENT_TYPES.InventoryCredential, name, plan.componentInputs, plan.componentOptions);
    const outputs = buildCredential(this, plan);
    Object.assign(this, outputs);
    this.registerOutputs(outputs);
  }
}
