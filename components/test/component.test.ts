/**
 * The PlakarCredential component under Pulumi's mock runtime, used as another team's program would: recorded
 * inputs, names, dependencies, secrets, Outputs as arguments, and refusals before anything is registered.
 */
import * as pulumi from "@pulumi/pulumi";
import { describe, expect, it } from "vitest";
import {
  BlockStorageBackupCredential,
  InstanceBackupCredential,
  InventoryCredential,
  ObjectStorageCredential,
  PlakarCredential,
  PlakarCredentialArgsError,
  SecretManagerBackupCredential,
  SecretProviderCredential,
} from "../index";
import { APPS, BACKUPS, ORG } from "./support/fixtures";

interface Recorded {
  type: string;
  name: string;
  inputs: Record<string, unknown>;
}

const recorded: Recorded[] = [];
const SECRET = "mock-secret-key-value";
const NOW = new Date("2026-12-20T00:00:00Z");

// Mocks must be in place before any component is constructed (describe bodies run at collection time).
// setMocks applies synchronously; its promise carries nothing.
void pulumi.runtime.setMocks(
  {
    newResource(args) {
      recorded.push({ type: args.type, name: args.name, inputs: args.inputs });
      const state =
        args.type === "scaleway:iam/apiKey:ApiKey"
          ? { ...args.inputs, accessKey: `SCW-${args.name}`, secretKey: SECRET }
          : args.inputs;
      const id = args.type === "scaleway:secrets/secret:Secret" ? `fr-par/${args.name}-id` : `${args.name}-id`;
      return { id, state };
    },
    call(args) {
      throw new Error(`unexpected invoke ${args.token}`);
    },
  },
  "consumer",
  "staging",
  false,
);

function find(type: string, name: string): Recorded {
  const hit = recorded.find((r) => r.type === type && r.name === name);
  if (!hit)
    throw new Error(`no ${type} named ${name}; recorded: ${recorded.map((r) => `${r.type}::${r.name}`).join(", ")}`);
  return hit;
}

function value<T>(output: pulumi.Output<T>): Promise<T> {
  return new Promise((resolve) => output.apply(resolve));
}

