import * as pulumi from "@pulumi/pulumi";
import * as scaleway from "@pulumiverse/scaleway";
import { type ResolvedCredential, checkCredential, resolveCredential } from "./domain/credential";
import { type ConfigIssue, configIssuesOf, formatIssue, Issues } from "./domain/errors";
import { keyResourceName, scheduledGenerations } from "./domain/keys";
import type { Rule } from "./domain/scope";
import { type ArgValues, specOf, visibleNow } from "./args";
import { shippedData } from "./domain/presets";
import { SecretDelivery } from "./secretDelivery";
import { ScalewayId } from "./domain/schema";

/** Key rotation: a new key every `rotateEveryDays`, the previous one kept valid `overlapDays` longer. */
export interface RotationArgs {
  /** A new key every this many days (1–3650). @default 90 */
  rotateEveryDays?: number;
  /** How long the previous key stays valid after a new one is issued; less than rotateEveryDays. @default 14 */
  overlapDays?: number;
}

/** Where the current key is written in Scaleway Secret Manager, for Plakar's secret provider to read. */
export interface DeliveryArgs {
  /** The project that holds the secret. */
  projectId: pulumi.Input<string>;
  /** The Secret Manager region: the region of Plakar's secret provider. @default "fr-par" */
  region?: pulumi.Input<string>;
  /** The secret's folder; the secret is named after the component. @default "/plakar/<stack>" */
  path?: pulumi.Input<string>;
}

/** One policy rule: project-scoped permission sets on one scope. */
export interface RuleArgs {
  /** The projects the rule reaches (their IDs). Required unless allProjects is true. */
  projectIds?: pulumi.Input<pulumi.Input<string>[]>;
  /** Grant every current and future project of the organization instead of projectIds. @default false */
  allProjects?: boolean;
  /** Project-scoped permission sets. */
  permissionSets?: pulumi.Input<pulumi.Input<string>[]>;
}

/** An application and its policy made by hand, to take over instead of creating new ones. */
export interface AdoptArgs {
  /** The application's ID. */
  applicationId: string;
  /** The ID of the policy whose principal is that application. */
  policyId: string;
}

/** The arguments of a PlakarCredential. Values that decide which resources exist are plain; the rest are Inputs. */
export interface PlakarCredentialArgs {
  /** The Scaleway organization's ID. */
  organizationId: pulumi.Input<string>;
  /** The projects the credential reaches (their IDs). Required unless allProjects is true. */
  projectIds?: pulumi.Input<pulumi.Input<string>[]>;
  /** Grant every current and future project of the organization instead of projectIds. @default false */
  allProjects?: boolean;
  /** A Plakar use case from presets/: inventory, secret-provider, object-storage, ... */
  preset?: pulumi.Input<string>;
  /** Project-scoped permission sets, instead of or added to the preset's. */
  permissionSets?: pulumi.Input<pulumi.Input<string>[]>;
  /** Several rules, each its own projects and sets, instead of projectIds/allProjects and permissionSets. */
  rules?: RuleArgs[];
  /** The key's Object Storage preferred project; required with Object Storage sets on several projects. */
  preferredProjectId?: pulumi.Input<string>;
  /** Key rotation. Ignored with expiresAt. @default { rotateEveryDays: 90, overlapDays: 14 } */
  rotation?: RotationArgs;
  /** Pins the key's expiry (RFC 3339) and turns rotation off. */
  expiresAt?: pulumi.Input<string>;
  /** No key may live longer than this many days. @default 365 */
  maxLifetimeDays?: number;
  /** Scaleway name of the application and the policy. @default "plakar-<stack>-<component name>" */
  name?: pulumi.Input<string>;
  /** What the credential is for; written into the descriptions. @default the preset's description */
  description?: pulumi.Input<string>;
  /** Tags for every resource, besides managed-by, stack and use-case. @default [] */
  tags?: pulumi.Input<pulumi.Input<string>[]>;
  /** The region Plakar's form asks for: the secrets' region (secret provider, Secret Manager backup). @default none */
  region?: pulumi.Input<string>;
  /** Also write the current key into a Secret Manager secret. @default none: stack outputs only */
  delivery?: DeliveryArgs;
  /**
   * Retire the credential: revoke its keys (and the delivered key), keep the application, policy and secret but
   * unprotected, so that removing the component in the next update deletes them cleanly. @default false
   */
  retire?: boolean;
  /**
   * Take over an application and its policy made by hand instead of creating them (Pulumi's `import`), by their
   * plain IDs. Keys made by hand are never adopted: the component issues its own. @default none
   */
  adopt?: AdoptArgs;
}

