/**
 * One credential, from what a user wrote (a `CredentialSpec`: plain values, some maybe still unknown) to what will
 * exist (a `ResolvedCredential`: names, rules, keys, delivery and Plakar's form, all plain data). The stack config
 * (stack.ts) and the PlakarCredential component both come through here, so both run the same checks with the same
 * messages; only the key paths differ (`credentials.<name>.…` or `args.…`).
 *
 * Each concern has its own small function in its own file: scope.ts, permissionSets.ts, keys.ts, delivery.ts,
 * plakarForm.ts. This file only puts them in order.
 */
import type { Catalog } from "./catalog";
import { ConfigError, Issues } from "./errors";
import { type DeliveryLocation, type DeliverySpec, type ResolvedDelivery, resolveDelivery } from "./delivery";
export type { DeliverySpec, ResolvedDelivery } from "./delivery";
import { type ApiKeys, type Expiry, type ExpirySpec, keysFor, resolveExpiry } from "./keys";
import { type Preset } from "./schema";
import { deliveredExtraFields, type PlakarForm, plakarForm } from "./plakarForm";
import { objectStorageScope, resolveGrants, resolvePreferredProject } from "./permissionSets";
import { type Grant, grantedProjects, type ProjectRef, type Rule, resolveRules, type ScopeSpec } from "./scope";
import {
  SCALEWAY_DESCRIPTION_MAX,
  SCALEWAY_NAME,
  SCALEWAY_NAME_MAX,
  SCALEWAY_TAGS_MAX,
  SECRET_MANAGER_REGIONS,
} from "./schema";
import { didYouMean } from "./suggest";
import { allKnown, isKnown, type MaybeUnknown, UNKNOWN } from "./unknown";

export type { ProjectRef, Rule } from "./scope";

/** Where each field of a spec came from, as the user wrote it: error messages name these key paths. */
export interface SpecPaths {
  /** The credential as a whole: `credentials.<name>` or `args`. */
  readonly base: string;
  readonly organizationId: string;
  readonly projects: string;
  readonly preset: string;
  readonly permissionSets: string;
  /** `rules`: with several rules; each rule's own paths are in its RuleSpec. */
  readonly rules: string;
  readonly stagingProject: string;
  readonly preferredProject: string;
  readonly expiresAt: string;
  readonly rotateEveryDays: string;
  readonly overlapDays: string;
  readonly maxLifetimeDays: string;
  /** Where a bad Scaleway name is reported, and how to fix it. */
  readonly name: string;
  readonly nameFix: string;
  readonly description: string;
  readonly tags: string;
  readonly delivery: string;
  readonly region: string;
}

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

export interface CredentialSpec {
  /** Logical name of the component: every child resource's name starts with it. */
  readonly resourceName: string;
  /** The Pulumi stack, written into descriptions and the `stack=` tag. */
  readonly stack: string;
  readonly organizationId: MaybeUnknown<string>;
  /** The credential's projects; not used with `rules`. */
  readonly scope: ScopeSpec;
  readonly preset?: MaybeUnknown<string>;
  readonly permissionSets?: MaybeUnknown<readonly MaybeUnknown<string>[]>;
  /** For a preset made of parts: the project its `stagingProject` part goes to (the others go to `scope`). */
  readonly stagingProject?: MaybeUnknown<ProjectRef>;
  /** Several rules instead of `scope` + `permissionSets`; the preset then only names the use case. */
  readonly rules?: MaybeUnknown<readonly RuleSpec[]>;
  /** The label of the Object Storage preferred project (an alias in the stack, an ID in the component). */
  readonly preferredProject?: MaybeUnknown<string>;
  /** With an organization-wide scope: the projects `preferredProject` may name (any, when absent). */
  readonly preferredCandidates?: readonly ProjectRef[];
  readonly expiry: ExpirySpec;
  readonly maxLifetimeDays: number;
  /** Scaleway name of the application and the policy. */
  readonly name: MaybeUnknown<string>;
  /** What the credential is for, in the user's words; the preset's description otherwise. */
  readonly purpose?: MaybeUnknown<string>;
  /** The user's tags; `managed-by`, `stack` and `use-case` are added. */
  readonly tags: MaybeUnknown<readonly MaybeUnknown<string>[]>;
  /** The region Plakar's form asks for, when the use case has one. */
  readonly region?: MaybeUnknown<string>;
  readonly delivery?: DeliverySpec;
  readonly paths: SpecPaths;
}

