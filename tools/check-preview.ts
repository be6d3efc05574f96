/**
 * `npm run --silent check-preview -- [--stack NAME] [--file FILE|-]`
 *
 * Reads the output of `pulumi preview --json --show-sames` and exits 1, one line per finding, when `pulumi up` would
 * delete or replace a protected resource or leave a credential that stays without any API key; 0 otherwise; 2 on
 * bad input or flags. The command is in previewCheck.ts, the rules in preview.ts.
 */
import { checkPreview } from "./previewCheck";

void checkPreview(process.argv.slice(2)).then((code) => {
  process.exitCode = code;
});
