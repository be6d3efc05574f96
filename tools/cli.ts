/**
 * Shared plumbing of the command-line tools: one definition per flag (a flag means the same in every command),
 * parsing with the closest known flag for a typo, `--help`, input files read with bounds, and exit codes. Each
 * command module exports `main(argv, io)`, which never throws: tests run it in-process, the entry runs it on the
 * real process.
 */
import * as fs from "fs";
import * as path from "path";
import { parseArgs, type ParseArgsConfig } from "util";
import { ConfigError, type ConfigIssue, configIssuesOf, formatIssue } from "../components/domain/errors";
import { didYouMean } from "../components/domain/suggest";
import { isRealInstant } from "../components/domain/schema";

/** Exit code for bad input: config, presets, flags, outputs. */
export const EXIT_BAD_INPUT = 2;

/** What a command reads and writes: the real process, or a test's buffers. */
export interface Io {
  readonly stdout: (text: string) => void;
  readonly stderr: (text: string) => void;
  /** Standard input's text when it carries data (a pipe or a file); undefined for a terminal or /dev/null. */
  readonly stdin: () => Promise<string | undefined>;
  /** The directory a user's relative paths mean. */
  readonly cwd: string;
}

export type Main = (argv: readonly string[], io: Io) => Promise<number>;

/** Standard input carries data when it is a pipe, a socket or a file; a terminal or /dev/null means "none given". */
export function stdinCarriesInput(): boolean {
  try {
    const stat = fs.fstatSync(0);
    return stat.isFIFO() || stat.isFile() || stat.isSocket();
  } catch {
    return false;
  }
}

/**
 * Reads all of standard input, asynchronously: once the Pulumi SDK is loaded, stdin is non-blocking and a
 * synchronous read of a pipe whose writer is still busy (`pulumi stack output` takes a while) fails with EAGAIN.
 * Stops with an error past `maxBytes`.
 */
async function readProcessStdin(maxBytes: number): Promise<string> {
  const chunks: Buffer[] = [];
  let size = 0;
  for await (const chunk of process.stdin) {
    const buf = typeof chunk === "string" ? Buffer.from(chunk) : (chunk as Buffer);
    size += buf.length;
    if (size > maxBytes) {
      throw new ConfigError([{ path: "standard input", message: `is larger than ${maxBytes} bytes` }], "bad input");
    }
    chunks.push(buf);
  }
  return Buffer.concat(chunks).toString("utf8");
}

/** Largest standard input or outputs file read (stack outputs are a few kB per credential). */
export const MAX_INPUT_BYTES = 16 * 1024 * 1024;

export function processIo(): Io {
  return {
    stdout: (text) => void process.stdout.write(text),
    stderr: (text) => void process.stderr.write(text),
    stdin: async () => (stdinCarriesInput() ? readProcessStdin(MAX_INPUT_BYTES) : undefined),
    // npm runs scripts from the package root; INIT_CWD is where the user typed the command.
    cwd: process.env.INIT_CWD ?? process.cwd(),
  };
}

/** A user's relative path means their directory, not the package root npm runs scripts from. */
export function userPath(file: string, cwd: string = process.env.INIT_CWD ?? process.cwd()): string {
  return path.resolve(cwd, file);
}

/**
 * Reads a user's input file: refused, before a byte is read, unless it is a regular file of at most `maxBytes`
 * (`/dev/zero`, a directory or a FIFO never reach the parser). Every failure is one ConfigError naming the file.
 */
