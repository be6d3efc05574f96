/**
 * The zod schemas for the stack config and the presets: the single source of truth for their shape. TypeScript
 * types are derived from them (`z.infer`). Checks that need more than one field (project aliases, the catalog,
 * expiry against the clock) live in credential.ts and stack.ts, which report them with the same key paths.
 */
import { z } from "zod";

/** An error message that says "is required" when the key is missing, and `invalid` otherwise. */
const expecting = (invalid: string) => (issue: { input?: unknown }) =>
  issue.input === undefined ? `is required: it ${invalid}` : invalid;

/** Scaleway IDs are UUIDs; accept any 8-4-4-4-12 hex form (Scaleway's are v4, placeholders may not be). */
export const ScalewayId = z
  .guid({
    error: expecting("must be a Scaleway ID (a UUID such as 3f2b6c1e-8d4a-4c2e-9b7f-0a1d2e3f4a5b)"),
  })
  // Scaleway writes IDs in lower case: one project in two letter cases is one project.
  .transform((id) => id.toLowerCase());

/** An RFC 3339 timestamp with an explicit zone, as Scaleway's `expiresAt` takes. */
export const Timestamp = z
  .string()
  .regex(/^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}(:\d{2}(\.\d+)?)?(Z|[+-]\d{2}:\d{2})$/, {
    error: 'must be an RFC 3339 timestamp with a zone, e.g. "2027-06-30T00:00:00Z"',
  })
  .refine(isRealInstant, { error: "is not a real date and time (check the day of the month and the hours)" });

/** Date.parse rolls 2027-02-30 over to March 2: check the calendar fields as written. */
export function isRealInstant(text: string): boolean {
  const m = /^(\d{4})-(\d{2})-(\d{2})(?:T(\d{2}):(\d{2})(?::(\d{2}))?)?/.exec(text);
  if (!m || Number.isNaN(Date.parse(text))) return false;
  const [year, month, day, hour = 0, minute = 0, second = 0] = m.slice(1).map((x) => (x === undefined ? 0 : Number(x)));
  // setUTCFullYear, not Date.UTC: Date.UTC reads the years 0-99 as 1900-1999.
  const date = new Date(0);
  date.setUTCFullYear(year, month - 1, day);
  return date.getUTCMonth() === month - 1 && date.getUTCDate() === day && hour < 24 && minute < 60 && second < 60;
}

/** The longest span, in days, any day count may take (ten years). */
export const MAX_DAYS = 3650;

const Days = (what: string) =>
  z
    .number({ error: `${what} must be a whole number of days` })
    .int({ error: `${what} must be a whole number of days` })
    .max(MAX_DAYS, { error: `${what} must be at most ${MAX_DAYS} days (ten years)` });

/** A Secret Manager folder: `/`, or `/`-separated segments of letters, digits, `.`, `_`, `-`, never `.` or `..`. */
export const SECRET_FOLDER = /^(\/[A-Za-z0-9_.-]+)+$|^\/$/;

export function folderProblem(folder: string): string | undefined {
  if (!SECRET_FOLDER.test(folder)) {
    return 'must be an absolute path such as "/plakar", without a trailing slash';
  }
  if (folder.split("/").some((segment) => segment === "." || segment === "..")) {
    return `has a "." or ".." segment: write the folder itself, e.g. "/plakar"`;
  }
  return undefined;
}

export const CREDENTIAL_NAME = /^[a-z][a-z0-9-]*$/;
export const PROJECT_ALIAS = /^[A-Za-z0-9][A-Za-z0-9_.-]*$/;
/** Scaleway's pattern for application and policy names. */
export const SCALEWAY_NAME = /^[a-zA-Z0-9()._\- ]+$/;
export const SCALEWAY_NAME_MAX = 64;
export const SCALEWAY_DESCRIPTION_MAX = 200;
export const SCALEWAY_TAGS_MAX = 10;

export const DEFAULT_ROTATE_EVERY_DAYS = 90;
export const DEFAULT_OVERLAP_DAYS = 14;
export const DEFAULT_MAX_LIFETIME_DAYS = 365;

export const DELIVERY = ["outputs", "secret-manager"] as const;

