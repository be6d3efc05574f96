/**
 * The components as another language's program gets them: a construct call as the engine makes it, through
 * @pulumi/pulumi's own deserializer and the ComponentProvider its plugin runner builds (test/support/engine.ts).
 * Inputs arrive as a Python or YAML program sends them: a top-level property with dependencies and no output values
 * becomes one Output (a whole `delivery`, a whole `projectIds` list); output values, secrets and unknowns too.
 */
import * as pulumi from "@pulumi/pulumi";
import { MockMonitor } from "@pulumi/pulumi/runtime/mocks";
import * as rpc from "@pulumi/pulumi/runtime/rpc";
import { afterEach, beforeEach, describe, expect, it, vi } from "vitest";
import { COMPONENT_TYPES } from "../domain/constants";
import { constructAsEngine, deserializedInputs, wire } from "./support/engine";
import { APPS, BACKUPS, ORG } from "./support/fixtures";

const VAULT_URN = "urn:pulumi:dev::python-program::scaleway:account/project:Project::vault";
const NOW = new Date("2026-12-20T00:00:00Z");
vi.useFakeTimers({ now: NOW, toFake: ["Date"] });

interface Registration {
  type: string;
  name: string;
  dependencies: string[];
  inputs: Record<string, unknown>;
}

let registered: Registration[];

async function mocks(preview: boolean): Promise<void> {
  await pulumi.runtime.setMocks(
    {
      newResource: (args) => ({
        id: preview ? undefined : `${args.name}-id`,
        state:
          args.type === "scaleway:iam/apiKey:ApiKey"
            ? { ...args.inputs, accessKey: `SCW-${args.name}`, secretKey: `secret-of-${args.name}` }
            : args.inputs,
      }),
      call: (args) => {
        throw new Error(`unexpected invoke ${args.token}`);
      },
    },
    "python-program",
    "dev",
    preview,
  );
  registered = [];
  const register = MockMonitor.prototype.registerResource;
  vi.spyOn(MockMonitor.prototype, "registerResource").mockImplementation(function (this: MockMonitor, req, cb) {
    const r = req as unknown as {
      getType(): string;
      getName(): string;
      getDependenciesList(): string[];
      getObject(): { toJavaScript(): Record<string, unknown> } | undefined;
    };
    registered.push({
      type: r.getType(),
      name: r.getName(),
      dependencies: r.getDependenciesList(),
      inputs: r.getObject()?.toJavaScript() ?? {},
    });
    return register.call(this, req, cb);
  });
}

afterEach(() => vi.restoreAllMocks());

const byName = (name: string) => {
  const found = registered.find((r) => r.name === name);
  if (!found) throw new Error(`${name} was not registered (registered: ${registered.map((r) => r.name).join(", ")})`);
  return found;
};
const isSecretValue = (value: unknown) =>
  typeof value === "object" &&
  value !== null &&
  (value as Record<string, unknown>)[rpc.specialSigKey] === rpc.specialSecretSig;