export function readInputFile(file: string, maxBytes: number, missingHint?: string): string {
  const fail = (message: string): never => {
    throw new ConfigError([{ path: file, message }], "bad input");
  };
  let stat: fs.Stats;
  try {
    stat = fs.statSync(file);
  } catch (err) {
    const code = (err as NodeJS.ErrnoException).code;
    return fail(
      code === "ENOENT" || code === "ENOTDIR"
        ? `no such file${missingHint ? `: ${missingHint}` : ""}`
        : `cannot be read (${code ?? "error"})`,
    );
  }
  if (stat.isDirectory()) return fail("is a directory, not a file");
  if (!stat.isFile()) return fail("is not a regular file (a device, pipe or socket is not read)");
  if (stat.size > maxBytes) return fail(`is ${stat.size} bytes, more than the ${maxBytes} allowed`);
  let fd: number | undefined;
  try {
    fd = fs.openSync(file, "r");
    // Read at most one byte past the limit: a file that grew since stat is still refused, never read whole.
    const buf = Buffer.alloc(maxBytes + 1);
    let length = 0;
    for (let n = -1; n !== 0 && length < buf.length; length += n)
      n = fs.readSync(fd, buf, length, buf.length - length, null);
    if (length > maxBytes) return fail(`is more than the ${maxBytes} bytes allowed`);
    return buf.subarray(0, length).toString("utf8");
  } catch (err) {
    if (err instanceof ConfigError) throw err;
    return fail(`cannot be read (${(err as NodeJS.ErrnoException).code ?? "error"})`);
  } finally {
    if (fd !== undefined) fs.closeSync(fd);
  }
}

// ---------------------------------------------------------------------------------------------------------------
// Flags

export interface FlagSpec {
  readonly type: "string" | "boolean";
  readonly short?: string;
  /** Placeholder of a string flag's value in usage lines: `NAME`, `FILE`. */
  readonly value?: string;
  /** One sentence: what the flag does, and its default. */
  readonly help: string;
  /**
   * What a value looks like, for a flag whose values have a fixed form. Used only to tell which flag a bare value
   * npm passed on belongs to (see `npmKeptFlags`); each command still checks the values it reads.
   */
  readonly pattern?: RegExp;
}

/** Pulumi's stack names: letters, digits, `-`, `_`, `.`; never a path (`.`, `..`, a leading dot). */
const STACK_NAME = /^[A-Za-z0-9][A-Za-z0-9_.-]*$/;

/** An ISO-8601 date or date-time as --now takes it: the zone is optional (UTC). */
const ISO_INSTANT = /^\d{4}-\d{2}-\d{2}(T\d{2}:\d{2}(:\d{2}(\.\d+)?)?(Z|[+-]\d{2}:\d{2})?)?$/;

/** The flags, each defined once, so a flag means the same thing in every command. */
export const FLAGS = {
  stack: {
    type: "string",
    value: "NAME",
    pattern: STACK_NAME,
    help: "The stack. Default: NAME of a --config file named Pulumi.<NAME>.yaml, else staging.",
  },
  config: {
    type: "string",
    value: "FILE",
    help: "The stack file to read instead of Pulumi.<stack>.yaml (at most 1 MiB); Pulumi.<NAME>.yaml plans stack NAME unless --stack says otherwise.",
  },
  now: {
    type: "string",
    value: "ISO-8601",
    pattern: ISO_INSTANT,
    help: "The date to plan or check for, e.g. 2026-11-26 or 2026-11-26T09:00:00Z (UTC when no zone is given). Default: the real time.",
  },
  json: { type: "boolean", help: "Print one JSON document instead of a table." },
  help: { type: "boolean", short: "h", help: "Print this help and exit." },
} as const satisfies Record<string, FlagSpec>;

export interface CommandSpec {
  /** The npm script: `plan`, `check-expiry`. */
  readonly name: string;
  /** What the command does, in a sentence or two. */
  readonly summary: string;
  readonly flags: Readonly<Record<string, FlagSpec>>;
  readonly exitCodes: readonly (readonly [number, string])[];
  readonly examples: readonly string[];
}

function flagUsage(name: string, spec: FlagSpec): string {
  return spec.type === "string" ? `--${name} ${spec.value ?? "VALUE"}` : `--${name}`;
}

