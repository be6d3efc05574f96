/**
 * preflight against a stand-in of Scaleway's API (test/support/scaleway-standin.ts): a healthy organization, each
 * finding, pagination, the API's errors and a refused connection, the identity pulumi up will use, delivered secrets,
 * adoption as the provider compares it, and hostile answers (redirects, 429s, lying totals, names that would forge
 * output). Runs in-process through `main`; two tests run the real command. Every test also checks that no request
 * wrote anything and that no output holds the secret key, in any spelling.
 */
import { spawn } from "child_process";
import * as fs from "fs";
import * as net from "net";
import * as os from "os";
import * as path from "path";
import { afterEach, describe, expect, it } from "vitest";
import { PlakarCredential } from "../components/plakarCredential";
import { parseCatalog } from "../components/domain/catalog";
import { runOffline } from "../tools/plan/offline";
import { renderJson } from "../tools/plan/render";
import { type PreflightIO, main } from "../tools/preflight/main";
import {
  apiUrlProblem,
  backoffMs,
  deployCredentials,
  neutralizeWorkflowCommands,
  providerStackConfig,
  readOnlyFetch,
  redact,
} from "../tools/preflight/client";
import { catalogAsLive, type Standin, type StandinState, startStandin } from "./support/scaleway-standin";

const ROOT = path.join(__dirname, "..");
const FIXTURE = path.join(ROOT, "test", "fixtures", "preflight", "staging.yaml");
const NOW = new Date("2026-03-02T00:00:00Z");

const ORG = "11111111-1111-4111-8111-111111111111";
const OTHER_ORG = "99999999-9999-4999-8999-999999999999";
const APPS = "22222222-2222-4222-8222-222222222222";
const BACKUPS = "33333333-3333-4333-8333-333333333333";
const DEPLOYER = "44444444-4444-4444-8444-444444444444";
const DEPLOY_POLICY = "66666666-6666-4666-8666-666666666666";
const ACCESS_KEY = "SCWAAAAAAAAAAAAAAAAA";
// A made-up secret key: the stand-in accepts it, and no output may ever contain it.
const SECRET = "55555555-5555-4555-8555-555555555555";
const STACK_TAGS = ["managed-by=pulumi", "stack=staging", "team=platform"];

function healthy(): StandinState {
  return {
    organizationId: ORG,
    secretKey: SECRET,
    keys: [{ access_key: ACCESS_KEY, application_id: DEPLOYER, description: "CI deploy" }],
    applications: [{ id: DEPLOYER, name: "plakar-iam-ci-deploy", organization_id: ORG }],
    users: [],
    groups: [],
    policies: [{ id: DEPLOY_POLICY, name: "ci-deploy", organization_id: ORG, application_id: DEPLOYER }],
    rules: {
      [DEPLOY_POLICY]: [
        {
          id: "r-iam",
          permission_set_names: ["IAMManager"],
          permission_sets_scope_type: "organization",
          organization_id: ORG,
        },
        {
          id: "r-secrets",
          permission_set_names: ["SecretManagerFullAccess"],
          permission_sets_scope_type: "projects",
          project_ids: [BACKUPS],
        },
      ],
    },
    projects: [
      { id: APPS, name: "Apps", organization_id: ORG },
      { id: BACKUPS, name: "Backups", organization_id: ORG },
    ],
    foreignProjects: [],
    permissionSets: catalogAsLive(ROOT),
    secrets: [],
    quota: [
      { name: "api_keys", limit: 50 },
      { name: "applications", limit: 100 },
      { name: "policies", limit: 50 },
    ],
    maxApiKeyExpiration: "31536000s",
    maxPageSize: 100,
  };
}

let standin: Standin | undefined;
afterEach(async () => {
  await standin?.close();
  standin = undefined;
});

interface Run {
  code: number;
  stdout: string;
  stderr: string;
  /** The non-ok lines of the human output. */
  findings: string[];
  /** The waits of the 429 backoff, in milliseconds (recorded, not waited). */
  sleeps: number[];
}

/** The secret key as a server or a library might spell it: no output may hold any of these. */
function spellingsOf(secret: string): string[] {
  return [
    secret,
    secret.toUpperCase(),
    secret.replace(/-/g, ""),
    secret.replace(/-/g, "%2D"),
    encodeURIComponent(secret),
  ];
}

function envFor(url: string, extra: Record<string, string> = {}): Record<string, string> {
  return {
    SCW_ACCESS_KEY: ACCESS_KEY,
    SCW_SECRET_KEY: SECRET,
    SCW_API_URL: url,
    // No config file of the machine's user may leak in.
    HOME: path.join(os.tmpdir(), "plakar-preflight-no-home"),
    ...extra,
  };
}

async function preflight(
  state: StandinState,
  args: string[] = [],
  options: { env?: Record<string, string>; io?: Partial<PreflightIO>; config?: string } = {},
): Promise<Run> {
  standin = await startStandin(state);
  return runAgainst(standin.url, args, options);
}

async function runAgainst(
  url: string,
  args: string[],
  options: { env?: Record<string, string>; io?: Partial<PreflightIO>; config?: string } = {},
): Promise<Run> {
  let stdout = "";
  let stderr = "";
  const sleeps: number[] = [];
  const code = await main(
    ["--stack", "staging", "--config", options.config ?? FIXTURE, ...args],
    options.env ?? envFor(url),
    {
      stdout: (t) => (stdout += t),
      stderr: (t) => (stderr += t),
      root: ROOT,
      cwd: ROOT,
      now: NOW,
      sleep: async (ms) => void sleeps.push(ms),
      ...options.io,
    },
  );
  for (const spelling of spellingsOf(SECRET))
    expect((stdout + stderr).toLowerCase()).not.toContain(spelling.toLowerCase());
  if (standin) {
    expect(standin.requests.filter((r) => r.method !== "GET")).toEqual([]);
  }
  const findings = stdout.split("\n").filter((l) => /^(warn|error) /.test(l));
  return { code, stdout, stderr, findings, sleeps };
}

function stackFile(body: string): string {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), "plakar-preflight-"));
  const file = path.join(dir, "Pulumi.staging.yaml");
  fs.writeFileSync(file, body);
  return file;
}

/** The fixture with `extra` YAML appended under the credential `inventory`. */
function withInventory(extra: string): string {
  const text = fs.readFileSync(FIXTURE, "utf8");
  return stackFile(text.replace("      projects: [apps]\n", `      projects: [apps]\n${extra}`));
}

describe("a healthy organization", () => {
  it("passes every check, one ok line each, with GET requests only and the secret key only in X-Auth-Token", async () => {
    const r = await preflight(healthy());
    expect(r.code).toBe(0);
    expect(r.stderr).toBe("");
    expect(r.findings).toEqual([]);
    expect(r.stdout).toContain(`ok    projects.apps: ${APPS} is project "Apps"`);
    expect(r.stdout).toContain(`ok    projects.backups: ${BACKUPS} is project "Backups"`);
    expect(r.stdout).toMatch(/ok {4}organizationId: .*belong to organization 11111111/);
    expect(r.stdout).toMatch(
      /quota api_keys: 1 API keys exist \+ 6 more at the stack's peak = 7, within the limit of 50/,
    );
    expect(r.stdout).toMatch(/quota applications: 1 applications exist \+ 3 more .* = 4/);
    expect(r.stdout).toMatch(/may manage the delivered secrets in project backups: SecretManagerFullAccess/);
    expect(r.stdout).toContain(
      `ok    pulumi up run here would use access key "${ACCESS_KEY}" (SCW_ACCESS_KEY): application "plakar-iam-ci-deploy" (${DEPLOYER}), the identity preflight reads with`,
    );
    expect(r.stdout).toContain(
      "ok    credentials.buckets.deliver: no secret at /plakar/staging/buckets in project backups (fr-par) yet: pulumi up creates it",
    );
    expect(r.stdout.trim().split("\n").at(-1)).toBe("no errors, 0 warnings: pulumi up can go ahead");
    const requests = standin!.requests;
    expect(requests.every((q) => q.method === "GET" && q.authenticated)).toBe(true);
    // Every read the checks rely on was made.
    const paths = new Set(requests.map((q) => q.path));
    for (const p of [
      `/iam/v1alpha1/api-keys/${ACCESS_KEY}`,
      `/iam/v1alpha1/applications/${DEPLOYER}`,
      "/account/v3/projects",
      "/iam/v1alpha1/permission-sets",
      "/iam/v1alpha1/quota",
      `/iam/v1alpha1/organizations/${ORG}/security-settings`,
      "/iam/v1alpha1/applications",
      "/iam/v1alpha1/policies",
      "/iam/v1alpha1/api-keys",
      "/iam/v1alpha1/groups",
      "/iam/v1alpha1/rules",
      "/secret-manager/v1beta1/regions/fr-par/secrets",
    ]) {
      expect(paths).toContain(p);
    }
    // The delivery's secret is looked up by its project, path and name, as the stack will create it.
    const lookup = requests.find((q) => q.path === "/secret-manager/v1beta1/regions/fr-par/secrets")!;
    const query = new URLSearchParams(lookup.query);
    expect([query.get("project_id"), query.get("path"), query.get("name")]).toEqual([
      BACKUPS,
      "/plakar/staging",
      "buckets",
    ]);
  });

  it("--json prints one document with every finding and the exit code", async () => {
    const r = await preflight(healthy(), ["--json"]);
    expect(r.code).toBe(0);
    const doc = JSON.parse(r.stdout) as { stack: string; errors: number; exitCode: number; findings: unknown[] };
    expect(doc).toMatchObject({ stack: "staging", organizationId: ORG, errors: 0, exitCode: 0 });
    expect(doc.findings).toContainEqual({
      level: "ok",
      check: "projects",
      path: "projects.apps",
      message: `${APPS} is project "Apps"`,
    });
  });

  it("reads every page of every list (pages of 3 items)", async () => {
    const state = healthy();
    state.maxPageSize = 3;
    for (let i = 0; i < 7; i++) {
      state.applications.push({
        id: `aaaaaaaa-0000-4000-8000-00000000000${i}`,
        name: `other-${i}`,
        organization_id: ORG,
      });
      state.policies.push({ id: `bbbbbbbb-0000-4000-8000-00000000000${i}`, name: `other-${i}`, organization_id: ORG });
      state.keys.push({ access_key: `SCWBBBBBBBBBBBBBBBB${i}`, application_id: state.applications[i + 1]!.id });
      state.projects.unshift({ id: `cccccccc-0000-4000-8000-00000000000${i}`, name: `p${i}`, organization_id: ORG });
    }
    const r = await preflight(state);
    expect(r.code).toBe(0);
    // Projects listed last still count, and every application, policy and key was counted.
    expect(r.stdout).toContain(`is project "Backups"`);
    expect(r.stdout).toMatch(/quota applications: 8 applications exist/);
    expect(r.stdout).toMatch(/quota policies: 8 policies exist/);
    expect(r.stdout).toMatch(/quota api_keys: 8 API keys exist/);
    const pages = standin!.requests.filter((q) => q.path === "/iam/v1alpha1/permission-sets").length;
    expect(pages).toBe(Math.ceil(state.permissionSets.length / 3));
    expect(standin!.requests.filter((q) => q.path === "/account/v3/projects").length).toBe(3);
  });
});