/** A key as handed out, without its secret (see `secretKey`). */
export interface IssuedKey {
  accessKey: string;
  expiresAt: string;
  /** First day of the key's rotation generation; absent for a pinned expiry. */
  generation?: string;
}

export interface IssuedKeys {
  /** The key in use. */
  current: IssuedKey;
  /** The previous generation's key, during a rotation overlap. */
  previous?: IssuedKey;
}

export interface DeliveryInfo {
  /** The bare secret ID Plakar references (`<secret_id>#<field>`). */
  secretId: string;
  /** The secret's full path: `<folder>/<name>`. */
  path: string;
  projectId: string;
  region: string;
}

/** A line of Plakar's form: a value, or a hint when the stack cannot know it. */
export interface PlakarField {
  label: string;
  value?: string;
  hint?: string;
}

/** What to type into Plakar for this credential. */
export interface PlakarInstructions {
  /** The Plakar integration the credential is for. */
  integration: string;
  /** For a delivered credential: the secret Plakar's secret provider reads. */
  secretId?: string;
  fields: PlakarField[];
}

/** Options of a PlakarCredential: Pulumi's, and the clock. */
export interface PlakarCredentialOptions extends pulumi.ComponentResourceOptions {
  /**
   * The time that decides the key generations. Leave it to the real time; the offline plan sets it to preview a
   * date. `protect` applies to the application, the policy and the secret, never to keys or the component itself.
   */
  now?: Date;
}

/** Raised when the arguments are refused: every problem, each with its `args.` key path. */
export class PlakarCredentialArgsError extends pulumi.RunError {
  readonly issues: readonly ConfigIssue[];
  constructor(name: string, issues: readonly ConfigIssue[]) {
    super(`invalid arguments for PlakarCredential "${name}":\n${issues.map((i) => `  ${formatIssue(i)}`).join("\n")}`);
    this.name = "PlakarCredentialArgsError";
    this.issues = issues;
  }
}

/** The type token before the component package: kept as an alias so upgrading stacks replace nothing. */
const LEGACY_TYPE = "plakar-scaleway-iam:iam:Credential";

/**
 * One Plakar credential: an IAM application, a policy whose principal is that application (one scope per rule),
 * and the application's API keys (the current one and, during a rotation overlap, the previous one), optionally
 * delivered to Secret Manager. Keys are handed out only once the policy exists.
 */
export class PlakarCredential extends pulumi.ComponentResource {
  /** The IAM application's ID. */
  public readonly applicationId: pulumi.Output<string>;
  /** The policy's ID. */
  public readonly policyId: pulumi.Output<string>;
  /** The current key's access key; resolves only once the policy exists. */
  public readonly accessKey: pulumi.Output<string>;
  /** The current key's secret key: always a Pulumi secret. */
  public readonly secretKey: pulumi.Output<string>;
  /** The previous key's secret key during a rotation overlap: always a Pulumi secret. */
  public readonly previousSecretKey?: pulumi.Output<string>;
  /** When the current key expires (RFC 3339). */
  public readonly expiresAt: pulumi.Output<string>;
  /** The keys in force: current and, during an overlap, previous. */
  public readonly keys: pulumi.Output<IssuedKeys>;
  /** The Secret Manager secret holding the current key, when delivered. */
  public readonly delivery?: pulumi.Output<DeliveryInfo>;
  /** What to type into Plakar. */
  public readonly plakar: pulumi.Output<PlakarInstructions>;

