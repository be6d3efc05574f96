/**
 * One credential, from what a user wrote (a `CredentialSpec`: plain values, some maybe still unknown) to what will
 * exist (a `ResolvedCredential`: names, rules, keys, delivery and Plakar's form, all plain data). The stack config
 * (stack/) and the components both come through here, so both run the same checks with the same messages; only the
 * key paths and project labels differ (`credentials.<name>.…` and aliases, or `args.…` and IDs).
 *
 * Each concern has its own small function, in its own file or below: the identity (name, description, tags), the
 * access (scope.ts, permissionSets.ts), the keys (keys.ts), the delivery (delivery.ts) and Plakar's form
 * (plakarForm.ts). A component computes each child's inputs from only the pieces that child reads; checkCredential
 * runs them all.
 */
import { CUSTOM_USE_CASE, SCALEWAY_DESCRIPTION_MAX, SCALEWAY_NAME, SCALEWAY_NAME_MAX } from "./constants";
import { SCALEWAY_TAGS_MAX, SECRET_MANAGER_REGIONS } from "./constants";
import { type DeliveryLocation, type DeliverySpec, type ResolvedDelivery, resolveDelivery } from "./delivery";
import { ConfigError, Issues } from "./errors";
import { type ApiKeys, type Expiry, type ExpiryInput, keysFor, resolveExpiry } from "./keys";
import {
  type AccessSpec,
  objectStorageScope,
  type PresetData,
  resolveGrants,
  resolvePreferredProject,
} from "./permissionSets";
import { deliveredExtraFields, type PlakarForm, plakarForm } from "./plakarForm";
import type { Preset } from "./schema";
import { type Grant, grantedProjects, type ProjectRef, type Rule, resolveRules } from "./scope";
import { didYouMean } from "./suggest";
import { allKnown, isKnown, type MaybeUnknown, UNKNOWN } from "./unknown";

export type { DeliverySpec, ResolvedDelivery } from "./delivery";
export type { PresetData, RulePaths, RuleSpec } from "./permissionSets";
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

