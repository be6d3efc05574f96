/**
 * What Plakar's own open-source CLI takes for each credential (`plakar source|store|destination add <name> <location>
 * key=value...`), through the offline plan: the component's `plakar.cli` output in the stack outputs and the plan's
 * JSON, the table and the Markdown report; and the access by project in both views, from the real command. The
 * expected keys and locations are written from Plakar's pages (plakar.io docs/community/main/integrations: the S3
 * page and the Scaleway page) and the S3 integration's schemas (PlakarKorp/integrations s3/{importer,storage,
 * exporter}/schema.json), not from presets/. The secret keys the mocks hand out never appear.
 */
import { beforeEach, describe, expect, it } from "vitest";
import type { OfflinePlan } from "../tools/plan/offline";
import { renderJson, renderMarkdown, renderTable } from "../tools/plan/render";
import { APPS, BACKUPS, ORG } from "./support/config";
import { freshOffline, oncePerFile, rawMonitorState, runInProcess, tempDir, writeStackFile } from "./support/offline";

const NOW = new Date("2026-11-26T12:00:00Z");
const CANARY = "CLI-CANARY-7a1b2c-secret";

const CONFIG = {
  organizationId: ORG,
  allowAllProjects: true,
  projects: { apps: APPS, backups: BACKUPS },
  secretManager: { project: "backups", region: "nl-ams" },
  credentials: {
    buckets: { preset: "object-storage", projects: ["backups"] },
    sources: { preset: "object-storage-source", projects: ["apps"] },
    vms: { preset: "instance-backup", projects: ["apps"], stagingProject: "backups" },
    volumes: { preset: "block-storage-backup", projects: ["apps"] },
    vault: { preset: "secret-manager-backup", projects: ["apps"], region: "pl-waw", deliver: "secret-manager" },
    inventory: { preset: "inventory", projects: ["apps"] },
    provider: { preset: "secret-provider", projects: ["backups"], region: "nl-ams" },
    custom: {
      rules: [
        { projects: "*", permissionSets: ["AllProductsReadOnly"] },
        { projects: ["backups"], permissionSets: ["SecretManagerReadOnly"] },
      ],
    },
  },
};

interface Setting {
  key: string;
  value?: string;
  secretFrom?: string;
  hint?: string;
}
interface Configuration {
  role: string;
  integration: string;
  location: string;
  locationHint?: string;
  settings: Setting[];
  command: string;
}
interface CredentialOutput {
  accessKey: string;
  delivery: { secretId: string } | null;
  plakar: { integration: string; cli?: Configuration[] };
}

// Plakar's S3 page and schemas: location s3://<endpoint>/<bucket>, access_key, secret_access_key, use_tls.
// Scaleway's endpoint: s3.<region>.scw.cloud.
const S3_KEYS = ["access_key", "secret_access_key", "use_tls"];
const S3_LOCATION = "s3://s3.<region>.scw.cloud/<bucket>";
// Plakar's Scaleway page: shared options per protocol; a source and a destination, no store.
const COMPUTE_KEYS = ["access_key", "secret_key", "project_id", "bucket", "zone"];
const SECRET_KEYS = ["access_key", "secret_key", "project_id", "region"];
const EXPECTED: Record<string, { integration: string; roles: Record<string, string>; keys: string[] }> = {
  buckets: {
    integration: "s3",
    roles: { source: S3_LOCATION, store: S3_LOCATION, destination: S3_LOCATION },
    keys: S3_KEYS,
  },
  sources: { integration: "s3", roles: { source: S3_LOCATION }, keys: S3_KEYS },
  vms: {
    integration: "scaleway",
    roles: { source: "scaleway-instance://<server-id>", destination: "scaleway-instance://spawn" },
    keys: COMPUTE_KEYS,
  },
  volumes: {
    integration: "scaleway",
    roles: { source: "scaleway-block://<volume-id>", destination: "scaleway-block://" },
    keys: COMPUTE_KEYS,
  },
  vault: {
    integration: "scaleway",
    roles: { source: "scaleway-secret://", destination: "scaleway-secret://" },
    keys: SECRET_KEYS,
  },
};

let result: OfflinePlan;
let raw: string;
let credentials: Record<string, CredentialOutput>;
let file: string;

beforeEach(
  oncePerFile(async () => {
    file = writeStackFile(tempDir(), "Pulumi.cli.yaml", CONFIG);
    result = await freshOffline({ stack: "cli", configFile: file, now: NOW, secretKeyFor: () => CANARY });
    raw = rawMonitorState();
    credentials = result.outputs.credentials as Record<string, CredentialOutput>;
  }),
  60_000,
);

