/**
 * Structure of the GitHub Actions workflows: triggers, jobs, the stack matrix, environments, and the commands run.
 * The workflows cannot run here; this pins what they do so a change to them is a deliberate one.
 */
import * as fs from "fs";
import * as path from "path";
import { parse } from "yaml";
import { describe, expect, it } from "vitest";

const ROOT = path.join(__dirname, "..");
const WORKFLOWS_DIR = path.join(ROOT, ".github", "workflows");
const REUSABLE_UP = "./.github/workflows/pulumi-up.yml";
const STACKS = ["staging", "prod"];
const PULUMI_ACTION = "pulumi/actions@v7";
const REPORT = 'npm run --silent plan -- --stack "$stack" --format markdown >> "$GITHUB_STEP_SUMMARY"';
const EXPIRY_PIPELINE =
  'pulumi stack output --json --stack "$STACK" | npm run --silent check-expiry -- --stack "$STACK" --within 14';
/** The preview `up` would act on, with unchanged resources shown (check-preview needs them to see kept keys). */
const PREVIEW_CHECK =
  'pulumi preview --json --show-sames --non-interactive --stack "$STACK" | npm run --silent check-preview -- --stack "$STACK"';
/** Scripts the workflows run that package.json does not define yet. Remove an entry once package.json has it. */
type Dict = Record<string, unknown>;

interface Step {
  id?: string;
  name?: string;
  if?: string;
  uses?: string;
  run?: string;
  shell?: string;
  with?: Dict;
  env?: Dict;
  "continue-on-error"?: unknown;
}

interface Job {
  name?: string;
  if?: string;
  needs?: string | string[];
  uses?: string;
  with?: Dict;
  secrets?: unknown;
  environment?: unknown;
  concurrency?: unknown;
  permissions?: unknown;
  strategy?: { "fail-fast"?: boolean; matrix?: Dict };
  env?: Dict;
  steps?: Step[];
}

interface Workflow {
  name?: string;
  on: Dict;
  permissions?: unknown;
  concurrency?: unknown;
  jobs: Record<string, Job>;
}

function isDict(value: unknown): value is Dict {
  return typeof value === "object" && value !== null && !Array.isArray(value);
}

function load(file: string): Workflow {
  const doc: unknown = parse(fs.readFileSync(path.join(WORKFLOWS_DIR, file), "utf8"));
  if (!isDict(doc) || !isDict(doc.on) || !isDict(doc.jobs)) {
    throw new Error(`${file}: not a workflow (needs mappings 'on' and 'jobs')`);
  }
  return doc as unknown as Workflow;
}

function job(wf: Workflow, id: string): Job {
  const j = wf.jobs[id];
  if (!j) throw new Error(`no job '${id}' (jobs: ${Object.keys(wf.jobs).join(", ")})`);
  return j;
}

function steps(j: Job): Step[] {
  return j.steps ?? [];
}

function runs(j: Job): string[] {
  return steps(j).flatMap((s) => (s.run === undefined ? [] : [s.run]));
}

function indexOfStep(j: Job, pred: (s: Step) => boolean, what: string): number {
  const i = steps(j).findIndex(pred);
  if (i < 0) throw new Error(`no step ${what}`);
  return i;
}

/** The one step that runs a Pulumi command through the action (a step without `command` only installs the CLI). */
function pulumiStep(j: Job): Step {
  const found = steps(j).filter((s) => s.uses?.startsWith("pulumi/actions@") && s.with?.command !== undefined);
  expect(found).toHaveLength(1);
  return found[0]!;
}

function needsOf(j: Job): string[] {
  return j.needs === undefined ? [] : Array.isArray(j.needs) ? j.needs : [j.needs];
}

/** Every `${{ secrets.X }}` / `${{ vars.X }}` in a text. */
function references(text: string, context: "secrets" | "vars"): string[] {
  return [...text.matchAll(new RegExp(`\\$\\{\\{\\s*${context}\\.([A-Za-z0-9_]+)\\s*\\}\\}`, "g"))].map((m) => m[1]!);
}

