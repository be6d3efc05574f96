/** Helpers around the offline plan: stack files, fresh runs of index.ts, registrations, and the real CLI. */
import { spawn } from "child_process";
import * as fs from "fs";
import * as os from "os";
import * as path from "path";
import * as pulumi from "@pulumi/pulumi";
import { MockMonitor } from "@pulumi/pulumi/runtime/mocks";
import { vi } from "vitest";
import { stringify } from "yaml";
import { type OfflineOptions, type OfflinePlan, runOffline } from "../../tools/plan/offline";
import { PROJECT, ROOT } from "./arbitraries";

/**
 * A beforeEach hook that does its work once per file, as beforeAll would, or before every test under mutation
 * testing (PLAKAR_MUTATION=1): Stryker credits a test only with the code run in it or in its beforeEach, so work done
 * in beforeAll covers no test, and the mutants it reaches would never be run against the tests that check them.
 */
export function oncePerFile(setup: () => Promise<void> | void): () => Promise<void> {
  let done = false;
  return async () => {
    if (done && process.env.PLAKAR_MUTATION !== "1") return;
    await setup();
    done = true;
  };
}

export function tempDir(): string {
  return fs.mkdtempSync(path.join(os.tmpdir(), "plakar-iam-test-"));
}

/** Writes `config` (the project's namespace, keys without prefix) as a stack file; `extra` adds other namespaces. */
export function writeStackFile(
  dir: string,
  name: string,
  config: Record<string, unknown>,
  extra: Record<string, unknown> = {},
): string {
  const block: Record<string, unknown> = {};
  for (const [key, value] of Object.entries(config)) if (value !== undefined) block[`${PROJECT}:${key}`] = value;
  Object.assign(block, extra);
  const file = path.join(dir, name);
  fs.writeFileSync(file, stringify({ config: block }));
  return file;
}

/** Runs the offline plan with a freshly evaluated index.ts (it is a module: cached once imported). */
export async function freshOffline(options: Omit<OfflineOptions, "root">): Promise<OfflinePlan> {
  vi.resetModules();
  return runOffline({ root: ROOT, ...options });
}

/** What the mock monitor holds: raw states, secrets unredacted (what a real provider would have returned). */
export function rawMonitorState(): string {
  const monitor = pulumi.runtime.getMonitor() as unknown as MockMonitor;
  return JSON.stringify([...monitor.resources.values()]);
}

export interface Registrations {
  /** Types of every resource registered since `watchRegistrations`, the root stack included. */
  types(): string[];
  /** Types other than the root `pulumi:pulumi:Stack`: the program's own resources. */
  programTypes(): string[];
  stop(): void;
}

/** Observes every registration the mock monitor receives, without changing it. */
export function watchRegistrations(): Registrations {
  const spy = vi.spyOn(MockMonitor.prototype, "registerResource");
  const types = () => spy.mock.calls.map(([req]) => String((req as { getType(): string }).getType()));
  return {
    types,
    programTypes: () => types().filter((t) => t !== "pulumi:pulumi:Stack"),
    stop: () => spy.mockRestore(),
  };
}

export interface ScriptResult {
  readonly code: number | null;
  readonly stdout: string;
  readonly stderr: string;
}

/**
 * Runs `tools/<name>.ts` in its own process, as `npm run <name>` would; `input` is piped to it, else its standard
 * input is /dev/null (as in CI); `env` adds to the environment. For what only a process shows: exit codes set on
 * the real process, the locale, pipes.
 */
export function runScript(
  name: "plan" | "check-expiry",
  args: readonly string[],
  env: NodeJS.ProcessEnv = {},
  input?: string,
): Promise<ScriptResult> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, [path.join(ROOT, "scripts", "run.js"), name, ...args], {
      cwd: ROOT,
      env: { ...process.env, ...env },
      stdio: [input === undefined ? "ignore" : "pipe", "pipe", "pipe"],
    });
    if (input !== undefined) child.stdin?.end(input);
    let stdout = "";
    let stderr = "";
    child.stdout?.on("data", (d: Buffer) => (stdout += d.toString("utf8")));
    child.stderr?.on("data", (d: Buffer) => (stderr += d.toString("utf8")));
    child.on("error", reject);
    child.on("close", (code) => resolve({ code, stdout, stderr }));
  });
}

export interface InProcessOptions {
  /** Standard input's text; undefined means none (a terminal or /dev/null). */
  readonly stdin?: string;
  /** The user's directory (npm's INIT_CWD). @default the project root */
  readonly cwd?: string;
}

/**
 * Runs a command's `main(argv, io)` in this process, as the entry would run it on the real process: same parsing,
 * same messages, same exit code, without the cost of a process and of loading the SDK again. Never run two at once:
 * the offline plan uses the SDK's global state.
 */
export async function runInProcess(
  name: "plan" | "check-expiry",
  args: readonly string[],
  options: InProcessOptions = {},
): Promise<ScriptResult> {
  const { main } =
    name === "plan" ? await import("../../tools/plan/main") : await import("../../tools/check-expiry/main");
  let stdout = "";
  let stderr = "";
  const code = await main(args, {
    stdout: (text) => void (stdout += text),
    stderr: (text) => void (stderr += text),
    stdin: () => Promise.resolve(options.stdin),
    cwd: options.cwd ?? ROOT,
  });
  return { code, stdout, stderr };
}
