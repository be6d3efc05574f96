/**
 * The offline plan records every resource option that changes what the engine does, under the field names of
 * `plan --json`; and what a delivered secret version really holds (its payload, decoded under the mocks) matches the
 * fields Plakar reads as `<secret_id>#<field>`.
 */
import * as pulumi from "@pulumi/pulumi";
import { MockMonitor } from "@pulumi/pulumi/runtime/mocks";
import { afterEach, beforeEach, describe, expect, it, vi } from "vitest";
import { COMPONENT_TYPES } from "../components/domain/constants";
import type { OfflinePlan, PlannedResource } from "../tools/plan/offline";
import { renderJson } from "../tools/plan/render";
import { APPS, BACKUPS, baseConfig } from "./support/config";
import { freshOffline, oncePerFile, tempDir, writeStackFile } from "./support/offline";

const NOW = new Date("2026-11-26T12:00:00Z");
const FAKE_SECRET = "OFFLINE-OPTIONS-CANARY-7d2e-secret-key";
const PULUMI_SECRET_SIG = { key: "4dabf18193072939515e22adb298388d", value: "1b47061264138c4ac30d75fd1eb44270" };

const KEY_TYPE = "scaleway:iam/apiKey:ApiKey";
const POLICY_TYPE = "scaleway:iam/policy:Policy";
const VERSION_TYPE = "scaleway:secrets/version:Version";

/** The options the engine acts on, as RegisterResourceRequest carries them (proto/resource_pb.d.ts). */
const OPTION_FIELDS = [
  "ignoreChanges",
  "aliases",
  "replaceOnChanges",
  "deleteBeforeReplace",
  "retainOnDelete",
  "additionalSecretOutputs",
  "protect",
  "dependsOn",
  "parent",
] as const;

/** Plakar's secret provider fields (Plakar docs: `{secret_id}#{field}`; the form's values for each use case). */
const PLAKAR_SECRET_FIELDS = new Set(["access_key", "secret_key", "project_id", "region"]);

const config = baseConfig({
  secretManager: { project: "backups" },
  credentials: {
    secrets: { preset: "secret-provider", projects: ["backups"] },
    inventory: { preset: "inventory", projects: ["apps"], deliver: "secret-manager" },
    restore: { preset: "secret-manager-backup", projects: ["apps"], deliver: "secret-manager" },
    buckets: { preset: "object-storage", projects: ["backups"], deliver: "secret-manager" },
    pinned: { preset: "inventory", projects: ["backups"], expiresAt: "2027-03-01T00:00:00Z" },
    custom: { permissionSets: ["InstancesReadOnly"], projects: ["apps"] },
  },
});

/** The component class the stack instantiates for each credential: its use case's, or PlakarCredential's. */
const CLASS_OF: Record<string, keyof typeof COMPONENT_TYPES> = {
  secrets: "SecretProviderCredential",
  inventory: "InventoryCredential",
  restore: "SecretManagerBackupCredential",
  buckets: "ObjectStorageCredential",
  pinned: "InventoryCredential",
  custom: "PlakarCredential",
};
const COMPONENT_TOKENS: readonly string[] = Object.values(COMPONENT_TYPES);

interface RawRequest {
  getType(): string;
  getName(): string;
  getObject(): { toJavaScript(): Record<string, unknown> } | undefined;
}

let result: OfflinePlan;
/** The inputs of each secret version as the mock monitor received them, secrets unredacted, by resource name. */
const rawVersions = new Map<string, Record<string, unknown>>();

beforeEach(
  oncePerFile(async () => {
    rawVersions.clear();
    const file = writeStackFile(tempDir(), "Pulumi.options.yaml", config);
    const spy = vi.spyOn(MockMonitor.prototype, "registerResource");
    try {
      result = await freshOffline({ stack: "options", configFile: file, now: NOW, secretKeyFor: () => FAKE_SECRET });
    } finally {
      for (const [req] of spy.mock.calls) {
        const r = req as RawRequest;
        if (r.getType() === VERSION_TYPE) rawVersions.set(r.getName(), r.getObject()?.toJavaScript() ?? {});
      }
      spy.mockRestore();
    }
  }),
);

afterEach(() => vi.restoreAllMocks());