describe("Plakar CLI settings in the component's output (stack outputs, plan JSON)", () => {
  it("the mocks really handed out the canary secret key (the leak checks below can fail)", () => {
    expect(raw).toContain(CANARY);
  });

  it("one configuration per role each credential can play, with the integration's location", () => {
    for (const [key, expected] of Object.entries(EXPECTED)) {
      const cli = credentials[key].plakar.cli ?? [];
      expect(Object.fromEntries(cli.map((c) => [c.role, c.location])), key).toEqual(expected.roles);
      for (const c of cli) {
        expect(c.integration, key).toBe(expected.integration);
        expect(
          c.settings.map((s) => s.key),
          `${key} ${c.role}`,
        ).toEqual(expected.keys);
      }
    }
  });

  it("a credential that is a source, a store and a destination names the bucket of each", () => {
    const hints = (credentials.buckets.plakar.cli ?? []).map((c) => [c.role, c.locationHint ?? ""]);
    expect(hints.map(([role]) => role).sort()).toEqual(["destination", "source", "store"]);
    for (const [role, hint] of hints) expect(hint, role).toMatch(/<bucket>: .*<region>: /);
    expect(new Set(hints.map(([, hint]) => hint)).size).toBe(3);
  });

  it("fills in what the stack knows: the access key, use_tls, the only project, the region", () => {
    const setting = (key: string, role: string, name: string) =>
      credentials[key].plakar.cli?.find((c) => c.role === role)?.settings.find((s) => s.key === name);
    for (const key of ["buckets", "sources", "vms", "volumes", "vault"]) {
      expect(setting(key, "source", "access_key"), key).toEqual({
        key: "access_key",
        value: credentials[key].accessKey,
      });
      expect(credentials[key].accessKey, key).toMatch(/^SCW/);
    }
    expect(setting("buckets", "store", "use_tls")).toEqual({ key: "use_tls", value: "true" });
    // One project: its ID. The instances' project is not the staging project, so with two it is left to the user.
    expect(setting("volumes", "source", "project_id")?.value).toBe(APPS);
    expect(setting("vault", "destination", "project_id")?.value).toBe(APPS);
    expect(setting("vms", "source", "project_id")?.value).toBeUndefined();
    expect(setting("vms", "source", "project_id")?.hint).toMatch(/project/);
    expect(setting("vault", "source", "region")?.value).toBe("pl-waw");
    expect(setting("vms", "source", "bucket")?.hint).toMatch(/staging bucket/);
  });

  it("references the secret key, never gives it: the stack output, or <secret_id>#secret_key when delivered", () => {
    for (const key of ["buckets", "sources", "vms", "volumes"]) {
      for (const c of credentials[key].plakar.cli ?? []) {
        const secret = c.settings.find((s) => s.key.startsWith("secret"));
        expect(secret, `${key} ${c.role}`).toEqual({
          key: key === "buckets" || key === "sources" ? "secret_access_key" : "secret_key",
          secretFrom: `credentials.${key}.secretKey: pulumi stack output --show-secrets credentials`,
        });
      }
    }
    const secretId = credentials.vault.delivery?.secretId;
    expect(secretId).toMatch(/^[0-9a-f-]{36}$/);
    for (const c of credentials.vault.plakar.cli ?? []) {
      expect(c.settings.find((s) => s.key === "secret_key")).toEqual({
        key: "secret_key",
        secretFrom: `${secretId}#secret_key`,
      });
    }
  });

  it("the command adds the configuration: known values in place, <key> for the rest and always for the secret", () => {
    for (const key of Object.keys(EXPECTED)) {
      for (const c of credentials[key].plakar.cli ?? []) {
        const words = c.command.split(" ");
        expect(words.slice(0, 5), `${key} ${c.role}`).toEqual([
          "plakar",
          c.role,
          "add",
          `plakar-cli-${key}`,
          c.location,
        ]);
        expect(words.slice(5)).toEqual(
          c.settings.map((s) => `${s.key}=${s.value !== undefined ? s.value : `<${s.key}>`}`),
        );
        expect(c.command).toMatch(/ secret(_access)?_key=<secret(_access)?_key>( |$)/);
      }
    }
  });

  it("inventories, secret providers and custom sets have no CLI configuration (Control Plane only, or no integration)", () => {
    for (const key of ["inventory", "provider", "custom"]) {
      expect(credentials[key].plakar, key).not.toHaveProperty("cli");
    }
  });

  it("never holds the secret key: outputs, plan JSON", () => {
    expect(JSON.stringify(result.outputs)).not.toContain(CANARY);
    expect(renderJson(result)).not.toContain(CANARY);
    expect(JSON.parse(renderJson(result)).outputs.credentials.buckets.plakar.cli).toHaveLength(3);
  });
});