export function usageLine(cmd: CommandSpec): string {
  const flags = Object.entries(cmd.flags)
    .filter(([name]) => name !== "help")
    .map(([name, spec]) => `[${flagUsage(name, spec)}]`);
  // A command whose only flag is --help (schema) has nothing to pass after `--`.
  return flags.length === 0 ? `npm run --silent ${cmd.name}` : `npm run --silent ${cmd.name} -- ${flags.join(" ")}`;
}

/** `--help`: usage, each flag with a sentence, exit codes, examples. */
export function helpText(cmd: CommandSpec): string {
  const entries = Object.entries(cmd.flags).map(([name, spec]) => [
    `${spec.short ? `-${spec.short}, ` : ""}${flagUsage(name, spec)}`,
    spec.help,
  ]);
  const width = Math.max(...entries.map(([f]) => f.length)) + 2;
  return [
    `usage: ${usageLine(cmd)}`,
    "",
    cmd.summary,
    "",
    "flags:",
    ...entries.map(([f, h]) => `  ${f.padEnd(width)}${h}`),
    "",
    "exit codes:",
    ...cmd.exitCodes.map(([code, what]) => `  ${code}  ${what}`),
    "",
    "examples:",
    ...cmd.examples.map((e) => `  ${e}`),
    "",
  ].join("\n");
}

function badCommandLine(issues: ConfigIssue[], cmd: CommandSpec): ConfigError {
  return new ConfigError(issues, `bad command line (npm run --silent ${cmd.name} -- --help for usage)`);
}

export type FlagValues = Record<string, string | boolean | undefined>;

/** The environment a command line was given in: `process.env`, or a test's. */
export type Env = Readonly<Record<string, string | undefined>>;

/**
 * Parses a command line against a command's flags. Refuses, with every problem at once: unknown flags (with the
 * closest known one), a flag given twice, a string flag without its value (or followed by another flag), a value on
 * a boolean flag, and positional arguments. When npm started the command (`npm run plan --stack prod`), the flags
 * npm kept for itself are refused too, with the command line to run instead (`npmKeptFlags`).
 */
export function parseCommandLine(argv: readonly string[], cmd: CommandSpec, env: Env = process.env): FlagValues {
  const options: NonNullable<ParseArgsConfig["options"]> = {};
  for (const [name, spec] of Object.entries(cmd.flags)) {
    options[name] = spec.short ? { type: spec.type, short: spec.short } : { type: spec.type };
  }
  const { tokens } = parseArgs({ args: [...argv], options, strict: false, allowPositionals: true, tokens: true });
  const known = Object.keys(cmd.flags).map((n) => `--${n}`);
  const issues: ConfigIssue[] = [];
  const values: FlagValues = {};
  const given = new Set<string>();
  const positionals: Positional[] = [];
  let flagsPassed = false;
  let afterUnknown = false;
  for (const token of tokens) {
    const skip = afterUnknown;
    afterUnknown = false;
    if (token.kind === "positional") {
      // The value of a mistyped flag (`--output x`): the unknown flag is the one problem to report.
      if (!skip) positionals.push({ value: token.value, index: token.index });
      continue;
    }
    if (token.kind !== "option") continue;
    flagsPassed = true;
    const spec = cmd.flags[token.name] as FlagSpec | undefined;
    if (!spec) {
      afterUnknown = token.value === undefined;
      const written = token.rawName;
      issues.push({
        path: written,
        message: `unknown flag${didYouMean(written, known).replace(/"/g, "")}; ${cmd.name} takes ${known.join(", ")}`,
      });
      continue;
    }
    given.add(token.name);
    const flag = `--${token.name}`;
    if (values[token.name] !== undefined) {
      issues.push({ path: flag, message: "is given twice: give it once" });
      continue;
    }
    if (spec.type === "boolean") {
      if (token.value !== undefined) issues.push({ path: flag, message: "takes no value" });
      else values[token.name] = true;
      continue;
    }
    if (token.value === undefined || (!token.inlineValue && token.value.startsWith("--"))) {
      issues.push({ path: flag, message: `needs a value: ${flagUsage(token.name, spec)}` });
      continue;
    }
    values[token.name] = token.value;
  }
  const npm = npmKeptFlags({ argv, cmd, env, given, positionals, flagsPassed });
  for (const p of positionals) {
    if (npm?.explained.has(p.index)) continue;
    issues.push({ path: p.value, message: "unexpected argument: every input is given with a flag" });
  }
  if (npm) issues.push(...npm.issues);
  if (issues.length > 0) throw badCommandLine(issues, cmd);
  return values;
}

