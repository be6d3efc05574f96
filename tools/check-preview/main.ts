/**
 * The command line of check-preview: `[--stack NAME] [--file FILE|-] [--now ISO-8601]`, parsed by the shared
 * machinery of tools/cli.ts (`--help`, the closest known flag for a typo, bad flags as `error:` lines; `--now` read
 * by `parseInstant`, as check-expiry and plan read it).
 *
 * Reads the output of `pulumi preview --json --show-sames` (from --file, or standard input when it is a pipe or a
 * file) and refuses what `pulumi up` must not do unattended, judged at the time of the update (--now, else the real
 * clock). Exit 0: nothing refused; 1: one line per finding (a live API key revoked, an import- or read-replacement, a
 * protected resource deleted, a credential that stays losing every API key, a step it cannot judge); 2: bad input,
 * one line on stderr, among them a preview whose diagnostics report an error (the engine refused something, e.g.
 * deleting a protected resource; bad flags: one `error:` line each, as in every command). See ./preview.ts for the
 * format, the rules and the Pulumi sources they rest on.
 */
import * as fs from "fs";
import {
  parseCommandLine,
  checkStackName,
  type CommandSpec,
  EXIT_BAD_INPUT,
  FLAGS,
  helpText,
  parseInstant,
  stdinCarriesInput,
} from "../cli";
import { isoSeconds } from "../../components/domain/rotation";
import { isEntry, reportFailure, runMain, userPath } from "../cli";
import { EXPIRY_MARGIN_MS, parsePreview, PreviewInputError, previewFindings } from "./preview";

/** Far above any real preview of this stack; stops a mistaken `--file /dev/zero` from eating memory. */
export const MAX_PREVIEW_BYTES = 64 * 1024 * 1024;
const EXIT_FINDINGS = 1;

const MARGIN_HOURS = EXPIRY_MARGIN_MS / 3_600_000;

export const CHECK_PREVIEW: CommandSpec = {
  name: "check-preview",
  summary: `Reads the JSON of \`pulumi preview --json --show-sames\` (from --file, or standard input when it is a pipe or a file) and fails when \`pulumi up\` would revoke a live API key (delete or replace one that expires more than ${MARGIN_HOURS} hour${MARGIN_HOURS === 1 ? "" : "s"} after the update, or never, while its credential stays and is not retired, whatever else the update creates), replace a resource the stack manages by importing or reading another object (import- or read-replacement), delete a protected resource, delete every API key of a credential that stays, or run a step it does not know.`,
  flags: {
    stack: {
      ...FLAGS.stack,
      help: "The stack the preview must be of: a preview of another stack exits 2. Default: the stack the preview is of.",
    },
    file: {
      type: "string",
      value: "FILE|-",
      help: "Read the preview from FILE (`-` for standard input, at most 64 MiB) instead of standard input.",
    },
    now: {
      ...FLAGS.now,
      help: "The time of the update, which decides whether a key is still live, e.g. 2026-11-26T09:00:00Z (UTC when no zone is given). Default: the real time.",
    },
    help: FLAGS.help,
  },
  exitCodes: [
    [
      0,
      "nothing refused: no live API key revoked, nothing import- or read-replaced, no protected resource deleted, no credential left without a key",
    ],
    [
      1,
      "one line per finding on stdout: a live API key revoked (with its expiry and the cause the preview gives), an import- or read-replacement, a protected resource deleted, a credential losing every key, an unknown step",
    ],
    [
      2,
      "bad input: flags, no preview, not a complete preview's JSON, a preview that reports an error (such as the engine refusing to delete a protected resource), a preview of another stack (on stderr)",
    ],
  ],
  examples: [
    "pulumi preview --json --show-sames --stack prod | npm run --silent check-preview -- --stack prod",
    "npm run --silent check-preview -- --stack prod --file preview.json --now 2027-02-14T06:00:00Z",
  ],
};

/** One printable line: no newline or control character from a flag value reaches the terminal. */
function oneLine(text: string): string {
  // eslint-disable-next-line no-control-regex
  return text.replace(/[\u0000-\u001f\u007f-\u009f\u2028\u2029]+/g, " ").trim();
}

/** Reads a stream up to the cap, as bytes; refuses more. */
async function readCapped(stream: NodeJS.ReadableStream, source: string): Promise<Buffer> {
  const chunks: Buffer[] = [];
  let size = 0;
  for await (const chunk of stream) {
    const buf = typeof chunk === "string" ? Buffer.from(chunk) : (chunk as Buffer);
    size += buf.length;
    if (size > MAX_PREVIEW_BYTES) {
      throw new PreviewInputError(`${source}: larger than ${MAX_PREVIEW_BYTES / 1024 / 1024} MiB: not a preview`);
    }
    chunks.push(buf);
  }
  return Buffer.concat(chunks);
}

