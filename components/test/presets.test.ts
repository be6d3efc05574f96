/**
 * Each preset's Plakar form, field by field, against Plakar's own pages (plakar.io docs/control-plane: the Scaleway
 * compute, Block Storage and Secret Manager resource pages, the S3 page, the Scaleway inventory and secret provider
 * pages), and presets made of parts. The expected forms below are transcribed from those pages, not from presets/.
 */
import { describe, expect, it } from "vitest";
import { parsePreset } from "../domain/presets";
import { catalog, presets } from "./support/fixtures";

interface Field {
  label: string;
  from: string;
  value?: string;
}

const keys = (access: string, secret: string): Field[] => [
  { label: access, from: "accessKey" },
  { label: secret, from: "secretKey" },
];
// Scaleway integration: Protocol, then "Access Key and Secret Key", then the protocol's own fields.
const scaleway = (protocol: string, ...rest: Field[]): Field[] => [
  { label: "Protocol", from: "fixed", value: protocol },
  ...keys("Access Key", "Secret Key"),
  ...rest,
];
// S3 (Scaleway): Access Key, Secret Access Key, Root, Endpoint (not needed), Virtual Host off, Use TLS on.
const s3: Field[] = [
  ...keys("Access Key", "Secret Access Key"),
  { label: "Root", from: "user" },
  { label: "Endpoint", from: "user" },
  { label: "Virtual Host", from: "fixed", value: "off" },
  { label: "Use TLS", from: "fixed", value: "on" },
];

const PLAKAR_FORMS: Record<string, { integration: string; fields: Field[] }> = {
  "instance-backup": {
    integration: "Scaleway",
    fields: scaleway("scaleway-instance", { label: "Hostname", from: "user" }, { label: "Bucket", from: "user" }),
  },
  "block-storage-backup": {
    integration: "Scaleway",
    fields: scaleway("scaleway-block", { label: "Bucket", from: "user" }),
  },
  "secret-manager-backup": {
    integration: "Scaleway",
    fields: scaleway("scaleway-secret", { label: "Region", from: "region" }),
  },
  "object-storage": { integration: "S3", fields: s3 },
  "object-storage-source": { integration: "S3", fields: s3 },
  inventory: {
    integration: "Scaleway inventory",
    fields: [
      { label: "Name", from: "name" },
      { label: "Project ID", from: "projectId" },
      ...keys("Access key", "Secret key"),
    ],
  },
  "secret-provider": {
    integration: "Scaleway secret provider (integration type scaleway)",
    fields: [
      { label: "Name", from: "name" },
      { label: "Region", from: "region" },
      { label: "Secret key", from: "secretKey" },
    ],
  },
};

