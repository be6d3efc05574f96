/** The whole program (the real index.ts) under the mock runtime, through the offline plan's runner. */
import * as fs from "fs";
import * as os from "os";
import * as path from "path";
import { stringify } from "yaml";
import { beforeEach, describe, expect, it, vi } from "vitest";
import { ConfigError } from "../components/domain/errors";
import { type OfflinePlan, type PlannedResource, runOffline } from "../tools/plan/offline";

const ROOT = path.join(__dirname, "..");
const NOW = new Date("2026-11-26T12:00:00Z");

// runOffline imports index.ts; each run needs a fresh module graph so the program runs again.
beforeEach(() => {
  vi.resetModules();
});

function byType(result: OfflinePlan, type: string): PlannedResource[] {
  return result.resources.filter((r) => r.type === type);
}

function writeStackFile(config: Record<string, unknown>): string {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), "plakar-iam-"));
  const file = path.join(dir, "Pulumi.test.yaml");
  const namespaced = Object.fromEntries(Object.entries(config).map(([k, v]) => [`plakar-scaleway-iam:${k}`, v]));
  fs.writeFileSync(file, stringify({ config: namespaced }));
  return file;
}

type Outputs = Record<string, Record<string, Record<string, unknown>>>;

describe("example stacks", () => {
  for (const stack of ["staging", "prod"]) {
    it(`${stack}: one application, policy and key per credential, keys after their policy`, async () => {
      const result = await runOffline({ root: ROOT, stack, now: NOW });
      const credentials = result.resolved.credentials;
      expect(credentials.length).toBeGreaterThanOrEqual(3);
      const useCases = new Set(credentials.map((c) => c.resolved.useCase));
      for (const needed of ["inventory", "secret-provider", "object-storage"]) expect(useCases).toContain(needed);

      expect(byType(result, "scaleway:iam/application:Application")).toHaveLength(credentials.length);
      expect(byType(result, "scaleway:iam/policy:Policy")).toHaveLength(credentials.length);
      for (const key of byType(result, "scaleway:iam/apiKey:ApiKey")) {
        const credential = key.name.replace(/-key.*$/, "");
        const policy = result.resources.find((r) => r.name === `${credential}-policy`);
        expect(key.dependsOn, key.name).toContain(policy?.urn);
        expect(key.parent).toContain(`::${credential}`);
        expect(key.protect).toBe(false);
      }
      const expectProtected = stack === "prod";
      for (const r of [
        ...byType(result, "scaleway:iam/application:Application"),
        ...byType(result, "scaleway:iam/policy:Policy"),
      ]) {
        expect(r.protect, r.name).toBe(expectProtected);
      }
    });
  }

  it("the two environments share no project", async () => {
    const staging = await runOffline({ root: ROOT, stack: "staging", now: NOW });
    vi.resetModules();
    const prod = await runOffline({ root: ROOT, stack: "prod", now: NOW });
    const ids = (r: OfflinePlan) =>
      new Set(
        r.resolved.credentials.flatMap((c) =>
          c.resolved.projects === "*" ? [] : c.resolved.projects.map((p) => p.id),
        ),
      );
    const shared = [...ids(staging)].filter((id) => ids(prod).has(id));
    expect(ids(staging).size).toBeGreaterThan(0);
    expect(shared).toEqual([]);
  });

  it("exports per credential IDs, keys, scope and Plakar fields, with the secret key secret", async () => {
    const result = await runOffline({ root: ROOT, stack: "staging", now: NOW });
    const outputs = result.outputs as Outputs;
    const inventory = outputs.credentials.inventory;
    const app = result.resources.find((r) => r.name === "inventory-app");
    const policy = result.resources.find((r) => r.name === "inventory-policy");
    expect(inventory.applicationId).toBe(app?.id);
    expect(inventory.policyId).toBe(policy?.id);
    expect(inventory.accessKey).toMatch(/^SCW[0-9A-Z]{17}$/);
    expect(inventory.secretKey).toBe("[secret]");
    expect(inventory.current).toMatchObject({
      secretKey: "[secret]",
      accessKey: inventory.accessKey,
      expiresAt: inventory.expiresAt,
    });
    expect(inventory.permissionSets).toEqual(["AllProductsReadOnly"]);
    expect(inventory.preferredProjectId).toBeNull();
    expect(outputs.credentials.buckets.preferredProjectId).toBe(
      (outputs.credentials.buckets.projectIds as string[])[0],
    );
    expect((inventory.plakar as { fields: unknown[] }).fields).toHaveLength(4);
    // No other output is secret: a whole-object secret would hide what the user needs to see.
    const secretPaths: string[] = [];
    const walk = (v: unknown, p: string) => {
      if (v === "[secret]") secretPaths.push(p);
      else if (v && typeof v === "object") for (const [k, x] of Object.entries(v)) walk(x, `${p}.${k}`);
    };
    walk(outputs, "");
    expect(secretPaths.every((p) => p.endsWith(".secretKey"))).toBe(true);
    expect(secretPaths.length).toBeGreaterThanOrEqual(2 * result.resolved.credentials.length);
  });
});

