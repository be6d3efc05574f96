/**
 * Bridges Pulumi's config and our schema. Pulumi hands a program every config value as a string (structured
 * values JSON-encoded), keyed `<namespace>:<key>`; the offline plan reads the same values from the stack file, the
 * way the Pulumi CLI and SDK do, and hands them to the program through the SDK: there is one reading of config.
 *
 * Guardrails against config that means something else than it says: a key named `__proto__`, `constructor` or
 * `prototype` at any level (it would become the prototype of the parsed config, and zod reads inherited keys), two
 * spellings of one key (`ns:config:key`, a bare `key`), and our keys under a namespace that only looks like ours.
 *
 * Bounded work, whatever a file holds: YAML aliases are expanded once each and counted as they are (Expander), and
 * this project's values are held to limits before the schema, the planner or a typo's suggestion sees them
 * (limitProblem: credentials, project aliases, text length, values in all), in the stack file and in the program's
 * own reading alike. Every refusal is one line naming the file (or the key) and what to do.
 */
import { type Alias, isAlias, isMap, isPair, isScalar, isSeq, LineCounter, type Node, parseDocument } from "yaml";
import { ConfigError, type ConfigIssue } from "../components/domain/errors";
import { KNOWN_KEYS } from "./schema";
import { closest, editDistance } from "../components/domain/suggest";

/** Stack files larger than this are refused before they are parsed (YAML parsing is not linear in the worst case). */
export const MAX_CONFIG_BYTES = 1024 * 1024;

/** Keys that would reach an object's prototype machinery if assigned: refused at every level of every source. */
export const RESERVED_NAMES: ReadonlySet<string> = new Set(["__proto__", "constructor", "prototype"]);

/** Keys whose values are plain strings even when they look like JSON (a prefix of "123" stays "123"). */
const STRING_KEYS = new Set(["organizationId", "namePrefix"]);

/** The top-level keys of a Pulumi stack file besides `config` (pkg/workspace's ProjectStack). */
const STACK_FILE_KEYS: ReadonlySet<string> = new Set([
  "config",
  "secretsprovider",
  "encryptedkey",
  "encryptionsalt",
  "environment",
]);

/** The keys Pulumi's SDK reads as `<namespace>:<key>` (see `cleanKey` in @pulumi/pulumi/runtime/config.js). */
const LEGACY_CONFIG_KEY = /^([^:]+):config:(.+)$/;

/** The key to write instead of a legacy one: every `config:` segment dropped (`ns:config:config:tags` -> `ns:tags`). */
function legacyFix(legacy: RegExpExecArray): string {
  return `${legacy[1]}:${legacy[2].replace(/^(config:)+/, "")}`;
}

/** Deeper than any value of ours (credentials.x.rules[0].projects[0] is 5): refused before it is walked. */
export const MAX_DEPTH = 32;

/**
 * How many values YAML aliases may add when expanded, every use of an alias counting the values it stands for:
 * 150 credentials sharing one four-value block add 600; a "billion laughs" document adds billions.
 */
export const MAX_ALIAS_VALUES = 10_000;

/**
 * The most credentials one stack declares. Each is an application and a policy, and Scaleway's default quotas are 100
 * applications and 50 policies per organization (Scaleway's documentation): a few hundred is beyond any
 * real stack, and 20,000 (1 MiB of them) would take the plan's memory.
 */
export const MAX_CREDENTIALS = 500;

/** The most project aliases one stack declares. */
export const MAX_PROJECTS = 200;

/**
 * The longest string (a value or a key) of ours: Scaleway's names are at most 64 characters, descriptions 200, a
 * secret path's segments 255. Longer text is never valid, and every check of a string would pay for its length.
 */
export const MAX_TEXT = 256;

/** The most values (strings, numbers, lists, mappings...) in this project's config: 500 credentials of 40 each. */
export const MAX_VALUES = 20_000;