describe("Plakar CLI settings in the table and the Markdown report", () => {
  it("the table shows per credential each configuration, its command and where each value comes from", () => {
    const table = renderTable(result);
    expect(table).not.toContain(CANARY);
    const block = table.slice(table.indexOf("buckets  [object-storage]"), table.indexOf("custom  [custom]"));
    for (const role of ["source", "store", "destination"]) {
      expect(block).toContain(`${role} (integration s3): plakar ${role} add plakar-cli-buckets ${S3_LOCATION} `);
    }
    expect(block).toMatch(
      /\n {22}secret_access_key: pulumi stack output --show-secrets credentials: credentials\.buckets\.secretKey\n/,
    );
    const vault = table.slice(table.indexOf("vault  [secret-manager-backup]"));
    expect(vault).toMatch(/\n {22}secret_key: secret \/plakar\/cli\/vault, field secret_key/);
    expect(vault).toMatch(new RegExp(`\\n {22}project_id: ${APPS}\\n {22}region: pl-waw\\n`));
    const inventory = table.slice(table.indexOf("inventory  [inventory]"));
    expect(inventory).toMatch(/\n {2}plakar CLI +Plakar's CLI has no inventories/);
    const provider = table.slice(table.indexOf("provider  [secret-provider]"));
    expect(provider).toMatch(/\n {2}plakar CLI +Plakar's CLI has no secret providers/);
  });

  it("the Markdown report has a Plakar CLI table: a row per credential and role", () => {
    const report = renderMarkdown(result.resolved);
    expect(report).not.toContain(CANARY);
    const section = report.slice(report.indexOf("#### Plakar CLI"));
    const rows = section.split("\n").filter((l) => l.startsWith("| `"));
    const roles = rows.map((r) => r.split(" | ").slice(0, 2).join(" "));
    expect(roles).toEqual([
      "| `buckets` source",
      "| `buckets` store",
      "| `buckets` destination",
      "| `custom` -",
      "| `inventory` -",
      "| `provider` -",
      "| `sources` source",
      "| `vault` source",
      "| `vault` destination",
      "| `vms` source",
      "| `vms` destination",
      "| `volumes` source",
      "| `volumes` destination",
    ]);
    expect(rows.find((r) => r.startsWith("| `volumes` | destination"))).toContain("`scaleway-block://`");
    expect(rows.find((r) => r.startsWith("| `buckets` | store"))).toContain(
      "`secret_access_key`: `pulumi stack output --show-secrets credentials: credentials.buckets.secretKey`",
    );
  });
});

describe("the plan command's views (table, Markdown) in process: access by project, and no secret", () => {
  /** The fake secret keys the offline plan's own mocks hand out. */
  const FAKE_SECRET = /offline-[0-9a-f]{32}/;

  it("prints the access by project and never a mocked secret key", async () => {
    const args = (format: string) => ["--config", file, "--format", format, "--now", NOW.toISOString()];
    const table = await runInProcess("plan", args("table"));
    // Control: the plan's own mocks did hand out keys of that form.
    expect(rawMonitorState()).toMatch(FAKE_SECRET);
    expect(table.code, table.stderr).toBe(0);
    expect(table.stdout).not.toMatch(FAKE_SECRET);
    const access = table.stdout.slice(table.stdout.indexOf("\nAccess by project\n"));
    expect(access).toContain(`\n  apps (${APPS})\n`);
    expect(access).toMatch(/\n {4}custom \(plakar-cli-custom\): SecretManagerReadOnly\n/);
    expect(access).toMatch(
      new RegExp(
        `\\n {2}all current and future projects of organization ${ORG}\\n {4}custom \\(plakar-cli-custom\\): AllProductsReadOnly\\n`,
      ),
    );

    const markdown = await runInProcess("plan", args("markdown"));
    expect(markdown.code, markdown.stderr).toBe(0);
    expect(markdown.stdout).not.toMatch(FAKE_SECRET);
    expect(markdown.stdout).toContain("#### Access by project");
    expect(markdown.stdout).toMatch(
      new RegExp(`\\| \`backups\` \`${BACKUPS}\` \\| \`buckets\` \\| \`plakar-cli-buckets\` \\|`),
    );
    expect(markdown.stdout).toMatch(/\| `custom` \| `plakar-cli-custom` \| `AllProductsReadOnly` \|/);
    expect(markdown.stdout).toContain("#### Plakar CLI");
  }, 60_000);
});