  constructor(name: string, args: PlakarCredentialArgs, opts?: PlakarCredentialOptions) {
    // Every check that can run now runs before anything is registered, the component itself included.
    const stack = pulumi.getStack();
    const now = opts?.now ?? new Date();
    const ctx = { ...shippedData(), now };
    const issues = new Issues();
    const spec = specOf(name, stack, visibleNow(args) as ArgValues, issues);
    const adopt = adoptOf(args.adopt, issues);
    if (args.retire !== undefined && typeof args.retire !== "boolean") {
      issues.add("args.retire", "must be a plain boolean");
    }
    // The shape first, every problem of it at once; then what the values mean, every problem at once.
    const resolvedNow = issues.count === 0 ? checkCredential(spec, ctx, issues) : undefined;
    if (issues.count > 0) throw new PlakarCredentialArgsError(name, issues.list);
    // A retired credential is on its way out: nothing of it may block its removal in the next update.
    const retired = args.retire === true;

    const { now: _now, protect, ...componentOpts } = opts ?? {};
    super(
      "plakar-scaleway-iam:index:PlakarCredential",
      name,
      // Only a plain flag (never args holding Outputs, which crash this SDK): a preview shows the credential is
      // retired, so check-preview lets it lose its keys even where nothing was protected to tell.
      retired ? { retired: true } : {},
      {
        ...componentOpts,
        aliases: [...(componentOpts.aliases ?? []), { type: LEGACY_TYPE }],
      },
    );
    const protectChildren = (protect ?? false) && !retired;

    // The rest of the checks run once every Output resolves; a refusal fails every child's registration.
    const resolved: pulumi.Output<ResolvedCredential> = resolvedNow
      ? pulumi.output(resolvedNow)
      : pulumi.output(args as unknown as pulumi.Input<ArgValues>).apply((values) => {
          const late = new Issues();
          const full = specOf(name, stack, values, late);
          if (late.count > 0) throw new PlakarCredentialArgsError(name, late.list);
          try {
            return resolveCredential(full, ctx);
          } catch (err) {
            throw new PlakarCredentialArgsError(name, configIssuesOf(err) ?? [{ path: "args", message: String(err) }]);
          }
        });

    const application = new scaleway.iam.Application(
      `${name}-app`,
      {
        name: resolved.name,
        description: resolved.description,
        organizationId: resolved.organizationId,
        tags: resolved.tags.apply((t) => [...t]),
      },
      { parent: this, protect: protectChildren, ...(adopt ? { import: adopt.applicationId } : {}) },
    );

    const policy = new scaleway.iam.Policy(
      `${name}-policy`,
      {
        name: resolved.name,
        description: resolved.description,
        organizationId: resolved.organizationId,
        tags: resolved.tags.apply((t) => [...t]),
        applicationId: application.id,
        rules: resolved.rules.apply((rules) => rules.map(toPolicyRule)),
      },
      { parent: this, protect: protectChildren, ...(adopt ? { import: adopt.policyId } : {}) },
    );

    // Which keys exist is known now (the rotation is plain); what they hold comes from the resolved credential.
    const generations = retired ? {} : scheduledGenerations(spec.expiry, now.getTime());
    const issueKey = (slot: "current" | "previous", generation: string | undefined) => {
      const wanted = resolved.apply((r) => {
        const key = r.keys[slot];
        if (!key) throw new Error(`internal: no ${slot} key resolved for generation ${generation}`);
        return key;
      });
      const apiKey = new scaleway.iam.ApiKey(
        keyResourceName(name, generation),
        {
          applicationId: application.id,
          description: wanted.description,
          expiresAt: wanted.expiresAt,
          defaultProjectId: resolved.apply((r) => r.preferredProject?.id),
        },
        {
          parent: this,
          dependsOn: [policy],
          // Never protected: rotation must be able to delete old keys. A rotated key keeps the expiry it was created
          // with: a new overlapDays must not replace the live key in place (the provider replaces on expiresAt); it
          // applies from the next generation.
          protect: false,
          ...(generation ? { ignoreChanges: ["expiresAt"] } : {}),
        },
      );
      return {
        // Resolves only once the policy exists as well as the key.
        accessKey: pulumi.all([apiKey.accessKey, policy.id]).apply(([accessKey]) => accessKey),
        // The provider marks secretKey secret, but only the engine honours that; wrap it ourselves.
        secretKey: pulumi.secret(apiKey.secretKey),
        // The key's actual expiry (what check-expiry must judge), not the one resolved today.
        expiresAt: pulumi.all([apiKey.expiresAt, wanted]).apply(([actual, w]) => actual ?? w.expiresAt),
        generation,
      };
    };
    // A retired credential holds no key: its outputs are empty, its secret keeps no version.
    const revoked = {
      accessKey: pulumi.output(""),
      secretKey: pulumi.secret(""),
      expiresAt: pulumi.output(""),
      generation: undefined,
    };
    const current = retired ? revoked : issueKey("current", generations.current?.generation);
    const previous = generations.previous ? issueKey("previous", generations.previous.generation) : undefined;

    let secretId: pulumi.Output<string | undefined> = pulumi.output(undefined);
    if (spec.delivery) {
      const where = resolved.apply((r) => {
        if (!r.delivery) throw new Error("internal: delivery requested but not resolved");
        return r.delivery;
      });
      const delivery = new SecretDelivery(
        `${name}-delivery`,
        {
          secretName: name,
          folder: where.folder,
          projectId: where.project.id,
          region: where.region,
          tags: where.tags.apply((t) => [...t]),
          extraFields: where.extraFields,
          accessKey: current.accessKey,
          secretKey: current.secretKey,
          generation: current.generation,
          protect: protectChildren,
          revoked: retired,
        },
        { parent: this },
      );
      secretId = delivery.secretId;
      this.delivery = pulumi.all([delivery.secretId, where]).apply(([id, w]) => ({
        secretId: id,
        path: w.fullPath,
        projectId: w.project.id,
        region: w.region,
      }));
    }

    this.applicationId = application.id;
    this.policyId = policy.id;
    this.accessKey = current.accessKey;
    this.secretKey = current.secretKey;
    this.expiresAt = current.expiresAt;
    if (previous) this.previousSecretKey = previous.secretKey;
    const issued = (k: typeof current) =>
      pulumi.all([k.accessKey, k.expiresAt]).apply(([accessKey, expiresAt]): IssuedKey => ({
        accessKey,
        expiresAt,
        ...(k.generation ? { generation: k.generation } : {}),
      }));
    this.keys = pulumi
      .all([issued(current), previous ? issued(previous) : pulumi.output(undefined)])
      .apply(([c, p]): IssuedKeys => (p ? { current: c, previous: p } : { current: c }));
    this.plakar = pulumi
      .all([resolved, current.accessKey, secretId])
      .apply(([r, accessKey, id]) => plakarInstructions(r, accessKey, id));

    this.registerOutputs({
      applicationId: this.applicationId,
      policyId: this.policyId,
      accessKey: this.accessKey,
      secretKey: this.secretKey,
      previousSecretKey: this.previousSecretKey,
      expiresAt: this.expiresAt,
      keys: this.keys,
      delivery: this.delivery,
      plakar: this.plakar,
    });
  }
}