describe("findings that make pulumi up fail or over-grant (exit 1)", () => {
  it("credentials of another organization", async () => {
    const state = healthy();
    state.applications[0]!.organization_id = OTHER_ORG;
    const r = await preflight(state);
    expect(r.code).toBe(1);
    expect(r.findings).toEqual([
      expect.stringMatching(
        /^error organizationId: the credentials .* belong to organization 99999999-.*, not 11111111-.*: use a key of organization/,
      ),
    ]);
  });

  it("warns when SCW_DEFAULT_ORGANIZATION_ID names another organization", async () => {
    standin = await startStandin(healthy());
    const r = await runAgainst(standin.url, [], {
      env: envFor(standin.url, { SCW_DEFAULT_ORGANIZATION_ID: OTHER_ORG }),
    });
    expect(r.code).toBe(0);
    expect(r.findings).toEqual([
      expect.stringMatching(/^warn {2}organizationId: SCW_DEFAULT_ORGANIZATION_ID names organization 9/),
    ]);
  });

  it("a project that does not exist, and one of another organization, each on its config key", async () => {
    const state = healthy();
    state.projects = state.projects.filter((p) => p.id !== BACKUPS);
    state.foreignProjects = [{ id: APPS, name: "Someone else's", organization_id: OTHER_ORG }];
    state.projects = state.projects.filter((p) => p.id !== APPS);
    const r = await preflight(state);
    expect(r.code).toBe(1);
    expect(r.findings).toContainEqual(
      expect.stringMatching(/^error projects\.backups: no project 33333333-.* in organization 11111111-/),
    );
    expect(r.findings).toContainEqual(
      expect.stringMatching(/^error projects\.apps: 22222222-.* is project "Someone else's" of organization 99999999-/),
    );
  });

  it("a permission set missing from the live list, and one whose scope changed", async () => {
    const state = healthy();
    state.permissionSets = state.permissionSets
      .filter((s) => s.name !== "AllProductsReadOnly")
      .map((s) => (s.name === "ObjectStorageObjectsDelete" ? { ...s, scope_type: "organization" as const } : s));
    const r = await preflight(state);
    expect(r.code).toBe(1);
    expect(r.findings).toContainEqual(
      expect.stringMatching(
        /^error credentials\.inventory\.preset: "AllProductsReadOnly" is not in the organization's live list/,
      ),
    );
    expect(r.findings).toContainEqual(
      expect.stringMatching(
        /^error credentials\.buckets\.preset: "ObjectStorageObjectsDelete" is organization-scoped in the live list/,
      ),
    );
    expect(r.findings).toContainEqual(
      expect.stringMatching(
        /^warn {2}presets\/permission-sets\.tsv: differs from the live list: .*1 gone \(AllProductsReadOnly\)/,
      ),
    );
  });

  it("a quota the stack's peak does not fit in, counting what exists", async () => {
    const state = healthy();
    // 1 key exists; the stack holds 2 per rotating credential at its peak: 1 + 6 = 7.
    state.quota = state.quota.map((q) => (q.name === "api_keys" ? { ...q, limit: 6 } : q));
    const r = await preflight(state);
    expect(r.code).toBe(1);
    expect(r.findings).toEqual([
      "error quota api_keys: 1 API keys exist + 6 more at the stack's peak = 7, over the organization's limit of 6: delete unused API keys, or ask Scaleway support to raise the quota",
    ]);
  });

  it("what the stack already holds does not count twice", async () => {
    const state = healthy();
    state.quota = state.quota.map((q) => (q.name === "api_keys" ? { ...q, limit: 7 } : q));
    const id = "77777777-7777-4777-8777-777777777777";
    state.applications.push({ id, name: "plakar-staging-inventory", organization_id: ORG, tags: STACK_TAGS });
    state.keys.push({
      access_key: "SCWCCCCCCCCCCCCCCCCC",
      application_id: id,
      description:
        "Plakar inventory for stack staging: Discovers resources for a Plakar Scaleway inventory (generation 2026-01-20)",
    });
    const r = await preflight(state);
    expect(r.stdout).toMatch(/quota applications: 2 applications exist \+ 2 more/);
    expect(r.stdout).toMatch(/quota api_keys: 2 API keys exist \+ 5 more .* = 7, within the limit of 7/);
    expect(r.stdout).toMatch(
      /ok {4}credentials\.inventory: the application and policy named "plakar-staging-inventory" are this stack's/,
    );
    expect(r.code).toBe(0);
  });

  it("a 30-day key cap refuses the default rotation (104 days), naming the key and a fix", async () => {
    const state = healthy();
    state.maxApiKeyExpiration = "2592000s";
    const r = await preflight(state);
    expect(r.code).toBe(1);
    expect(r.findings).toHaveLength(3);
    expect(r.findings[0]).toBe(
      'error apiKeys.rotateEveryDays: keys of "buckets" live up to 104 days (rotateEveryDays 90 + overlapDays 14), but the organization caps API keys at 30 days: Scaleway would refuse the key; rotate more often, e.g. rotateEveryDays: 26 and overlapDays: 4',
    );
  });

  it("a retired credential creates no key: neither the cap nor the key quota counts it", async () => {
    const state = healthy();
    state.maxApiKeyExpiration = "2592000s";
    // 1 key exists; two rotating credentials hold 2 keys each at their peak: 1 + 4 = 5.
    state.quota = state.quota.map((q) => (q.name === "api_keys" ? { ...q, limit: 5 } : q));
    const text = fs.readFileSync(FIXTURE, "utf8");
    const retired = stackFile(text.replace("      projects: [apps]\n", "      projects: [apps]\n      retire: true\n"));
    const r = await preflight(state, [], { config: retired });
    expect(r.findings.filter((f) => f.includes('"inventory"'))).toEqual([]);
    expect(r.stdout).toMatch(
      /quota api_keys: 1 API keys exist \+ 4 more at the stack's peak = 5, within the limit of 5/,
    );
    expect(r.findings).toHaveLength(2);
  });

  it("a cap of exactly the keys' lifetime passes; one second less fails", async () => {
    const exact = healthy();
    exact.maxApiKeyExpiration = `${104 * 86400}s`;
    expect((await preflight(exact)).code).toBe(0);
    await standin!.close();
    standin = undefined;
    const short = healthy();
    short.maxApiKeyExpiration = `${104 * 86400 - 1}s`;
    expect((await preflight(short)).code).toBe(1);
  });

  it("a deploying identity that cannot manage IAM or write the delivered secrets", async () => {
    const state = healthy();
    state.rules[DEPLOY_POLICY] = [
      {
        id: "r",
        permission_set_names: ["IAMReadOnly"],
        permission_sets_scope_type: "organization",
        organization_id: ORG,
      },
      {
        id: "s",
        permission_set_names: ["SecretManagerReadOnly"],
        permission_sets_scope_type: "projects",
        project_ids: [BACKUPS],
      },
    ];
    const r = await preflight(state);
    expect(r.code).toBe(1);
    expect(r.findings.map((l) => l.replace(/ \(4444.*?\)\)?/, ""))).toEqual([
      expect.stringMatching(
        /^error pulumi up's identity, application "plakar-iam-ci-deploy.* cannot manage applications: .*IAMManager or IAMApplicationManager/,
      ),
      expect.stringMatching(/cannot manage policies: .*IAMManager or IAMPolicyManager/),
      expect.stringMatching(/cannot manage API keys/),
      expect.stringMatching(
        /^error secretManager\.project: .* cannot write secrets in project backups .*: it lacks SecretManagerSecretCreate \(.*\), SecretManagerSecretWrite \(.*\), SecretManagerSecretDelete \(to delete the version each rotation replaces/,
      ),
    ]);
  });

  // Changed deliberately: the fine-grained sets now include SecretManagerSecretDelete (each rotation deletes the
  // version it replaces), tested on its own in "delivered secrets" below.
  it("rights granted through a group, or the fine-grained sets, count", async () => {
    const state = healthy();
    const group = "88888888-8888-4888-8888-888888888888";
    state.groups = [{ id: group, name: "deployers", organization_id: ORG, application_ids: [DEPLOYER], user_ids: [] }];
    state.policies = [{ id: DEPLOY_POLICY, name: "deployers", organization_id: ORG, group_id: group }];
    state.rules[DEPLOY_POLICY] = [
      {
        id: "r",
        permission_set_names: ["IAMApplicationManager", "IAMPolicyManager"],
        permission_sets_scope_type: "organization",
        organization_id: ORG,
      },
      {
        id: "s",
        permission_set_names: [
          "SecretManagerReadOnly",
          "SecretManagerSecretCreate",
          "SecretManagerSecretWrite",
          "SecretManagerSecretDelete",
        ],
        permission_sets_scope_type: "projects",
        project_ids: [BACKUPS],
      },
    ];
    const r = await preflight(state);
    expect(r.findings).toEqual([]);
    expect(r.code).toBe(0);
  });

  it("--deployer checks that application's rights, not the read-only preview key's", async () => {
    const state = healthy();
    const preview = "abababab-abab-4bab-8bab-abababababab";
    state.applications.push({ id: preview, name: "plakar-iam-ci-preview", organization_id: ORG });
    state.keys = [{ access_key: ACCESS_KEY, application_id: preview }];
    state.policies.push({
      id: "cdcdcdcd-cdcd-4dcd-8dcd-cdcdcdcdcdcd",
      name: "ci-preview",
      organization_id: ORG,
      application_id: preview,
    });
    state.rules["cdcdcdcd-cdcd-4dcd-8dcd-cdcdcdcdcdcd"] = [
      {
        id: "p",
        permission_set_names: ["IAMReadOnly"],
        permission_sets_scope_type: "organization",
        organization_id: ORG,
      },
    ];
    const own = await preflight(state);
    expect(own.code).toBe(1);
    await standin!.close();
    standin = undefined;
    const r = await preflight(state, ["--deployer", DEPLOYER]);
    expect(r.code).toBe(0);
    expect(r.stdout).toMatch(/the deployer, application "plakar-iam-ci-deploy" .* may manage applications/);
  });

  it("the organization's owner holds every right", async () => {
    const state = healthy();
    const owner = "efefefef-efef-4fef-8fef-efefefefefef";
    state.users = [{ id: owner, email: "owner@example.com", organization_id: ORG, type: "owner" }];
    state.keys = [{ access_key: ACCESS_KEY, user_id: owner }];
    state.rules[DEPLOY_POLICY] = [];
    const r = await preflight(state);
    expect(r.code).toBe(0);
    expect(r.stdout).toContain('user "owner@example.com"');
    expect(r.stdout).toMatch(/owns the organization: it holds every right/);
  });

  it("an application and a policy made by hand with a credential's name: says so and how to adopt them", async () => {
    const state = healthy();
    const app = "12121212-1212-4212-8212-121212121212";
    const pol = "13131313-1313-4313-8313-131313131313";
    state.applications.push({ id: app, name: "plakar-staging-inventory", organization_id: ORG });
    state.policies.push({ id: pol, name: "plakar-staging-inventory", organization_id: ORG, application_id: app });
    state.keys.push({ access_key: "SCWDDDDDDDDDDDDDDDDD", application_id: app, description: "made in the console" });
    const r = await preflight(state);
    expect(r.code).toBe(1);
    expect(r.findings).toEqual([
      `error credentials.inventory: application "plakar-staging-inventory" (${app}, 1 API key) exists and is not this stack's: pulumi up would create a second one beside it, and its keys would stay valid. To take it over, set credentials.inventory.adopt: { applicationId: ${app}, policyId: ${pol} } (README: Adopting credentials made by hand)`,
    ]);
  });
});

