/** Permission sets: the preset's and the user's, checked against the catalog; and the preferred project they need. */
import { checkPermissionSet, isObjectStorageSet } from "./catalog";
import type { CredentialSpec, ResolveContext } from "./credential";
import type { Issues } from "./errors";
import type { Preset } from "./schema";
import type { ProjectRef } from "./scope";
import { didYouMean } from "./suggest";
import { allKnown, isKnown, type MaybeUnknown, UNKNOWN } from "./unknown";

/** The credential's sets, sorted and deduplicated; undefined when one is refused. */
export function resolvePermissionSets(
  spec: CredentialSpec,
  preset: Preset | undefined,
  ctx: ResolveContext,
  issues: Issues,
): MaybeUnknown<string[]> | undefined {
  const { paths } = spec;
  const explicit = spec.permissionSets ?? [];
  if (!isKnown(explicit)) return UNKNOWN;
  if (!preset && explicit.length === 0) {
    issues.add(paths.base, `needs a preset (${[...ctx.presets.keys()].join(", ")}) or a non-empty permissionSets list`);
    return undefined;
  }
  let ok = true;
  explicit.forEach((set, i) => {
    if (!isKnown(set)) return;
    const problem = checkPermissionSet(set, ctx.catalog);
    if (problem) {
      ok = false;
      issues.add(`${paths.permissionSets}[${i}]`, problem);
    }
  });
  if (!ok) return undefined;
  if (!allKnown(explicit)) return UNKNOWN;
  return [...new Set([...(preset?.permissionSets ?? []), ...explicit])].sort();
}

/**
 * The key's Object Storage preferred project: required exactly when the sets include Object Storage (the only
 * project choice is taken without asking), refused otherwise. Null when refused; UNKNOWN when it cannot be decided.
 */
export function resolvePreferredProject(
  spec: CredentialSpec,
  projects: MaybeUnknown<readonly ProjectRef[] | "*">,
  sets: MaybeUnknown<readonly string[]> | undefined,
  issues: Issues,
): MaybeUnknown<ProjectRef | undefined> | null {
  const path = spec.paths.preferredProject;
  const field = leaf(path);
  const wanted = spec.preferredProject;
  // With refused sets, still check the name; whether one is needed is decided once the sets are fixed.
  const needsOne =
    sets === undefined || !isKnown(sets) ? (wanted !== undefined ? true : UNKNOWN) : sets.some(isObjectStorageSet);
  if (needsOne === false) {
    if (wanted !== undefined) {
      issues.add(
        path,
        `only keys with Object Storage permission sets (ObjectStorage*) take a preferred project; remove ${field}`,
      );
      return null;
    }
    return undefined;
  }
  if (wanted !== undefined && !isKnown(wanted)) return UNKNOWN;
  if (!isKnown(projects)) return UNKNOWN;
  const all = projects === "*";
  const candidates = all ? (spec.preferredCandidates ?? []) : projects;
  const names = candidates.map((p) => p.label);
  if (wanted !== undefined) {
    const hit = candidates.find((p) => p.label === wanted);
    if (hit) return hit;
    if (all && spec.preferredCandidates === undefined) return { id: wanted.toLowerCase(), label: wanted };
    const scope = all ? "a declared project alias" : "one of this credential's projects";
    issues.add(path, `"${wanted}" is not ${scope} (${names.join(", ")})${didYouMean(wanted, names)}`);
    return null;
  }
  if (needsOne === UNKNOWN) return UNKNOWN;
  if (!all && projects.length === 1) return projects[0];
  issues.add(
    path,
    `required: Object Storage permission sets need a preferred project (the buckets' project) and this credential has ${all ? 'projects "*"' : `${projects.length} projects`}; set ${field} to one of ${names.join(", ") || "its projects"}`,
  );
  return null;
}

/** `preferredProject` of `credentials.x.preferredProject`. */
function leaf(path: string): string {
  return path.slice(path.lastIndexOf(".") + 1);
}