// ---------------------------------------------------------------------------------------------------------------
// Flags npm kept for itself

/**
 * `npm run plan --stack prod` does not pass `--stack prod` to the script: npm reads every flag written before `--`
 * as a config of its own. What reaches the script, observed with npm 11.19.1 (npm/cli
 * `workspaces/config/lib/index.js` parses the command line with nopt, abbreviations expanded, and warns of unknown
 * flags only when not --silent; `workspaces/config/lib/set-envs.js` exports every config that is not npm's default,
 * from the command line or an npmrc, to the script as `npm_config_<name>`, `-` written `_`, lowercase, lists joined
 * with a blank line):
 * - `--stack prod`: npm does not know --stack, so to nopt it is a boolean: npm_config_stack=true, and `prod` reaches
 *   the script as a bare argument. Bare values keep the order they were typed in; which flag each followed is lost
 *   (the variables are not in the command line's order).
 * - `--stack=prod`: npm_config_stack=prod; nothing reaches the script.
 * - `--json`, `--offline` (npm has configs of these names): npm_config_json=true; nothing reaches the script.
 * - a flag given twice: `true\n\ntrue`.
 * - `--format json`: nopt expands `--format` to npm's own `--format-package-lock`, left at its default: no variable,
 *   only the bare `json`.
 * - `--help`, `-h`: npm prints its own help and never runs the script.
 * npm always exports some configs of its own (npm_config_cache, npm_config_userconfig, npm_config_prefix, ...; none
 * is a flag of a command: test/npm-flags.test.ts checks it against a real `npm run`), and the configs of the npmrc
 * files it read, which are the user's settings, not flags npm kept.
 */
export interface NpmKept {
  /** One issue per flag npm kept, then the command line to run instead. */
  readonly issues: readonly ConfigIssue[];
  /** Indexes in argv of the bare arguments that are values of the flags npm kept: not reported as unexpected. */
  readonly explained: ReadonlySet<number>;
}

interface Positional {
  readonly value: string;
  /** Its index in argv. */
  readonly index: number;
}

/** One flag npm kept, once per time it was given. */
interface KeptFlag {
  readonly name: string;
  readonly spec: FlagSpec;
  /** `npm_config_stack=true`, as npm set it. */
  readonly variable: string;
  /** The value npm kept (`--stack=prod`); undefined when it kept only the flag (`--stack prod`, `--json`). */
  readonly value: string | undefined;
  /** The value of the variable for this occurrence, as npm wrote it: `true`, `prod`, or empty for `--stack=`. */
  readonly written: string;
}

const NPM_CONFIG = "npm_config_";

/** npm's name for a config: `update-catalog` is exported as npm_config_update_catalog. */
function npmConfigName(key: string): string {
  return key.replace(/-/g, "_").toLowerCase();
}

/**
 * npm ran this command as its own script: `npm run <command>` (npm sets npm_command, names the script in
 * npm_lifecycle_event and itself in npm_config_user_agent). Not `npm test` running a test that calls a command's
 * main, nor a script of another name, nor pnpm, yarn or bun, which pass every flag on to the script.
 */
export function launchedByNpm(env: Env, cmd: CommandSpec): boolean {
  return (
    env.npm_lifecycle_event === cmd.name &&
    env.npm_command !== undefined &&
    (env.npm_config_user_agent ?? "").startsWith("npm/")
  );
}

/** Largest npmrc file read. */
const MAX_NPMRC_BYTES = 1024 * 1024;