/** How Pulumi and JSON write a number; YAML also reads 014, 0o14, 0x1F, .5, +1 and .inf, not all as Pulumi does. */
const PLAIN_NUMBER = /^-?(0|[1-9][0-9]*)(\.[0-9]+)?([eE][-+]?[0-9]+)?$/;

function reservedMessage(name: string): string {
  return `"${name}" cannot be used as a key (it would change how the whole config is read): rename or remove it`;
}

/** Own keys named like prototype machinery, at any depth of a decoded value. */
function reservedKeysIn(value: unknown, path: string, issues: ConfigIssue[]): void {
  if (!value || typeof value !== "object") return;
  const isList = Array.isArray(value);
  for (const key of Object.keys(value)) {
    const child = (value as Record<string, unknown>)[key];
    const childPath = isList ? `${path}[${key}]` : `${path}.${key}`;
    if (!isList && RESERVED_NAMES.has(key)) issues.push({ path: childPath, message: reservedMessage(key) });
    else reservedKeysIn(child, childPath, issues);
  }
}

/** One of our top-level keys, or a near miss of one. */
function ourKeyLike(key: string): string | undefined {
  const head = key.split(/[.:]/)[0];
  return KNOWN_KEYS.top.includes(head) ? head : closest(head, KNOWN_KEYS.top);
}

/** `plakar:`, `plakar-scaleway:`, `plakar-scaleway-iam2:`: a namespace someone meant as ours. */
function looksLikeNamespace(ns: string, namespace: string): boolean {
  const lower = ns.toLowerCase();
  return (
    namespace.startsWith(lower) || lower.startsWith(namespace.split("-")[0]) || editDistance(lower, namespace) <= 3
  );
}

/**
 * The raw config object for one namespace: `{ organizationId, projects, ... }`, values decoded from Pulumi's string
 * form. Keys of other namespaces (`scaleway:region`, ...) are left out, unless they are clearly ours misspelt;
 * unknown keys of ours are kept, so the schema can reject them. Throws ConfigError with every problem.
 */
export function namespaceConfig(all: Readonly<Record<string, string>>, namespace: string): Record<string, unknown> {
  const issues: ConfigIssue[] = [];
  const out: Record<string, unknown> = {};
  const budget = valueBudget();
  let limited = false;
  let ours = 0;
  for (const fullKey of Object.keys(all).sort()) {
    const colon = fullKey.indexOf(":");
    if (colon < 0) {
      const meant = ourKeyLike(fullKey);
      if (meant !== undefined || RESERVED_NAMES.has(fullKey)) {
        issues.push({
          path: fullKey,
          message: `has no namespace, so it is not read as this project's: write ${namespace}:${meant ?? fullKey}`,
        });
      }
      continue;
    }
    const ns = fullKey.slice(0, colon);
    const key = fullKey.slice(colon + 1);
    if (ns !== namespace) {
      // Our namespace in other letters (`Plakar-Scaleway-IAM:protect`) is another namespace to Pulumi: always refused.
      const meant = ns.toLowerCase() === namespace ? key : ourKeyLike(key);
      if (meant !== undefined && looksLikeNamespace(ns, namespace)) {
        issues.push({
          path: fullKey,
          message: `"${ns}" is not this project's namespace, so this key is ignored: write ${namespace}:${meant}`,
        });
      }
      continue;
    }
    ours++;
    const legacy = LEGACY_CONFIG_KEY.exec(fullKey);
    if (legacy) {
      issues.push({
        path: fullKey,
        message: `Pulumi reads "${fullKey}" as "${legacy[1]}:${legacy[2]}", a second spelling of one key: write ${legacyFix(legacy)}`,
      });
      continue;
    }
    if (RESERVED_NAMES.has(key)) {
      issues.push({ path: key, message: reservedMessage(key) });
      continue;
    }
    const { value, problem } = decodeValue(key, all[fullKey]);
    if (problem) {
      issues.push(problem);
      continue;
    }
    if (STRING_KEYS.has(key) && value === "null") {
      issues.push({ path: key, message: emptyValueMessage(key) });
      continue;
    }
    reservedKeysIn(value, key, issues);
    const tooMuch = limited ? undefined : limitProblem(key, value, budget);
    if (tooMuch) {
      // One line: past the first limit, the rest is not read.
      issues.push(tooMuch);
      limited = true;
      continue;
    }
    Object.defineProperty(out, key, { value, enumerable: true, writable: true, configurable: true });
  }
  if (issues.length > 0) throw new ConfigError(capped(issues, ""));
  if (ours === 0) {
    throw new ConfigError([
      {
        path: "",
        message: `no ${namespace}:* config is set: set ${namespace}:organizationId, ${namespace}:projects and ${namespace}:credentials (see the README's configuration reference)`,
      },
    ]);
  }
  return out;
}