describe("adoption", () => {
  const app = "12121212-1212-4212-8212-121212121212";
  const pol = "13131313-1313-4313-8313-131313131313";
  const description = "Plakar inventory for stack staging: Discovers resources for a Plakar Scaleway inventory";
  const tags = [...STACK_TAGS, "use-case=inventory"];
  const adoptYaml = `      adopt:\n        applicationId: ${app}\n        policyId: ${pol}\n`;

  function handMade(
    overrides: { appDescription?: string; appTags?: string[]; rules?: StandinState["rules"][string] } = {},
  ): StandinState {
    const state = healthy();
    state.applications.push({
      id: app,
      name: "plakar-staging-inventory",
      description: overrides.appDescription ?? description,
      organization_id: ORG,
      tags: overrides.appTags ?? tags,
    });
    state.policies.push({
      id: pol,
      name: "plakar-staging-inventory",
      description,
      organization_id: ORG,
      application_id: app,
      tags,
    });
    state.rules[pol] = overrides.rules ?? [
      {
        id: "a",
        permission_set_names: ["AllProductsReadOnly"],
        permission_sets_scope_type: "projects",
        project_ids: [APPS],
      },
    ];
    state.keys.push({ access_key: "SCWDDDDDDDDDDDDDDDDD", application_id: app, description: "made in the console" });
    return state;
  }

  /** The inputs the offline plan registers for the adopted policy: what the import compares against. */
  async function plannedPolicy(
    config: string,
  ): Promise<{ rules: { projectIds: string[]; permissionSetNames: string[] }[] }> {
    const plan = await runOffline({ root: ROOT, stack: "staging", configFile: config, now: NOW });
    const policy = plan.resources.find((r) => r.import === pol);
    return policy!.inputs as { rules: { projectIds: string[]; permissionSetNames: string[] }[] };
  }

  it("matching resources are imported; the hand-made key is listed to revoke", async () => {
    const r = await preflight(handMade(), [], { config: withInventory(adoptYaml) });
    expect(r.code).toBe(0);
    expect(r.stdout).toContain(
      `ok    credentials.inventory.adopt: application ${app} and policy ${pol} match the inputs the stack sends, in the provider's order: pulumi up imports them`,
    );
    expect(r.findings).toEqual([
      `warn  credentials.inventory.adopt: key SCWDDDDDDDDDDDDDDDDD of application ${app} ("made in the console", never expires) was made by hand and is not adopted: once Plakar uses the stack's new key, revoke it (console, or scw iam api-key delete SCWDDDDDDDDDDDDDDDDD)`,
    ]);
    // The adopted application is the stack's: no second one counted, no "exists and is not this stack's".
    expect(r.stdout).toMatch(/quota applications: 2 applications exist \+ 2 more/);
  });

  // Changed deliberately: each rule is compared on its own, in order (the provider's rule list is ordered).
  it("each difference that would make the import fail, on the adopt key", async () => {
    const r = await preflight(
      handMade({
        appDescription: "by hand",
        rules: [
          {
            id: "a",
            permission_set_names: ["AllProductsFullAccess"],
            permission_sets_scope_type: "projects",
            project_ids: [APPS],
          },
        ],
      }),
      [],
      { config: withInventory(adoptYaml) },
    );
    expect(r.code).toBe(1);
    const errors = r.findings.filter((l) => l.startsWith("error"));
    const tail = `: pulumi up's import would fail ("inputs to import do not match"): change it in Scaleway to what the stack sends first`;
    expect(errors).toEqual([
      `error credentials.inventory.adopt.applicationId: application ${app}'s description: "by hand" in Scaleway; the stack sends "${description}"${tail}`,
      `error credentials.inventory.adopt.policyId: policy ${pol}'s rule 1's permission sets: [AllProductsFullAccess] in Scaleway; the stack sends [AllProductsReadOnly]${tail}`,
    ]);
  });

  it("tags are an ordered list: the same tags in another order fail the import", async () => {
    const r = await preflight(handMade({ appTags: [...tags].reverse() }), [], { config: withInventory(adoptYaml) });
    expect(r.code).toBe(1);
    expect(r.findings.filter((l) => l.startsWith("error"))).toEqual([
      `error credentials.inventory.adopt.applicationId: application ${app}'s tags: [${[...tags].reverse().join(", ")}] in Scaleway; the stack sends [${tags.join(", ")}] (the same tags in another order: tags is an ordered list): pulumi up's import would fail ("inputs to import do not match"): change it in Scaleway to what the stack sends first`,
    ]);
  });

  it("a rule's projects are an ordered list, its permission sets are not: compared as the plan registers them", async () => {
    // Two projects in the inventory's one rule, in the order the plan sends them.
    const twoProjects = stackFile(
      fs
        .readFileSync(FIXTURE, "utf8")
        .replace("      projects: [apps]\n", `      projects: [apps, backups]\n${adoptYaml}`),
    );
    const planned = await plannedPolicy(twoProjects);
    expect(planned.rules).toHaveLength(1);
    const order = planned.rules[0]!.projectIds;
    expect([...order].sort()).toEqual([APPS, BACKUPS].sort());
    const ruleWith = (projectIds: string[], sets: string[]) => [
      { id: "a", permission_set_names: sets, permission_sets_scope_type: "projects" as const, project_ids: projectIds },
    ];
    // The same projects in the plan's order, the sets in another order: the import goes through.
    const same = await preflight(
      handMade({ rules: ruleWith(order, [...planned.rules[0]!.permissionSetNames].reverse()) }),
      [],
      { config: twoProjects },
    );
    expect(same.findings.filter((l) => l.startsWith("error"))).toEqual([]);
    expect(same.code).toBe(0);
    await standin!.close();
    standin = undefined;
    const reversed = await preflight(handMade({ rules: ruleWith([...order].reverse(), ["AllProductsReadOnly"]) }), [], {
      config: twoProjects,
    });
    expect(reversed.code).toBe(1);
    expect(reversed.findings.filter((l) => l.startsWith("error"))).toEqual([
      expect.stringContaining(
        `policy ${pol}'s rule 1's scope: projects [${[...order].reverse().join(", ")}] in Scaleway; the stack sends projects [${order.join(", ")}] (the same projects in another order: project_ids is an ordered list)`,
      ),
    ]);
  });

  it("new adopt IDs on a credential the stack already manages are refused: the import would replace and delete it", async () => {
    const managedApp = "14141414-1414-4414-8414-141414141414";
    const managedPolicy = "15151515-1515-4515-8515-151515151515";
    const state = handMade();
    state.applications.push({ id: managedApp, name: "plakar-staging-inventory", organization_id: ORG, tags });
    state.policies.push({
      id: managedPolicy,
      name: "plakar-staging-inventory",
      organization_id: ORG,
      application_id: managedApp,
      tags,
    });
    const r = await preflight(state, [], { config: withInventory(adoptYaml) });
    expect(r.code).toBe(1);
    const refusals = r.findings.filter((l) => l.includes("already manages"));
    expect(refusals).toEqual([
      expect.stringMatching(
        new RegExp(
          `^error credentials\\.inventory\\.adopt: this stack already manages application "plakar-staging-inventory" \\(${managedApp}, .*adopt names ${app}: pulumi up would import ${app} in its place and delete ${managedApp} .*step_generator\\.go\\)\\. Remove adopt from credentials\\.inventory`,
        ),
      ),
      expect.stringMatching(
        new RegExp(`already manages policy .*\\(${managedPolicy}, .*delete ${managedPolicy} .*Remove adopt`),
      ),
    ]);
    // Once adopt is gone, the managed pair is the stack's and nothing is refused.
    await standin!.close();
    standin = undefined;
    const withoutAdopt = await preflight(state);
    expect(withoutAdopt.findings.filter((l) => l.includes("already manages"))).toEqual([]);
  });

  it("IDs that are not in the organization", async () => {
    const r = await preflight(healthy(), [], { config: withInventory(adoptYaml) });
    expect(r.code).toBe(1);
    expect(r.findings).toEqual([
      expect.stringMatching(
        /^error credentials\.inventory\.adopt\.applicationId: no application 12121212-.* the import would fail/,
      ),
      expect.stringMatching(
        /^error credentials\.inventory\.adopt\.policyId: no policy 13131313-.* the import would fail/,
      ),
    ]);
  });

  it("a bad ID is a config error (exit 2) naming the key, before any request", async () => {
    const r = await preflight(healthy(), [], {
      config: withInventory(`      adopt:\n        applicationId: not-an-id\n        policyId: ${pol}\n`),
    });
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(/^error: credentials\.inventory\.adopt\.applicationId: must be a Scaleway ID/m);
    expect(standin!.requests).toEqual([]);
  });
});

