import * as pulumi from "@pulumi/pulumi";
import * as scaleway from "@pulumiverse/scaleway";
import type { DeliveryPlan } from "../lib/plan";

export interface SecretDeliveryArgs {
  /** Where the secret lives and what plain fields go with the key (from lib/plan.ts). */
  readonly plan: DeliveryPlan;
  /** The current key's access key. */
  readonly accessKey: pulumi.Input<string>;
  /** The current key's secret key; stored only inside the (secret) version data. */
  readonly secretKey: pulumi.Input<string>;
  /** The key generation written, shown as the version's description. @default "pinned" */
  readonly generation?: string;
  /** Pulumi `protect`, and Scaleway's own `protected` flag, on the secret (never on versions). @default false */
  readonly protect?: boolean;
}

/**
 * A key-value secret in Scaleway Secret Manager holding a credential's current key, for Plakar's secret provider to
 * read. The secret keeps its name: a new key only writes a new version.
 */
export class SecretDelivery extends pulumi.ComponentResource {
  static readonly type = "plakar-scaleway-iam:secrets:Delivery";

  readonly secret: scaleway.secrets.Secret;
  readonly version: scaleway.secrets.Version;
  /** The bare secret ID Plakar references (`{secret_id}#{field}`); the provider's ID is `<region>/<id>`. */
  readonly secretId: pulumi.Output<string>;

  constructor(name: string, args: SecretDeliveryArgs, opts?: pulumi.ComponentResourceOptions) {
    super(SecretDelivery.type, name, {}, opts);
    const { plan } = args;
    const protect = args.protect ?? false;

    this.secret = new scaleway.secrets.Secret(
      `${name}-secret`,
      {
        name: plan.name,
        path: plan.folder,
        projectId: plan.project.id,
        region: plan.region,
        type: "key_value",
        description: `Plakar credential ${plan.name}, written by Pulumi`,
        tags: [...plan.tags],
        protected: protect,
      },
      { parent: this, protect },
    );

    const data = pulumi
      .all([args.accessKey, args.secretKey])
      .apply(([accessKey, secretKey]) =>
        JSON.stringify({ access_key: accessKey, secret_key: secretKey, ...plan.extraFields }),
      );
    this.version = new scaleway.secrets.Version(
      `${name}-secret-version`,
      {
        secretId: this.secret.id,
        region: plan.region,
        description: `key generation ${args.generation ?? "pinned"}`,
        data: pulumi.secret(data),
      },
      { parent: this },
    );

    this.secretId = this.secret.id.apply((id) => id.split("/").pop() ?? id);
    this.registerOutputs({ secretId: this.secretId });
  }
}