export interface ResolvedCredential {
  readonly resourceName: string;
  readonly name: string;
  /** The preset's name, or `custom`. */
  readonly useCase: string;
  readonly description: string;
  readonly tags: readonly string[];
  readonly organizationId: string;
  /** Every project the credential reaches (in any rule), sorted by label, or "*" for all current and future projects. */
  readonly projects: readonly ProjectRef[] | "*";
  /** Every permission set the credential holds, sorted. */
  readonly permissionSets: readonly string[];
  /** The policy's rules: one scope each, no two with the same scope, sorted. */
  readonly rules: readonly Rule[];
  /** The key's Object Storage preferred project; set exactly when the sets include Object Storage. */
  readonly preferredProject?: ProjectRef;
  readonly expiry: Expiry;
  readonly keys: ApiKeys;
  readonly plakar: PlakarForm;
  readonly delivery?: ResolvedDelivery;
}

export interface ResolveContext {
  readonly now: Date;
  readonly catalog: Catalog;
  readonly presets: ReadonlyMap<string, Preset>;
}

/** Tags this stack adds to every resource: `managed-by`, `stack` and `use-case`. */
export const ADDED_TAGS = 3;
export const CUSTOM_USE_CASE = "custom";
export const SECRET_PROVIDER = "secret-provider";

function sortedUnique(values: Iterable<string>): string[] {
  return [...new Set(values)].sort();
}

/**
 * Checks a spec and, when every value is known and every check passes, resolves it. Problems are added to `issues`;
 * a check that needs an unknown value is skipped (the component runs it again once the value resolves).
 */
export function checkCredential(
  spec: CredentialSpec,
  ctx: ResolveContext,
  issues: Issues,
): ResolvedCredential | undefined {
  const before = issues.count;
  const { paths } = spec;
  let preset: Preset | undefined;
  let presetOk = true;
  if (spec.preset !== undefined && isKnown(spec.preset)) {
    preset = ctx.presets.get(spec.preset);
    if (!preset) {
      presetOk = false;
      issues.add(paths.preset, unknownPresetMessage(spec.preset, ctx.presets));
    }
  }
  const presetKnown = spec.preset === undefined || isKnown(spec.preset);
  const useCase = spec.preset === undefined ? CUSTOM_USE_CASE : isKnown(spec.preset) ? spec.preset : UNKNOWN;

  const grants = resolveGrants(spec, preset, presetOk && presetKnown, ctx, issues);
  const setsFailed = !presetOk || (isKnown(grants) && grants.some((g) => g.sets === undefined));
  const preferred = resolvePreferredProject(spec, objectStorageScope(grants), setsFailed, issues);
  const granted = knownGrants(grants);
  const rules =
    granted && isKnown(spec.organizationId) ? resolveRules(spec.organizationId, granted, issues) : undefined;
  const expiry = resolveExpiry(spec, ctx.now.getTime(), issues);

  checkName(spec, issues);
  const description = describe(spec, useCase, preset, issues);
  const tags = checkTags(spec, useCase, issues);
  if (spec.region !== undefined) checkRegionText(spec.region, paths.region, issues);
  const delivery = spec.delivery ? resolveDelivery(spec, useCase, issues) : undefined;

  if (issues.count > before) return undefined;
  if (
    !isKnown(spec.organizationId) ||
    !isKnown(spec.name) ||
    !granted ||
    !rules ||
    preferred === null ||
    !isKnown(preferred ?? null) ||
    !expiry ||
    !isKnown(description) ||
    !isKnown(tags) ||
    !isKnown(useCase) ||
    (spec.region !== undefined && !isKnown(spec.region)) ||
    (spec.delivery !== undefined && (!delivery || !isKnown(delivery)))
  ) {
    return undefined;
  }
  const preferredRef = preferred as ProjectRef | undefined;
  const projects = grantedProjects(granted);
  const location = delivery as DeliveryLocation | undefined;
  const partial = {
    resourceName: spec.resourceName,
    name: spec.name,
    useCase,
    description,
    tags,
    organizationId: spec.organizationId,
    projects,
    permissionSets: sortedUnique(granted.flatMap((g) => g.sets)),
    rules,
    ...(preferredRef ? { preferredProject: preferredRef } : {}),
    expiry,
    keys: keysFor(spec.resourceName, expiry, ctx.now.getTime(), description),
  };
  const form = plakarForm(partial, preset, spec.region, location);
  const delivered = location ? { delivery: { ...location, tags, extraFields: deliveredExtraFields(form) } } : {};
  return { ...partial, plakar: form, ...delivered };
}

/** Resolves a spec whose values are all known, or throws a ConfigError listing every problem. */
export function resolveCredential(spec: CredentialSpec, ctx: ResolveContext): ResolvedCredential {
  const issues = new Issues();
  const resolved = checkCredential(spec, ctx, issues);
  if (issues.count > 0) throw new ConfigError(issues.list);
  if (!resolved) throw new Error(`internal: credential "${spec.resourceName}" has unknown values left`);
  return resolved;
}

