/**
 * Permission sets: which sets the credential holds on which projects (the preset's, or a part of it, and the user's,
 * checked against the catalog), and the Object Storage preferred project they need.
 */
import { checkPermissionSet, isObjectStorageSet } from "./catalog";
import type { Catalog } from "./catalog";
import type { Issues } from "./errors";
import { PART_ROLES, type Preset } from "./schema";
import { grantedProjects, type ProjectRef, type ScopeSpec } from "./scope";
import { didYouMean } from "./suggest";
import { allKnown, isKnown, type MaybeUnknown, UNKNOWN } from "./unknown";

/** The shipped data the sets are checked against. */
export interface PresetData {
  readonly catalog: Catalog;
  readonly presets: ReadonlyMap<string, Preset>;
}
type ResolveContext = PresetData;

/** Where each field of one rule came from. */
export interface RulePaths {
  /** The rule as a whole: `credentials.<name>.rules[<i>]` or `args.rules[<i>]`. */
  readonly base: string;
  readonly projects: string;
  readonly permissionSets: string;
  readonly preset: string;
  readonly part: string;
}

/** One rule as written: sets (explicit, a preset's, or a part of one) on one scope. */
export interface RuleSpec {
  readonly scope: ScopeSpec;
  readonly permissionSets?: MaybeUnknown<readonly MaybeUnknown<string>[]>;
  readonly preset?: MaybeUnknown<string>;
  readonly part?: MaybeUnknown<string>;
  readonly paths: RulePaths;
}

/** What a credential's access is decided from: its scope, sets, rules and preferred project, as written. */
export interface AccessSpec {
  /** The credential's projects; not used with `rules`. */
  readonly scope: ScopeSpec;
  readonly preset?: MaybeUnknown<string>;
  readonly permissionSets?: MaybeUnknown<readonly MaybeUnknown<string>[]>;
  /** For a preset made of parts: the project its `stagingProject` part goes to (the others go to `scope`). */
  readonly stagingProject?: MaybeUnknown<ProjectRef>;
  /** Several rules instead of `scope` + `permissionSets`; the preset then only names the use case. */
  readonly rules?: MaybeUnknown<readonly RuleSpec[]>;
  /** The Object Storage preferred project as written (labelled with an alias in the stack, its ID in the component). */
  readonly preferredProject?: MaybeUnknown<ProjectRef>;
  readonly paths: {
    readonly base: string;
    readonly projects: string;
    readonly permissionSets: string;
    readonly rules: string;
    readonly stagingProject: string;
    readonly preferredProject: string;
  };
}

/** Sets on a scope, either of which may not be known yet; `sets` is undefined when one of them is refused. */
export interface GrantSpec {
  readonly projects: MaybeUnknown<readonly ProjectRef[] | "*">;
  readonly sets: MaybeUnknown<string[]> | undefined;
  readonly path: string;
}

function sortedUnique(values: Iterable<string>): string[] {
  return [...new Set(values)].sort();
}

/** The projects of a scope, one per label, sorted by label; UNKNOWN while one is not known. */
export function scopeProjects(scope: ScopeSpec): MaybeUnknown<readonly ProjectRef[] | "*"> {
  if (scope.kind === "organization") return "*";
  if (!allKnown(scope.projects)) return UNKNOWN;
  return grantedProjects([{ projects: scope.projects }]);
}

/** The explicit sets, each checked against the catalog; undefined when one is refused. */
function checkedSets(
  explicit: MaybeUnknown<readonly MaybeUnknown<string>[]>,
  path: string,
  ctx: ResolveContext,
  issues: Issues,
): MaybeUnknown<readonly string[]> | undefined {
  if (!isKnown(explicit)) return UNKNOWN;
  let ok = true;
  explicit.forEach((set, i) => {
    if (!isKnown(set)) return;
    const problem = checkPermissionSet(set, ctx.catalog);
    if (problem) {
      ok = false;
      issues.add(`${path}[${i}]`, problem);
    }
  });
  if (!ok) return undefined;
  return allKnown(explicit) ? explicit : UNKNOWN;
}

/** The credential's sets without rules, sorted and deduplicated; undefined when one is refused. */
export function resolvePermissionSets(
  spec: AccessSpec,
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
  const checked = checkedSets(explicit, paths.permissionSets, ctx, issues);
  if (checked === undefined || !isKnown(checked)) return checked as undefined | typeof UNKNOWN;
  return sortedUnique([...(preset?.permissionSets ?? []), ...checked]);
}