/**
 * The top-level keys (npm's env names, without the prefix) set by the npmrc files npm read: the user's
 * (npm_config_userconfig), the global one (npm_config_globalconfig), the project's (`.npmrc` in
 * npm_config_local_prefix) and npm's builtin one (`npmrc` in npm's own folder, above npm_execpath's `bin/`). npm
 * exports these to the script just like a flag it kept, so a flag of a command set there is the user's config. The
 * files are ini: `key=value` or a bare `key`; `;` and `#` start comments; keys under a `[section]` are not exported.
 */
export function npmrcKeys(env: Env): Set<string> {
  const files = [
    env.npm_config_userconfig,
    env.npm_config_globalconfig,
    env.npm_config_local_prefix === undefined ? undefined : path.join(env.npm_config_local_prefix, ".npmrc"),
    env.npm_execpath === undefined ? undefined : path.join(path.dirname(env.npm_execpath), "..", "npmrc"),
  ];
  const keys = new Set<string>();
  for (const file of files) {
    if (!file || !path.isAbsolute(file)) continue;
    let text: string;
    try {
      text = readInputFile(file, MAX_NPMRC_BYTES);
    } catch {
      continue;
    }
    for (const raw of text.split(/\r?\n/)) {
      const line = raw.trim();
      if (line === "" || line.startsWith(";") || line.startsWith("#")) continue;
      if (line.startsWith("[")) break;
      const key = line
        .split("=")[0]
        .trim()
        .replace(/^(["'])(.*)\1$/, "$2")
        .replace(/\[\]$/, "");
      keys.add(npmConfigName(key));
    }
  }
  return keys;
}

/** A word as a POSIX shell reads it back: as it is when safe, else in single quotes. */
export function shellWord(word: string): string {
  return /^[A-Za-z0-9_@%+=:,./-]+$/.test(word) ? word : `'${word.replace(/'/g, `'\\''`)}'`;
}

/** Bare values named in a message, at most. */
const MAX_CANDIDATES = 10;

/** More flags than this to pair with bare values: the pairing is not searched (it would be a guess anyway). */
const MAX_PAIRED = 6;

/**
 * Which bare value belongs to which kept flag, or undefined when it cannot be told. npm passes on one bare value per
 * `--flag value` in the order typed, but not which flag each followed. The pairing is certain when there are as many
 * bare values as flags needing one and only one assignment remains: always for one flag; for several, when the
 * values' forms (`FlagSpec.pattern`: a date for --now, a number for --within) leave one. Anything else (more bare
 * values than flags, fewer, several assignments left) is not guessed.
 */
function pairValues(
  needing: readonly KeptFlag[],
  positionals: readonly Positional[],
): ReadonlyMap<KeptFlag, Positional> | undefined {
  if (needing.length !== positionals.length || needing.length > MAX_PAIRED) return undefined;
  const assignments: Map<KeptFlag, Positional>[] = [];
  const seen = new Set<string>();
  const permute = (rest: readonly Positional[], done: Positional[]): void => {
    if (rest.length === 0) {
      // The same flag given twice takes its values in either order: one assignment, not two.
      const id = needing
        .map((k, i) => `${k.name}\u0000${done[i].index}`)
        .sort()
        .join("\u0001");
      if (!seen.has(id)) {
        seen.add(id);
        assignments.push(new Map(needing.map((k, i) => [k, done[i]])));
      }
      return;
    }
    rest.forEach((p, i) => permute([...rest.slice(0, i), ...rest.slice(i + 1)], [...done, p]));
  };
  permute(positionals, []);
  if (assignments.length === 1) return assignments[0];
  const fitting = assignments.filter((a) => [...a].every(([k, p]) => k.spec.pattern?.test(p.value) ?? true));
  return fitting.length === 1 ? fitting[0] : undefined;
}

/**
 * The flags of `cmd` npm kept for itself when it ran the command (see `NpmKept`), each named with its value, and the
 * command line to run instead: `npm run --silent plan -- --stack prod`. A flag counts as kept only when npm started
 * this command (`launchedByNpm`), it is a flag of the command (never --help: npm answers that one), npm exported it
 * as npm_config_<flag>, no npmrc file npm read sets it, and the command line does not give it after `--`. A flag
 * written `--stack=true` is read as `--stack` (npm exports both as `true`). Without any kept flag, bare arguments
 * under npm with no flag at all on the command line (no `--` was written) get the general advice instead.
 */
export function npmKeptFlags(input: {
  readonly argv: readonly string[];
  readonly cmd: CommandSpec;
  readonly env: Env;
  /** The flags given on the command line (after `--`). */
  readonly given: ReadonlySet<string>;
  readonly positionals: readonly Positional[];
  /** Whether any flag reached the command: then `--` was written. */
  readonly flagsPassed: boolean;
}): NpmKept | undefined {
  const { argv, cmd, env, given, positionals } = input;
  if (!launchedByNpm(env, cmd)) return undefined;
  const script = `npm run --silent ${cmd.name}`;
  let rc: Set<string> | undefined;
  const kept: KeptFlag[] = [];
  for (const [name, spec] of Object.entries(cmd.flags)) {
    if (name === "help" || given.has(name)) continue;
    const variable = NPM_CONFIG + npmConfigName(name);
    const raw = env[variable];
    if (raw === undefined) continue;
    rc ??= npmrcKeys(env);
    if (rc.has(npmConfigName(name))) continue;
    for (const value of raw.split("\n\n")) {
      // An empty or `false` boolean is npm putting its own default back, not a flag given.
      if (spec.type === "boolean" && (value === "" || value === "false")) continue;
      kept.push({ name, spec, variable, written: value, value: value === "true" || value === "" ? undefined : value });
    }
  }
  if (kept.length === 0) {
    if (positionals.length === 0 || input.flagsPassed) return undefined;
    return {
      issues: [
        {
          path: "",
          message: `flags go after \`--\` (npm keeps those written before it and passes on only their values): ${script} -- --FLAG VALUE ...; ${script} -- --help lists them`,
        },
      ],
      explained: new Set(),
    };
  }
  const needing = kept.filter((k) => k.spec.type === "string" && k.value === undefined);
  const pairing = needing.length === 0 ? new Map<KeptFlag, Positional>() : pairValues(needing, positionals);
  // Bare values that may belong to a kept flag: the paired ones, or every one when the pairing cannot be told.
  const explained = new Set(
    pairing ? [...pairing.values()].map((p) => p.index) : needing.length > 0 ? positionals.map((p) => p.index) : [],
  );
  const candidates =
    positionals
      .slice(0, MAX_CANDIDATES)
      .map((p) => quote(p.value))
      .join(", ") + (positionals.length > MAX_CANDIDATES ? ` and ${positionals.length - MAX_CANDIDATES} more` : "");
  const issues: ConfigIssue[] = [];
  const reported = new Set<string>();
  /** The kept flags and their values, as shell words. */
  const words: string[] = [];
  for (const k of kept) {
    const flag = `--${k.name}`;
    let message: string;
    if (k.spec.type === "boolean") {
      message = `npm kept this flag for itself (${k.variable}=${k.written}) and did not pass it on`;
      words.push(k.value === undefined ? flag : shellWord(`${flag}=${k.value}`));
    } else if (k.value !== undefined) {
      message = `npm kept this flag and its value ${quote(k.value)} for itself (${k.variable})`;
      words.push(flag, shellWord(k.value));
    } else {
      const paired = pairing?.get(k);
      if (paired) {
        message = `npm kept this flag for itself (${k.variable}=${k.written}) and passed on only its value ${quote(paired.value)}, as a bare argument`;
        words.push(flag, shellWord(paired.value));
      } else {
        message =
          positionals.length === 0
            ? `npm kept this flag for itself (${k.variable}=${k.written}) and no value reached ${cmd.name}`
            : `npm kept this flag for itself (${k.variable}=${k.written}); its value is one of the bare arguments ${candidates}`;
        // A placeholder, written as the usage line writes it.
        words.push(flag, k.spec.value ?? "VALUE");
      }
    }
    // A flag given twice the same way is one problem (a set: npm may have joined thousands of values).
    if (!reported.has(`${flag}\u0000${message}`)) issues.push({ path: flag, message });
    reported.add(`${flag}\u0000${message}`);
  }
  // What the command line gave after `--` stays, as written; the bare values paired above moved next to their flags.
  const rest = argv.filter((_, i) => !explained.has(i));
  const command = [script, "--", ...words, ...rest.map(shellWord)].join(" ");
  issues.push({
    path: "",
    message: pairing
      ? `flags go after \`--\` (npm keeps those written before it): ${command}`
      : positionals.length === 0
        ? `flags go after \`--\` (npm keeps those written before it): ${command}, each placeholder replaced by its value`
        : `flags go after \`--\` (npm keeps those written before it, and passes on their values in the order typed but not which flag each followed): ${command}, each placeholder replaced by the value typed after that flag`,
  });
  return { issues, explained };
}

