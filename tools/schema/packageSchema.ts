/**
 * The Pulumi package schema this package serves as a component provider: what `pulumi package get-schema <this
 * directory>` prints. It asks the very provider the plugin entry (components/plugin.ts) serves, so the schema cannot
 * drift from what other languages' SDKs are generated from.
 */
import * as path from "path";
import { PlakarComponentProvider } from "../../components/provider";

export async function packageSchema(
  root = path.join(__dirname, "..", "..", "components"),
): Promise<Record<string, unknown>> {
  return JSON.parse(await new PlakarComponentProvider(root).getSchema()) as Record<string, unknown>;
}
