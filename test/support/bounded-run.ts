/**
 * Runs a command of tools/ in its own process (`node scripts/run.js <command> ...`, as `npm run <command>` does), with
 * a deadline: for what only a process shows (exit codes, a hang, running out of memory), without letting a hang hang
 * the suite. The child is killed at the deadline and the result says so.
 */
import { spawn } from "child_process";
import * as path from "path";
import { ROOT } from "./arbitraries";

export interface BoundedResult {
  readonly code: number | null;
  readonly signal: NodeJS.Signals | null;
  readonly stdout: string;
  readonly stderr: string;
  /** Wall-clock time from spawn to exit. */
  readonly ms: number;
  /** Whether the deadline killed it. */
  readonly timedOut: boolean;
}

export interface BoundedOptions {
  /** Kill the child (SIGKILL) after this long. */
  readonly timeoutMs: number;
  /** The child's whole environment (not added to this process's). @default process.env */
  readonly env?: NodeJS.ProcessEnv;
  /** Arguments for node itself, before the script: `--max-old-space-size=512`. */
  readonly nodeArgs?: readonly string[];
  /** @default the project root */
  readonly cwd?: string;
}

/** The most of each stream kept: a runaway child cannot fill the test's memory. */
const MAX_KEPT = 32 * 1024 * 1024;

export function runBounded(command: string, args: readonly string[], options: BoundedOptions): Promise<BoundedResult> {
  return new Promise((resolve, reject) => {
    const started = performance.now();
    const child = spawn(
      process.execPath,
      [...(options.nodeArgs ?? []), path.join(ROOT, "scripts", "run.js"), command, ...args],
      { cwd: options.cwd ?? ROOT, env: options.env ?? process.env, stdio: ["ignore", "pipe", "pipe"] },
    );
    let stdout = "";
    let stderr = "";
    let timedOut = false;
    const keep = (kept: string, chunk: Buffer) => (kept.length < MAX_KEPT ? kept + chunk.toString("utf8") : kept);
    child.stdout.on("data", (d: Buffer) => (stdout = keep(stdout, d)));
    child.stderr.on("data", (d: Buffer) => (stderr = keep(stderr, d)));
    const timer = setTimeout(() => {
      timedOut = true;
      child.kill("SIGKILL");
    }, options.timeoutMs);
    child.on("error", (err) => {
      clearTimeout(timer);
      reject(err);
    });
    child.on("close", (code, signal) => {
      clearTimeout(timer);
      resolve({ code, signal, stdout, stderr, ms: performance.now() - started, timedOut });
    });
  });
}
