/** The PlakarCredential component under Pulumi's mock runtime: recorded inputs, names, dependencies, secrets. */
import * as pulumi from "@pulumi/pulumi";
import { describe, expect, it } from "vitest";
import { PlakarCredential } from "../components/credential";
import { APPS, BACKUPS, baseConfig, ORG, plan } from "./support/config";

interface Recorded {
  type: string;
  name: string;
  inputs: Record<string, unknown>;
}

const recorded: Recorded[] = [];
const SECRET = "mock-secret-key-value";

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
  "plakar-scaleway-iam",
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

const config = baseConfig({
  credentials: {
    buckets: {
      preset: "object-storage",
      projects: ["apps", "backups"],
      preferredProject: "backups",
    },
    inventory: { preset: "inventory", projects: ["backups", "apps"] },
  },
});

describe("PlakarCredential", () => {
  const stackPlan = plan(config, { now: new Date("2026-12-20T00:00:00Z") });
  const [buckets, inventory] = stackPlan.credentials.map((c) => new PlakarCredential(c.key, { plan: c }));

  it("creates an application named <prefix><stack>-<credential>, in the organization", async () => {
    await value(buckets.application.urn);
    expect(find("scaleway:iam/application:Application", "buckets-app").inputs).toMatchObject({
      name: "plakar-staging-buckets",
      organizationId: ORG,
      tags: ["managed-by=pulumi", "stack=staging", "use-case=object-storage"],
    });
  });

  it("creates a policy whose principal is that application, with one project-scoped rule", async () => {
    await value(buckets.policy.urn);
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
    await value(buckets.current.accessKey);
    await value(buckets.previous!.accessKey);
    expect(find("scaleway:iam/apiKey:ApiKey", "buckets-key-2026-12-16").inputs).toEqual({
      applicationId: "buckets-app-id",
      description:
        "Plakar object-storage for stack staging: Uses Scaleway Object Storage buckets as a Plakar S3 source, store or destination (generation 2026-12-16)",
      expiresAt: "2027-03-30T00:00:00Z",
      defaultProjectId: BACKUPS,
    });
    expect(find("scaleway:iam/apiKey:ApiKey", "buckets-key-2026-09-17").inputs.expiresAt).toBe("2026-12-30T00:00:00Z");
  });

  it("gives no defaultProjectId to a key without Object Storage sets", async () => {
    await value(inventory.current.accessKey);
    const key = find("scaleway:iam/apiKey:ApiKey", "inventory-key-2026-12-16").inputs;
    expect(key).not.toHaveProperty("defaultProjectId");
    expect(key.applicationId).toBe("inventory-app-id");
  });

  it("marks secret keys as Pulumi secrets and access keys as plain", async () => {
    expect(await pulumi.isSecret(buckets.current.secretKey)).toBe(true);
    expect(await pulumi.isSecret(buckets.previous!.secretKey)).toBe(true);
    expect(await value(buckets.current.secretKey)).toBe(SECRET);
    expect(await pulumi.isSecret(buckets.current.accessKey)).toBe(false);
    expect(await value(buckets.current.accessKey)).toBe("SCW-buckets-key-2026-12-16");
  });

  it("tells the user what to type into Plakar, without the secret", async () => {
    const instructions = await value(inventory.plakar);
    expect(instructions.integration).toBe("Scaleway inventory");
    expect(instructions).not.toHaveProperty("secretId");
    const fields = instructions.fields;
    expect(fields).toEqual([
      { label: "Name", value: "plakar-staging-inventory" },
      {
        label: "Project ID",
        hint: "the ID of the project this inventory discovers (one inventory per project)",
      },
      { label: "Access key", value: "SCW-inventory-key-2026-12-16" },
      {
        label: "Secret key",
        hint: "the secretKey output: pulumi stack output --show-secrets credentials",
      },
    ]);
    expect(JSON.stringify(fields)).not.toContain(SECRET);
    expect(await pulumi.isSecret(inventory.plakar)).toBe(false);
  });

  it("registers nothing but the component, application, policy and keys", async () => {
    await value(inventory.current.accessKey);
    const mine = recorded.filter((r) => r.name.startsWith("inventory"));
    expect(mine.map((r) => `${r.type}::${r.name}`).sort()).toEqual([
      "plakar-scaleway-iam:iam:Credential::inventory",
      "scaleway:iam/apiKey:ApiKey::inventory-key-2026-09-17",
      "scaleway:iam/apiKey:ApiKey::inventory-key-2026-12-16",
      "scaleway:iam/application:Application::inventory-app",
      "scaleway:iam/policy:Policy::inventory-policy",
    ]);
  });
});
