/**
 * The real Pulumi CLI, as the acceptance run drives it: found on PATH, started without a shell, with a deadline, its
 * output passed on one line at a time made safe to print (secrets replaced, unprintable characters escaped, no line
 * that GitHub's runner would read as a workflow command), or captured (bounded) when it is data (`stack output`).
 */
import { spawn } from "child_process";
import * as fs from "fs";
import * as path from "path";
import { escapeUnprintable } from "../cli";
import { neutralizeWorkflowCommands, redact } from "../preflight/client";

export type Env = Readonly<Record<string, string | undefined>>;

/** The executable `name` in one of PATH's folders (what a shell would start), or undefined. */
export function findOnPath(name: string, env: Env): string | undefined {
  for (const dir of (env.PATH ?? "").split(path.delimiter)) {
    if (!dir) continue;
    const file = path.join(dir, name);
    try {
      const stat = fs.statSync(file);
      if (stat.isFile()) {
        fs.accessSync(file, fs.constants.X_OK);
        return file;
      }
    } catch {
      // not here
    }
  }
  return undefined;
}

export interface RunResult {
  readonly code: number | null;
  /** The captured standard output (`capture` only). */
  readonly stdout: string;
  /** The last lines printed, as printed (safe), for a failure's report. */
  readonly tail: readonly string[];
  readonly timedOut: boolean;
}

export interface RunOptions {
  /** Keep standard output (bounded) instead of printing it. */
  readonly capture?: boolean;
  readonly timeoutMs: number;
}

/** The most captured output read (stack outputs are a few kB per credential). */
export const MAX_CAPTURE_BYTES = 16 * 1024 * 1024;
const TAIL_LINES = 30;

const UUID_ANYWHERE = /\b[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}\b/gi;

/**
 * A line of someone else's output made safe to print: secrets, controls and workflow commands defused. With
 * `publicIds`, every other UUID is hidden too: a Scaleway secret key is a UUID, and one issued by the update being
 * printed is not known yet (Pulumi itself never prints a secret output; this is for the case it would).
 */
export function safeLine(line: string, secrets: readonly string[], publicIds?: readonly string[]): string {
  let text = redact(line, secrets);
  if (publicIds) {
    const known = new Set(publicIds.map((id) => id.toLowerCase()));
    text = text.replace(UUID_ANYWHERE, (id) => (known.has(id.toLowerCase()) ? id : "[uuid]"));
  }
  return neutralizeWorkflowCommands(escapeUnprintable(text));
}

export class PulumiCli {
  constructor(
    private readonly executable: string,
    private readonly env: Env,
    /** Secrets known so far; read at each line, so keys issued later are redacted too. */
    private readonly secrets: () => readonly string[],
    private readonly print: (line: string) => void,
    /** The only UUIDs shown as they are (IDs of the organization, projects, resources); others are hidden. */
    private readonly publicIds: () => readonly string[] = () => [],
  ) {}

  run(args: readonly string[], options: RunOptions): Promise<RunResult> {
    return new Promise((resolve, reject) => {
      const child = spawn(this.executable, [...args], {
        env: this.env as NodeJS.ProcessEnv,
        stdio: ["ignore", "pipe", "pipe"],
      });
      const tail: string[] = [];
      const show = (line: string) => {
        const safe = safeLine(line, this.secrets(), this.publicIds());
        tail.push(safe);
        if (tail.length > TAIL_LINES) tail.shift();
        this.print(`  | ${safe}`);
      };
      const lines = (onLine: (line: string) => void) => {
        let pending = "";
        return {
          data: (chunk: Buffer) => {
            pending += chunk.toString("utf8");
            const parts = pending.split("\n");
            pending = parts.pop() ?? "";
            for (const part of parts) onLine(part.replace(/\r$/, ""));
          },
          end: () => {
            if (pending) onLine(pending);
            pending = "";
          },
        };
      };
      const chunks: Buffer[] = [];
      let captured = 0;
      let overflow = false;
      const out = lines(show);
      const err = lines(show);
      child.stdout.on("data", (chunk: Buffer) => {
        if (!options.capture) return out.data(chunk);
        captured += chunk.length;
        if (captured > MAX_CAPTURE_BYTES) overflow = true;
        else chunks.push(chunk);
      });
      child.stderr.on("data", err.data);
      let timedOut = false;
      const timer = setTimeout(() => {
        timedOut = true;
        child.kill("SIGTERM");
        setTimeout(() => child.kill("SIGKILL"), 10_000).unref();
      }, options.timeoutMs);
      child.on("error", (error) => {
        clearTimeout(timer);
        reject(error);
      });
      child.on("close", (code) => {
        clearTimeout(timer);
        out.end();
        err.end();
        if (overflow) show(`(output past ${MAX_CAPTURE_BYTES} bytes: not read)`);
        resolve({
          code: overflow ? (code === 0 ? 1 : code) : code,
          stdout: overflow ? "" : Buffer.concat(chunks).toString("utf8"),
          tail,
          timedOut,
        });
      });
    });
  }
}