const ofType = (type: string) => result.resources.filter((r) => r.type === type);
const byUrn = (urn: string | null) => result.resources.find((r) => r.urn === urn);
/** The credential (component name) a resource belongs to: its parent chain's credential component. */
function credentialOf(r: PlannedResource): string | undefined {
  for (let p = byUrn(r.parent); p; p = byUrn(p.parent)) {
    if (COMPONENT_TOKENS.includes(p.type)) return p.name;
  }
  return undefined;
}

describe("plan --json records the engine's resource options", () => {
  it("shows every option under RegisterResourceRequest's names, on every resource", () => {
    const doc = JSON.parse(renderJson(result)) as { resources: Record<string, unknown>[] };
    expect(doc.resources.length).toBe(result.resources.length);
    for (const r of doc.resources) {
      for (const field of OPTION_FIELDS) expect(r, `${String(r.name)}.${field}`).toHaveProperty(field);
      expect(Array.isArray(r.ignoreChanges)).toBe(true);
      expect(Array.isArray(r.aliases)).toBe(true);
      expect(Array.isArray(r.replaceOnChanges)).toBe(true);
      expect(Array.isArray(r.additionalSecretOutputs)).toBe(true);
      expect(typeof r.retainOnDelete).toBe("boolean");
      expect(typeof r.protect).toBe("boolean");
      // Nobody sets it: the engine then follows the provider's diff, which `null` says.
      expect(r.deleteBeforeReplace).toBeNull();
    }
  });

  it("a rotated key ignores later changes to expiresAt; a pinned key does not", () => {
    const keys = ofType(KEY_TYPE);
    const rotated = keys.filter((k) => credentialOf(k) !== "pinned");
    const pinned = keys.filter((k) => credentialOf(k) === "pinned");
    expect(rotated.length).toBeGreaterThanOrEqual(4);
    expect(pinned).toHaveLength(1);
    for (const k of rotated) expect(k.ignoreChanges, k.name).toEqual(["expiresAt"]);
    expect(pinned[0]?.ignoreChanges).toEqual([]);
  });

  it("every key waits for its own credential's policy (dependsOn), and is never protected", () => {
    for (const key of ofType(KEY_TYPE)) {
      const policy = ofType(POLICY_TYPE).find((p) => credentialOf(p) === credentialOf(key));
      expect(policy, key.name).toBeDefined();
      expect(key.dependsOn, key.name).toContain(policy?.urn);
      expect(key.protect, key.name).toBe(false);
      const credential = credentialOf(key) ?? "";
      expect(key.parent, key.name).toMatch(new RegExp(`\\$${COMPONENT_TYPES[CLASS_OF[credential]]}::${credential}$`));
    }
  });

  it("records aliases as the engine receives them: the component's legacy types, the provider's old tokens", () => {
    const stackParent = expect.stringMatching(/::pulumi:pulumi:Stack::/);
    // A use case's class was a PlakarCredential (0.2) and, before that, an iam:Credential (0.1).
    const component = result.resources.find((r) => r.name === "inventory");
    expect(component?.type).toBe("plakar-scaleway-iam:index:InventoryCredential");
    expect(component?.aliases).toEqual([
      { type: "plakar-scaleway-iam:index:PlakarCredential", parentUrn: stackParent },
      { type: "plakar-scaleway-iam:iam:Credential", parentUrn: stackParent },
    ]);
    // PlakarCredential itself has only the 0.1 token to alias.
    const custom = result.resources.find((r) => r.name === "custom");
    expect(custom?.type).toBe("plakar-scaleway-iam:index:PlakarCredential");
    expect(custom?.aliases).toEqual([{ type: "plakar-scaleway-iam:iam:Credential", parentUrn: stackParent }]);
    const key = ofType(KEY_TYPE)[0];
    expect(key?.aliases).toContainEqual(
      expect.objectContaining({ type: "scaleway:index/iamApiKey:IamApiKey", parentUrn: key?.parent }),
    );
  });

  it("records the provider's additionalSecretOutputs (which the mock runtime itself ignores)", () => {
    for (const key of ofType(KEY_TYPE)) expect(key.additionalSecretOutputs).toContain("secretKey");
    for (const v of ofType(VERSION_TYPE)) expect(v.additionalSecretOutputs).toContain("data");
  });
});