/** Two flags that cannot be given together: named as a conflict. */
export function conflict(a: string, b: string, why: string): ConfigError {
  return new ConfigError([{ path: `${a} and ${b}`, message: `conflict: ${why}` }], "bad command line");
}

/** The old interface of bench.ts: strict parsing with the usage line in the error. */
export function parseFlags<T extends NonNullable<ParseArgsConfig["options"]>>(
  argv: string[],
  options: T,
  usage: string,
) {
  try {
    return parseArgs({ args: argv, options, strict: true, allowPositionals: false }).values;
  } catch (err) {
    throw new ConfigError([{ path: "", message: `${(err as Error).message}\nusage: ${usage}` }], "bad command line");
  }
}

// ---------------------------------------------------------------------------------------------------------------
// Stacks

export function checkStackName(name: string, where: string): string {
  if (!STACK_NAME.test(name) || name.includes("..") || name.length > 100) {
    throw new ConfigError(
      [
        {
          path: where,
          message: `${quote(name)} is not a stack name (letters, digits, '-', '_' and '.', starting with a letter or digit, no "..")`,
        },
      ],
      "bad command line",
    );
  }
  return name;
}

/** The stack a file is for: `Pulumi.<name>.yaml` (or `.yml`) names it. */
export function stackOfFile(file: string): string | undefined {
  const m = /^Pulumi\.(.+)\.ya?ml$/.exec(path.basename(file));
  return m ? m[1] : undefined;
}

