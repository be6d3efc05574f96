/**
 * fast-check generators of stack configs (the raw config namespace, as `namespaceConfig` hands it to the planner).
 * `validCaseArb` only produces configs that follow every documented rule, so the planner must accept them; it is
 * written from the rules (README, schema comments, the issue), not from the domain's code paths.
 */
import * as path from "path";
import fc from "fast-check";
import type { StackContext } from "../../stack/credentials";
import { loadCatalog } from "../../components/domain/catalog";
import { loadPresets } from "../../components/domain/presets";

export const ROOT = path.resolve(__dirname, "..", "..");
export const PROJECT = "plakar-scaleway-iam";

export const CATALOG = loadCatalog();
export const PRESETS = loadPresets(CATALOG);
export const PRESET_NAMES = [...PRESETS.keys()];
export const PROJECT_SETS = [...CATALOG.values()].filter((s) => s.scope === "project").map((s) => s.name);
export const ORG_SETS = [...CATALOG.values()].filter((s) => s.scope === "organization").map((s) => s.name);
/** Independent oracle: a set "includes Object Storage" when the catalog files it under Object Storage. */
export function isObjectStorage(set: string): boolean {
  return CATALOG.get(set)?.category.includes("Object Storage") ?? false;
}
export const OS_SETS = PROJECT_SETS.filter(isObjectStorage);

/** Scaleway's documented limits for IAM applications, policies and API keys. */
export const LIMITS = { name: 64, description: 200, tags: 10 } as const;
/** What a rotated key appends to the credential's description: ` (generation YYYY-MM-DD)`. */
export const GENERATION_SUFFIX = " (generation 2026-01-01)".length;
/** Tags the stack adds to every resource: managed-by, stack, use-case. */
export const STACK_ADDED_TAGS = 3;
export const DAY = 86_400_000;
export const DEFAULTS = {
  maxLifetimeDays: 365,
  rotateEveryDays: 90,
  overlapDays: 14,
  namePrefix: "plakar-",
  region: "fr-par",
  pathPrefix: "/plakar",
} as const;
/** Scaleway's pattern for application and policy names. */
export const NAME_PATTERN = /^[a-zA-Z0-9()._\- ]+$/;
export const UUID_PATTERN = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;
export const SECRET_PROVIDER = "secret-provider";

/**
 * The component class that serves each use case (the stack instantiates it for a credential of that preset, unless
 * the credential has rules, extra permission sets, or a field that class does not take); the rest is a
 * PlakarCredential. `object-storage-source` is an ObjectStorageCredential with `readOnly: true`.
 */
export const CLASS_OF_PRESET: Readonly<Record<string, string>> = {
  inventory: "InventoryCredential",
  "secret-provider": "SecretProviderCredential",
  "object-storage": "ObjectStorageCredential",
  "object-storage-source": "ObjectStorageCredential",
  "instance-backup": "InstanceBackupCredential",
  "block-storage-backup": "BlockStorageBackupCredential",
  "secret-manager-backup": "SecretManagerBackupCredential",
};
export const CUSTOM_CLASS = "PlakarCredential";

export interface RawCredential {
  preset?: string;
  permissionSets?: string[];
  projects: string[] | "*";
  preferredProject?: string;
  expiresAt?: string;
  rotateEveryDays?: number;
  overlapDays?: number;
  description?: string;
  deliver?: "outputs" | "secret-manager";
  /** A preset made of parts: the project of its `stagingProject` part. */
  stagingProject?: string;
  /** Several rules instead of `projects` + `permissionSets` (then `projects` is absent: see `rulesCaseArb`). */
  rules?: RawRule[];
  /** The secrets' region, for a form with a Region field. */
  region?: string;
}

export interface RawRule {
  projects: string[] | "*";
  permissionSets?: string[];
  preset?: string;
  part?: "projects" | "stagingProject";
}

/** The project roles of a preset made of parts, and Secret Manager's regions (Scaleway's SDK). */
export const SM_REGIONS = ["fr-par", "nl-ams", "pl-waw"] as const;
export const PARTED_PRESETS = [...PRESETS.values()].filter((p) => p.parts).map((p) => p.name);