/** Project aliases (keys of `projects`), or "*" for all current and future projects. */
const ProjectsSchema = z.union(
  [z.literal("*"), z.array(z.string().min(1)).min(1, { error: "must list at least one project alias" })],
  {
    error: expecting('must be a list of project aliases, or "*" for all current and future projects'),
  },
);

/** The project roles a preset made of parts may name besides `projects`, each a credential key. */
export const PART_ROLES = ["stagingProject"] as const;
export const PRESET_PARTS = ["projects", ...PART_ROLES] as const;

/** Secret Manager's regions (`@scaleway/sdk-secret`'s declared localities). */
export const SECRET_MANAGER_REGIONS = ["fr-par", "nl-ams", "pl-waw"] as const;

/** One policy rule: permission sets (explicit, a preset's, or a part of a preset's) on one scope. */
export const RuleSchema = z.strictObject({
  /** Project aliases, or "*" for all current and future projects. */
  projects: ProjectsSchema,
  /** Explicit permission sets, added to the preset's (or its part's). */
  permissionSets: z.array(z.string().min(1)).optional(),
  /** A preset whose permission sets this rule grants. */
  preset: z.string().min(1).optional(),
  /** Only this part of the preset's sets (a preset made of parts). */
  part: z.enum(PRESET_PARTS).optional(),
});

/** An application and its policy made by hand, to take over instead of creating new ones. */
export const AdoptSchema = z.strictObject({
  /** The application's ID. */
  applicationId: ScalewayId,
  /** The ID of the policy whose principal is that application. */
  policyId: ScalewayId,
});

export const CredentialSchema = z.strictObject({
  /** A preset from presets/ (file name without .yaml). */
  preset: z.string().min(1).optional(),
  /** Explicit permission sets: instead of, or added to, the preset's. */
  permissionSets: z.array(z.string().min(1)).optional(),
  /** Project aliases (keys of `projects`), or "*" for all current and future projects. Required unless `rules`. */
  projects: ProjectsSchema.optional(),
  /** The staging bucket's project (presets made of parts): gets the Object Storage sets; the preferred project. */
  stagingProject: z.string().min(1).optional(),
  /** Several rules, each its own projects and sets, instead of `projects` + `permissionSets`. */
  rules: z.array(RuleSchema).min(1, { error: "must list at least one rule" }).optional(),
  /** The region Plakar's form asks for (Secret Manager presets): the region of the secrets. */
  region: z
    .enum(SECRET_MANAGER_REGIONS, { error: 'must be a Secret Manager region: "fr-par", "nl-ams" or "pl-waw"' })
    .optional(),
  /** Alias of the key's Object Storage preferred project (`defaultProjectId`). */
  preferredProject: z.string().min(1).optional(),
  /** Pins the key's expiry (turns rotation off for this key); overrides `apiKeys.expiresAt`. */
  expiresAt: Timestamp.optional(),
  /** Overrides `apiKeys.rotateEveryDays`. */
  rotateEveryDays: Days("rotateEveryDays").min(1, { error: "must be at least 1" }).optional(),
  /** Overrides `apiKeys.overlapDays`. */
  overlapDays: Days("overlapDays").min(1, { error: "must be at least 1" }).optional(),
  /** Free text added to the descriptions of the application, policy and key. */
  description: z.string().min(1).optional(),
  /** Where the key goes: stack outputs only, or also a Scaleway Secret Manager secret. */
  deliver: z.enum(DELIVERY).default("outputs"),
  /** Take over an application and policy made by hand (Pulumi's `import`) instead of creating new ones. */
  adopt: AdoptSchema.optional(),
  /** Retire the credential: revoke its keys, keep its application, policy and secret unprotected, ready to remove. */
  retire: z.boolean({ error: "must be true or false" }).default(false),
});

