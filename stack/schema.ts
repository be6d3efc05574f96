/**
 * The zod schema of the stack's config (`plakar-scaleway-iam:*`): the single source of truth for its shape. Each
 * field that becomes a component argument takes that argument's own rule (components/args.ts); what is the stack's
 * alone (project aliases, stack-wide defaults, delivery set-up) is defined here.
 */
import { z } from "zod";
import { ARGUMENT_RULES, Days } from "../components/args";
import {
  DEFAULT_MAX_LIFETIME_DAYS,
  DEFAULT_OVERLAP_DAYS,
  DEFAULT_ROTATE_EVERY_DAYS,
} from "../components/domain/constants";
import { DEFAULT_DELIVERY_REGION } from "../components/domain/constants";
import { expecting, PresetPart, ScalewayId, SecretFolder } from "../components/domain/schema";

export const CREDENTIAL_NAME = /^[a-z][a-z0-9-]*$/;
export const PROJECT_ALIAS = /^[A-Za-z0-9][A-Za-z0-9_.-]*$/;
export const DELIVERY = ["outputs", "secret-manager"] as const;

/** Project aliases (keys of `projects`), or "*" for all current and future projects. */
const ProjectsSchema = z.union(
  [z.literal("*"), z.array(z.string().min(1)).min(1, { error: "must list at least one project alias" })],
  {
    error: expecting('must be a list of project aliases, or "*" for all current and future projects'),
  },
);

/** One policy rule: permission sets (explicit, a preset's, or a part of a preset's) on one scope. */
export const RuleSchema = z.strictObject({
  /** Project aliases, or "*" for all current and future projects. */
  projects: ProjectsSchema,
  /** Explicit permission sets, added to the preset's (or its part's). */
  permissionSets: ARGUMENT_RULES.permissionSets.optional(),
  /** A preset whose permission sets this rule grants. */
  preset: ARGUMENT_RULES.preset.optional(),
  /** Only this part of the preset's sets (a preset made of parts). */
  part: PresetPart.optional(),
});

export const CredentialSchema = z.strictObject({
  /** A preset from presets/ (file name without .yaml). */
  preset: ARGUMENT_RULES.preset.optional(),
  /** Explicit permission sets: instead of, or added to, the preset's. */
  permissionSets: ARGUMENT_RULES.permissionSets.optional(),
  /** Project aliases (keys of `projects`), or "*" for all current and future projects. Required unless `rules`. */
  projects: ProjectsSchema.optional(),
  /** The staging bucket's project (presets made of parts): gets the Object Storage sets; the preferred project. */
  stagingProject: z.string().min(1).optional(),
  /** Several rules, each its own projects and sets, instead of `projects` + `permissionSets`. */
  rules: z.array(RuleSchema).min(1, { error: "must list at least one rule" }).optional(),
  /** The region Plakar's form asks for (Secret Manager presets): the region of the secrets. */
  region: ARGUMENT_RULES.region.optional(),
  /** Alias of the key's Object Storage preferred project (`defaultProjectId`). */
  preferredProject: z.string().min(1).optional(),
  /** Pins the key's expiry (turns rotation off for this key); overrides `apiKeys.expiresAt`. */
  expiresAt: ARGUMENT_RULES.expiresAt.optional(),
  /** Overrides `apiKeys.rotateEveryDays`. */
  rotateEveryDays: Days.optional(),
  /** Overrides `apiKeys.overlapDays`. */
  overlapDays: Days.optional(),
  /** Free text added to the descriptions of the application, policy and key. */
  description: ARGUMENT_RULES.description.optional(),
  /** Where the key goes: stack outputs only, or also a Scaleway Secret Manager secret. */
  deliver: z.enum(DELIVERY).default("outputs"),
  /** Take over an application and policy made by hand (Pulumi's `import`) instead of creating new ones. */
  adopt: ARGUMENT_RULES.adopt.optional(),
  /** Retire the credential: revoke its keys, keep its application, policy and secret unprotected, ready to remove. */
  retire: ARGUMENT_RULES.retire.default(false),
});

export const ApiKeyDefaultsSchema = z.strictObject({
  /** Pins every key's expiry (turns rotation off) unless a credential sets its own. */
  expiresAt: ARGUMENT_RULES.expiresAt.optional(),
  /** No key may live longer than this. */
  maxLifetimeDays: Days.default(DEFAULT_MAX_LIFETIME_DAYS),
  /** A new key every this many days. */
  rotateEveryDays: Days.default(DEFAULT_ROTATE_EVERY_DAYS),
  /** How long the previous key stays valid after a new one is issued. */
  overlapDays: Days.default(DEFAULT_OVERLAP_DAYS),
});

export const SecretManagerSchema = z.strictObject({
  /** Alias of the project that holds the delivered secrets. */
  project: z.string().min(1),
  /** Secret Manager region; must be the region of Plakar's secret provider. */
  region: ARGUMENT_RULES.region.default(DEFAULT_DELIVERY_REGION),
  /** Folder of the delivered secrets: `<pathPrefix>/<stack>/<credential>`. */
  pathPrefix: SecretFolder.default("/plakar"),
});

export const StackConfigSchema = z.strictObject({
  organizationId: ARGUMENT_RULES.organizationId,
  projects: z
    .record(z.string(), ScalewayId, { error: expecting("must map project aliases to Scaleway project IDs") })
    .refine((p) => Object.keys(p).length > 0, { error: "must declare at least one project alias" }),
  namePrefix: z.string().default("plakar-"),
  allowAllProjects: z.boolean().default(false),
  protect: z.boolean().optional(),
  tags: ARGUMENT_RULES.tags.default([]),
  apiKeys: ApiKeyDefaultsSchema.default({
    maxLifetimeDays: DEFAULT_MAX_LIFETIME_DAYS,
    rotateEveryDays: DEFAULT_ROTATE_EVERY_DAYS,
    overlapDays: DEFAULT_OVERLAP_DAYS,
  }),
  secretManager: SecretManagerSchema.optional(),
  credentials: z
    .record(z.string(), CredentialSchema, { error: expecting("must map credential names to credential specs") })
    .refine((c) => Object.keys(c).length > 0, { error: "must declare at least one credential" }),
});

export type StackConfig = z.infer<typeof StackConfigSchema>;
export type CredentialConfig = z.infer<typeof CredentialSchema>;

/** The keys known at each level of the config; used to suggest the right key for a typo. */
export const KNOWN_KEYS = {
  top: Object.keys(StackConfigSchema.shape),
  credential: Object.keys(CredentialSchema.shape),
  rule: Object.keys(RuleSchema.shape),
  adopt: Object.keys(ARGUMENT_RULES.adopt.shape),
  apiKeys: Object.keys(ApiKeyDefaultsSchema.shape),
  secretManager: Object.keys(SecretManagerSchema.shape),
};