export interface RawApiKeys {
  expiresAt?: string;
  maxLifetimeDays?: number;
  rotateEveryDays?: number;
  overlapDays?: number;
}

export interface RawSecretManager {
  project: string;
  region?: string;
  pathPrefix?: string;
}

export interface RawStack {
  organizationId: string;
  projects: Record<string, string>;
  namePrefix?: string;
  allowAllProjects?: boolean;
  protect?: boolean;
  tags?: string[];
  apiKeys?: RawApiKeys;
  secretManager?: RawSecretManager;
  credentials: Record<string, RawCredential>;
}

/** A config with the stack name and clock it is planned with. */
export interface Case<C = RawStack> {
  readonly config: C;
  readonly stack: string;
  readonly now: Date;
}

export function planContext(c: Pick<Case<unknown>, "stack" | "now">): StackContext {
  return { stack: c.stack, now: c.now, catalog: CATALOG, presets: PRESETS };
}

export function sortedUnique(values: Iterable<string>): string[] {
  return [...new Set(values)].sort();
}

export function hasOwn(obj: object, key: string): boolean {
  return Object.prototype.hasOwnProperty.call(obj, key);
}

/** The permission sets one rule grants: its preset's (or the part's) plus its explicit ones. */
export function ruleSets(rule: RawRule): string[] {
  const preset = rule.preset !== undefined ? PRESETS.get(rule.preset) : undefined;
  const fromPreset = rule.part !== undefined ? (preset?.parts?.[rule.part] ?? []) : (preset?.permissionSets ?? []);
  return sortedUnique([...fromPreset, ...(rule.permissionSets ?? [])]);
}

/**
 * The permission sets a credential must end up with: its preset's plus its explicit ones; with rules, every rule's
 * (the credential's preset then only names the use case). A staging project moves sets, it adds none.
 */
export function expectedSets(spec: RawCredential): string[] {
  if (spec.rules) return sortedUnique(spec.rules.flatMap(ruleSets));
  const preset = spec.preset !== undefined ? PRESETS.get(spec.preset) : undefined;
  return sortedUnique([...(preset?.permissionSets ?? []), ...(spec.permissionSets ?? [])]);
}

/**
 * What the credential grants, as the issue states it: sets on aliases ("*" for every project). Without rules: all
 * sets on `projects`, or, with a staging project, the preset's `projects` part (plus explicit sets) there and its
 * `stagingProject` part on the staging project.
 */
export function expectedGrants(spec: RawCredential): { projects: string[] | "*"; sets: string[] }[] {
  if (spec.rules) return spec.rules.map((r) => ({ projects: r.projects, sets: ruleSets(r) }));
  const parts = spec.preset !== undefined ? PRESETS.get(spec.preset)?.parts : undefined;
  if (spec.stagingProject !== undefined && parts) {
    return [
      { projects: spec.projects, sets: sortedUnique([...parts.projects, ...(spec.permissionSets ?? [])]) },
      { projects: [spec.stagingProject], sets: sortedUnique(parts.stagingProject) },
    ];
  }
  return [{ projects: spec.projects, sets: expectedSets(spec) }];
}

/** The aliases whose project gets Object Storage sets ("*" when a rule reaching every project does). */
export function objectStorageAliases(config: RawStack, spec: RawCredential): string[] | "*" {
  const holding = expectedGrants(spec).filter((g) => g.sets.some(isObjectStorage));
  if (holding.some((g) => g.projects === "*")) return "*";
  return [...new Set(holding.flatMap((g) => g.projects as string[]))].filter((a) => hasOwn(config.projects, a));
}

export type ExpiryInfo =
  | { kind: "pinned"; at: string; path: string }
  | { kind: "rotation"; rotate: number; overlap: number; rotatePath: string; overlapPath: string };

