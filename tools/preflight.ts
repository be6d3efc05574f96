/**
 * Preflight: read-only checks of the stack's plan against the live Scaleway organization (see preflightMain.ts).
 * `npm run --silent preflight -- [--stack NAME] [--config FILE] [--json] [--deployer APPLICATION_ID] [--update-catalog]`
 */
import * as path from "path";
import { main } from "./preflightMain";

void main(process.argv.slice(2), process.env, {
  stdout: (text) => process.stdout.write(text),
  stderr: (text) => process.stderr.write(text),
  root: path.join(__dirname, ".."),
  cwd: process.env.INIT_CWD ?? process.cwd(),
}).then((code) => {
  process.exitCode = code;
});
