/**
 * Preflight: read-only checks of the stack's plan against the live Scaleway organization (see preflightMain.ts).
 * `npm run --silent preflight -- [--stack NAME] [--config FILE] [--json] [--deployer APPLICATION_ID] [--update-catalog]`
 * (`--help` for the flags and exit codes)
 */
import * as path from "path";
import { isEntry, processIo, runMain } from "./cli";
import { main } from "./preflightMain";

export { main };

if (isEntry(__filename)) {
  runMain(() => main(process.argv.slice(2), process.env, { ...processIo(), root: path.join(__dirname, "..") }));
}