describe("config errors", () => {
  it("print one line per problem, even for a value holding a newline", async () => {
    const text = fs.readFileSync(FIXTURE, "utf8");
    const config = stackFile(text.replace(/preset: inventory\n/, 'preset: "inventory\\nerror: all good, exit 0"\n'));
    const r = await preflight(healthy(), [], { config });
    expect(r.code).toBe(2);
    const errors = r.stderr.split("\n").filter((l) => l.startsWith("error:"));
    expect(errors).toHaveLength(1);
    expect(errors[0]).toMatch(/^error: credentials\.inventory\.preset: unknown preset "inventory\\nerror: all good/);
  });
});

describe("adopt in the offline plan", () => {
  const app = "12121212-1212-4212-8212-121212121212";
  const pol = "13131313-1313-4313-8313-131313131313";

  it("sets Pulumi's import on the adopted application and policy only; keys are never imported", async () => {
    const config = withInventory(
      `      adopt:\n        applicationId: ${app.toUpperCase()}\n        policyId: ${pol}\n`,
    );
    const plan = await runOffline({ root: ROOT, stack: "staging", configFile: config, now: NOW });
    const imports = plan.resources.filter((r) => r.import !== undefined).map((r) => [r.name, r.import]);
    expect(imports).toEqual([
      ["inventory-app", app],
      ["inventory-policy", pol],
    ]);
    expect(JSON.parse(renderJson(plan)).resources).toContainEqual(
      expect.objectContaining({ name: "inventory-app", import: app }),
    );
  });

  it("the component refuses an adopt that is not two plain IDs, before registering anything", async () => {
    const program = () => {
      new PlakarCredential("x", {
        organizationId: ORG,
        projectIds: [APPS],
        preset: "inventory",
        adopt: { applicationId: "nope", policyId: pol, extra: 1 } as unknown as {
          applicationId: string;
          policyId: string;
        },
      });
      return {};
    };
    const failure = await runOffline({ root: ROOT, stack: "staging", configFile: FIXTURE, now: NOW, program }).catch(
      (err: unknown) => err,
    );
    expect((failure as { issues: unknown }).issues).toEqual([
      {
        path: "args.adopt.applicationId",
        message: "must be a Scaleway ID (a UUID such as 3f2b6c1e-8d4a-4c2e-9b7f-0a1d2e3f4a5b)",
      },
      { path: "args.adopt.extra", message: "unknown argument; known here: applicationId, policyId" },
    ]);
  });

  it("an unknown key under adopt names the keys it takes", async () => {
    const r = await runAgainst("http://127.0.0.1:9", [], {
      config: withInventory(`      adopt:\n        applicationID: ${app}\n        policyId: ${pol}\n`),
    });
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(
      /credentials\.inventory\.adopt\.applicationID: unknown key \(did you mean "applicationId"\?\); known keys here: applicationId, policyId/,
    );
  });
});

describe("--update-catalog", () => {
  it("rewrites the catalog from the live list: sorted, same header and columns, deterministic", async () => {
    const state = healthy();
    state.permissionSets = [
      { name: "ZetaNew", scope_type: "projects", categories: ["Beta", "Zeta"] },
      ...state.permissionSets.filter((s) => s.name !== "AbuseTicketManager").reverse(),
      { name: "RootOnly", scope_type: "account_root_user" },
    ];
    const file = path.join(fs.mkdtempSync(path.join(os.tmpdir(), "plakar-catalog-")), "permission-sets.tsv");
    const r = await preflight(state, ["--update-catalog"], { io: { catalogFile: file } });
    expect(r.code).toBe(0);
    const written = fs.readFileSync(file, "utf8");
    const lines = written.trimEnd().split("\n");
    expect(lines[0]).toBe("name\tscope\tcategory");
    const names = lines.slice(1).map((l) => l.split("\t")[0]!);
    expect(names).toEqual([...names].sort());
    expect(names).not.toContain("AbuseTicketManager");
    expect(names).not.toContain("RootOnly");
    expect(lines).toContain("ZetaNew\tproject\tBeta / Zeta");
    // Catalogued sets keep their category.
    expect(lines).toContain("SecretManagerFullAccess\tproject\tSecurity & Identity / Secret Manager");
    expect(parseCatalog(written).size).toBe(state.permissionSets.length - 1);
    expect(r.stdout).toContain("ok    presets/permission-sets.tsv: rewritten from the live list");
    await standin!.close();
    standin = undefined;
    await preflight(state, ["--update-catalog"], { io: { catalogFile: file } });
    expect(fs.readFileSync(file, "utf8")).toBe(written);
  });
});

describe("--update-catalog against a live list that cannot be taken as it is", () => {
  function catalogFile(): string {
    return path.join(fs.mkdtempSync(path.join(os.tmpdir(), "plakar-catalog-")), "permission-sets.tsv");
  }

  it("a scope change is reported, not written: every catalogued set keeps its shipped scope", async () => {
    const shipped = parseCatalog(
      fs.readFileSync(path.join(ROOT, "components", "presets", "permission-sets.tsv"), "utf8"),
    );
    const state = healthy();
    state.permissionSets = state.permissionSets.map((s) =>
      s.name === "ObjectStorageObjectsDelete" || s.name === "AbuseTicketManager"
        ? { ...s, scope_type: s.scope_type === "projects" ? ("organization" as const) : ("projects" as const) }
        : s,
    );
    const file = catalogFile();
    const r = await preflight(state, ["--update-catalog"], { io: { catalogFile: file } });
    const written = parseCatalog(fs.readFileSync(file, "utf8"));
    expect(written.get("ObjectStorageObjectsDelete")).toEqual(shipped.get("ObjectStorageObjectsDelete"));
    expect(written.get("AbuseTicketManager")).toEqual(shipped.get("AbuseTicketManager"));
    expect([...written.values()]).toEqual([...shipped.values()].sort((a, b) => (a.name < b.name ? -1 : 1)));
    expect(r.findings).toContainEqual(
      "warn  presets/permission-sets.tsv: 2 catalogued sets changed scope in the live list: AbuseTicketManager (live: project; catalog: organization), ObjectStorageObjectsDelete (live: organization; catalog: project): kept the catalogued scope; a scope change needs a person (presets and policies depend on it)",
    );
    // The stack grants ObjectStorageObjectsDelete: its policy would be refused, whatever the file says.
    expect(r.findings).toContainEqual(
      expect.stringMatching(
        /^error credentials\.buckets\.preset: "ObjectStorageObjectsDelete" is organization-scoped in the live list/,
      ),
    );
    expect(r.code).toBe(1);
  });

  it("names that are not set names, and a set listed twice, are not written; the file stays readable", async () => {
    const state = healthy();
    state.permissionSets = [
      ...state.permissionSets,
      { name: "Bad Name", scope_type: "projects" },
      { name: "Evil\tproject\tX\nIAMManager", scope_type: "projects" },
      { name: "::notice::pwned", scope_type: "projects" },
      // A set-name-shaped text that holds the secret key (without its dashes): never written, never printed.
      { name: `X${SECRET.replace(/-/g, "")}`, scope_type: "projects" },
      { name: "NewSet", scope_type: "projects", categories: ["Storage\u202e", "A\tB\nC"] },
      { name: "Twice", scope_type: "projects" },
      { name: "Twice", scope_type: "organization" },
    ];
    const file = catalogFile();
    const r = await preflight(state, ["--update-catalog"], { io: { catalogFile: file } });
    const text = fs.readFileSync(file, "utf8");
    const written = parseCatalog(text);
    expect(written.size).toBe(catalogAsLive(ROOT).length + 1);
    expect(written.get("NewSet")).toEqual({ name: "NewSet", scope: "project", category: "Storage\\u202e / A B C" });
    for (const name of ["Bad Name", "::notice::pwned", "Twice"]) expect(written.has(name)).toBe(false);
    expect(text).not.toMatch(/Evil|pwned/);
    expect(r.findings.filter((l) => l.startsWith("error"))).toEqual([
      expect.stringMatching(
        /^error presets\/permission-sets\.tsv: the live list holds "Bad Name", which is not a permission set name/,
      ),
      expect.stringMatching(
        /the live list holds "Evil\\tproject\\tX\\nIAMManager", which is not a permission set name/,
      ),
      expect.stringMatching(/the live list holds "::notice::pwned", which is not/),
      expect.stringMatching(/the live list holds "\[secret\]", which is not/),
      "error presets/permission-sets.tsv: the live list holds Twice 2 times: not written; the list is not to be trusted",
    ]);
    expect(r.code).toBe(1);
  });
});

describe("cannot judge (exit 2, one line, no secret, no stack trace)", () => {
  function failing(status: number, body: Record<string, unknown>, pathPrefix = "/iam/v1alpha1/quota"): StandinState {
    return { ...healthy(), fail: { pathPrefix, status, body } };
  }

  function oneLine(r: Run): string {
    expect(r.code).toBe(2);
    expect(r.stdout).toBe("");
    const lines = r.stderr.trimEnd().split("\n");
    expect(lines).toHaveLength(1);
    expect(r.stderr).not.toMatch(/\n\s+at /);
    return lines[0]!;
  }

  it("401: the key is refused", async () => {
    const r = await preflight({ ...healthy(), secretKey: "00000000-0000-4000-8000-000000000000" });
    expect(oneLine(r)).toMatch(
      /^preflight: reading the credentials' own API key: Scaleway refused the credentials from SCW_ACCESS_KEY and SCW_SECRET_KEY \(401/,
    );
  });

  // Changed deliberately: a 403 names the permission set the read needs (quotas are no longer a 403 of this kind:
  // see "checks preflight cannot make fail closed").
  it("403: the key may not read something, naming it and the set to add", async () => {
    const r = await preflight(
      failing(
        403,
        {
          type: "permissions_denied",
          message: "insufficient permissions",
          details: [{ action: "read", resource: "permission_set" }],
        },
        "/iam/v1alpha1/permission-sets",
      ),
    );
    expect(oneLine(r)).toBe(
      "preflight: listing permission sets: the credentials may not read this (403: read permission_set): give their identity IAMReadOnly on the organization (docs/ci.md)",
    );
  });

  it("404: not Scaleway's API at SCW_API_URL", async () => {
    const r = await preflight(failing(404, { type: "not_found", message: "resource is not found" }, "/"));
    expect(oneLine(r)).toMatch(
      /^preflight: reading the credentials' own API key: http:\/\/127\.0\.0\.1:\d+ answered 404/,
    );
  });

  // Changed deliberately: a 429 is retried with backoff before it stops preflight.
  it("429 on every try: retried with a growing, bounded backoff, then one line", async () => {
    const r = await preflight(
      failing(429, {
        type: "too_many_requests",
        message: "too many requests",
        help_message: "slow down",
        reset_seconds: 30,
      }),
    );
    expect(oneLine(r)).toBe(
      "preflight: listing the organization's quotas: Scaleway is rate-limiting these credentials (429 on each of 4 tries, waiting longer each time; it asks to retry in 30s): try again later",
    );
    expect(standin!.requests.filter((q) => q.path === "/iam/v1alpha1/quota")).toHaveLength(4);
    expect(r.sleeps).toEqual([1000, 2000, 4000]);
  });

  it("a refused connection", async () => {
    const port = await freePort();
    const r = await runAgainst(`http://127.0.0.1:${port}`, []);
    expect(oneLine(r)).toMatch(new RegExp(`cannot reach http://127\\.0\\.0\\.1:${port} \\(ECONNREFUSED\\)`));
  });

  it("no credentials, or ones that cannot be a Scaleway key, without echoing them", async () => {
    const none = await runAgainst("http://127.0.0.1:9", [], { env: { HOME: os.tmpdir() + "/none" } });
    expect(oneLine(none)).toMatch(
      /^preflight: no Scaleway credentials: set SCW_ACCESS_KEY and SCW_SECRET_KEY, or a profile in/,
    );
    const bad = await runAgainst("http://127.0.0.1:9", [], {
      env: { ...envFor("http://127.0.0.1:9"), SCW_SECRET_KEY: "not-a-uuid-but-secret" },
    });
    expect(oneLine(bad)).toBe("preflight: SCW_SECRET_KEY: not a Scaleway secret key (a UUID)");
    expect(bad.stderr).not.toContain("not-a-uuid-but-secret");
  });

  it("bad flags and a bad stack file name the flag", async () => {
    const flag = await runAgainst("http://127.0.0.1:9", ["--deployer", "nope"]);
    expect(flag.code).toBe(2);
    expect(flag.stderr).toMatch(/^error: --deployer: "nope" is not an application ID/m);
    const missing = await runAgainst("http://127.0.0.1:9", [], { config: "/nonexistent/Pulumi.x.yaml" });
    expect(missing.code).toBe(2);
    expect(missing.stderr).toMatch(/^error: .*Pulumi\.x\.yaml/m);
  });
});

describe("the stack, as every command reads it", () => {
  async function direct(args: string[]): Promise<{ code: number; stdout: string; stderr: string }> {
    let stdout = "";
    let stderr = "";
    const code = await main(args, envFor(standin!.url), {
      stdout: (t) => (stdout += t),
      stderr: (t) => (stderr += t),
      root: ROOT,
      cwd: ROOT,
      now: NOW,
    });
    return { code, stdout, stderr };
  }

  it("--config .../Pulumi.prod.yaml checks stack prod unless --stack says otherwise; another file name needs --stack", async () => {
    standin = await startStandin(healthy());
    const prod = path.join(fs.mkdtempSync(path.join(os.tmpdir(), "plakar-preflight-")), "Pulumi.prod.yaml");
    fs.copyFileSync(FIXTURE, prod);
    const named = await direct(["--config", prod, "--json"]);
    expect(named.stderr).toBe("");
    expect((JSON.parse(named.stdout) as { stack: string }).stack).toBe("prod");
    const overridden = await direct(["--config", prod, "--stack", "staging", "--json"]);
    expect((JSON.parse(overridden.stdout) as { stack: string }).stack).toBe("staging");
    const requests = standin.requests.length;
    const unnamed = await direct(["--config", FIXTURE]);
    expect(unnamed).toMatchObject({ code: 2, stdout: "" });
    expect(unnamed.stderr).toMatch(
      /^error: --config: cannot tell the stack from the file name "staging\.yaml" \(not Pulumi\.<stack>\.yaml\): pass --stack NAME$/m,
    );
    const badName = await direct(["--stack", "../prod", "--config", FIXTURE]);
    expect(badName).toMatchObject({ code: 2, stdout: "" });
    expect(badName.stderr).toMatch(/^error: --stack: "\.\.\/prod" is not a stack name/m);
    expect(standin.requests.length, "no request before the command line is sound").toBe(requests);
  });
});

describe("credentials from the Scaleway config file", () => {
  it("uses the active profile, and SCW_* variables override it", async () => {
    standin = await startStandin(healthy());
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), "plakar-scw-"));
    const file = path.join(dir, "config.yaml");
    fs.writeFileSync(
      file,
      [
        "access_key: SCWZZZZZZZZZZZZZZZZZ",
        "secret_key: 00000000-0000-4000-8000-000000000000",
        "active_profile: ci",
        "profiles:",
        "  ci:",
        `    access_key: ${ACCESS_KEY}`,
        `    secret_key: ${SECRET}`,
        `    api_url: ${standin.url}`,
        "",
      ].join("\n"),
    );
    const viaProfile = await runAgainst(standin.url, [], { env: { SCW_CONFIG_PATH: file } });
    expect(viaProfile.code).toBe(0);
    const overridden = await runAgainst(standin.url, [], {
      env: { SCW_CONFIG_PATH: file, SCW_SECRET_KEY: "00000000-0000-4000-8000-000000000000" },
    });
    expect(overridden.code).toBe(2);
    expect(overridden.stderr).toMatch(/refused the credentials from profile "ci" of .* and SCW_SECRET_KEY \(401/);
  });
});