/** The documented expiry rules: a credential's pin beats rotation overrides beat `apiKeys`. */
export function expiryOf(config: RawStack, key: string): ExpiryInfo {
  const spec = config.credentials[key];
  const ak = config.apiKeys ?? {};
  const override = spec.rotateEveryDays !== undefined || spec.overlapDays !== undefined;
  const pinned = spec.expiresAt ?? (override ? undefined : ak.expiresAt);
  if (pinned !== undefined) {
    return {
      kind: "pinned",
      at: pinned,
      path: spec.expiresAt !== undefined ? `credentials.${key}.expiresAt` : "apiKeys.expiresAt",
    };
  }
  return {
    kind: "rotation",
    rotate: spec.rotateEveryDays ?? ak.rotateEveryDays ?? DEFAULTS.rotateEveryDays,
    overlap: spec.overlapDays ?? ak.overlapDays ?? DEFAULTS.overlapDays,
    rotatePath: spec.rotateEveryDays !== undefined ? `credentials.${key}.rotateEveryDays` : "apiKeys.rotateEveryDays",
    overlapPath: spec.overlapDays !== undefined ? `credentials.${key}.overlapDays` : "apiKeys.overlapDays",
  };
}

export function maxLifetimeOf(config: RawStack): number {
  return config.apiKeys?.maxLifetimeDays ?? DEFAULTS.maxLifetimeDays;
}

/** The distinct project aliases a credential names (all declared ones for "*"). */
export function aliasesOf(config: RawStack, spec: RawCredential): string[] {
  const os = spec.rules || spec.stagingProject !== undefined ? objectStorageAliases(config, spec) : spec.projects;
  return os === "*" ? Object.keys(config.projects) : [...new Set(os)];
}

/** True when the credential's sets include Object Storage, so its key needs a preferred project. */
export function needsPreferred(spec: RawCredential): boolean {
  return expectedSets(spec).some(isObjectStorage);
}

export function covers(config: RawStack, spec: RawCredential): boolean {
  const sm = config.secretManager;
  if (!sm || spec.preset !== SECRET_PROVIDER) return false;
  if (spec.projects === "*") return true;
  const target = config.projects[sm.project];
  return spec.projects.some((a) => config.projects[a] === target);
}

/** RFC 3339 at a fixed UTC offset (minutes), e.g. `2027-01-01T02:00:00+02:00`. */
export function withOffset(ms: number, offsetMinutes: number, withMillis = false): string {
  const local = new Date(ms + offsetMinutes * 60_000).toISOString().slice(0, withMillis ? 23 : 19);
  const sign = offsetMinutes < 0 ? "-" : "+";
  const abs = Math.abs(offsetMinutes);
  return `${local}${sign}${String(Math.floor(abs / 60)).padStart(2, "0")}:${String(abs % 60).padStart(2, "0")}`;
}

export function isoSeconds(ms: number): string {
  return new Date(ms).toISOString().replace(/\.\d{3}Z$/, "Z");
}

type Draw = <T>(arb: fc.Arbitrary<T>) => T;

const oneIn = (n: number) => fc.integer({ min: 1, max: n }).map((x) => x === 1);
const optional = <T>(arb: fc.Arbitrary<T>) => fc.option(arb, { nil: undefined });

export const uuidArb: fc.Arbitrary<string> = fc.oneof(
  { arbitrary: fc.uuid(), weight: 6 },
  { arbitrary: fc.uuid().map((u) => u.toUpperCase()), weight: 1 },
  {
    arbitrary: fc.constantFrom("00000000-0000-0000-0000-000000000000", "5b0a1c2d-3e4f-4a5b-8c6d-7e8f9a0b1c2d"),
    weight: 1,
  },
);

export const aliasArb: fc.Arbitrary<string> = fc.oneof(
  fc.constantFrom("apps", "backups", "web", "data", "vault", "Prod_1", "eu-west", "A", "0"),
  fc.stringMatching(/^[A-Za-z0-9][A-Za-z0-9_-]{0,11}$/),
);

