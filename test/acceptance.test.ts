/**
 * The acceptance run (`npm run acceptance`), everything of it that does not need Scaleway: its orchestration against
 * a stand-in `pulumi` on PATH (test/support/fake-pulumi.js: records every invocation, keeps state in the run's file
 * backend, creates and deletes through the stand-in's control API what an update would) and a stand-in of Scaleway
 * on 127.0.0.1 whose IAM decides every answer (test/support/scaleway-acceptance-standin.ts). Nothing here runs the
 * real CLI or reaches Scaleway: the run's claims about Scaleway (a key refused on another project answers 403, S3
 * takes `<access key>@<project>`, a revoked key answers 401) are the stand-in's by construction, and only a live run
 * checks them.
 */
import * as fs from "fs";
import * as path from "path";
import fc from "fast-check";
import { afterEach, beforeAll, describe, expect, it } from "vitest";
import { parse } from "yaml";
import { keySchedule } from "../components/domain/rotation";
import { namespaceConfig } from "../stack/config";
import { planStack } from "../stack/credentials";
import type { Io } from "../tools/cli";
import { DEFAULT_WAITS, NEEDED, runAcceptance, type Waits } from "../tools/acceptance/main";
import { signV4 } from "../tools/acceptance/sigv4";
import { acceptanceConfig, PLAN_HOLDS_MS, rotationPlan, USE_CASE_NAMES } from "../tools/acceptance/stackConfig";
import { PROBES } from "../tools/acceptance/probes";
import { PROJECT, ROOT } from "./support/arbitraries";
import { runBounded } from "./support/bounded-run";
import { context } from "./support/config";
import { tempDir } from "./support/offline";
import { type AcceptanceStandin, newState, startAcceptanceStandin } from "./support/scaleway-acceptance-standin";

// eslint-disable-next-line @typescript-eslint/no-require-imports -- the stand-in CLI is plain CommonJS, run by node
const fake = require("./support/fake-pulumi.js") as { keySchedule: typeof keySchedule };

const ORG = "5b0a1c2d-3e4f-4a5b-8c6d-7e8f9a0b1c2d";
const GRANTED = "0c1d2e3f-4a5b-4c6d-8e7f-8a9b0c1d2e3f";
const OTHER = "1d2e3f4a-5b6c-4d7e-9f8a-9b0c1d2e3f4a";
const ADMIN = { accessKey: "SCWADMINADMINADMIN00", secretKey: "9e7d5c3b-1a2f-4e6d-8c0b-a9f8e7d6c5b4" };
const NOW = Date.parse("2026-11-26T09:00:00Z");
const FAKE = path.join(__dirname, "support", "fake-pulumi.js");

/** Waits as the real run's, scaled down: the stand-in answers at once, and the clock is a counter. */
const WAITS: Waits = { permissionsMs: 60_000, objectStorageMs: 120_000, revocationMs: 60_000, pollMs: 10_000 };

interface Invocation {
  readonly argv: string[];
  readonly cwd: string;
  readonly env: Record<string, string | undefined>;
  readonly stackFile: string | null;
  readonly projectFile: string | null;
}

interface Outcome {
  readonly code: number;
  readonly stdout: string;
  readonly stderr: string;
  readonly calls: Invocation[];
  readonly standin: AcceptanceStandin;
  readonly tmp: string;
  /** The fake clock's end: how long the run waited. */
  readonly waitedMs: number;
}

let base: string;
beforeAll(() => {
  base = tempDir();
});

const standins: AcceptanceStandin[] = [];
afterEach(async () => {
  await Promise.all(standins.splice(0).map((s) => s.close()));
});

/** A folder holding `pulumi`: the stand-in CLI, started by this node. */
function fakeOnPath(): string {
  const bin = fs.mkdtempSync(path.join(base, "bin-"));
  const script = path.join(bin, "pulumi");
  fs.writeFileSync(script, `#!/bin/sh\nexec "${process.execPath}" "${FAKE}" "$@"\n`, { mode: 0o755 });
  return bin;
}