/** Where the command reads and writes: the process's own streams, or a test's. */
export interface PreviewCheckIo {
  readonly stdin: NodeJS.ReadableStream;
  /** True when stdin is a pipe, a file or a socket (a terminal or /dev/null gives no preview). */
  readonly stdinCarriesInput: () => boolean;
  readonly out: (text: string) => void;
  readonly err: (text: string) => void;
}

export const processIo: PreviewCheckIo = {
  // A getter: touching process.stdin opens it, which only the command itself should do.
  get stdin() {
    return process.stdin;
  },
  stdinCarriesInput,
  out: (text) => process.stdout.write(text),
  err: (text) => process.stderr.write(text),
};

async function readInput(file: string | undefined, io: PreviewCheckIo): Promise<{ bytes: Buffer; source: string }> {
  if (file !== undefined && file !== "-") {
    if (file === "") throw new PreviewInputError("--file: empty: pass the file `pulumi preview --json` wrote, or -");
    const resolved = userPath(file);
    let stat: fs.Stats;
    try {
      stat = fs.statSync(resolved);
    } catch {
      throw new PreviewInputError(`--file: no such file: pass the file \`pulumi preview --json\` wrote, or -`);
    }
    if (stat.isDirectory()) throw new PreviewInputError("--file: is a directory: pass the preview's JSON file");
    let stream: fs.ReadStream;
    try {
      stream = fs.createReadStream(resolved);
      return { bytes: await readCapped(stream, "--file"), source: "--file" };
    } catch (err) {
      if (err instanceof PreviewInputError) throw err;
      throw new PreviewInputError("--file: cannot be read: check its permissions");
    }
  }
  if (file === undefined && !io.stdinCarriesInput()) {
    throw new PreviewInputError(
      "no preview given: pipe `pulumi preview --json --show-sames` into check-preview, or pass --file FILE",
    );
  }
  return { bytes: await readCapped(io.stdin, "standard input"), source: "standard input" };
}

function decode(bytes: Buffer, source: string): string {
  let text: string;
  try {
    text = new TextDecoder("utf-8", { fatal: true }).decode(bytes);
  } catch {
    throw new PreviewInputError(`${source}: not UTF-8 text: expected the output of \`pulumi preview --json\``);
  }
  if (text.trim() === "") {
    throw new PreviewInputError(`${source}: empty: expected the output of \`pulumi preview --json\` (did it fail?)`);
  }
  return text;
}

/** Runs the check; returns the exit code and writes findings (stdout) or the one error line (stderr). */
export async function checkPreview(argv: readonly string[], io: PreviewCheckIo = processIo): Promise<number> {
  let values: { stack?: string; file?: string; now?: string; help?: boolean };
  let now: Date;
  try {
    // Parsed as every command parses: an unknown flag gets the closest known one, a flag given twice or without its
    // value is named (one `error:` line each), and --stack takes the names it takes everywhere.
    values = parseCommandLine(argv, CHECK_PREVIEW) as typeof values;
    if (values.stack !== undefined) checkStackName(values.stack, "--stack");
    now = values.now !== undefined ? parseInstant(values.now, "--now") : new Date();
  } catch (err) {
    return reportFailure(err, { stderr: io.err });
  }
  if (values.help) {
    io.out(helpText(CHECK_PREVIEW));
    return 0;
  }
  try {
    const { bytes, source } = await readInput(values.file, io);
    let preview;
    try {
      preview = parsePreview(decode(bytes, source));
    } catch (err) {
      if (err instanceof PreviewInputError && !err.message.startsWith(source)) {
        throw new PreviewInputError(`${source}: ${err.message}`);
      }
      throw err;
    }
    if (values.stack !== undefined && preview.stack !== values.stack) {
      throw new PreviewInputError(
        `--stack: the preview is of stack "${preview.stack}", not "${values.stack}": preview the stack you check`,
      );
    }
    const findings = previewFindings(preview, now);
    const where = `stack ${preview.stack}`;
    if (findings.length > 0) {
      io.out(findings.map((f) => `check-preview: ${where}: ${oneLine(f)}\n`).join(""));
      return EXIT_FINDINGS;
    }
    io.out(
      `check-preview: ${where}: ${preview.steps.length} steps judged at ${isoSeconds(now.getTime())}: no live API key revoked, nothing import- or read-replaced, no protected resource deleted, no credential left without a key\n`,
    );
    return 0;
  } catch (err) {
    // Anything else is a document this reader did not expect: still one clean line, never a stack trace.
    const message =
      err instanceof PreviewInputError ? err.message : "could not read the preview: expected `pulumi preview --json`";
    io.err(`check-preview: ${oneLine(message)}\n`);
    return EXIT_BAD_INPUT;
  }
}

/** The command, as tests run it in-process; the entry runs it on the real process. */
export const main = checkPreview;

if (isEntry(__filename)) runMain(() => main(process.argv.slice(2), processIo));
