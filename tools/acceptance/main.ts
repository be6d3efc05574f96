/**
 * The live acceptance run, for people with a Scaleway organization: with the real Pulumi CLI and a throwaway file
 * backend, deploys one credential per Plakar use case from this repository's program, proves that each issued key can
 * do its job on its project and is refused on another, rotates (a new key generation, the previous key kept), retires,
 * destroys, and lists what is left (nothing, or the run fails). Exit 2 before anything is created when a need is
 * missing (credentials, the two projects, the Pulumi CLI).
 */
import { randomBytes } from "crypto";
import * as fs from "fs";
import * as os from "os";
import * as path from "path";
import { z } from "zod";
import { ConfigError, type ConfigIssue } from "../../components/domain/errors";
import { SECRET_MANAGER_REGIONS } from "../../components/domain/constants";
import { type CommandSpec, FLAGS, guarded, helpText, type Io, parseCommandLine, runIfEntry } from "../cli";
import { apiUrlProblem, DEFAULT_API_URL } from "../preflight/client";
import {
  type Endpoints,
  type Key,
  type Leftovers,
  listLeftovers,
  type Probe,
  PROBE_WORDS,
  ProbeError,
  Prober,
  PROBES,
} from "./probes";
import { type Env, findOnPath, PulumiCli, type RunResult, safeLine } from "./pulumi";
import {
  acceptanceConfig,
  type Rotation,
  type RotationPlan,
  rotationPlan,
  USE_CASE_NAMES,
  type UseCase,
  writeProject,
  writeStackConfig,
} from "./stackConfig";

export const ACCEPTANCE: CommandSpec = {
  name: "acceptance",
  summary:
    "Live acceptance run against a Scaleway organization, with the real Pulumi CLI and a throwaway local backend: deploys one credential per use case, proves each key reads what its use case needs on its project and is refused on another, rotates, retires, destroys, and checks nothing is left. Creates and deletes IAM applications, policies and API keys in the organization.",
  flags: { help: FLAGS.help },
  exitCodes: [
    [0, "passed: every check held, and nothing is left in the organization"],
    [1, "failed: a check, Pulumi or Scaleway failed (what is left, if anything, is listed with how to remove it)"],
    [2, "a need is missing (credentials, the two project IDs, the Pulumi CLI, npm ci): nothing was created"],
  ],
  examples: [
    "SCW_ACCESS_KEY=... SCW_SECRET_KEY=... SCW_DEFAULT_ORGANIZATION_ID=... PLAKAR_ACCEPTANCE_PROJECT_ID=... PLAKAR_ACCEPTANCE_OTHER_PROJECT_ID=... npm run --silent acceptance",
  ],
};

/** The environment variables the run needs, and what each must be. */
export const NEEDED: Readonly<Record<string, string>> = {
  SCW_ACCESS_KEY:
    "the access key of the API key the run deploys with (IAMManager on the organization: it creates and deletes applications, policies and API keys)",
  SCW_SECRET_KEY: "that API key's secret key",
  SCW_DEFAULT_ORGANIZATION_ID: "the organization's ID",
  PLAKAR_ACCEPTANCE_PROJECT_ID: "the ID of a throwaway project the issued keys are granted on",
  PLAKAR_ACCEPTANCE_OTHER_PROJECT_ID: "the ID of another throwaway project, where the issued keys must be refused",
};

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;
const ACCESS_KEY = /^SCW[A-Z0-9]{17}$/i;
const ZONE = /^[a-z]{2}-[a-z]{3}-[1-9]$/;

export interface Waits {
  /** How long a new key may take to be allowed a read (IAM: "up to 1 minute"). */
  readonly permissionsMs: number;
  /** The same for Object Storage ("up to 5 minutes"). */
  readonly objectStorageMs: number;
  /** How long a revoked key may keep working. */
  readonly revocationMs: number;
  /** Between two tries. */
  readonly pollMs: number;
}

export const DEFAULT_WAITS: Waits = {
  permissionsMs: 3 * 60_000,
  objectStorageMs: 7 * 60_000,
  revocationMs: 3 * 60_000,
  pollMs: 10_000,
};

/** Longest run of one Pulumi command. */
const UPDATE_TIMEOUT_MS = 30 * 60_000;
const COMMAND_TIMEOUT_MS = 5 * 60_000;