function neededEnv(standin: AcceptanceStandin, extra: Record<string, string> = {}): Record<string, string> {
  return {
    PATH: `${fakeOnPath()}${path.delimiter}${process.env.PATH ?? ""}`,
    HOME: base,
    SCW_ACCESS_KEY: ADMIN.accessKey,
    SCW_SECRET_KEY: ADMIN.secretKey,
    SCW_DEFAULT_ORGANIZATION_ID: ORG,
    PLAKAR_ACCEPTANCE_PROJECT_ID: GRANTED,
    PLAKAR_ACCEPTANCE_OTHER_PROJECT_ID: OTHER,
    SCW_API_URL: standin.url,
    PLAKAR_ACCEPTANCE_S3_URL: standin.url,
    FAKE_PULUMI_STANDIN: standin.url,
    FAKE_PULUMI_NOW: new Date(NOW).toISOString(),
    ...extra,
  };
}

function capture(): Io & { out: () => string; err: () => string } {
  let out = "";
  let err = "";
  return {
    stdout: (t) => void (out += t),
    stderr: (t) => void (err += t),
    stdin: () => Promise.resolve(undefined),
    cwd: ROOT,
    out: () => out,
    err: () => err,
  };
}

async function acceptance(
  options: {
    env?: (standin: AcceptanceStandin) => Record<string, string>;
    lax?: boolean;
    revokedKeys?: "allowed" | "denied";
  } = {},
): Promise<Outcome> {
  const standin = await startAcceptanceStandin(newState(ORG, ADMIN));
  standins.push(standin);
  standin.state.lax = options.lax;
  standin.state.revokedKeys = options.revokedKeys;
  const tmp = fs.mkdtempSync(path.join(base, "run-"));
  const log = path.join(tmp, "calls.jsonl");
  const env = { ...(options.env ? options.env(standin) : neededEnv(standin)), FAKE_PULUMI_LOG: log };
  let clock = NOW;
  const io = capture();
  const code = await runAcceptance([], io, {
    env,
    root: ROOT,
    tmpdir: tmp,
    now: () => clock,
    sleep: (ms) => {
      clock += ms;
      return Promise.resolve();
    },
    waits: WAITS,
    suffix: "0a1b2c3d",
  });
  const calls = fs.existsSync(log)
    ? fs
        .readFileSync(log, "utf8")
        .trim()
        .split("\n")
        .map((l) => JSON.parse(l) as Invocation)
    : [];
  return { code, stdout: io.out(), stderr: io.err(), calls, standin, tmp, waitedMs: clock - NOW };
}

const commandOf = (c: Invocation) => {
  const words: string[] = [];
  for (const a of c.argv) {
    if (a.startsWith("-")) break;
    words.push(a);
  }
  return words.join(" ");
};
const flagOf = (c: Invocation, name: string) => c.argv[c.argv.indexOf(name) + 1];
const configOf = (c: Invocation) =>
  parse(c.stackFile ?? "{}") as { config: Record<string, unknown>; encryptionsalt?: string };
const leftoverFolders = (tmp: string) => fs.readdirSync(tmp).filter((f) => f.startsWith("plakar-acceptance-"));

describe("needs: exit 2, saying what is missing, before anything is created", () => {
  it("without credentials, projects or the Pulumi CLI: every need named, no pulumi started, no folder made", async () => {
    const empty = fs.mkdtempSync(path.join(base, "empty-"));
    const r = await acceptance({ env: () => ({ PATH: empty, HOME: base }) });
    expect(r.code).toBe(2);
    expect(r.stdout).toBe("");
    const lines = r.stderr.trimEnd().split("\n");
    expect(lines[0]).toBe("acceptance needs:");
    for (const name of Object.keys(NEEDED)) {
      expect(lines).toContain(`error: ${name}: is not set: ${NEEDED[name]}`);
    }
    expect(lines).toContain(
      "error: pulumi: is not on PATH: install the Pulumi CLI (https://www.pulumi.com/docs/iac/download-install/)",
    );
    expect(lines).toHaveLength(1 + Object.keys(NEEDED).length + 1);
    expect(r.calls).toEqual([]);
    expect(leftoverFolders(r.tmp)).toEqual([]);
  });

  it("with everything but the CLI: one line naming it; malformed values are named, never echoed", async () => {
    const r = await acceptance({
      env: (s) => ({ ...neededEnv(s), PATH: fs.mkdtempSync(path.join(base, "empty-")) }),
    });
    expect(r.code).toBe(2);
    expect(r.stderr.trimEnd().split("\n").slice(1)).toEqual([
      "error: pulumi: is not on PATH: install the Pulumi CLI (https://www.pulumi.com/docs/iac/download-install/)",
    ]);
    const secret = "not-a-uuid-but-a-secret-value";
    const bad = await acceptance({
      env: (s) => ({
        ...neededEnv(s),
        SCW_SECRET_KEY: secret,
        PLAKAR_ACCEPTANCE_OTHER_PROJECT_ID: GRANTED.toUpperCase(),
        SCW_API_URL: "http://api.example.com",
      }),
    });
    expect(bad.code).toBe(2);
    expect(bad.stderr).not.toContain(secret);
    expect(bad.stderr.trimEnd().split("\n").slice(1)).toEqual([
      `error: SCW_SECRET_KEY: is not a secret key (a UUID): ${NEEDED.SCW_SECRET_KEY}`,
      "error: PLAKAR_ACCEPTANCE_OTHER_PROJECT_ID: is PLAKAR_ACCEPTANCE_PROJECT_ID: give two different projects (the keys must be refused on the other)",
      "error: SCW_API_URL: must be an https URL (plain http only for a loopback host such as 127.0.0.1): the secret key would cross the network in clear",
    ]);
    expect(bad.calls).toEqual([]);
  });

  it("through the real entry (node scripts/run.js acceptance, as npm run does): exit 2 without credentials", async () => {
    const r = await runBounded("acceptance", [], {
      timeoutMs: 60_000,
      env: { PATH: fs.mkdtempSync(path.join(base, "empty-")), HOME: base },
    });
    expect(r.code, r.stderr).toBe(2);
    expect(r.stderr).toMatch(/^acceptance needs:\nerror: SCW_ACCESS_KEY: is not set: /);
    expect(r.stderr).toContain("error: pulumi: is not on PATH");
    const help = await runBounded("acceptance", ["--help"], { timeoutMs: 60_000 });
    expect(help.code).toBe(0);
    expect(help.stdout).toMatch(/^usage: npm run --silent acceptance\n/);
  });
});