function emptyValueMessage(key: string): string {
  return key === "namePrefix"
    ? `has no value (a YAML "namePrefix:" with nothing after it is null, not empty): write namePrefix: "" for names without a prefix, or a prefix such as "plakar-", or remove the key for the default`
    : `has no value (a YAML key with nothing after it is null): write a value, or remove the key`;
}

/** A config value from Pulumi's string form: JSON when it parses as JSON (as the SDK's getObject reads it). */
function decodeValue(key: string, value: string): { value: unknown; problem?: ConfigIssue } {
  if (STRING_KEYS.has(key)) return { value };
  let decoded: unknown;
  try {
    decoded = JSON.parse(value);
  } catch {
    return { value };
  }
  const problem = jsonProblem(value, key);
  return problem ? { value: undefined, problem } : { value: decoded };
}

/**
 * What JSON.parse lets through in text it accepted: a key written twice in one object (it keeps the last, so the
 * first is silently dropped) and nesting deeper than MAX_DEPTH (walking it would exhaust the stack). One pass, no
 * recursion.
 */
export function jsonProblem(text: string, root: string): ConfigIssue | undefined {
  interface Frame {
    readonly path: string;
    readonly keys?: Set<string>;
    index: number;
    expectKey: boolean;
    lastKey: string;
  }
  const stack: Frame[] = [];
  for (let i = 0; i < text.length; i++) {
    const c = text[i];
    const top = stack[stack.length - 1];
    if (c === "{" || c === "[") {
      const path = !top ? root : top.keys ? `${top.path}.${top.lastKey}` : `${top.path}[${top.index}]`;
      if (stack.length === MAX_DEPTH) {
        return { path, message: `nests deeper than ${MAX_DEPTH} levels: no value of this project is that deep` };
      }
      stack.push({ path, keys: c === "{" ? new Set() : undefined, index: 0, expectKey: c === "{", lastKey: "" });
    } else if (c === "}" || c === "]") {
      stack.pop();
    } else if (c === "," && top) {
      if (top.keys) top.expectKey = true;
      else top.index++;
    } else if (c === ":" && top) {
      top.expectKey = false;
    } else if (c === '"') {
      const start = i;
      for (i++; text[i] !== '"'; i++) if (text[i] === "\\") i++;
      if (top?.keys && top.expectKey) {
        const key = JSON.parse(text.slice(start, i + 1)) as string;
        if (top.keys.has(key)) {
          return {
            path: `${top.path}.${key}`,
            message: "is written twice in one object (JSON keeps only the last): keep one",
          };
        }
        top.keys.add(key);
        top.lastKey = key;
      }
    }
  }
  return undefined;
}

/** A stack file (`Pulumi.<stack>.yaml`) as Pulumi would pass it to the program. */
export interface StackFileConfig {
  /** `<namespace>:<key>` -> value in Pulumi's string form. */
  readonly config: Record<string, string>;
}

/** The most problems listed for one file or config: the first ones, then how many more there are. */
export const MAX_ISSUES = 20;

