/** Delivery of credentials through Scaleway Secret Manager: guardrails (pure) and resources (mock runtime). */
import * as fs from "fs";
import * as os from "os";
import * as path from "path";
import { stringify } from "yaml";
import { beforeEach, describe, expect, it, vi } from "vitest";
import { type OfflinePlan, runOffline } from "../tools/plan/offline";
import { renderJson, renderMarkdown, renderTable } from "../tools/plan/render";
import { APPS, BACKUPS, baseConfig, issuesOf, plan } from "./support/config";

const ROOT = path.join(__dirname, "..");
const NOW = new Date("2026-11-26T12:00:00Z");
const SECRET = "DELIVERY-CANARY-3c1f-secret";

const delivered = (extra: Record<string, unknown> = {}) =>
  baseConfig({
    secretManager: { project: "backups" },
    credentials: {
      secrets: { preset: "secret-provider", projects: ["backups"] },
      inventory: { preset: "inventory", projects: ["apps"], deliver: "secret-manager" },
      buckets: { preset: "object-storage", projects: ["apps"], deliver: "secret-manager" },
      local: { preset: "inventory", projects: ["backups"] },
    },
    ...extra,
  });

describe("delivery plan (pure)", () => {
  it("puts each delivered credential at <pathPrefix>/<stack>/<credential> in the configured project and region", () => {
    const p = plan(
      delivered({ secretManager: { project: "backups", region: "nl-ams", pathPrefix: "/teams/plakar" } }),
      { stack: "prod" },
    );
    const byKey = Object.fromEntries(p.credentials.map((c) => [c.key, c]));
    expect(byKey.inventory.delivery).toEqual({
      name: "inventory",
      folder: "/teams/plakar/prod",
      fullPath: "/teams/plakar/prod/inventory",
      project: { label: "backups", id: BACKUPS },
      region: "nl-ams",
      tags: ["managed-by=pulumi", "stack=prod", "use-case=inventory"],
      extraFields: { project_id: APPS },
    });
    expect(byKey.local.delivery).toBeUndefined();
    expect(byKey.secrets.delivery).toBeUndefined();
    expect(byKey.inventory.plakar.fields.map((f) => f.secretField)).toEqual([
      undefined,
      "project_id",
      "access_key",
      "secret_key",
    ]);
  });

  it("defaults to fr-par and /plakar", () => {
    const c = plan(delivered()).credentials.find((x) => x.key === "buckets");
    expect(c?.delivery).toMatchObject({ fullPath: "/plakar/staging/buckets", region: "fr-par" });
  });

  it("accepts a secret provider that covers every project", () => {
    const p = plan(
      delivered({
        allowAllProjects: true,
        credentials: {
          secrets: { preset: "secret-provider", projects: "*" },
          inventory: { preset: "inventory", projects: ["apps"], deliver: "secret-manager" },
        },
      }),
    );
    expect(p.credentials.find((c) => c.key === "inventory")?.delivery?.project.id).toBe(BACKUPS);
  });

  it.each([
    [
      "a secret-provider credential delivered through Secret Manager",
      delivered({
        credentials: { secrets: { preset: "secret-provider", projects: ["backups"], deliver: "secret-manager" } },
      }),
      "credentials.secrets.deliver",
      /cannot be delivered through Secret Manager itself/,
    ],
    [
      "delivery without secretManager",
      baseConfig({
        credentials: { inventory: { preset: "inventory", projects: ["apps"], deliver: "secret-manager" } },
      }),
      "credentials.inventory.deliver",
      /needs plakar-scaleway-iam:secretManager configured/,
    ],
    [
      "no secret provider at all",
      delivered({ credentials: { inventory: { preset: "inventory", projects: ["apps"], deliver: "secret-manager" } } }),
      "credentials.inventory.deliver",
      /credential "inventory" .* no secret-provider credential covers project "backups".*add a credential with preset: secret-provider/,
    ],
    [
      "a secret provider that does not cover the Secret Manager project",
      delivered({
        credentials: {
          secrets: { preset: "secret-provider", projects: ["apps"] },
          inventory: { preset: "inventory", projects: ["apps"], deliver: "secret-manager" },
        },
      }),
      "credentials.inventory.deliver",
      /covers project "backups".*add "backups" to the projects of secret-provider credential "secrets"/,
    ],
    [
      "an unknown Secret Manager project",
      delivered({ secretManager: { project: "vault" } }),
      "secretManager.project",
      /unknown project alias "vault"/,
    ],
    [
      "a bad region",
      delivered({ secretManager: { project: "backups", region: "paris" } }),
      "secretManager.region",
      /Secret Manager region: "fr-par", "nl-ams" or "pl-waw"/,
    ],
    [
      "a relative path prefix",
      delivered({ secretManager: { project: "backups", pathPrefix: "plakar/" } }),
      "secretManager.pathPrefix",
      /absolute path/,
    ],
    [
      "an unknown delivery",
      delivered({ credentials: { x: { preset: "inventory", projects: ["apps"], deliver: "email" } } }),
      "credentials.x.deliver",
      /outputs.*secret-manager/,
    ],
    [
      "an unknown secretManager key",
      delivered({ secretManager: { project: "backups", folder: "/x" } }),
      "secretManager.folder",
      /unknown key/,
    ],
  ])("rejects %s", (_name, config, keyPath, message) => {
    const issues = issuesOf(config);
    const hit = issues.find((i) => i.path === keyPath);
    expect(hit, JSON.stringify(issues)).toBeDefined();
    expect(hit?.message).toMatch(message);
  });
});

