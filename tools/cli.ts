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
}

/** The flags, each defined once, so a flag means the same thing in every command. */
export const FLAGS = {
  stack: {
    type: "string",
    value: "NAME",
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

/**
 * Parses a command line against a command's flags. Refuses, with every problem at once: unknown flags (with the
 * closest known one), a flag given twice, a string flag without its value (or followed by another flag), a value on
 * a boolean flag, and positional arguments.
 */
export function parseCommandLine(argv: readonly string[], cmd: CommandSpec): FlagValues {
  const options: NonNullable<ParseArgsConfig["options"]> = {};
  for (const [name, spec] of Object.entries(cmd.flags)) {
    options[name] = spec.short ? { type: spec.type, short: spec.short } : { type: spec.type };
  }
  const { tokens } = parseArgs({ args: [...argv], options, strict: false, allowPositionals: true, tokens: true });
  const known = Object.keys(cmd.flags).map((n) => `--${n}`);
  const issues: ConfigIssue[] = [];
  const values: FlagValues = {};
  let afterUnknown = false;
  for (const token of tokens) {
    const skip = afterUnknown;
    afterUnknown = false;
    if (token.kind === "positional") {
      // The value of a mistyped flag (`--output x`): the unknown flag is the one problem to report.
      if (skip) continue;
      issues.push({ path: token.value, message: "unexpected argument: every input is given with a flag" });
      continue;
    }
    if (token.kind !== "option") continue;
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
  if (issues.length > 0) throw badCommandLine(issues, cmd);
  return values;
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

/** Pulumi's stack names: letters, digits, `-`, `_`, `.`; never a path (`.`, `..`, a leading dot). */
const STACK_NAME = /^[A-Za-z0-9][A-Za-z0-9_.-]*$/;

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
export function reportFailure(err: unknown, io: Pick<Io, "stderr"> = processIo()): number {
  const issues = configIssuesOf(err);
  if (issues) {
    const heading = err instanceof ConfigError ? err.message.split("\n")[0] : "invalid stack config:";
    io.stderr(`${oneLine(heading)}\n${issues.map((i) => `error: ${oneLine(formatIssue(i))}`).join("\n")}\n`);
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
  const match = /^\d{4}-\d{2}-\d{2}(T\d{2}:\d{2}(:\d{2}(\.\d+)?)?(Z|[+-]\d{2}:\d{2})?)?$/.exec(value);
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
