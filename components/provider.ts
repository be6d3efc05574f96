/**
 * The component provider other languages talk to: Pulumi's own ComponentProvider (it infers the schema from
 * PlakarCredential's TypeScript args and outputs, and constructs the component), plus what its inference cannot
 * say: which outputs are secrets.
 */
import * as path from "path";
import { ComponentProvider } from "@pulumi/pulumi/provider/experimental";
import { PlakarCredential } from "./credential";

export const PACKAGE_NAME = "plakar-scaleway-iam";

/** Outputs that always carry a Pulumi secret. */
const SECRET_OUTPUTS: Record<string, readonly string[]> = {
  PlakarCredential: ["secretKey", "previousSecretKey"],
};

interface Schema {
  resources?: Record<string, { properties?: Record<string, { secret?: boolean }> }>;
}

export class PlakarComponentProvider extends ComponentProvider {
  constructor(root = path.join(__dirname, "..")) {
    super({ name: PACKAGE_NAME, dirname: root, components: [PlakarCredential] });
  }

  async getSchema(): Promise<string> {
    const schema = JSON.parse(await super.getSchema()) as Schema;
    for (const [component, outputs] of Object.entries(SECRET_OUTPUTS)) {
      const properties = schema.resources?.[`${PACKAGE_NAME}:index:${component}`]?.properties ?? {};
      for (const output of outputs) if (properties[output]) properties[output].secret = true;
    }
    return JSON.stringify(schema);
  }
}