describe("delivery resources (mock runtime)", () => {
  let result: OfflinePlan;

  beforeEach(async () => {
    vi.resetModules();
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), "plakar-delivery-"));
    const file = path.join(dir, "Pulumi.prod.yaml");
    const cfg = delivered();
    fs.writeFileSync(
      file,
      stringify({ config: Object.fromEntries(Object.entries(cfg).map(([k, v]) => [`plakar-scaleway-iam:${k}`, v])) }),
    );
    result = await runOffline({ root: ROOT, stack: "prod", configFile: file, now: NOW, secretKeyFor: () => SECRET });
  });

  it("creates a protected key-value secret per delivered credential, and a version holding the current key", () => {
    const secrets = result.resources.filter((r) => r.type === "scaleway:secrets/secret:Secret");
    expect(secrets.map((s) => s.name).sort()).toEqual(["buckets-delivery-secret", "inventory-delivery-secret"]);
    const inv = secrets.find((s) => s.name === "inventory-delivery-secret")!;
    expect(inv.inputs).toEqual({
      name: "inventory",
      path: "/plakar/prod",
      projectId: BACKUPS,
      region: "fr-par",
      type: "key_value",
      protected: true,
      description: "Plakar credential inventory, written by Pulumi",
      tags: ["managed-by=pulumi", "stack=prod", "use-case=inventory"],
    });
    expect(inv.protect).toBe(true);

    const version = result.resources.find((r) => r.name === "inventory-delivery-secret-version")!;
    expect(version.protect).toBe(false);
    expect(version.inputs).toMatchObject({ secretId: inv.id, region: "fr-par", data: "[secret]" });
    const currentKey = result.resources.find(
      (r) =>
        r.name ===
        `inventory-key-${result.resolved.credentials.find((c) => c.key === "inventory")!.resolved.keys.current.generation}`,
    )!;
    expect(version.dependsOn).toContain(currentKey.urn);
  });

  it("gives Plakar the secret ID and the references to paste", () => {
    const outputs = result.outputs as {
      credentials: Record<
        string,
        { plakar: { secretId: string; fields: unknown[] }; delivery: unknown; secretKey: unknown }
      >;
    };
    const secret = result.resources.find((r) => r.name === "buckets-delivery-secret")!;
    const bareId = secret.id!.split("/")[1];
    expect(bareId).toMatch(/^[0-9a-f-]{36}$/);
    const buckets = outputs.credentials.buckets;
    expect(buckets.plakar.secretId).toBe(bareId);
    expect(buckets.plakar.fields).toEqual([
      // Plakar's S3 form: no endpoint for Scaleway, virtual host off, TLS on.
      { label: "Access Key", value: `${bareId}#access_key` },
      { label: "Secret Access Key", value: `${bareId}#secret_key` },
      { label: "Root", hint: "/<bucket-name>, a bucket in the preferred project" },
      { label: "Endpoint", hint: "leave empty; not needed for Scaleway Object Storage" },
      { label: "Virtual Host", value: "off" },
      { label: "Use TLS", value: "on" },
    ]);
    expect(buckets.delivery).toEqual({
      secretId: bareId,
      path: "/plakar/prod/buckets",
      projectId: BACKUPS,
      region: "fr-par",
    });
    expect(buckets.secretKey).toBe("[secret]");
    // The provider's own key is still handed out through outputs (it is typed into Plakar once).
    expect((outputs.credentials.secrets.plakar.fields as { label: string }[]).map((f) => f.label)).toEqual([
      "Name",
      "Region",
      "Secret key",
    ]);
  });

  it("shows the delivery in every plan format, and never the secret", () => {
    const views = [renderJson(result), renderTable(result), renderMarkdown(result.resolved)];
    for (const view of views) {
      expect(view).toContain("/plakar/prod/inventory");
      expect(view).not.toContain(SECRET);
    }
    expect(renderTable(result)).toMatch(
      /delivery {10}Secret Manager \/plakar\/prod\/buckets \(project backups [0-9a-f-]{36}, region fr-par\)/,
    );
    expect(JSON.stringify(result.outputs)).not.toContain(SECRET);
  });
});
