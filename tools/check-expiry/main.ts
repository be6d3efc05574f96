/**
 * check-expiry: judges every API key of a stack from its outputs (`pulumi stack output --json`, piped in or given
 * with --outputs), or from the offline plan when --offline asks for it explicitly. It never passes by accident: no
 * input is an error, not a healthy offline plan; outputs of another stack are an error; so is any malformed input.
 *
 * Which stack the outputs belong to: the offline plan's JSON names it (`stack`), and then it must equal --stack.
 * `pulumi stack output --json` does not name its stack: the outputs are taken to be the stack --stack names, which
 * is why CI writes both from one variable (`pulumi stack output --json --stack "$STACK" | ... --stack "$STACK"`).
 */
import * as path from "path";
import {
  type CommandSpec,
  conflict,
  escapeUnprintable,
  FLAGS,
  guarded,
  helpText,
  type Io,
  MAX_INPUT_BYTES,
  quote,
} from "../cli";
import { checkStackName, parseCommandLine, readInputFile, runIfEntry, stackFor, userPath } from "../cli";
import { parseInstant } from "../cli";
import { ConfigError } from "../../components/domain/errors";
import { assessExpiry, renderExpiryTable } from "./expiry";
import { runOffline } from "../plan/offline";

/** A non-negative decimal number of days, as --within takes it. */
const DECIMAL_DAYS = /^\d+(\.\d+)?$/;

export const CHECK_EXPIRY: CommandSpec = {
  name: "check-expiry",
  summary:
    "Fails when an API key in use expires within the window, has expired, or has no expiry. Reads stack outputs (`pulumi stack output --json`) from standard input or --outputs; --offline checks the offline plan instead.",
  flags: {
    stack: {
      ...FLAGS.stack,
      help: "The stack the outputs are from: must equal the `stack` the input names (the offline plan's JSON does; `pulumi stack output --json` does not, so it is taken as given). With --offline: the stack to plan.",
    },
    within: {
      type: "string",
      value: "DAYS",
      pattern: DECIMAL_DAYS,
      help: "Fail when a key in use expires within DAYS days: a non-negative decimal number (14, 0.5). Default: 14.",
    },
    outputs: {
      type: "string",
      value: "FILE",
      help: "Read the outputs from FILE (`-` for standard input) instead of standard input.",
    },
    offline: {
      type: "boolean",
      help: "Check the offline plan of the stack (no input read): what a fresh `pulumi up` would create, not what is deployed.",
    },
    config: { ...FLAGS.config, help: `With --offline: ${FLAGS.config.help}` },
    now: FLAGS.now,
    json: FLAGS.json,
    help: FLAGS.help,
  },
  exitCodes: [
    [0, "every key in use is valid for longer than the window"],
    [1, "a key in use expires within the window, has expired, or has no expiry"],
    [2, "bad input: flags, no input, malformed outputs, outputs of another stack (one `error:` line per problem)"],
  ],
  examples: [
    "pulumi stack output --json --stack prod | npm run --silent check-expiry -- --stack prod --within 14",
    "npm run --silent check-expiry -- --stack prod --outputs outputs.json",
    "npm run --silent check-expiry -- --offline --stack staging --now 2026-11-26",
  ],
};

const DEFAULT_WITHIN_DAYS = 14;
/** Ten years: a larger window is a typo. */
const MAX_WITHIN_DAYS = 3650;

function badFlag(flag: string, message: string): ConfigError {
  return new ConfigError([{ path: flag, message }], "bad command line");
}

/** A non-negative decimal number of days: `14`, `0.5`; never "", `0x10`, `1e1`, `-3`, ` 7`. */
export function parseWithin(text: string | undefined): number {
  if (text === undefined) return DEFAULT_WITHIN_DAYS;
  const days = DECIMAL_DAYS.test(text) ? Number(text) : NaN;
  if (!(days >= 0 && days <= MAX_WITHIN_DAYS)) {
    throw badFlag(
      "--within",
      `${quote(text)} is not a number of days: write a non-negative decimal number (e.g. 14 or 0.5), at most ${MAX_WITHIN_DAYS}`,
    );
  }
  return days;
}

/** npm prints `> plakar-scaleway-iam@0.2.0 plan` before a script's output unless run with --silent. */
const NPM_BANNER = /^\s*> \S+@\S+ \S+/;

function parseOutputs(text: string, source: string): unknown {
  if (text.trim() === "") {
    throw new ConfigError(
      [{ path: source, message: "is empty: expected the output of `pulumi stack output --json`" }],
      "malformed stack outputs",
    );
  }
  try {
    return JSON.parse(text);
  } catch {
    // JSON.parse's message quotes the input, which may hold a secret: say only what is wrong.
    const hint = NPM_BANNER.test(text)
      ? ": it starts like npm's banner (`> name@version script`): run npm with --silent (npm run --silent plan -- --json)"
      : ": expected the output of `pulumi stack output --json`";
    throw new ConfigError([{ path: source, message: `is not valid JSON${hint}` }], "malformed stack outputs");
  }
}