describe("PlakarCredential", () => {
  const buckets = new PlakarCredential(
    "buckets",
    { organizationId: ORG, projectIds: [APPS, BACKUPS], preset: "object-storage", preferredProjectId: BACKUPS },
    { now: NOW },
  );
  const inventory = new PlakarCredential(
    "inventory",
    { organizationId: ORG, projectIds: [BACKUPS, APPS], preset: "inventory" },
    { now: NOW },
  );

  it("creates an application named plakar-<stack>-<component name> by default, in the organization", async () => {
    await value(buckets.applicationId);
    expect(find("scaleway:iam/application:Application", "buckets-app").inputs).toMatchObject({
      name: "plakar-staging-buckets",
      organizationId: ORG,
      tags: ["managed-by=pulumi", "stack=staging", "use-case=object-storage"],
    });
  });

  it("creates a policy whose principal is that application, with one project-scoped rule", async () => {
    await value(buckets.policyId);
    const policy = find("scaleway:iam/policy:Policy", "buckets-policy").inputs;
    expect(policy.name).toBe("plakar-staging-buckets");
    expect(policy.applicationId).toBe("buckets-app-id");
    expect(policy.rules).toEqual([
      {
        projectIds: [APPS, BACKUPS].sort(),
        permissionSetNames: [
          "ObjectStorageBucketsRead",
          "ObjectStorageBucketsWrite",
          "ObjectStorageObjectsDelete",
          "ObjectStorageObjectsRead",
          "ObjectStorageObjectsWrite",
        ],
      },
    ]);
  });

  it("issues the current and (during the overlap) the previous key, named by generation, with a preferred project", async () => {
    const keys = await value(buckets.keys);
    expect(keys.current.generation).toBe("2026-12-16");
    expect(keys.previous?.generation).toBe("2026-09-17");
    expect(find("scaleway:iam/apiKey:ApiKey", "buckets-key-2026-12-16").inputs).toEqual({
      applicationId: "buckets-app-id",
      description:
        "Plakar object-storage for stack staging: Uses Scaleway Object Storage buckets as a Plakar S3 source, store or destination (generation 2026-12-16)",
      expiresAt: "2027-03-30T00:00:00Z",
      defaultProjectId: BACKUPS,
    });
    expect(find("scaleway:iam/apiKey:ApiKey", "buckets-key-2026-09-17").inputs.expiresAt).toBe("2026-12-30T00:00:00Z");
    expect(await value(buckets.expiresAt)).toBe("2027-03-30T00:00:00Z");
  });

  it("reports each rule in its access output, and a project in two rules once", async () => {
    const source = ["ObjectStorageBucketsRead", "ObjectStorageObjectsRead"];
    const store = ["ObjectStorageBucketsWrite", "ObjectStorageObjectsDelete", "ObjectStorageObjectsWrite"];
    const several = new PlakarCredential(
      "several",
      {
        organizationId: ORG,
        preset: "object-storage",
        rules: [
          { projectIds: [BACKUPS, APPS], permissionSets: source },
          { projectIds: [BACKUPS], permissionSets: store },
        ],
        preferredProjectId: BACKUPS,
      },
      { now: NOW },
    );
    expect(await value(several.access)).toEqual({
      useCase: "object-storage",
      rules: [
        { projectIds: [APPS, BACKUPS].sort(), permissionSets: source },
        { projectIds: [BACKUPS], permissionSets: store },
      ],
      permissionSets: [...source, ...store].sort(),
      projectIds: [APPS, BACKUPS].sort(),
      allProjects: false,
      preferredProjectId: BACKUPS,
    });
  });

  it("reports a rule on all projects as allProjects, with no project list", async () => {
    const everywhere = new PlakarCredential(
      "everywhere",
      {
        organizationId: ORG,
        preset: "inventory",
        rules: [{ allProjects: true, permissionSets: ["AllProductsReadOnly"] }],
      },
      { now: NOW },
    );
    expect(await value(everywhere.access)).toEqual({
      useCase: "inventory",
      rules: [{ allProjects: true, permissionSets: ["AllProductsReadOnly"] }],
      permissionSets: ["AllProductsReadOnly"],
      projectIds: [],
      allProjects: true,
    });
  });

  it("gives no defaultProjectId to a key without Object Storage sets", async () => {
    await value(inventory.accessKey);
    const key = find("scaleway:iam/apiKey:ApiKey", "inventory-key-2026-12-16").inputs;
    expect(key).not.toHaveProperty("defaultProjectId");
    expect(key.applicationId).toBe("inventory-app-id");
  });

  it("marks secret keys as Pulumi secrets and access keys as plain", async () => {
    expect(await pulumi.isSecret(buckets.secretKey)).toBe(true);
    expect(await pulumi.isSecret(buckets.previousSecretKey!)).toBe(true);
    expect(await value(buckets.secretKey)).toBe(SECRET);
    expect(await pulumi.isSecret(buckets.accessKey)).toBe(false);
    expect(await value(buckets.accessKey)).toBe("SCW-buckets-key-2026-12-16");
    expect(JSON.stringify(await value(buckets.keys))).not.toContain(SECRET);
  });

  it("tells the user what to type into Plakar, without the secret", async () => {
    const instructions = await value(inventory.plakar);
    expect(instructions.integration).toBe("Scaleway inventory");
    expect(instructions).not.toHaveProperty("secretId");
    expect(instructions.fields).toEqual([
      { label: "Name", value: "plakar-staging-inventory" },
      {
        label: "Project ID",
        hint: "the ID of the project this inventory discovers (one inventory per project); or, from the secret provider, <secret_id>#project_id",
      },
      { label: "Access key", value: "SCW-inventory-key-2026-12-16" },
      {
        label: "Secret key",
        hint: "the component's secretKey output (a Pulumi secret)",
      },
    ]);
    expect(JSON.stringify(instructions)).not.toContain(SECRET);
    expect(await pulumi.isSecret(inventory.plakar)).toBe(false);
  });

  it("registers nothing but the component, application, policy and keys", async () => {
    await value(inventory.accessKey);
    const mine = recorded.filter((r) => r.name.startsWith("inventory"));
    expect(mine.map((r) => `${r.type}::${r.name}`).sort()).toEqual([
      "plakar-scaleway-iam:index:PlakarCredential::inventory",
      "scaleway:iam/apiKey:ApiKey::inventory-key-2026-09-17",
      "scaleway:iam/apiKey:ApiKey::inventory-key-2026-12-16",
      "scaleway:iam/application:Application::inventory-app",
      "scaleway:iam/policy:Policy::inventory-policy",
    ]);
  });
});

