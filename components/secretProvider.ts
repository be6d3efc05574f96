import * as pulumi from "@pulumi/pulumi";
import type { CommonCredentialArgs } from "./args";
import {
  buildCredential,
  type CredentialAccess,
  type CredentialOptions,
  type IssuedKeys,
  planCredential,
  type PlakarInstructions,
} from "./credential";
import { COMPONENT_TYPES } from "./domain/constants";

/** The arguments of a SecretProviderCredential: the projects holding the secrets Plakar reads, and their region. */
export interface SecretProviderCredentialArgs extends CommonCredentialArgs {
  /** The region of the secrets Plakar reads: Plakar's "Region" field ("fr-par", "nl-ams" or "pl-waw"). */
  region?: pulumi.Input<string>;
}

/**
 * The credential Plakar's Scaleway secret provider reads secrets with (SecretManagerReadOnly and
 * SecretManagerSecretAccess on the projects holding them). It is the key typed into Plakar once, to read every
 * other one, so it cannot itself be delivered through Secret Manager.
 */
export class SecretProviderCredential extends pulumi.ComponentResource {
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
  /** What to type into Plakar, field by field (never a secret key). */
  declare readonly plakar: pulumi.Output<PlakarInstructions>;

  constructor(name: string, args: SecretProviderCredentialArgs, opts?: CredentialOptions) {
    // Every check that can run now runs before anything is registered, the component itself included.
    const plan = planCredential("SecretProviderCredential", name, args, opts);
    super(COMPONENT_TYPES.SecretProviderCredential, name, plan.componentInputs, plan.componentOptions);
    const outputs = buildCredential(this, plan);
    Object.assign(this, outputs);
    this.registerOutputs(outputs);
  }
}