/** `args.adopt`, checked before anything is registered: two plain IDs, since Pulumi reads `import` at registration. */
function adoptOf(value: unknown, issues: Issues): AdoptArgs | undefined {
  if (value === undefined) return undefined;
  const known = ["applicationId", "policyId"] as const;
  if (typeof value !== "object" || value === null || Array.isArray(value)) {
    issues.add("args.adopt", "must be a plain object { applicationId, policyId }");
    return undefined;
  }
  const given = value as Record<string, unknown>;
  for (const key of Object.keys(given)) {
    if (!(known as readonly string[]).includes(key)) {
      issues.add(`args.adopt.${key}`, `unknown argument; known here: ${known.join(", ")}`);
    }
  }
  const ids = known.map((key) => {
    const parsed = ScalewayId.safeParse(given[key]);
    if (!parsed.success) {
      issues.add(
        `args.adopt.${key}`,
        "must be a plain Scaleway ID (a UUID), not an Output: Pulumi reads the import ID when it registers",
      );
    }
    return parsed.data;
  });
  return ids[0] && ids[1] ? { applicationId: ids[0], policyId: ids[1] } : undefined;
}

function toPolicyRule(rule: Rule) {
  return "organizationId" in rule
    ? { organizationId: rule.organizationId, permissionSetNames: [...rule.permissionSetNames] }
    : { projectIds: [...rule.projectIds], permissionSetNames: [...rule.permissionSetNames] };
}

function plakarInstructions(r: ResolvedCredential, accessKey: string, id: string | undefined): PlakarInstructions {
  return {
    integration: r.plakar.integration,
    ...(id !== undefined ? { secretId: id } : {}),
    fields: r.plakar.fields.map((field): PlakarField => {
      if (id !== undefined && field.secretField) return { label: field.label, value: `${id}#${field.secretField}` };
      if (field.from === "accessKey") return { label: field.label, value: accessKey };
      if (field.from === "secretKey") {
        return { label: field.label, hint: "the secretKey output: pulumi stack output --show-secrets credentials" };
      }
      return field.value !== undefined
        ? { label: field.label, value: field.value }
        : { label: field.label, ...(field.hint ? { hint: field.hint } : {}) };
    }),
  };
}