describe("delivered secrets", () => {
  const handMadeSecret = {
    id: "16161616-1616-4616-8616-161616161616",
    name: "buckets",
    path: "/plakar/staging",
    project_id: BACKUPS,
    region: "fr-par",
    tags: ["made-by=hand"],
  };

  function fineGrained(sets: string[]): StandinState["rules"][string] {
    return [
      {
        id: "r-iam",
        permission_set_names: ["IAMManager"],
        permission_sets_scope_type: "organization",
        organization_id: ORG,
      },
      { id: "r-secrets", permission_set_names: sets, permission_sets_scope_type: "projects", project_ids: [BACKUPS] },
    ];
  }
  const WITHOUT_DELETE = ["SecretManagerReadOnly", "SecretManagerSecretCreate", "SecretManagerSecretWrite"];

  it("a deployer lacking SecretManagerSecretDelete and a hand-made secret at the delivery's path: exit 1, then both fixed: exit 0", async () => {
    const state = healthy();
    state.rules[DEPLOY_POLICY] = fineGrained(WITHOUT_DELETE);
    state.secrets = [handMadeSecret];
    const broken = await preflight(state);
    expect(broken.code).toBe(1);
    expect(broken.findings).toEqual([
      expect.stringMatching(
        /^error secretManager\.project: .* cannot write secrets in project backups \(33333333-.*\), where credentials are delivered: it lacks SecretManagerSecretDelete \(to delete the version each rotation replaces, and the versions or the secret when a credential is retired or removed\)\. Give it SecretManagerFullAccess on that project, or the missing sets$/,
      ),
      `error credentials.buckets.deliver: a secret already sits at /plakar/staging/buckets in project backups (fr-par) (${handMadeSecret.id}, tags [made-by=hand]) and is not this stack's: pulumi up could not create the delivery's secret there. Delete or move that secret, or deliver elsewhere (secretManager.pathPrefix)`,
    ]);
    await standin!.close();
    standin = undefined;
    // Fixed: the missing set granted, the hand-made secret deleted.
    state.rules[DEPLOY_POLICY] = fineGrained([...WITHOUT_DELETE, "SecretManagerSecretDelete"]);
    state.secrets = [];
    const fixed = await preflight(state);
    expect(fixed.findings).toEqual([]);
    expect(fixed.code).toBe(0);
    expect(fixed.stdout).toMatch(
      /ok {4}secretManager\.project: .* may manage the delivered secrets in project backups: SecretManagerReadOnly, SecretManagerSecretCreate, SecretManagerSecretWrite, SecretManagerSecretDelete/,
    );
  });

  it("the stack's own secret at the path is no conflict; a secret at another path or name, whatever the API sends, neither", async () => {
    const state = healthy();
    state.secrets = [
      { ...handMadeSecret, id: "17171717-1717-4717-8717-171717171717", tags: ["managed-by=pulumi", "stack=staging"] },
      { ...handMadeSecret, id: "18181818-1818-4818-8818-181818181818", path: "/other" },
      { ...handMadeSecret, id: "19191919-1919-4919-8919-191919191919", name: "buckets-old" },
    ];
    // An API that ignores the filters: preflight checks project, path and name itself.
    state.rewrite = (p, body) =>
      p.startsWith("/secret-manager/")
        ? { ...body, secrets: state.secrets!.map((x) => ({ ...x, tags: x.tags ?? [] })), total_count: 3 }
        : body;
    const r = await preflight(state);
    expect(r.findings).toEqual([]);
    expect(r.stdout).toContain(
      "ok    credentials.buckets.deliver: the secret at /plakar/staging/buckets in project backups (fr-par) is this stack's (tags managed-by=pulumi, stack=staging)",
    );
    expect(r.code).toBe(0);
  });

  it("secrets preflight may not list: not checked, an error naming the set to add (exit 1)", async () => {
    const state = healthy();
    state.fail = {
      pathPrefix: "/secret-manager/",
      status: 403,
      body: { type: "permissions_denied", message: "insufficient permissions", details: [] },
    };
    const r = await preflight(state);
    expect(r.code).toBe(1);
    expect(r.findings).toEqual([
      expect.stringMatching(
        /^error credentials\.buckets\.deliver: not checked: listing the secrets named "buckets" at \/plakar\/staging in project 33333333-.* give their identity SecretManagerReadOnly on project 33333333-3333-4333-8333-333333333333 \(docs\/ci\.md\); until then nothing says no one else's secret sits at \/plakar\/staging\/buckets/,
      ),
    ]);
  });
});

