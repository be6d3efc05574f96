/**
 * `npm run bench -- [--sizes 100,500] [--runs 5] [--now ISO-8601] [--keep]`: a benchmark, not a test.
 *
 * Times the real offline plan (`node scripts/run.js plan --config FILE --now NOW --json`, what `npm run plan` runs,
 * without npm's own start-up; stdout to /dev/null) on generated stacks of N credentials, against Pulumi's own cost
 * of registering the very resources that plan registers, under the same mocks, one component per credential
 * (scripts/bench-baseline.ts), and next to the floor: starting Node and loading `@pulumi/pulumi` and
 * `@pulumiverse/scaleway`. Runs are interleaved (floor, then for each size the plan and its baseline, per round) so
 * background load spreads evenly; each ratio is the median over rounds of the plan's run ÷ that round's baseline run.
 * Prints a Markdown table on stdout, progress on stderr.
 *
 * Peak memory is the child's max RSS, and CPU time its user + system time (steadier than wall time on a busy
 * machine): from GNU `/usr/bin/time -f "%M %U %S"` when it works, else from a `--require` preload that writes
 * `process.resourceUsage()` at exit. Every plan must exit 0; before timing, each size's JSON plan is parsed and its
 * resource count checked (credential component + application + policy + key(s), plus the delivery component, secret
 * and version for a delivered credential). --keep leaves the generated stack files in place (for profiling).
 */
import { spawnSync } from "child_process";
import * as fs from "fs";
import * as os from "os";
import * as path from "path";
import { parseFlags, parseInstant, runMain } from "../tools/cli";
import { ConfigError } from "../components/domain/errors";
import { ROTATION_EPOCH_MS, DAY_MS, isoSeconds, keySchedule } from "../components/domain/rotation";

const USAGE = "npm run bench -- [--sizes 100,500] [--runs 5] [--now ISO-8601] [--keep]";
const ROOT = path.join(__dirname, "..");
const PROJECT = "plakar-scaleway-iam";
const DEFAULT_NOW = "2026-11-26T00:00:00Z";
const FLOOR_SCRIPT = "require('@pulumi/pulumi'); require('@pulumiverse/scaleway')";
const MIB = 1024 * 1024;

/** Presets that need a preferred project (Object Storage sets): give them exactly one project. */
const SINGLE_PROJECT = new Set([
  "object-storage",
  "object-storage-source",
  "instance-backup",
  "block-storage-backup",
  "inventory",
]);

function positiveInt(value: string, what: string): number {
  const n = Number(value);
  if (!Number.isInteger(n) || n < 1)
    throw new ConfigError([{ path: what, message: `"${value}" is not a positive integer` }], "bad command line");
  return n;
}

function uuid(i: number, salt: number): string {
  const hex = (n: number, width: number) => n.toString(16).padStart(width, "0").slice(-width);
  return `${hex(salt, 8)}-${hex(i, 4)}-4${hex(i, 3)}-8${hex(salt, 3)}-${hex(i * 7919 + salt, 12)}`;
}

interface GeneratedStack {
  readonly file: string;
  readonly credentials: number;
  /** Resources the plan must register, the Stack itself excluded. */
  readonly expectedResources: number;
}

/**
 * A valid stack file with `n` credentials cycling through every preset, with a mix of scopes, pinned and rotated
 * keys (a rotated key may carry its previous generation too), extra permission sets and Secret Manager delivery.
 */
