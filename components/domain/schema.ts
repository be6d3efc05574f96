/**
 * The zod schemas every argument's rules are built from (IDs, timestamps, day counts, Secret Manager folders and
 * regions, lists of names), and the presets' schema: the single source of truth for their shape. TypeScript types
 * are derived from them (`z.infer`). The component's arguments (../args.ts) and the stack's config (stack/schema.ts)
 * are made of these.
 */
import { z } from "zod";
import { MAX_DAYS, SECRET_MANAGER_REGIONS } from "./constants";

/** An error message that says "is required" when the key is missing, and `invalid` otherwise. */
export const expecting = (invalid: string) => (issue: { input?: unknown }) =>
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

/** A whole number of days from 1 to MAX_DAYS; `what` names the field in the messages. */
export const Days = (what: string) =>
  z
    .number({ error: `${what} must be a whole number of days` })
    .int({ error: `${what} must be a whole number of days` })
    .min(1, { error: "must be at least 1" })
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

/** A Secret Manager folder, checked by folderProblem. */
export const SecretFolder = z.string().superRefine((value, ctx) => {
  const problem = folderProblem(value);
  if (problem) ctx.addIssue({ code: "custom", message: problem });
});

export const REGION_MESSAGE = 'must be a Secret Manager region: "fr-par", "nl-ams" or "pl-waw"';
/** A Secret Manager region: the region of Plakar's secret provider, or of the secrets a backup reads. */
export const Region = z.enum(SECRET_MANAGER_REGIONS, { error: REGION_MESSAGE });

/** A list of permission set names (checked against the catalog by permissionSets.ts). */
export const PermissionSetNames = z.array(z.string().min(1));

/** The project roles a preset made of parts may name besides `projects`. */
export const PART_ROLES = ["stagingProject"] as const;
export const PRESET_PARTS = ["projects", ...PART_ROLES] as const;
export const PresetPart = z.enum(PRESET_PARTS);

/** An application and its policy made by hand, to take over instead of creating new ones (plain IDs). */
export const AdoptSchema = z.strictObject({
  /** The application's ID. */
  applicationId: ScalewayId,
  /** The ID of the policy whose principal is that application. */
  policyId: ScalewayId,
});

/** Where a value Plakar asks for comes from. */
export const PLAKAR_SOURCES = ["name", "projectId", "region", "accessKey", "secretKey", "fixed", "user"] as const;

/** The configurations Plakar's own CLI keeps (`plakar source|store|destination add <name> <location> key=value...`). */
export const PLAKAR_CLI_ROLES = ["source", "store", "destination"] as const;

/** One `key=value` of a Plakar CLI configuration: where its value comes from, as for the form's fields. */
const PlakarCliSettingSchema = z
  .strictObject({
    /** The option's key, as the integration reads it. */
    key: z.string().regex(/^[a-z][a-z0-9_]*$/, { error: "must be an option key such as access_key" }),
    /** Where the value comes from (`projectId`: the credential's only project, if it has one). */
    from: z.enum(PLAKAR_SOURCES),
    /** The value, for `from: fixed`. */
    value: z.string().optional(),
    /** What to type, when the stack cannot know the value. */
    hint: z.string().optional(),
  })
  .refine((s) => s.from !== "fixed" || s.value !== undefined, {
    error: 'value: required for "from: fixed"',
  });

/**
 * What Plakar's own CLI takes for the use case: the integration (the package `plakar pkg add` installs), one
 * connector per configuration it can be (a location each), and the options they share. Or, when the CLI has no
 * counterpart (a Control Plane feature), why.
 */
export const PlakarCliSchema = z.union([
  z.strictObject({
    /** The Plakar package: `plakar pkg add <integration>`. */
    integration: z.string().min(1),
    connectors: z
      .array(
        z.strictObject({
          /** Which configuration: source, store or destination. */
          role: z.enum(PLAKAR_CLI_ROLES),
          /** The location, with <placeholders> for what the user fills in. */
          location: z.string().min(1),
          /** What to put in place of the placeholders. */
          hint: z.string().optional(),
        }),
      )
      .min(1)
      .refine((list) => new Set(list.map((c) => c.role)).size === list.length, {
        error: "lists a role twice: one connector per role",
      }),
    /** The options, besides `location`, in the order the integration's documentation lists them. */
    settings: z.array(PlakarCliSettingSchema).min(1),
  }),
  z.strictObject({
    /** Why Plakar's CLI has no counterpart. */
    none: z.string().min(1),
  }),
]);

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
    /** What Plakar's own open-source CLI takes instead of the form (absent: not said). */
    cli: PlakarCliSchema.optional(),
  }),
});

export type Preset = z.infer<typeof PresetSchema> & { readonly name: string };
