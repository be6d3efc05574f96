/**
 * The Pulumi package schema of the component package: what `pulumi package get-schema components/` prints. It is
 * made the way Pulumi's plugin runner makes it (@pulumi/pulumi `cmd/run-plugin/run.js`): every ComponentResource the
 * package's entry exports (`getPulumiComponents`), served by Pulumi's own ComponentProvider, named from the package's
 * package.json, whose analyzer reads the TypeScript source.
 */
import * as fs from "fs";
import * as path from "path";
import { ComponentProvider, getPulumiComponents } from "@pulumi/pulumi/provider/experimental";

export const COMPONENTS_DIR = path.join(__dirname, "..", "..", "components");

/** The provider Pulumi's runner would build for the package in `dir`, whose entry module is `entry`. */
export function componentProvider(dir: string, entry: unknown): ComponentProvider {
  const manifest = JSON.parse(fs.readFileSync(path.join(dir, "package.json"), "utf8")) as { name: string };
  return new ComponentProvider({ name: manifest.name, dirname: dir, components: getPulumiComponents(entry) });
}

export async function packageSchema(dir = COMPONENTS_DIR): Promise<Record<string, unknown>> {
  const entry: unknown = await import("../../components/index");
  return JSON.parse(await componentProvider(dir, entry).getSchema()) as Record<string, unknown>;
}