const stackArb = fc.oneof(fc.constantFrom("staging", "prod", "dev"), fc.stringMatching(/^[a-z][a-z0-9-]{0,11}$/));
const prefixArb = fc.oneof(
  fc.constantFrom("plakar-", "", "p-", "Plakar ", "acme.(iam)_"),
  fc.stringMatching(/^[a-zA-Z0-9()._\- ]{1,12}$/),
);
const tagArb = fc.oneof(
  fc.constantFrom("team=platform", "env=prod", "cost-center=42", "backup", "stacks=two"),
  fc
    .stringMatching(/^[a-z][a-z0-9=_.-]{0,15}$/)
    // The keys the stack writes itself (managed-by, stack, use-case) are refused in user tags.
    .filter((t) => !["managed-by", "stack", "use-case"].includes(t.split("=")[0])),
);
const credKeyArb = fc.oneof(
  fc.constantFrom("inventory", "secrets", "buckets", "volumes", "inventory-web", "a", "b2"),
  fc.stringMatching(/^[a-z][a-z0-9-]{0,24}$/),
);
const descriptionArb = fc.oneof(
  fc.constantFrom("Staging backups bucket (Plakar store)", "x", "Backups of the accounting team, unicode: déjà-vu ✓"),
  fc.stringMatching(/^[ -~]{1,60}$/),
);
// Secret Manager's regions: any other is refused.
const regionArb = fc.constantFrom("fr-par", "nl-ams", "pl-waw");
const pathPrefixArb = fc.oneof(
  fc.constantFrom("/", "/plakar", "/a/b.c_d-e"),
  fc
    .stringMatching(/^(\/[A-Za-z0-9_.-]{1,8}){1,3}$/)
    // "." and ".." segments are refused: a folder is written as itself.
    .filter((p) => p.split("/").every((s) => s !== "." && s !== "..")),
);

/**
 * A valid pinned expiry: after `now` even once truncated to the second (what Scaleway stores), at most `maxDays`
 * after it, in one of RFC 3339's spellings.
 */
function pinnedTimestamp(draw: Draw, nowMs: number, maxDays: number): string {
  const maxMs = maxDays * DAY;
  const offset = draw(
    fc.oneof(
      { arbitrary: fc.integer({ min: 1_000, max: maxMs }), weight: 6 },
      { arbitrary: fc.integer({ min: 1_000, max: 5_000 }), weight: 1 },
      { arbitrary: fc.integer({ min: Math.max(1, maxMs - 5_000), max: maxMs }), weight: 1 },
    ),
  );
  const at = nowMs + offset;
  const style = draw(fc.constantFrom("seconds", "millis", "offset", "offset-millis", "minutes"));
  const zone = draw(fc.constantFrom(-720, -330, 0, 60, 120, 330, 345, 840));
  const text =
    style === "seconds"
      ? isoSeconds(at)
      : style === "millis"
        ? new Date(at).toISOString()
        : style === "offset"
          ? withOffset(at, zone)
          : style === "offset-millis"
            ? withOffset(at, zone, true)
            : new Date(at).toISOString().slice(0, 16) + "Z";
  const parsed = Date.parse(text);
  const inWindow = (ms: number) => Math.floor(ms / 1000) * 1000 > nowMs && ms <= nowMs + maxMs;
  // A spelling with less precision may round the instant out of the window: then spell it exactly.
  return inWindow(parsed) ? text : new Date(at).toISOString();
}

/** A (rotate, overlap) pair with overlap < rotate and rotate + overlap <= maxDays; maxDays >= 3. */
function rotationPair(draw: Draw, maxDays: number): [number, number] {
  const rotate = draw(
    fc.oneof(
      fc.integer({ min: 2, max: maxDays - 1 }),
      fc.constantFrom(2, maxDays - 1, Math.max(2, Math.floor(maxDays / 2))),
    ),
  );
  const hi = Math.min(rotate - 1, maxDays - rotate);
  const overlap = draw(fc.oneof(fc.integer({ min: 1, max: hi }), fc.constantFrom(1, hi)));
  return [rotate, overlap];
}