export interface Deps {
  readonly env: Env;
  /** The repository (holds Pulumi.yaml and index.ts). */
  readonly root: string;
  /** Where the throwaway folder goes. @default os.tmpdir() */
  readonly tmpdir?: string;
  readonly fetch?: typeof fetch;
  readonly now?: () => number;
  readonly sleep?: (ms: number) => Promise<void>;
  readonly waits?: Waits;
  /** The run's suffix (stack acceptance-<suffix>). @default 8 random hex digits */
  readonly suffix?: string;
}

interface Settings {
  readonly admin: Key & { readonly organizationId: string };
  readonly projectId: string;
  readonly otherProjectId: string;
  readonly endpoints: Endpoints;
  readonly pulumi: string;
}

/** Every missing or malformed need, at once; values are never echoed (a key is a secret, an ID may be pasted wrong). */
export function readSettings(env: Env, root: string): Settings {
  const issues: ConfigIssue[] = [];
  const need = (name: string, valid: (v: string) => boolean, shape: string): string => {
    const value = env[name];
    if (!value) issues.push({ path: name, message: `is not set: ${NEEDED[name]}` });
    else if (!valid(value)) issues.push({ path: name, message: `is not ${shape}: ${NEEDED[name]}` });
    return value ?? "";
  };
  const accessKey = need("SCW_ACCESS_KEY", (v) => ACCESS_KEY.test(v), "an access key (SCW and 17 letters or digits)");
  const secretKey = need("SCW_SECRET_KEY", (v) => UUID.test(v), "a secret key (a UUID)");
  const organizationId = need("SCW_DEFAULT_ORGANIZATION_ID", (v) => UUID.test(v), "an ID (a UUID)");
  const projectId = need("PLAKAR_ACCEPTANCE_PROJECT_ID", (v) => UUID.test(v), "a project ID (a UUID)");
  const otherProjectId = need("PLAKAR_ACCEPTANCE_OTHER_PROJECT_ID", (v) => UUID.test(v), "a project ID (a UUID)");
  if (projectId && projectId.toLowerCase() === otherProjectId.toLowerCase()) {
    issues.push({
      path: "PLAKAR_ACCEPTANCE_OTHER_PROJECT_ID",
      message: "is PLAKAR_ACCEPTANCE_PROJECT_ID: give two different projects (the keys must be refused on the other)",
    });
  }
  const region = env.SCW_DEFAULT_REGION || "fr-par";
  if (!(SECRET_MANAGER_REGIONS as readonly string[]).includes(region)) {
    issues.push({ path: "SCW_DEFAULT_REGION", message: `must be one of ${SECRET_MANAGER_REGIONS.join(", ")}` });
  }
  const zone = env.SCW_DEFAULT_ZONE || `${region}-1`;
  if (!ZONE.test(zone)) issues.push({ path: "SCW_DEFAULT_ZONE", message: "is not a zone such as fr-par-1" });
  const url = (name: string, fallback: string) => {
    const value = (env[name] || fallback).replace(/\/+$/, "");
    const problem = apiUrlProblem(value);
    if (problem) issues.push({ path: name, message: problem });
    return value;
  };
  const apiURL = url("SCW_API_URL", DEFAULT_API_URL);
  // For tests only: Object Storage's endpoint is https://s3.<region>.scw.cloud.
  const s3URL = url("PLAKAR_ACCEPTANCE_S3_URL", `https://s3.${region}.scw.cloud`);
  const pulumi = findOnPath("pulumi", env);
  if (!pulumi) {
    issues.push({
      path: "pulumi",
      message: "is not on PATH: install the Pulumi CLI (https://www.pulumi.com/docs/iac/download-install/)",
    });
  }
  if (!fs.existsSync(path.join(root, "node_modules", "@pulumi", "pulumi"))) {
    issues.push({
      path: root,
      message: "has no node_modules: run npm ci there first (Pulumi runs the program from it)",
    });
  }
  if (issues.length > 0) throw new ConfigError(issues, "acceptance needs");
  return {
    admin: { accessKey, secretKey, organizationId: organizationId.toLowerCase() },
    projectId: projectId.toLowerCase(),
    otherProjectId: otherProjectId.toLowerCase(),
    endpoints: { apiURL, s3URL, region, zone },
    pulumi: pulumi!,
  };
}

// ---------------------------------------------------------------------------------------------------------------
// The stack's outputs, as far as the run reads them