function generateStack(dir: string, n: number, now: Date): GeneratedStack {
  const presets = fs
    .readdirSync(path.join(ROOT, "components", "presets"))
    .filter((f) => f.endsWith(".yaml"))
    .map((f) => f.slice(0, -".yaml".length))
    .sort();
  const projectCount = Math.min(20, Math.max(2, Math.ceil(n / 25)));
  const projects: Record<string, string> = {};
  for (let p = 0; p < projectCount; p++) projects[`p${String(p).padStart(2, "0")}`] = uuid(p, 0x5ca1e);
  const aliases = Object.keys(projects);
  // Within the default maxLifetimeDays (365) of --now.
  const pinned = isoSeconds(now.getTime() + 200 * DAY_MS);

  const credentials: Record<string, Record<string, unknown>> = {};
  let expected = 0;
  let providerCoversSm = false;
  for (let i = 0; i < n; i++) {
    const preset = presets[i % presets.length];
    const key = `c${String(i).padStart(4, "0")}-${preset}`;
    const home = aliases[i % aliases.length];
    const spec: Record<string, unknown> = { preset };
    if (SINGLE_PROJECT.has(preset)) spec.projects = [home];
    else if (preset === "secret-provider") spec.projects = [...new Set([aliases[0], home])];
    else spec.projects = [...new Set([home, aliases[(i + 1) % aliases.length]])];
    if (preset === "secret-provider") providerCoversSm = true;

    let rotate = 90;
    let overlap = 14;
    let isPinned = false;
    if (i % 7 === 3) {
      spec.expiresAt = pinned;
      isPinned = true;
    } else if (i % 7 === 5) {
      spec.rotateEveryDays = rotate = 30;
      spec.overlapDays = overlap = 7;
    }
    if (i % 11 === 4 && !SINGLE_PROJECT.has(preset)) spec.permissionSets = ["AllProductsReadOnly"];
    if (i % 8 === 6) spec.description = `Bench credential ${i}`;
    const delivered = i % 10 === 9 && preset !== "secret-provider" && providerCoversSm;
    if (delivered) spec.deliver = "secret-manager";
    credentials[key] = spec;

    const keys = isPinned ? 1 : keySchedule(now.getTime(), rotate, overlap).previous ? 2 : 1;
    expected += 3 + keys + (delivered ? 3 : 0);
  }

  const ns = (k: string) => `${PROJECT}:${k}`;
  const doc = {
    config: {
      [ns("organizationId")]: uuid(0, 0x0ff1ce),
      [ns("projects")]: projects,
      [ns("tags")]: ["team=bench"],
      [ns("secretManager")]: { project: aliases[0], region: "fr-par", pathPrefix: "/plakar" },
      [ns("credentials")]: credentials,
    },
  };
  const file = path.join(dir, `Pulumi.bench-${n}.yaml`);
  // JSON is YAML: the stack-file reader takes it as is.
  fs.writeFileSync(file, `${JSON.stringify(doc, null, 2)}\n`);
  return { file, credentials: n, expectedResources: expected };
}

interface Sample {
  readonly wallMs: number;
  /** User + system CPU time of the child: steadier than wall time on a loaded machine. */
  readonly cpuMs: number;
  readonly rssBytes: number;
}

type RssMethod = "/usr/bin/time" | "--require preload (process.resourceUsage())";

interface Runner {
  readonly method: RssMethod;
  /** Runs `node <args>` in ROOT with stdout to /dev/null; returns wall ms and peak RSS bytes, or throws. */
  run(label: string, args: readonly string[]): Sample;
}

/** `maxRSS-KiB user-s system-s`, from GNU time or from the preload. */
const TIME_FORMAT = "%M %U %S";

function parseUsage(text: string, wallMs: number): Sample | undefined {
  // GNU time prefixes a "Command exited with non-zero status" line on failure; the figures are the last line.
  const [kib, user, sys] = (text.trim().split("\n").pop() ?? "").trim().split(/\s+/).map(Number);
  if (!(kib > 0) || !Number.isFinite(user) || !Number.isFinite(sys)) return undefined;
  return { wallMs, cpuMs: (user + sys) * 1000, rssBytes: kib * 1024 };
}

function makeRunner(dir: string): Runner {
  const rssFile = path.join(dir, "maxrss");
  const gnuTime = "/usr/bin/time";
  const probe = fs.existsSync(gnuTime)
    ? spawnSync(gnuTime, ["-f", TIME_FORMAT, "-o", rssFile, process.execPath, "-e", ""], { stdio: "ignore" })
    : undefined;
  const useTime = probe?.status === 0 && parseUsage(fs.readFileSync(rssFile, "utf8"), 1) !== undefined;

  const preload = path.join(dir, "maxrss-preload.cjs");
  fs.writeFileSync(
    preload,
    `process.on("exit", () => { const u = process.resourceUsage(); require("fs").writeFileSync(${JSON.stringify(rssFile)}, \`\${u.maxRSS} \${u.userCPUTime / 1e6} \${u.systemCPUTime / 1e6}\`); });\n`,
  );

  return {
    method: useTime ? "/usr/bin/time" : "--require preload (process.resourceUsage())",
    run(label, args) {
      fs.rmSync(rssFile, { force: true });
      const [cmd, argv] = useTime
        ? [gnuTime, ["-f", TIME_FORMAT, "-o", rssFile, process.execPath, ...args]]
        : [process.execPath, ["--require", preload, ...args]];
      const start = process.hrtime.bigint();
      const child = spawnSync(cmd, argv, { cwd: ROOT, stdio: ["ignore", "ignore", "pipe"], maxBuffer: 64 * MIB });
      const wallMs = Number(process.hrtime.bigint() - start) / 1e6;
      if (child.error || child.status !== 0) {
        const why = child.error
          ? child.error.message
          : child.signal
            ? `killed by ${child.signal}`
            : `exit code ${child.status}`;
        throw new Error(`${label} failed (${why}): ${[cmd, ...argv].join(" ")}\n${child.stderr?.toString() ?? ""}`);
      }
      const usage = parseUsage(fs.readFileSync(rssFile, "utf8"), wallMs);
      if (!usage) throw new Error(`${label}: could not read the peak RSS and CPU time from ${rssFile}`);
      return usage;
    },
  };
}

