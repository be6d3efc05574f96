import * as pulumi from "@pulumi/pulumi";
import * as scaleway from "@pulumiverse/scaleway";
import { DELIVERY_TYPE } from "./domain/constants";

export interface SecretDeliveryArgs {
  /** Name of the secret: the credential's name. */
  readonly secretName: string;
  /** The secret's folder, e.g. `/plakar/prod`. */
  readonly folder: pulumi.Input<string>;
  readonly projectId: pulumi.Input<string>;
  readonly region: pulumi.Input<string>;
  readonly tags: pulumi.Input<string[]>;
  /** Plain values written next to the key (`project_id`, `region`). */
  readonly extraFields: pulumi.Input<Record<string, string>>;
  /** The current key's access key. */
  readonly accessKey: pulumi.Input<string>;
  /** The current key's secret key; stored only inside the (secret) version data. */
  readonly secretKey: pulumi.Input<string>;
  /** The key generation written, shown as the version's description. @default "pinned" */
  readonly generation?: string;
  /** Scaleway's own `protected` flag on the secret (Pulumi's `protect` comes from the component). @default false */
  readonly protect?: boolean;
  /** The key was revoked (a retired credential): keep the secret, but no version holding the key. @default false */
  readonly revoked?: boolean;
  /** What the secret waits for before it is created (the credential's late checks). */
  readonly gate?: pulumi.Input<pulumi.Resource[]>;
}

/**
 * A key-value secret in Scaleway Secret Manager holding a credential's current key, for Plakar's secret provider to
 * read. The secret keeps its name: a new key only writes a new version. Internal to the credential components (not
 * exported: Pulumi's plugin runner would serve it as a component of its own).
 */
export class SecretDelivery extends pulumi.ComponentResource {
  readonly secret: scaleway.secrets.Secret;
  /** The version holding the current key; none once the key is revoked. */
  readonly version?: scaleway.secrets.Version;
  /** The bare secret ID Plakar references (`{secret_id}#{field}`); the provider's ID is `<region>/<id>`. */
  readonly secretId: pulumi.Output<string>;

  constructor(name: string, args: SecretDeliveryArgs, opts?: pulumi.ComponentResourceOptions) {
    super(DELIVERY_TYPE, name, {}, opts);
    const retainOnDelete = opts?.retainOnDelete;

    this.secret = new scaleway.secrets.Secret(
      `${name}-secret`,
      {
        name: args.secretName,
        path: args.folder,
        projectId: args.projectId,
        region: args.region,
        type: "key_value",
        description: `Plakar credential ${args.secretName}, written by Pulumi`,
        tags: args.tags,
        protected: args.protect ?? false,
      },
      {
        parent: this,
        ...(retainOnDelete !== undefined ? { retainOnDelete } : {}),
        ...(args.gate ? { dependsOn: args.gate } : {}),
      },
    );

    if (!args.revoked) {
      // Plakar's secret provider reads these fields as `<secret_id>#access_key`, `#secret_key`, ...
      const data = pulumi
        .all([args.accessKey, args.secretKey, args.extraFields])
        .apply(([accessKey, secretKey, extra]) =>
          JSON.stringify({ access_key: accessKey, secret_key: secretKey, ...extra }),
        );
      this.version = new scaleway.secrets.Version(
        `${name}-secret-version`,
        {
          secretId: this.secret.id,
          region: args.region,
          description: `key generation ${args.generation ?? "pinned"}`,
          data: pulumi.secret(data),
        },
        // Rotated like the keys: a new key writes a new version and the old one is deleted, so never protected.
        { parent: this, protect: false },
      );
    }

    this.secretId = this.secret.id.apply((id) => id.split("/").pop() ?? id);
    this.registerOutputs({ secretId: this.secretId });
  }
}