describe("Plakar's forms, exactly", () => {
  it("covers every preset", () => {
    expect([...presets.keys()].sort()).toEqual(Object.keys(PLAKAR_FORMS).sort());
  });

  it.each(Object.entries(PLAKAR_FORMS))("%s: labels, order, sources and fixed values", (name, form) => {
    const preset = presets.get(name)!;
    expect(preset.plakar.integration).toBe(form.integration);
    expect(
      preset.plakar.fields.map(({ label, from, value }) => ({ label, from, ...(value ? { value } : {}) })),
    ).toEqual(form.fields);
  });

  it("hints what Plakar's pages say about the fields the user types", () => {
    const hint = (preset: string, label: string) =>
      presets.get(preset)!.plakar.fields.find((f) => f.label === label)?.hint ?? "";
    for (const p of ["instance-backup", "block-storage-backup"])
      expect(hint(p, "Bucket")).toMatch(/created beforehand/);
    expect(hint("instance-backup", "Hostname")).toMatch(/optional/);
    for (const p of ["object-storage", "object-storage-source"]) {
      expect(hint(p, "Root")).toMatch(/^\/<bucket-name>/);
      expect(hint(p, "Endpoint")).toMatch(/not needed for Scaleway/);
    }
    expect(hint("secret-manager-backup", "Region")).toMatch(/region of the secrets.*fr-par, nl-ams or pl-waw/);
    expect(hint("inventory", "Project ID")).toMatch(/<secret_id>#project_id/);
  });
});

describe("tighter presets say so", () => {
  it("object-storage-source is read-only and its description says it is narrower than Plakar's list, and why", () => {
    const source = presets.get("object-storage-source")!;
    expect(source.permissionSets).toEqual(["ObjectStorageBucketsRead", "ObjectStorageObjectsRead"]);
    expect(source.description).toMatch(/narrower than Plakar's list/);
    expect(source.description).toMatch(/only read/);
    // Plakar's documented list stays as it is, for stores and restores.
    expect(presets.get("object-storage")!.description).not.toMatch(/narrower/);
  });

  it("every preset narrower than another for the same Plakar form says so", () => {
    for (const p of presets.values()) {
      const wider = [...presets.values()].some(
        (q) =>
          q !== p &&
          // The same use case in Plakar: the same form (integration, protocol and fields).
          JSON.stringify(q.plakar) === JSON.stringify(p.plakar) &&
          p.permissionSets.every((s) => q.permissionSets.includes(s)) &&
          q.permissionSets.length > p.permissionSets.length,
      );
      if (wider) expect(p.description, p.name).toMatch(/narrower than Plakar's list/);
    }
  });
});

describe("presets made of parts", () => {
  it.each([
    ["instance-backup", ["InstancesFullAccess", "BlockStorageFullAccess"]],
    ["block-storage-backup", ["BlockStorageFullAccess"]],
  ])("%s: the volumes' sets on projects, the staging bucket's Object Storage sets on stagingProject", (name, own) => {
    const parts = presets.get(name)!.parts!;
    expect(parts.projects).toEqual(own);
    expect(parts.stagingProject).toEqual([
      "ObjectStorageBucketsRead",
      "ObjectStorageBucketsWrite",
      "ObjectStorageObjectsRead",
      "ObjectStorageObjectsWrite",
    ]);
  });

  it("only the staging-bucket presets have parts", () => {
    expect([...presets.values()].filter((p) => p.parts).map((p) => p.name)).toEqual([
      "block-storage-backup",
      "instance-backup",
    ]);
  });

  const base =
    "description: d\nplakar:\n  integration: x\n  fields:\n    - { label: Access Key, from: accessKey }\npermissionSets: [BlockStorageFullAccess, ObjectStorageObjectsRead]\n";
  it.each([
    [
      "a set in no part",
      "parts: { projects: [BlockStorageFullAccess], stagingProject: [BlockStorageFullAccess] }\n",
      /permissionSets\[1\]: "ObjectStorageObjectsRead" is in no part/,
    ],
    [
      "a set in two parts",
      "parts: { projects: [BlockStorageFullAccess, ObjectStorageObjectsRead], stagingProject: [ObjectStorageObjectsRead] }\n",
      /parts\.stagingProject\[0\]: "ObjectStorageObjectsRead" is in two parts/,
    ],
    [
      "a part set the preset does not list",
      "parts: { projects: [BlockStorageFullAccess, InstancesFullAccess], stagingProject: [ObjectStorageObjectsRead] }\n",
      /parts\.projects\[1\]: "InstancesFullAccess" is not in permissionSets/,
    ],
    ["an unknown part", "parts: { projects: [BlockStorageFullAccess], bucket: [ObjectStorageObjectsRead] }\n", /parts/],
  ])("refuses %s, naming the file and key", (_name, parts, message) => {
    expect(() => parsePreset("bad", base + parts, catalog)).toThrow(message);
  });

  it("accepts parts that split the sets exactly", () => {
    const ok = parsePreset(
      "ok",
      base + "parts: { projects: [BlockStorageFullAccess], stagingProject: [ObjectStorageObjectsRead] }\n",
      catalog,
    );
    expect(ok.parts?.stagingProject).toEqual(["ObjectStorageObjectsRead"]);
  });
});
