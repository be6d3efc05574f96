/**
 * The README is the front door: every command it shows runs as written (or is marked as needing what a test cannot
 * have), every flag it gives a command is one the command takes, every path it names exists, and its presets table
 * matches the presets. The CHANGELOG dates its releases; no document speaks of internal issue numbers.
 *
 * Fenced blocks:
 * - ```sh: every command runs from the repository's root and must exit 0 (each stage of a pipe), unless the block's
 *   first line is `# needs: ...` (the Pulumi CLI, credentials). The quick start's plan runs through npm and bash as
 *   written; every other `npm run --silent <command> -- <flags>` (and a pipe between two) runs that command's `main`
 *   in this process, the script being checked to be `node scripts/run.js <command>`, which only bundles and calls
 *   it: the same command, without starting npm and Node for each. Anything else runs with bash. `npm ci` and
 *   `npm test` are the two set-up commands: the suite runs after the one and inside the other, so they are checked
 *   against `.ci/run` instead of run again.
 * - ```console: `$ command` lines, each followed by what it prints (stdout and stderr): run, and compared.
 * - ```yaml under "Configuration": the documented stack file, planned with placeholder IDs.
 */
import { spawnSync } from "child_process";
import * as fs from "fs";
import * as path from "path";
import { Readable } from "stream";
import { describe, expect, it } from "vitest";
import { type CommandSpec, parseCommandLine, usageLine } from "../tools/cli";
import { CHECK_EXPIRY, main as checkExpiry } from "../tools/check-expiry/main";
import { CHECK_PREVIEW, checkPreview } from "../tools/check-preview/main";
import { main as plan, PLAN } from "../tools/plan/main";
import { PREFLIGHT } from "../tools/preflight/main";
import { main as schema, SCHEMA } from "../tools/schema/main";
import { presets } from "./support/config";
import { tempDir } from "./support/offline";

const ROOT = path.join(__dirname, "..");
const read = (file: string) => fs.readFileSync(path.join(ROOT, file), "utf8");
const readme = read("README.md");
const pkg = JSON.parse(read("package.json")) as { version: string; scripts: Record<string, string> };

interface Block {
  readonly lang: string;
  readonly body: string;
  /** 1-based line of the opening fence. */
  readonly line: number;
}

function fencedBlocks(markdown: string): Block[] {
  const blocks: Block[] = [];
  const lines = markdown.split("\n");
  for (let i = 0; i < lines.length; i++) {
    const open = /^( *)```(\w*)\s*$/.exec(lines[i]!);
    if (!open) continue;
    const indent = open[1]!.length;
    const body: string[] = [];
    let j = i + 1;
    for (; j < lines.length && !/^ *```\s*$/.test(lines[j]!); j++) body.push(lines[j]!.slice(indent));
    blocks.push({ lang: open[2]!, body: body.join("\n"), line: i + 1 });
    i = j;
  }
  return blocks;
}

const blocks = fencedBlocks(readme);
const needsSomething = (b: Block) => /^# needs: \S/.test(b.body);
const runnable = blocks.filter((b) => b.lang === "sh" && !needsSomething(b));

/** Environment for the README's commands: the user's, without the outer `npm test`'s own variables. */
function userEnv(): NodeJS.ProcessEnv {
  return Object.fromEntries(Object.entries(process.env).filter(([k]) => !/^npm_/i.test(k)));
}

function bash(script: string): { code: number | null; stdout: string; stderr: string } {
  const r = spawnSync("bash", ["-c", `set -euo pipefail\n${script}`], {
    cwd: ROOT,
    env: userEnv(),
    encoding: "utf8",
    timeout: 120_000,
  });
  return { code: r.status, stdout: r.stdout, stderr: r.stderr };
}

/** The set-up commands the suite cannot run from inside itself: `npm ci` (done before it) and `npm test` (itself). */
function withoutSetup(body: string): string {
  return body
    .split("\n")
    .filter((l) => !/^npm test\b/.test(l))
    .map((l) => l.replace(/^npm ci && /, ""))
    .join("\n");
}

interface Run {
  code: number | null;
  stdout: string;
  stderr: string;
}

