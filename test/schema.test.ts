/**
 * The component package other languages use: the schema `npm run --silent schema` prints (what `pulumi package
 * get-schema` reads from the provider). A construct call is in provider.test.ts.
 */
import { spawnSync } from "child_process";
import * as path from "path";
import { beforeEach, describe, expect, it } from "vitest";
import { packageSchema } from "../tools/schema/packageSchema";
import { ROOT } from "./support/arbitraries";
import { oncePerFile } from "./support/offline";

const TOKEN = "plakar-scaleway-iam:index:PlakarCredential";

interface Property {
  type?: string;
  $ref?: string;
  plain?: boolean;
  secret?: boolean;
  items?: Property;
  description?: string;
}
interface Schema {
  name: string;
  resources: Record<
    string,
    {
      isComponent: boolean;
      inputProperties: Record<string, Property>;
      requiredInputs: string[];
      properties: Record<string, Property>;
    }
  >;
  types: Record<string, { properties: Record<string, Property> }>;
}

let schema: Schema;
beforeEach(
  oncePerFile(async () => {
    schema = (await packageSchema()) as unknown as Schema;
  }),
  60_000,
);

describe("the package schema", () => {
  it("serves one component, PlakarCredential, under a stable token", () => {
    expect(schema.name).toBe("plakar-scaleway-iam");
    expect(Object.keys(schema.resources)).toEqual([TOKEN]);
    expect(schema.resources[TOKEN].isComponent).toBe(true);
  });

  it("takes the documented inputs, organizationId required, each described", () => {
    const r = schema.resources[TOKEN];
    expect(Object.keys(r.inputProperties).sort()).toEqual(
      [
        "allProjects",
        "delivery",
        "description",
        "expiresAt",
        "maxLifetimeDays",
        "name",
        "organizationId",
        "permissionSets",
        "preferredProjectId",
        "preset",
        "projectIds",
        "region",
        "rotation",
        "tags",
        "rules",
        "retire",
        "adopt",
      ].sort(),
    );
    expect(r.requiredInputs).toEqual(["organizationId"]);
    expect(r.inputProperties.projectIds).toMatchObject({ type: "array", items: { type: "string" } });
    expect(r.inputProperties.projectIds.plain).toBeUndefined();
    // What decides which resources exist is plain: other languages must give it as a value, not an Output.
    expect(r.inputProperties.rotation).toMatchObject({
      $ref: "#/types/plakar-scaleway-iam:index:RotationArgs",
      plain: true,
    });
    expect(r.inputProperties.delivery.plain).toBe(true);
    expect(r.inputProperties.retire).toMatchObject({ type: "boolean", plain: true });
    expect(r.inputProperties.rules).toMatchObject({
      type: "array",
      items: { $ref: "#/types/plakar-scaleway-iam:index:RuleArgs" },
    });
    for (const [name, p] of Object.entries(r.inputProperties)) expect(p.description, name).toBeTruthy();
    expect(schema.types["plakar-scaleway-iam:index:DeliveryArgs"].properties.projectId.type).toBe("string");
  });

  it("marks the secret keys secret, and only them", () => {
    const props = schema.resources[TOKEN].properties;
    expect(props.secretKey).toMatchObject({ type: "string", secret: true });
    expect(props.previousSecretKey?.secret).toBe(true);
    const secret = Object.entries(props)
      .filter(([, p]) => p.secret)
      .map(([n]) => n)
      .sort();
    expect(secret).toEqual(["previousSecretKey", "secretKey"]);
    expect(Object.keys(props).sort()).toEqual(
      [
        "accessKey",
        "applicationId",
        "delivery",
        "expiresAt",
        "keys",
        "plakar",
        "policyId",
        "previousSecretKey",
        "secretKey",
      ].sort(),
    );
  });

  it("is what `npm run --silent schema` prints", () => {
    const run = spawnSync(process.execPath, [path.join(ROOT, "scripts", "run.js"), "schema"], {
      cwd: ROOT,
      encoding: "utf8",
    });
    expect(run.status, run.stderr).toBe(0);
    expect(JSON.parse(run.stdout)).toEqual(schema);
  }, 60_000);
});
