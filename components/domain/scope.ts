/** Scope: which projects a credential reaches, and the policy rules that say so (one scope per rule). */
import type { Issues } from "./errors";
import type { MaybeUnknown } from "./unknown";

export interface ProjectRef {
  readonly id: string;
  /** How the user named it: a project alias in the stack config, the ID itself in the component. */
  readonly label: string;
}

/** Listed projects, or every current and future project of the organization. */
export type ScopeSpec =
  | { readonly kind: "projects"; readonly projects: MaybeUnknown<readonly MaybeUnknown<ProjectRef>[]> }
  | { readonly kind: "organization" };

/** One policy rule: exactly one scope. */
export type Rule =
  | { readonly projectIds: readonly string[]; readonly permissionSetNames: readonly string[] }
  | { readonly organizationId: string; readonly permissionSetNames: readonly string[] };

/** Permission sets on one scope, as the user asked for them (before rules with the same scope merge). */
export interface Grant {
  readonly projects: readonly ProjectRef[] | "*";
  readonly sets: readonly string[];
  /** Where the grant was written (`credentials.x.rules[1].projects`): an overlap is reported there. */
  readonly path: string;
}

/** The scope of a grant as a comparable key: "*", or its project IDs (lower case, sorted, unique). */
function scopeIds(projects: readonly ProjectRef[] | "*"): "*" | string[] {
  return projects === "*" ? "*" : [...new Set(projects.map((p) => p.id.toLowerCase()))].sort();
}

function sortedUnique(values: Iterable<string>): string[] {
  return [...new Set(values)].sort();
}

const sameList = (a: readonly string[], b: readonly string[]) => a.length === b.length && a.every((x, i) => x === b[i]);

/**
 * The policy's rules: grants with the same scope merge into one rule (sets sorted and deduplicated); a project may be
 * in several rules only when their sets differ (the same sets twice is one rule written two ways). Rules are sorted
 * (the organization-wide one first, then by project IDs), as is everything in them: the provider's diff is ordered,
 * so a re-run never shows a change. Undefined (and issues) when two rules grant a project the same sets.
 */
export function resolveRules(organizationId: string, grants: readonly Grant[], issues: Issues): Rule[] | undefined {
  const merged = new Map<
    string,
    { ids: "*" | string[]; sets: Set<string>; grant: Grant; labels: Map<string, string> }
  >();
  for (const grant of grants) {
    const ids = scopeIds(grant.projects);
    const key = ids === "*" ? "*" : ids.join(",");
    const entry = merged.get(key) ?? { ids, sets: new Set<string>(), grant, labels: new Map<string, string>() };
    grant.sets.forEach((s) => entry.sets.add(s));
    if (grant.projects !== "*") for (const p of grant.projects) entry.labels.set(p.id.toLowerCase(), p.label);
    merged.set(key, entry);
  }
  const entries = [...merged.values()].map((e) => ({ ...e, sets: sortedUnique(e.sets) }));
  let ok = true;
  entries.forEach((later, j) => {
    for (const earlier of entries.slice(0, j)) {
      if (!sameList(earlier.sets, later.sets)) continue;
      const shared =
        earlier.ids === "*"
          ? later.ids
          : later.ids === "*"
            ? earlier.ids
            : later.ids.filter((id) => (earlier.ids as string[]).includes(id));
      if (shared === "*" || shared.length === 0) continue;
      ok = false;
      const names = shared.map((id) => later.labels.get(id) ?? earlier.labels.get(id) ?? id);
      issues.add(
        later.grant.path,
        `${names.map((n) => `"${n}"`).join(", ")} ${names.length > 1 ? "are" : "is"} also in ${earlier.grant.path} with the same permission sets (${later.sets.join(", ")}): a project is in several rules only when their sets differ; list it in one rule`,
      );
    }
  });
  if (!ok) return undefined;
  const order = (ids: "*" | string[]) => (ids === "*" ? "" : `~${ids.join(",")}`);
  return entries
    .sort((a, b) => (order(a.ids) < order(b.ids) ? -1 : order(a.ids) > order(b.ids) ? 1 : 0))
    .map((e) =>
      e.ids === "*"
        ? { organizationId, permissionSetNames: e.sets }
        : { projectIds: e.ids, permissionSetNames: e.sets },
    );
}

/** Every project the grants reach, one per label, sorted by label; "*" when one reaches every project. */
export function grantedProjects(grants: readonly Pick<Grant, "projects">[]): readonly ProjectRef[] | "*" {
  if (grants.some((g) => g.projects === "*")) return "*";
  const byLabel = new Map<string, ProjectRef>();
  for (const g of grants)
    for (const p of g.projects as readonly ProjectRef[]) if (!byLabel.has(p.label)) byLabel.set(p.label, p);
  return [...byLabel.values()].sort((a, b) => (a.label < b.label ? -1 : a.label > b.label ? 1 : 0));
}
