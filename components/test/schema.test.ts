/**
 * The component package as other languages see it: the schema Pulumi's own ComponentProvider infers from the
 * package, built the way its plugin runner builds it (support/engine.ts), which `pulumi package add` generates SDKs
 * from. A construct call is in provider.test.ts.
 */
import { beforeEach, describe, expect, it } from "vitest";
import { COMPONENT_TYPES } from "../domain/constants";
import { pluginProvider } from "./support/engine";
import { oncePerFile } from "./support/fixtures";

interface Property {
  type?: string;
  $ref?: string;
  plain?: boolean;
  items?: Property;
  description?: string;
}
interface Resource {
  isComponent: boolean;
  description?: string;
  inputProperties: Record<string, Property>;
  requiredInputs: string[];
  properties: Record<string, Property>;
}
interface Schema {
  name: string;
  resources: Record<string, Resource>;
  types: Record<string, { properties: Record<string, Property> }>;
}

let schema: Schema;
beforeEach(
  oncePerFile(async () => {
    schema = JSON.parse(await (await pluginProvider()).getSchema()) as Schema;
  }),
  60_000,
);

const COMMON = [
  "organizationId",
  "projectIds",
  "allProjects",
  "rotation",
  "expiresAt",
  "maxLifetimeDays",
  "name",
  "description",
  "tags",
  "retire",
  "adopt",
];
const INPUTS: Record<keyof typeof COMPONENT_TYPES, string[]> = {
  PlakarCredential: [
    ...COMMON,
    "delivery",
    "preset",
    "permissionSets",
    "rules",
    "preferredProjectId",
    "stagingProjectId",
    "region",
  ],
  SecretProviderCredential: [...COMMON, "region"],
  InventoryCredential: [...COMMON, "delivery"],
  ObjectStorageCredential: [...COMMON, "delivery", "readOnly", "preferredProjectId"],
  InstanceBackupCredential: [...COMMON, "delivery", "stagingProjectId", "preferredProjectId"],
  BlockStorageBackupCredential: [...COMMON, "delivery", "stagingProjectId", "preferredProjectId"],
  SecretManagerBackupCredential: [...COMMON, "delivery", "region"],
};
const OUTPUTS = [
  "accessKey",
  "access",
  "applicationId",
  "expiresAt",
  "keys",
  "plakar",
  "policyId",
  "previousSecretKey",
  "secretKey",
];

describe("the package schema", () => {
  it("serves the seven component classes under stable tokens, each described", () => {
    expect(schema.name).toBe("plakar-scaleway-iam");
    expect(Object.keys(schema.resources).sort()).toEqual(Object.values(COMPONENT_TYPES).sort());
    for (const [token, r] of Object.entries(schema.resources)) {
      expect(r.isComponent, token).toBe(true);
      expect(r.description, token).toMatch(/\w{3}/);
    }
  });

  it.each(Object.entries(INPUTS))(
    "%s takes its own arguments, organizationId required, each described",
    (cls, names) => {
      const r = schema.resources[COMPONENT_TYPES[cls as keyof typeof COMPONENT_TYPES]];
      expect(Object.keys(r.inputProperties).sort()).toEqual([...names].sort());
      expect(r.requiredInputs).toEqual(["organizationId"]);
      for (const [name, p] of Object.entries(r.inputProperties)) expect(p.description, `${cls}.${name}`).toBeTruthy();
    },
  );

  it("marks plain only what decides which resources exist: rotation, retire and adopt", () => {
    for (const [token, r] of Object.entries(schema.resources)) {
      const plain = Object.entries(r.inputProperties)
        .filter(([, p]) => p.plain)
        .map(([n]) => n)
        .sort();
      expect(plain, token).toEqual(["adopt", "retire", "rotation"]);
    }
    const general = schema.resources[COMPONENT_TYPES.PlakarCredential].inputProperties;
    // Another language's program may pass these as Outputs: a whole delivery, a whole list of rules.
    expect(general.delivery).toMatchObject({ $ref: "#/types/plakar-scaleway-iam:index:DeliveryArgs" });
    expect(general.rules).toMatchObject({
      type: "array",
      items: { $ref: "#/types/plakar-scaleway-iam:index:RuleArgs" },
    });
    expect(Object.keys(schema.types["plakar-scaleway-iam:index:RuleArgs"].properties).sort()).toEqual(
      ["allProjects", "part", "permissionSets", "preset", "projectIds"].sort(),
    );
    expect(schema.types["plakar-scaleway-iam:index:DeliveryArgs"].properties.projectId.type).toBe("string");
  });

  it("outputs the credential as the component built it, each output described", () => {
    for (const [token, r] of Object.entries(schema.resources)) {
      const expected = token === COMPONENT_TYPES.SecretProviderCredential ? OUTPUTS : [...OUTPUTS, "delivery"];
      expect(Object.keys(r.properties).sort(), token).toEqual(expected.sort());
      for (const [name, p] of Object.entries(r.properties)) expect(p.description, `${token}.${name}`).toBeTruthy();
    }
    const access = schema.types["plakar-scaleway-iam:index:CredentialAccess"].properties;
    expect(Object.keys(access).sort()).toEqual(
      ["allProjects", "permissionSets", "preferredProjectId", "projectIds", "rules", "useCase"].sort(),
    );
    expect(access.rules).toMatchObject({
      type: "array",
      items: { $ref: "#/types/plakar-scaleway-iam:index:PolicyRule" },
    });
  });
});
