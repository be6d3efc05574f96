/**
 * One known mistake applied to a valid config, with the key path the rejection must name. A mutation returns
 * undefined when it does not apply to the config at hand (e.g. "remove the preferred project" on a config without
 * Object Storage credentials).
 */
import {
  aliasesOf,
  CATALOG,
  type Case,
  covers,
  DAY,
  DEFAULTS,
  expiryOf,
  GENERATION_SUFFIX,
  hasOwn,
  LIMITS,
  maxLifetimeOf,
  needsPreferred,
  ORG_SETS,
  PRESET_NAMES,
  PRESETS,
  PROJECT_SETS,
  type RawCredential,
  type RawStack,
  type Rng,
  SECRET_PROVIDER,
  UUID_PATTERN,
} from "./arbitraries";

export interface Mutated {
  /** The config after the mutation; deliberately loosely typed (wrong types are the point). */
  readonly config: Record<string, unknown>;
  /** A key path that the ConfigError must name. */
  readonly path: string;
  /** The known key the error should suggest for a misspelt one. */
  readonly suggest?: string;
  /** Words the message at `path` must contain, where the rules word it. */
  readonly message?: string;
}

export interface Mutation {
  readonly kind: string;
  apply(c: Case, rng: Rng): Mutated | undefined;
}

/** Names that exist on every plain object's prototype: a lookup by `obj[name]` finds them. */
export const PROTOTYPE_NAMES = ["constructor", "toString", "hasOwnProperty", "valueOf", "__proto__"] as const;

function clone(c: Case): RawStack {
  return structuredClone(c.config);
}

function loose(value: object): Record<string, unknown> {
  return value as Record<string, unknown>;
}

function done(config: RawStack, path: string, suggest?: string): Mutated {
  return suggest === undefined ? { config: loose(config), path } : { config: loose(config), path, suggest };
}

/** The same mistake, whose message at its path must contain `message`. */
function saying(m: Mutated, message: string | undefined): Mutated {
  return message === undefined ? m : { ...m, message };
}

/** What a day count that is not a whole number of days from 1 to 3650 is told, wherever it is written. */
export const DAYS_MESSAGE = "must be a whole number of days from 1 to 3650";

/** What a project alias that is not declared is told, wherever it is written (its credential's, when in one). */
export function unknownAliasMessage(alias: string, key?: string): string {
  return key === undefined
    ? `unknown project alias "${alias}"`
    : `credential "${key}" names unknown project alias "${alias}"`;
}

/** Sets an own, enumerable property, as JSON.parse would, even for a key such as `__proto__`. */
function setOwn<T>(obj: Record<string, T>, key: string, value: T): void {
  Object.defineProperty(obj, key, { value, enumerable: true, writable: true, configurable: true });
}

/** Renames `from` to `to`, keeping the key order; adds `to` with `value` when `from` is absent. */
function renameKey(obj: Record<string, unknown>, from: string, to: string, value: unknown): Record<string, unknown> {
  if (!hasOwn(obj, from)) return { ...obj, [to]: value };
  return Object.fromEntries(Object.entries(obj).map(([k, v]) => [k === from ? to : k, v]));
}

/** A one-edit misspelling of `s` (case, dropped, doubled, swapped or replaced character) that `reject` refuses. */
export function typo(s: string, rng: Rng, reject: (t: string) => boolean): string | undefined {
  for (let attempt = 0; attempt < 20; attempt++) {
    const i = rng.int(0, s.length - 1);
    const ch = s[i];
    let t: string;
    switch (rng.int(0, 4)) {
      case 0:
        t = s.slice(0, i) + (ch === ch.toUpperCase() ? ch.toLowerCase() : ch.toUpperCase()) + s.slice(i + 1);
        break;
      case 1:
        t = s.slice(0, i) + s.slice(i + 1);
        break;
      case 2:
        t = s.slice(0, i) + ch + s.slice(i);
        break;
      case 3:
        t = i + 1 < s.length ? s.slice(0, i) + s[i + 1] + ch + s.slice(i + 2) : s + "s";
        break;
      default:
        t = s.slice(0, i) + (ch === "e" ? "a" : "e") + s.slice(i + 1);
    }
    if (t !== s && t.length > 0 && !reject(t)) return t;
  }
  return undefined;
}

function corruptUuid(id: string, rng: Rng): string {
  const variants = [
    id.slice(0, -1),
    id + "0",
    id.replace(/-/g, ""),
    `{${id}}`,
    id.slice(0, 9) + "g" + id.slice(10),
    id.replace(/-/, "_"),
    id.slice(0, 8),
    "",
    "not-a-uuid",
    `${id} `,
  ];
  const out = rng.pick(variants);
  if (UUID_PATTERN.test(out)) throw new Error(`corruptUuid produced a UUID: ${out}`);
  return out;
}