describe("checks preflight cannot make fail closed (exit 1, never 0)", () => {
  it("quotas the key may not read: not checked, naming OrganizationReadOnly; every other check still runs", async () => {
    const state = healthy();
    state.fail = {
      pathPrefix: "/iam/v1alpha1/quota",
      status: 403,
      body: {
        type: "permissions_denied",
        message: "insufficient permissions",
        details: [{ action: "read", resource: "quota" }],
      },
    };
    const r = await preflight(state);
    expect(r.code).toBe(1);
    expect(r.findings).toEqual([
      "error not checked: listing the organization's quotas: the credentials may not read this (403: read quota): give their identity OrganizationReadOnly on the organization (docs/ci.md); until then nothing says the stack's applications, policies and keys fit",
    ]);
    expect(r.stdout).toMatch(/ok {4}projects\.apps/);
    expect(r.stdout).toMatch(/may manage applications/);
  });

  it("a quota the organization does not report, or reports twice, and a key lifetime that is not a duration", async () => {
    const state = healthy();
    state.quota = [
      { name: "api_keys", limit: 50 },
      { name: "policies", limit: 50 },
      { name: "policies", limit: 500 },
    ];
    state.maxApiKeyExpiration = "thirty days";
    const r = await preflight(state);
    expect(r.code).toBe(1);
    expect(r.findings).toEqual([
      expect.stringMatching(/^error quota applications: not checked: the organization reports no quota of that name/),
      expect.stringMatching(/^error quota policies: not checked: the organization reports 2 quotas of that name/),
      "error not checked: the organization's maximum API key lifetime \"thirty days\" is not a duration; nothing says the stack's keys fit under it",
    ]);
  });

  it("an answer of the wrong shape is not trusted (exit 2, naming the field, not echoing the value)", async () => {
    const state = healthy();
    state.rewrite = (p, body) =>
      p === "/iam/v1alpha1/applications"
        ? { ...body, applications: [{ ...(body.applications as object[])[0], name: 42, tags: "managed-by=pulumi" }] }
        : body;
    const r = await preflight(state);
    expect(r.code).toBe(2);
    expect(r.stderr.trimEnd()).toMatch(
      /^preflight: listing applications, page 1, item 1: unexpected answer, not trusted \(name: .*\)$/,
    );
  });
});