const KeyOutput = z.object({
  accessKey: z.string().regex(ACCESS_KEY),
  secretKey: z.string().min(1),
  generation: z.string().nullable(),
});
const CredentialOutput = z.object({
  useCase: z.string(),
  applicationId: z.string().regex(UUID),
  policyId: z.string().regex(UUID),
  current: KeyOutput.nullable(),
  previous: KeyOutput.nullable(),
  retired: z.boolean().optional(),
});
const StackOutputs = z.object({ credentials: z.record(z.string(), CredentialOutput) });
type CredentialOutput = z.infer<typeof CredentialOutput>;

/** A check that did not hold, or a step that failed: the run fails (exit 1), then cleans up. */
class Failure extends Error {}

interface Issued extends Key {
  readonly credential: UseCase;
  readonly generation: string | null;
}

class Run {
  private readonly work: string;
  private readonly project: string;
  private readonly stack: string;
  private readonly namePrefix: string;
  private readonly passphraseFile: string;
  private readonly cli: PulumiCli;
  private readonly prober: Prober;
  private readonly issued: Issued[] = [];
  private readonly applicationIds = new Set<string>();
  /** IDs of what the stack made (applications, policies): shown in Pulumi's output, unlike other UUIDs. */
  private readonly publicIds = new Set<string>();
  private readonly secrets: string[];
  private readonly now: () => number;
  private readonly sleep: (ms: number) => Promise<void>;
  private readonly waits: Waits;
  private projectName = "";
  private stackCreated = false;
  private failures: string[] = [];
  private step = 0;

  constructor(
    private readonly settings: Settings,
    private readonly deps: Deps,
    private readonly io: Io,
  ) {
    const suffix = deps.suffix ?? randomBytes(4).toString("hex");
    this.stack = `acceptance-${suffix}`;
    this.namePrefix = `acc-${suffix}-`;
    this.work = fs.mkdtempSync(path.join(deps.tmpdir ?? os.tmpdir(), "plakar-acceptance-"));
    this.project = path.join(this.work, "project");
    const backend = path.join(this.work, "backend");
    fs.mkdirSync(this.project);
    fs.mkdirSync(backend);
    // The throwaway state's passphrase, in a file only this user reads: kept with the folder if something is left.
    const passphrase = randomBytes(24).toString("hex");
    this.passphraseFile = path.join(this.work, "passphrase");
    fs.writeFileSync(this.passphraseFile, passphrase, { mode: 0o600 });
    this.secrets = [settings.admin.secretKey, passphrase];
    this.now = deps.now ?? Date.now;
    this.sleep = deps.sleep ?? ((ms) => new Promise((resolve) => setTimeout(resolve, ms)));
    this.waits = deps.waits ?? DEFAULT_WAITS;
    const env: Record<string, string | undefined> = {
      ...deps.env,
      // The backend of this run alone: no `pulumi login`, so the user's own login is left as it was.
      PULUMI_BACKEND_URL: `file://${backend}`,
      PULUMI_CONFIG_PASSPHRASE_FILE: this.passphraseFile,
      PULUMI_SKIP_UPDATE_CHECK: "true",
    };
    delete env.PULUMI_CONFIG_PASSPHRASE;
    this.cli = new PulumiCli(
      settings.pulumi,
      env,
      () => this.secrets,
      (line) => this.out(line),
      () => [settings.admin.organizationId, settings.projectId, settings.otherProjectId, ...this.publicIds],
    );
    this.prober = new Prober(settings.endpoints, deps.fetch ?? fetch, () => new Date(this.now()));
  }

  private out(line: string): void {
    this.io.stdout(`${line}\n`);
  }

  private heading(text: string): void {
    this.out(`${++this.step}. ${text}`);
  }

  private stackFile(): string {
    return path.join(this.project, `Pulumi.${this.stack}.yaml`);
  }

  private pulumiArgs(...args: string[]): string[] {
    return [...args, "--stack", this.stack, "--cwd", this.project, "--non-interactive"];
  }

  private async pulumi(
    what: string,
    args: string[],
    timeoutMs = COMMAND_TIMEOUT_MS,
    capture = false,
  ): Promise<RunResult> {
    const result = await this.cli.run(args, { timeoutMs, capture });
    if (result.code !== 0) {
      throw new Failure(
        `${what}: pulumi ${args[0]}${args[1] && !args[1].startsWith("-") ? ` ${args[1]}` : ""} ${
          result.timedOut ? `ran past ${timeoutMs / 60_000} minutes` : `exited ${result.code}`
        }${result.tail.length ? ` (last line: ${result.tail[result.tail.length - 1]})` : ""}`,
      );
    }
    return result;
  }

