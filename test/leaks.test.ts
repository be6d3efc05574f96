/**
 * No leaks: with a mocked provider that hands out a recognisable secret key, that value never appears in the
 * offline plan (any format), in stack outputs other than as "[secret]", in check-expiry's output, or in an error
 * message. Every scenario first proves the canary really went through the program (the tests can fail).
 */
import { createHash } from "crypto";
import * as fs from "fs";
import * as path from "path";
import { beforeAll, describe, expect, it } from "vitest";
import { ConfigError } from "../components/domain/errors";
import { assessExpiry, renderExpiryTable } from "../tools/check-expiry/expiry";
import { type OfflinePlan, SECRET_PLACEHOLDER } from "../tools/plan/offline";
import { renderJson, renderMarkdown, renderTable } from "../tools/plan/render";
import { PROJECT, ROOT } from "./support/arbitraries";
import {
  freshOffline,
  rawMonitorState,
  runInProcess,
  runScript,
  type ScriptResult,
  tempDir,
  writeStackFile,
} from "./support/offline";

const SECRET = "LEAK-CANARY-9f8e7d6c-secret";
/** Day 2 of the rotation generation starting 2026-09-17: every rotated credential also has a previous key. */
const NOW = new Date("2026-09-18T00:00:00Z");
const NOW_ARG = "2026-09-18T00:00:00Z";

/** The secret as it could appear once encoded: plain (also inside JSON), base64, base64url, hex, URL-encoded. */
function encodings(secret: string): string[] {
  const bytes = Buffer.from(secret, "utf8");
  return [
    secret,
    bytes.toString("base64"),
    bytes.toString("base64url"),
    bytes.toString("hex"),
    encodeURIComponent(secret),
  ];
}

function expectNoLeak(label: string, text: string, secret = SECRET): void {
  for (const form of encodings(secret)) {
    expect(text.includes(form), `${label} contains the secret key (as ${form})`).toBe(false);
  }
}

/** The default fake secret key of tools/offline.ts for an API key resource. */
function defaultFakeSecret(resourceName: string): string {
  return `offline-${createHash("sha256").update(`secret::${resourceName}`).digest("hex").slice(0, 32)}`;
}
const DEFAULT_FAKE = /offline-[0-9a-f]{32}/;

/** Replaces every "[secret]" with `secret`: the outputs as `pulumi stack output --show-secrets --json` prints them. */
function revealed(value: unknown, secret: string): unknown {
  if (value === SECRET_PLACEHOLDER) return secret;
  if (Array.isArray(value)) return value.map((v) => revealed(v, secret));
  if (value && typeof value === "object") {
    return Object.fromEntries(Object.entries(value).map(([k, v]) => [k, revealed(v, secret)]));
  }
  return value;
}

/** A stack with Secret Manager delivery, a pinned key, a custom credential and all-projects scope. */
const DELIVERY_CONFIG = {
  organizationId: "5b0a1c2d-3e4f-4a5b-8c6d-7e8f9a0b1c2d",
  projects: {
    apps: "0c1d2e3f-4a5b-4c6d-8e7f-8a9b0c1d2e3f",
    backups: "1d2e3f4a-5b6c-4d7e-9f8a-9b0c1d2e3f4a",
    vault: "4a5b6c7d-8e9f-4a0b-8c1d-2e3f4a5b6c7d",
  },
  allowAllProjects: true,
  tags: ["team=platform"],
  secretManager: { project: "vault", region: "nl-ams", pathPrefix: "/plakar" },
  credentials: {
    secrets: { preset: "secret-provider", projects: ["vault"] },
    buckets: {
      preset: "object-storage",
      projects: ["backups", "apps"],
      preferredProject: "backups",
      deliver: "secret-manager",
    },
    inventory: { preset: "inventory", projects: ["apps"], deliver: "secret-manager" },
    vault: {
      preset: "secret-manager-backup",
      projects: "*",
      deliver: "secret-manager",
      expiresAt: "2026-12-01T00:00:00Z",
    },
    custom: {
      permissionSets: ["BlockStorageReadOnly", "ObjectStorageReadOnly"],
      projects: ["backups"],
      deliver: "outputs",
    },
  },
};