function planArgs(file: string, now: string): string[] {
  return ["scripts/run.js", "plan", "--config", file, "--now", now, "--json"];
}

const BASELINE = path.join(ROOT, ".build", "bench-baseline.js");

/** The baseline as plain JavaScript, bundled like the tools (scripts/run.js), so both load the SDK the same way. */
function buildBaseline(): void {
  // eslint-disable-next-line @typescript-eslint/no-require-imports
  const esbuild = require("esbuild") as typeof import("esbuild");
  esbuild.buildSync({
    entryPoints: [path.join(ROOT, "scripts", "bench-baseline.ts")],
    bundle: true,
    platform: "node",
    format: "cjs",
    target: "node20",
    packages: "external",
    outfile: BASELINE,
    logLevel: "warning",
  });
}

/**
 * One untimed run per size that keeps stdout: the plan must parse and register exactly the expected resources. Its
 * document is kept as the baseline's input.
 */
function verify(stack: GeneratedStack, now: string): string {
  const child = spawnSync(process.execPath, planArgs(stack.file, now), { cwd: ROOT, maxBuffer: 1024 * MIB });
  if (child.error || child.status !== 0) {
    throw new Error(
      `plan of ${stack.credentials} credentials failed (${child.error?.message ?? `exit code ${child.status}`}):\n${child.stderr}`,
    );
  }
  let doc: { resources?: unknown[]; outputs?: { credentials?: Record<string, unknown> } };
  try {
    doc = JSON.parse(child.stdout.toString("utf8"));
  } catch (err) {
    throw new Error(`plan of ${stack.credentials} credentials: stdout is not JSON (${(err as Error).message})`);
  }
  const resources = doc.resources?.length;
  if (resources !== stack.expectedResources) {
    throw new Error(
      `plan of ${stack.credentials} credentials registered ${resources} resources, expected ${stack.expectedResources}`,
    );
  }
  const creds = Object.keys(doc.outputs?.credentials ?? {}).length;
  if (creds !== stack.credentials) {
    throw new Error(`plan of ${stack.credentials} credentials exported ${creds} credentials`);
  }
  const file = stack.file.replace(/\.yaml$/, ".plan.json");
  fs.writeFileSync(file, child.stdout);
  return file;
}

function median(xs: readonly number[]): number {
  const s = [...xs].sort((a, b) => a - b);
  const mid = Math.floor(s.length / 2);
  return s.length % 2 === 1 ? s[mid] : (s[mid - 1] + s[mid]) / 2;
}

interface Row {
  readonly credentials: number;
  readonly resources: number;
  readonly plan: Sample[];
  readonly baseline: Sample[];
  readonly floor: Sample[];
}

function fmt(n: number, digits = 0): string {
  return n.toFixed(digits);
}

/** Run i of `a` ÷ run i of `b`, for every round: ratios of runs made side by side, on the same load. */
function ratios(a: readonly Sample[], b: readonly Sample[], key: keyof Sample): number[] {
  return a.map((s, i) => s[key] / b[i][key]);
}

function ratioCell(xs: readonly number[]): string {
  return `${fmt(median(xs), 2)} (${fmt(Math.min(...xs), 2)}–${fmt(Math.max(...xs), 2)})`;
}

/** The target: within 1.2× Pulumi's own registration, in CPU time and in peak memory. */
export const TARGET = 1.2;