describe("config errors", () => {
  it("stop the program before any resource is registered", async () => {
    const file = writeStackFile({
      organizationId: "5b0a1c2d-3e4f-4a5b-8c6d-7e8f9a0b1c2d",
      projects: { apps: "0c1d2e3f-4a5b-4c6d-8e7f-8a9b0c1d2e3f" },
      credentials: {
        good: { preset: "inventory", projects: ["apps"] },
        bad: { preset: "object-storage", projects: ["apps", "ops"] },
      },
    });
    const err = await runOffline({ root: ROOT, configFile: file, now: NOW }).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(ConfigError);
    expect((err as ConfigError).issues).toEqual([expect.objectContaining({ path: "credentials.bad.projects[1]" })]);
    // Recorded registrations would have included the stack and "good"'s resources.
    const { getMonitor } = await import("@pulumi/pulumi/runtime");
    const resources = (getMonitor() as unknown as { resources: Map<string, unknown> }).resources;
    expect([...resources.keys()].filter((urn) => !urn.includes("pulumi:pulumi:Stack"))).toEqual([]);
  });

  it("a custom config through --config, all projects, custom sets", async () => {
    const file = writeStackFile({
      organizationId: "5b0a1c2d-3e4f-4a5b-8c6d-7e8f9a0b1c2d",
      projects: { apps: "0c1d2e3f-4a5b-4c6d-8e7f-8a9b0c1d2e3f", backups: "1d2e3f4a-5b6c-4d7e-9f8a-9b0c1d2e3f4a" },
      allowAllProjects: true,
      apiKeys: { expiresAt: "2027-06-30T00:00:00Z" },
      credentials: {
        everywhere: { preset: "inventory", projects: "*" },
        reports: {
          permissionSets: ["ObjectStorageObjectsRead"],
          projects: ["backups"],
          preferredProject: "backups",
          expiresAt: "2027-03-01T00:00:00Z",
          description: "Nightly report export",
        },
      },
    });
    const result = await runOffline({ root: ROOT, configFile: file, now: NOW });
    const policy = result.resources.find((r) => r.name === "everywhere-policy");
    expect((policy?.inputs as { rules: unknown }).rules).toEqual([
      { organizationId: "5b0a1c2d-3e4f-4a5b-8c6d-7e8f9a0b1c2d", permissionSetNames: ["AllProductsReadOnly"] },
    ]);
    const key = result.resources.find((r) => r.name === "reports-key");
    expect(key?.inputs).toMatchObject({
      expiresAt: "2027-03-01T00:00:00Z",
      defaultProjectId: "1d2e3f4a-5b6c-4d7e-9f8a-9b0c1d2e3f4a",
      description: "Plakar custom for stack staging: Nightly report export",
    });
    expect((result.outputs as Outputs).credentials.everywhere.projectIds).toBe("*");
  });
});

describe("the outputs' project lists", () => {
  it("list a credential's projects by ID, as its rules do, whatever the aliases' order", async () => {
    // By alias, "data" comes before "web"; by ID, web's comes first.
    const web = "2e3f4a5b-6c7d-4e8f-8a9b-0c1d2e3f4a5b";
    const data = "3f4a5b6c-7d8e-4f9a-9b0c-1d2e3f4a5b6c";
    const file = writeStackFile({
      organizationId: "5b0a1c2d-3e4f-4a5b-8c6d-7e8f9a0b1c2d",
      projects: { web, data },
      credentials: { inventory: { preset: "inventory", projects: ["data", "web"] } },
    });
    const result = await runOffline({ root: ROOT, configFile: file, now: NOW });
    const inventory = (result.outputs as Outputs).credentials.inventory;
    expect(inventory.projectIds).toEqual([web, data]);
    expect(inventory.rules).toEqual([{ projectIds: [web, data], permissionSets: ["AllProductsReadOnly"] }]);
  });
});

describe("stack files", () => {
  it("leave other namespaces' encrypted values alone (the offline plan cannot and need not read them)", async () => {
    const file = writeStackFile({
      organizationId: "5b0a1c2d-3e4f-4a5b-8c6d-7e8f9a0b1c2d",
      projects: { apps: "0c1d2e3f-4a5b-4c6d-8e7f-8a9b0c1d2e3f" },
      credentials: { inventory: { preset: "inventory", projects: ["apps"] } },
    });
    fs.appendFileSync(file, "  scaleway:secretKey:\n    secure: v1:AAAAencrypted\n");
    const result = await runOffline({ root: ROOT, configFile: file, now: NOW });
    expect(result.resolved.credentials.map((c) => c.key)).toEqual(["inventory"]);
  });
});
