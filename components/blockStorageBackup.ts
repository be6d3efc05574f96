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

/** The arguments of a BlockStorageBackupCredential: the volumes' projects and the staging bucket's project. */
export interface BlockStorageBackupCredentialArgs extends DeliverableCredentialArgs {
  /**
   * The staging bucket's project: it gets the Object Storage sets and is the key's preferred project, while
   * projectIds (the volumes') get the Block Storage set. Without it, every set goes on projectIds.
   */
  stagingProjectId?: pulumi.Input<string>;
  /** The staging bucket's project when it is one of several projectIds and stagingProjectId is not given. */
  preferredProjectId?: pulumi.Input<string>;
}

/**
 * The credential of Plakar's Scaleway integration, protocol scaleway-block: exports a Block Storage volume's
 * snapshot into a staging bucket, then backs it up (Block Storage on the volumes' projects, Object Storage on the
 * staging bucket's project).
 */
export class BlockStorageBackupCredential extends pulumi.ComponentResource {
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

  constructor(name: string, args: BlockStorageBackupCredentialArgs, opts?: CredentialOptions) {
    // Every check that can run now runs before anything is registered, the component itself included.
    const plan = planCredential("BlockStorageBackupCredential", name, args, opts);
    super(COMPONENT_TYPES.BlockStorageBackupCredential, name, plan.componentInputs, plan.componentOptions);
    const outputs = buildCredential(this, plan);
    Object.assign(this, outputs);
    this.registerOutputs(outputs);
  }
}
