/**
 * Each preset's Plakar form, field by field, against Plakar's own pages (plakar.io docs/control-plane: the Scaleway
 * compute, Block Storage and Secret Manager resource pages, the S3 page, the Scaleway inventory and secret provider
 * pages), and presets made of parts. The expected forms below are transcribed from those pages, not from presets/.
 */
import { describe, expect, it } from "vitest";
import { cliCommand, plakarForm } from "../domain/plakarForm";
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
          // The same use case in Plakar: the same form (integration, protocol and fields); the roles it serves in
          // Plakar's CLI may be fewer (a read-only source).
          JSON.stringify([q.plakar.integration, q.plakar.fields]) ===
            JSON.stringify([p.plakar.integration, p.plakar.fields]) &&
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

/**
 * What Plakar's own CLI takes, transcribed from Plakar's pages and the S3 integration's source, not from presets/:
 * - S3: plakar.io docs/community/main/integrations/s3 and PlakarKorp/integrations s3/{importer,storage,exporter}/
 *   schema.json: `location` s3://<endpoint>/<bucket>, `access_key`, `secret_access_key` (required), `use_tls`
 *   (default true); source, store and destination connectors. Scaleway's endpoint is s3.<region>.scw.cloud
 *   (scaleway/terraform-provider-scaleway internal/services/object/helpers_object.go).
 * - Scaleway (a prebuilt package, no public source): plakar.io docs/community/main/integrations/scaleway: source and
 *   destination connectors; scaleway-instance and scaleway-block take access_key, secret_key, project_id, bucket,
 *   zone; scaleway-secret takes access_key, secret_key, project_id, region; locations per protocol.
 * - Inventories and secret providers are Control Plane plugins (PlakarKorp/go-inventory-sdk, go-secret-sdk); the CLI
 *   keeps stores, sources and destinations only (PlakarKorp/plakar subcommands/config/config.go).
 */
const S3 = "s3://s3.<region>.scw.cloud/<bucket>";
const PLAKAR_CLI: Record<string, { integration: string; locations: Record<string, string>; keys: string[] } | null> = {
  "object-storage": {
    integration: "s3",
    locations: { source: S3, store: S3, destination: S3 },
    keys: ["access_key", "secret_access_key", "use_tls"],
  },
  "object-storage-source": {
    integration: "s3",
    locations: { source: S3 },
    keys: ["access_key", "secret_access_key", "use_tls"],
  },
  "instance-backup": {
    integration: "scaleway",
    locations: { source: "scaleway-instance://<server-id>", destination: "scaleway-instance://spawn" },
    keys: ["access_key", "secret_key", "project_id", "bucket", "zone"],
  },
  "block-storage-backup": {
    integration: "scaleway",
    locations: { source: "scaleway-block://<volume-id>", destination: "scaleway-block://" },
    keys: ["access_key", "secret_key", "project_id", "bucket", "zone"],
  },
  "secret-manager-backup": {
    integration: "scaleway",
    locations: { source: "scaleway-secret://", destination: "scaleway-secret://" },
    keys: ["access_key", "secret_key", "project_id", "region"],
  },
  inventory: null,
  "secret-provider": null,
};