const credKeys = (config: RawStack) => Object.keys(config.credentials);
/**
 * A credential written with `projects` alone (not `rules` nor a `stagingProject`, which move sets and the preferred
 * project in ways the older mutations do not know) that `filter` accepts.
 */
const someKey = (config: RawStack, rng: Rng, filter: (key: string, spec: RawCredential) => boolean = () => true) => {
  const keys = credKeys(config).filter(
    (k) =>
      !config.credentials[k].rules &&
      config.credentials[k].stagingProject === undefined &&
      filter(k, config.credentials[k]),
  );
  return keys.length > 0 ? rng.pick(keys) : undefined;
};
const overrides = (spec: RawCredential) => spec.rotateEveryDays !== undefined || spec.overlapDays !== undefined;
/** Uses the apiKeys defaults for its expiry: no pin and no rotation override of its own. */
const usesDefaults = (spec: RawCredential) => spec.expiresAt === undefined && !overrides(spec);
const usesDefaultRotation = (config: RawStack) => (_k: string, spec: RawCredential) =>
  usesDefaults(spec) && config.apiKeys?.expiresAt === undefined;

function undeclaredAlias(config: RawStack, rng: Rng): string | undefined {
  if (rng.chance(0.2)) return rng.pick(PROTOTYPE_NAMES);
  const base = rng.pick(Object.keys(config.projects));
  return typo(base, rng, (t) => hasOwn(config.projects, t)) ?? `${base}-typo`;
}

function ensureSecretManager(config: RawStack, rng: Rng): NonNullable<RawStack["secretManager"]> {
  config.secretManager ??= { project: rng.pick(Object.keys(config.projects)) };
  return config.secretManager;
}

function at(ms: number): string {
  return new Date(ms).toISOString();
}

/** A calendar date that does not exist (31 June, 30 February, ...), inside the allowed window when possible. */
function impossibleDate(nowMs: number, maxDays: number): string {
  const end = nowMs + maxDays * DAY;
  const d = new Date(nowMs);
  for (let m = 0; m < 30; m++) {
    const year = d.getUTCFullYear() + Math.floor((d.getUTCMonth() + m) / 12);
    const month = (d.getUTCMonth() + m) % 12;
    const days = new Date(Date.UTC(year, month + 1, 0)).getUTCDate();
    if (days === 31) continue;
    const rolled = Date.UTC(year, month, days + 1, 12);
    if (Date.UTC(year, month, days, 12) > nowMs && rolled <= end) {
      return `${year}-${String(month + 1).padStart(2, "0")}-${days + 1}T12:00:00Z`;
    }
  }
  return `${d.getUTCFullYear() + 1}-02-30T12:00:00Z`;
}

const TOP_TYPOS: readonly [string, string, unknown][] = [
  ["credential", "credentials", {}],
  ["credentails", "credentials", {}],
  ["organisationId", "organizationId", "5b0a1c2d-3e4f-4a5b-8c6d-7e8f9a0b1c2d"],
  ["namePrefx", "namePrefix", "p-"],
  ["allowAllProject", "allowAllProjects", true],
  ["tag", "tags", ["team=platform"]],
  ["apiKey", "apiKeys", { rotateEveryDays: 30 }],
  ["secretManger", "secretManager", { project: "apps" }],
  ["protec", "protect", true],
];
const CREDENTIAL_TYPOS: readonly [string, string, unknown][] = [
  ["presets", "preset", "inventory"],
  ["permissionSet", "permissionSets", ["AllProductsReadOnly"]],
  ["project", "projects", ["apps"]],
  ["preferedProject", "preferredProject", "apps"],
  ["expireAt", "expiresAt", "2030-01-01T00:00:00Z"],
  ["rotateEveryDay", "rotateEveryDays", 30],
  ["overlapDay", "overlapDays", 7],
  ["descripton", "description", "text"],
  ["delivery", "deliver", "outputs"],
];
const API_KEYS_TYPOS: readonly [string, string | undefined, unknown][] = [
  ["maxLifetimeDay", "maxLifetimeDays", 90],
  ["rotateEveryDay", "rotateEveryDays", 30],
  ["overlapDay", "overlapDays", 7],
  ["expires", "expiresAt", "2030-01-01T00:00:00Z"],
  ["rotation", undefined, 30],
];
const SECRET_MANAGER_TYPOS: readonly [string, string | undefined, unknown][] = [
  ["regon", "region", "fr-par"],
  ["projet", "project", "apps"],
  ["pathprefix", "pathPrefix", "/plakar"],
  ["folder", undefined, "/plakar"],
];

/** A fresh credential key for a mutation that adds one. */
function freshKey(config: RawStack): string {
  let key = "m12";
  while (hasOwn(config.credentials, key)) key += "x";
  return key;
}

