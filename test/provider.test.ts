/**
 * A construct call as the engine makes it for a Python, Go, C# or YAML program using the component package: plain
 * inputs in, the component's outputs (every output of the schema) back, the secret key a secret.
 */
import * as pulumi from "@pulumi/pulumi";
import { describe, expect, it } from "vitest";
import { PlakarComponentProvider } from "../components/provider";
import { ROOT } from "./support/arbitraries";
import { APPS, ORG } from "./support/config";

const TOKEN = "plakar-scaleway-iam:index:PlakarCredential";
// The outputs the schema declares (test/schema.test.ts checks the schema itself).
const OUTPUTS = [
  "accessKey",
  "applicationId",
  "delivery",
  "expiresAt",
  "keys",
  "plakar",
  "policyId",
  "previousSecretKey",
  "secretKey",
];

describe("a construct call from another language", () => {
  it("builds the component from plain inputs and returns its outputs, the secret key a secret", async () => {
    await pulumi.runtime.setMocks(
      {
        newResource: (args) => ({
          id: `${args.name}-id`,
          state:
            args.type === "scaleway:iam/apiKey:ApiKey"
              ? { ...args.inputs, accessKey: "SCW-CONSTRUCT", secretKey: "construct-secret" }
              : args.inputs,
        }),
        call: (args) => {
          throw new Error(`unexpected invoke ${args.token}`);
        },
      },
      "python-program",
      "dev",
      false,
    );
    const provider = new PlakarComponentProvider(ROOT);
    const result = await provider.construct(
      "from-python",
      TOKEN,
      { organizationId: ORG, projectIds: [APPS], preset: "inventory" },
      {},
    );
    const state = result.state as Record<string, pulumi.Output<unknown>>;
    // Every output of the schema, in the state the engine gets back (an undelivered credential has no delivery).
    expect(Object.keys(state).sort()).toEqual(OUTPUTS);
    expect(state.delivery).toBeUndefined();
    const accessKey = await new Promise((r) => state.accessKey.apply(r));
    expect(accessKey).toBe("SCW-CONSTRUCT");
    expect(await pulumi.isSecret(state.secretKey)).toBe(true);
    const urn = await new Promise((r) => (result.urn as pulumi.Output<string>).apply(r));
    expect(urn).toMatch(/plakar-scaleway-iam:index:PlakarCredential::from-python$/);
  });
});