  async execute(): Promise<number> {
    const { admin, projectId, otherProjectId, endpoints } = this.settings;
    this.out(
      `acceptance: stack ${this.stack} in a throwaway backend (${this.work}); organization ${admin.organizationId}; granted project ${projectId}, other project ${otherProjectId}; region ${endpoints.region}, zone ${endpoints.zone}`,
    );
    try {
      const plan = rotationPlan(this.now());
      if (!plan) throw new Failure("no rotation settings hold for the next two hours on today's date: run again later");
      this.projectName = writeProject(this.project, this.deps.root);
      this.writeConfig(plan.first, false);
      this.heading(`pulumi stack init ${this.stack} (passphrase secrets, file backend)`);
      await this.pulumi("creating the stack", this.pulumiArgs("stack", "init", "--secrets-provider", "passphrase"));
      this.stackCreated = true;
      const first = await this.deploy(plan);
      await this.rotate(plan, first);
      await this.retire(plan);
    } catch (err) {
      this.failures.push(this.describe(err));
    } finally {
      await this.teardown();
    }
    if (this.failures.length > 0) {
      this.io.stderr(`acceptance FAILED:\n${this.failures.map((f) => `error: ${f}`).join("\n")}\n`);
      return 1;
    }
    this.out("acceptance passed: every check held, and nothing is left");
    return 0;
  }

  private describe(err: unknown): string {
    if (err instanceof Failure || err instanceof ProbeError) return safeLine(err.message, this.secrets);
    const text = err instanceof Error ? (err.stack ?? err.message) : String(err);
    return `unexpected error (a bug of the acceptance run): ${safeLine(text, this.secrets)}`;
  }

  private writeConfig(rotation: Rotation, retire: boolean): void {
    const { admin, projectId, endpoints } = this.settings;
    writeStackConfig(
      this.stackFile(),
      acceptanceConfig({
        project: this.projectName,
        organizationId: admin.organizationId,
        projectId,
        region: endpoints.region,
        namePrefix: this.namePrefix,
        rotation,
        retire,
      }),
    );
  }

  private async up(what: string): Promise<Record<UseCase, CredentialOutput>> {
    await this.pulumi(what, this.pulumiArgs("up", "--yes", "--skip-preview", "--color", "never"), UPDATE_TIMEOUT_MS);
    const result = await this.pulumi(
      `${what}: reading the outputs`,
      this.pulumiArgs("stack", "output", "--json", "--show-secrets"),
      COMMAND_TIMEOUT_MS,
      true,
    );
    let parsed: z.infer<typeof StackOutputs>;
    try {
      parsed = StackOutputs.parse(JSON.parse(result.stdout));
    } catch {
      throw new Failure(`${what}: the stack's outputs are not what this program exports (credentials.<name>)`);
    }
    const credentials = parsed.credentials;
    for (const c of Object.values(credentials)) {
      this.applicationIds.add(c.applicationId);
      this.publicIds.add(c.applicationId).add(c.policyId);
      for (const k of [c.current, c.previous]) if (k) this.secrets.push(k.secretKey);
    }
    const names = Object.keys(credentials).sort();
    if (names.join() !== [...USE_CASE_NAMES].sort().join()) {
      throw new Failure(`${what}: the stack exports credentials ${names.join(", ")}, not one per use case`);
    }
    return credentials as Record<UseCase, CredentialOutput>;
  }

  private remember(credential: UseCase, key: { accessKey: string; secretKey: string; generation: string | null }) {
    if (!this.issued.some((k) => k.accessKey === key.accessKey)) this.issued.push({ credential, ...key });
  }

  /** Polls `probe` until `want` holds or `withinMs` passes; the last status. */
  private async until(probe: () => Promise<number>, want: (status: number) => boolean, withinMs: number) {
    const deadline = this.now() + withinMs;
    for (;;) {
      const status = await probe();
      if (want(status) || this.now() >= deadline) return status;
      await this.sleep(this.waits.pollMs);
    }
  }

  private waitFor(probe: Probe): number {
    return probe === "s3-buckets" ? this.waits.objectStorageMs : this.waits.permissionsMs;
  }

