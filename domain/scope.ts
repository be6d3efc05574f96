/** Scope: which projects a credential reaches, and the policy rules that say so (one scope per rule). */
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

/**
 * The policy's rules: the sets on the listed projects (IDs sorted, one per project whatever its letter case), or on
 * the organization's every project. Sorted lists, so a re-run never shows a diff (the provider's diff is ordered).
 */
export function resolveRules(
  organizationId: string,
  projects: readonly ProjectRef[] | "*",
  sets: readonly string[],
): Rule[] {
  if (projects === "*") return [{ organizationId, permissionSetNames: [...sets] }];
  const ids = [...new Set(projects.map((p) => p.id.toLowerCase()))].sort();
  return [{ projectIds: ids, permissionSetNames: [...sets] }];
}
