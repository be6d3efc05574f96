/** Plakar's form: what to type into Plakar for a credential, field by field, in the order of its page. */
import type { DeliveryLocation } from "./delivery";
import type { Preset } from "./schema";
import type { ProjectRef } from "./scope";

export type PlakarSource = Preset["plakar"]["fields"][number]["from"];

export interface PlakarFormField {
  readonly label: string;
  readonly from: PlakarSource;
  /** Known before any resource exists (name, project ID, region, fixed values); keys are filled in by the component. */
  readonly value?: string;
  readonly hint?: string;
  /** For a delivered credential: the field of the secret that holds this value (`<secret_id>#<field>`). */
  readonly secretField?: string;
}

export interface PlakarForm {
  /** The Plakar integration the credential is for. */
  readonly integration: string;
  readonly fields: readonly PlakarFormField[];
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
  return { integration: preset?.plakar.integration ?? "custom", fields };
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
