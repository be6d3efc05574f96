/** Delivery: where a credential's current key is written in Scaleway Secret Manager, for Plakar's secret provider. */
import { SECRET_PROVIDER } from "./constants";
import type { Issues } from "./errors";
import { folderProblem } from "./schema";
import type { ProjectRef } from "./scope";
import { isKnown, type MaybeUnknown, UNKNOWN } from "./unknown";

export interface DeliverySpec {
  readonly project: MaybeUnknown<ProjectRef>;
  readonly region: MaybeUnknown<string>;
  /** The secret's folder, e.g. `/plakar/prod`; the secret is named after the credential. */
  readonly folder: MaybeUnknown<string>;
}

export interface DeliveryLocation {
  /** Name of the secret: the credential's (component's) name. */
  readonly name: string;
  readonly folder: string;
  /** `<folder>/<name>` */
  readonly fullPath: string;
  readonly project: ProjectRef;
  readonly region: string;
}

export interface ResolvedDelivery extends DeliveryLocation {
  readonly tags: readonly string[];
  /** Plain (non-key) values written next to the key, e.g. `project_id`, `region`. */
  readonly extraFields: Readonly<Record<string, string>>;
}

/** What a delivery is decided from: the component's name, the delivery as written, and where it was written. */
export interface DeliveryInput {
  readonly resourceName: string;
  readonly delivery?: DeliverySpec;
  readonly paths: { readonly delivery: string };
}

export function resolveDelivery(
  spec: DeliveryInput,
  useCase: MaybeUnknown<string>,
  issues: Issues,
): MaybeUnknown<DeliveryLocation> | undefined {
  const delivery = spec.delivery;
  if (!delivery) return undefined;
  let ok = true;
  if (useCase === SECRET_PROVIDER) {
    ok = false;
    issues.add(
      spec.paths.delivery,
      `the secret-provider key is the one typed into Plakar to read all the others, so it cannot be delivered through Secret Manager itself: use deliver: outputs`,
    );
  }
  if (isKnown(delivery.folder)) {
    const problem = folderProblem(delivery.folder);
    if (problem) {
      ok = false;
      issues.add(`${spec.paths.delivery}.path`, problem);
    }
  }
  if (!ok) return undefined;
  if (!isKnown(delivery.project) || !isKnown(delivery.region) || !isKnown(delivery.folder)) return UNKNOWN;
  const folder = delivery.folder === "/" ? "" : delivery.folder;
  return {
    name: spec.resourceName,
    folder: delivery.folder,
    fullPath: `${folder}/${spec.resourceName}`,
    project: delivery.project,
    region: delivery.region,
  };
}