/** `npm run --silent <command> [-- flags]` of a command this process can run: its name and flags. */
function npmCommand(text: string): { name: string; args: string[] } | undefined {
  const m = /^npm run --silent (plan|check-expiry|check-preview|schema)(?: -- (.*))?$/.exec(text.trim());
  if (!m) return undefined;
  expect(pkg.scripts[m[1]!], m[1]).toBe(`node scripts/run.js ${m[1]}`);
  return { name: m[1]!, args: (m[2] ?? "").split(/\s+/).filter(Boolean) };
}

/** One command's `main`, in this process, with `input` on standard input (undefined: a terminal). */
async function inProcess(name: string, args: string[], input: string | undefined): Promise<Run> {
  let stdout = "";
  let stderr = "";
  const out = (t: string) => void (stdout += t);
  const err = (t: string) => void (stderr += t);
  const io = { stdout: out, stderr: err, stdin: () => Promise.resolve(input), cwd: ROOT };
  const code =
    name === "check-preview"
      ? await checkPreview(args, {
          stdin: Readable.from([Buffer.from(input ?? "")]),
          stdinCarriesInput: () => input !== undefined,
          out,
          err,
        })
      : await { plan, "check-expiry": checkExpiry, schema }[name]!(args, io);
  return { code, stdout, stderr };
}

/**
 * A line of a block: a pipe of npm commands runs in this process, anything else with bash. Every stage must succeed
 * for the line to (pipefail): the first failing stage's result is the line's.
 */
async function runLine(line: string): Promise<Run> {
  const stages = line.split(" | ").map(npmCommand);
  if (stages.some((s) => s === undefined)) return bash(line);
  let input: string | undefined;
  let last: Run = { code: 0, stdout: "", stderr: "" };
  let failed: Run | undefined;
  let stderr = "";
  for (const stage of stages) {
    last = await inProcess(stage!.name, stage!.args, input);
    stderr += last.stderr;
    if (last.code !== 0 && !failed) failed = last;
    input = last.stdout;
  }
  return { ...(failed ?? last), stdout: last.stdout, stderr };
}

/** The commands of a block: one per line, comments and `set` lines left out. */
function commandLines(body: string): string[] {
  return body
    .split("\n")
    .map((l) => l.replace(/(^|\s)#.*$/, "").trim())
    .filter((l) => l !== "" && !/^set\b/.test(l));
}

const SPECS: Record<string, CommandSpec> = {
  plan: PLAN,
  "check-expiry": CHECK_EXPIRY,
  "check-preview": CHECK_PREVIEW,
  preflight: PREFLIGHT,
  schema: SCHEMA,
};

/** Every `npm run [--silent] <script> [-- args]` the README shows, in code blocks and inline code. */
function npmInvocations(): { script: string; args: string[]; text: string }[] {
  const code = [...blocks.map((b) => b.body), ...[...readme.matchAll(/`([^`\n]+)`/g)].map((m) => m[1]!)];
  const out: { script: string; args: string[]; text: string }[] = [];
  for (const text of code) {
    for (const m of text.matchAll(/npm run (?:--silent )?([a-z][\w-]*)((?: -- [^|;&>#\n`]*)?)/g)) {
      const args = m[2]!.replace(/^ -- /, "").trim().split(/\s+/).filter(Boolean);
      out.push({ script: m[1]!, args, text: m[0]! });
    }
  }
  return out;
}

