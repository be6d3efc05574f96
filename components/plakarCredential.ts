import * as pulumi from "@pulumi/pulumi";
import type { DeliverableCredentialArgs, RuleArgs } from "./args";
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

/** The arguments of a PlakarCredential: a preset, explicit permission sets, or several rules. */
export interface PlakarCredentialArgs extends DeliverableCredentialArgs {
  /** A Plakar use case from presets/: inventory, secret-provider, object-storage, ... (a use case's own class says it better). */
  preset?: pulumi.Input<string>;
  /** Project-scoped permission sets, instead of or added to the preset's. */
  permissionSets?: pulumi.Input<pulumi.Input<string>[]>;
  /** Several rules, each its own projects and sets, instead of projectIds/allProjects and permissionSets. */
  rules?: pulumi.Input<pulumi.Input<RuleArgs>[]>;
  /** The key's Object Storage preferred project; required with Object Storage sets on several projects. */
  preferredProjectId?: pulumi.Input<string>;
  /** For a preset made of parts: the project of its staging part (the Object Storage sets). */
  stagingProjectId?: pulumi.Input<string>;
  /** The region Plakar's form asks for: the secrets' region (secret provider, Secret Manager backup). */
  region?: pulumi.Input<string>;
}

/**
 * A Plakar credential of any shape: a preset, explicit project-scoped permission sets, or several rules each with
 * its own projects. An IAM application, a policy whose principal is that application, the application's rotating
 * API keys (handed out only once the policy exists) and, optionally, the current key written into Secret Manager.
 * Each Plakar use case also has a class of its own, with its own arguments.
 */
export class PlakarCredential extends pulumi.ComponentResource {
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

  constructor(name: string, args: PlakarCredentialArgs, opts?: CredentialOptions) {
    // Every check that can run now runs before anything is registered, the component itself included.
    const plan = planCredential("PlakarCredential", name, args, opts);
    super(COMPONENT_TYPES.PlakarCredential, name, plan.componentInputs, plan.componentOptions);
    const outputs = buildCredential(this, plan);
    Object.assign(this, outputs);
    this.registerOutputs(outputs);
  }
}