describe("hostile answers", () => {
  function sink(): Promise<Standin> {
    return startStandin({ ...healthy(), secretKey: "00000000-0000-4000-8000-000000000000" });
  }

  it("a redirect to another origin is not followed: the key never reaches it (exit 2, one line)", async () => {
    const thief = await sink();
    try {
      const state = healthy();
      state.intercept = (req) =>
        req.path === "/iam/v1alpha1/applications"
          ? { status: 307, headers: { Location: `${thief.url}/steal?from=preflight` } }
          : undefined;
      const r = await preflight(state);
      expect(r.code).toBe(2);
      expect(r.stdout).toBe("");
      expect(r.stderr.trimEnd().split("\n")).toEqual([
        expect.stringMatching(
          new RegExp(
            `^preflight: listing applications: http://127\\.0\\.0\\.1:\\d+ answered /iam/v1alpha1/applications with a redirect \\(307\\) to "${thief.url.replace(/[.]/g, "\\.")}": not followed`,
          ),
        ),
      ]);
      expect(thief.requests).toEqual([]);
    } finally {
      await thief.close();
    }
  });

  it("an API URL the key would cross the network in clear to, or that carries a user, is refused before any request", async () => {
    for (const [url, why] of [
      ["http://api.example.com", "must be an https URL"],
      ["https://user:pass@api.example.com", "must not carry a user or a password"],
      ["https://api.example.com?x=1", "must not carry a query"],
    ] as const) {
      const r = await runAgainst(url, []);
      expect(r.code).toBe(2);
      expect(r.stderr).toContain(`preflight: SCW_API_URL: ${JSON.stringify(url)} ${why}`);
    }
  });

  it("a total_count that lies costs one request more, not thousands (exit 2: the list is not trusted)", async () => {
    const state = healthy();
    state.rewrite = (p, body) => (p === "/iam/v1alpha1/applications" ? { ...body, total_count: 1_000_000 } : body);
    const r = await preflight(state);
    expect(r.code).toBe(2);
    expect(r.stderr.trimEnd()).toBe(
      "preflight: listing applications: the API claims 1000000 items but its pages end after 1: not trusted; run preflight again, and check SCW_API_URL if it persists",
    );
    expect(standin!.requests.filter((q) => q.path === "/iam/v1alpha1/applications")).toHaveLength(2);
  });

  it("pages that never end stop at a bound (exit 2), whatever total_count says", async () => {
    const state = healthy();
    const full = Array.from({ length: 100 }, (_, i) => ({
      id: `aaaaaaaa-0000-4000-8000-${String(i).padStart(12, "0")}`,
      name: `app-${i}`,
      organization_id: ORG,
      tags: [],
    }));
    state.rewrite = (p, body) =>
      p === "/iam/v1alpha1/applications" ? { ...body, applications: full, total_count: 1_000_000_000 } : body;
    const r = await preflight(state);
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(
      /^preflight: listing applications: more than 5000 items \(page 51 claims 1000000000 in all\): not trusted/,
    );
    expect(standin!.requests.filter((q) => q.path === "/iam/v1alpha1/applications")).toHaveLength(51);
  });

  it("an answer larger than the bound is not read (exit 2)", async () => {
    const state = healthy();
    state.intercept = (req) =>
      req.path === "/iam/v1alpha1/quota" ? { status: 200, text: " ".repeat(9 * 1024 * 1024) } : undefined;
    const r = await preflight(state);
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(/sent an answer larger than 8388608 bytes to \/iam\/v1alpha1\/quota: not read/);
  });

  it("429 twice, then an answer: retried after the waits Retry-After asks (capped), then exit 0", async () => {
    const state = healthy();
    state.intercept = (req, before) =>
      req.path === "/iam/v1alpha1/permission-sets" && before < 2
        ? {
            status: 429,
            headers: { "Retry-After": before === 0 ? "3" : "86400" },
            body: { type: "too_many_requests", message: "slow down" },
          }
        : undefined;
    const r = await preflight(state);
    expect(r.stderr).toBe("");
    expect(r.code).toBe(0);
    expect(r.sleeps).toEqual([3000, 30_000]);
    // The first page three times (two 429s, then the answer); the later pages once each.
    const firstPages = standin!.requests.filter(
      (q) => q.path === "/iam/v1alpha1/permission-sets" && new URLSearchParams(q.query).get("page") === "1",
    );
    expect(firstPages).toHaveLength(3);
  });

  it("names that would forge output are printed escaped: no control, bidi or zero-width character, no workflow command line", async () => {
    const state = healthy();
    state.applications[0]!.name = "ci\u202edeploy\n::notice::pwned\u200b";
    state.policies[0]!.name = "x\r\n::error file=a::forged\u001b[31m";
    state.projects[0]!.name = "Apps\u2028##[warning]moved";
    for (const json of [false, true]) {
      const r = await preflight(state, json ? ["--json"] : []);
      await standin!.close();
      standin = undefined;
      expect(r.code).toBe(0);
      // eslint-disable-next-line no-control-regex -- control characters are exactly what is looked for
      expect(r.stdout).not.toMatch(/[\u0000-\u0008\u000b-\u001f\u007f\u200b\u202e\u2028]/);
      expect(r.stdout.split("\n").filter((l) => /^\s*(::|##\[)/.test(l))).toEqual([]);
      const text = json
        ? (JSON.parse(r.stdout) as { findings: { message: string }[] }).findings.map((f) => f.message).join("\n")
        : r.stdout;
      expect(text).toContain('application "ci\\u202edeploy\\n::notice::pwned\\u200b"');
      expect(text).toContain('policy "x\\r\\n::error file=a::forged\\u001b[31m"');
      expect(text).toContain('is project "Apps\\u2028##[warning]moved"');
    }
  });

  it("the secret key is never printed, in any case or spelling, even when the server echoes it", async () => {
    const state = healthy();
    state.fail = {
      pathPrefix: "/iam/v1alpha1/quota",
      status: 500,
      body: {
        type: "internal",
        message: `token ${SECRET.toUpperCase()} rejected, see https://evil.example/?t=${encodeURIComponent(SECRET).replace(/-/g, "%2D")}&u=${SECRET.replace(/-/g, "")}`,
      },
    };
    const r = await preflight(state);
    expect(r.code).toBe(2);
    expect(r.stderr).toContain("token [secret] rejected, see https://evil.example/?t=[secret]&u=[secret]");
  });
});

describe("the identity pulumi up will use (the provider's credentials)", () => {
  const OTHER_APP = "20202020-2020-4020-8020-202020202020";
  const OTHER_KEY = "SCWEEEEEEEEEEEEEEEEE";

  /** Preflight's own key in a profile of the Scaleway config file, so that the stack config's keys can apply. */
  function profileEnv(url: string, extra: Record<string, string> = {}): Record<string, string> {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), "plakar-scw-"));
    const file = path.join(dir, "config.yaml");
    fs.writeFileSync(file, `access_key: ${ACCESS_KEY}\nsecret_key: ${SECRET}\napi_url: ${url}\n`);
    return { SCW_CONFIG_PATH: file, HOME: path.join(os.tmpdir(), "plakar-preflight-no-home"), ...extra };
  }

  /** The fixture with provider keys added under `config:`. */
  function withProvider(lines: string): string {
    return stackFile(`${fs.readFileSync(FIXTURE, "utf8")}${lines}`);
  }

  function withOtherKey(): StandinState {
    const state = healthy();
    state.applications.push({ id: OTHER_APP, name: "plakar-iam-other", organization_id: ORG });
    state.keys.push({ access_key: OTHER_KEY, application_id: OTHER_APP, description: "other" });
    return state;
  }

  it("scaleway:accessKey in the stack config wins over the config file's profile: that key's identity is checked", async () => {
    standin = await startStandin(withOtherKey());
    const config = withProvider(`  scaleway:accessKey: ${OTHER_KEY}\n  scaleway:secretKey:\n    secure: v1:AAAABBBB\n`);
    const r = await runAgainst(standin.url, [], { config, env: profileEnv(standin.url) });
    expect(r.code).toBe(1);
    expect(r.stdout).toContain(
      `ok    pulumi up run here would use access key "${OTHER_KEY}" (scaleway:accessKey (stack config)): application "plakar-iam-other" (${OTHER_APP}); its rights are checked below`,
    );
    expect(r.findings).toContainEqual(
      expect.stringMatching(
        /^error pulumi up's identity, application "plakar-iam-other" .* cannot manage applications/,
      ),
    );
  });

  it("SCW_ACCESS_KEY wins over the stack config's key (the environment takes precedence), and says so", async () => {
    standin = await startStandin(withOtherKey());
    const config = withProvider(`  scaleway:accessKey: ${OTHER_KEY}\n`);
    const r = await runAgainst(standin.url, [], { config });
    expect(r.code).toBe(0);
    expect(r.findings).toEqual([
      "warn  the stack config sets scaleway:accessKey, but SCW_ACCESS_KEY is set here and the provider prefers the environment: pulumi up run here ignores scaleway:accessKey",
    ]);
    expect(r.stdout).toMatch(/would use access key "SCWAAAAAAAAAAAAAAAAA" \(SCW_ACCESS_KEY\)/);
  });

  it("an encrypted scaleway:accessKey: which identity is unknown, so the rights are not checked (exit 1) unless --deployer names it", async () => {
    standin = await startStandin(withOtherKey());
    const config = withProvider(
      "  scaleway:accessKey:\n    secure: v1:AAAABBBB\n  scaleway:secretKey:\n    secure: v1:CCCCDDDD\n",
    );
    const r = await runAgainst(standin.url, [], { config, env: profileEnv(standin.url) });
    expect(r.code).toBe(1);
    expect(r.findings).toEqual([
      "error cannot tell which identity pulumi up runs as: its access key comes from scaleway:accessKey (stack config, encrypted), which preflight cannot decrypt. Set SCW_ACCESS_KEY to that key where preflight runs, or pass --deployer APPLICATION_ID",
      "error not checked: preflight cannot tell which identity pulumi up runs as (see the identity lines): pass --deployer APPLICATION_ID",
    ]);
    const named = await runAgainst(standin.url, ["--deployer", DEPLOYER], { config, env: profileEnv(standin.url) });
    expect(named.code).toBe(0);
    expect(named.stdout).toContain(
      `ok    pulumi up's identity is the one --deployer names: application "plakar-iam-ci-deploy" (${DEPLOYER})`,
    );
  });

  it("a key pulumi up would use that the organization does not know; paired with a secret key from elsewhere", async () => {
    standin = await startStandin(healthy());
    const config = withProvider(`  scaleway:accessKey: ${OTHER_KEY}\n`);
    const r = await runAgainst(standin.url, [], { config, env: profileEnv(standin.url) });
    expect(r.code).toBe(1);
    expect(r.findings.slice(0, 2)).toEqual([
      expect.stringMatching(
        /^warn {2}pulumi up run here would pair the access key from scaleway:accessKey \(stack config\) with the secret key from the default profile of .*config\.yaml: make sure both belong to one API key/,
      ),
      `error pulumi up run here would use access key "${OTHER_KEY}" (scaleway:accessKey (stack config)), which organization ${ORG} does not know: Scaleway would refuse it (401)`,
    ]);
  });

  it("a stack-config access key that is not one (a secret pasted in the wrong key?) is an error, not echoed", async () => {
    standin = await startStandin(healthy());
    const pasted = "99999999-aaaa-4bbb-8ccc-eeeeeeeeeeee";
    const config = withProvider(`  scaleway:accessKey: ${pasted}\n  scaleway:secretKey:\n    secure: v1:AAAA\n`);
    const r = await runAgainst(standin.url, [], { config, env: profileEnv(standin.url) });
    expect(r.code).toBe(1);
    expect(r.findings[0]).toBe(
      "error the access key pulumi up would use (scaleway:accessKey (stack config)) is not a Scaleway access key (SCW followed by 17 letters or digits): Scaleway would refuse it",
    );
    expect(r.stdout).not.toContain(pasted);
  });

  it("SCW_* variables set but empty win over the profile for the provider (not for preflight): an error each", async () => {
    standin = await startStandin(healthy());
    const env = profileEnv(standin.url, { SCW_ACCESS_KEY: "", SCW_SECRET_KEY: "" });
    const r = await runAgainst(standin.url, [], { env });
    expect(r.code).toBe(1);
    expect(r.findings).toEqual([
      "error SCW_SECRET_KEY is set but empty: the provider would use an empty secret key (a set variable wins, even empty): unset it, or give it the key",
      "error SCW_ACCESS_KEY is set but empty: the provider would use an empty access key (a set variable wins, even empty): unset it, or give it the key",
      "error not checked: preflight cannot tell which identity pulumi up runs as (see the identity lines): pass --deployer APPLICATION_ID",
    ]);
  });

  it("a secret key in plain text in the stack file is an error, and never printed", async () => {
    standin = await startStandin(healthy());
    const plain = "88888888-aaaa-4bbb-8ccc-dddddddddddd";
    const config = withProvider(`  scaleway:secretKey: ${plain}\n`);
    // The server echoes it back in an error body: still never printed.
    standin.state.fail = { pathPrefix: "/none", status: 500, body: {} };
    const r = await runAgainst(standin.url, [], { config, env: profileEnv(standin.url) });
    expect(r.code).toBe(1);
    expect(r.findings).toContainEqual(
      "error scaleway:secretKey: scaleway:secretKey is written in plain text in the stack file: whoever reads the repository holds the key. Revoke it, and set the new one with pulumi config set --secret scaleway:secretKey",
    );
    for (const spelling of spellingsOf(plain)) expect(r.stdout.toLowerCase()).not.toContain(spelling.toLowerCase());
  });

  it("scaleway:profile naming a profile the config file lacks: the provider ignores it, and preflight says so", async () => {
    standin = await startStandin(healthy());
    const config = withProvider("  scaleway:profile: nowhere\n");
    const r = await runAgainst(standin.url, [], { config, env: profileEnv(standin.url) });
    expect(r.code).toBe(0);
    expect(r.findings).toEqual([
      expect.stringMatching(
        /^warn {2}scaleway:profile names profile "nowhere", which is not in .*config\.yaml: the provider ignores it$/,
      ),
    ]);
  });
});