export const ApiKeyDefaultsSchema = z.strictObject({
  /** Pins every key's expiry (turns rotation off) unless a credential sets its own. */
  expiresAt: Timestamp.optional(),
  /** No key may live longer than this. */
  maxLifetimeDays: Days("maxLifetimeDays").min(1, { error: "must be at least 1" }).default(365),
  /** A new key every this many days. */
  rotateEveryDays: Days("rotateEveryDays").min(1, { error: "must be at least 1" }).default(90),
  /** How long the previous key stays valid after a new one is issued. */
  overlapDays: Days("overlapDays").min(1, { error: "must be at least 1" }).default(14),
});

export const SecretManagerSchema = z.strictObject({
  /** Alias of the project that holds the delivered secrets. */
  project: z.string().min(1),
  /** Secret Manager region; must be the region of Plakar's secret provider. */
  region: z
    .string()
    .refine((r) => (SECRET_MANAGER_REGIONS as readonly string[]).includes(r), {
      error: 'must be a Secret Manager region: "fr-par", "nl-ams" or "pl-waw"',
    })
    .default("fr-par"),
  /** Folder of the delivered secrets: `<pathPrefix>/<stack>/<credential>`. */
  pathPrefix: z
    .string()
    .superRefine((value, ctx) => {
      const problem = folderProblem(value);
      if (problem) ctx.addIssue({ code: "custom", message: problem });
    })
    .default("/plakar"),
});

export const StackConfigSchema = z.strictObject({
  organizationId: ScalewayId,
  projects: z
    .record(z.string(), ScalewayId, { error: expecting("must map project aliases to Scaleway project IDs") })
    .refine((p) => Object.keys(p).length > 0, { error: "must declare at least one project alias" }),
  namePrefix: z.string().default("plakar-"),
  allowAllProjects: z.boolean().default(false),
  protect: z.boolean().optional(),
  tags: z.array(z.string().min(1, { error: "a tag cannot be empty" })).default([]),
  apiKeys: ApiKeyDefaultsSchema.default({ maxLifetimeDays: 365, rotateEveryDays: 90, overlapDays: 14 }),
  secretManager: SecretManagerSchema.optional(),
  credentials: z
    .record(z.string(), CredentialSchema, { error: expecting("must map credential names to credential specs") })
    .refine((c) => Object.keys(c).length > 0, { error: "must declare at least one credential" }),
});

export type StackConfig = z.infer<typeof StackConfigSchema>;
export type CredentialConfig = z.infer<typeof CredentialSchema>;

/** Where a value Plakar asks for comes from. */
export const PLAKAR_SOURCES = ["name", "projectId", "region", "accessKey", "secretKey", "fixed", "user"] as const;

export const PresetSchema = z.strictObject({
  /** One line: what the use case does in Plakar. */
  description: z.string().min(1),
  /** Exactly the permission sets the use case needs. */
  permissionSets: z.array(z.string().min(1)).min(1),
  /**
   * The same sets split by project role (presets.ts checks they split them exactly): `projects` (the credential's
   * projects) and each role of PART_ROLES. A credential that names the role gets each part on its own projects; one
   * that does not gets them all on `projects`.
   */
  parts: z
    .strictObject({
      projects: z.array(z.string().min(1)).min(1),
      stagingProject: z.array(z.string().min(1)).min(1),
    })
    .optional(),
  /** What Plakar asks the user for, in the order of its form. */
  plakar: z.strictObject({
    /** The Plakar integration this credential is for. */
    integration: z.string().min(1),
    fields: z
      .array(
        z.strictObject({
          /** The field as Plakar labels it. */
          label: z.string().min(1),
          /** Where the value comes from. */
          from: z.enum(PLAKAR_SOURCES),
          /** The value, for `from: fixed`. */
          value: z.string().optional(),
          /** What to type, when the stack cannot know the value. */
          hint: z.string().optional(),
        }),
      )
      .min(1),
  }),
});

export type Preset = z.infer<typeof PresetSchema> & { readonly name: string };

/** Top-level keys of the config namespace; used to suggest the right key for a typo. */
export const KNOWN_KEYS = {
  top: Object.keys(StackConfigSchema.shape),
  credential: Object.keys(CredentialSchema.shape),
  rule: Object.keys(RuleSchema.shape),
  apiKeys: Object.keys(ApiKeyDefaultsSchema.shape),
  secretManager: Object.keys(SecretManagerSchema.shape),
};