interface Scenario {
  readonly name: string;
  readonly stack: string;
  readonly configFile: string;
  readonly delivered: boolean;
}

let dir: string;
let deliveryFile: string;
const scenarios: Scenario[] = [];
const results = new Map<string, { result: OfflinePlan; raw: string }>();

beforeAll(async () => {
  dir = tempDir();
  deliveryFile = writeStackFile(dir, "Pulumi.delivery.yaml", DELIVERY_CONFIG, { "scaleway:region": "fr-par" });
  scenarios.push(
    {
      name: "example stack staging",
      stack: "staging",
      configFile: path.join(ROOT, "Pulumi.staging.yaml"),
      delivered: false,
    },
    { name: "example stack prod", stack: "prod", configFile: path.join(ROOT, "Pulumi.prod.yaml"), delivered: false },
    { name: "secret-manager delivery", stack: "staging", configFile: deliveryFile, delivered: true },
  );
  for (const s of scenarios) {
    const result = await freshOffline({
      stack: s.stack,
      configFile: s.configFile,
      now: NOW,
      secretKeyFor: () => SECRET,
    });
    results.set(s.name, { result, raw: rawMonitorState() });
  }
});

describe.each(["example stack staging", "example stack prod", "secret-manager delivery"])("no leaks: %s", (name) => {
  const get = () => results.get(name)!;

  it("the mocked provider did hand out the canary secret key (control)", () => {
    expect(get().raw).toContain(SECRET);
    expect(get().result.resources.some((r) => r.type === "scaleway:iam/apiKey:ApiKey")).toBe(true);
  });

  it("the plan, in every format, never contains it", () => {
    const { result } = get();
    expectNoLeak("renderJson (plan --json)", renderJson(result));
    expectNoLeak("renderTable (plan)", renderTable(result));
    expectNoLeak("renderMarkdown (plan --format markdown)", renderMarkdown(result.resolved));
    expectNoLeak("the whole offline result (resources, outputs, plan)", JSON.stringify(result));
  });

  it('stack outputs show every secret key as "[secret]" and nothing else carries it', () => {
    const { result } = get();
    const credentials = result.outputs.credentials as Record<string, Record<string, unknown>>;
    expect(Object.keys(credentials).sort()).toEqual(result.resolved.credentials.map((c) => c.key));
    let previous = 0;
    for (const [key, out] of Object.entries(credentials)) {
      expect(out.secretKey, `${key}.secretKey`).toBe(SECRET_PLACEHOLDER);
      expect((out.current as Record<string, unknown>).secretKey, `${key}.current.secretKey`).toBe(SECRET_PLACEHOLDER);
      if (out.previous !== null) {
        previous++;
        expect((out.previous as Record<string, unknown>).secretKey, `${key}.previous.secretKey`).toBe(
          SECRET_PLACEHOLDER,
        );
      }
    }
    if (name !== "example stack prod") expect(previous, "previous keys in their overlap").toBeGreaterThan(0);
    expectNoLeak("stack outputs", JSON.stringify(result.outputs));
  });

  it("check-expiry's table and JSON never contain it, even from --show-secrets outputs", () => {
    const { result } = get();
    const shown = revealed(result.outputs, SECRET);
    expect(JSON.stringify(shown), "control: the revealed outputs hold the secret").toContain(SECRET);
    for (const [label, outputs] of [
      ["outputs", result.outputs],
      ["--show-secrets outputs", shown],
    ] as const) {
      const report = assessExpiry(outputs, NOW, 14);
      expect(report.keys.length).toBeGreaterThan(0);
      expectNoLeak(`check-expiry table from ${label}`, renderExpiryTable(report));
      expectNoLeak(
        `check-expiry --json from ${label}`,
        JSON.stringify({ source: "standard input", ...report }, null, 2),
      );
    }
  });
});