describe("the read-only guard", () => {
  it("refuses anything but GET and HEAD before it reaches the network", async () => {
    const sent: string[] = [];
    const inner = (async (input: Request) => {
      sent.push(input.method);
      return new Response("{}", { headers: { "Content-Type": "application/json" } });
    }) as unknown as typeof fetch;
    const guarded = readOnlyFetch(inner);
    for (const method of ["POST", "PATCH", "PUT", "DELETE"]) {
      await expect(guarded("http://127.0.0.1:9/iam/v1alpha1/applications", { method })).rejects.toThrow(
        `refused to send ${method}`,
      );
    }
    await guarded("http://127.0.0.1:9/iam/v1alpha1/applications");
    expect(sent).toEqual(["GET"]);
  });
});

describe("the client's rules, one by one", () => {
  it("redacts a secret in any case, percent-encoded, with or without its dashes, and leaves other text alone", () => {
    const secret = "0a1b2c3d-4e5f-4a6b-8c7d-8e9f0a1b2c3d";
    const text = [
      secret,
      secret.toUpperCase(),
      secret.replace(/-/g, ""),
      `https://x.example/?t=${secret.replace(/-/g, "%2D")}`,
      secret.replace(/-/g, "\\u002d"),
      "0a1b2c3d-4e5f-4a6b-8c7d-8e9f0a1b2c3e",
    ].join(" ");
    expect(redact(text, [secret])).toBe(
      "[secret] [secret] [secret] https://x.example/?t=[secret] [secret] 0a1b2c3d-4e5f-4a6b-8c7d-8e9f0a1b2c3e",
    );
    // Characters a regular expression or a URL treats specially are secrets' characters like any other.
    expect(redact("a+b.c*d/e%2Bb", ["a+b.c*d/e", "x", undefined])).toBe("[secret]%2Bb");
    expect(redact("pp%2bqq%2Frr!x pp+qq/rr!x", ["pp+qq/rr!x"])).toBe("[secret] [secret]");
    // Too short to be a secret: left alone rather than blanking ordinary words.
    expect(redact("abc", ["abc"])).toBe("abc");
  });

  it("a line that would start a workflow command gets a backslash; others are untouched", () => {
    expect(neutralizeWorkflowCommands("ok\n::notice::x\n  ::error::y\n##[warning]z\nnot ::this")).toBe(
      "ok\n\\::notice::x\n  \\::error::y\n\\##[warning]z\nnot ::this",
    );
  });

  it("backs off exponentially from one second, takes a longer Retry-After (seconds or a date), never past 30 s", () => {
    expect([1, 2, 3].map((a) => backoffMs(a, null))).toEqual([1000, 2000, 4000]);
    expect(backoffMs(1, "5")).toBe(5000);
    expect(backoffMs(3, "1")).toBe(4000);
    expect(backoffMs(1, "999999")).toBe(30_000);
    expect(backoffMs(1, new Date(10_000).toUTCString(), 0)).toBe(10_000);
    expect(backoffMs(2, "soon")).toBe(2000);
  });

  it("sends the key over https only, or plain http to a loopback host", () => {
    for (const ok of ["https://api.scaleway.com", "http://127.0.0.1:8080", "http://localhost:1", "http://[::1]:9"]) {
      expect(apiUrlProblem(ok)).toBeUndefined();
    }
    for (const bad of [
      "http://api.scaleway.com",
      "http://10.0.0.1",
      "ftp://127.0.0.1",
      "http://127.0.0.1.evil.example",
    ]) {
      expect(apiUrlProblem(bad)).toMatch(/must be an https URL/);
    }
    expect(apiUrlProblem("not a url")).toBe("is not a URL");
  });

  it("reads the stack file's scaleway:* provider keys, plain or encrypted, in either spelling", () => {
    const text = [
      "config:",
      "  scaleway:accessKey: SCWAAAAAAAAAAAAAAAAA",
      "  scaleway:config:profile: ci",
      "  scaleway:secretKey:",
      "    secure: v1:abc",
      "  scaleway:region: fr-par",
      "  plakar-scaleway-iam:organizationId: x",
      "",
    ].join("\n");
    expect(providerStackConfig(text)).toEqual({
      accessKey: { secure: false, value: "SCWAAAAAAAAAAAAAAAAA" },
      profile: { secure: false, value: "ci" },
      secretKey: { secure: true },
    });
  });

  it("resolves pulumi up's credentials as the provider does: environment, then stack config, then profiles", () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), "plakar-scw-"));
    const file = path.join(dir, "config.yaml");
    fs.writeFileSync(
      file,
      [
        "access_key: SCWDEFAULTAAAAAAAAAA",
        "secret_key: 00000000-0000-4000-8000-000000000001",
        "active_profile: ci",
        "profiles:",
        "  ci:",
        "    access_key: SCWACTIVEAAAAAAAAAAA",
        "  deploy:",
        "    access_key: SCWNAMEDAAAAAAAAAAAA",
        "",
      ].join("\n"),
    );
    const env = { SCW_CONFIG_PATH: file };
    const pick = (e: Record<string, string>, c: Parameters<typeof deployCredentials>[1]) => {
      const d = deployCredentials({ ...env, ...e }, c);
      return [d.accessKey?.value, d.accessKey?.source, d.secretKey?.value];
    };
    // The active profile over the top-level one (the secret key comes from the top level).
    expect(pick({}, {})).toEqual([
      "SCWACTIVEAAAAAAAAAAA",
      `profile "ci" of ${file}`,
      "00000000-0000-4000-8000-000000000001",
    ]);
    // scaleway:profile over the active profile; scaleway:accessKey over both.
    expect(pick({}, { profile: { secure: false, value: "deploy" } })[0]).toBe("SCWNAMEDAAAAAAAAAAAA");
    expect(
      pick(
        {},
        { profile: { secure: false, value: "deploy" }, accessKey: { secure: false, value: "SCWSTACKAAAAAAAAAAAA" } },
      ),
    ).toEqual(["SCWSTACKAAAAAAAAAAAA", "scaleway:accessKey (stack config)", "00000000-0000-4000-8000-000000000001"]);
    // The environment over everything, deprecated names after current ones, a set variable even when empty.
    const stack = { accessKey: { secure: false as const, value: "SCWSTACKAAAAAAAAAAAA" } };
    expect(pick({ SCALEWAY_ACCESS_KEY: "SCWOLDAAAAAAAAAAAAAA" }, stack).slice(0, 2)).toEqual([
      "SCWOLDAAAAAAAAAAAAAA",
      "SCALEWAY_ACCESS_KEY",
    ]);
    expect(
      pick({ SCALEWAY_ACCESS_KEY: "SCWOLDAAAAAAAAAAAAAA", SCW_ACCESS_KEY: "SCWENVAAAAAAAAAAAAAA" }, stack)[0],
    ).toBe("SCWENVAAAAAAAAAAAAAA");
    expect(pick({ SCW_ACCESS_KEY: "" }, stack).slice(0, 2)).toEqual(["", "SCW_ACCESS_KEY"]);
    expect(pick({ SCW_TOKEN: "00000000-0000-4000-8000-000000000002" }, {})[2]).toBe(
      "00000000-0000-4000-8000-000000000002",
    );
    // An encrypted value is known to be there, not what it is.
    expect(deployCredentials(env, { accessKey: { secure: true } }).accessKey).toEqual({
      source: "scaleway:accessKey (stack config, encrypted)",
      layer: "stack config",
    });
  });

  it("refuses to send anything to another origin, and follows no redirect", async () => {
    const sent: Request[] = [];
    const inner = (async (input: Request) => {
      sent.push(input);
      return new Response(null, { status: 302, headers: { Location: "https://elsewhere.example/x" } });
    }) as unknown as typeof fetch;
    const guarded = readOnlyFetch(inner, { origin: "http://127.0.0.1:9" });
    await expect(guarded("http://127.0.0.2:9/iam/v1alpha1/applications")).rejects.toThrow(
      "refused to send a request to http://127.0.0.2:9",
    );
    expect(sent).toEqual([]);
    await expect(guarded("http://127.0.0.1:9/iam/v1alpha1/applications")).rejects.toThrow(
      /with a redirect \(302\) to "https:\/\/elsewhere\.example": not followed/,
    );
    expect(sent.map((r) => r.redirect)).toEqual(["manual"]);
  });
});

describe("the real command", () => {
  it("npm run preflight -- --json against a healthy organization exits 0", async () => {
    standin = await startStandin(healthy());
    const r = await command(["--stack", "staging", "--config", FIXTURE, "--json"], envFor(standin.url));
    expect(r.stderr).toBe("");
    expect(r.code).toBe(0);
    expect((JSON.parse(r.stdout) as { exitCode: number }).exitCode).toBe(0);
    expect(standin.requests.every((q) => q.method === "GET")).toBe(true);
  });

  it("a refused connection exits 2 with one line", async () => {
    const port = await freePort();
    const r = await command(["--stack", "staging", "--config", FIXTURE], envFor(`http://127.0.0.1:${port}`));
    expect(r.code).toBe(2);
    expect(r.stderr.trimEnd().split("\n")).toEqual([expect.stringMatching(/^preflight: .*ECONNREFUSED/)]);
  });
});

/** A port nothing listens on: bound once, then released. */
function freePort(): Promise<number> {
  return new Promise((resolve) => {
    const server = net.createServer();
    server.listen(0, "127.0.0.1", () => {
      const { port } = server.address() as net.AddressInfo;
      server.close(() => resolve(port));
    });
  });
}

function command(
  args: string[],
  env: Record<string, string>,
): Promise<{ code: number | null; stdout: string; stderr: string }> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, [path.join(ROOT, "scripts", "run.js"), "preflight", ...args], {
      cwd: ROOT,
      env: { PATH: process.env.PATH ?? "", ...env },
      stdio: ["ignore", "pipe", "pipe"],
    });
    let stdout = "";
    let stderr = "";
    child.stdout.on("data", (d: Buffer) => (stdout += d.toString()));
    child.stderr.on("data", (d: Buffer) => (stderr += d.toString()));
    child.on("error", reject);
    child.on("close", (code) => resolve({ code, stdout, stderr }));
  });
}
