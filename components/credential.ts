import * as pulumi from "@pulumi/pulumi";
import * as scaleway from "@pulumiverse/scaleway";
import type { CredentialPlan, KeyPlan } from "../lib/plan";
import { SecretDelivery } from "./secretDelivery";

export interface PlakarCredentialArgs {
  /** The resolved, validated credential (lib/plan.ts): names, the rule, the keys to declare, the delivery. */
  readonly plan: CredentialPlan;
  /** Pulumi `protect` on the application, the policy and a delivered secret; never on keys. @default false */
  readonly protect?: boolean;
}

/** One API key as handed out. */
export interface IssuedKey {
  readonly accessKey: pulumi.Output<string>;
  /** Always a Pulumi secret. */
  readonly secretKey: pulumi.Output<string>;
  readonly expiresAt: pulumi.Output<string>;
  /** First day of the key's rotation generation; absent for a pinned expiry. */
  readonly generation?: string;
}

/** A line of what to type into Plakar: a value, or a hint when the stack cannot know it. */
export interface PlakarField {
  readonly label: string;
  readonly value?: string;
  readonly hint?: string;
}

/** What to type into Plakar's form for this credential. */
export interface PlakarInstructions {
  /** The Plakar integration the credential is for. */
  readonly integration: string;
  /** For a credential delivered through Secret Manager: the secret Plakar's secret provider reads. */
  readonly secretId?: string;
  readonly fields: readonly PlakarField[];
}

/**
 * One Plakar credential: an IAM application, a policy whose principal is that application (one rule, one scope),
 * and the application's API keys (the current one and, during a rotation overlap, the previous one). Keys are
 * created only once the policy exists, so nobody is handed a key that cannot do its job yet.
 */
export class PlakarCredential extends pulumi.ComponentResource {
  static readonly type = "plakar-scaleway-iam:iam:Credential";

  readonly plan: CredentialPlan;
  readonly application: scaleway.iam.Application;
  readonly policy: scaleway.iam.Policy;
  readonly current: IssuedKey;
  readonly previous?: IssuedKey;
  readonly delivery?: SecretDelivery;
  /** What to type into Plakar for this use case. */
  readonly plakar: pulumi.Output<PlakarInstructions>;

  constructor(name: string, args: PlakarCredentialArgs, opts?: pulumi.ComponentResourceOptions) {
    super(PlakarCredential.type, name, {}, opts);
    const { plan } = args;
    const protect = args.protect ?? false;
    this.plan = plan;

    this.application = new scaleway.iam.Application(
      `${name}-app`,
      { name: plan.name, description: plan.description, organizationId: plan.organizationId, tags: [...plan.tags] },
      { parent: this, protect },
    );

    this.policy = new scaleway.iam.Policy(
      `${name}-policy`,
      {
        name: plan.name,
        description: plan.description,
        organizationId: plan.organizationId,
        tags: [...plan.tags],
        applicationId: this.application.id,
        rules: [
          "organizationId" in plan.rule
            ? { organizationId: plan.rule.organizationId, permissionSetNames: [...plan.rule.permissionSetNames] }
            : { projectIds: [...plan.rule.projectIds], permissionSetNames: [...plan.rule.permissionSetNames] },
        ],
      },
      { parent: this, protect },
    );

    this.current = this.issueKey(plan.keys.current);
    if (plan.keys.previous) this.previous = this.issueKey(plan.keys.previous);

    if (plan.delivery) {
      this.delivery = new SecretDelivery(
        `${name}-delivery`,
        {
          plan: plan.delivery,
          accessKey: this.current.accessKey,
          secretKey: this.current.secretKey,
          generation: this.current.generation,
          protect,
        },
        { parent: this },
      );
    }
    this.plakar = this.plakarFields();

    this.registerOutputs({
      applicationId: this.application.id,
      policyId: this.policy.id,
      accessKey: this.current.accessKey,
      secretKey: this.current.secretKey,
    });
  }

  private issueKey(key: KeyPlan): IssuedKey {
    const apiKey = new scaleway.iam.ApiKey(
      key.resourceName,
      {
        applicationId: this.application.id,
        description: key.description,
        expiresAt: key.expiresAt,
        ...(this.plan.preferredProject ? { defaultProjectId: this.plan.preferredProject.id } : {}),
      },
      {
        parent: this,
        dependsOn: [this.policy],
        // Never protected: rotation must be able to delete old keys. A rotated key keeps the expiry it was created
        // with: a new overlapDays must not replace the live key in place (the provider replaces on expiresAt); it
        // applies from the next generation.
        ...(key.generation ? { ignoreChanges: ["expiresAt"] } : {}),
      },
    );
    return {
      // Resolves only once the policy exists as well as the key.
      accessKey: pulumi.all([apiKey.accessKey, this.policy.id]).apply(([accessKey]) => accessKey),
      // The provider marks secretKey secret, but only the engine honours that; wrap it ourselves.
      secretKey: pulumi.secret(apiKey.secretKey),
      // The key's actual expiry (what check-expiry must judge), not the one planned today.
      expiresAt: apiKey.expiresAt.apply((actual) => actual ?? key.expiresAt),
      ...(key.generation ? { generation: key.generation } : {}),
    };
  }

  private plakarFields(): pulumi.Output<PlakarInstructions> {
    const secretId = this.delivery?.secretId ?? pulumi.output(undefined);
    const { integration } = this.plan.plakar;
    return pulumi.all([this.current.accessKey, secretId]).apply(([accessKey, id]) => ({
      integration,
      ...(id !== undefined ? { secretId: id } : {}),
      fields: this.plan.plakar.fields.map((field): PlakarField => {
        if (id !== undefined && field.secretField) return { label: field.label, value: `${id}#${field.secretField}` };
        if (field.from === "accessKey") return { label: field.label, value: accessKey };
        if (field.from === "secretKey") {
          return { label: field.label, hint: "the secretKey output: pulumi stack output --show-secrets credentials" };
        }
        return field.value !== undefined
          ? { label: field.label, value: field.value }
          : { label: field.label, ...(field.hint ? { hint: field.hint } : {}) };
      }),
    }));
  }
}