/** `issues`, at most MAX_ISSUES of them and a last line counting the rest: 100,000 repeated keys are not 100,000 lines. */
function capped(issues: readonly ConfigIssue[], where: string): ConfigIssue[] {
  if (issues.length <= MAX_ISSUES) return [...issues];
  return [
    ...issues.slice(0, MAX_ISSUES),
    { path: where, message: `and ${issues.length - MAX_ISSUES} more problems like these: fix these first` },
  ];
}

/** A key in a message: cut short, since the key itself may be the overlong text. */
function shownKey(key: string): string {
  return key.length > 40 ? `${key.slice(0, 40)}…` : key;
}

function textMessage(length: number, what: string): string {
  return `${what} ${length} characters long, more than the ${MAX_TEXT} of any name or value here (Scaleway's names take 64, descriptions 200): shorten it`;
}

/** What is left of the MAX_VALUES budget of one config, shared by all of its keys. */
export interface ValueBudget {
  left: number;
}

export function valueBudget(): ValueBudget {
  return { left: MAX_VALUES };
}

/**
 * The first limit one of our top-level values passes, if any: a `credentials` or `projects` mapping with too many
 * entries, a string or key longer than MAX_TEXT, or more values than the budget has left. Checked before any work that
 * grows with the values (the schema, the planner, the components, the suggestions for a typo), so that work is
 * bounded whatever the file holds. Stops at the first problem: a file of 20,000 long strings is one line, not 20,000.
 * The value is no deeper than MAX_DEPTH (checked before): the walk recurses.
 */
export function limitProblem(key: string, value: unknown, budget: ValueBudget): ConfigIssue | undefined {
  if (key === "credentials" || key === "projects") {
    const entries = value && typeof value === "object" && !Array.isArray(value) ? Object.keys(value).length : 0;
    const most = key === "credentials" ? MAX_CREDENTIALS : MAX_PROJECTS;
    if (entries > most && key === "credentials") {
      return {
        path: key,
        message: `declares ${entries} credentials, more than the ${most} a stack may hold (Scaleway's default quotas: 100 applications, 50 policies): split them over several stacks`,
      };
    }
    if (entries > most) {
      return {
        path: key,
        message: `declares ${entries} project aliases, more than the ${most} a stack may hold: declare only the projects its credentials name`,
      };
    }
  }
  const walk = (node: unknown, path: string): ConfigIssue | undefined => {
    if (--budget.left < 0) {
      return {
        path,
        message: `the config holds more than ${MAX_VALUES} values (strings, numbers, lists, mappings; aliases expanded), far more than ${MAX_CREDENTIALS} credentials need: remove repeated or unused values`,
      };
    }
    if (typeof node === "string") {
      return node.length > MAX_TEXT ? { path, message: textMessage(node.length, "is") } : undefined;
    }
    if (!node || typeof node !== "object") return undefined;
    const list = Array.isArray(node);
    for (const child of Object.keys(node)) {
      if (!list && child.length > MAX_TEXT) {
        return { path: `${path}.${shownKey(child)}`, message: textMessage(child.length, "is a key") };
      }
      const problem = walk((node as Record<string, unknown>)[child], list ? `${path}[${child}]` : `${path}.${child}`);
      if (problem) return problem;
    }
    return undefined;
  };
  return walk(value, key);
}

/** What a YAML node stands for once its aliases are expanded: its value, and what reading it cost. */
interface Expanded {
  readonly value: unknown;
  /** Values (scalars, lists, mappings) in it. */
  readonly values: number;
  /** Characters of its strings and keys (1 for any other scalar): never more than its source text without aliases. */
  readonly chars: number;
  /** Nesting of lists and mappings. */
  readonly depth: number;
}

