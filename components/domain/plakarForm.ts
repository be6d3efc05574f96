/**
 * Plakar's form: what to type into Plakar Control Plane for a credential, field by field, in the order of its page;
 * and what Plakar's own CLI takes instead (`plakar source|store|destination add <name> <location> key=value...`),
 * one configuration per role the use case can play.
 */
import type { DeliveryLocation } from "./delivery";
import type { Preset } from "./schema";
import type { ProjectRef } from "./scope";

export type PlakarSource = Preset["plakar"]["fields"][number]["from"];
type CliTemplate = NonNullable<Preset["plakar"]["cli"]>;
export type PlakarCliRole = Extract<CliTemplate, { connectors: unknown }>["connectors"][number]["role"];

export interface PlakarFormField {
  readonly label: string;
  readonly from: PlakarSource;
  /** Known before any resource exists (name, project ID, region, fixed values); keys are filled in by the component. */
  readonly value?: string;
  readonly hint?: string;
  /** For a delivered credential: the field of the secret that holds this value (`<secret_id>#<field>`). */
  readonly secretField?: string;
}

/** One `key=value` of a Plakar CLI configuration. */
export interface PlakarCliSetting {
  /** The option's key, as the integration reads it. */
  readonly key: string;
  readonly from: PlakarSource;
  /** Known before any resource exists; never a key (the component fills in the access key, never the secret). */
  readonly value?: string;
  readonly hint?: string;
}

/** One configuration of Plakar's CLI the credential serves: a source, a store or a destination. */
export interface PlakarCliConnector {
  readonly role: PlakarCliRole;
  /** The Plakar package (`plakar pkg add <integration>`). */
  readonly integration: string;
  /** The configuration's name: the credential's. */
  readonly name: string;
  /** The location, with <placeholders> for what the user fills in. */
  readonly location: string;
  readonly hint?: string;
  /** The options besides `location`. */
  readonly settings: readonly PlakarCliSetting[];
}

export interface PlakarForm {
  /** The Plakar integration the credential is for. */
  readonly integration: string;
  readonly fields: readonly PlakarFormField[];
  /** What Plakar's own CLI takes, one configuration per role; absent when the preset says nothing or has none. */
  readonly cli?: readonly PlakarCliConnector[];
  /** Why Plakar's CLI has no counterpart, when it has none (inventories, secret providers: Control Plane only). */
  readonly cliNone?: string;
}

/** The field of the key-value secret that delivers a credential carrying a Plakar source, if the secret holds it. */
export function secretFieldOf(source: PlakarSource): string | undefined {
  switch (source) {
    case "accessKey":
      return "access_key";
    case "secretKey":
      return "secret_key";
    case "projectId":
      return "project_id";
    case "region":
      return "region";
    default:
      return undefined;
  }
}

/** What the form needs to know of the credential. */
export interface FormSubject {
  readonly name: string;
  readonly projects: readonly ProjectRef[] | "*";
  readonly preferredProject?: ProjectRef;
}

const CUSTOM_FIELDS: Preset["plakar"]["fields"] = [
  { label: "Access key", from: "accessKey" },
  { label: "Secret key", from: "secretKey" },
];

function knownValue(
  subject: FormSubject,
  from: PlakarSource,
  fixed: string | undefined,
  region: string | undefined,
): string | undefined {
  switch (from) {
    case "name":
      return subject.name;
    case "projectId":
      if (subject.preferredProject) return subject.preferredProject.id;
      return subject.projects !== "*" && subject.projects.length === 1 ? subject.projects[0].id : undefined;
    case "region":
      return region;
    case "fixed":
      return fixed;
    default:
      return undefined;
  }
}

/**
 * The preset's fields (access and secret key for custom sets) with every value known now filled in; for a delivered
 * credential, each value the secret holds is marked with its secret field.
 */
export function plakarForm(
  subject: FormSubject,
  preset: Preset | undefined,
  region: string | undefined,
  delivery: DeliveryLocation | undefined,
): PlakarForm {
  const template = preset?.plakar.fields ?? CUSTOM_FIELDS;
  const fields = template.map((field): PlakarFormField => {
    const value = knownValue(subject, field.from, field.value, region);
    const secretField = secretFieldOf(field.from);
    const inSecret = delivery !== undefined && secretField !== undefined;
    const delivered =
      inSecret && (field.from === "accessKey" || field.from === "secretKey" || value !== undefined)
        ? { secretField }
        : {};
    return value !== undefined
      ? { label: field.label, from: field.from, value, ...delivered }
      : { label: field.label, from: field.from, ...(field.hint ? { hint: field.hint } : {}), ...delivered };
  });
  return { integration: preset?.plakar.integration ?? "custom", fields, ...plakarCli(subject, preset, region) };
}

/**
 * The CLI's project_id names the resources' project (the instance's, the volume's, the secrets'), not the Object
 * Storage preferred project, which is the staging bucket's: known only when the credential reaches one project.
 */
function cliValue(subject: FormSubject, from: PlakarSource, fixed: string | undefined, region: string | undefined) {
  if (from !== "projectId") return knownValue(subject, from, fixed, region);
  return subject.projects !== "*" && subject.projects.length === 1 ? subject.projects[0].id : undefined;
}

function plakarCli(
  subject: FormSubject,
  preset: Preset | undefined,
  region: string | undefined,
): Pick<PlakarForm, "cli" | "cliNone"> {
  const template = preset?.plakar.cli;
  if (!template) return {};
  if ("none" in template) return { cliNone: template.none };
  const settings = template.settings.map((s): PlakarCliSetting => {
    const value = cliValue(subject, s.from, s.value, region);
    return value !== undefined
      ? { key: s.key, from: s.from, value }
      : { key: s.key, from: s.from, ...(s.hint ? { hint: s.hint } : {}) };
  });
  return {
    cli: template.connectors.map((c) => ({
      role: c.role,
      integration: template.integration,
      name: subject.name,
      location: c.location,
      ...(c.hint ? { hint: c.hint } : {}),
      settings,
    })),
  };
}

/** A word as a POSIX shell reads it: as is when it holds nothing special (or is a <placeholder>), else quoted. */
export function shellWord(text: string): string {
  if (/^[A-Za-z0-9_@%+=:,./-]+$/.test(text) || /^<[a-z_-]+>$/.test(text)) return text;
  return `'${text.replace(/'/g, `'\\''`)}'`;
}

/**
 * The command that adds the configuration: `plakar <role> add <name> <location> key=value...`, each value given
 * where `valueOf` knows it (never a secret), `<key>` where the user fills it in.
 */
export function cliCommand(
  connector: PlakarCliConnector,
  valueOf: (s: PlakarCliSetting) => string | undefined,
): string {
  const options = connector.settings.map((s) => {
    const value = s.from === "secretKey" ? undefined : valueOf(s);
    return value === undefined ? `${s.key}=<${s.key}>` : `${s.key}=${shellWord(value)}`;
  });
  // The location is Plakar's own template, <placeholders> included: left as written.
  return ["plakar", connector.role, "add", shellWord(connector.name), connector.location, ...options].join(" ");
}

/** The plain values a delivered secret holds next to the key: the form's known values that have a secret field. */
export function deliveredExtraFields(form: PlakarForm): Record<string, string> {
  const extra: Record<string, string> = {};
  for (const field of form.fields) {
    const secretField = secretFieldOf(field.from);
    if (secretField && field.value !== undefined) extra[secretField] = field.value;
  }
  return extra;
}
