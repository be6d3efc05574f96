/**
 * `npm run --silent check-expiry -- [--stack NAME] [--within DAYS] [--outputs FILE] [--json] [--now ISO-8601]`
 *
 * Reads deployed stack outputs (`pulumi stack output --json`) from --outputs FILE (or `-`), or from standard input
 * when it is piped, else computes them with the offline plan. Exit 0: all keys fine; 1: a key in use expires
 * within DAYS (default 14), has expired, or has no expiry; 2: bad input.
 */
import * as fs from "fs";
import * as path from "path";
import { parseFlags, runMain } from "../lib/cli";
import { parseInstant } from "../lib/clock";
import { ConfigError } from "../lib/errors";
import { assessExpiry, renderExpiryTable } from "../lib/expiry";
import { runOffline } from "../lib/offline";

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

function readStdin(): string {
  try {
    return fs.readFileSync(0, "utf8");
  } catch {
    return "";
  }
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
  if (flags.outputs !== undefined) {
    source = flags.outputs === "-" ? "standard input" : flags.outputs;
    if (flags.outputs !== "-" && !fs.existsSync(flags.outputs)) {
      throw new ConfigError([{ path: "--outputs", message: `no such file: ${flags.outputs}` }], "bad command line");
    }
    outputs = parseOutputs(fs.readFileSync(flags.outputs === "-" ? 0 : flags.outputs, "utf8"), "--outputs");
  } else {
    const piped = process.stdin.isTTY ? "" : readStdin();
    if (piped.trim() !== "") {
      source = "standard input";
      outputs = parseOutputs(piped, "standard input");
    } else {
      source = `offline plan of stack ${flags.stack ?? "staging"}`;
      outputs = (await runOffline({ root: path.join(__dirname, ".."), stack: flags.stack, now })).outputs;
    }
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
