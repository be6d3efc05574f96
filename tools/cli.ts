/** Shared plumbing of the command-line scripts: flag parsing with clear errors, and exit codes. */
import * as path from "path";
import { parseArgs, type ParseArgsConfig } from "util";
import { ConfigError, configIssuesOf, formatIssue } from "../domain/errors";

/** A user's relative path means their directory, not the package root npm runs scripts from. */
export function userPath(file: string): string {
  return path.resolve(process.env.INIT_CWD ?? process.cwd(), file);
}

/** Exit code for bad input: config, presets or flags. */
export const EXIT_BAD_INPUT = 2;

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

/** Prints every config problem, one per line, on stderr, and returns the exit code to use. */
export function reportFailure(err: unknown): number {
  const issues = configIssuesOf(err);
  if (issues) {
    const heading = err instanceof ConfigError ? err.message.split("\n")[0] : "invalid stack config:";
    process.stderr.write(`${heading}\n${issues.map((i) => `error: ${formatIssue(i)}`).join("\n")}\n`);
    return EXIT_BAD_INPUT;
  }
  process.stderr.write(`${err instanceof Error ? (err.stack ?? err.message) : String(err)}\n`);
  return 1;
}

/** Runs a script's main function and exits with its code once stdout has drained. */
export function runMain(main: () => Promise<number>): void {
  void main()
    .catch(reportFailure)
    .then((code) => {
      process.exitCode = code;
    });
}