/** The stack a document names: the offline plan's JSON has `stack`; `pulumi stack output --json` has none. */
function stackNamedBy(doc: unknown): string | undefined {
  if (!doc || typeof doc !== "object" || Array.isArray(doc) || !Object.hasOwn(doc, "stack")) return undefined;
  const stack = (doc as { stack: unknown }).stack;
  if (typeof stack !== "string") {
    throw new ConfigError([{ path: "stack", message: "must be the name of a stack" }], "malformed stack outputs");
  }
  return stack;
}

interface Input {
  readonly outputs: unknown;
  /** Where the outputs come from, for the report. */
  readonly source: string;
  readonly stack: string | undefined;
}

async function readInput(flags: { [k: string]: string | boolean | undefined }, io: Io, now: Date): Promise<Input> {
  const stackFlag = typeof flags.stack === "string" ? checkStackName(flags.stack, "--stack") : undefined;
  if (flags.offline) {
    if (flags.outputs !== undefined)
      throw conflict(
        "--offline",
        "--outputs",
        "--offline plans the stack instead of reading outputs: give one of the two",
      );
    // Outputs piped into a check that would not read them: the step meant to check them, not the offline plan.
    const piped = await io.stdin();
    if (piped !== undefined && piped.trim() !== "") {
      throw conflict("--offline", "standard input", "--offline checks the offline plan, not the outputs piped in");
    }
    const stack = stackFor({ stack: stackFlag, config: flags.config as string | undefined });
    const configFile = typeof flags.config === "string" ? userPath(flags.config, io.cwd) : undefined;
    const result = await runOffline({ root: path.join(__dirname, "..", ".."), stack, configFile, now });
    return { outputs: result.outputs, source: `offline plan of stack ${stack}`, stack };
  }
  if (flags.config !== undefined) throw conflict("--config", "outputs", "--config is read only with --offline");
  let text: string | undefined;
  let source: string;
  if (typeof flags.outputs === "string" && flags.outputs !== "-") {
    source = flags.outputs;
    text = readInputFile(userPath(flags.outputs, io.cwd), MAX_INPUT_BYTES);
  } else {
    source = "standard input";
    text = await io.stdin();
    if (text === undefined) {
      throw new ConfigError(
        [
          {
            path: "standard input",
            message:
              flags.outputs === "-"
                ? "carries nothing (a terminal or /dev/null): pipe `pulumi stack output --json` into check-expiry"
                : "no outputs to check: pipe `pulumi stack output --json` into check-expiry, pass --outputs FILE, or --offline to check the offline plan",
          },
        ],
        "no input",
      );
    }
  }
  const outputs = parseOutputs(text, source);
  const named = stackNamedBy(outputs);
  if (named !== undefined && stackFlag !== undefined && named !== stackFlag) {
    throw new ConfigError(
      [{ path: "--stack", message: `is ${stackFlag}, but ${source} holds the outputs of stack ${quote(named)}` }],
      "outputs of another stack",
    );
  }
  return { outputs, source, stack: stackFlag ?? named };
}

/**
 * JSON text safe on a terminal: JSON.stringify escapes C0 controls but prints DEL, C1 controls, bidi overrides,
 * zero-width characters and U+2028/U+2029 as they are. These can only sit inside strings, where `\uXXXX` means the
 * same character, so the document still parses to the same value.
 */
export function terminalJson(value: unknown): string {
  return JSON.stringify(value, null, 2).replace(/[\u007f-\u009f\p{Cf}\p{Zl}\p{Zp}]/gu, (c) =>
    Array.from({ length: c.length }, (_, i) => `\\u${c.charCodeAt(i).toString(16).padStart(4, "0")}`).join(""),
  );
}

export async function main(argv: readonly string[], io: Io): Promise<number> {
  return guarded(io, async () => {
    const flags = parseCommandLine(argv, CHECK_EXPIRY);
    if (flags.help) {
      io.stdout(helpText(CHECK_EXPIRY));
      return 0;
    }
    const within = parseWithin(flags.within as string | undefined);
    const now = typeof flags.now === "string" ? parseInstant(flags.now, "--now") : new Date();
    const input = await readInput(flags, io, now);
    const report = assessExpiry(input.outputs, now, within);
    if (flags.json) {
      io.stdout(terminalJson({ stack: input.stack ?? null, source: input.source, ...report }) + "\n");
    } else {
      // The stack may be the one the outputs name, and the source is a path: both escaped like every shown value.
      const which = input.stack
        ? `stack ${escapeUnprintable(input.stack)}`
        : "an unnamed stack (pass --stack to name it)";
      io.stdout(`Keys of ${which} (from ${escapeUnprintable(input.source)}):\n\n${renderExpiryTable(report)}`);
    }
    return report.ok ? 0 : 1;
  });
}

runIfEntry(__filename, main);
