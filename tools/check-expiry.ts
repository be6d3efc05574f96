/**
 * `npm run --silent check-expiry -- [--stack NAME] [--within DAYS] [--outputs FILE] [--json] [--now ISO-8601]`
 *
 * Reads deployed stack outputs (`pulumi stack output --json`) from --outputs FILE (or `-`), or from standard input
 * when it is a pipe or a file (never falling back when that input is empty), else computes them with the offline
 * plan (standard input a terminal or /dev/null). Exit 0: all keys fine; 1: a key in use expires
 * within DAYS (default 14), has expired, or has no expiry; 2: bad input.
 */
import * as fs from "fs";
import * as path from "path";
import { parseFlags, runMain, userPath } from "./cli";
import { parseInstant } from "./clock";
import { ConfigError } from "../domain/errors";
import { assessExpiry, renderExpiryTable } from "./expiry";
import { runOffline } from "./offline";

const USAGE =
  "npm run --silent check-expiry -- [--stack NAME] [--within DAYS] [--outputs FILE|-] [--json] [--now ISO-8601]";

function parseOutputs(text: string, source: string): unknown {
  try {
    return JSON.parse(text);
  } catch {
    // JSON.parse's message quotes the input, which may hold a secret: say only what is wrong.
    throw new ConfigError(
      [{ path: source, message: "not valid JSON: expected the output of `pulumi stack output --json`" }],
      "malformed stack outputs",
    );
  }
}

/** Standard input carries outputs when it is a pipe or a file; a terminal or /dev/null means "none given". */
function stdinCarriesInput(): boolean {
  try {
    const stat = fs.fstatSync(0);
    return stat.isFIFO() || stat.isFile() || stat.isSocket();
  } catch {
    return false;
  }
}

/**
 * Reads all of standard input. Asynchronously: once the Pulumi SDK is loaded, stdin is non-blocking and a
 * synchronous read of a pipe whose writer is still busy (`pulumi stack output` takes a while) fails with EAGAIN.
 */
async function readStdin(): Promise<string> {
  const chunks: Buffer[] = [];
  for await (const chunk of process.stdin) chunks.push(typeof chunk === "string" ? Buffer.from(chunk) : chunk);
  return Buffer.concat(chunks).toString("utf8");
}

async function main(): Promise<number> {
  const flags = parseFlags(
    process.argv.slice(2),
    {
      stack: { type: "string" },
      within: { type: "string" },
      outputs: { type: "string" },
      json: { type: "boolean" },
      now: { type: "string" },
    },
    USAGE,
  );
  const within = flags.within === undefined ? 14 : Number(flags.within);
  if (!Number.isInteger(within) || within < 0) {
    throw new ConfigError(
      [{ path: "--within", message: `"${flags.within}" must be a whole number of days (0 or more)` }],
      "bad command line",
    );
  }
  const now = flags.now !== undefined ? parseInstant(flags.now, "--now") : new Date();

  let outputs: unknown;
  let source: string;
  if (flags.outputs !== undefined && flags.outputs !== "-") {
    source = flags.outputs;
    const file = userPath(flags.outputs);
    if (!fs.existsSync(file)) {
      throw new ConfigError([{ path: "--outputs", message: `no such file: ${file}` }], "bad command line");
    }
    outputs = parseOutputs(fs.readFileSync(file, "utf8"), "--outputs");
  } else if (flags.outputs === "-" || stdinCarriesInput()) {
    // Piped input is never replaced by the offline plan: an empty pipe (a failed `pulumi stack output`) is an error.
    source = "standard input";
    const text = await readStdin();
    if (text.trim() === "") {
      throw new ConfigError(
        [{ path: "standard input", message: "is empty: expected the output of `pulumi stack output --json`" }],
        "malformed stack outputs",
      );
    }
    outputs = parseOutputs(text, "standard input");
  } else {
    source = `offline plan of stack ${flags.stack ?? "staging"}`;
    outputs = (await runOffline({ root: path.join(__dirname, ".."), stack: flags.stack, now })).outputs;
  }

  const report = assessExpiry(outputs, now, within);
  if (flags.json) {
    process.stdout.write(JSON.stringify({ source, ...report }, null, 2) + "\n");
  } else {
    process.stdout.write(
      `Keys of ${flags.stack ? `stack ${flags.stack}` : "the stack"} (from ${source}):\n\n${renderExpiryTable(report)}`,
    );
  }
  return report.ok ? 0 : 1;
}

runMain(main);