const files = fs
  .readdirSync(WORKFLOWS_DIR)
  .filter((f) => /\.ya?ml$/.test(f))
  .sort();
const pr = load("pull-request.yml");
const deploy = load("deploy.yml");
const weekly = load("weekly.yml");
const up = load("pulumi-up.yml");
const upJob = job(up, "up");

/**
 * The environment a caller job's `pulumi up` runs in: the reusable workflow's `environment`, with `inputs.stack`
 * replaced by the stack the caller passes.
 */
function environmentOfCall(caller: Job, stack: string): unknown {
  expect(caller.uses).toBe(REUSABLE_UP);
  const passed = caller.with?.stack;
  const resolved = passed === "${{ matrix.stack }}" ? stack : passed;
  expect(resolved).toBe(stack);
  const env = upJob.environment;
  return typeof env === "string" ? env.replace(/\$\{\{\s*inputs\.stack\s*\}\}/g, stack) : env;
}

describe("workflow files", () => {
  it("are exactly the four expected ones", () => {
    expect(files).toEqual(["deploy.yml", "pull-request.yml", "pulumi-up.yml", "weekly.yml"]);
  });

  it.each(files)("%s parses, has a name, jobs and read-only default permissions", (file) => {
    const wf = load(file);
    expect(typeof wf.name).toBe("string");
    expect(Object.keys(wf.jobs).length).toBeGreaterThan(0);
    expect(wf.permissions).toEqual({ contents: "read" });
  });

  it.each(files)("%s pins every action to a major version", (file) => {
    const wf = load(file);
    const uses = Object.values(wf.jobs).flatMap((j) => [
      ...(j.uses ? [j.uses] : []),
      ...steps(j).flatMap((s) => (s.uses ? [s.uses] : [])),
    ]);
    expect(uses.length).toBeGreaterThan(0);
    for (const u of uses) expect(u).toMatch(/^(\.\/\.github\/workflows\/[a-z-]+\.yml|[\w.-]+\/[\w.-]+@v\d+)$/);
  });

  it.each(files)("%s sets up Node 22 (or the tested matrix) with the npm cache and installs with npm ci", (file) => {
    const wf = load(file);
    for (const [id, j] of Object.entries(wf.jobs).filter(([, j]) => j.steps)) {
      const node = steps(j).find((s) => s.uses === "actions/setup-node@v7");
      const version = id === "node-versions" ? "${{ matrix.node }}" : 22;
      expect(node?.with).toEqual({ "node-version": version, cache: "npm" });
      expect(steps(j)[0]?.uses).toBe("actions/checkout@v7");
      expect(runs(j)).toContain("npm ci");
    }
  });

  it("only the preview job may write (its pull request comment)", () => {
    for (const wf of [pr, deploy, weekly, up]) {
      for (const [id, j] of Object.entries(wf.jobs)) {
        if (wf === pr && id === "preview") {
          expect(j.permissions).toEqual({ contents: "read", "pull-requests": "write" });
        } else {
          expect(j.permissions).toBeUndefined();
        }
      }
    }
  });

  it("every npm script they run is in package.json", () => {
    const pkg = JSON.parse(fs.readFileSync(path.join(ROOT, "package.json"), "utf8")) as { scripts: Dict };
    const text = files.map((f) => fs.readFileSync(path.join(WORKFLOWS_DIR, f), "utf8")).join("\n");
    const used = new Set([...text.matchAll(/npm run (?:--silent )?([a-z][\w-]*)/g)].map((m) => m[1]!));
    expect([...used].sort()).toEqual(["check-expiry", "check-preview", "plan", "preflight"]);
    for (const script of used) {
      expect(Object.keys(pkg.scripts)).toContain(script);
    }
    expect(Object.keys(pkg.scripts)).toContain("test");
  });

  it("docs/ci.md documents every secret and variable they use", () => {
    const text = files.map((f) => fs.readFileSync(path.join(WORKFLOWS_DIR, f), "utf8")).join("\n");
    const secrets = [...new Set(references(text, "secrets"))].sort();
    const vars = [...new Set(references(text, "vars"))].sort();
    expect(secrets).toEqual([
      "PULUMI_CONFIG_PASSPHRASE",
      "SCW_ACCESS_KEY",
      "SCW_PREVIEW_ACCESS_KEY",
      "SCW_PREVIEW_SECRET_KEY",
      "SCW_SECRET_KEY",
    ]);
    expect(vars).toEqual(["PULUMI_BACKEND_URL", "SCW_DEFAULT_ORGANIZATION_ID", "SCW_DEPLOY_APPLICATION_ID"]);
    const doc = fs.readFileSync(path.join(ROOT, "docs", "ci.md"), "utf8");
    for (const name of [...secrets, ...vars]) expect(doc).toContain(`\`${name}\``);
  });
});