describe("PlakarCredential from another program", () => {
  // Project IDs that only exist once another resource is created: Outputs, as a scaleway.account.Project gives.
  const later = <T>(v: T) => pulumi.output(Promise.resolve(v));

  it("lets two components built from identical args live side by side (names come from the component)", async () => {
    const args = { organizationId: ORG, projectIds: [later(APPS)], preset: "inventory" };
    const a = new PlakarCredential("team-a", args, { now: NOW });
    const b = new PlakarCredential("team-b", args, { now: NOW });
    const [urnA, urnB] = await Promise.all([value(a.urn), value(b.urn), value(a.accessKey), value(b.accessKey)]);
    expect(urnA).not.toBe(urnB);
    expect(find("scaleway:iam/apiKey:ApiKey", "team-a-key-2026-12-16").inputs.applicationId).toBe("team-a-app-id");
    expect(find("scaleway:iam/apiKey:ApiKey", "team-b-key-2026-12-16").inputs.applicationId).toBe("team-b-app-id");
    expect(find("scaleway:iam/policy:Policy", "team-a-policy").inputs.rules).toEqual([
      { projectIds: [APPS], permissionSetNames: ["AllProductsReadOnly"] },
    ]);
  });

  it("takes project IDs given as Outputs and resolves the preferred project against them", async () => {
    const c = new PlakarCredential(
      "late-store",
      {
        organizationId: later(ORG),
        projectIds: later([APPS, BACKUPS]),
        preset: "object-storage",
        preferredProjectId: later(BACKUPS),
        name: later("plakar-late-store"),
      },
      { now: NOW },
    );
    await value(c.accessKey);
    expect(find("scaleway:iam/apiKey:ApiKey", "late-store-key-2026-12-16").inputs.defaultProjectId).toBe(BACKUPS);
    expect(find("scaleway:iam/application:Application", "late-store-app").inputs.name).toBe("plakar-late-store");
  });

  it("refuses an organization-scoped set before registering anything, naming args.permissionSets[i]", () => {
    const before = recorded.length;
    let error: unknown;
    try {
      new PlakarCredential(
        "too-much",
        { organizationId: ORG, projectIds: [later(APPS)], permissionSets: ["AllProductsReadOnly", "IAMManager"] },
        { now: NOW },
      );
    } catch (err) {
      error = err;
    }
    expect(error).toBeInstanceOf(PlakarCredentialArgsError);
    expect((error as PlakarCredentialArgsError).issues).toEqual([
      {
        path: "args.permissionSets[1]",
        message:
          '"IAMManager" is organization-scoped ("Access to Organization features"); Plakar only needs project-scoped sets ("Access to resources")',
      },
    ]);
    expect(recorded.length).toBe(before);
  });

  it("names a misspelled argument with the closest one", () => {
    expect(
      () => new PlakarCredential("typo", { organizationId: ORG, projectId: [APPS], preset: "inventory" } as never),
    ).toThrow(/args\.projectId: unknown argument \(did you mean "projectIds"\?\)/);
  });
});