function buildValid(draw: Draw): Case {
  const stack = draw(stackArb);
  const config: RawStack = { organizationId: draw(uuidArb), projects: {}, credentials: {} };

  const aliases = draw(fc.uniqueArray(aliasArb, { minLength: 1, maxLength: 5 }));
  let lastId = "";
  for (const alias of aliases) {
    // Now and then two aliases name the same project.
    const id = lastId && draw(oneIn(8)) ? lastId : draw(uuidArb);
    config.projects[alias] = id;
    lastId = id;
  }

  const namePrefix = draw(optional(prefixArb));
  if (namePrefix !== undefined) config.namePrefix = namePrefix;
  const allowAll = draw(optional(fc.boolean()));
  if (allowAll !== undefined) config.allowAllProjects = allowAll;
  const protect = draw(optional(fc.boolean()));
  if (protect !== undefined) config.protect = protect;

  const rawTags = draw(optional(fc.array(tagArb, { maxLength: 9 })));
  if (rawTags !== undefined) {
    const keep = new Set([...new Set(rawTags)].slice(0, 10 - STACK_ADDED_TAGS));
    config.tags = rawTags.filter((t) => keep.has(t));
  }

  // apiKeys: a lifetime cap, and either rotation defaults or a pinned default expiry.
  const maxDays = draw(optional(fc.oneof(fc.integer({ min: 1, max: 800 }), fc.constantFrom(1, 2, 3, 104, 365))));
  const max = maxDays ?? DEFAULTS.maxLifetimeDays;
  const pinnedDefaults = max < 3 || draw(oneIn(5));
  const apiKeys: RawApiKeys = {};
  if (maxDays !== undefined) apiKeys.maxLifetimeDays = maxDays;
  let rotateDefault: number = DEFAULTS.rotateEveryDays;
  let overlapDefault: number = DEFAULTS.overlapDays;
  if (!pinnedDefaults) {
    const libraryDefaultsFit = DEFAULTS.rotateEveryDays + DEFAULTS.overlapDays <= max;
    if (!(libraryDefaultsFit && draw(fc.boolean()))) {
      [rotateDefault, overlapDefault] = rotationPair(draw, max);
      apiKeys.rotateEveryDays = rotateDefault;
      apiKeys.overlapDays = overlapDefault;
    }
  }

  // The clock: anywhere, or right at a rotation boundary of the default schedule.
  const anyDate = fc.date({
    min: new Date("2023-06-01T00:00:00Z"),
    max: new Date("2033-12-31T00:00:00Z"),
    noInvalidDate: true,
  });
  const boundary = fc
    .tuple(
      fc.integer({ min: -5, max: 40 }),
      fc.constantFrom(-1, 0, 1, overlapDefault * DAY - 1, overlapDefault * DAY, overlapDefault * DAY + 1),
    )
    .map(([g, delta]) => new Date(Date.UTC(2024, 0, 1) + g * rotateDefault * DAY + delta));
  const now = draw(fc.oneof({ arbitrary: anyDate, weight: 4 }, { arbitrary: boundary, weight: 1 }));
  const nowMs = now.getTime();

  if (pinnedDefaults) apiKeys.expiresAt = pinnedTimestamp(draw, nowMs, max);
  if (Object.keys(apiKeys).length > 0 || draw(oneIn(6))) config.apiKeys = apiKeys;

  if (draw(oneIn(3))) {
    const sm: RawSecretManager = { project: draw(fc.constantFrom(...aliases)) };
    const region = draw(optional(regionArb));
    if (region !== undefined) sm.region = region;
    const prefix = draw(optional(pathPrefixArb));
    if (prefix !== undefined) sm.pathPrefix = prefix;
    config.secretManager = sm;
  }

  const prefix = config.namePrefix ?? DEFAULTS.namePrefix;
  const room = LIMITS.name - prefix.length - stack.length - 1;
  const count = draw(fc.integer({ min: 1, max: 5 }));
  for (let i = 0; i < count; i++) {
    let key = draw(credKeyArb);
    // Now and then a name of exactly Scaleway's maximum length.
    if (draw(oneIn(10))) key = (key + "x".repeat(LIMITS.name)).slice(0, room);
    key = key.slice(0, room);
    if (hasOwn(config.credentials, key)) continue;
    config.credentials[key] = buildCredential(draw, config, {
      stack,
      nowMs,
      max,
      pinnedDefaults,
      rotateDefault,
      overlapDefault,
    });
  }

  // Delivered credentials need a secret-provider credential that reaches the Secret Manager project.
  const specs = Object.values(config.credentials);
  if (
    config.secretManager &&
    specs.some((s) => s.deliver === "secret-manager") &&
    !specs.some((s) => covers(config, s))
  ) {
    const key = hasOwn(config.credentials, "vault-reader") ? "vault-reader-2" : "vault-reader";
    config.credentials[key] = {
      preset: SECRET_PROVIDER,
      projects: config.allowAllProjects && draw(oneIn(3)) ? "*" : [config.secretManager.project],
    };
  }
  return { config, stack, now };
}

