/**
 * preflight against a stand-in of Scaleway's API (test/support/scaleway-standin.ts): a healthy organization, each
 * finding, pagination, the API's errors and a refused connection. Runs in-process through `main`; two tests run the
 * real command. Every test also checks that no request wrote anything.
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
import { readOnlyFetch } from "../tools/preflight/client";
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
  const code = await main(
    ["--stack", "staging", "--config", options.config ?? FIXTURE, ...args],
    options.env ?? envFor(url),
    {
      stdout: (t) => (stdout += t),
      stderr: (t) => (stderr += t),
      root: ROOT,
      cwd: ROOT,
      now: NOW,
      ...options.io,
    },
  );
  expect(stdout + stderr).not.toContain(SECRET);
  if (standin) {
    expect(standin.requests.filter((r) => r.method !== "GET")).toEqual([]);
  }
  const findings = stdout.split("\n").filter((l) => /^(warn|error) /.test(l));
  return { code, stdout, stderr, findings };
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
    expect(r.stdout).toMatch(/may write secrets in project backups: SecretManagerFullAccess/);
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
    ]) {
      expect(paths).toContain(p);
    }
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
        /^error the credentials' application "plakar-iam-ci-deploy.* cannot manage applications: .*IAMManager or IAMApplicationManager/,
      ),
      expect.stringMatching(/cannot manage policies: .*IAMManager or IAMPolicyManager/),
      expect.stringMatching(/cannot manage API keys/),
      expect.stringMatching(/^error secretManager\.project: .* cannot write secrets in project backups/),
    ]);
  });

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
        permission_set_names: ["SecretManagerReadOnly", "SecretManagerSecretCreate", "SecretManagerSecretWrite"],
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

  function handMade(overrides: { appDescription?: string; rules?: string[] } = {}): StandinState {
    const state = healthy();
    state.applications.push({
      id: app,
      name: "plakar-staging-inventory",
      description: overrides.appDescription ?? description,
      organization_id: ORG,
      tags,
    });
    state.policies.push({
      id: pol,
      name: "plakar-staging-inventory",
      description,
      organization_id: ORG,
      application_id: app,
      tags,
    });
    state.rules[pol] = [
      {
        id: "a",
        permission_set_names: overrides.rules ?? ["AllProductsReadOnly"],
        permission_sets_scope_type: "projects",
        project_ids: [APPS],
      },
    ];
    state.keys.push({ access_key: "SCWDDDDDDDDDDDDDDDDD", application_id: app, description: "made in the console" });
    return state;
  }

  it("matching resources are imported; the hand-made key is listed to revoke", async () => {
    const r = await preflight(handMade(), [], { config: withInventory(adoptYaml) });
    expect(r.code).toBe(0);
    expect(r.stdout).toContain(
      `ok    credentials.inventory.adopt: application ${app} and policy ${pol} match the stack: pulumi up imports them`,
    );
    expect(r.findings).toEqual([
      `warn  credentials.inventory.adopt: key SCWDDDDDDDDDDDDDDDDD of application ${app} ("made in the console", never expires) was made by hand and is not adopted: once Plakar uses the stack's new key, revoke it (console, or scw iam api-key delete SCWDDDDDDDDDDDDDDDDD)`,
    ]);
    // The adopted application is the stack's: no second one counted, no "exists and is not this stack's".
    expect(r.stdout).toMatch(/quota applications: 2 applications exist \+ 2 more/);
  });

  it("each difference that would make the import fail, on the adopt key", async () => {
    const r = await preflight(handMade({ appDescription: "by hand", rules: ["AllProductsFullAccess"] }), [], {
      config: withInventory(adoptYaml),
    });
    expect(r.code).toBe(1);
    const errors = r.findings.filter((l) => l.startsWith("error"));
    expect(errors).toEqual([
      `error credentials.inventory.adopt.applicationId: application ${app}'s description is "by hand"; the stack declares "${description}": the import would fail on this difference: change it to the declared value first`,
      `error credentials.inventory.adopt.policyId: policy ${pol}'s rules is [projects [${APPS}]: AllProductsFullAccess]; the stack declares [projects [${APPS}]: AllProductsReadOnly]: the import would fail on this difference: change it to the declared value first`,
    ]);
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

  it("403: the key may not read something, naming it", async () => {
    const r = await preflight(
      failing(403, {
        type: "permissions_denied",
        message: "insufficient permissions",
        details: [{ action: "read", resource: "quota" }],
      }),
    );
    expect(oneLine(r)).toBe(
      "preflight: listing IAM quotas: the credentials may not read this (403: read quota): give their identity IAMReadOnly and ProjectReadOnly on the organization (docs/ci.md)",
    );
  });

  it("404: not Scaleway's API at SCW_API_URL", async () => {
    const r = await preflight(failing(404, { type: "not_found", message: "resource is not found" }, "/"));
    expect(oneLine(r)).toMatch(
      /^preflight: reading the credentials' own API key: http:\/\/127\.0\.0\.1:\d+ answered 404/,
    );
  });

  it("429: rate-limited", async () => {
    const r = await preflight(
      failing(429, {
        type: "too_many_requests",
        message: "too many requests",
        help_message: "slow down",
        reset_seconds: 30,
      }),
    );
    expect(oneLine(r)).toBe(
      "preflight: listing IAM quotas: Scaleway is rate-limiting these credentials (429, retry in 30s): try again later",
    );
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