describe("a whole run against the stand-ins", () => {
  let run: Outcome;
  beforeAll(async () => {
    run = await acceptance({ env: (s) => neededEnv(s, { FAKE_PULUMI_NOISE: "1" }) });
  });

  it("passes, and says so last", () => {
    expect(run.code, `${run.stdout}\n${run.stderr}`).toBe(0);
    expect(run.stderr).toBe("");
    expect(run.stdout.trimEnd().split("\n").at(-1)).toBe("acceptance passed: every check held, and nothing is left");
  });

  it("drives the CLI in order, every command on the throwaway stack, folder and file backend, never prompting", () => {
    expect(run.calls.map(commandOf)).toEqual([
      "version",
      "stack init",
      "up",
      "stack output",
      "up",
      "stack output",
      "up",
      "stack output",
      "destroy",
      "stack rm",
    ]);
    const project = flagOf(run.calls[1]!, "--cwd");
    expect(path.dirname(path.dirname(project!))).toBe(run.tmp);
    for (const call of run.calls.slice(1)) {
      expect(flagOf(call, "--stack")).toBe("acceptance-0a1b2c3d");
      expect(flagOf(call, "--cwd")).toBe(project);
      expect(call.argv).toContain("--non-interactive");
      expect(call.env.PULUMI_BACKEND_URL).toBe(`file://${path.join(path.dirname(project!), "backend")}`);
      expect(call.env.PULUMI_CONFIG_PASSPHRASE).toBeUndefined();
      expect(call.env.PULUMI_CONFIG_PASSPHRASE_FILE).toBe(path.join(path.dirname(project!), "passphrase"));
    }
    for (const call of run.calls.filter((c) => ["up", "destroy"].includes(commandOf(c)))) {
      expect(call.argv).toEqual(expect.arrayContaining(["--yes", "--skip-preview"]));
    }
    // The throwaway project runs this repository's program, under this project's name.
    const pulumiYaml = parse(run.calls[2]!.projectFile!) as { name: string; main: string; runtime: unknown };
    expect(pulumiYaml.name).toBe(PROJECT);
    expect(pulumiYaml.main).toBe(path.join(ROOT, "index.ts"));
    expect(pulumiYaml.runtime).toEqual(
      (parse(fs.readFileSync(path.join(ROOT, "Pulumi.yaml"), "utf8")) as { runtime: unknown }).runtime,
    );
  });

  it("deploys one credential per use case, then rotates with a new generation, then retires them all, salt kept", () => {
    const plan = rotationPlan(NOW)!;
    const ups = run.calls.filter((c) => commandOf(c) === "up").map(configOf);
    const salt = configOf(run.calls.find((c) => commandOf(c) === "stack output")!).encryptionsalt;
    expect(salt).toMatch(/^v1:/);
    for (const up of ups) expect(up.encryptionsalt).toBe(salt);
    const credentials = (i: number) =>
      ups[i]!.config[`${PROJECT}:credentials`] as Record<string, Record<string, unknown>>;
    expect(Object.keys(credentials(0)).sort()).toEqual([...USE_CASE_NAMES].sort());
    for (const [name, spec] of Object.entries(credentials(0))) {
      expect(spec.preset).toBe(name);
      expect(spec.projects).toEqual(["granted"]);
    }
    expect(ups[0]!.config[`${PROJECT}:projects`]).toEqual({ granted: GRANTED });
    expect(ups.map((u) => u.config[`${PROJECT}:apiKeys`])).toEqual([plan.first, plan.second, plan.second]);
    expect(Object.values(credentials(2)).every((c) => c.retire === true)).toBe(true);
    expect(Object.values(credentials(1)).some((c) => "retire" in c)).toBe(false);
  });

  it("proves each key: its use case's read allowed on the granted project, the same read refused on the other", () => {
    const reads = run.standin.requests.filter((r) => r.who !== "admin" && r.who !== undefined);
    for (const useCase of USE_CASE_NAMES) {
      for (const probe of PROBES[useCase]) {
        const path_ = {
          "instance-servers": "/instance/v1/zones/fr-par-1/servers",
          "block-volumes": "/block/v1alpha1/zones/fr-par-1/volumes",
          secrets: "/secret-manager/v1beta1/regions/fr-par/secrets",
          "s3-buckets": "/",
        }[probe];
        // Keys of this credential: the stand-in knows which application each belongs to.
        const keysOf = [...run.standin.state.everIssued.values()]
          .filter((k) => k.description?.startsWith(`${useCase} (`))
          .map((k) => k.accessKey);
        const mine = reads.filter((r) => r.path === path_ && keysOf.includes(r.who!));
        expect(
          mine.filter((r) => r.project === GRANTED && r.status === 200).length,
          `${useCase} ${probe}`,
        ).toBeGreaterThanOrEqual(2);
        expect(
          mine.filter((r) => r.project === OTHER).map((r) => r.status),
          `${useCase} ${probe}`,
        ).toEqual([403, 403]);
      }
    }
    // S3 reads were signed with the key's secret: the stand-in checked every signature.
    expect(run.standin.requests.filter((r) => r.path === "/" && r.status === 403 && r.project !== OTHER)).toEqual([]);
  });

  it("keeps the first key through the rotation, then finds every key issued revoked (401)", () => {
    const plan = rotationPlan(NOW)!;
    const first = keySchedule(NOW, plan.first.rotateEveryDays, plan.first.overlapDays);
    const generations = [first.current.generation, ...(first.previous ? [first.previous.generation] : [])];
    const issued = [...run.standin.state.everIssued.values()];
    const generationOf = (description: string | undefined) => /\(generation (.+)\)$/.exec(description ?? "")?.[1];
    for (const useCase of USE_CASE_NAMES) {
      const mine = issued
        .filter((k) => k.description?.startsWith(`${useCase} (`))
        .map((k) => generationOf(k.description));
      // One key per generation: the first update's current key was kept by the rotation, not replaced.
      expect(mine.sort(), useCase).toEqual([...generations, plan.secondGeneration].sort());
    }
    const revoked = new Set(run.standin.requests.filter((r) => r.status === 401).map((r) => r.who));
    for (const k of issued) expect(revoked.has(k.accessKey), k.description).toBe(true);
  });

  it("destroys, lists what is left with the run's own key (nothing), removes the stack and its folder", () => {
    const { state } = run.standin;
    expect([state.applications.size, state.policies.size, state.keys.size]).toEqual([0, 0, 0]);
    const lists = run.standin.requests.filter((r) => r.who === "admin").map((r) => r.path);
    expect(lists).toEqual(
      expect.arrayContaining(["/iam/v1alpha1/applications", "/iam/v1alpha1/policies", "/iam/v1alpha1/api-keys"]),
    );
    const byTag = run.standin.requests.find((r) => r.path === "/iam/v1alpha1/applications" && r.query.get("tag"));
    expect(byTag?.query.get("tag")).toBe("stack=acceptance-0a1b2c3d");
    expect(byTag?.query.get("organization_id")).toBe(ORG);
    expect(run.stdout).toContain("ok no application, policy or API key of the run is left");
    expect(leftoverFolders(run.tmp)).toEqual([]);
  });

  it("prints no secret and nothing a terminal or GitHub's runner would act on", () => {
    const secrets = [ADMIN.secretKey, ...[...run.standin.state.everIssued.values()].map((k) => k.secretKey)];
    for (const s of secrets) {
      expect(run.stdout).not.toContain(s);
      expect(run.stderr).not.toContain(s);
    }
    // The stand-in CLI printed each current secret key on purpose, before the run could know it: hidden as a UUID.
    expect(run.stdout).toContain("  |   secret [uuid]");
    expect(run.stdout).not.toContain("\u001b");
    expect(run.stdout).toContain("  | \\u001b[31mred");
    expect(run.stdout.split("\n").filter((l) => /^\s*(::|##\[)/.test(l))).toEqual([]);
  });
});

describe("a run that fails still cleans up, and says what is left", () => {
  it("a key that reads the other project fails the run (exit 1), then destroys everything", async () => {
    const r = await acceptance({ lax: true });
    expect(r.code).toBe(1);
    expect(r.stderr).toBe(
      "acceptance FAILED:\nerror: inventory: list Instances with its current key in the other project answered 200, not 403: the key reaches a project it was not granted\n",
    );
    expect(r.calls.map(commandOf).slice(-2)).toEqual(["destroy", "stack rm"]);
    expect(r.standin.state.applications.size).toBe(0);
    expect(leftoverFolders(r.tmp)).toEqual([]);
  });

  it("a rotation that replaces the previous key instead of keeping it fails the run", async () => {
    const r = await acceptance({ env: (s) => neededEnv(s, { FAKE_PULUMI_REPLACE: "1" }) });
    expect(r.code).toBe(1);
    expect(r.stderr).toBe(
      "acceptance FAILED:\nerror: inventory: after the rotation the previous key is not the key issued first (it was replaced or removed: Plakar would lose access before switching)\n",
    );
    expect(r.calls.map(commandOf).slice(-2)).toEqual(["destroy", "stack rm"]);
  });

  it("a failed update is reported with Pulumi's last line, then destroyed", async () => {
    const r = await acceptance({ env: (s) => neededEnv(s, { FAKE_PULUMI_FAIL: "up" }) });
    expect(r.code).toBe(1);
    expect(r.stderr).toBe(
      "acceptance FAILED:\nerror: the first update: pulumi up exited 255 (last line: error: up failed (FAKE_PULUMI_FAIL))\n",
    );
    expect(r.calls.map(commandOf)).toEqual(["version", "stack init", "up", "destroy", "stack rm"]);
  });

  it("what destroy leaves behind is listed with how to remove it, and the throwaway backend is kept to retry", async () => {
    const r = await acceptance({ env: (s) => neededEnv(s, { FAKE_PULUMI_LEAVE: "1" }) });
    expect(r.code).toBe(1);
    const [app] = [...r.standin.state.applications.values()];
    const [policy] = [...r.standin.state.policies.values()];
    expect(r.stdout).toContain(`   left: application ${app!.id} (${app!.name})`);
    expect(r.stdout).toContain(`   left: policy ${policy!.id} (${policy!.name})`);
    expect(r.stderr).toContain(
      "error: 2 resources of the run are left in the organization (listed above): remove them in the console (IAM), or with scw iam api-key delete <access key>, scw iam policy delete <id>, scw iam application delete <id>",
    );
    const [kept] = leftoverFolders(r.tmp);
    expect(kept).toBeDefined();
    expect(r.stdout).toContain(
      `PULUMI_CONFIG_PASSPHRASE_FILE=${path.join(r.tmp, kept!, "passphrase")} pulumi destroy --stack acceptance-0a1b2c3d`,
    );
  });

  it("a retired key that keeps working fails the run, after waiting as long as revocation may take", async () => {
    const r = await acceptance({ revokedKeys: "allowed" });
    expect(r.code).toBe(1);
    expect(r.stderr).toMatch(
      /^acceptance FAILED:\nerror: inventory: its key SCW[0-9A-F]{17} \(generation [0-9-]+\) still answers 200 after it was retired: it must be revoked \(401\)\n$/,
    );
    // A key left alive without rights is not revoked either.
    const denied = await acceptance({ revokedKeys: "denied" });
    expect(denied.code).toBe(1);
    expect(denied.stderr).toMatch(/still answers 403 after it was retired: it must be revoked \(401\)/);
    expect(r.waitedMs).toBeGreaterThanOrEqual(WAITS.revocationMs);
    expect(r.calls.map(commandOf).slice(-2)).toEqual(["destroy", "stack rm"]);
  });
});

describe("the pieces", () => {
  it("SigV4: AWS's worked example (GET iam.amazonaws.com ListUsers, 2015-08-30T12:36:00Z)", () => {
    const signed = signV4({
      method: "GET",
      url: new URL("https://iam.amazonaws.com/?Action=ListUsers&Version=2010-05-08"),
      headers: { "Content-Type": "application/x-www-form-urlencoded; charset=utf-8" },
      payloadHash: "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855",
      accessKey: "AKIDEXAMPLE",
      secretKey: "wJalrXUtnFEMI/K7MDENG+bPxRfiCYEXAMPLEKEY",
      region: "us-east-1",
      service: "iam",
      now: new Date("2015-08-30T12:36:00Z"),
    });
    expect(signed.headers.authorization).toBe(
      "AWS4-HMAC-SHA256 Credential=AKIDEXAMPLE/20150830/us-east-1/iam/aws4_request, SignedHeaders=content-type;host;x-amz-date, Signature=5d672d79c15b13162d9279b0855cfba6789a8edb4c82c400e06b5924a6f2b5d7",
    );
  });

  it("rotation settings: at any hour, the second update's previous key is the first's current one, unchanged, for two hours", () => {
    fc.assert(
      fc.property(
        fc.date({ min: new Date("2025-01-01T00:00:00Z"), max: new Date("2030-12-31T00:00:00Z"), noInvalidDate: true }),
        (date) => {
          const t = date.getTime();
          const plan = rotationPlan(t);
          expect(plan).toBeDefined();
          const { first, second } = plan!;
          for (const at of [t, t + PLAN_HOLDS_MS / 2, t + PLAN_HOLDS_MS]) {
            const a = keySchedule(at, first.rotateEveryDays, first.overlapDays);
            const b = keySchedule(at, second.rotateEveryDays, second.overlapDays);
            expect(a.current.generation).toBe(plan!.firstGeneration);
            expect(b.current.generation).toBe(plan!.secondGeneration);
            expect(b.current.generation).not.toBe(a.current.generation);
            expect(b.previous).toEqual(a.current);
          }
          // Short-lived keys (an organization may cap their lifetime): at most 41 days.
          expect(first.rotateEveryDays + first.overlapDays).toBeLessThanOrEqual(41);
        },
      ),
      { numRuns: 100 },
    );
  });

  it("the stand-in CLI's schedule is the program's (so the stand-in cannot drift from what up would do)", () => {
    fc.assert(
      fc.property(
        fc.integer({ min: Date.UTC(2024, 0, 1), max: Date.UTC(2040, 0, 1) }),
        fc.integer({ min: 2, max: 400 }),
        fc.integer({ min: 1, max: 399 }),
        (t, r, o) => {
          fc.pre(o < r);
          expect(fake.keySchedule(t, r, o)).toEqual(keySchedule(t, r, o));
        },
      ),
    );
  });

  it("the generated config is one the stack accepts: one credential per use case, of its own class; retired too", () => {
    const plan = rotationPlan(NOW)!;
    for (const retire of [false, true]) {
      const config = acceptanceConfig({
        project: PROJECT,
        organizationId: ORG,
        projectId: GRANTED,
        region: "fr-par",
        namePrefix: "acc-0a1b2c3d-",
        rotation: plan.first,
        retire,
      });
      // As Pulumi hands it to the program: every value a string, structured ones JSON.
      const strings = Object.fromEntries(
        Object.entries(config).map(([k, v]) => [k, typeof v === "string" ? v : JSON.stringify(v)]),
      );
      const planned = planStack(
        namespaceConfig(strings, PROJECT),
        context({ stack: "acceptance-0a1b2c3d", now: new Date(NOW) }),
      );
      expect(planned.credentials.map((c) => c.key).sort()).toEqual([...USE_CASE_NAMES].sort());
      expect(planned.protect).toBe(false);
      for (const c of planned.credentials) {
        expect(c.resolved.useCase).toBe(c.key);
        expect(c.kind).not.toBe("PlakarCredential");
        expect(c.args.retire === true).toBe(retire);
      }
    }
  });

  it("the default waits follow Scaleway's documented delays (IAM up to a minute, Object Storage up to five)", () => {
    expect(DEFAULT_WAITS.permissionsMs).toBeGreaterThan(60_000);
    expect(DEFAULT_WAITS.objectStorageMs).toBeGreaterThan(5 * 60_000);
  });
});