describe("README: the commands run as written", () => {
  it("has runnable blocks, and marks every other block with what it needs", () => {
    expect(runnable.length).toBeGreaterThanOrEqual(3);
    for (const b of blocks.filter((b) => b.lang === "sh" && needsSomething(b))) {
      expect(b.body, `block at line ${b.line}`).toMatch(/^# needs: [^\n]*(Pulumi CLI|credentials|state)/);
    }
  });

  it("the two set-up commands: npm ci, then the plan; npm test; and .ci/run runs exactly these", () => {
    expect(runnable[0]!.body).toMatch(/^npm ci && npm run --silent plan\b.*\nnpm test\b/);
    const ci = read(".ci/run");
    expect(ci).toMatch(/^npm ci\b/m);
    expect(ci).toMatch(/^npm test$/m);
    expect(pkg.scripts.test).toBe("node scripts/lint.js --test");
  });

  it("the quick start's plan, through npm as written, prints the offline plan of the example stack", () => {
    const line = withoutSetup(runnable[0]!.body).split("\n")[0]!.replace(/#.*$/, "");
    expect(line.trim()).toBe("npm run --silent plan");
    const r = bash(line);
    expect(r.stderr).toBe("");
    expect(r.code).toBe(0);
    expect(r.stdout).toMatch(/^Offline plan of stack "staging" \(project plakar-scaleway-iam\) at /);
  });

  it.each(runnable.slice(1).map((b) => [b.line, b] as const))(
    "every command of the sh block at line %i exits 0",
    async (_line, block) => {
      const lines = commandLines(withoutSetup(block.body));
      expect(lines.length).toBeGreaterThan(0);
      for (const line of lines) {
        const r = await runLine(line);
        expect(r.stderr, line).not.toMatch(/^error:/m);
        expect(r.code, `${line}\n${r.stderr}`).toBe(0);
      }
    },
  );

  it("every console example prints what the README shows", async () => {
    const consoles = blocks.filter((b) => b.lang === "console");
    expect(consoles.length).toBeGreaterThanOrEqual(2);
    for (const block of consoles) {
      const parts = block.body.split(/^\$ /m).slice(1);
      expect(parts.length, `console block at line ${block.line}`).toBeGreaterThan(0);
      for (const part of parts) {
        const [command, ...shown] = part.split("\n");
        const r = await runLine(command!);
        const printed = (r.stdout + r.stderr).trimEnd();
        expect(printed, command).toBe(shown.join("\n").trimEnd());
      }
    }
  });

  it("every npm script it names exists, and every flag it gives a command is one the command takes", () => {
    const invocations = npmInvocations();
    expect(invocations.length).toBeGreaterThan(10);
    for (const { script, args, text } of invocations) {
      expect(Object.keys(pkg.scripts), text).toContain(script);
      const spec = SPECS[script];
      if (!spec || args.length === 0) continue;
      // Usage lines show [--flag VALUE] with brackets and alternatives: only real command lines are parsed.
      if (args.some((a) => a.startsWith("["))) continue;
      expect(() => parseCommandLine(args, spec, {}), text).not.toThrow();
    }
  });

  it("the usage line of every command is the one its --help prints", () => {
    for (const [name, spec] of Object.entries(SPECS)) {
      if (name === "schema") continue;
      expect(readme, name).toContain(`\n${usageLine(spec)}\n`);
    }
  });

  it("the documented stack file plans, with placeholder IDs for <uuid>", async () => {
    const section = readme.slice(readme.indexOf("\n## Configuration\n"));
    const yaml = fencedBlocks(section).find((b) => b.lang === "yaml")!;
    let n = 0;
    const text = yaml.body.replace(/<uuid>/g, () => {
      n++;
      return `${n.toString(16).padStart(8, "0")}-0000-4000-8000-${n.toString(16).padStart(12, "0")}`;
    });
    const file = path.join(tempDir(), "Pulumi.readme.yaml");
    fs.writeFileSync(file, text);
    const r = await runLine(`npm run --silent plan -- --config ${file} --json`);
    expect(r.stderr).toBe("");
    expect(r.code).toBe(0);
    const plan = JSON.parse(r.stdout) as { outputs: { credentials: Record<string, unknown> } };
    expect(Object.keys(plan.outputs.credentials).sort()).toEqual([
      "bucket-sync",
      "inventory",
      "reports",
      "secrets",
      "secrets-backup",
      "vm-backup",
    ]);
  });
});

describe("README: what it says matches the code", () => {
  it("lists every preset with exactly its permission sets", () => {
    for (const [name, preset] of presets) {
      const row = readme.split("\n").find((line) => line.startsWith(`| \`${name}\` |`));
      expect(row, `no row for preset ${name}`).toBeDefined();
      const listed = [...row!.split("|")[3]!.matchAll(/`([A-Za-z]+)`/g)].map((m) => m[1]);
      expect(listed, name).toEqual(preset.permissionSets);
    }
  });

  it("says how to run one test file and how long the suite takes", () => {
    const file = /^npx vitest run (test\/[\w-]+\.test\.ts)$/m.exec(readme)?.[1];
    expect(fs.existsSync(path.join(ROOT, file ?? "none")), `${file} exists`).toBe(true);
    expect(readme).toMatch(/`npm test` takes about a minute/);
  });
});

/** The documents a user or a reviewer reads. */
const DOCUMENTS = [
  "README.md",
  "CHANGELOG.md",
  "components/README.md",
  "docs/ci.md",
  "policy/PulumiPolicy.yaml",
  "components/PulumiPlugin.yaml",
];
const TOP = /^(components|stack|tools|test|scripts|policy|examples|docs|\.github|\.ci)\//;
/** The names of the repository's files, for a file a document names by its name alone (in a table of its folder). */
const BASENAMES = new Set(
  spawnSync("git", ["ls-files"], { cwd: ROOT, encoding: "utf8" })
    .stdout.split("\n")
    .map((f) => path.basename(f)),
);

describe("no stale text", () => {
  it.each(DOCUMENTS)("%s names only paths that exist", (doc) => {
    const text = read(doc);
    const named = new Set<string>();
    for (const m of text.matchAll(/`([^`\s]+)`/g)) named.add(m[1]!);
    for (const m of text.matchAll(/\]\(([^)#\s]+)(#[^)]*)?\)/g)) if (!/^https?:/.test(m[1]!)) named.add(m[1]!);
    // The policy pack's manifest names what it imports relative to its folder.
    if (doc === "policy/PulumiPolicy.yaml") {
      for (const m of text.matchAll(/(?<![.\w])\.\.\/([\w./-]+)/g)) named.add(m[1]!.replace(/[.,:;]$/, ""));
    }
    const missing = [...named]
      .map((p) => p.replace(/[.,:;]$/, ""))
      .filter((p) => TOP.test(p) || (!p.includes("/") && /^[\w.-]+\.(ts|md|yaml|yml|tsv|js)$/.test(p)))
      .filter((p) => !/[<>*{}~]/.test(p) && !p.includes("..."))
      .filter((p) => (p.includes("/") ? !fs.existsSync(path.join(ROOT, p)) : !BASENAMES.has(p)))
      // Names of files a user makes or a tool writes, not of this repository's.
      .filter((p) => !/^(plan|preview|policy-config)\.json$|^Pulumi\.[\w-]+\.yaml$/.test(p));
    expect(missing).toEqual([]);
  });

  it.each(DOCUMENTS)("%s speaks of no internal issue numbers and no removed layout", (doc) => {
    const text = read(doc);
    expect(text).not.toMatch(/\bissues? #?\d+\b|\(#\d+\)|\bPR #?\d+/i);
    expect(text).not.toMatch(/(^|[\s`(])(\.\.\/)?lib\//m);
    expect(text).not.toMatch(/(^|[\s`(])(\.\.\/)?domain\/(?!\w+\.ts)/m);
  });

  it("no file of the repository speaks of internal issue numbers (test names included)", () => {
    const tracked = spawnSync("git", ["ls-files"], { cwd: ROOT, encoding: "utf8" })
      .stdout.split("\n")
      .filter((f) => /\.(ts|mts|js|md|ya?ml)$/.test(f) && fs.existsSync(path.join(ROOT, f)));
    expect(tracked.length).toBeGreaterThan(50);
    const mentions = tracked.filter((f) => /\bissues? #?\d+\b|\bissue item\b/i.test(read(f)));
    expect(mentions).toEqual([]);
  });

  it("the CHANGELOG dates every release, newest first, the newest being the packages' version", () => {
    const changelog = read("CHANGELOG.md");
    const headings = [...changelog.matchAll(/^## (.+)$/gm)].map((m) => m[1]!);
    expect(headings[0]).toBe("Unreleased");
    const releases = headings.slice(1).map((h) => /^(\d+\.\d+\.\d+) — (\d{4}-\d{2}-\d{2})$/.exec(h));
    expect(releases.every(Boolean), headings.join(" | ")).toBe(true);
    const versions = releases.map((r) => r![1]);
    expect(versions).toEqual(expect.arrayContaining(["0.2.0", "0.1.0"]));
    expect(versions[0]).toBe(pkg.version);
    expect(versions[0]).toBe((JSON.parse(read("components/package.json")) as { version: string }).version);
    const dates = releases.map((r) => r![2]!);
    expect([...dates].sort().reverse()).toEqual(dates);
  });

  it("ships the license package.json declares", () => {
    expect((JSON.parse(read("package.json")) as { license: string }).license).toBe("Apache-2.0");
    const license = read("LICENSE");
    expect(license).toMatch(/^\s*Apache License\s+Version 2\.0, January 2004/);
    for (let n = 1; n <= 9; n++) expect(license).toMatch(new RegExp(`\\n\\s+${n}\\. [A-Z]`));
    expect(license).toContain("END OF TERMS AND CONDITIONS");
  });
});