  /** The key can do its job on the granted project (once its permissions apply), and the same call elsewhere is refused. */
  private async provesScope(credential: UseCase, key: Key, label: string): Promise<void> {
    const { projectId, otherProjectId } = this.settings;
    for (const probe of PROBES[credential]) {
      const allowed = await this.until(
        () => this.prober.status(probe, key, projectId),
        (s) => s === 200,
        this.waitFor(probe),
      );
      if (allowed !== 200) {
        throw new Failure(
          `${credential}: ${PROBE_WORDS[probe]} with its ${label} key in the granted project answered ${allowed}, not 200, for ${this.waitFor(probe) / 60_000} minutes: the key cannot do its job`,
        );
      }
      const denied = await this.prober.status(probe, key, otherProjectId);
      if (denied !== 403) {
        throw new Failure(
          `${credential}: ${PROBE_WORDS[probe]} with its ${label} key in the other project answered ${denied}, not 403: the key ${denied === 200 ? "reaches a project it was not granted" : "was not refused as expected"}`,
        );
      }
      this.out(
        `   ok ${credential}: ${PROBE_WORDS[probe]} (${label} key): 200 in the granted project, 403 in the other`,
      );
    }
  }

  private async deploy(plan: RotationPlan): Promise<Record<UseCase, CredentialOutput>> {
    this.heading(
      `pulumi up: ${USE_CASE_NAMES.length} credentials, one per use case, on the granted project (rotateEveryDays ${plan.first.rotateEveryDays}, overlapDays ${plan.first.overlapDays}: key generation ${plan.firstGeneration})`,
    );
    const outputs = await this.up("the first update");
    for (const name of USE_CASE_NAMES) {
      const c = outputs[name];
      if (!c.current) throw new Failure(`${name}: the first update issued no key`);
      if (c.current.generation !== plan.firstGeneration) {
        throw new Failure(`${name}: its key is of generation ${c.current.generation}, not ${plan.firstGeneration}`);
      }
      for (const k of [c.current, c.previous]) if (k) this.remember(name, k);
    }
    this.heading("each key reads what its use case needs on the granted project, and is refused on the other");
    for (const name of USE_CASE_NAMES) await this.provesScope(name, outputs[name].current!, "current");
    return outputs;
  }

  private async rotate(plan: RotationPlan, before: Record<UseCase, CredentialOutput>): Promise<void> {
    this.writeConfig(plan.second, false);
    this.heading(
      `rotate: rotateEveryDays ${plan.second.rotateEveryDays}, overlapDays ${plan.second.overlapDays}, then pulumi up: a new key (generation ${plan.secondGeneration}) beside the previous one (${plan.firstGeneration}), kept`,
    );
    const outputs = await this.up("the rotation");
    for (const name of USE_CASE_NAMES) {
      const { current, previous } = outputs[name];
      const old = before[name].current!;
      if (!current || current.generation !== plan.secondGeneration) {
        throw new Failure(`${name}: after the rotation its current key is not of generation ${plan.secondGeneration}`);
      }
      if (this.issued.some((k) => k.accessKey === current.accessKey)) {
        throw new Failure(`${name}: the rotation issued no new key (the current one was issued before)`);
      }
      if (!previous || previous.accessKey !== old.accessKey) {
        throw new Failure(
          `${name}: after the rotation the previous key is not the key issued first (it was replaced or removed: Plakar would lose access before switching)`,
        );
      }
      this.remember(name, current);
    }
    this.heading("the new keys do their jobs, and the previous keys still work during the overlap");
    for (const name of USE_CASE_NAMES) {
      await this.provesScope(name, outputs[name].current!, "new");
      const probe = PROBES[name][0]!;
      const status = await this.prober.status(probe, outputs[name].previous!, this.settings.projectId);
      if (status !== 200) {
        throw new Failure(
          `${name}: its previous key answered ${status} to ${PROBE_WORDS[probe]}: it must work until its overlap ends`,
        );
      }
      this.out(`   ok ${name}: the previous key still works`);
    }
  }