/** The project an alias names (Scaleway IDs are case-insensitive). */
function idOf(config: RawStack, alias: string): string {
  return config.projects[alias].toLowerCase();
}

/** Two aliases naming different projects, if the config has them. */
function twoProjects(config: RawStack, rng: Rng): [string, string] | undefined {
  const aliases = rng.shuffle(Object.keys(config.projects));
  for (const a of aliases) {
    const b = aliases.find((x) => config.projects[x].toLowerCase() !== config.projects[a].toLowerCase());
    if (b) return [a, b];
  }
  return undefined;
}

/** The mistakes of the several-rules keys: rules, stagingProject, a credential's own region. */
export const RULE_MUTATIONS: readonly Mutation[] = [
  {
    kind: "rules mixed with projects or permissionSets",
    apply(c, rng) {
      const config = clone(c);
      const key = someKey(config, rng)!;
      const spec = config.credentials[key];
      if (spec.stagingProject !== undefined) return undefined;
      spec.rules = [{ projects: [rng.pick(Object.keys(config.projects))], permissionSets: ["AllProductsReadOnly"] }];
      if (rng.chance(0.5)) {
        delete loose(spec).projects;
        spec.permissionSets = ["AllProductsReadOnly"];
      }
      return done(config, `credentials.${key}.rules`);
    },
  },
  {
    kind: "stagingProject on a preset without parts",
    apply(c, rng) {
      const config = clone(c);
      const key = someKey(config, rng, (_k, s) => !(s.preset !== undefined && PRESETS.get(s.preset)?.parts));
      if (key === undefined) return undefined;
      config.credentials[key].stagingProject = rng.pick(Object.keys(config.projects));
      return done(config, `credentials.${key}.stagingProject`);
    },
  },
  {
    kind: "a project in two rules with the same sets",
    apply(c, rng) {
      const config = clone(c);
      const pair = twoProjects(config, rng);
      if (!pair) return undefined;
      const set = rng.pick(["AllProductsReadOnly", "InstancesReadOnly", "SecretManagerReadOnly"]);
      config.credentials[freshKey(config)] = {
        rules: [
          { projects: [pair[0]], permissionSets: [set] },
          { projects: [...pair], permissionSets: [set] },
        ],
      } as unknown as RawCredential;
      return done(config, `credentials.${freshKey(c.config)}.rules[1].projects`);
    },
  },
  {
    kind: "preferred project outside the Object Storage rules",
    apply(c, rng) {
      const config = clone(c);
      // Two aliases of one project name the same project: the preferred one must be a project the rules leave out.
      const pair = twoProjects(config, rng);
      if (!pair) return undefined;
      const [other, buckets] = pair;
      config.credentials[freshKey(config)] = {
        rules: [
          { projects: [other], permissionSets: ["InstancesReadOnly"] },
          { projects: [buckets], permissionSets: ["ObjectStorageObjectsRead"] },
        ],
        preferredProject: other,
      } as unknown as RawCredential;
      return done(config, `credentials.${freshKey(c.config)}.preferredProject`);
    },
  },
  {
    kind: "a region on a form without one, or not Secret Manager's",
    apply(c, rng) {
      const config = clone(c);
      const key = someKey(config, rng)!;
      const spec = config.credentials[key];
      const asks = PRESETS.get(spec.preset ?? "")?.plakar.fields.some((f) => f.from === "region") ?? false;
      spec.region = asks ? rng.pick(["fr-lyo", "FR-PAR", "paris", ""]) : rng.pick(["fr-par", "nl-ams", "pl-waw"]);
      return done(config, `credentials.${key}.region`);
    },
  },
];