describe("a use case's own class", () => {
  const OBJECT_STORAGE_STAGING = [
    "ObjectStorageBucketsRead",
    "ObjectStorageBucketsWrite",
    "ObjectStorageObjectsRead",
    "ObjectStorageObjectsWrite",
  ];
  const inventory = new InventoryCredential("uc-inventory", { organizationId: ORG, projectIds: [APPS] }, { now: NOW });
  const source = new ObjectStorageCredential(
    "uc-source",
    { organizationId: ORG, projectIds: [APPS, BACKUPS], readOnly: true, preferredProjectId: BACKUPS },
    { now: NOW },
  );
  const store = new ObjectStorageCredential("uc-store", { organizationId: ORG, projectIds: [BACKUPS] }, { now: NOW });
  const instances = new InstanceBackupCredential(
    "uc-instances",
    { organizationId: ORG, projectIds: [APPS], stagingProjectId: BACKUPS },
    { now: NOW },
  );
  const volumes = new BlockStorageBackupCredential(
    "uc-volumes",
    { organizationId: ORG, projectIds: [APPS], stagingProjectId: BACKUPS },
    { now: NOW },
  );
  const vault = new SecretManagerBackupCredential(
    "uc-vault",
    { organizationId: ORG, projectIds: [APPS], region: "nl-ams" },
    { now: NOW },
  );
  const provider = new SecretProviderCredential(
    "uc-provider",
    { organizationId: ORG, projectIds: [BACKUPS], region: "pl-waw" },
    { now: NOW },
  );

  it("registers under its own type token and grants its use case's sets", async () => {
    await Promise.all([value(inventory.accessKey), value(store.accessKey), value(vault.accessKey)]);
    expect(find("plakar-scaleway-iam:index:InventoryCredential", "uc-inventory")).toBeDefined();
    expect(find("scaleway:iam/policy:Policy", "uc-inventory-policy").inputs.rules).toEqual([
      { projectIds: [APPS], permissionSetNames: ["AllProductsReadOnly"] },
    ]);
    expect(find("scaleway:iam/application:Application", "uc-inventory-app").inputs.tags).toEqual([
      "managed-by=pulumi",
      "stack=staging",
      "use-case=inventory",
    ]);
    expect(find("plakar-scaleway-iam:index:ObjectStorageCredential", "uc-store")).toBeDefined();
    expect(find("scaleway:iam/apiKey:ApiKey", "uc-store-key-2026-12-16").inputs.defaultProjectId).toBe(BACKUPS);
    expect((await value(store.access)).useCase).toBe("object-storage");
    expect(find("plakar-scaleway-iam:index:SecretManagerBackupCredential", "uc-vault")).toBeDefined();
    expect((await value(vault.access)).useCase).toBe("secret-manager-backup");
  });

  it("ObjectStorageCredential with readOnly is a backup source: read only, on the buckets' project", async () => {
    expect(await value(source.access)).toEqual({
      useCase: "object-storage-source",
      rules: [
        {
          projectIds: [APPS, BACKUPS].sort(),
          permissionSets: ["ObjectStorageBucketsRead", "ObjectStorageObjectsRead"],
        },
      ],
      permissionSets: ["ObjectStorageBucketsRead", "ObjectStorageObjectsRead"],
      projectIds: [APPS, BACKUPS].sort(),
      allProjects: false,
      preferredProjectId: BACKUPS,
    });
    expect(find("scaleway:iam/apiKey:ApiKey", "uc-source-key-2026-12-16").inputs.defaultProjectId).toBe(BACKUPS);
  });

  it("the backup classes put the Object Storage sets on the staging project, its preferred project", async () => {
    expect(await value(instances.access)).toEqual({
      useCase: "instance-backup",
      rules: [
        { projectIds: [APPS], permissionSets: ["BlockStorageFullAccess", "InstancesFullAccess"] },
        { projectIds: [BACKUPS], permissionSets: OBJECT_STORAGE_STAGING },
      ].sort((a, b) => (a.projectIds[0] < b.projectIds[0] ? -1 : 1)),
      permissionSets: ["BlockStorageFullAccess", "InstancesFullAccess", ...OBJECT_STORAGE_STAGING],
      projectIds: [APPS, BACKUPS].sort(),
      allProjects: false,
      preferredProjectId: BACKUPS,
    });
    await value(volumes.accessKey);
    expect(find("plakar-scaleway-iam:index:BlockStorageBackupCredential", "uc-volumes")).toBeDefined();
    expect(find("scaleway:iam/policy:Policy", "uc-volumes-policy").inputs.rules).toEqual(
      [
        { projectIds: [APPS], permissionSetNames: ["BlockStorageFullAccess"] },
        { projectIds: [BACKUPS], permissionSetNames: OBJECT_STORAGE_STAGING },
      ].sort((a, b) => (a.projectIds[0] < b.projectIds[0] ? -1 : 1)),
    );
    expect(find("scaleway:iam/apiKey:ApiKey", "uc-volumes-key-2026-12-16").inputs.defaultProjectId).toBe(BACKUPS);
  });

  it("SecretProviderCredential has no delivery output and fills Plakar's Region", async () => {
    expect(provider).not.toHaveProperty("delivery");
    const instructions = await value(provider.plakar);
    expect(instructions.fields.find((f) => f.label === "Region")).toEqual({ label: "Region", value: "pl-waw" });
    expect(find("scaleway:iam/policy:Policy", "uc-provider-policy").inputs.rules).toEqual([
      { projectIds: [BACKUPS], permissionSetNames: ["SecretManagerReadOnly", "SecretManagerSecretAccess"] },
    ]);
  });
});