describe("pull-request.yml", () => {
  it("runs on pull requests to main only", () => {
    expect(Object.keys(pr.on)).toEqual(["pull_request"]);
    expect(pr.on.pull_request).toEqual({ branches: ["main"] });
  });

  it("tests, then writes the markdown access report of every stack into the job summary", () => {
    const t = job(pr, "test");
    const cmds = runs(t);
    expect(cmds.slice(0, 2)).toEqual(["npm ci", "npm test"]);
    const report = cmds[2]!;
    expect(report).toContain("set -euo pipefail");
    expect(report).toContain("for stack in staging prod; do");
    expect(report).toContain(REPORT);
    expect(t.environment).toBeUndefined();
  });

  it("also runs the tests on Node 20 and 24", () => {
    const j = job(pr, "node-versions");
    expect((j.strategy as { matrix: { node: number[] } }).matrix.node).toEqual([20, 24]);
    expect(runs(j)).toEqual(["npm ci", "npm test"]);
  });

  it("previews each stack in a matrix over exactly staging and prod, after the tests", () => {
    const p = job(pr, "preview");
    expect(needsOf(p)).toEqual(["test"]);
    expect(p.strategy?.matrix).toEqual({ stack: STACKS });
    expect(p.strategy?.["fail-fast"]).toBe(false);
    expect(p.if).toBe("github.event.pull_request.head.repo.full_name == github.repository");
    // No environment: a preview needs no approval and never gets the deploying key.
    expect(p.environment).toBeUndefined();
  });

  it("runs pulumi preview through the official action, with the policy pack, commenting on the PR", () => {
    const p = job(pr, "preview");
    const s = pulumiStep(p);
    expect(s.uses).toBe(PULUMI_ACTION);
    expect(s.with).toMatchObject({
      command: "preview",
      "stack-name": "${{ matrix.stack }}",
      "work-dir": ".",
      "cloud-url": "${{ vars.PULUMI_BACKEND_URL }}",
      "secrets-provider": "passphrase",
      policyPacks: "policy",
      "comment-on-pr": true,
    });
    expect(runs(p).indexOf("npm ci")).toBeLessThan(indexOfStep(p, (x) => x === s, "pulumi"));
    // `policyPacks` is a path relative to `work-dir`: it must be the policy pack's folder.
    expect(fs.existsSync(path.join(ROOT, "policy", "PulumiPolicy.yaml"))).toBe(true);
  });

  it("runs preflight per stack before pulumi preview, with the preview key, checking the deployer's rights", () => {
    const p = job(pr, "preview");
    const at = indexOfStep(p, (s) => s.name === "preflight", "preflight");
    const s = steps(p)[at]!;
    expect(at).toBeGreaterThan(indexOfStep(p, (x) => x.run === "npm ci", "npm ci"));
    expect(at).toBeLessThan(indexOfStep(p, (x) => x.uses === PULUMI_ACTION, "pulumi preview"));
    expect(s.shell).toBe("bash");
    expect(s.env).toEqual({
      STACK: "${{ matrix.stack }}",
      SCW_DEPLOY_APPLICATION_ID: "${{ vars.SCW_DEPLOY_APPLICATION_ID }}",
    });
    expect((s.run ?? "").trim().split("\n")).toEqual([
      "set -euo pipefail",
      'npm run --silent preflight -- --stack "$STACK" --deployer "$SCW_DEPLOY_APPLICATION_ID"',
    ]);
    // The job's key is the read-only preview key (next test): preflight never gets the deploying key.
    expect(s["continue-on-error"]).toBeUndefined();
  });

  it("gives the preview the read-only key, for Scaleway and for the S3 state backend", () => {
    expect(job(pr, "preview").env).toEqual({
      PULUMI_BACKEND_URL: "${{ vars.PULUMI_BACKEND_URL }}",
      PULUMI_CONFIG_PASSPHRASE: "${{ secrets.PULUMI_CONFIG_PASSPHRASE }}",
      SCW_ACCESS_KEY: "${{ secrets.SCW_PREVIEW_ACCESS_KEY }}",
      SCW_SECRET_KEY: "${{ secrets.SCW_PREVIEW_SECRET_KEY }}",
      SCW_DEFAULT_ORGANIZATION_ID: "${{ vars.SCW_DEFAULT_ORGANIZATION_ID }}",
      AWS_ACCESS_KEY_ID: "${{ secrets.SCW_PREVIEW_ACCESS_KEY }}",
      AWS_SECRET_ACCESS_KEY: "${{ secrets.SCW_PREVIEW_SECRET_KEY }}",
      AWS_REGION: "fr-par",
    });
  });
});