describe("the secret key stays a Pulumi secret without the engine's help", () => {
  it("never appears in the outputs; every secretKey output is a secret", () => {
    expect(JSON.stringify(result.outputs)).not.toContain(FAKE_SECRET);
    const credentials = result.outputs.credentials as Record<string, Record<string, unknown>>;
    for (const [name, c] of Object.entries(credentials)) {
      expect(c.secretKey, name).toBe("[secret]");
      expect((c.current as Record<string, unknown>).secretKey, name).toBe("[secret]");
    }
  });

  it("the recorded plan holds no secret key either", () => {
    expect(renderJson(result)).not.toContain(FAKE_SECRET);
  });
});

describe("the delivered secret version's payload", () => {
  /** A version's `data` input: a Pulumi secret wrapping the JSON text the provider writes. */
  function payloadOf(name: string): Record<string, unknown> {
    const inputs = rawVersions.get(name);
    expect(inputs, name).toBeDefined();
    const data = inputs?.data as Record<string, unknown>;
    // It is a secret on the wire, not only after redaction.
    expect(data[PULUMI_SECRET_SIG.key]).toBe(PULUMI_SECRET_SIG.value);
    expect(typeof data.value).toBe("string");
    return JSON.parse(data.value as string) as Record<string, unknown>;
  }

  const deliveredKey = (credential: string) =>
    (result.outputs.credentials as Record<string, { accessKey: string }>)[credential]?.accessKey;

  it("is one version per delivered credential", () => {
    expect([...rawVersions.keys()].sort()).toEqual([
      "buckets-delivery-secret-version",
      "inventory-delivery-secret-version",
      "restore-delivery-secret-version",
    ]);
  });

  it("holds the current key under Plakar's field names, as a flat object of strings", () => {
    for (const credential of ["inventory", "restore", "buckets"]) {
      const payload = payloadOf(`${credential}-delivery-secret-version`);
      expect(payload.access_key, credential).toBe(deliveredKey(credential));
      expect(payload.access_key, credential).toMatch(/^SCW[0-9A-Z]{17}$/);
      expect(payload.secret_key, credential).toBe(FAKE_SECRET);
      for (const [field, value] of Object.entries(payload)) {
        expect(PLAKAR_SECRET_FIELDS.has(field), `${credential}: field ${field}`).toBe(true);
        expect(typeof value, `${credential}.${field}`).toBe("string");
      }
    }
  });

  it("adds project_id where Plakar's form takes the project from the secret (inventory), nothing it does not read", () => {
    expect(payloadOf("inventory-delivery-secret-version")).toEqual({
      access_key: deliveredKey("inventory"),
      secret_key: FAKE_SECRET,
      project_id: APPS,
    });
    expect(Object.keys(payloadOf("buckets-delivery-secret-version")).sort()).toEqual(["access_key", "secret_key"]);
    expect(BACKUPS).not.toBe(APPS);
  });

  it("has every field that Plakar's instructions reference as <secret_id>#<field>", () => {
    const credentials = result.outputs.credentials as Record<
      string,
      { delivery: { secretId: string } | null; plakar: { fields: { label: string; value?: string }[] } }
    >;
    let references = 0;
    for (const credential of ["inventory", "restore", "buckets"]) {
      const c = credentials[credential];
      const secretId = c?.delivery?.secretId;
      expect(secretId, credential).toMatch(/^[0-9a-f-]{36}$/);
      const payload = payloadOf(`${credential}-delivery-secret-version`);
      const referenced = new Set<string>();
      for (const field of c?.plakar.fields ?? []) {
        const ref = field.value?.match(/^([0-9a-f-]{36})#([a-z_]+)$/);
        if (!ref) continue;
        references++;
        referenced.add(ref[2] as string);
        expect(ref[1], `${credential}: ${field.label}`).toBe(secretId);
        expect(payload, `${credential}: ${field.label} -> #${ref[2]}`).toHaveProperty(ref[2] as string);
      }
      // And the other way round: the secret holds nothing Plakar's form does not read from it.
      expect(Object.keys(payload).sort(), credential).toEqual([...referenced].sort());
    }
    // Access and secret key of three credentials, and inventory's project ID, at least.
    expect(references).toBeGreaterThanOrEqual(7);
  });

  it("is written from the secret key the key resource returned (decoded, not the placeholder)", () => {
    expect(pulumi.runtime.isDryRun()).toBe(false);
    for (const name of rawVersions.keys()) expect(JSON.stringify(payloadOf(name))).not.toContain("[secret]");
  });
});