/**
 * A YAML document's value, every alias expanded, in one pass: what the `yaml` library's toJS does, bounded. Its
 * toJS caps the uses of an anchor (maxAliasCount) but not the text an alias repeats (one 200 kB string, 9,000 times,
 * is more than JSON.stringify can hold: a RangeError), nor an alias inside the value it names (a circular value), and
 * counting an anchor's aliases walks the whole document for each of them (quadratic). Here each anchored value is read
 * once, in document order (an alias means the last anchor of its name written before it, as in YAML 1.2 §3.2.2.2),
 * and every use of an alias adds what it stands for to budgets checked as it is read: MAX_ALIAS_VALUES values, the
 * file's own limit (MAX_CONFIG_BYTES) in characters, MAX_DEPTH levels. Keys are plain scalars (keysInYaml ran first).
 */
class Expander {
  private readonly anchors = new Map<string, Node>();
  private readonly read = new Map<Node, Expanded>();
  private aliasValues = 0;
  private chars = 0;

  /**
   * `refuse(node, message, wholeFile)` throws a ConfigError at the node, or at the whole file for a budget, which no
   * one alias passes alone; `where(node)` is "line L, column C".
   */
  constructor(
    private readonly refuse: (node: Node, message: string, wholeFile?: boolean) => never,
    private readonly where: (node: Node) => string,
  ) {}

  expand(node: unknown, depth: number): Expanded {
    if (node === null || node === undefined) return { value: null, values: 1, chars: 1, depth: 0 };
    if (isAlias(node)) return this.alias(node, depth);
    const anchored = (node as Node).anchor;
    if (anchored) this.anchors.set(anchored, node as Node);
    const out = this.node(node as Node, depth);
    if (anchored) this.read.set(node as Node, out);
    return out;
  }

  private alias(node: Alias, depth: number): Expanded {
    const name = `*${node.source}`;
    const target = this.anchors.get(node.source);
    if (target === undefined) {
      this.refuse(node, `${name} names no anchor (&${node.source}) written before it: write the anchor first`);
    }
    const done = this.read.get(target);
    if (done === undefined) {
      this.refuse(node, `${name} is inside the value it names (a value that contains itself): write the values out`);
    }
    this.aliasValues += done.values;
    this.chars += done.chars;
    if (this.aliasValues > MAX_ALIAS_VALUES || this.chars > MAX_CONFIG_BYTES) {
      const past =
        this.aliasValues > MAX_ALIAS_VALUES
          ? `${MAX_ALIAS_VALUES} values`
          : `${MAX_CONFIG_BYTES} characters (1 MiB, a stack file's limit)`;
      this.refuse(
        node,
        `its YAML aliases (*name) expand to too many values: ${name} (${this.where(node)}) takes them past ${past}: write each value out once, or share fewer`,
        true,
      );
    }
    if (depth + done.depth > MAX_DEPTH) {
      this.refuse(
        node,
        `${name} nests its value deeper than ${MAX_DEPTH} levels: no value of this project is that deep`,
      );
    }
    return done;
  }

  private node(node: Node, depth: number): Expanded {
    if (isScalar(node)) {
      const size = typeof node.value === "string" ? node.value.length : 1;
      this.chars += size;
      return { value: node.value ?? null, values: 1, chars: size, depth: 0 };
    }
    let values = 1;
    let chars = 0;
    let inner = 0;
    const add = (part: Expanded) => {
      values += part.values;
      chars += part.chars;
      inner = Math.max(inner, part.depth);
      return part.value;
    };
    if (isMap(node)) {
      const object: Record<string, unknown> = {};
      for (const pair of node.items) {
        // As toJS names keys: a null key is "", any other scalar its text (keysInYaml refused the rest).
        const key = isScalar(pair.key) ? String(pair.key.value ?? "") : "";
        if (isScalar(pair.key)) this.expand(pair.key, depth + 1);
        chars += key.length;
        const value = add(this.expand(pair.value, depth + 1));
        Object.defineProperty(object, key, { value, enumerable: true, writable: true, configurable: true });
      }
      return { value: object, values, chars, depth: inner + 1 };
    }
    if (isSeq(node)) {
      const list = node.items.map((item) => add(this.expand(item, depth + 1)));
      return { value: list, values, chars, depth: inner + 1 };
    }
    return this.refuse(node, "is not a YAML value this project reads");
  }
}