export function unknownPresetMessage(name: string, presets: ReadonlyMap<string, Preset>): string {
  return `unknown preset "${name}"${didYouMean(name, presets.keys())}; presets: ${[...presets.keys()].join(", ")}`;
}

/** The grants, once every scope and set is known and accepted. */
function knownGrants(grants: ReturnType<typeof resolveGrants>): Grant[] | undefined {
  if (!isKnown(grants)) return undefined;
  const out: Grant[] = [];
  for (const g of grants) {
    if (g.sets === undefined || !isKnown(g.sets) || !isKnown(g.projects)) return undefined;
    out.push({ projects: g.projects, sets: g.sets, path: g.path });
  }
  return out;
}

/** Code-unit order, like Array.prototype.sort: the same on every machine, whatever its locale. */
export function compare(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}

function checkName(spec: CredentialSpec, issues: Issues): void {
  if (!isKnown(spec.name)) return;
  const { name, paths } = spec;
  if (name.length > SCALEWAY_NAME_MAX) {
    issues.add(
      paths.name,
      `the application and policy name "${name}" is ${name.length} characters; Scaleway allows ${SCALEWAY_NAME_MAX}: ${paths.nameFix}`,
    );
  } else if (!SCALEWAY_NAME.test(name)) {
    issues.add(
      paths.name,
      `the application and policy name "${name}" has characters Scaleway does not allow (letters, digits, spaces and ()._- only)`,
    );
  }
}

/** ` (generation YYYY-MM-DD)`: what a rotated key appends to the description. */
const GENERATION_SUFFIX_LENGTH = 24;

function describe(
  spec: CredentialSpec,
  useCase: MaybeUnknown<string>,
  preset: Preset | undefined,
  issues: Issues,
): MaybeUnknown<string> {
  if (!isKnown(useCase) || (spec.purpose !== undefined && !isKnown(spec.purpose))) return UNKNOWN;
  const purpose = spec.purpose ?? preset?.description ?? "Custom permission sets";
  const description = `Plakar ${useCase} for stack ${spec.stack}: ${purpose}`;
  // Rotated keys append their generation to this description; keep room for it.
  const suffix = spec.expiry.kind === "pinned" ? 0 : GENERATION_SUFFIX_LENGTH;
  const max = SCALEWAY_DESCRIPTION_MAX - suffix;
  if (description.length > max) {
    const room = max - (description.length - purpose.length);
    issues.add(
      spec.paths.description,
      `makes a ${description.length}-character description; Scaleway allows ${SCALEWAY_DESCRIPTION_MAX}${suffix ? ` and rotated keys add ${suffix} for their generation` : ""}: shorten it to at most ${room} characters`,
    );
  }
  return description;
}

/** Tag keys this stack writes itself: a user tag may not claim them. */
export const RESERVED_TAG_KEYS = ["managed-by", "stack", "use-case"] as const;

function checkTags(
  spec: CredentialSpec,
  useCase: MaybeUnknown<string>,
  issues: Issues,
): MaybeUnknown<readonly string[]> {
  if (!allKnown(spec.tags)) return UNKNOWN;
  const userTags = sortedUnique(spec.tags);
  spec.tags.forEach((tag, i) => {
    const key = tag.split("=")[0];
    // `Stack=x` or ` stack =x` reads as ours to a person or a tool that matches loosely: refused as well.
    if ((RESERVED_TAG_KEYS as readonly string[]).includes(key.trim().toLowerCase())) {
      issues.add(
        `${spec.paths.tags}[${i}]`,
        `the tag key "${key}" is written by this stack itself (managed-by, stack, use-case), so a user tag cannot set it: use another key`,
      );
    }
  });
  const room = SCALEWAY_TAGS_MAX - ADDED_TAGS;
  if (userTags.length > room) {
    issues.add(
      spec.paths.tags,
      `${userTags.length} tags; Scaleway allows ${SCALEWAY_TAGS_MAX} per resource and this stack adds ${ADDED_TAGS} (managed-by, stack, use-case): keep at most ${room}`,
    );
  }
  if (!isKnown(useCase)) return UNKNOWN;
  return sortedUnique([`managed-by=pulumi`, `stack=${spec.stack}`, `use-case=${useCase}`, ...userTags]);
}

/** The region Plakar's form asks for is always a Secret Manager one (the secret provider's, the backed-up secrets'). */
function checkRegionText(region: MaybeUnknown<string>, path: string, issues: Issues): void {
  if (!isKnown(region)) return;
  if (!(SECRET_MANAGER_REGIONS as readonly string[]).includes(region)) {
    issues.add(path, `"${region}" is not a Secret Manager region: "fr-par", "nl-ams" or "pl-waw"`);
  }
}