export interface CredentialSpec extends AccessSpec, ExpiryInput {
  /** Logical name of the component: every child resource's name starts with it. */
  readonly resourceName: string;
  /** The Pulumi stack, written into descriptions and the `stack=` tag. */
  readonly stack: string;
  readonly organizationId: MaybeUnknown<string>;
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

/** The application's and the policy's name, description and tags. */
export interface Identity {
  /** The preset's name, or `custom`. */
  readonly useCase: string;
  readonly name: string;
  readonly description: string;
  readonly tags: readonly string[];
}

/** Who may do what: the policy's rules and what they add up to. */
export interface Access {
  /** The policy's rules: one scope each, no two with the same scope, sorted. */
  readonly rules: readonly Rule[];
  /** Every permission set the credential holds, sorted. */
  readonly permissionSets: readonly string[];
  /** Every project the credential reaches (in any rule), sorted by label, or "*" for all current and future ones. */
  readonly projects: readonly ProjectRef[] | "*";
  /** The key's Object Storage preferred project; set exactly when the sets include Object Storage. */
  readonly preferredProject?: ProjectRef;
}

export interface ResolvedCredential extends Identity, Access {
  readonly resourceName: string;
  readonly organizationId: string;
  readonly expiry: Expiry;
  readonly keys: ApiKeys;
  readonly plakar: PlakarForm;
  readonly delivery?: ResolvedDelivery;
}

export interface ResolveContext extends PresetData {
  readonly now: Date;
}

/** Tags this stack adds to every resource: `managed-by`, `stack` and `use-case`. */
export const ADDED_TAGS = 3;

function sortedUnique(values: Iterable<string>): string[] {
  return [...new Set(values)].sort();
}

/** The spec's preset, looked up: `ok` is false when it is unknown to the catalog of presets (and reported). */
export function presetOf(
  spec: Pick<CredentialSpec, "preset" | "paths">,
  data: PresetData,
  issues: Issues,
): { readonly preset?: Preset; readonly ok: boolean; readonly known: boolean; readonly useCase: MaybeUnknown<string> } {
  if (spec.preset === undefined) return { ok: true, known: true, useCase: CUSTOM_USE_CASE };
  if (!isKnown(spec.preset)) return { ok: true, known: false, useCase: UNKNOWN };
  const preset = data.presets.get(spec.preset);
  if (!preset) issues.add(spec.paths.preset, unknownPresetMessage(spec.preset, data.presets));
  return { ...(preset ? { preset } : {}), ok: preset !== undefined, known: true, useCase: spec.preset };
}

/** The Scaleway name of the application and the policy, checked. */
export function nameOf(spec: CredentialSpec, issues: Issues): MaybeUnknown<string> {
  checkName(spec, issues);
  return spec.name;
}

/** The description of the application, the policy and (with their generation) the keys. */
export function descriptionOf(spec: CredentialSpec, data: PresetData, issues: Issues): MaybeUnknown<string> {
  const { preset, useCase } = presetOf(spec, data, issues);
  return describe(spec, useCase, preset, issues);
}

/** The tags of the application, the policy and the secret: the user's, and managed-by, stack and use-case. */
export function tagsOf(spec: CredentialSpec, data: PresetData, issues: Issues): MaybeUnknown<readonly string[]> {
  return checkTags(spec, presetOf(spec, data, issues).useCase, issues);
}

/** The name, description and tags of the application and the policy; UNKNOWN while one of them is not known. */
export function identityOf(spec: CredentialSpec, data: PresetData, issues: Issues): MaybeUnknown<Identity> {
  const { useCase } = presetOf(spec, data, issues);
  const name = nameOf(spec, issues);
  const description = descriptionOf(spec, data, issues);
  const tags = tagsOf(spec, data, issues);
  if (!isKnown(useCase) || !isKnown(name) || !isKnown(description) || !isKnown(tags)) return UNKNOWN;
  return { useCase, name, description, tags };
}

/** The policy's rules, the sets and projects they add up to, and the key's preferred project. */
export function accessOf(spec: CredentialSpec, data: PresetData, issues: Issues): MaybeUnknown<Access> | undefined {
  const before = issues.count;
  const { preset, ok, known } = presetOf(spec, data, issues);
  const grants = resolveGrants(spec, preset, ok && known, data, issues);
  const setsFailed = !ok || (isKnown(grants) && grants.some((g) => g.sets === undefined));
  const preferred = resolvePreferredProject(spec, objectStorageScope(grants), setsFailed, issues);
  const granted = knownGrants(grants);
  const rules =
    granted && isKnown(spec.organizationId) ? resolveRules(spec.organizationId, granted, issues) : undefined;
  if (issues.count > before) return undefined;
  if (!granted || !rules || preferred === null || !isKnown(preferred ?? null)) return UNKNOWN;
  const preferredRef = preferred as ProjectRef | undefined;
  return {
    rules,
    permissionSets: sortedUnique(granted.flatMap((g) => g.sets)),
    projects: grantedProjects(granted),
    ...(preferredRef ? { preferredProject: preferredRef } : {}),
  };
}

/** The keys to hold now: their names, expiries and descriptions. */
export function keysOf(
  spec: CredentialSpec,
  description: string,
  nowMs: number,
  issues: Issues,
): { readonly expiry: Expiry; readonly keys: ApiKeys } | undefined {
  const expiry = resolveExpiry(spec, nowMs, issues);
  return expiry ? { expiry, keys: keysFor(spec.resourceName, expiry, nowMs, description) } : undefined;
}

/** Where the key is delivered, when it is: UNKNOWN while not known, undefined when refused or not delivered. */
export function deliveryOf(
  spec: CredentialSpec,
  useCase: MaybeUnknown<string>,
  issues: Issues,
): MaybeUnknown<DeliveryLocation> | undefined {
  return spec.delivery ? resolveDelivery(spec, useCase, issues) : undefined;
}

/** Plakar's form for a credential whose identity and access are known. */
export function formOf(
  identity: Pick<Identity, "name">,
  access: Access,
  preset: Preset | undefined,
  region: string | undefined,
  delivery: DeliveryLocation | undefined,
): PlakarForm {
  return plakarForm(
    { name: identity.name, projects: access.projects, preferredProject: access.preferredProject },
    preset,
    region,
    delivery,
  );
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
  const identity = identityOf(spec, ctx, issues);
  const access = accessOf(spec, ctx, issues);
  const nowMs = ctx.now.getTime();
  const expiry = resolveExpiry(spec, nowMs, issues);
  if (spec.region !== undefined) checkRegionText(spec.region, spec.paths.region, issues);
  const delivery = deliveryOf(spec, isKnown(identity) ? identity.useCase : UNKNOWN, issues);

  if (issues.count > before) return undefined;
  if (
    !isKnown(spec.organizationId) ||
    !isKnown(identity) ||
    access === undefined ||
    !isKnown(access) ||
    !expiry ||
    (spec.region !== undefined && !isKnown(spec.region)) ||
    (spec.delivery !== undefined && (!delivery || !isKnown(delivery)))
  ) {
    return undefined;
  }
  const location = delivery as DeliveryLocation | undefined;
  const { preset } = presetOf(spec, ctx, issues);
  const form = formOf(identity, access, preset, spec.region as string | undefined, location);
  return {
    resourceName: spec.resourceName,
    ...identity,
    organizationId: spec.organizationId,
    ...access,
    expiry,
    keys: keysFor(spec.resourceName, expiry, nowMs, identity.description),
    plakar: form,
    ...(location ? { delivery: { ...location, tags: identity.tags, extraFields: deliveredExtraFields(form) } } : {}),
  };
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