/** YAML error codes (`BAD_INDENT`) as words; the library's messages quote source lines, which may hold secrets. */
function yamlProblem(code: string): string {
  return `YAML syntax error (${code.toLowerCase().replace(/_/g, " ")})`;
}

/**
 * Reads a stack file's `config:` block the way the Pulumi CLI does: keys without a namespace belong to the project,
 * `<ns>:config:<key>` is read as `<ns>:<key>`, scalars become strings, objects and lists become JSON. Refuses what
 * Pulumi would read differently from how it looks: two spellings of one key, prototype keys at any level, a missing
 * `config:` mapping. Secure values cannot be decrypted offline and are refused. Errors name the file, line and
 * column, never the source text (it may hold a secure value or a pasted key).
 */
export function parseStackFile(text: string, project: string, source: string): StackFileConfig {
  const at = (lines: LineCounter, offset: number | undefined) => {
    const { line, col } = lines.linePos(offset ?? 0);
    return `${source}:${line}:${col}`;
  };
  if (Buffer.byteLength(text, "utf8") > MAX_CONFIG_BYTES) {
    throw new ConfigError(
      [{ path: source, message: `is larger than ${MAX_CONFIG_BYTES} bytes (1 MiB)` }],
      "invalid stack file",
    );
  }
  if (text.trim() === "") {
    throw new ConfigError(
      [{ path: source, message: `is empty: a stack file holds a "config:" mapping of ${project}:<key> values` }],
      "invalid stack file",
    );
  }
  const lines = new LineCounter();
  // The library's duplicate-key check compares every pair of keys (quadratic): keysInYaml does it with a set.
  const doc = parseDocument(text, { lineCounter: lines, prettyErrors: false, uniqueKeys: false });
  if (doc.directives?.yaml.explicit) {
    throw new ConfigError(
      [
        {
          path: source,
          message: `starts with a %YAML directive, which changes how values read here but not in Pulumi: remove it`,
        },
      ],
      "invalid stack file",
    );
  }
  if (doc.errors.length > 0) {
    throw new ConfigError(
      capped(
        doc.errors.map((e) => ({ path: at(lines, e.pos[0]), message: yamlProblem(e.code) })),
        source,
      ),
      "invalid stack file",
    );
  }
  const root = doc.contents;
  if (root === null || (isScalar(root) && (root.value === null || root.value === undefined))) {
    throw new ConfigError(
      [
        {
          path: source,
          message: `holds only comments: a stack file holds a "config:" mapping of ${project}:<key> values`,
        },
      ],
      "invalid stack file",
    );
  }
  if (!isMap(root)) {
    throw new ConfigError(
      [{ path: at(lines, root.range?.[0]), message: `expected a YAML mapping with a "config:" key` }],
      "invalid stack file",
    );
  }
  const issues: ConfigIssue[] = [];
  keysInYaml(root, "", issues, (n) => at(lines, n.range?.[0]));
  if (issues.length > 0) throw new ConfigError(capped(issues, source), "invalid stack file");

  const block = root.get("config", true) as Node | undefined;
  if (block === undefined) {
    const stray = root.items
      .map((p) => (isScalar(p.key) ? String(p.key.value) : ""))
      .filter((k) => k.startsWith(`${project}:`) || KNOWN_KEYS.top.includes(k));
    throw new ConfigError(
      [
        {
          path: source,
          message: stray.length
            ? `has no "config:" mapping: put ${stray.join(", ")} under a top-level "config:" key`
            : `has no "config:" mapping of ${project}:<key> values`,
        },
      ],
      "invalid stack file",
    );
  }
  if (!isMap(block)) {
    throw new ConfigError(
      [{ path: at(lines, block.range?.[0]), message: `"config" must be a mapping of <namespace>:<key> to values` }],
      "invalid stack file",
    );
  }
  // Beside `config:`, Pulumi reads only its own stack-file keys: one of ours there is silently ignored.
  for (const pair of root.items) {
    const name = isScalar(pair.key) ? String(pair.key.value) : "";
    if (STACK_FILE_KEYS.has(name)) continue;
    const meant = name.startsWith(`${project}:`) ? name.slice(project.length + 1) : ourKeyLike(name);
    if (meant !== undefined) {
      issues.push({
        path: at(lines, (pair.key as Node).range?.[0]),
        message: `${name}: is outside "config:", so Pulumi ignores it: indent it under config: as ${project}:${meant}`,
      });
    }
  }
  // Scalars of ours must read the same in Pulumi's YAML reader: numbers in plain decimal, as JSON writes them.
  for (const pair of block.items) {
    const name = isScalar(pair.key) ? String(pair.key.value) : "";
    if (name.startsWith(`${project}:`) || !name.includes(":"))
      numbersIn(pair.value, issues, (n) => at(lines, n.range?.[0]));
  }
  if (issues.length > 0) throw new ConfigError(capped(issues, source), "invalid stack file");
  const expander = new Expander(
    (node, message, wholeFile) => {
      throw new ConfigError([{ path: wholeFile ? source : at(lines, node.range?.[0]), message }], "invalid stack file");
    },
    (node) => {
      const { line, col } = lines.linePos(node.range?.[0] ?? 0);
      return `line ${line}, column ${col}`;
    },
  );
  const values = (expander.expand(root, 0).value as { config: Record<string, unknown> }).config;
  // Our values within this project's limits before they are turned into text, let alone planned.
  const budget = valueBudget();
  for (const pair of block.items) {
    const name = isScalar(pair.key) ? String(pair.key.value) : "";
    const key = name.replace(LEGACY_CONFIG_KEY, "$1:$2");
    const short = key.startsWith(`${project}:`) ? key.slice(project.length + 1) : key.includes(":") ? undefined : key;
    if (short === undefined || !Object.hasOwn(values, name)) continue;
    const written = values[name];
    // An encrypted value is refused below, as such. A string is read as the program reads it (JSON text decoded);
    // one that is not valid JSON of ours is for namespaceConfig to describe.
    if (written && typeof written === "object" && "secure" in written) continue;
    const { value, problem: unread } = typeof written === "string" ? decodeValue(short, written) : { value: written };
    if (unread) continue;
    const problem = limitProblem(short, value, budget);
    if (problem) {
      throw new ConfigError(
        [{ path: at(lines, (pair.key as Node).range?.[0]), message: `${project}:${problem.path}: ${problem.message}` }],
        "invalid stack file",
      );
    }
  }
  const config: Record<string, string> = {};
  /** Where each key (as Pulumi will read it) was first written. */
  const written = new Map<string, string>();
  for (const pair of block.items) {
    if (!isPair(pair) || !isScalar(pair.key) || typeof pair.key.value !== "string") {
      issues.push({ path: at(lines, (pair.key as Node | null)?.range?.[0]), message: "config keys must be strings" });
      continue;
    }
    const rawKey = pair.key.value;
    const where = at(lines, pair.key.range?.[0]);
    const namespaced = rawKey.includes(":") ? rawKey : `${project}:${rawKey}`;
    const legacy = LEGACY_CONFIG_KEY.exec(namespaced);
    const key = legacy ? `${legacy[1]}:${legacy[2]}` : namespaced;
    const ours = key.startsWith(`${project}:`);
    if (legacy && ours) {
      issues.push({
        path: where,
        message: `${rawKey}: Pulumi reads it as ${key}, a second spelling of one key: write ${legacyFix(legacy)}`,
      });
      continue;
    }
    const first = written.get(key);
    if (first !== undefined) {
      issues.push({
        path: where,
        message: `${rawKey}: Pulumi reads it as ${key}, already set at ${first}: keep one of the two`,
      });
      continue;
    }
    written.set(key, `line ${where.slice(source.length + 1).split(":")[0]}`);
    const value: unknown = Object.hasOwn(values, rawKey) ? values[rawKey] : null;
    if (value && typeof value === "object" && !Array.isArray(value) && "secure" in value) {
      // Other namespaces (scaleway:secretKey, ...) are not ours to read: leave their secrets encrypted.
      if (!ours) continue;
      issues.push({
        path: where,
        message: `${key} is an encrypted (secure) value; the offline plan cannot decrypt it`,
      });
      continue;
    }
    if (value === null && ours) {
      issues.push({ path: where, message: `${key} ${emptyValueMessage(key.slice(project.length + 1))}` });
      continue;
    }
    config[key] = typeof value === "string" ? value : JSON.stringify(value);
  }
  if (issues.length > 0) throw new ConfigError(capped(issues, source), "invalid stack file");
  return { config };
}