interface CredentialContext {
  stack: string;
  nowMs: number;
  max: number;
  pinnedDefaults: boolean;
  rotateDefault: number;
  overlapDefault: number;
}

function buildCredential(draw: Draw, config: RawStack, ctx: CredentialContext): RawCredential {
  const aliases = Object.keys(config.projects);
  const setArb = fc.oneof(fc.constantFrom(...OS_SETS), fc.constantFrom(...PROJECT_SETS));
  const spec: RawCredential = { projects: [] };
  const kind = draw(fc.constantFrom("preset", "preset", "preset+sets", "custom"));
  if (kind !== "custom") spec.preset = draw(fc.constantFrom(...PRESET_NAMES));
  if (kind !== "preset") spec.permissionSets = draw(fc.array(setArb, { minLength: 1, maxLength: 4 }));
  else if (draw(oneIn(10))) spec.permissionSets = [];

  spec.projects =
    config.allowAllProjects === true && draw(oneIn(3))
      ? "*"
      : draw(fc.array(fc.constantFrom(...aliases), { minLength: 1, maxLength: 4 }));

  if (needsPreferred(spec)) {
    const candidates = aliasesOf(config, spec);
    const implicit = spec.projects !== "*" && candidates.length === 1;
    if (!implicit || draw(fc.boolean())) spec.preferredProject = draw(fc.constantFrom(...candidates));
  }

  const mode =
    ctx.max < 3
      ? draw(fc.constantFrom("default", "pinned"))
      : draw(fc.constantFrom("default", "default", "pinned", "override"));
  if (mode === "pinned") {
    spec.expiresAt = pinnedTimestamp(draw, ctx.nowMs, ctx.max);
  } else if (mode === "override") {
    let variant = draw(fc.constantFrom("both", "rotate", "overlap"));
    if (variant === "rotate" && ctx.overlapDefault + 1 > ctx.max - ctx.overlapDefault) variant = "both";
    if (variant === "overlap" && Math.min(ctx.rotateDefault - 1, ctx.max - ctx.rotateDefault) < 1) variant = "both";
    // Under a stack-wide pinned expiry, overlapDays alone is refused: a credential turns rotation on with rotateEveryDays.
    if (variant === "overlap" && ctx.pinnedDefaults) variant = "both";
    if (variant === "both") {
      [spec.rotateEveryDays, spec.overlapDays] = rotationPair(draw, ctx.max);
    } else if (variant === "rotate") {
      spec.rotateEveryDays = draw(fc.integer({ min: ctx.overlapDefault + 1, max: ctx.max - ctx.overlapDefault }));
    } else {
      spec.overlapDays = draw(
        fc.integer({ min: 1, max: Math.min(ctx.rotateDefault - 1, ctx.max - ctx.rotateDefault) }),
      );
    }
  }

  const useCase = spec.preset ?? "custom";
  const room = LIMITS.description - GENERATION_SUFFIX - `Plakar ${useCase} for stack ${ctx.stack}: `.length;
  const description = draw(
    optional(
      fc.oneof({ arbitrary: descriptionArb, weight: 5 }, { arbitrary: fc.constant("d".repeat(room)), weight: 1 }),
    ),
  );
  if (description !== undefined) spec.description = description.slice(0, room);

  const canDeliver = config.secretManager !== undefined && spec.preset !== SECRET_PROVIDER;
  const deliver = draw(
    canDeliver
      ? fc.constantFrom(undefined, "outputs", "secret-manager", "secret-manager")
      : fc.constantFrom(undefined, "outputs"),
  );
  if (deliver !== undefined) spec.deliver = deliver;
  return spec;
}

/**
 * fast-check parameters for properties over these generators. Shrinking is off: the generators draw dependent
 * values (`fc.gen`), which shrink very slowly; a failure prints the seed and the full counterexample, and the
 * regression tests hold minimal configs. Set FUZZ_SEED to replay a reported seed.
 */