function renderReport(
  rows: readonly Row[],
  runs: number,
  now: string,
  method: RssMethod,
  loadBefore: number[],
): string {
  const cpus = os.cpus();
  const lines = [
    `Offline plan against Pulumi's own registration of the same resources, under the same mocks: ${runs} rounds, --now ${now}, stdout to /dev/null.`,
    "",
    "| Credentials | Resources | Plan CPU ms | Baseline CPU ms | CPU × baseline (min–max) | Plan RSS MiB | Baseline RSS MiB | RSS × baseline (min–max) | Floor CPU ms | Floor RSS MiB | Plan CPU × floor |",
    "|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|",
  ];
  for (const row of rows) {
    const med = (xs: readonly Sample[], key: keyof Sample) => median(xs.map((x) => x[key]));
    lines.push(
      `| ${row.credentials} | ${row.resources} | ${fmt(med(row.plan, "cpuMs"))} | ${fmt(med(row.baseline, "cpuMs"))} | ${ratioCell(ratios(row.plan, row.baseline, "cpuMs"))} | ${fmt(med(row.plan, "rssBytes") / MIB, 1)} | ${fmt(med(row.baseline, "rssBytes") / MIB, 1)} | ${ratioCell(ratios(row.plan, row.baseline, "rssBytes"))} | ${fmt(med(row.floor, "cpuMs"))} | ${fmt(med(row.floor, "rssBytes") / MIB, 1)} | ${fmt(median(ratios(row.plan, row.floor, "cpuMs")), 2)} |`,
    );
  }
  lines.push("");
  for (const row of rows) {
    const cpu = median(ratios(row.plan, row.baseline, "cpuMs"));
    const rss = median(ratios(row.plan, row.baseline, "rssBytes"));
    const met = cpu <= TARGET && rss <= TARGET;
    lines.push(
      `Target "${row.credentials} credentials within ${TARGET}× the baseline": CPU ${fmt(cpu, 2)}×, peak RSS ${fmt(rss, 2)}× (${met ? "met" : "not met"}).`,
    );
  }
  lines.push(
    "",
    "Baseline: scripts/bench-baseline.ts registers the resources of the very plan timed (types, names, parents, inputs, protect, dependsOn, ignoreChanges, the credentials' aliases) as plain ComponentResources and CustomResources, under the offline plan's mocks, with no config, checks or outputs. Floor: `node -e \"require('@pulumi/pulumi'); require('@pulumiverse/scaleway')\"`.",
    `Machine: Node ${process.version}, ${os.platform()}/${os.arch()}, ${cpus.length} cores (${cpus[0]?.model.trim() ?? "unknown CPU"}), ${fmt(os.totalmem() / MIB / 1024, 1)} GiB RAM; load average at start ${loadBefore.map((l) => l.toFixed(2)).join(" ")}.`,
    `CPU time (user + system) and peak RSS of each process: ${method}. Each round runs the floor, then for every size the plan and its baseline; × is the median over rounds of the plan's run ÷ that round's run, with the lowest and highest.`,
  );
  return lines.join("\n") + "\n";
}

async function main(): Promise<number> {
  const flags = parseFlags(
    process.argv.slice(2),
    {
      sizes: { type: "string" },
      runs: { type: "string" },
      now: { type: "string" },
      keep: { type: "boolean" },
      help: { type: "boolean", short: "h" },
    },
    USAGE,
  );
  if (flags.help) {
    process.stdout.write(`usage: ${USAGE}\n`);
    return 0;
  }
  const runs = positiveInt(flags.runs ?? "5", "--runs");
  const sizes = [...new Set((flags.sizes ?? "100,500").split(",").map((s) => positiveInt(s.trim(), "--sizes")))].sort(
    (a, b) => a - b,
  );
  const now = flags.now ?? DEFAULT_NOW;
  const nowDate = parseInstant(now, "--now");
  if (nowDate.getTime() < ROTATION_EPOCH_MS + DAY_MS) {
    throw new ConfigError(
      [{ path: "--now", message: "must be after the rotation epoch (2024-01-01)" }],
      "bad command line",
    );
  }

  const loadBefore = os.loadavg();
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), "plakar-bench-"));
  try {
    const runner = makeRunner(dir);
    buildBaseline();
    const stacks = sizes.map((n) => generateStack(dir, n, nowDate));
    const plans = stacks.map((stack) => {
      process.stderr.write(
        `verifying the plan of ${stack.credentials} credentials (${stack.expectedResources} resources)...\n`,
      );
      return verify(stack, now);
    });
    const rows: Row[] = stacks.map((s) => ({
      credentials: s.credentials,
      resources: s.expectedResources,
      plan: [],
      baseline: [],
      floor: [],
    }));
    for (let r = 1; r <= runs; r++) {
      process.stderr.write(`round ${r}/${runs}:`);
      stacks.forEach((stack, i) => {
        const floor = runner.run("floor", ["-e", FLOOR_SCRIPT]);
        const plan = runner.run(`plan of ${stack.credentials} credentials`, planArgs(stack.file, now));
        const baseline = runner.run(`baseline of ${stack.credentials} credentials`, [BASELINE, plans[i]]);
        rows[i].floor.push(floor);
        rows[i].plan.push(plan);
        rows[i].baseline.push(baseline);
        process.stderr.write(
          ` ${stack.credentials}: plan ${fmt(plan.cpuMs)} ms CPU, baseline ${fmt(baseline.cpuMs)} ms CPU;`,
        );
      });
      process.stderr.write("\n");
    }
    process.stdout.write(renderReport(rows, runs, now, runner.method, loadBefore));
  } finally {
    if (flags.keep) process.stderr.write(`kept the generated stack files in ${dir}\n`);
    else fs.rmSync(dir, { recursive: true, force: true });
  }
  return 0;
}

runMain(main);