/** The check-preview step of a job: bash, pipefail, the stack from `stack`, nothing that swallows its exit code. */
function checkPreviewStep(j: Job, stack: string): Step {
  const s = steps(j)[indexOfStep(j, (x) => x.name === "check-preview", "check-preview")]!;
  expect(s.shell).toBe("bash");
  expect(s.env).toEqual({ STACK: stack });
  expect((s.run ?? "").trim().split("\n")).toEqual(["set -euo pipefail", PREVIEW_CHECK]);
  expect(s["continue-on-error"]).toBeUndefined();
  // Default `if` (success()): a failed check stops the job's later steps.
  expect(s.if).toBeUndefined();
  return s;
}

describe("check-preview in the workflows", () => {
  it("the pull request judges each stack's preview, after the commented one", () => {
    const p = job(pr, "preview");
    const check = checkPreviewStep(p, "${{ matrix.stack }}");
    expect(steps(p).indexOf(check)).toBeGreaterThan(steps(p).indexOf(pulumiStep(p)));
  });

  it("every update judges a preview first, in the update's own job, and stops before up on a finding", () => {
    const check = checkPreviewStep(upJob, "${{ inputs.stack }}");
    const checkIndex = steps(upJob).indexOf(check);
    const upIndex = steps(upJob).indexOf(pulumiStep(upJob));
    expect(checkIndex).toBeLessThan(upIndex);
    expect(runs(upJob).indexOf("npm ci")).toBeGreaterThanOrEqual(0);
    // The CLI must be installed before the check runs: an action step without a command only installs it.
    const install = steps(upJob).findIndex((s) => s.uses === PULUMI_ACTION && s.with === undefined);
    expect(install).toBeGreaterThanOrEqual(0);
    expect(install).toBeLessThan(checkIndex);
    expect(pulumiStep(upJob).if).toBeUndefined();
    // deploy.yml and weekly.yml both update through this workflow, so both are checked.
    expect(job(deploy, "staging").uses).toBe(REUSABLE_UP);
    expect(job(deploy, "prod").uses).toBe(REUSABLE_UP);
  });
});

