/**
 * `npm run --silent check-preview -- [--stack NAME] [--file FILE|-]` (`--help` for the flags and exit codes)
 *
 * Reads the output of `pulumi preview --json --show-sames` and exits 1, one line per finding, when `pulumi up` would
 * delete or replace a protected resource or leave a credential that stays without any API key; 0 otherwise; 2 on
 * bad input or flags. The command is in previewCheck.ts, the rules in preview.ts.
 */
import { isEntry, runMain } from "./cli";
import { checkPreview, processIo } from "./previewCheck";

/** The command, as tests run it in-process; the entry runs it on the real process. */
export const main = checkPreview;

if (isEntry(__filename)) runMain(() => main(process.argv.slice(2), processIo));