export const FC_PARAMS: { endOnFailure: boolean; seed?: number } = {
  endOnFailure: true,
  ...(process.env.FUZZ_SEED ? { seed: Number(process.env.FUZZ_SEED) } : {}),
};

/** Valid configs with the stack name and clock to plan them with. */
export const validCaseArb: fc.Arbitrary<Case> = fc.gen().map((g) => buildValid((arb) => g(() => arb)));

/**
 * A valid config (as validCaseArb) plus credentials written with the keys of several rules: several `rules` (explicit sets,
 * whole presets, preset parts, "*"), a preset made of parts with its `stagingProject`, and a Secret Manager backup
 * with its own `region`. Kept apart from validCaseArb, whose configs other suites reorder key by key.
 */
export const rulesCaseArb: fc.Arbitrary<Case> = fc.gen().map((g) => {
  const draw: Draw = (arb) => g(() => arb);
  const c = buildValid(draw);
  const count = draw(fc.integer({ min: 1, max: 3 }));
  for (let i = 0; i < count; i++) {
    const key = `issue12-${i}`;
    const spec = draw(fc.constantFrom("rules", "rules", "staging", "region"));
    const base = c.config.credentials[Object.keys(c.config.credentials)[0]];
    // Keep the first credential's expiry settings: they are valid for this config's clock and lifetime.
    const expiry: Partial<RawCredential> = {};
    for (const k of ["expiresAt", "rotateEveryDays", "overlapDays"] as const)
      if (base[k] !== undefined) expiry[k] = base[k] as never;
    const built =
      spec === "rules"
        ? rulesCredential(draw, c.config)
        : spec === "staging"
          ? stagingCredential(draw, c.config)
          : regionCredential(draw, c.config);
    c.config.credentials[key] = { ...built, ...expiry };
  }
  return c;
});

function withPreferred(draw: Draw, config: RawStack, spec: RawCredential): RawCredential {
  if (!expectedSets(spec).some(isObjectStorage)) return spec;
  const os = objectStorageAliases(config, spec);
  const candidates = os === "*" ? Object.keys(config.projects) : os;
  const implicit = os !== "*" && candidates.length === 1;
  if (!implicit || draw(fc.boolean())) spec.preferredProject = draw(fc.constantFrom(...candidates));
  return spec;
}

function rulesCredential(draw: Draw, config: RawStack): RawCredential {
  const aliases = Object.keys(config.projects);
  const setArb = fc.oneof(fc.constantFrom(...OS_SETS), fc.constantFrom(...PROJECT_SETS));
  const ruleArb: fc.Arbitrary<RawRule> = fc.oneof(
    fc.record({
      projects: fc.uniqueArray(fc.constantFrom(...aliases), { minLength: 1, maxLength: 3 }),
      permissionSets: fc.array(setArb, { minLength: 1, maxLength: 3 }),
    }),
    fc.record({
      projects: fc.uniqueArray(fc.constantFrom(...aliases), { minLength: 1, maxLength: 3 }),
      preset: fc.constantFrom(...PRESET_NAMES),
    }),
    fc.record({
      projects: fc.uniqueArray(fc.constantFrom(...aliases), { minLength: 1, maxLength: 3 }),
      preset: fc.constantFrom(...PARTED_PRESETS),
      part: fc.constantFrom("projects" as const, "stagingProject" as const),
    }),
  );
  const drawn = draw(fc.array(ruleArb, { minLength: 1, maxLength: 4 }));
  if (config.allowAllProjects === true && draw(oneIn(4))) drawn.push({ projects: "*", permissionSets: [draw(setArb)] });
  // A project may be in several rules only when their sets differ (after rules with the same scope merge): drop a
  // rule that would break that, as a user would.
  const kept: RawRule[] = [];
  const idsOf = (r: RawRule) =>
    r.projects === "*" ? "*" : sortedUnique(r.projects.map((a) => config.projects[a].toLowerCase())).join(",");
  const merged = (rules: RawRule[]) => {
    const byScope = new Map<string, Set<string>>();
    for (const r of rules) {
      const set = byScope.get(idsOf(r)) ?? new Set<string>();
      ruleSets(r).forEach((s) => set.add(s));
      byScope.set(idsOf(r), set);
    }
    return [...byScope].map(([scope, sets]) => ({ scope, sets: sortedUnique(sets).join(",") }));
  };
  const clash = (rules: RawRule[]) => {
    const m = merged(rules);
    return m.some((a, i) =>
      m.some(
        (b, j) =>
          j > i &&
          a.sets === b.sets &&
          (a.scope === "*" || b.scope === "*" || a.scope.split(",").some((id) => b.scope.split(",").includes(id))),
      ),
    );
  };
  for (const r of drawn) if (!clash([...kept, r])) kept.push(r);
  const spec = { rules: kept } as unknown as RawCredential;
  if (draw(fc.boolean())) spec.preset = draw(fc.constantFrom(...PRESET_NAMES.filter((p) => p !== SECRET_PROVIDER)));
  return withPreferred(draw, config, spec);
}