describe("pulumi-up.yml (reusable)", () => {
  it("is only callable, with a required stack and an optional expiry check", () => {
    expect(Object.keys(up.on)).toEqual(["workflow_call"]);
    const call = up.on.workflow_call as { inputs: Record<string, Dict> };
    expect(call.inputs.stack).toMatchObject({ type: "string", required: true });
    expect(call.inputs["check-expiry"]).toMatchObject({ type: "boolean", default: false });
  });

  it("runs in the environment named like the stack, one update per stack at a time, never cancelled", () => {
    expect(upJob.environment).toBe("${{ inputs.stack }}");
    expect(upJob.concurrency).toEqual({ group: "pulumi-up-${{ inputs.stack }}", "cancel-in-progress": false });
  });

  it("runs pulumi up through the official action, with the policy pack", () => {
    const s = pulumiStep(upJob);
    expect(s.uses).toBe(PULUMI_ACTION);
    expect(s.with).toMatchObject({
      command: "up",
      "stack-name": "${{ inputs.stack }}",
      "work-dir": ".",
      "cloud-url": "${{ vars.PULUMI_BACKEND_URL }}",
      "secrets-provider": "passphrase",
      policyPacks: "policy",
    });
    expect(s.with).not.toHaveProperty("upsert");
  });

  it("gives the pulumi steps no id, so nothing reads the outputs the action exposes unmasked", () => {
    expect(pulumiStep(upJob).id).toBeUndefined();
    expect(pulumiStep(job(pr, "preview")).id).toBeUndefined();
  });

  it("gives the update the environment's deploying key, for Scaleway and for the S3 state backend", () => {
    expect(upJob.env).toEqual({
      PULUMI_BACKEND_URL: "${{ vars.PULUMI_BACKEND_URL }}",
      PULUMI_CONFIG_PASSPHRASE: "${{ secrets.PULUMI_CONFIG_PASSPHRASE }}",
      SCW_ACCESS_KEY: "${{ secrets.SCW_ACCESS_KEY }}",
      SCW_SECRET_KEY: "${{ secrets.SCW_SECRET_KEY }}",
      SCW_DEFAULT_ORGANIZATION_ID: "${{ vars.SCW_DEFAULT_ORGANIZATION_ID }}",
      AWS_ACCESS_KEY_ID: "${{ secrets.SCW_ACCESS_KEY }}",
      AWS_SECRET_ACCESS_KEY: "${{ secrets.SCW_SECRET_KEY }}",
      AWS_REGION: "fr-par",
    });
  });

  it("checks expiry after the update, when asked, with pipefail so any failure fails the job", () => {
    const upIndex = indexOfStep(upJob, (s) => s.uses === PULUMI_ACTION, "pulumi up");
    const checkIndex = indexOfStep(upJob, (s) => s.id === "expiry", "check-expiry");
    expect(checkIndex).toBeGreaterThan(upIndex);
    const check = steps(upJob)[checkIndex]!;
    expect(check.if).toContain("inputs.check-expiry");
    expect(check.if).toContain("!cancelled()");
    expect(check.shell).toBe("bash");
    expect(check.env).toEqual({ STACK: "${{ inputs.stack }}" });
    const lines = (check.run ?? "").trim().split("\n");
    expect(lines).toEqual(["set -euo pipefail", EXPIRY_PIPELINE]);
    // Nothing may swallow the exit code.
    expect(check["continue-on-error"]).toBeUndefined();
    const report = steps(upJob)[checkIndex + 1];
    expect(report?.if).toBe("${{ failure() && steps.expiry.outcome == 'failure' }}");
  });
});

describe("deploy.yml", () => {
  it("runs on pushes to main and by hand", () => {
    expect(Object.keys(deploy.on).sort()).toEqual(["push", "workflow_dispatch"]);
    expect(deploy.on.push).toEqual({ branches: ["main"] });
  });

  it("tests first", () => {
    expect(runs(job(deploy, "test"))).toEqual(["npm ci", "npm test"]);
  });

  it("updates staging after the tests, then prod after staging", () => {
    const staging = job(deploy, "staging");
    const prod = job(deploy, "prod");
    expect(needsOf(staging)).toEqual(["test"]);
    expect(needsOf(prod)).toEqual(["staging"]);
    for (const [j, stack] of [
      [staging, "staging"],
      [prod, "prod"],
    ] as const) {
      expect(j.uses).toBe(REUSABLE_UP);
      expect(j.with).toEqual({ stack });
      expect(j.secrets).toBe("inherit");
      expect(j.if).toBe("github.ref == 'refs/heads/main'");
    }
  });

  it("updates prod in the prod environment (the one with required reviewers)", () => {
    expect(environmentOfCall(job(deploy, "prod"), "prod")).toBe("prod");
    expect(environmentOfCall(job(deploy, "staging"), "staging")).toBe("staging");
  });
});

