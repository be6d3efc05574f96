/**
 * The offline plan: `npm run --silent plan -- [--stack NAME] [--config FILE] [--now ISO-8601] [--json]
 * [--format table|json|markdown]`. Runs the real index.ts under Pulumi's mock runtime; needs no credentials.
 */
import * as path from "path";
import { parseFlags, runMain, userPath } from "./cli";
import { parseInstant } from "./clock";
import { ConfigError } from "../domain/errors";
import { runOffline } from "./offline";
import { renderJson, renderMarkdown, renderTable } from "./render";

const USAGE =
  "npm run --silent plan -- [--stack NAME] [--config FILE] [--now ISO-8601] [--json] [--format table|json|markdown]";
const FORMATS = ["table", "json", "markdown"] as const;

async function main(): Promise<number> {
  const flags = parseFlags(
    process.argv.slice(2),
    {
      stack: { type: "string" },
      config: { type: "string" },
      now: { type: "string" },
      json: { type: "boolean" },
      format: { type: "string" },
      help: { type: "boolean", short: "h" },
    },
    USAGE,
  );
  if (flags.help) {
    process.stdout.write(`usage: ${USAGE}\n`);
    return 0;
  }
  const format = flags.json ? "json" : (flags.format ?? "table");
  if (!(FORMATS as readonly string[]).includes(format) || (flags.json && flags.format && flags.format !== "json")) {
    throw new ConfigError(
      [{ path: "--format", message: `must be one of ${FORMATS.join(", ")} (--json is --format json)` }],
      "bad command line",
    );
  }
  if (flags.stack !== undefined && !/^[A-Za-z0-9_.-]+$/.test(flags.stack)) {
    throw new ConfigError(
      [{ path: "--stack", message: `"${flags.stack}" is not a stack name (letters, digits, '-', '_', '.')` }],
      "bad command line",
    );
  }
  const now = flags.now !== undefined ? parseInstant(flags.now, "--now") : new Date();
  const result = await runOffline({
    root: path.join(__dirname, ".."),
    stack: flags.stack,
    configFile: flags.config === undefined ? undefined : userPath(flags.config),
    now,
  });
  const out =
    format === "json"
      ? renderJson(result)
      : format === "markdown"
        ? renderMarkdown(result.resolved)
        : renderTable(result);
  process.stdout.write(out);
  return 0;
}

runMain(main);
