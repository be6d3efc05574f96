/**
 * The offline plan: runs the real index.ts under Pulumi's mock runtime and prints what would be created, as a table
 * per credential, a Markdown access report, or the JSON of every registration. Needs no credentials.
 */
import * as path from "path";
import { type CommandSpec, conflict, FLAGS, guarded, helpText, type Io, parseCommandLine, quote } from "../cli";
import { runIfEntry, stackFor, userPath } from "../cli";
import { parseInstant } from "../cli";
import { ConfigError } from "../../components/domain/errors";
import { IAM_TYPES } from "../../components/domain/constants";
import { type OfflinePlan, runOffline } from "./offline";
import { renderJson, renderMarkdown, renderTable } from "./render";

const FORMATS = ["table", "json", "markdown"] as const;
type Format = (typeof FORMATS)[number];

export const PLAN: CommandSpec = {
  name: "plan",
  summary:
    "Runs the stack program offline (Pulumi's mock runtime: no engine, no Scaleway API, no credentials) and prints what `pulumi up` would create: per credential its application, policy, rules, keys, tags and what to type into Plakar.",
  flags: {
    stack: FLAGS.stack,
    config: FLAGS.config,
    now: FLAGS.now,
    format: {
      type: "string",
      value: "table|json|markdown",
      help: "table: one block per credential (default); json: every resource registration and the stack outputs; markdown: the access report for a pull request.",
    },
    json: { ...FLAGS.json, help: `${FLAGS.json.help.slice(0, -1)} (the same as --format json).` },
    help: FLAGS.help,
  },
  exitCodes: [
    [0, "planned"],
    [1, "an internal error (a bug: please report it)"],
    [2, "bad input: flags, stack file or config (one `error:` line per problem)"],
  ],
  examples: [
    "npm run --silent plan -- --stack prod",
    "npm run --silent plan -- --config ../Pulumi.prod.yaml --format markdown",
    "npm run --silent plan -- --stack staging --json --now 2026-11-26",
  ],
};

function formatOf(flags: { json?: boolean; format?: string }): Format {
  if (flags.json && flags.format !== undefined && flags.format !== "json") {
    throw conflict("--json", `--format ${flags.format}`, "--json is --format json: give one of the two");
  }
  const format = flags.json ? "json" : (flags.format ?? "table");
  if (!(FORMATS as readonly string[]).includes(format)) {
    throw new ConfigError(
      [{ path: "--format", message: `${quote(format)} is not one of ${FORMATS.join(", ")}` }],
      "bad command line",
    );
  }
  return format as Format;
}

/** Every planned expiry must fit RFC 3339's four-digit year (`--now 9999-12-01` plus a key's lifetime does not). */
function checkExpiryYears(result: OfflinePlan, nowFlag: string | undefined): void {
  const beyond = result.resources.filter((r) => {
    const expiresAt = (r.inputs as { expiresAt?: unknown }).expiresAt;
    return (
      (IAM_TYPES.apiKey as readonly string[]).includes(r.type) &&
      typeof expiresAt === "string" &&
      !/^\d{4}-/.test(expiresAt)
    );
  });
  if (beyond.length > 0) {
    throw new ConfigError(
      [
        {
          path: nowFlag === undefined ? "now" : "--now",
          message: `keys planned at ${result.now} would expire after the year 9999: plan for an earlier date`,
        },
      ],
      "bad command line",
    );
  }
}

export async function main(argv: readonly string[], io: Io): Promise<number> {
  return guarded(io, async () => {
    const flags = parseCommandLine(argv, PLAN) as {
      stack?: string;
      config?: string;
      now?: string;
      format?: string;
      json?: boolean;
      help?: boolean;
    };
    if (flags.help) {
      io.stdout(helpText(PLAN));
      return 0;
    }
    const format = formatOf(flags);
    const stack = stackFor(flags);
    const now = flags.now !== undefined ? parseInstant(flags.now, "--now") : new Date();
    const result = await runOffline({
      root: path.join(__dirname, "..", ".."),
      stack,
      configFile: flags.config === undefined ? undefined : userPath(flags.config, io.cwd),
      now,
    });
    checkExpiryYears(result, flags.now);
    io.stdout(
      format === "json"
        ? renderJson(result)
        : format === "markdown"
          ? renderMarkdown(result.resolved)
          : renderTable(result),
    );
    return 0;
  });
}

runIfEntry(__filename, main);