describe("inputs as a Python program sends them", () => {
  beforeEach(() => mocks(false));

  it("a delivery and a project list that depend on another resource arrive as whole Outputs", async () => {
    const args = await deserializedInputs(
      { organizationId: ORG, projectIds: [APPS], delivery: { projectId: BACKUPS } },
      { projectIds: [VAULT_URN], delivery: [VAULT_URN] },
    );
    // Pulumi's own deserializer, not ours: this is the shape the components must take.
    expect(pulumi.Output.isInstance(args.delivery)).toBe(true);
    expect(pulumi.Output.isInstance(args.projectIds)).toBe(true);
    expect(pulumi.Output.isInstance(args.organizationId)).toBe(false);
  });

  it("builds every child from them, each depending only on the arguments it reads", async () => {
    const result = await constructAsEngine(
      COMPONENT_TYPES.InventoryCredential,
      "inventory",
      {
        organizationId: ORG,
        projectIds: [APPS],
        delivery: { projectId: BACKUPS, region: "nl-ams" },
        rotation: { rotateEveryDays: 30, overlapDays: 7 },
      },
      { projectIds: [VAULT_URN], delivery: [VAULT_URN] },
    );
    expect(result.urn).toMatch(/plakar-scaleway-iam:index:InventoryCredential::inventory$/);
    const app = byName("inventory-app");
    expect(app.inputs).toMatchObject({ name: "plakar-dev-inventory", organizationId: ORG });
    expect(app.dependencies).not.toContain(VAULT_URN);
    const policy = byName("inventory-policy");
    expect(policy.inputs.rules).toEqual([{ projectIds: [APPS], permissionSetNames: ["AllProductsReadOnly"] }]);
    expect(policy.dependencies).toContain(VAULT_URN);
    const secret = byName("inventory-delivery-secret");
    expect(secret.inputs).toMatchObject({ projectId: BACKUPS, region: "nl-ams", path: "/plakar/dev" });
    expect(secret.dependencies).toContain(VAULT_URN);
    // Keys are named from the plain rotation, one per generation: on 2026-12-20 the generation of 2026-12-16 is
    // current and the previous one's overlap (7 days after 2026-12-16) is not over.
    const keys = registered.filter((r) => r.type === "scaleway:iam/apiKey:ApiKey");
    expect(keys.map((k) => k.name).sort()).toEqual(["inventory-key-2026-11-16", "inventory-key-2026-12-16"]);
    expect(byName("inventory-key-2026-12-16").inputs.expiresAt).toBe("2027-01-22T00:00:00Z");
    expect(byName("inventory-key-2026-11-16").inputs.expiresAt).toBe("2026-12-23T00:00:00Z");
  });

  it("returns every output the schema declares, the secret key as a secret", async () => {
    const { state } = await constructAsEngine(COMPONENT_TYPES.ObjectStorageCredential, "buckets", {
      organizationId: ORG,
      projectIds: [BACKUPS],
      readOnly: true,
    });
    // Every output of the schema but the delivery (none here); during the overlap, the previous key's secret too.
    expect(Object.keys(state).sort()).toEqual(
      [
        "accessKey",
        "access",
        "applicationId",
        "expiresAt",
        "keys",
        "plakar",
        "policyId",
        "previousSecretKey",
        "secretKey",
      ].sort(),
    );
    expect(isSecretValue(state.secretKey)).toBe(true);
    expect(isSecretValue(state.previousSecretKey)).toBe(true);
    // The secret keys travel only inside their secret wrappers, which the engine encrypts.
    const { secretKey: _s, previousSecretKey: _p, ...rest } = state;
    expect(JSON.stringify(rest)).not.toContain("secret-of-");
    expect(state.access).toMatchObject({
      useCase: "object-storage-source",
      permissionSets: ["ObjectStorageBucketsRead", "ObjectStorageObjectsRead"],
      preferredProjectId: BACKUPS,
    });
  });

  it("takes a whole rules list with a preset part, and refuses an unknown argument by its args.<path>", async () => {
    await constructAsEngine(
      COMPONENT_TYPES.PlakarCredential,
      "custom",
      { organizationId: ORG, rules: [{ projectIds: [APPS], preset: "instance-backup", part: "projects" }] },
      { rules: [VAULT_URN] },
    );
    expect(byName("custom-policy").inputs.rules).toEqual([
      { projectIds: [APPS], permissionSetNames: ["BlockStorageFullAccess", "InstancesFullAccess"] },
    ]);
    await expect(
      constructAsEngine(COMPONENT_TYPES.InventoryCredential, "typo", { organizationId: ORG, projectId: [APPS] }),
    ).rejects.toThrow(/args\.projectId: unknown argument \(did you mean "projectIds"\?\)/);
  });

  it("refuses a bad value inside an Output once it resolves, once, and registers nothing of the credential", async () => {
    // What fails is the children's registrations: Pulumi's runner reports each distinct error once (run.ts dedupes
    // by identity). Vitest would report each rejection: take them for this test.
    const vitestListeners = process.listeners("unhandledRejection");
    const rejections = new Set<unknown>();
    process.removeAllListeners("unhandledRejection");
    process.on("unhandledRejection", (err) => rejections.add(err));
    const refused = constructAsEngine(
      COMPONENT_TYPES.InventoryCredential,
      "bad",
      { organizationId: ORG, projectIds: [APPS], delivery: { projectId: BACKUPS, region: "us-east" } },
      { delivery: [VAULT_URN] },
    );
    try {
      await expect(refused).rejects.toThrow(/args\.delivery\.region: must be a Secret Manager region/);
      await new Promise((r) => setTimeout(r, 200));
    } finally {
      process.removeAllListeners("unhandledRejection");
      for (const listener of vitestListeners) process.on("unhandledRejection", listener);
    }
    // One refusal: the construct call's and every child's are the same error, so it is printed once.
    const error = await refused.catch((err: unknown) => err);
    expect([...rejections].every((r) => r === error)).toBe(true);
    expect((error as Error).message).toBe(
      'invalid arguments for InventoryCredential "bad":\n  args.delivery.region: must be a Secret Manager region: "fr-par", "nl-ams" or "pl-waw"',
    );
    expect(registered.filter((r) => r.name.startsWith("bad-")).map((r) => r.name)).toEqual([]);
  });
});

describe("output values, secrets and unknowns, in a preview", () => {
  beforeEach(() => mocks(true));

  it("shows what is known, keeps secrets secret, and leaves only what depends on the unknown unknown", async () => {
    await constructAsEngine(COMPONENT_TYPES.ObjectStorageCredential, "buckets", {
      organizationId: ORG,
      projectIds: [wire.output(undefined, [VAULT_URN])],
      preferredProjectId: wire.output(undefined, [VAULT_URN]),
      tags: wire.secret(["team=data"]),
      description: wire.output("Nightly store", [VAULT_URN]),
      delivery: { projectId: wire.output(BACKUPS, [VAULT_URN], true) },
    });
    const app = byName("buckets-app");
    // The application reads no project: its name and description are values a preview shows.
    expect(app.inputs.name).toBe("plakar-dev-buckets");
    expect(app.inputs.description).toBe("Plakar object-storage for stack dev: Nightly store");
    expect(isSecretValue(app.inputs.tags)).toBe(true);
    expect(app.dependencies).toContain(VAULT_URN);
    // The policy's rules wait for the unknown project.
    expect(byName("buckets-policy").inputs.rules).toBe(rpc.unknownValue);
    // Which keys exist never waits: the rotation is plain.
    expect(registered.some((r) => r.name === "buckets-key-2026-12-16")).toBe(true);
    // The delivered secret's project came as a secret output value: it stays a secret.
    expect(isSecretValue(byName("buckets-delivery-secret").inputs.projectId)).toBe(true);
  });
});