describe("weekly.yml", () => {
  const crons = () => (weekly.on.schedule as { cron: string }[]).map((s) => s.cron);

  it("runs on weekly crons (rotation, then the expiry check) and by hand", () => {
    expect(Object.keys(weekly.on).sort()).toEqual(["schedule", "workflow_dispatch"]);
    expect(crons()).toHaveLength(2);
    for (const cron of crons()) {
      const fields = cron.split(/\s+/);
      expect(fields).toHaveLength(5);
      // minute hour * * day-of-week: once a week.
      expect(fields[2]).toBe("*");
      expect(fields[3]).toBe("*");
      expect(fields[4]).toMatch(/^[0-6]$/);
    }
    // The check runs later the same day, once staging's rotation is done.
    const [rotateAt, checkAt] = crons().map((c) => c.split(/\s+/));
    expect(checkAt[4]).toBe(rotateAt[4]);
    expect(Number(checkAt[1])).toBeGreaterThan(Number(rotateAt[1]));
  });

  it("updates every stack, then checks expiry, in a matrix over exactly staging and prod", () => {
    const rotate = job(weekly, "rotate");
    expect(rotate.strategy?.matrix).toEqual({ stack: STACKS });
    expect(rotate.strategy?.["fail-fast"]).toBe(false);
    expect(rotate.uses).toBe(REUSABLE_UP);
    expect(rotate.with).toEqual({ stack: "${{ matrix.stack }}", "check-expiry": true });
    expect(rotate.secrets).toBe("inherit");
    expect(rotate.if).toBe(`github.ref == 'refs/heads/main' && github.event.schedule != '${crons()[1]}'`);
  });

  it("updates prod in the prod environment", () => {
    const rotate = job(weekly, "rotate");
    for (const stack of STACKS) expect(environmentOfCall(rotate, stack)).toBe(stack);
  });

  it("checks the expiry of every stack, prod included, in a job that needs no approval and holds no deploying key", () => {
    const expiry = job(weekly, "expiry");
    expect(expiry.if).toBe(`github.ref == 'refs/heads/main' && github.event.schedule != '${crons()[0]}'`);
    expect(expiry.strategy?.matrix).toEqual({ stack: STACKS });
    expect(expiry.strategy?.["fail-fast"]).toBe(false);
    // No environment (no approval), no reusable workflow (whose job has one), no dependency on the rotation.
    expect(expiry.environment).toBeUndefined();
    expect(expiry.uses).toBeUndefined();
    expect(needsOf(expiry)).toEqual([]);
    // The read-only identity reads the state; nothing references the deploying key.
    expect(expiry.env).toEqual({
      PULUMI_BACKEND_URL: "${{ vars.PULUMI_BACKEND_URL }}",
      PULUMI_CONFIG_PASSPHRASE: "${{ secrets.PULUMI_CONFIG_PASSPHRASE }}",
      AWS_ACCESS_KEY_ID: "${{ secrets.SCW_PREVIEW_ACCESS_KEY }}",
      AWS_SECRET_ACCESS_KEY: "${{ secrets.SCW_PREVIEW_SECRET_KEY }}",
      AWS_REGION: "fr-par",
    });
    expect(JSON.stringify(expiry)).not.toMatch(/SCW_ACCESS_KEY|SCW_SECRET_KEY/);
    // The CLI is installed (an action step without a command) before the check, which pipes the stack's outputs
    // into check-expiry for the same stack, with pipefail.
    const install = steps(expiry).findIndex((s) => s.uses === PULUMI_ACTION && s.with === undefined);
    const check = steps(expiry).findIndex((s) => s.name === "check-expiry");
    expect(install).toBeGreaterThanOrEqual(0);
    expect(check).toBeGreaterThan(install);
    const step = steps(expiry)[check]!;
    expect(step.env).toEqual({ STACK: "${{ matrix.stack }}" });
    expect(step.if).toBeUndefined();
    expect(step["continue-on-error"]).toBeUndefined();
    expect((step.run ?? "").trim().split("\n")).toEqual(["set -euo pipefail", EXPIRY_PIPELINE]);
  });
});