const withParts = (presets: ReadonlyMap<string, Preset>) =>
  [...presets.values()].filter((p) => p.parts).map((p) => p.name);

/**
 * What the credential grants, rule by rule, before rules with the same scope merge. Without `rules`: the sets on the
 * credential's projects, or, for a preset made of parts with its `stagingProject` named, each part on its own project.
 * With `rules`: each rule's sets on its projects (the credential's preset only names the use case). `presetOk` is
 * false when the credential's preset was refused or is not known yet: its sets are then not judged.
 */
export function resolveGrants(
  spec: AccessSpec,
  preset: Preset | undefined,
  presetOk: boolean,
  ctx: ResolveContext,
  issues: Issues,
): MaybeUnknown<readonly GrantSpec[]> {
  const { paths } = spec;
  if (spec.rules !== undefined) {
    if (!isKnown(spec.rules)) return UNKNOWN;
    if (spec.rules.length === 0) issues.add(paths.rules, "must list at least one rule");
    return spec.rules.map((rule) => ruleGrant(rule, ctx, issues));
  }
  const projects = scopeProjects(spec.scope);
  const staging = spec.stagingProject;
  if (staging !== undefined && presetOk && !preset?.parts) {
    const presets = withParts(ctx.presets).join(", ");
    issues.add(
      paths.stagingProject,
      preset
        ? `preset "${preset.name}" is not made of parts, so it has no staging project: remove ${leaf(paths.stagingProject)} (presets with one: ${presets})`
        : `only a preset made of parts (${presets}) takes a staging project: remove ${leaf(paths.stagingProject)}, or write rules`,
    );
    // The credential's sets are still checked, so one run shows every problem.
    return [{ projects, sets: resolvePermissionSets(spec, preset, ctx, issues), path: paths.projects }];
  }
  if (!presetOk) return [{ projects, sets: UNKNOWN, path: paths.projects }];
  if (staging === undefined || !preset?.parts) {
    return [{ projects, sets: resolvePermissionSets(spec, preset, ctx, issues), path: paths.projects }];
  }
  const { parts } = preset;
  const explicit = checkedSets(spec.permissionSets ?? [], paths.permissionSets, ctx, issues);
  const main = explicit === undefined || !isKnown(explicit) ? explicit : sortedUnique([...parts.projects, ...explicit]);
  const grants: GrantSpec[] = [{ projects, sets: main as MaybeUnknown<string[]> | undefined, path: paths.projects }];
  for (const role of PART_ROLES) {
    grants.push({
      projects: isKnown(staging) ? [staging] : UNKNOWN,
      sets: sortedUnique(parts[role]),
      path: paths.stagingProject,
    });
  }
  return grants;
}

function ruleGrant(rule: RuleSpec, ctx: ResolveContext, issues: Issues): GrantSpec {
  const { paths } = rule;
  const projects = scopeProjects(rule.scope);
  let fromPreset: MaybeUnknown<readonly string[]> | undefined = [];
  let named = false;
  if (rule.preset !== undefined) {
    named = true;
    if (!isKnown(rule.preset)) fromPreset = UNKNOWN;
    else {
      const preset = ctx.presets.get(rule.preset);
      if (!preset) {
        issues.add(
          paths.preset,
          `unknown preset "${rule.preset}"${didYouMean(rule.preset, ctx.presets.keys())}; presets: ${[...ctx.presets.keys()].join(", ")}`,
        );
        fromPreset = undefined;
      } else if (rule.part !== undefined && isKnown(rule.part)) {
        const part = preset.parts?.[rule.part as keyof NonNullable<Preset["parts"]>];
        if (!part) {
          issues.add(
            paths.part,
            preset.parts
              ? `preset "${preset.name}" has no part "${rule.part}"; its parts: ${Object.keys(preset.parts).join(", ")}`
              : `preset "${preset.name}" is not made of parts (presets with parts: ${withParts(ctx.presets).join(", ")}): remove part`,
          );
          fromPreset = undefined;
        } else fromPreset = part;
      } else fromPreset = rule.part === undefined ? preset.permissionSets : UNKNOWN;
    }
  } else if (rule.part !== undefined) {
    issues.add(paths.part, "names a part of a preset: give the preset too, or remove part");
    fromPreset = undefined;
  }
  const explicit = rule.permissionSets ?? [];
  if (!named && isKnown(explicit) && explicit.length === 0) {
    issues.add(paths.base, `needs a preset (${[...ctx.presets.keys()].join(", ")}) or a non-empty permissionSets list`);
    return { projects, sets: undefined, path: paths.projects };
  }
  const checked = checkedSets(explicit, paths.permissionSets, ctx, issues);
  if (checked === undefined || fromPreset === undefined) return { projects, sets: undefined, path: paths.projects };
  if (!isKnown(checked) || !isKnown(fromPreset)) return { projects, sets: UNKNOWN, path: paths.projects };
  return { projects, sets: sortedUnique([...fromPreset, ...checked]), path: paths.projects };
}

