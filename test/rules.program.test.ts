/**
 * Several rules through the real program (index.ts and the credential components) under the mock runtime: the
 * policy each credential gets, the key's preferred project, and what Plakar's forms say in the stack outputs.
 */
import { beforeEach, describe, expect, it } from "vitest";
import type { OfflinePlan } from "../tools/plan/offline";
import { APPS, BACKUPS, ORG } from "./support/config";
import { freshOffline, oncePerFile, tempDir, writeStackFile } from "./support/offline";

const DATA = "2b3c4d5e-6f70-4a81-9b92-a3b4c5d6e7f8";
const VAULT = "4a5b6c7d-8e9f-4a0b-8c1d-2e3f4a5b6c7d";
const STAGING = [
  "ObjectStorageBucketsRead",
  "ObjectStorageBucketsWrite",
  "ObjectStorageObjectsRead",
  "ObjectStorageObjectsWrite",
];

let result: OfflinePlan;

beforeEach(
  oncePerFile(async () => {
    const file = writeStackFile(tempDir(), "Pulumi.staging.yaml", {
      organizationId: ORG,
      projects: { apps: APPS, backups: BACKUPS, data: DATA, vault: VAULT },
      secretManager: { project: "vault", region: "fr-par" },
      credentials: {
        secrets: { preset: "secret-provider", projects: ["vault"] },
        "vm-backup": { preset: "instance-backup", projects: ["apps"], stagingProject: "backups" },
        sync: {
          preset: "object-storage",
          rules: [
            { projects: ["data"], preset: "object-storage-source" },
            { projects: ["backups"], preset: "object-storage" },
          ],
          preferredProject: "backups",
        },
        vault: { preset: "secret-manager-backup", projects: ["data"], region: "nl-ams", deliver: "secret-manager" },
      },
    });
    result = await freshOffline({ stack: "staging", configFile: file, now: new Date("2026-11-27T00:00:00Z") });
  }),
);

function inputs(type: string, name: string): Record<string, unknown> {
  const hit = result.resources.find((r) => r.type === type && r.name === name);
  if (!hit) throw new Error(`no ${type} ${name}`);
  return hit.inputs as Record<string, unknown>;
}

describe("rules through the program", () => {
  it("an instance backup with a staging project: Instances and Block Storage on apps, Object Storage on backups", () => {
    expect(inputs("scaleway:iam/policy:Policy", "vm-backup-policy").rules).toEqual([
      { projectIds: [APPS], permissionSetNames: ["BlockStorageFullAccess", "InstancesFullAccess"] },
      { projectIds: [BACKUPS], permissionSetNames: STAGING },
    ]);
    const key = result.resources.find(
      (r) => r.type === "scaleway:iam/apiKey:ApiKey" && r.name.startsWith("vm-backup-key"),
    );
    expect((key?.inputs as { defaultProjectId?: string }).defaultProjectId).toBe(BACKUPS);
  });

  it("a source read-only and a store read-write, in one policy", () => {
    const rules = inputs("scaleway:iam/policy:Policy", "sync-policy").rules as {
      projectIds: string[];
      permissionSetNames: string[];
    }[];
    const byProject = Object.fromEntries(rules.map((r) => [r.projectIds.join(","), r.permissionSetNames]));
    expect(byProject).toEqual({
      [DATA]: ["ObjectStorageBucketsRead", "ObjectStorageObjectsRead"],
      [BACKUPS]: [...STAGING, "ObjectStorageObjectsDelete"].sort(),
    });
  });

  it("the Secret Manager backup's form and delivered secret carry the secrets' region, not the delivery's", () => {
    const outputs = result.outputs as {
      credentials: Record<
        string,
        { plakar: { secretId?: string; fields: { label: string; value?: string }[] }; projectIds: unknown }
      >;
    };
    const vault = outputs.credentials.vault;
    const region = vault.plakar.fields.find((f) => f.label === "Region");
    // Delivered: Plakar reads the region from the secret, which holds nl-ams.
    expect(region?.value).toBe(`${vault.plakar.secretId}#region`);
    expect(vault.plakar.fields.find((f) => f.label === "Protocol")?.value).toBe("scaleway-secret");
    expect(result.resolved.credentials.find((c) => c.key === "vault")?.resolved.delivery?.extraFields).toEqual({
      region: "nl-ams",
    });
    // The projects output lists each project once, whatever the number of rules.
    expect(outputs.credentials.sync.projectIds).toEqual([BACKUPS, DATA].sort());
  });
});