/**
 * The stack to plan: --stack, else the name in a --config file named `Pulumi.<name>.yaml`, else `staging`. A
 * --config file with another name needs --stack: planning it as some default stack would misname every resource.
 */
export function stackFor(flags: { stack?: string; config?: string }): string {
  if (flags.stack !== undefined) return checkStackName(flags.stack, "--stack");
  if (flags.config === undefined) return "staging";
  const named = stackOfFile(flags.config);
  if (named === undefined) {
    throw new ConfigError(
      [
        {
          path: "--config",
          message: `cannot tell the stack from the file name ${quote(path.basename(flags.config))} (not Pulumi.<stack>.yaml): pass --stack NAME`,
        },
      ],
      "bad command line",
    );
  }
  return checkStackName(named, `--config ${path.basename(flags.config)}`);
}

// ---------------------------------------------------------------------------------------------------------------
// Reporting

const MAX_SHOWN = 300;

/**
 * Characters that change what a terminal or a log viewer shows rather than showing themselves: controls (C0, DEL,
 * C1: newlines, ANSI escapes), line and paragraph separators, and format characters (bidi embeddings, overrides and
 * isolates U+202A–U+202E, U+2066–U+2069, zero-width characters U+200B–U+200F, U+2060, the BOM U+FEFF, tag
 * characters), which can reorder a line or make two different names look alike; and lone surrogates.
 */
const UNPRINTABLE = /[\p{Cc}\p{Cf}\p{Cs}\p{Zl}\p{Zp}]/gu;

