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

/** The arguments of an ObjectStorageCredential: the buckets' projects, and whether Plakar only reads them. */
export interface ObjectStorageCredentialArgs extends DeliverableCredentialArgs {
  /** A backup source only: read buckets and objects, write nothing (preset object-storage-source). @default false */
  readOnly?: pulumi.Input<boolean>;
  /** The buckets' project (the key's preferred project); required when projectIds lists several. */
  preferredProjectId?: pulumi.Input<string>;
}

/**
 * The credential of Plakar's S3 integration on Scaleway Object Storage: a store or a restore destination (buckets
 * and objects read, written and deleted), or with `readOnly` a backup source (read only). The key's preferred
 * project is the buckets' project.
 */
export class ObjectStorageCredential extends pulumi.ComponentResource {
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

  constructor(name: string, args: ObjectStorageCredentialArgs, opts?: CredentialOptions) {
    // Every check that can run now runs before anything is registered, the component itself included.
    const plan = planCredential("ObjectStorageCredential", name, args, opts);
    super(COMPONENT_TYPES.ObjectStorageCredential, name, plan.componentInputs, plan.componentOptions);
    const outputs = buildCredential(this, plan);
    Object.assign(this, outputs);
    this.registerOutputs(outputs);
  }
}