  private async retire(plan: RotationPlan): Promise<void> {
    this.writeConfig(plan.second, true);
    this.heading(
      "retire: retire: true on every credential, then pulumi up: every key revoked, applications and policies kept",
    );
    const outputs = await this.up("retiring");
    for (const name of USE_CASE_NAMES) {
      const c = outputs[name];
      if (c.retired !== true || c.current !== null || c.previous !== null) {
        throw new Failure(`${name}: after retiring, the stack still exports a key for it`);
      }
    }
    this.heading(`every key issued (${this.issued.length}) is refused now`);
    for (const key of this.issued) {
      // Scaleway's API answers an unknown key 401 before it looks at permissions; S3 answers it 403
      // (InvalidAccessKeyId), as it answers a refusal: so every key is tried on the API.
      const probe: Probe = "instance-servers";
      const status = await this.until(
        () => this.prober.status(probe, key, this.settings.projectId),
        (s) => s === 401,
        this.waits.revocationMs,
      );
      if (status !== 401) {
        throw new Failure(
          `${key.credential}: its key ${key.accessKey} (generation ${key.generation ?? "pinned"}) still answers ${status} after it was retired: it must be revoked (401)`,
        );
      }
    }
    this.out(`   ok every key issued answers 401`);
  }

  private async teardown(): Promise<void> {
    let destroyed = !this.stackCreated;
    if (this.stackCreated) {
      this.heading("pulumi destroy");
      try {
        await this.pulumi(
          "destroying the stack",
          this.pulumiArgs("destroy", "--yes", "--skip-preview", "--color", "never"),
          UPDATE_TIMEOUT_MS,
        );
        destroyed = true;
      } catch (err) {
        this.failures.push(this.describe(err));
      }
    }
    let left: Leftovers | undefined;
    this.heading(`what is left in the organization (tag stack=${this.stack}, and everything the run saw)`);
    try {
      left = await listLeftovers(
        this.settings.admin,
        this.settings.endpoints.apiURL,
        this.stack,
        { applicationIds: [...this.applicationIds], accessKeys: this.issued.map((k) => k.accessKey) },
        this.deps.fetch ?? fetch,
      );
    } catch (err) {
      this.failures.push(`listing what is left: ${this.describe(err)}`);
    }
    const remaining = left ? left.applications.length + left.policies.length + left.apiKeys.length : undefined;
    if (left && remaining === 0) {
      this.out("   ok no application, policy or API key of the run is left");
    } else if (left) {
      for (const a of left.applications) this.out(`   left: application ${a.id} (${safeLine(a.name, this.secrets)})`);
      for (const p of left.policies) this.out(`   left: policy ${p.id} (${safeLine(p.name, this.secrets)})`);
      for (const k of left.apiKeys) this.out(`   left: API key ${k}`);
      this.failures.push(
        `${remaining} resources of the run are left in the organization (listed above): remove them in the console (IAM), or with scw iam api-key delete <access key>, scw iam policy delete <id>, scw iam application delete <id>`,
      );
    }
    if (this.stackCreated && destroyed) {
      try {
        await this.pulumi("removing the stack", this.pulumiArgs("stack", "rm", "--yes"));
      } catch (err) {
        this.failures.push(this.describe(err));
      }
    }
    if (destroyed && remaining === 0) {
      fs.rmSync(this.work, { recursive: true, force: true });
    } else {
      this.out(
        `   the throwaway backend is kept in ${this.work}: PULUMI_BACKEND_URL=file://${path.join(this.work, "backend")} PULUMI_CONFIG_PASSPHRASE_FILE=${this.passphraseFile} pulumi destroy --stack ${this.stack} --cwd ${this.project}`,
      );
    }
  }
}

export async function runAcceptance(argv: readonly string[], io: Io, deps: Deps): Promise<number> {
  return guarded(io, async () => {
    const flags = parseCommandLine(argv, ACCEPTANCE, deps.env) as { help?: boolean };
    if (flags.help) {
      io.stdout(helpText(ACCEPTANCE));
      return 0;
    }
    const settings = readSettings(deps.env, deps.root);
    const version = await new PulumiCli(
      settings.pulumi,
      deps.env,
      () => [],
      () => undefined,
    ).run(["version"], {
      timeoutMs: 60_000,
      capture: true,
    });
    if (version.code !== 0) {
      throw new ConfigError(
        [
          {
            path: settings.pulumi,
            message: `pulumi version ${version.timedOut ? "ran past a minute" : `exited ${version.code}`}: install a working Pulumi CLI`,
          },
        ],
        "acceptance needs",
      );
    }
    io.stdout(`Pulumi CLI ${safeLine(version.stdout.trim().split("\n")[0] ?? "", [deps.env.SCW_SECRET_KEY ?? ""])}\n`);
    return new Run(settings, deps, io).execute();
  });
}

export async function main(argv: readonly string[], io: Io): Promise<number> {
  return runAcceptance(argv, io, { env: process.env, root: path.join(__dirname, "..", "..") });
}

runIfEntry(__filename, main);