export const MUTATIONS: readonly Mutation[] = [
  // ---- unknown keys (typos of known keys)
  {
    kind: "top-level key typo",
    apply(c, rng) {
      const [typoKey, intended, value] = rng.pick(TOP_TYPOS);
      const config = renameKey(loose(clone(c)), intended, typoKey, value);
      return { config, path: typoKey, suggest: intended };
    },
  },
  {
    kind: "credential key typo",
    apply(c, rng) {
      const config = clone(c);
      const key = someKey(config, rng)!;
      const [typoKey, intended, value] = rng.pick(CREDENTIAL_TYPOS);
      config.credentials[key] = renameKey(
        loose(config.credentials[key]),
        intended,
        typoKey,
        value,
      ) as unknown as RawCredential;
      return done(config, `credentials.${key}.${typoKey}`, intended);
    },
  },
  {
    kind: "apiKeys key typo",
    apply(c, rng) {
      const config = clone(c);
      const [typoKey, intended, value] = rng.pick(API_KEYS_TYPOS);
      config.apiKeys = renameKey(
        loose(config.apiKeys ?? {}),
        intended ?? typoKey,
        typoKey,
        value,
      ) as RawStack["apiKeys"];
      return done(config, `apiKeys.${typoKey}`, intended);
    },
  },
  {
    kind: "secretManager key typo",
    apply(c, rng) {
      const config = clone(c);
      const sm = ensureSecretManager(config, rng);
      const [typoKey, intended, value] = rng.pick(SECRET_MANAGER_TYPOS);
      config.secretManager = renameKey(
        loose(sm),
        intended ?? typoKey,
        typoKey,
        value,
      ) as unknown as RawStack["secretManager"];
      return done(config, `secretManager.${typoKey}`, intended);
    },
  },
  // ---- wrong types
  {
    kind: "wrong type at top level",
    apply(c, rng) {
      const config = loose(clone(c));
      const [key, value, path] = rng.pick<[string, unknown, string]>([
        ["organizationId", 42, "organizationId"],
        ["organizationId", { id: "x" }, "organizationId"],
        ["projects", ["0c1d2e3f-4a5b-4c6d-8e7f-8a9b0c1d2e3f"], "projects"],
        ["projects", "apps", "projects"],
        ["tags", "team=platform", "tags"],
        ["tags", [7], "tags[0]"],
        ["allowAllProjects", "yes", "allowAllProjects"],
        ["allowAllProjects", 1, "allowAllProjects"],
        ["protect", "no", "protect"],
        ["namePrefix", 42, "namePrefix"],
        ["apiKeys", "90", "apiKeys"],
        ["secretManager", "fr-par", "secretManager"],
        ["credentials", [], "credentials"],
        ["credentials", "inventory", "credentials"],
      ]);
      config[key] = value;
      return { config, path };
    },
  },
  {
    kind: "wrong type in a credential",
    apply(c, rng) {
      const config = clone(c);
      const key = someKey(config, rng)!;
      const spec = loose(config.credentials[key]);
      const [field, value, suffix] = rng.pick<[string, unknown, string]>([
        ["projects", 42, ""],
        ["projects", { apps: true }, ""],
        ["projects", "all", ""],
        ["permissionSets", "ObjectStorageFullAccess", ""],
        ["permissionSets", [1], "[0]"],
        ["preset", 1, ""],
        ["preferredProject", ["apps"], ""],
        ["expiresAt", 1893456000, ""],
        ["rotateEveryDays", "30", ""],
        ["rotateEveryDays", 1.5, ""],
        ["overlapDays", true, ""],
        ["description", 42, ""],
        ["deliver", true, ""],
      ]);
      spec[field] = value;
      const days = field === "rotateEveryDays" || field === "overlapDays";
      return saying(done(config, `credentials.${key}.${field}${suffix}`), days ? DAYS_MESSAGE : undefined);
    },
  },
  {
    kind: "wrong type or range in apiKeys",
    apply(c, rng) {
      const config = clone(c);
      const ak = loose(config.apiKeys ?? {});
      const [field, value] = rng.pick<[string, unknown]>([
        ["maxLifetimeDays", "365"],
        ["maxLifetimeDays", 365.5],
        ["maxLifetimeDays", 0],
        ["maxLifetimeDays", null],
        ["rotateEveryDays", 0],
        ["rotateEveryDays", "90"],
        ["rotateEveryDays", 7.5],
        ["overlapDays", -3],
        ["overlapDays", "14"],
        ["expiresAt", 20300101],
      ]);
      ak[field] = value;
      config.apiKeys = ak as RawStack["apiKeys"];
      return saying(done(config, `apiKeys.${field}`), field === "expiresAt" ? undefined : DAYS_MESSAGE);
    },
  },
  {
    kind: "credential days not a positive whole number",
    apply(c, rng) {
      const config = clone(c);
      const key = someKey(config, rng)!;
      const field = rng.pick(["rotateEveryDays", "overlapDays"] as const);
      config.credentials[key][field] = rng.pick([0, -1, -30]);
      return saying(done(config, `credentials.${key}.${field}`), DAYS_MESSAGE);
    },
  },
  // ---- bad UUIDs and aliases
  {
    kind: "bad organization UUID",
    apply(c, rng) {
      const config = clone(c);
      config.organizationId = corruptUuid(config.organizationId, rng);
      return done(config, "organizationId");
    },
  },
  {
    kind: "bad project UUID",
    apply(c, rng) {
      const config = clone(c);
      const alias = rng.pick(Object.keys(config.projects));
      config.projects[alias] = corruptUuid(config.projects[alias], rng);
      return done(config, `projects.${alias}`);
    },
  },
  {
    kind: "bad project alias name",
    apply(c, rng) {
      const config = clone(c);
      const alias = rng.pick(
        ["-apps", "_x", "my apps", "apps!", "été", ".ab", "a/b"].filter((a) => !hasOwn(config.projects, a)),
      );
      config.projects[alias] = "6f1e2d3c-4b5a-4968-8776-655443322110";
      return done(config, `projects.${alias}`);
    },
  },
  {
    kind: "unknown project alias in a credential",
    apply(c, rng) {
      const config = clone(c);
      const key = someKey(config, rng)!;
      const spec = config.credentials[key];
      const bad = undeclaredAlias(config, rng);
      if (bad === undefined) return undefined;
      if (spec.projects === "*") {
        spec.projects = [bad];
        return saying(done(config, `credentials.${key}.projects[0]`), unknownAliasMessage(bad, key));
      }
      const i = rng.int(0, spec.projects.length - 1);
      spec.projects[i] = bad;
      return saying(done(config, `credentials.${key}.projects[${i}]`), unknownAliasMessage(bad, key));
    },
  },
  {
    kind: "empty project list",
    apply(c, rng) {
      const config = clone(c);
      const key = someKey(config, rng)!;
      config.credentials[key].projects = [];
      return done(config, `credentials.${key}.projects`);
    },
  },
  // ---- permission sets and presets
  {
    kind: "permission set typo",
    apply(c, rng) {
      const config = clone(c);
      const key = someKey(config, rng)!;
      const spec = config.credentials[key];
      const sets = spec.permissionSets ?? [];
      const i = sets.length > 0 && rng.chance(0.7) ? rng.int(0, sets.length - 1) : sets.length;
      const base = sets[i] ?? rng.pick(PROJECT_SETS);
      const bad = typo(base, rng, (t) => CATALOG.has(t));
      if (bad === undefined) return undefined;
      spec.permissionSets = [...sets];
      spec.permissionSets[i] = bad;
      return done(config, `credentials.${key}.permissionSets[${i}]`);
    },
  },
  {
    kind: "organization-scoped permission set",
    apply(c, rng) {
      const config = clone(c);
      const key = someKey(config, rng)!;
      const spec = config.credentials[key];
      const sets = [...(spec.permissionSets ?? [])];
      const i = rng.int(0, sets.length);
      sets.splice(i, 0, rng.pick(ORG_SETS));
      spec.permissionSets = sets;
      return done(config, `credentials.${key}.permissionSets[${i}]`);
    },
  },
  {
    kind: "preset typo",
    apply(c, rng) {
      const config = clone(c);
      const key = someKey(config, rng)!;
      const spec = config.credentials[key];
      const bad = typo(spec.preset ?? rng.pick(PRESET_NAMES), rng, (t) => PRESETS.has(t));
      if (bad === undefined) return undefined;
      spec.preset = bad;
      return done(config, `credentials.${key}.preset`);
    },
  },
  {
    kind: "neither preset nor permission sets",
    apply(c, rng) {
      const config = clone(c);
      const key = someKey(config, rng)!;
      const spec = config.credentials[key];
      delete spec.preset;
      if (rng.chance(0.5)) spec.permissionSets = [];
      else delete spec.permissionSets;
      return done(config, `credentials.${key}`);
    },
  },
  // ---- scopes
  {
    kind: '"*" without allowAllProjects',
    apply(c, rng) {
      const config = clone(c);
      const starred = someKey(config, rng, (_k, s) => s.projects === "*");
      if (starred !== undefined) {
        if (rng.chance(0.5)) delete config.allowAllProjects;
        else config.allowAllProjects = false;
        return done(config, `credentials.${starred}.projects`);
      }
      const key = someKey(config, rng)!;
      config.credentials[key].projects = "*";
      config.allowAllProjects = false;
      return done(config, `credentials.${key}.projects`);
    },
  },
  // ---- preferred projects
  {
    kind: "preferred project without Object Storage",
    apply(c, rng) {
      const config = clone(c);
      const key = someKey(config, rng, (_k, s) => !needsPreferred(s));
      if (key === undefined) return undefined;
      const spec = config.credentials[key];
      spec.preferredProject = rng.pick(aliasesOf(config, spec));
      return done(config, `credentials.${key}.preferredProject`);
    },
  },
  {
    kind: "preferred project outside the credential's projects",
    apply(c, rng) {
      const config = clone(c);
      const key = someKey(config, rng, (_k, s) => needsPreferred(s));
      if (key === undefined) return undefined;
      const spec = config.credentials[key];
      // Outside by project, not by alias: another alias of one of its projects names that same project.
      const own = spec.projects === "*" ? [] : spec.projects.map((a) => idOf(config, a));
      const outside =
        spec.projects === "*" ? [] : Object.keys(config.projects).filter((a) => !own.includes(idOf(config, a)));
      const declared = outside.length > 0 && rng.chance(0.6);
      const bad = declared ? rng.pick(outside) : undeclaredAlias(config, rng);
      if (bad === undefined) return undefined;
      spec.preferredProject = bad;
      // An undeclared alias is the stack's to report, as in projects; a declared one is outside the credential's.
      return saying(
        done(config, `credentials.${key}.preferredProject`),
        declared ? `"${bad}" is not one of this credential's projects` : unknownAliasMessage(bad, key),
      );
    },
  },
  {
    kind: "preferred project missing",
    apply(c, rng) {
      const config = clone(c);
      const key = someKey(config, rng, (_k, s) => needsPreferred(s));
      if (key === undefined) return undefined;
      const spec = config.credentials[key];
      delete spec.preferredProject;
      // Two aliases of one project are one project, which is taken without asking: it needs two projects.
      const ids = (aliases: string[]) => new Set(aliases.map((a) => idOf(config, a)));
      if (spec.projects !== "*" && ids(spec.projects).size < 2) {
        const own = ids(spec.projects);
        const other = Object.keys(config.projects).filter((a) => !own.has(idOf(config, a)));
        if (other.length === 0) return undefined;
        spec.projects = [...spec.projects, rng.pick(other)];
      }
      return saying(
        done(config, `credentials.${key}.preferredProject`),
        spec.projects === "*"
          ? "set preferredProject to the buckets' project"
          : "required: Object Storage permission sets need a preferred project",
      );
    },
  },
  // ---- expiry
  {
    kind: "pinned expiry not in the future",
    apply(c, rng) {
      const config = clone(c);
      const key = someKey(config, rng, (_k, s) => !overrides(s));
      if (key === undefined) return undefined;
      config.credentials[key].expiresAt = at(c.now.getTime() - rng.pick([0, 1, 1000, DAY, 365 * DAY]));
      return done(config, `credentials.${key}.expiresAt`);
    },
  },
  {
    kind: "pinned expiry beyond maxLifetimeDays",
    apply(c, rng) {
      const config = clone(c);
      const key = someKey(config, rng, (_k, s) => !overrides(s));
      if (key === undefined) return undefined;
      const end = c.now.getTime() + maxLifetimeOf(config) * DAY;
      config.credentials[key].expiresAt = at(end + rng.pick([1, 1000, DAY, 3650 * DAY]));
      return done(config, `credentials.${key}.expiresAt`);
    },
  },
  {
    kind: "pinned expiry together with rotation",
    apply(c, rng) {
      const config = clone(c);
      const key = someKey(config, rng)!;
      const spec = config.credentials[key];
      if (spec.expiresAt === undefined) spec.expiresAt = at(c.now.getTime() + DAY);
      if (!overrides(spec)) {
        if (rng.chance(0.5)) spec.rotateEveryDays = 30;
        else spec.overlapDays = 7;
      }
      return done(config, `credentials.${key}.expiresAt`);
    },
  },
  {
    kind: "malformed expiry timestamp",
    apply(c, rng) {
      const config = clone(c);
      const inWindow = c.now.getTime() + Math.min(30, maxLifetimeOf(config)) * DAY;
      const bad = rng.pick([
        at(inWindow).slice(0, 19),
        at(inWindow).slice(0, 10),
        "tomorrow",
        "2030-1-1T00:00:00Z",
        "2030-13-01T00:00:00Z",
        "2030-01-01T25:00:00Z",
        impossibleDate(c.now.getTime(), maxLifetimeOf(config)),
      ]);
      if (rng.chance(0.3)) {
        config.apiKeys = { ...(config.apiKeys ?? {}), expiresAt: bad };
        return done(config, "apiKeys.expiresAt");
      }
      const key = someKey(config, rng, (_k, s) => !overrides(s));
      if (key === undefined) return undefined;
      config.credentials[key].expiresAt = bad;
      return done(config, `credentials.${key}.expiresAt`);
    },
  },
  {
    kind: "apiKeys.expiresAt not in the future",
    apply(c, rng) {
      const config = clone(c);
      if (someKey(config, rng, (_k, s) => usesDefaults(s)) === undefined) return undefined;
      config.apiKeys = { ...(config.apiKeys ?? {}), expiresAt: at(c.now.getTime() - rng.pick([0, 1000, 30 * DAY])) };
      return done(config, "apiKeys.expiresAt");
    },
  },
  // ---- rotation
  {
    kind: "credential overlapDays >= rotateEveryDays",
    apply(c, rng) {
      const config = clone(c);
      const key = someKey(config, rng, (_k, s) => s.expiresAt === undefined);
      if (key === undefined) return undefined;
      const spec = config.credentials[key];
      const rotate = spec.rotateEveryDays ?? config.apiKeys?.rotateEveryDays ?? DEFAULTS.rotateEveryDays;
      spec.overlapDays = rotate + rng.pick([0, 1, 100]);
      return done(config, `credentials.${key}.overlapDays`);
    },
  },
  {
    kind: "apiKeys overlapDays >= rotateEveryDays",
    apply(c, rng) {
      const config = clone(c);
      const key = someKey(config, rng, usesDefaultRotation(config));
      if (key === undefined) return undefined;
      const rotate = config.apiKeys?.rotateEveryDays ?? DEFAULTS.rotateEveryDays;
      config.apiKeys = { ...(config.apiKeys ?? {}), overlapDays: rotate + rng.pick([0, 1, 100]) };
      return done(config, "apiKeys.overlapDays");
    },
  },
  {
    kind: "credential rotation longer than maxLifetimeDays",
    apply(c, rng) {
      const config = clone(c);
      const key = someKey(config, rng, (_k, s) => s.expiresAt === undefined);
      if (key === undefined) return undefined;
      const spec = config.credentials[key];
      const overlap = spec.overlapDays ?? config.apiKeys?.overlapDays ?? DEFAULTS.overlapDays;
      spec.rotateEveryDays = Math.max(overlap + 1, maxLifetimeOf(config) - overlap + 1 + rng.pick([0, 1, 400]));
      return done(config, `credentials.${key}.rotateEveryDays`);
    },
  },
  {
    kind: "maxLifetimeDays below a rotation",
    apply(c, rng) {
      const config = clone(c);
      const key = someKey(config, rng, (k) => expiryOf(config, k).kind === "rotation");
      if (key === undefined) return undefined;
      const e = expiryOf(config, key);
      if (e.kind !== "rotation") return undefined;
      config.apiKeys = { ...(config.apiKeys ?? {}), maxLifetimeDays: rng.int(1, e.rotate + e.overlap - 1) };
      return done(config, e.rotatePath);
    },
  },
  // ---- delivery
  {
    kind: "deliver typo",
    apply(c, rng) {
      const config = clone(c);
      const key = someKey(config, rng)!;
      loose(config.credentials[key]).deliver = rng.pick([
        "secret_manager",
        "secrets",
        "Outputs",
        "secretmanager",
        "",
        "output",
      ]);
      return done(config, `credentials.${key}.deliver`);
    },
  },
  {
    kind: "secret-manager delivery without secretManager",
    apply(c, rng) {
      const config = clone(c);
      const delivered = someKey(config, rng, (_k, s) => s.deliver === "secret-manager");
      delete config.secretManager;
      if (delivered !== undefined) return done(config, `credentials.${delivered}.deliver`);
      const key = someKey(config, rng)!;
      config.credentials[key].deliver = "secret-manager";
      return done(config, `credentials.${key}.deliver`);
    },
  },
  {
    kind: "secret-provider delivered through Secret Manager",
    apply(c, rng) {
      const config = clone(c);
      const key = someKey(config, rng, (_k, s) => s.preset === SECRET_PROVIDER);
      if (key !== undefined) {
        config.credentials[key].deliver = "secret-manager";
        return done(config, `credentials.${key}.deliver`);
      }
      const name = hasOwn(config.credentials, "sp-delivered") ? "sp-delivered-2" : "sp-delivered";
      config.credentials[name] = {
        preset: SECRET_PROVIDER,
        projects: [rng.pick(Object.keys(config.projects))],
        deliver: "secret-manager",
      };
      return done(config, `credentials.${name}.deliver`);
    },
  },
  {
    kind: "delivered credential not covered by a secret provider",
    apply(c, rng) {
      const config = clone(c);
      const delivered = someKey(config, rng, (_k, s) => s.deliver === "secret-manager");
      if (delivered === undefined || !config.secretManager) return undefined;
      const providers = credKeys(config).filter((k) => config.credentials[k].preset === SECRET_PROVIDER);
      const uncovered = Object.keys(config.projects).filter((alias) => {
        const probe: RawStack = { ...config, secretManager: { ...config.secretManager!, project: alias } };
        return !providers.some((k) => covers(probe, config.credentials[k]));
      });
      if (uncovered.length > 0 && rng.chance(0.5)) {
        config.secretManager.project = rng.pick(uncovered);
      } else {
        for (const k of providers) delete config.credentials[k];
      }
      return done(config, `credentials.${delivered}.deliver`);
    },
  },
  {
    kind: "unknown secretManager project",
    apply(c, rng) {
      const config = clone(c);
      const sm = ensureSecretManager(config, rng);
      const bad = undeclaredAlias(config, rng);
      if (bad === undefined) return undefined;
      sm.project = bad;
      return saying(done(config, "secretManager.project"), unknownAliasMessage(bad));
    },
  },
  {
    kind: "bad secretManager region",
    apply(c, rng) {
      const config = clone(c);
      ensureSecretManager(config, rng).region = rng.pick(["fr_par", "FR-PAR", "paris", "fr-par-1", "frpar", ""]);
      return done(config, "secretManager.region");
    },
  },
  {
    kind: "bad secretManager pathPrefix",
    apply(c, rng) {
      const config = clone(c);
      ensureSecretManager(config, rng).pathPrefix = rng.pick([
        "plakar",
        "/plakar/",
        "//plakar",
        "/pla kar",
        "/a//b",
        "",
        "/..",
        "/plakar/../other",
        "/./plakar",
      ]);
      return done(config, "secretManager.pathPrefix");
    },
  },
  {
    kind: "secretManager without project",
    apply(c, rng) {
      const config = clone(c);
      const sm = loose(ensureSecretManager(config, rng));
      delete sm.project;
      return done(config, "secretManager.project");
    },
  },
  // ---- names, descriptions, tags
  {
    kind: "bad credential name",
    apply(c, rng) {
      const config = clone(c);
      const key = someKey(config, rng)!;
      const candidates = [
        "Buckets",
        "1abc",
        "my_creds",
        "a.b",
        "-x",
        "inventory!",
        "été",
        "__proto__",
        key.toUpperCase(),
      ].filter((k) => k !== key && !hasOwn(config.credentials, k));
      const bad = rng.pick(candidates);
      const spec = config.credentials[key];
      delete config.credentials[key];
      setOwn(config.credentials, bad, spec);
      return done(config, `credentials.${bad}`);
    },
  },
  {
    kind: "name longer than Scaleway allows",
    apply(c, rng) {
      const config = clone(c);
      const key = someKey(config, rng)!;
      const room = LIMITS.name - (config.namePrefix ?? DEFAULTS.namePrefix).length - c.stack.length - 1;
      const long = ("z" + key + "y".repeat(LIMITS.name)).slice(0, room + rng.pick([1, 2, 40]));
      if (hasOwn(config.credentials, long)) return undefined;
      const spec = config.credentials[key];
      delete config.credentials[key];
      config.credentials[long] = spec;
      return done(config, `credentials.${long}`);
    },
  },
  {
    kind: "namePrefix with characters Scaleway refuses",
    apply(c, rng) {
      const config = clone(c);
      config.namePrefix = rng.pick(["plakar/", "plakar:", "ü-", "a+b-", "p@", "x\ty"]);
      return done(config, "namePrefix");
    },
  },
  {
    kind: "description too long",
    apply(c, rng) {
      const config = clone(c);
      const key = someKey(config, rng)!;
      const spec = config.credentials[key];
      // Only rotated keys append their generation to the description.
      const suffix = expiryOf(config, key).kind === "pinned" ? 0 : GENERATION_SUFFIX;
      const room = LIMITS.description - suffix - `Plakar ${spec.preset ?? "custom"} for stack ${c.stack}: `.length;
      spec.description = "w".repeat(room + rng.pick([1, 2, 300]));
      return done(config, `credentials.${key}.description`);
    },
  },
  {
    kind: "empty description",
    apply(c, rng) {
      const config = clone(c);
      const key = someKey(config, rng)!;
      config.credentials[key].description = "";
      return done(config, `credentials.${key}.description`);
    },
  },
  {
    kind: "too many tags",
    apply(c, rng) {
      const config = clone(c);
      const n = rng.int(8, 12);
      config.tags = Array.from({ length: n }, (_, i) => `tag-${i}=v`);
      return done(config, "tags");
    },
  },
  {
    kind: "user tag claiming a key the stack writes",
    apply(c, rng) {
      const config = clone(c);
      const tags = [...(config.tags ?? [])].slice(0, 6);
      tags.push(rng.pick(["stack=prod", "managed-by=terraform", "use-case=inventory", "stack"]));
      config.tags = tags;
      return done(config, `tags[${tags.length - 1}]`);
    },
  },
  {
    kind: "empty tag",
    apply(c, rng) {
      const config = clone(c);
      const tags = [...(config.tags ?? [])];
      const i = rng.int(0, tags.length);
      tags.splice(i, 0, "");
      config.tags = tags;
      return done(config, `tags[${i}]`);
    },
  },
  // ---- missing or empty required values
  {
    kind: "missing or empty required value",
    apply(c, rng) {
      const config = clone(c);
      const which = rng.pick([
        "organizationId",
        "projects",
        "credentials",
        "emptyProjects",
        "emptyCredentials",
        "credentialProjects",
      ]);
      const l = loose(config);
      if (which === "organizationId" || which === "projects" || which === "credentials") {
        delete l[which];
        return { config: l, path: which };
      }
      if (which === "emptyProjects") {
        config.projects = {};
        return done(config, "projects");
      }
      if (which === "emptyCredentials") {
        config.credentials = {};
        return done(config, "credentials");
      }
      const key = someKey(config, rng)!;
      delete loose(config.credentials[key]).projects;
      return done(config, `credentials.${key}.projects`);
    },
  },
  ...RULE_MUTATIONS,
];
