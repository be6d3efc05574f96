/** The examples, planned by the offline runner: another team's TypeScript program, and a Pulumi YAML program. */
import * as path from "path";
import { beforeEach, describe, expect, it, vi } from "vitest";
import { type OfflinePlan, type PlannedResource, runOffline } from "../tools/plan/offline";
import { yamlProgram } from "../tools/plan/yamlProgram";
import { ROOT } from "./support/arbitraries";
import { oncePerFile } from "./support/offline";

const NOW = new Date("2026-12-20T00:00:00Z");
const EXAMPLES = path.join(ROOT, "examples");

function named(plan: OfflinePlan, type: string, name: string): PlannedResource {
  const hit = plan.resources.find((r) => r.type === type && r.name === name);
  if (!hit) throw new Error(`no ${type} ${name} in ${plan.resources.map((r) => r.name).join(", ")}`);
  return hit;
}

describe("examples/typescript: projects created by the program, their IDs passed as Outputs", () => {
  let plan: OfflinePlan;
  beforeEach(
    oncePerFile(async () => {
      plan = await runOffline({
        root: path.join(EXAMPLES, "typescript"),
        stack: "dev",
        now: NOW,
        program: async () => {
          // A module runs once per import: a fresh one declares its resources again (oncePerFile may rerun this).
          vi.resetModules();
          const { default: _default, ...outputs } = (await import("../examples/typescript/index")) as Record<
            string,
            unknown
          >;
          return outputs;
        },
      });
    }),
  );

  it("plans two credentials whose rules and preferred projects are the created projects' IDs", () => {
    const data = named(plan, "scaleway:account/project:Project", "data");
    const backups = named(plan, "scaleway:account/project:Project", "backups");
    const source = named(plan, "scaleway:iam/policy:Policy", "source-policy").inputs as { rules: unknown };
    expect(source.rules).toEqual([
      { projectIds: [data.id], permissionSetNames: ["ObjectStorageBucketsRead", "ObjectStorageObjectsRead"] },
    ]);
    const store = named(plan, "scaleway:iam/policy:Policy", "store-policy").inputs as {
      rules: { projectIds: string[] }[];
    };
    expect(store.rules[0].projectIds).toEqual([backups.id]);
    const keys = plan.resources.filter((r) => r.type === "scaleway:iam/apiKey:ApiKey");
    expect(keys.map((k) => (k.inputs as { defaultProjectId?: string }).defaultProjectId).sort()).toEqual(
      [data.id, backups.id, ...(keys.length === 3 ? [backups.id] : [])].sort(),
    );
  });

  it("gives the source read-only sets and the store Plakar's list, each its bucket's project as preferred", () => {
    const backups = named(plan, "scaleway:account/project:Project", "backups");
    expect(plan.outputs.storeAccess).toMatchObject({
      useCase: "object-storage",
      preferredProjectId: backups.id,
      permissionSets: expect.arrayContaining(["ObjectStorageObjectsDelete"]) as unknown as string[],
    });
    expect(named(plan, "plakar-scaleway-iam:index:ObjectStorageCredential", "source").name).toBe("source");
  });

  it("protects the store's application and policy, never its keys, and keeps secret keys secret", () => {
    expect(named(plan, "scaleway:iam/application:Application", "store-app").protect).toBe(true);
    expect(named(plan, "scaleway:iam/policy:Policy", "store-policy").protect).toBe(true);
    expect(named(plan, "scaleway:iam/application:Application", "source-app").protect).toBe(false);
    for (const key of plan.resources.filter((r) => r.name.startsWith("store-key"))) expect(key.protect).toBe(false);
    expect(plan.outputs.storeSecretKey).toBe("[secret]");
    expect(plan.outputs.sourceSecretKey).toBe("[secret]");
    expect(typeof plan.outputs.storeAccessKey).toBe("string");
  });
});

describe("examples/yaml: the component package from Pulumi YAML", () => {
  let plan: OfflinePlan;
  beforeEach(
    oncePerFile(async () => {
      const dir = path.join(EXAMPLES, "yaml");
      plan = await runOffline({ root: dir, stack: "dev", now: NOW, program: yamlProgram(dir) });
    }),
  );

  it("plans both credentials on the project the program creates", () => {
    const vault = named(plan, "scaleway:account/project:Project", "vault");
    for (const name of ["inventory", "secrets"]) {
      const policy = named(plan, "scaleway:iam/policy:Policy", `${name}-policy`).inputs as {
        rules: { projectIds: string[] }[];
      };
      expect(policy.rules[0].projectIds).toEqual([vault.id]);
    }
    // Each credential is its use case's class.
    expect(named(plan, "plakar-scaleway-iam:index:SecretProviderCredential", "secrets").parent).toMatch(/Stack::/);
    expect(named(plan, "plakar-scaleway-iam:index:InventoryCredential", "inventory").parent).toMatch(/Stack::/);
    // rotation { 30, 7 } from YAML: 30-day generations from 2024-01-01; on 2026-12-20 the one of 2026-12-16 and, for 7
    // days, the one before.
    const secretKeys = plan.resources.filter((r) => r.name.startsWith("secrets-key-")).map((r) => r.name);
    expect(secretKeys.sort()).toEqual(["secrets-key-2026-11-16", "secrets-key-2026-12-16"]);
  });

  it("honours options.protect and exports the outputs, secrets as secrets", () => {
    expect(named(plan, "scaleway:iam/policy:Policy", "secrets-policy").protect).toBe(true);
    expect(named(plan, "scaleway:iam/policy:Policy", "inventory-policy").protect).toBe(false);
    expect(plan.outputs.inventorySecretKey).toBe("[secret]");
    expect(plan.outputs.secretsSecretKey).toBe("[secret]");
    expect((plan.outputs.plakar as { integration: string }).integration).toBe("Scaleway inventory");
  });
});