/**
 * Where the key's Object Storage preferred project may be: the projects of the grants that hold Object Storage sets,
 * and whether one is needed at all (UNKNOWN when it cannot be decided yet). While some grant's sets are refused or
 * unknown, every granted project is a candidate, so a name is still checked against something sensible.
 */
export function objectStorageScope(grants: MaybeUnknown<readonly GrantSpec[]>): {
  readonly needed: MaybeUnknown<boolean>;
  readonly projects: MaybeUnknown<readonly ProjectRef[] | "*">;
} {
  if (!isKnown(grants)) return { needed: UNKNOWN, projects: UNKNOWN };
  const undecided = grants.some((g) => g.sets === undefined || !isKnown(g.sets));
  const holding = grants.filter((g) => g.sets !== undefined && isKnown(g.sets) && g.sets.some(isObjectStorageSet));
  const needed = holding.length > 0 ? true : undecided ? UNKNOWN : false;
  const candidates = undecided ? grants : holding;
  if (candidates.some((g) => !isKnown(g.projects))) return { needed, projects: UNKNOWN };
  return { needed, projects: grantedProjects(candidates as readonly { projects: readonly ProjectRef[] | "*" }[]) };
}

/**
 * The key's Object Storage preferred project: required exactly when the sets include Object Storage (the only
 * project those sets apply to is taken without asking), refused otherwise, and always a project a rule holding
 * Object Storage sets covers. Null when refused; UNKNOWN when it cannot be decided.
 */
export function resolvePreferredProject(
  spec: AccessSpec,
  scope: ReturnType<typeof objectStorageScope>,
  setsFailed: boolean,
  issues: Issues,
): MaybeUnknown<ProjectRef | undefined> | null {
  const path = spec.paths.preferredProject;
  const field = leaf(path);
  const wanted = spec.preferredProject;
  const projects = scope.projects;
  // With refused sets, still check the name; whether one is needed is decided once the sets are fixed.
  const needsOne = setsFailed || !isKnown(scope.needed) ? (wanted !== undefined ? true : UNKNOWN) : scope.needed;
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
  const split = spec.rules !== undefined || spec.stagingProject !== undefined;
  // Every project of the organization is granted: any project will do.
  if (projects === "*") {
    if (wanted !== undefined) return wanted;
    if (needsOne === UNKNOWN) return UNKNOWN;
    issues.add(
      path,
      `required: Object Storage permission sets need a preferred project (the buckets' project) and ${split ? "they apply to" : "this credential has"} projects "*"; set ${field} to the buckets' project`,
    );
    return null;
  }
  const names = projects.map((p) => p.label);
  if (wanted !== undefined) {
    // Matched by ID; shown as it was written (the stack may give one project two aliases).
    if (projects.some((p) => p.id === wanted.id)) return wanted;
    const scopeText = split ? "a project of a rule holding Object Storage sets" : "one of this credential's projects";
    issues.add(path, `"${wanted.label}" is not ${scopeText} (${names.join(", ")})${didYouMean(wanted.label, names)}`);
    return null;
  }
  if (needsOne === UNKNOWN) return UNKNOWN;
  if (projects.length === 1) return projects[0];
  issues.add(
    path,
    `required: Object Storage permission sets need a preferred project (the buckets' project) and ${split ? `they apply to ${projects.length} projects` : `this credential has ${projects.length} projects`}; set ${field} to one of ${names.join(", ")}`,
  );
  return null;
}

/** `preferredProject` of `credentials.x.preferredProject`. */
function leaf(path: string): string {
  return path.slice(path.lastIndexOf(".") + 1);
}