/**
 * Keys named like prototype machinery, keys written twice in one mapping, keys that are not plain values (a mapping
 * or list as a key) and nesting deeper than MAX_DEPTH, anywhere in a YAML document.
 */
function keysInYaml(node: unknown, path: string, issues: ConfigIssue[], where: (n: Node) => string, depth = 0): void {
  if ((isMap(node) || isSeq(node)) && depth === MAX_DEPTH) {
    issues.push({
      path: where(node),
      message: `${path}: nests deeper than ${MAX_DEPTH} levels: no value of this project is that deep`,
    });
    return;
  }
  if (isMap(node)) {
    const seen = new Set<string>();
    for (const pair of node.items) {
      if (pair.key !== null && !isScalar(pair.key)) {
        issues.push({
          path: where(pair.key as Node),
          message: `${path || "(top)"}: a key must be a plain name, not a mapping or a list`,
        });
        continue;
      }
      const name = isScalar(pair.key) ? String(pair.key.value) : "";
      const childPath = path ? `${path}.${name}` : name;
      if (RESERVED_NAMES.has(name) || RESERVED_NAMES.has(name.slice(name.lastIndexOf(":") + 1))) {
        issues.push({ path: where(pair.key as Node), message: `${childPath}: ${reservedMessage(name)}` });
        continue;
      }
      if (name === "<<" && isScalar(pair.key) && pair.key.type === "PLAIN") {
        issues.push({
          path: where(pair.key as Node),
          message: `${childPath}: a YAML merge key is read differently by YAML readers (Pulumi's merges, this one does not): write the keys out`,
        });
        continue;
      }
      if (seen.has(name)) {
        issues.push({ path: where(pair.key as Node), message: `${childPath}: is written twice: keep one` });
        continue;
      }
      seen.add(name);
      keysInYaml(pair.value, childPath, issues, where, depth + 1);
    }
  } else if (isSeq(node)) {
    node.items.forEach((item, i) => keysInYaml(item, `${path}[${i}]`, issues, where, depth + 1));
  }
}

/** Numbers not written in plain decimal (014 is 12 to Pulumi's YAML reader and 14 to this one), in a checked value. */
function numbersIn(node: unknown, issues: ConfigIssue[], where: (n: Node) => string): void {
  if (isScalar(node)) {
    if (typeof node.value === "number" && !PLAIN_NUMBER.test(node.source ?? "")) {
      issues.push({
        path: where(node),
        message: `the number ${JSON.stringify(node.source ?? "")} is read differently by YAML readers: write it in plain decimal, such as 14`,
      });
    }
  } else if (isMap(node)) {
    for (const pair of node.items) numbersIn(pair.value, issues, where);
  } else if (isSeq(node)) {
    for (const item of node.items) numbersIn(item, issues, where);
  }
}
