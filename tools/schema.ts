/**
 * `npm run --silent schema`: prints the Pulumi package schema this package serves as a component provider, what
 * `pulumi package get-schema <this directory>` would print (see packageSchema.ts).
 */
import { runMain } from "./cli";
import { packageSchema } from "./packageSchema";

runMain(async () => {
  process.stdout.write(`${JSON.stringify(await packageSchema(), null, 2)}\n`);
  return 0;
});