/** `text` with every unprintable character escaped (`\n`, `\u001b`, `\u202e`, `\u{e0041}`), nothing truncated. */
export function escapeUnprintable(text: string): string {
  return text.replace(UNPRINTABLE, (c) => {
    if (c === "\n") return "\\n";
    if (c === "\t") return "\\t";
    if (c === "\r") return "\\r";
    const code = c.codePointAt(0) ?? 0;
    return code > 0xffff ? `\\u{${code.toString(16)}}` : `\\u${code.toString(16).padStart(4, "0")}`;
  });
}

/**
 * A value or message made safe to print on one line: control, bidi and invisible characters (newlines above all)
 * escaped, so a config value can never print extra `error:` lines or disguise itself, and long text truncated.
 */
export function oneLine(text: string): string {
  const escaped = escapeUnprintable(text);
  return escaped.length > MAX_SHOWN
    ? `${escaped.slice(0, MAX_SHOWN)}… (${escaped.length - MAX_SHOWN} more characters)`
    : escaped;
}

/** A user's value in a message: quoted, on one line. */
export function quote(value: string): string {
  return `"${oneLine(value)}"`;
}

/** Prints every problem, one `error:` line each, on stderr, and returns the exit code to use. */
/** The most problems one report prints. */
export const MAX_REPORTED = 50;

export function reportFailure(err: unknown, io: Pick<Io, "stderr"> = processIo()): number {
  const issues = configIssuesOf(err);
  if (issues) {
    const heading = err instanceof ConfigError ? err.message.split("\n")[0] : "invalid stack config:";
    // A config of thousands of mistakes: the first ones, and how many more (fixing those usually shows the rest).
    const shown = issues.slice(0, MAX_REPORTED).map((i) => `error: ${oneLine(formatIssue(i))}`);
    if (issues.length > MAX_REPORTED)
      shown.push(`error: and ${issues.length - MAX_REPORTED} more problems: fix these first`);
    io.stderr(`${oneLine(heading)}\n${shown.join("\n")}\n`);
    return EXIT_BAD_INPUT;
  }
  io.stderr(`${err instanceof Error ? (err.stack ?? err.message) : String(err)}\n`);
  return 1;
}

/** Runs a command body; a thrown error becomes its report and exit code. */
export async function guarded(io: Io, body: () => Promise<number>): Promise<number> {
  try {
    return await body();
  } catch (err) {
    return reportFailure(err, io);
  }
}

/** Runs a script's main function and exits with its code once stdout has drained. */
export function runMain(main: () => Promise<number>): void {
  void main()
    .catch((err: unknown) => reportFailure(err))
    .then((code) => {
      process.exitCode = code;
    });
}

/** Whether `filename` is the script node was started with (not a module a test imported). */
export function isEntry(filename: string): boolean {
  const entry = process.argv[1];
  return entry !== undefined && path.resolve(entry) === filename;
}

/** Runs `main` on the real process when `filename` is the script node was started with (not when imported). */
export function runIfEntry(filename: string, main: Main): void {
  if (isEntry(filename)) runMain(() => main(process.argv.slice(2), processIo()));
}

/** The `--now` of the tools: the date a plan or check is made for. The stack itself only ever uses the real time. */
/** An ISO-8601 date or date-time; without a zone it is read as UTC (what a naive `isoformat()` prints). */
export function parseInstant(value: string, what: string): Date {
  const match = ISO_INSTANT.exec(value);
  const text = match && match[1] && !match[4] ? `${value}Z` : value;
  const ms = match && isRealInstant(text) ? Date.parse(text) : NaN;
  if (Number.isNaN(ms)) {
    throw new ConfigError(
      [
        {
          path: what,
          message: `"${value}" is not an ISO-8601 date or date-time (e.g. 2026-11-26 or 2026-11-26T09:00:00Z)`,
        },
      ],
      what.startsWith("--") ? "bad command line" : "invalid environment",
    );
  }
  return new Date(ms);
}
