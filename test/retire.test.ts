/**
 * Retiring a credential: `retire: true` revokes its keys (and the delivered key's version) and leaves its
 * application, policy and secret unprotected, so that removing it from the config afterwards deletes the rest
 * cleanly instead of failing on protected resources (which the engine refuses to delete; see docs: a protected
 * resource fails its delete step and the update fails).
 */
import * as path from "path";
import { beforeEach, describe, expect, it } from "vitest";
import { type OfflinePlan, runOffline } from "../tools/plan/offline";
import { ROOT } from "./support/arbitraries";
import { oncePerFile, tempDir, writeStackFile } from "./support/offline";
import { APPS, BACKUPS, ORG } from "./support/config";

const NOW = new Date("2026-12-20T00:00:00Z");

function config(retire: boolean) {
  return {
    organizationId: ORG,
    projects: { apps: APPS, backups: BACKUPS },
    secretManager: { project: "backups" },
    credentials: {
      secrets: { preset: "secret-provider", projects: ["backups"] },
      buckets: {
        preset: "object-storage",
        projects: ["apps"],
        deliver: "secret-manager",
        ...(retire ? { retire } : {}),
      },
    },
  };
}

async function plan(retire: boolean): Promise<OfflinePlan> {
  const dir = tempDir();
  const file = writeStackFile(dir, "Pulumi.prod.yaml", config(retire));
  return runOffline({ root: ROOT, stack: "prod", configFile: path.resolve(file), now: NOW });
}

const of = (p: OfflinePlan, prefix: string) => p.resources.filter((r) => r.name.startsWith(prefix));

describe("retire: true", () => {
  let active: OfflinePlan;
  let retired: OfflinePlan;
  beforeEach(
    oncePerFile(async () => {
      active = await plan(false);
      retired = await plan(true);
    }),
  );

  it("before: the prod credential's application, policy and secret are protected, and it has a key (control)", () => {
    const byType = (t: string) => of(active, "buckets").find((r) => r.type === t);
    expect(byType("scaleway:iam/application:Application")?.protect).toBe(true);
    expect(byType("scaleway:iam/policy:Policy")?.protect).toBe(true);
    expect(byType("scaleway:secrets/secret:Secret")?.protect).toBe(true);
    // A prod stack protects the component itself, and its Delivery component.
    expect(byType("plakar-scaleway-iam:index:ObjectStorageCredential")?.protect).toBe(true);
    expect(byType("plakar-scaleway-iam:secrets:Delivery")?.protect).toBe(true);
    expect(of(active, "buckets-key").length).toBeGreaterThan(0);
    expect(byType("scaleway:secrets/version:Version")).toBeDefined();
  });

  it("revokes every key and the delivered version, and keeps the rest unprotected", () => {
    const mine = of(retired, "buckets");
    expect(mine.filter((r) => r.type === "scaleway:iam/apiKey:ApiKey")).toEqual([]);
    expect(mine.filter((r) => r.type === "scaleway:secrets/version:Version")).toEqual([]);
    for (const type of [
      "plakar-scaleway-iam:index:ObjectStorageCredential",
      "plakar-scaleway-iam:secrets:Delivery",
      "scaleway:iam/application:Application",
      "scaleway:iam/policy:Policy",
      "scaleway:secrets/secret:Secret",
    ]) {
      const r = mine.find((x) => x.type === type);
      expect(r, type).toBeDefined();
      expect(r?.protect, type).toBe(false);
    }
    const secret = mine.find((r) => r.type === "scaleway:secrets/secret:Secret");
    expect((secret?.inputs as { protected: boolean }).protected, "Scaleway's own flag too").toBe(false);
  });

  it("says so in the component's own inputs, which a preview shows (check-preview reads them)", () => {
    const component = (p: OfflinePlan) =>
      p.resources.find((r) => r.type === "plakar-scaleway-iam:index:ObjectStorageCredential" && r.name === "buckets");
    expect(component(retired)?.inputs).toEqual({ retired: true });
    expect(component(active)?.inputs).toEqual({});
  });

  it("leaves the other credentials of the stack as they were", () => {
    expect(of(retired, "secrets").map((r) => [r.urn, r.protect])).toEqual(
      of(active, "secrets").map((r) => [r.urn, r.protect]),
    );
  });

  it("exports the credential as retired, with no key for check-expiry to judge", () => {
    const out = (retired.outputs.credentials as Record<string, Record<string, unknown>>).buckets;
    expect(out).toMatchObject({ retired: true, current: null, previous: null, accessKey: null, secretKey: null });
    const before = (active.outputs.credentials as Record<string, Record<string, unknown>>).buckets;
    expect(before).not.toHaveProperty("retired");
  });
});

describe("check-expiry over a stack with a retired credential", () => {
  it("lists it as retired and does not fail on its missing key", async () => {
    const { assessExpiry } = await import("../tools/check-expiry/expiry");
    const outputs = {
      credentials: {
        buckets: { retired: true, accessKey: null, secretKey: null, expiresAt: null, current: null, previous: null },
        secrets: { current: { accessKey: "SCW1", expiresAt: "2027-06-01T00:00:00Z" }, previous: null },
      },
    };
    const report = assessExpiry(outputs, NOW, 14);
    expect(report.ok).toBe(true);
    expect(report.keys.map((k) => [k.credential, k.status])).toEqual([
      ["buckets", "retired"],
      ["secrets", "ok"],
    ]);
    // Control: the same entry without retired: true has no key, which fails the check.
    const unretired = { credentials: { ...outputs.credentials, buckets: { current: { accessKey: "SCW2" } } } };
    expect(assessExpiry(unretired, NOW, 14).ok).toBe(false);
  });

  it("refuses outputs that call a credential retired yet list a key (it would be skipped unjudged)", async () => {
    const { assessExpiry } = await import("../tools/check-expiry/expiry");
    const expired = { accessKey: "SCWOLD", expiresAt: "2020-01-01T00:00:00Z" };
    for (const [field, value] of [
      ["current", expired],
      ["previous", expired],
      ["expiresAt", expired.expiresAt],
    ] as const) {
      const outputs = { credentials: { buckets: { retired: true, current: null, [field]: value } } };
      expect(() => assessExpiry(outputs, NOW, 14), field).toThrow(
        new RegExp(`credentials\\.buckets: is retired yet holds ${field}: a retired credential's keys are revoked`),
      );
    }
  });
});