describe("Plakar's CLI, exactly", () => {
  it("covers every preset", () => {
    expect([...presets.keys()].sort()).toEqual(Object.keys(PLAKAR_CLI).sort());
  });

  it.each(Object.entries(PLAKAR_CLI))("%s: integration, roles and locations, option keys", (name, expected) => {
    const cli = presets.get(name)!.plakar.cli;
    expect(cli, name).toBeDefined();
    if (expected === null) {
      expect(cli).toHaveProperty("none");
      expect((cli as { none: string }).none).toMatch(/Control Plane/);
      return;
    }
    if (!cli || "none" in cli) throw new Error(`${name}: no CLI connectors`);
    expect(cli.integration).toBe(expected.integration);
    expect(Object.fromEntries(cli.connectors.map((c) => [c.role, c.location]))).toEqual(expected.locations);
    expect(cli.settings.map((s) => s.key)).toEqual(expected.keys);
  });

  it("the keys come from the credential where it can: the access and secret keys, the secrets' region", () => {
    for (const [name, expected] of Object.entries(PLAKAR_CLI)) {
      if (!expected) continue;
      const cli = presets.get(name)!.plakar.cli as { settings: { key: string; from: string; value?: string }[] };
      const from = Object.fromEntries(cli.settings.map((s) => [s.key, s.from]));
      expect(from.access_key, name).toBe("accessKey");
      expect(from.secret_key ?? from.secret_access_key, name).toBe("secretKey");
      if (from.project_id) expect(from.project_id, name).toBe("projectId");
      if (from.region) expect(from.region, name).toBe("region");
      // Bucket names and zones are the user's: the stack cannot know them.
      for (const key of ["bucket", "zone"]) if (from[key]) expect(from[key], `${name} ${key}`).toBe("user");
      // TLS on: the S3 integration's default, said explicitly as Plakar's pages do.
      if (from.use_tls)
        expect(cli.settings.find((s) => s.key === "use_tls")).toMatchObject({ from: "fixed", value: "true" });
    }
  });

  const form =
    "description: d\npermissionSets: [AllProductsReadOnly]\nplakar:\n  integration: x\n  fields:\n    - { label: Access key, from: accessKey }\n";
  const connectors = '    connectors:\n      - { role: source, location: "x://" }\n';
  it.each([
    [
      "a fixed option without its value",
      `  cli:\n    integration: s3\n${connectors}    settings:\n      - { key: use_tls, from: fixed }\n`,
      /plakar\.cli\.settings\[0\]: value: required for "from: fixed"/,
    ],
    [
      "a role twice",
      "  cli:\n    integration: s3\n    connectors:\n      - { role: source, location: a }\n      - { role: source, location: b }\n    settings:\n      - { key: access_key, from: accessKey }\n",
      /plakar\.cli\.connectors: lists a role twice/,
    ],
    [
      "an unknown role",
      "  cli:\n    integration: s3\n    connectors:\n      - { role: inventory, location: a }\n    settings:\n      - { key: access_key, from: accessKey }\n",
      /plakar\.cli/,
    ],
    [
      "a key that is not an option key",
      `  cli:\n    integration: s3\n${connectors}    settings:\n      - { key: "access key", from: accessKey }\n`,
      /plakar\.cli/,
    ],
    ["connectors and none at once", `  cli:\n    none: n\n    integration: s3\n${connectors}`, /plakar\.cli/],
  ])("refuses %s, naming the file and key", (_name, cli, message) => {
    expect(() => parsePreset("bad", form + cli, catalog)).toThrow(message);
  });

  it("accepts a preset that says the CLI has no counterpart, and one that says nothing", () => {
    expect(parsePreset("ok", `${form}  cli:\n    none: why\n`, catalog).plakar.cli).toEqual({ none: "why" });
    expect(parsePreset("ok", form, catalog).plakar.cli).toBeUndefined();
  });
});

describe("the command that adds a configuration", () => {
  const APPS = "0c1d2e3f-4a5b-4c6d-8e7f-8a9b0c1d2e3f";
  it("gives known values, <key> for the rest and for the secret, and quotes a name the shell would split", () => {
    const subject = { name: "vault (prod)", projects: [{ id: APPS, label: "apps" }] };
    const form = plakarForm(subject, presets.get("secret-manager-backup"), "pl-waw", undefined);
    const source = form.cli?.find((c) => c.role === "source");
    expect(source).toBeDefined();
    const command = cliCommand(source!, (s) => (s.from === "accessKey" ? "SCWACCESS" : (s.value ?? undefined)));
    expect(command).toBe(
      `plakar source add 'vault (prod)' scaleway-secret:// access_key=SCWACCESS secret_key=<secret_key> project_id=${APPS} region=pl-waw`,
    );
    // Even a value handed for the secret key is never written: the secret stays a placeholder.
    expect(cliCommand(source!, () => "LEAKED")).toContain("secret_key=<secret_key>");
    expect(cliCommand(source!, () => "LEAKED")).not.toContain("secret_key=LEAKED");
  });

  it("leaves the project to the user when the credential reaches several (the staging bucket's is not the instances')", () => {
    const subject = {
      name: "vms",
      projects: [
        { id: APPS, label: "apps" },
        { id: "1d2e3f4a-5b6c-4d7e-9f8a-9b0c1d2e3f4a", label: "backups" },
      ],
      preferredProject: { id: "1d2e3f4a-5b6c-4d7e-9f8a-9b0c1d2e3f4a", label: "backups" },
    };
    const form = plakarForm(subject, presets.get("instance-backup"), undefined, undefined);
    for (const c of form.cli ?? []) expect(c.settings.find((s) => s.key === "project_id")?.value).toBeUndefined();
    // One project: its ID, even with the preferred (staging) project set to another: project_id is the resources'.
    const one = plakarForm(
      { ...subject, projects: [subject.projects[0]] },
      presets.get("instance-backup"),
      undefined,
      undefined,
    );
    for (const c of one.cli ?? []) expect(c.settings.find((s) => s.key === "project_id")?.value).toBe(APPS);
  });

  it("a preset that says the CLI has none, and custom sets, give no configuration", () => {
    const subject = { name: "n", projects: [{ id: APPS, label: "apps" }] };
    const inventory = plakarForm(subject, presets.get("inventory"), undefined, undefined);
    expect(inventory.cli).toBeUndefined();
    expect(inventory.cliNone).toMatch(/no inventories/);
    const custom = plakarForm(subject, undefined, undefined, undefined);
    expect(custom).not.toHaveProperty("cli");
    expect(custom).not.toHaveProperty("cliNone");
  });
});