describe("no leaks: Secret Manager delivery", () => {
  it("writes the secret key only into the (secret) secret version", () => {
    const { result, raw } = results.get("secret-manager delivery")!;
    const versions = result.resources.filter((r) => r.type === "scaleway:secrets/version:Version");
    expect(versions).toHaveLength(3);
    for (const v of versions)
      expect((v.inputs as Record<string, unknown>).data, `${v.name} data`).toBe(SECRET_PLACEHOLDER);
    // Control: the version the provider received does carry the key (what Plakar will read).
    const monitorVersions = raw.match(/secrets\/version:Version[^]*?(?=urn:pulumi|$)/g) ?? [];
    expect(monitorVersions.some((v) => v.includes(SECRET))).toBe(true);
    // What Plakar is told for a delivered key: a reference to the secret's field, never the key itself.
    const credentials = result.outputs.credentials as Record<string, { plakar: unknown }>;
    const instructions = JSON.stringify(credentials.buckets.plakar);
    expect(instructions).toMatch(/#secret_key"/);
    expectNoLeak("plakar instructions", instructions);
  });
});

describe("no leaks: error messages", () => {
  it("config errors never carry the mocked secret key", async () => {
    const bad = [
      { ...DELIVERY_CONFIG, secretManager: { ...DELIVERY_CONFIG.secretManager, project: "vaults" } },
      {
        ...DELIVERY_CONFIG,
        credentials: { ...DELIVERY_CONFIG.credentials, secrets: { preset: "secret-provider", projects: ["apps"] } },
      },
      { ...DELIVERY_CONFIG, apiKeys: { rotateEveryDays: 10, overlapDays: 10 } },
    ];
    for (const [i, config] of bad.entries()) {
      const file = writeStackFile(dir, `bad-${i}.yaml`, config, { "scaleway:secret_key": SECRET });
      let thrown: unknown;
      try {
        await freshOffline({ stack: "staging", configFile: file, now: NOW, secretKeyFor: () => SECRET });
      } catch (err) {
        thrown = err;
      }
      expect(thrown, `bad config ${i}`).toBeInstanceOf(ConfigError);
      expectNoLeak(
        `config error ${i}`,
        `${(thrown as Error).message}\n${(thrown as Error).stack ?? ""}\n${JSON.stringify((thrown as ConfigError).issues)}`,
      );
    }
  });

  it("a plaintext provider secret in the stack file stays out of the plan", async () => {
    const file = writeStackFile(dir, "provider-secret.yaml", DELIVERY_CONFIG, {
      "scaleway:secret_key": SECRET,
      "scaleway:access_key": "SCWXXXXXXXXXXXXXXXXX",
    });
    const result = await freshOffline({ stack: "staging", configFile: file, now: NOW });
    expectNoLeak("plan --json", renderJson(result));
    expectNoLeak("plan table", renderTable(result));
    expectNoLeak("plan markdown", renderMarkdown(result.resolved));
  });

  it("an encrypted (secure) value is refused without echoing its ciphertext", async () => {
    const file = path.join(dir, "secure.yaml");
    fs.writeFileSync(
      file,
      `config:\n  ${PROJECT}:organizationId: 5b0a1c2d-3e4f-4a5b-8c6d-7e8f9a0b1c2d\n  ${PROJECT}:namePrefix:\n    secure: v1:${SECRET}\n`,
    );
    let thrown: unknown;
    try {
      await freshOffline({ stack: "staging", configFile: file, now: NOW });
    } catch (err) {
      thrown = err;
    }
    expect(thrown).toBeInstanceOf(ConfigError);
    expect((thrown as Error).message).toContain(`${PROJECT}:namePrefix`);
    expectNoLeak("secure value error", (thrown as Error).message);
  });

  it("check-expiry's errors on malformed --show-secrets outputs never carry the secret key", () => {
    const malformed: unknown[] = [
      { credentials: { buckets: SECRET } },
      { credentials: { buckets: { current: SECRET } } },
      { credentials: { buckets: { accessKey: "SCW0000000000000000", secretKey: SECRET, expiresAt: "soon" } } },
      {
        credentials: {
          buckets: { current: { accessKey: "SCW0000000000000000", secretKey: SECRET, expiresAt: 42 } },
          previous: SECRET,
        },
      },
      { buckets: { secretKey: SECRET } },
    ];
    for (const [i, outputs] of malformed.entries()) {
      let thrown: unknown;
      try {
        assessExpiry(outputs, NOW, 14);
      } catch (err) {
        thrown = err;
      }
      expect(thrown, `malformed outputs ${i}`).toBeInstanceOf(ConfigError);
      expectNoLeak(`check-expiry error ${i}`, (thrown as Error).message);
    }
  });
});

describe("no leaks: the CLI (in-process, and one real process)", () => {
  let runs: Record<string, ScriptResult>;
  let stagingKeyNames: string[];

  beforeAll(async () => {
    // Control for the default fake: the in-process run hands out exactly these values.
    const staging = await freshOffline({ stack: "staging", now: NOW });
    stagingKeyNames = staging.resources.filter((r) => r.type === "scaleway:iam/apiKey:ApiKey").map((r) => r.name);
    expect(stagingKeyNames.length).toBeGreaterThan(0);
    const raw = rawMonitorState();
    for (const n of stagingKeyNames) expect(raw).toContain(defaultFakeSecret(n));

    const shown = path.join(dir, "show-secrets.json");
    fs.writeFileSync(
      shown,
      JSON.stringify(revealed(results.get("secret-manager delivery")!.result.outputs, SECRET), null, 2),
    );
    const broken = path.join(dir, "broken.json");
    fs.writeFileSync(
      broken,
      `{"credentials":{"buckets":{"secretKey":"${SECRET}","expiresAt":"2026-12-30T00:00:00Z",}}}`,
    );
    // The commands' main, in this process (one at a time: the SDK is global); plan --json also as a real process.
    const planJson = await runScript("plan", ["--json", "--now", NOW_ARG]);
    const planTable = await runInProcess("plan", ["--config", deliveryFile, "--stack", "staging", "--now", NOW_ARG]);
    const planMarkdown = await runInProcess("plan", [
      "--config",
      deliveryFile,
      "--stack",
      "staging",
      "--format",
      "markdown",
      "--now",
      NOW_ARG,
    ]);
    const expiryOffline = await runInProcess("check-expiry", ["--offline", "--json", "--now", NOW_ARG]);
    const expiryShown = await runInProcess("check-expiry", ["--outputs", shown, "--now", NOW_ARG]);
    const expiryBroken = await runInProcess("check-expiry", ["--outputs", broken, "--now", NOW_ARG]);
    runs = { planJson, planTable, planMarkdown, expiryOffline, expiryShown, expiryBroken };
  }, 60_000);

  it("every run did its job", () => {
    expect(runs.planJson.code, runs.planJson.stderr).toBe(0);
    expect(JSON.parse(runs.planJson.stdout).resources.length).toBeGreaterThan(0);
    expect(runs.planTable.code, runs.planTable.stderr).toBe(0);
    expect(runs.planTable.stdout).toContain("Secret Manager /plakar/staging/buckets");
    expect(runs.planMarkdown.code, runs.planMarkdown.stderr).toBe(0);
    expect(runs.planMarkdown.stdout).toContain("| Credential |");
    expect([0, 1]).toContain(runs.expiryOffline.code);
    expect(JSON.parse(runs.expiryOffline.stdout).keys.length).toBeGreaterThan(0);
    expect([0, 1]).toContain(runs.expiryShown.code);
    expect(runs.expiryShown.stdout).toContain("buckets");
    expect(runs.expiryBroken.code).toBe(2);
  });

  it("plan and check-expiry never print the default fake secret keys", () => {
    const names = JSON.parse(runs.planJson.stdout)
      .resources.filter((r: { type: string }) => r.type === "scaleway:iam/apiKey:ApiKey")
      .map((r: { name: string }) => r.name);
    expect(names.sort()).toEqual([...stagingKeyNames].sort());
    for (const [label, run] of Object.entries(runs)) {
      const text = run.stdout + run.stderr;
      expect(text, `${label} prints a default fake secret key`).not.toMatch(DEFAULT_FAKE);
      for (const n of names) expectNoLeak(label, text, defaultFakeSecret(n));
    }
  });

  it("check-expiry never prints a secret key it was given (--show-secrets outputs, malformed outputs)", () => {
    expectNoLeak("check-expiry --outputs show-secrets.json", runs.expiryShown.stdout + runs.expiryShown.stderr);
    expectNoLeak("check-expiry --outputs broken.json", runs.expiryBroken.stdout + runs.expiryBroken.stderr);
    expect(runs.expiryBroken.stderr).toContain("broken.json: is not valid JSON");
  });
});