function stagingCredential(draw: Draw, config: RawStack): RawCredential {
  const aliases = Object.keys(config.projects);
  const spec: RawCredential = {
    preset: draw(fc.constantFrom(...PARTED_PRESETS)),
    projects:
      config.allowAllProjects === true && draw(oneIn(4))
        ? "*"
        : draw(fc.uniqueArray(fc.constantFrom(...aliases), { minLength: 1, maxLength: 3 })),
    stagingProject: draw(fc.constantFrom(...aliases)),
  };
  if (draw(oneIn(3)))
    spec.permissionSets = draw(
      fc.array(fc.constantFrom(...PROJECT_SETS.filter((s) => !isObjectStorage(s))), { minLength: 1, maxLength: 2 }),
    );
  return withPreferred(draw, config, spec);
}

function regionCredential(draw: Draw, config: RawStack): RawCredential {
  return {
    preset: "secret-manager-backup",
    projects: [draw(fc.constantFrom(...Object.keys(config.projects)))],
    ...(draw(oneIn(4)) ? {} : { region: draw(fc.constantFrom(...SM_REGIONS)) }),
  };
}

/** A deterministic PRNG (mulberry32) for choices inside a mutation; its seed comes from fast-check. */
export class Rng {
  private state: number;
  constructor(seed: number) {
    this.state = seed >>> 0;
  }
  next(): number {
    this.state = (this.state + 0x6d2b79f5) >>> 0;
    let t = this.state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  }
  int(min: number, max: number): number {
    return min + Math.floor(this.next() * (max - min + 1));
  }
  pick<T>(xs: readonly T[]): T {
    if (xs.length === 0) throw new Error("pick from an empty list");
    return xs[this.int(0, xs.length - 1)];
  }
  chance(p: number): boolean {
    return this.next() < p;
  }
  shuffle<T>(xs: readonly T[]): T[] {
    const out = [...xs];
    for (let i = out.length - 1; i > 0; i--) {
      const j = this.int(0, i);
      [out[i], out[j]] = [out[j], out[i]];
    }
    return out;
  }
}

/**
 * The same config with every map's keys and every list reordered (maps: top level, projects, credentials, each
 * credential, apiKeys, secretManager; lists: tags, permission sets, credential project aliases). Meaning is kept.
 */
export function reorder(config: RawStack, rng: Rng): RawStack {
  const shuffleKeys = <T extends object>(obj: T): T => Object.fromEntries(rng.shuffle(Object.entries(obj))) as T;
  const credentials: Record<string, RawCredential> = {};
  for (const [key, spec] of rng.shuffle(Object.entries(config.credentials))) {
    const copy: RawCredential = { ...spec };
    if (copy.permissionSets) copy.permissionSets = rng.shuffle(copy.permissionSets);
    if (copy.projects !== "*") copy.projects = rng.shuffle(copy.projects);
    credentials[key] = shuffleKeys(copy);
  }
  const out: RawStack = { ...config, projects: shuffleKeys(config.projects), credentials };
  if (out.tags) out.tags = rng.shuffle(out.tags);
  if (out.apiKeys) out.apiKeys = shuffleKeys(out.apiKeys);
  if (out.secretManager) out.secretManager = shuffleKeys(out.secretManager);
  return shuffleKeys(out);
}
