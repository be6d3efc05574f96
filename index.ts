/**
 * The stack: read the config, check all of it (nothing is registered when any of it is wrong), build one component
 * per credential (the class of its use case), export what each component built. `pulumi up` calls this function with
 * no argument, so it runs on the real clock; the offline plan passes the date it previews.
 */
import * as pulumi from "@pulumi/pulumi";
import {
  BlockStorageBackupCredential,
  type CredentialOptions,
  InstanceBackupCredential,
  InventoryCredential,
  ObjectStorageCredential,
  PlakarCredential,
  SecretManagerBackupCredential,
  SecretProviderCredential,
} from "./components/index";
import { type CredentialOutputs, type PlakarInstructions, SECRET_KEY_HINT } from "./components/credential";
import { configIssuesOf } from "./components/domain/errors";
import { shippedData } from "./components/domain/presets";
import { namespaceConfig } from "./stack/config";
import { planStack, type StackCredential, type StackPlan } from "./stack/credentials";

interface StackOptions {
  /** The date whose key generations to declare. @default now */
  readonly now?: Date;
}

function readConfig(now: Date): StackPlan {
  try {
    return planStack(namespaceConfig(pulumi.runtime.allConfig(), pulumi.getProject()), {
      stack: pulumi.getStack(),
      now,
      ...shippedData(),
    });
  } catch (err) {
    const issues = configIssuesOf(err);
    // A RunError is printed by Pulumi without a stack trace: the message already says what to fix.
    if (issues) throw Object.assign(new pulumi.RunError((err as Error).message), { issues });
    throw err;
  }
}

/** The component of a credential: the class of its use case. */
function build({ key, kind, args }: StackCredential, opts: CredentialOptions): CredentialOutputs {
  switch (kind) {
    case "PlakarCredential":
      return new PlakarCredential(key, args, opts);
    case "SecretProviderCredential":
      return new SecretProviderCredential(key, args, opts);
    case "InventoryCredential":
      return new InventoryCredential(key, args, opts);
    case "ObjectStorageCredential":
      return new ObjectStorageCredential(key, args, opts);
    case "InstanceBackupCredential":
      return new InstanceBackupCredential(key, args, opts);
    case "BlockStorageBackupCredential":
      return new BlockStorageBackupCredential(key, args, opts);
    case "SecretManagerBackupCredential":
      return new SecretManagerBackupCredential(key, args, opts);
  }
}

/** Plakar's form and CLI settings as this stack's outputs say them: the secret key is read from the stack's outputs. */
function stackHints(plakar: PlakarInstructions, key: string): PlakarInstructions {
  const hint = `credentials.${key}.secretKey: pulumi stack output --show-secrets credentials`;
  return {
    ...plakar,
    fields: plakar.fields.map((f) => (f.hint === SECRET_KEY_HINT ? { ...f, hint } : f)),
    ...(plakar.cli
      ? {
          cli: plakar.cli.map((c) => ({
            ...c,
            settings: c.settings.map((s) => (s.secretFrom === SECRET_KEY_HINT ? { ...s, secretFrom: hint } : s)),
          })),
        }
      : {}),
  };
}

export = async function stack(options: StackOptions = {}) {
  const now = options.now ?? new Date();
  const plan = readConfig(now);

  /**
   * Per credential: what its component built (IDs, access, keys: secret keys are Pulumi secrets, Plakar's form). One
   * Output per credential, whose value holds the secret keys as the component's own Outputs, so that they stay
   * secret and the rest does not: Pulumi serializes Outputs at any depth of a stack output.
   */
  const credentials = Object.fromEntries(
    plan.credentials.map((c) => {
      const retired = c.args.retire === true;
      const built = build(c, { protect: plan.protect, now });
      const { secretKey, previousSecretKey } = built;
      const summary = pulumi
        .all([built.access, built.keys, built.plakar, built.applicationId, built.policyId, built.delivery])
        .apply(([access, keys, plakar, applicationId, policyId, delivery]) => {
          const key = (slot: "current" | "previous", secret: pulumi.Output<string> | undefined) => {
            const k = keys[slot];
            return k && secret
              ? { accessKey: k.accessKey, secretKey: secret, expiresAt: k.expiresAt, generation: k.generation ?? null }
              : null;
          };
          // A retired credential holds no key: nothing for check-expiry to judge, nothing to hand to Plakar.
          const held = retired
            ? { retired: true, accessKey: null, secretKey: null, expiresAt: null, current: null, previous: null }
            : {
                accessKey: keys.current.accessKey,
                secretKey,
                expiresAt: keys.current.expiresAt,
                current: key("current", secretKey),
                previous: key("previous", previousSecretKey),
              };
          return {
            useCase: access.useCase,
            applicationId,
            policyId,
            ...held,
            projectIds: access.allProjects ? "*" : access.projectIds,
            preferredProjectId: access.preferredProjectId ?? null,
            permissionSets: access.permissionSets,
            rules: access.rules,
            delivery: delivery ?? null,
            plakar: stackHints(plakar, c.key),
          };
        });
      return [c.key, summary];
    }),
  );
  return { credentials };
};
