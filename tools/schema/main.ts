/**
 * `npm run --silent schema`: prints the Pulumi package schema this package serves as a component provider, what
 * `pulumi package get-schema <this directory>` would print (see packageSchema.ts). Its only flag is `--help`, parsed
 * by the shared machinery of cli.ts like every command's.
 */
import { type CommandSpec, FLAGS, guarded, helpText, type Io, parseCommandLine, runIfEntry } from "../cli";
import { packageSchema } from "./packageSchema";

export const SCHEMA: CommandSpec = {
  name: "schema",
  summary:
    "Prints, as JSON on standard output, the Pulumi package schema this package serves as a component provider: what `pulumi package get-schema <this directory>` prints, and what other languages' SDKs are generated from.",
  flags: { help: FLAGS.help },
  exitCodes: [
    [0, "printed"],
    [1, "an internal error (a bug: please report it)"],
    [2, "bad input: an argument or a flag other than --help (one `error:` line per problem)"],
  ],
  examples: ["npm run --silent schema > schema.json"],
};

export async function main(argv: readonly string[], io: Io): Promise<number> {
  return guarded(io, async () => {
    const flags = parseCommandLine(argv, SCHEMA);
    if (flags.help) {
      io.stdout(helpText(SCHEMA));
      return 0;
    }
    io.stdout(`${JSON.stringify(await packageSchema(), null, 2)}\n`);
    return 0;
  });
}

runIfEntry(__filename, main);
