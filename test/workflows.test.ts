/**
 * The GitHub Actions workflows, judged by the properties that matter rather than by their shape:
 *
 * - who can reach what: every job instance (matrix expanded, reusable workflows followed with their inputs) is
 *   resolved to the environment it enters; a job a pull request triggers never enters a prod environment nor one
 *   that admits only `main`, and no job names a secret its environment does not hold (docs/ci.md's environment
 *   table is the oracle: it is what administrators are told to set up);
 * - what is applied: every `pulumi up` applies a plan saved by a `pulumi preview` with the policy pack in the same
 *   job, judged by check-preview first; no other state-changing Pulumi command runs;
 * - and, by running the jobs' steps in bash as the runner would (its shells, `if` conditions, expressions, step
 *   outputs) against stand-ins of `pulumi` and `npm`: a policy violation fails the job and applies nothing, a
 *   check-preview finding applies nothing, `up` gets exactly the plan the preview saved, what the program printed
 *   cannot become a workflow command.
 *
 * Nothing here runs on GitHub, the Pulumi CLI or Scaleway: the stand-ins answer as the CLI does in the cases named
 * (pulumi/pulumi v3.259.0: a mandatory policy violation exits non-zero and saves no plan, the JSON digest omits
 * policy events, the event log carries them).
 */
import { spawnSync } from "child_process";
import * as fs from "fs";
import * as os from "os";
import * as path from "path";
import { parse } from "yaml";
import { describe, expect, it } from "vitest";
import type { CommandSpec } from "../tools/cli";
import { CHECK_EXPIRY } from "../tools/check-expiry/main";
import { CHECK_PREVIEW } from "../tools/check-preview/main";
import { PLAN } from "../tools/plan/main";
import { PREFLIGHT } from "../tools/preflight/main";

const ROOT = path.join(__dirname, "..");
const WORKFLOWS_DIR = path.join(ROOT, ".github", "workflows");
const DOCS = path.join(ROOT, "docs", "ci.md");

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
  on: unknown;
  env?: Dict;
  permissions?: unknown;
  jobs: Record<string, Job>;
}

function isDict(value: unknown): value is Dict {
  return typeof value === "object" && value !== null && !Array.isArray(value);
}

function load(file: string): Workflow {
  const doc: unknown = parse(fs.readFileSync(path.join(WORKFLOWS_DIR, file), "utf8"));
  if (!isDict(doc) || doc.on === undefined || !isDict(doc.jobs)) {
    throw new Error(`${file}: not a workflow (needs 'on' and a mapping 'jobs')`);
  }
  return doc as unknown as Workflow;
}

const FILES = fs
  .readdirSync(WORKFLOWS_DIR)
  .filter((f) => /\.ya?ml$/.test(f))
  .sort();
const WORKFLOWS = new Map(FILES.map((f) => [f, load(f)]));

function workflow(file: string): Workflow {
  const wf = WORKFLOWS.get(file);
  if (!wf) throw new Error(`no workflow ${file}`);
  return wf;
}

function triggersOf(wf: Workflow): string[] {
  if (typeof wf.on === "string") return [wf.on];
  if (Array.isArray(wf.on)) return wf.on.map(String);
  if (isDict(wf.on)) return Object.keys(wf.on);
  throw new Error("'on' is neither a name, a list nor a mapping");
}

const steps = (j: Job): Step[] => j.steps ?? [];
const needsOf = (j: Job): string[] => (j.needs === undefined ? [] : Array.isArray(j.needs) ? j.needs : [j.needs]);

// ---------------------------------------------------------------------------------------------------------------
// docs/ci.md: the environments, their secrets and branch rules, and the variables, as administrators set them up.

interface EnvironmentDoc {
  readonly name: string;
  readonly stack: string;
  readonly secrets: readonly string[];
  /** `main`: only runs on main may enter; `all`: any ref, a pull request's merge ref included. */
  readonly branches: "main" | "all";
  readonly reviewers: string;
}

/** The rows of the first Markdown table whose header's first cell is `first`, as cells. */
function tableRows(text: string, first: string): string[][] {
  const lines = text.split("\n");
  const start = lines.findIndex((l) => l.startsWith(`| ${first} |`));
  if (start < 0) throw new Error(`docs/ci.md: no table headed "${first}"`);
  const rows: string[][] = [];
  for (const line of lines.slice(start + 2)) {
    if (!line.startsWith("|")) break;
    rows.push(
      line
        .slice(1, -1)
        .split("|")
        .map((c) => c.trim()),
    );
  }
  return rows;
}

const backticked = (cell: string): string[] => [...cell.matchAll(/`([^`]+)`/g)].map((m) => m[1]!);

const DOC_TEXT = fs.readFileSync(DOCS, "utf8");

const ENVIRONMENTS: ReadonlyMap<string, EnvironmentDoc> = new Map(
  tableRows(DOC_TEXT, "Environment").map(([name, stack, secrets, branches, reviewers]) => {
    const env = backticked(name ?? "")[0];
    if (!env) throw new Error(`docs/ci.md: an environment row without a name: ${name}`);
    const rule = branches?.includes("`main`") ? "main" : branches === "all branches" ? "all" : undefined;
    if (!rule) throw new Error(`docs/ci.md: environment ${env}: deployment branches "${branches}" not understood`);
    const doc: EnvironmentDoc = {
      name: env,
      stack: stack ?? "",
      secrets: backticked(secrets ?? ""),
      branches: rule,
      reviewers: reviewers ?? "",
    };
    return [env, doc];
  }),
);

const DOCUMENTED_VARS = tableRows(DOC_TEXT, "Name").map(([name]) => backticked(name ?? "")[0]);

/** The stacks the project has: a `Pulumi.<stack>.yaml` each. */
const STACKS = fs
  .readdirSync(ROOT)
  .flatMap((f) => /^Pulumi\.([a-z0-9-]+)\.yaml$/.exec(f)?.[1] ?? [])
  .sort();

// ---------------------------------------------------------------------------------------------------------------
// GitHub's expression language, the part the workflows use: literals, contexts, `!`, `&&`, `||`, `==`, `!=`,
// parentheses and the status functions. Anything else throws, so a workflow cannot slip past the reader.

type Value = string | number | boolean | null | Value[] | { [k: string]: Value };

interface Contexts {
  /** Roots the evaluation may read (`github`, `inputs`...): reading another root throws. */
  readonly roots: Readonly<Record<string, unknown>>;
  readonly status?: { readonly failed: boolean };
}

type Token = { kind: "op"; value: string } | { kind: "id"; value: string } | { kind: "lit"; value: Value };

function tokenize(expr: string): Token[] {
  const tokens: Token[] = [];
  let i = 0;
  while (i < expr.length) {
    const rest = expr.slice(i);
    const space = /^\s+/.exec(rest);
    if (space) {
      i += space[0].length;
      continue;
    }
    const op = /^(&&|\|\||==|!=|[!().[\],])/.exec(rest);
    if (op) {
      tokens.push({ kind: "op", value: op[0] });
      i += op[0].length;
      continue;
    }
    const str = /^'((?:[^']|'')*)'/.exec(rest);
    if (str) {
      tokens.push({ kind: "lit", value: str[1]!.replace(/''/g, "'") });
      i += str[0].length;
      continue;
    }
    const num = /^-?\d+(\.\d+)?/.exec(rest);
    if (num) {
      tokens.push({ kind: "lit", value: Number(num[0]) });
      i += num[0].length;
      continue;
    }
    const id = /^[A-Za-z_][A-Za-z0-9_-]*/.exec(rest);
    if (id) {
      const word = id[0];
      tokens.push(
        word === "true" || word === "false"
          ? { kind: "lit", value: word === "true" }
          : word === "null"
            ? { kind: "lit", value: null }
            : { kind: "id", value: word },
      );
      i += word.length;
      continue;
    }
    throw new Error(`expression "${expr}": cannot read "${rest}"`);
  }
  return tokens;
}

const truthy = (v: unknown): boolean => !(v === false || v === 0 || v === "" || v === null || v === undefined);

function toNumber(v: unknown): number {
  if (v === null || v === undefined) return 0;
  if (typeof v === "boolean") return v ? 1 : 0;
  if (typeof v === "number") return v;
  if (typeof v === "string") return v.trim() === "" ? 0 : Number(v);
  return NaN;
}

/** GitHub's `==`: strings compare case-insensitively, other mixed types as numbers. */
function looseEquals(a: unknown, b: unknown): boolean {
  const x = a ?? null;
  const y = b ?? null;
  if (typeof x === "string" && typeof y === "string") return x.toLowerCase() === y.toLowerCase();
  if (typeof x === typeof y && (x === null || typeof x !== "object")) return x === y;
  return toNumber(x) === toNumber(y);
}

function evaluate(expr: string, ctx: Contexts): unknown {
  const tokens = tokenize(expr);
  let pos = 0;
  const peek = (): Token | undefined => tokens[pos];
  const isOp = (v: string): boolean => {
    const t = peek();
    return t?.kind === "op" && t.value === v;
  };
  const expectOp = (v: string): void => {
    if (!isOp(v)) throw new Error(`expression "${expr}": expected "${v}"`);
    pos++;
  };
  const status = (): { failed: boolean } => {
    if (!ctx.status) throw new Error(`expression "${expr}": status functions are not available here`);
    return ctx.status;
  };
  const call = (name: string, args: unknown[]): unknown => {
    switch (name) {
      case "success":
        return !status().failed;
      case "failure":
        return status().failed;
      case "always":
        return true;
      case "cancelled":
        return false;
      default:
        throw new Error(`expression "${expr}": function ${name}(${args.length} args) is not modelled`);
    }
  };
  const primary = (): unknown => {
    const t = peek();
    if (!t) throw new Error(`expression "${expr}": unexpected end`);
    pos++;
    if (t.kind === "lit") return t.value;
    if (t.kind === "op" && t.value === "(") {
      const v = or();
      expectOp(")");
      return v;
    }
    if (t.kind === "id") {
      if (isOp("(")) {
        pos++;
        const args: unknown[] = [];
        while (!isOp(")")) {
          args.push(or());
          if (isOp(",")) pos++;
        }
        pos++;
        return call(t.value, args);
      }
      if (!(t.value in ctx.roots)) throw new Error(`expression "${expr}": context "${t.value}" is not resolvable here`);
      return ctx.roots[t.value];
    }
    throw new Error(`expression "${expr}": unexpected "${t.value}"`);
  };
  const property = (value: unknown, key: string): unknown => {
    if (typeof value === "function") return (value as (k: string) => unknown)(key);
    return isDict(value) ? (value[key] ?? null) : null;
  };
  const postfix = (): unknown => {
    let v = primary();
    for (;;) {
      if (isOp(".")) {
        pos++;
        const t = peek();
        if (t?.kind !== "id") throw new Error(`expression "${expr}": expected a property name`);
        pos++;
        v = property(v, t.value);
      } else if (isOp("[")) {
        pos++;
        const key = or();
        expectOp("]");
        v = property(v, String(key));
      } else return v;
    }
  };
  const unary = (): unknown => {
    if (isOp("!")) {
      pos++;
      return !truthy(unary());
    }
    return postfix();
  };
  const equality = (): unknown => {
    let v = unary();
    while (isOp("==") || isOp("!=")) {
      const negate = peek()!.value === "!=";
      pos++;
      const equal = looseEquals(v, unary());
      v = negate ? !equal : equal;
    }
    return v;
  };
  const and = (): unknown => {
    let v = equality();
    while (isOp("&&")) {
      pos++;
      const right = equality();
      v = truthy(v) ? right : v;
    }
    return v;
  };
  const or = (): unknown => {
    let v = and();
    while (isOp("||")) {
      pos++;
      const right = and();
      v = truthy(v) ? v : right;
    }
    return v;
  };
  const value = or();
  if (pos !== tokens.length) throw new Error(`expression "${expr}": unexpected "${tokens[pos]!.value}"`);
  return value;
}

function asText(v: unknown): string {
  if (v === null || v === undefined) return "";
  if (typeof v === "string") return v;
  if (typeof v === "number" || typeof v === "boolean") return String(v);
  return JSON.stringify(v);
}

const TEMPLATE = /\$\{\{([\s\S]*?)\}\}/g;

/** `${{ expr }}` replaced by its value, as GitHub does before a shell sees a script. */
function interpolate(text: string, ctx: Contexts): string {
  return text.replace(TEMPLATE, (_, expr: string) => asText(evaluate(expr, ctx)));
}

/** A value that is one whole `${{ }}` keeps its type (a boolean input stays a boolean). */
function resolveValue(value: unknown, ctx: Contexts): unknown {
  if (typeof value !== "string") return value;
  const whole = /^\$\{\{([\s\S]*)\}\}$/.exec(value.trim());
  return whole ? evaluate(whole[1]!, ctx) : interpolate(value, ctx);
}

/** A step's or job's `if`: `${{ }}` optional; without a status function, `success() &&` is implied. */
function condition(raw: string | undefined, ctx: Contexts): boolean {
  if (raw === undefined) return !ctx.status?.failed;
  const expr = raw.trim().replace(/^\$\{\{([\s\S]*)\}\}$/, "$1");
  const full = /\b(success|failure|always|cancelled)\s*\(/.test(expr) ? expr : `success() && (${expr})`;
  return truthy(evaluate(full, ctx));
}

/** Every `secrets.NAME` read inside `${{ }}` anywhere in a value; reading `secrets` whole or by index throws. */
function secretsRead(value: unknown): string[] {
  const names: string[] = [];
  for (const m of JSON.stringify(value ?? null).matchAll(TEMPLATE)) {
    for (const use of m[1]!.matchAll(/\bsecrets\b(\s*\.\s*([A-Za-z_][A-Za-z0-9_]*))?/g)) {
      if (!use[2]) throw new Error(`"${m[0]}" reads secrets as a whole or by a computed name: not analysable`);
      names.push(use[2]);
    }
  }
  return names;
}

function varsRead(text: string): string[] {
  return [...text.matchAll(TEMPLATE)].flatMap((m) =>
    [...m[1]!.matchAll(/\bvars\s*\.\s*([A-Za-z_][A-Za-z0-9_]*)/g)].map((v) => v[1]!),
  );
}

// ---------------------------------------------------------------------------------------------------------------
// Job instances: each job of each workflow, once per matrix combination, reusable workflows followed with their
// inputs, each resolved to the environment it enters.

interface Instance {
  /** `deploy.yml:prod > pulumi-up.yml:up [stack=prod]` */
  readonly label: string;
  readonly file: string;
  readonly jobId: string;
  readonly job: Job;
  /** The triggers of the workflow the run started from. */
  readonly triggers: readonly string[];
  readonly matrix: Dict;
  readonly inputs: Dict;
  readonly environment: string | undefined;
  /** The jobs of the calling workflows this instance runs under (`needs` reach them). */
  readonly callers: readonly { file: string; jobId: string }[];
}

function matrixCombinations(job: Job): Dict[] {
  const matrix = job.strategy?.matrix;
  if (matrix === undefined) return [{}];
  let combos: Dict[] = [{}];
  for (const [key, values] of Object.entries(matrix)) {
    if (key === "include" || key === "exclude" || !Array.isArray(values)) {
      throw new Error(`matrix key "${key}" is not modelled: list the values of each key`);
    }
    combos = combos.flatMap((c) => values.map((v: unknown) => ({ ...c, [key]: v })));
  }
  return combos;
}

function staticContext(matrix: Dict, inputs: Dict): Contexts {
  return { roots: { matrix, inputs } };
}

function environmentOf(job: Job, ctx: Contexts): string | undefined {
  const env = job.environment;
  if (env === undefined) return undefined;
  const name = isDict(env) ? env.name : env;
  if (typeof name !== "string") throw new Error("environment without a name");
  return interpolate(name, ctx);
}

function calleeInputs(callee: Workflow): Record<string, Dict> {
  const call = isDict(callee.on) ? callee.on.workflow_call : undefined;
  if (call === undefined) throw new Error("a called workflow must be triggered by workflow_call");
  const inputs = isDict(call) && isDict(call.inputs) ? call.inputs : {};
  return inputs as Record<string, Dict>;
}

function expand(
  file: string,
  triggers: readonly string[],
  inputs: Dict,
  callers: Instance["callers"],
  prefix: string,
): Instance[] {
  const wf = workflow(file);
  return Object.entries(wf.jobs).flatMap(([jobId, job]) =>
    matrixCombinations(job).flatMap((matrix) => {
      const ctx = staticContext(matrix, inputs);
      const where = Object.entries(matrix)
        .map(([k, v]) => `${k}=${asText(v)}`)
        .join(",");
      const label = `${prefix}${file}:${jobId}${where ? ` [${where}]` : ""}`;
      if (job.uses !== undefined) {
        const local = /^\.\/\.github\/workflows\/([^/@]+)$/.exec(job.uses);
        if (!local) throw new Error(`${label}: only this repository's reusable workflows are modelled`);
        const callee = local[1]!;
        const declared = calleeInputs(workflow(callee));
        const given = Object.fromEntries(Object.entries(job.with ?? {}).map(([k, v]) => [k, resolveValue(v, ctx)]));
        for (const key of Object.keys(given)) {
          if (!(key in declared)) throw new Error(`${label}: passes input "${key}" that ${callee} does not declare`);
        }
        const resolved = Object.fromEntries(
          Object.entries(declared).map(([k, spec]) => [k, k in given ? given[k] : (spec.default ?? null)]),
        );
        return expand(callee, triggers, resolved, [...callers, { file, jobId }], `${label} > `);
      }
      return [{ label, file, jobId, job, triggers, matrix, inputs, environment: environmentOf(job, ctx), callers }];
    }),
  );
}

const INSTANCES: readonly Instance[] = FILES.flatMap((file) => {
  const triggers = triggersOf(workflow(file));
  // A workflow only callable runs as part of its callers' runs: it is expanded from them.
  return triggers.every((t) => t === "workflow_call") ? [] : expand(file, triggers, {}, [], "");
});

/** Triggers whose runs execute a pull request's code (merge_group: the queued pull request's). */
const PULL_REQUEST_TRIGGERS = [
  "pull_request",
  "pull_request_review",
  "pull_request_review_comment",
  "pull_request_target",
  "merge_group",
];
/** Triggers that run with the base repository's secrets on behalf of whoever opens a pull request or comments. */
const PRIVILEGED_OUTSIDER_TRIGGERS = ["pull_request_target", "workflow_run", "issue_comment"];

const isPullRequestRun = (i: Instance): boolean => i.triggers.some((t) => PULL_REQUEST_TRIGGERS.includes(t));

/** The job's environment variables (job `env`, then the step's), resolved where only matrix and inputs are needed. */
function staticEnv(i: Instance, step?: Step): Record<string, string> {
  const ctx = staticContext(i.matrix, i.inputs);
  const out: Record<string, string> = {};
  for (const [k, v] of Object.entries({ ...(i.job.env ?? {}), ...(step?.env ?? {}) })) {
    try {
      out[k] = asText(resolveValue(v, ctx));
    } catch {
      // secrets, vars, steps: not known statically; the rules that need a value read only STACK.
    }
  }
  return out;
}

// ---------------------------------------------------------------------------------------------------------------
// Shell: the simple commands of a `run` script, words unquoted, with the script's own `name=value` assignments
// substituted (so `--save-plan "$plan"` and `--plan "$RUNNER_TEMP/update-plan.json"` can be compared).

interface SimpleCommand {
  readonly argv: readonly string[];
  /** Where its standard output goes: a file (`> f`), or `|` to the next command. */
  readonly stdout?: string;
  readonly pipedInto?: SimpleCommand;
}

const CONTROL_WORDS = new Set(["if", "then", "else", "elif", "fi", "for", "in", "do", "done", "while", "{", "}"]);

function shellCommands(script: string): SimpleCommand[] {
  const vars = new Map<string, string>();
  const expand = (word: string): string =>
    word.replace(/\$\{?([A-Za-z_][A-Za-z0-9_]*)\}?/g, (all, name: string) => vars.get(name) ?? all);

  // Words (quotes removed, `$(...)` inside double quotes kept whole) and operators, in order.
  type Lexeme = { op: string } | { word: string };
  const lexemes: Lexeme[] = [];
  let i = 0;
  let word: string | undefined;
  const flush = () => {
    if (word !== undefined) lexemes.push({ word });
    word = undefined;
  };
  while (i < script.length) {
    const c = script[i]!;
    if (c === "\\" && script[i + 1] === "\n") {
      i += 2;
      continue;
    }
    if (c === "#" && word === undefined) {
      while (i < script.length && script[i] !== "\n") i++;
      continue;
    }
    if (c === "'") {
      const end = script.indexOf("'", i + 1);
      if (end < 0) throw new Error("unterminated single quote");
      word = (word ?? "") + script.slice(i + 1, end);
      i = end + 1;
      continue;
    }
    if (c === '"') {
      let j = i + 1;
      let text = "";
      while (j < script.length && script[j] !== '"') {
        if (script[j] === "\\") {
          text += script[j + 1];
          j += 2;
        } else if (script[j] === "$" && script[j + 1] === "(") {
          let depth = 0;
          do {
            if (script[j] === "(") depth++;
            if (script[j] === ")") depth--;
            text += script[j];
            j++;
          } while (j < script.length && (depth > 0 || script[j - 1] === "$"));
        } else {
          text += script[j];
          j++;
        }
      }
      if (j >= script.length) throw new Error("unterminated double quote");
      word = (word ?? "") + text;
      i = j + 1;
      continue;
    }
    const op =
      word === undefined
        ? /^(\|\||&&|2>|>>|>|\||;|\n)/.exec(script.slice(i))
        : /^(\|\||&&|>>|>|\||;|\n)/.exec(script.slice(i));
    if (op) {
      flush();
      lexemes.push({ op: op[0] });
      i += op[0].length;
      continue;
    }
    if (c === " " || c === "\t") {
      flush();
      i++;
      continue;
    }
    word = (word ?? "") + c;
    i++;
  }
  flush();

  // Simple commands, linked into pipelines; assignments alone on a line feed `vars` for the words after them.
  const commands: SimpleCommand[] = [];
  let pipeline: { argv: string[]; stdout?: string }[] = [];
  let argv: string[] = [];
  let stdout: string | undefined;
  const endCommand = () => {
    const words = [...argv];
    while (words.length > 0 && CONTROL_WORDS.has(words[0]!)) words.shift();
    if (words.length > 0 && words.every((w) => /^[A-Za-z_][A-Za-z0-9_]*=/.test(w))) {
      for (const w of words) vars.set(w.slice(0, w.indexOf("=")), w.slice(w.indexOf("=") + 1));
    } else if (words.length > 0) {
      pipeline.push({ argv: words, stdout });
    }
    argv = [];
    stdout = undefined;
  };
  const endPipeline = () => {
    endCommand();
    let next: SimpleCommand | undefined;
    const linked: SimpleCommand[] = [];
    for (const c of [...pipeline].reverse()) {
      next = next === undefined ? c : { argv: c.argv, stdout: "|", pipedInto: next };
      linked.unshift(next);
    }
    commands.push(...linked);
    pipeline = [];
  };
  for (let k = 0; k < lexemes.length; k++) {
    const l = lexemes[k]!;
    if ("word" in l) {
      argv.push(expand(l.word));
      continue;
    }
    if (l.op === ">" || l.op === ">>" || l.op === "2>") {
      const target = lexemes[++k];
      if (target && "word" in target && l.op !== "2>") stdout = expand(target.word);
      continue;
    }
    if (l.op === "|") {
      endCommand();
      // A pipe at the end of a line continues on the next one.
      while (lexemes[k + 1] !== undefined && "op" in lexemes[k + 1]! && (lexemes[k + 1] as { op: string }).op === "\n")
        k++;
      continue;
    }
    endPipeline();
  }
  endPipeline();
  return commands;
}

/** The value of `--name` (`--name v` or `--name=v`) in argv; undefined when absent. */
function flagValue(argv: readonly string[], name: string): string | undefined {
  for (let k = 0; k < argv.length; k++) {
    if (argv[k] === name) return argv[k + 1];
    if (argv[k]!.startsWith(`${name}=`)) return argv[k]!.slice(name.length + 1);
  }
  return undefined;
}

interface PulumiCall {
  readonly instance: Instance;
  readonly stepIndex: number;
  readonly step: Step;
  readonly command: SimpleCommand;
  /** `preview`, `up`, `stack output`... */
  readonly subcommand: string;
}

function commandsOfJob(i: Instance): { stepIndex: number; step: Step; command: SimpleCommand }[] {
  return steps(i.job).flatMap((step, stepIndex) =>
    step.run === undefined ? [] : shellCommands(step.run).map((command) => ({ stepIndex, step, command })),
  );
}

function pulumiCalls(i: Instance): PulumiCall[] {
  return commandsOfJob(i)
    .filter(({ command }) => command.argv[0] === "pulumi")
    .map((c) => {
      const args = c.command.argv.slice(1).filter((a) => !a.startsWith("-"));
      const subcommand = args[0] === "stack" ? `stack ${args[1] ?? ""}` : (args[0] ?? "");
      return { instance: i, ...c, subcommand };
    });
}

/** `npm run --silent <script> -- args`: the script and its args. */
function npmRuns(
  i: Instance,
): { stepIndex: number; script: string; args: readonly string[]; command: SimpleCommand }[] {
  return commandsOfJob(i).flatMap(({ stepIndex, command }) => {
    const [tool, verb, ...rest] = command.argv;
    if (tool !== "npm" || verb !== "run") return [];
    const words = rest.filter((w) => w !== "--silent");
    const script = words[0];
    if (script === undefined) return [];
    const dashes = words.indexOf("--");
    return [{ stepIndex, script, args: dashes < 0 ? [] : words.slice(dashes + 1), command }];
  });
}

/** The stack a command's `--stack` names, `$STACK` resolved from the job's and step's env. */
function stackOf(i: Instance, step: Step, argv: readonly string[]): string | undefined {
  const raw = flagValue(argv, "--stack");
  if (raw === undefined) return undefined;
  const env = staticEnv(i, step);
  return raw.replace(/\$\{?([A-Za-z_][A-Za-z0-9_]*)\}?/g, (all, name: string) => env[name] ?? all);
}

// ---------------------------------------------------------------------------------------------------------------

describe("workflow files", () => {
  it("are read: the four this project runs on, and every other file in the folder goes through the same rules", () => {
    for (const f of ["deploy.yml", "pull-request.yml", "pulumi-up.yml", "weekly.yml"]) expect(FILES).toContain(f);
    // Each file contributes job instances (a reusable one through its callers), so no file escapes the rules.
    for (const f of FILES) expect(INSTANCES.some((i) => i.file === f)).toBe(true);
  });

  it.each(FILES)("%s: read-only token by default, and no job asks for a write permission", (file) => {
    const wf = workflow(file);
    expect(wf.permissions).toEqual({ contents: "read" });
    for (const [id, job] of Object.entries(wf.jobs)) {
      const granted = isDict(job.permissions) ? Object.values(job.permissions) : [job.permissions];
      expect(granted, `${file}:${id}`).not.toContain("write");
      expect(job.permissions, `${file}:${id}`).not.toBe("write-all");
    }
  });
});

describe("who can reach which secret", () => {
  it("no workflow runs with the repository's secrets on an outsider's behalf (pull_request_target, workflow_run, issue_comment)", () => {
    for (const file of FILES) {
      expect(
        triggersOf(workflow(file)).filter((t) => PRIVILEGED_OUTSIDER_TRIGGERS.includes(t)),
        file,
      ).toEqual([]);
    }
  });

  it("no checkout of a fork's code is unblocked (actions/checkout v7 refuses it in such runs unless told otherwise)", () => {
    for (const i of INSTANCES) {
      for (const s of steps(i.job)) {
        if (s.uses?.startsWith("actions/checkout@")) {
          expect(s.with?.["allow-unsafe-pr-checkout"], i.label).toBeUndefined();
          // The token stays out of .git/config, where every later step (the program, npm scripts) could read it.
          expect(s.with?.["persist-credentials"], i.label).toBe(false);
        }
      }
    }
  });

  it("every environment a job enters is documented in docs/ci.md, and every documented one is entered", () => {
    const entered = new Set(INSTANCES.flatMap((i) => (i.environment === undefined ? [] : [i.environment])));
    for (const i of INSTANCES) {
      if (i.environment !== undefined) expect(ENVIRONMENTS.has(i.environment), i.label).toBe(true);
    }
    expect([...ENVIRONMENTS.keys()].sort()).toEqual([...entered].sort());
    // Every documented environment belongs to a real stack, or to none ("—": the acceptance run's throwaway
    // stacks), and then no job in it runs the Pulumi CLI itself (the run drives its own throwaway backend).
    for (const doc of ENVIRONMENTS.values()) {
      if (doc.stack.startsWith("—")) {
        for (const i of INSTANCES.filter((x) => x.environment === doc.name))
          expect(pulumiCalls(i), i.label).toEqual([]);
        continue;
      }
      expect(STACKS, doc.name).toContain(doc.stack);
    }
  });

  it("a job a pull request triggers never enters prod's environments nor any that admits only main", () => {
    const prRuns = INSTANCES.filter(isPullRequestRun);
    expect(prRuns.length).toBeGreaterThan(0);
    for (const i of prRuns) {
      if (i.environment === undefined) continue;
      const doc = ENVIRONMENTS.get(i.environment);
      expect(doc, i.label).toBeDefined();
      expect(doc!.stack, i.label).not.toBe("prod");
      // A pull request's run is on refs/pull/<n>/merge: an environment admitting only main would refuse it, and
      // that is where the deploying keys live.
      expect(doc!.branches, i.label).toBe("all");
    }
    // And no environment that admits any ref is prod's, whichever job enters it.
    for (const doc of ENVIRONMENTS.values()) {
      if (doc.branches === "all") expect(doc.stack, doc.name).not.toBe("prod");
    }
  });

  it("no job reads a secret its environment does not hold (none at all without an environment)", () => {
    for (const i of INSTANCES) {
      const held = i.environment === undefined ? [] : (ENVIRONMENTS.get(i.environment)?.secrets ?? []);
      const read = secretsRead({ ...i.job, secrets: undefined }).filter((s) => s !== "GITHUB_TOKEN");
      expect(
        read.filter((s) => !held.includes(s)),
        `${i.label} (environment ${i.environment ?? "none"})`,
      ).toEqual([]);
    }
    for (const file of FILES) {
      const wf = workflow(file);
      // Workflow-level env reaches every job, whatever its environment.
      expect(secretsRead(wf.env), file).toEqual([]);
      // A caller job names no environment: a secret it maps into a reusable workflow would be a repository secret.
      for (const [id, job] of Object.entries(wf.jobs)) {
        if (job.uses !== undefined && job.secrets !== "inherit")
          expect(secretsRead(job.secrets), `${file}:${id}`).toEqual([]);
      }
    }
  });

  it("every job that reads or changes a stack's state does it with that stack's own environment", () => {
    let checked = 0;
    for (const i of INSTANCES) {
      for (const call of pulumiCalls(i)) {
        const stack = stackOf(i, call.step, call.command.argv);
        expect(stack, `${i.label}: pulumi ${call.subcommand} without --stack`).toBeDefined();
        expect(STACKS, i.label).toContain(stack);
        expect(i.environment, i.label).toBeDefined();
        expect(ENVIRONMENTS.get(i.environment!)?.stack, `${i.label}: pulumi ${call.subcommand} --stack ${stack}`).toBe(
          stack,
        );
        checked++;
      }
    }
    expect(checked).toBeGreaterThan(0);
  });

  it("updates run only in environments that admit main alone, and prod's requires a reviewer", () => {
    const updates = INSTANCES.filter((i) => pulumiCalls(i).some((c) => c.subcommand === "up"));
    expect(new Set(updates.map((i) => ENVIRONMENTS.get(i.environment ?? "")?.stack))).toEqual(new Set(STACKS));
    for (const i of updates) {
      const doc = ENVIRONMENTS.get(i.environment ?? "");
      expect(doc?.branches, i.label).toBe("main");
      if (doc?.stack === "prod") expect(doc.reviewers, i.label).not.toMatch(/^(none|optional)/);
      // And nothing a pull request triggers updates anything.
      expect(isPullRequestRun(i), i.label).toBe(false);
    }
  });

  it("docs/ci.md documents every variable the workflows read, and documents none they do not", () => {
    const text = FILES.map((f) => fs.readFileSync(path.join(WORKFLOWS_DIR, f), "utf8")).join("\n");
    expect([...new Set(varsRead(text))].sort()).toEqual([...DOCUMENTED_VARS].sort());
  });

  it("actions are pinned by commit, and the Pulumi CLI by an exact version recent enough for these workflows", () => {
    const versions = new Set<string>();
    for (const i of INSTANCES) {
      for (const s of steps(i.job)) {
        if (s.uses === undefined) continue;
        expect(s.uses, i.label).toMatch(/^[\w.-]+\/[\w.-]+@[0-9a-f]{40}$/);
        if (s.uses.startsWith("pulumi/actions@")) {
          // Install only: the action's own `up` runs with --skip-preview through the Automation API.
          expect(Object.keys(s.with ?? {}), i.label).toEqual(["pulumi-version"]);
          versions.add(String(s.with?.["pulumi-version"]));
        }
      }
    }
    expect(versions.size).toBe(1);
    const [version] = [...versions];
    expect(version).toMatch(/^\d+\.\d+\.\d+$/);
    // 3.252.0: `pulumi stack output` reads without the passphrase (the expiry job has none); 3.190.0: --save-plan.
    const [major, minor] = version!.split(".").map(Number);
    expect(major === 3 && minor! >= 252).toBe(true);
  });
});

describe("what is applied", () => {
  it("only preview, up and stack output run: nothing else changes a stack (no destroy, refresh, import, state edit)", () => {
    const used = new Set(INSTANCES.flatMap((i) => pulumiCalls(i).map((c) => c.subcommand)));
    expect([...used].sort()).toEqual(["preview", "stack output", "up"]);
  });

  it("every pulumi preview runs the policy pack, whose folder holds a pack", () => {
    let previews = 0;
    for (const i of INSTANCES) {
      for (const c of pulumiCalls(i).filter((x) => x.subcommand === "preview")) {
        const pack = flagValue(c.command.argv, "--policy-pack");
        expect(pack, i.label).toBe("policy");
        previews++;
      }
    }
    expect(previews).toBeGreaterThan(0);
    expect(fs.existsSync(path.join(ROOT, "policy", "PulumiPolicy.yaml"))).toBe(true);
  });

  it("every pulumi up applies the plan a preview of the same stack saved earlier in the same job, judged by check-preview", () => {
    let updates = 0;
    for (const i of INSTANCES) {
      const calls = pulumiCalls(i);
      for (const up of calls.filter((c) => c.subcommand === "up")) {
        updates++;
        const plan = flagValue(up.command.argv, "--plan");
        const stack = flagValue(up.command.argv, "--stack");
        expect(plan, `${i.label}: up without --plan`).toBeDefined();
        expect(flagValue(up.command.argv, "--policy-pack"), i.label).toBe("policy");
        const previews = calls.filter(
          (c) =>
            c.subcommand === "preview" &&
            c.stepIndex < up.stepIndex &&
            flagValue(c.command.argv, "--save-plan") === plan &&
            flagValue(c.command.argv, "--stack") === stack,
        );
        expect(previews, `${i.label}: no earlier preview saves ${plan} for ${stack}`).toHaveLength(1);
        const preview = previews[0]!;
        expect(preview.command.argv, i.label).toEqual(expect.arrayContaining(["--json", "--show-sames"]));
        // The preview's JSON (its file or its pipe) is what check-preview reads, for the same stack.
        const judged = npmRuns(i).filter(
          (r) =>
            r.script === "check-preview" &&
            r.stepIndex >= preview.stepIndex &&
            r.stepIndex < up.stepIndex &&
            flagValue(r.args, "--stack") === stack &&
            (preview.command.stdout === "|"
              ? preview.command.pipedInto === r.command
              : flagValue(r.args, "--file") === preview.command.stdout),
        );
        expect(judged, `${i.label}: the preview's JSON is not judged by check-preview before up`).not.toHaveLength(0);
        // Nothing lets the update run after a failed judgement.
        const between = steps(i.job).slice(preview.stepIndex, up.stepIndex + 1);
        for (const s of between) expect(s["continue-on-error"], i.label).toBeUndefined();
        expect(up.step.if, i.label).toBeUndefined();
        expect(up.command.argv, i.label).not.toContain("--skip-preview");
      }
    }
    expect(updates).toBeGreaterThan(0);
  });

  it("the pull request judges staging's preview with exactly the step the deploy judges with", () => {
    const judge = (file: string, jobId: string) => {
      const found = steps(workflow(file).jobs[jobId]!).filter((s) => s.name === "Judge the plan");
      expect(found).toHaveLength(1);
      return { run: found[0]!.run, env: found[0]!.env, shell: found[0]!.shell };
    };
    expect(judge("pull-request.yml", "preview")).toEqual(judge("pulumi-up.yml", "up"));
  });

  it("every update of a stack shares one concurrency group per stack, never cancelled", () => {
    const updates = INSTANCES.filter((i) => pulumiCalls(i).some((c) => c.subcommand === "up"));
    const groups = new Map<string, Set<string>>();
    for (const i of updates) {
      const concurrency = i.job.concurrency;
      expect(isDict(concurrency), i.label).toBe(true);
      const c = concurrency as Dict;
      expect(c["cancel-in-progress"], i.label).toBe(false);
      const group = interpolate(String(c.group), staticContext(i.matrix, i.inputs));
      const stack = ENVIRONMENTS.get(i.environment!)!.stack;
      groups.set(stack, (groups.get(stack) ?? new Set()).add(group));
    }
    // deploy.yml and weekly.yml reach the same group for a stack, and two stacks never share one.
    const perStack = [...groups.values()].map((g) => [...g]);
    for (const g of perStack) expect(g).toHaveLength(1);
    expect(new Set(perStack.flat()).size).toBe(groups.size);
  });

  it("prod is deployed only after staging was, itself after the tests", () => {
    const deployments = INSTANCES.filter((i) => i.triggers.includes("push") && i.environment !== undefined);
    const callerJob = (i: Instance) => i.callers[0]?.jobId ?? i.jobId;
    const jobs = workflow("deploy.yml").jobs;
    const prerequisites = (jobId: string): string[] => needsOf(jobs[jobId]!).flatMap((n) => [n, ...prerequisites(n)]);
    const prod = deployments.find((i) => i.environment === "prod")!;
    const staging = deployments.find((i) => i.environment === "staging")!;
    expect(prerequisites(callerJob(prod))).toContain(callerJob(staging));
    const tests = Object.entries(jobs).filter(([, j]) => steps(j).some((s) => s.run === "npm test"));
    expect(tests.length).toBeGreaterThan(0);
    for (const [id] of tests) expect(prerequisites(callerJob(staging))).toContain(id);
  });
});

describe("commands the workflows run", () => {
  const SPECS: Record<string, CommandSpec> = {
    plan: PLAN,
    "check-preview": CHECK_PREVIEW,
    "check-expiry": CHECK_EXPIRY,
    preflight: PREFLIGHT,
  };

  it("every npm script they run is in package.json, and every flag they pass is one the command takes", () => {
    const pkg = JSON.parse(fs.readFileSync(path.join(ROOT, "package.json"), "utf8")) as { scripts: Dict };
    let flags = 0;
    for (const i of INSTANCES) {
      for (const r of npmRuns(i)) {
        expect(Object.keys(pkg.scripts), i.label).toContain(r.script);
        const spec = SPECS[r.script];
        if (!spec) continue;
        for (const arg of r.args.filter((a) => a.startsWith("--"))) {
          expect(Object.keys(spec.flags), `${i.label}: npm run ${r.script} ${arg}`).toContain(
            arg.slice(2).split("=")[0],
          );
          flags++;
        }
      }
    }
    expect(flags).toBeGreaterThan(0);
  });

  it("the pull request's tests run on the oldest Node.js package.json claims to support", () => {
    const pkg = JSON.parse(fs.readFileSync(path.join(ROOT, "package.json"), "utf8")) as { engines: { node: string } };
    const oldest = Number(/(\d+)/.exec(pkg.engines.node)![1]);
    const nodes = INSTANCES.filter((i) => isPullRequestRun(i) && steps(i.job).some((s) => s.run === "npm test")).map(
      (i) =>
        Number(
          i.matrix.node ?? steps(i.job).find((s) => s.uses?.startsWith("actions/setup-node@"))?.with?.["node-version"],
        ),
    );
    expect(nodes).toContain(oldest);
  });

  it("the weekly expiry check runs later the same day than the rotation, so staging's fresh keys are deployed", () => {
    const crons = ((workflow("weekly.yml").on as Dict).schedule as { cron: string }[]).map((s) => s.cron.split(/\s+/));
    expect(crons).toHaveLength(2);
    const [rotateAt, checkAt] = crons as [string[], string[]];
    const rotate = INSTANCES.find((i) => i.file === "pulumi-up.yml" && i.callers[0]?.file === "weekly.yml")!;
    const expiry = INSTANCES.find((i) => i.file === "weekly.yml" && i.jobId === "expiry")!;
    // Each job runs on one of the two schedules: the rotation's `if` excludes the check's cron, and vice versa.
    const runsOn = (jobIf: string | undefined, cron: string[]) =>
      condition(jobIf, {
        roots: { github: { ref: "refs/heads/main", event: { schedule: cron.join(" ") } } },
        status: { failed: false },
      });
    const rotateIf = workflow("weekly.yml").jobs[rotate.callers[0]!.jobId]!.if;
    expect([runsOn(rotateIf, rotateAt), runsOn(rotateIf, checkAt)]).toEqual([true, false]);
    expect([runsOn(expiry.job.if, rotateAt), runsOn(expiry.job.if, checkAt)]).toEqual([false, true]);
    expect(checkAt[4]).toBe(rotateAt[4]);
    expect(Number(checkAt[1])).toBeGreaterThan(Number(rotateAt[1]));
  });
});

// ---------------------------------------------------------------------------------------------------------------
// Running a job's steps in bash, as the runner does: `bash -e` for a `run` without shell, `bash --noprofile --norc
// -eo pipefail` for `shell: bash`; `if` with success() implied; step outputs; the job summary. `pulumi` and `npm`
// are stand-ins that record each call; jq and date are the machine's.

interface Scenario {
  preview: { exit: number; stdout: string; events: unknown[]; plan: string };
  up: { exit: number };
  outputs: { exit: number; stdout: string };
  /** Exit code of each `npm run` script (0 when absent). */
  npm: Record<string, number>;
}

interface Call {
  tool: "pulumi" | "npm";
  argv: string[];
  env: Record<string, string | undefined>;
  /** pulumi up: the content of the --plan file when it ran; npm: the --file's content, or standard input. */
  input?: string | null;
  policyPack?: boolean;
}

interface StepRun {
  name: string;
  outcome: "success" | "failure" | "skipped";
  output: string;
}

interface JobRun {
  ran: boolean;
  succeeded: boolean;
  steps: StepRun[];
  calls: Call[];
  summary: string;
  outputs: Record<string, Record<string, string>>;
}

const RECORDED_ENV = [
  "STACK",
  "PULUMI_CONFIG_PASSPHRASE",
  "SCW_ACCESS_KEY",
  "SCW_SECRET_KEY",
  "AWS_ACCESS_KEY_ID",
  "AWS_SECRET_ACCESS_KEY",
  "PULUMI_BACKEND_URL",
  "PULUMI_EXPERIMENTAL",
];

const PULUMI_STANDIN = `
const fs = require("fs"), path = require("path");
const scenario = JSON.parse(fs.readFileSync(process.env.STANDIN_SCENARIO, "utf8"));
const argv = process.argv.slice(2);
const flag = (n) => { const i = argv.indexOf(n); return i < 0 ? undefined : argv[i + 1]; };
const env = Object.fromEntries(${JSON.stringify(RECORDED_ENV)}.map((k) => [k, process.env[k]]));
const call = { tool: "pulumi", argv, env };
let code = 99;
if (argv[0] === "preview") {
  const s = scenario.preview;
  if (flag("--event-log")) fs.writeFileSync(flag("--event-log"), s.events.map((e) => JSON.stringify(e) + "\\n").join(""));
  // As the CLI: the plan is written only by a preview that succeeded (pkg/cmd/pulumi/operations/preview.go).
  if (s.exit === 0 && flag("--save-plan")) fs.writeFileSync(flag("--save-plan"), s.plan);
  call.policyPack = flag("--policy-pack") !== undefined && fs.existsSync(path.join(flag("--policy-pack"), "PulumiPolicy.yaml"));
  process.stdout.write(s.stdout);
  code = s.exit;
} else if (argv[0] === "up") {
  const plan = flag("--plan");
  call.input = plan !== undefined && fs.existsSync(plan) ? fs.readFileSync(plan, "utf8") : null;
  code = scenario.up.exit;
} else if (argv[0] === "stack" && argv[1] === "output") {
  process.stdout.write(scenario.outputs.stdout);
  code = scenario.outputs.exit;
}
fs.appendFileSync(process.env.STANDIN_CALLS, JSON.stringify(call) + "\\n");
process.exit(code);
`;

const NPM_STANDIN = `
const fs = require("fs");
const scenario = JSON.parse(fs.readFileSync(process.env.STANDIN_SCENARIO, "utf8"));
const argv = process.argv.slice(2);
const env = Object.fromEntries(${JSON.stringify(RECORDED_ENV)}.map((k) => [k, process.env[k]]));
const call = { tool: "npm", argv, env };
const words = argv.filter((w) => w !== "--silent");
let code = 0;
if (words[0] === "run") {
  const script = words[1];
  const args = words.slice(words.indexOf("--") + 1);
  const file = args.indexOf("--file") >= 0 ? args[args.indexOf("--file") + 1] : undefined;
  call.input = file !== undefined ? fs.readFileSync(file, "utf8") : fs.readFileSync(0, "utf8");
  code = scenario.npm[script] ?? 0;
  process.stdout.write(script + " " + args.join(" ") + ": " + (code === 0 ? "ok" : "finding") + "\\n");
}
fs.appendFileSync(process.env.STANDIN_CALLS, JSON.stringify(call) + "\\n");
process.exit(code);
`;

function standins(dir: string): string {
  const bin = path.join(dir, "bin");
  fs.mkdirSync(bin);
  for (const [name, source] of [
    ["pulumi", PULUMI_STANDIN],
    ["npm", NPM_STANDIN],
  ] as const) {
    fs.writeFileSync(path.join(dir, `${name}.js`), source);
    const wrapper = path.join(bin, name);
    fs.writeFileSync(wrapper, `#!/bin/sh\nexec "${process.execPath}" "${path.join(dir, `${name}.js`)}" "$@"\n`);
    fs.chmodSync(wrapper, 0o755);
  }
  return bin;
}

/** A marker standing for a secret's value: which environment it came from, which name. */
const secretValue = (environment: string, name: string) => `secret:${environment}:${name}`;

function runJob(
  file: string,
  jobId: string,
  options: { inputs?: Dict; matrix?: Dict; github: Dict; scenario: Partial<Scenario> },
): JobRun {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), "workflow-run-"));
  const bin = standins(dir);
  const workspace = path.join(dir, "workspace");
  const runnerTemp = path.join(dir, "runner-temp");
  fs.mkdirSync(workspace);
  fs.mkdirSync(runnerTemp);
  // The checkout: the stand-in checks the policy pack's folder relative to the working directory.
  fs.symlinkSync(path.join(ROOT, "policy"), path.join(workspace, "policy"));
  const scenario: Scenario = {
    preview: { exit: 0, stdout: "{}", events: [], plan: "{}" },
    up: { exit: 0 },
    outputs: { exit: 0, stdout: "{}" },
    npm: {},
    ...options.scenario,
  };
  const scenarioFile = path.join(dir, "scenario.json");
  const callsFile = path.join(dir, "calls.jsonl");
  const summaryFile = path.join(dir, "summary.md");
  fs.writeFileSync(scenarioFile, JSON.stringify(scenario));
  fs.writeFileSync(callsFile, "");
  fs.writeFileSync(summaryFile, "");

  const wf = workflow(file);
  const job = wf.jobs[jobId]!;
  const matrix = options.matrix ?? {};
  const declared = triggersOf(wf).includes("workflow_call") ? calleeInputs(wf) : {};
  const inputs = {
    ...Object.fromEntries(Object.entries(declared).map(([k, spec]) => [k, spec.default ?? null])),
    ...options.inputs,
  };
  const environment = environmentOf(job, staticContext(matrix, inputs));
  const held = environment === undefined ? [] : (ENVIRONMENTS.get(environment)?.secrets ?? []);
  // As GitHub: a secret the environment does not hold reads as empty.
  const secrets = (name: string) =>
    environment !== undefined && held.includes(name) ? secretValue(environment, name) : null;
  const vars = (name: string) => `var:${name}`;
  const stepsCtx: Record<string, { outcome: string; conclusion: string; outputs: Record<string, string> }> = {};
  const status = { failed: false };
  const jobEnv: Record<string, string> = {};
  const roots = () => ({
    github: options.github,
    inputs,
    matrix,
    secrets,
    vars,
    steps: stepsCtx,
    runner: { temp: runnerTemp, os: "Linux" },
    env: jobEnv,
  });
  const ctx = (): Contexts => ({ roots: roots(), status });

  const result: JobRun = { ran: false, succeeded: false, steps: [], calls: [], summary: "", outputs: {} };
  if (job.if !== undefined && !condition(job.if, ctx())) return result;
  result.ran = true;
  for (const [k, v] of Object.entries(job.env ?? {})) jobEnv[k] = asText(resolveValue(v, ctx()));

  for (const [index, step] of steps(job).entries()) {
    const name = step.name ?? step.run ?? step.uses ?? `step ${index}`;
    if (!condition(step.if, ctx())) {
      result.steps.push({ name, outcome: "skipped", output: "" });
      if (step.id) stepsCtx[step.id] = { outcome: "skipped", conclusion: "skipped", outputs: {} };
      continue;
    }
    let outcome: "success" | "failure" = "success";
    let output = "";
    const outputs: Record<string, string> = {};
    if (step.uses !== undefined) {
      // The checkout and Node are this machine's; the CLI's installation is the stand-in on PATH.
      if (!/^(actions\/checkout|actions\/setup-node|pulumi\/actions)@/.test(step.uses)) {
        throw new Error(`${file}:${jobId}: action ${step.uses} is not modelled`);
      }
    } else if (step.run !== undefined) {
      const outputFile = path.join(dir, `output-${index}`);
      const envFile = path.join(dir, `env-${index}`);
      fs.writeFileSync(outputFile, "");
      fs.writeFileSync(envFile, "");
      const stepEnv = Object.fromEntries(
        Object.entries(step.env ?? {}).map(([k, v]) => [k, asText(resolveValue(v, ctx()))]),
      );
      const script = path.join(dir, `step-${index}.sh`);
      fs.writeFileSync(script, interpolate(step.run, ctx()));
      const args =
        step.shell === "bash"
          ? ["--noprofile", "--norc", "-eo", "pipefail", script]
          : step.shell === undefined
            ? ["-e", script]
            : undefined;
      if (!args) throw new Error(`${file}:${jobId}: shell ${step.shell} is not modelled`);
      const run = spawnSync("bash", args, {
        cwd: workspace,
        encoding: "utf8",
        stdio: ["ignore", "pipe", "pipe"],
        env: {
          PATH: `${bin}${path.delimiter}${process.env.PATH ?? ""}`,
          HOME: dir,
          RUNNER_TEMP: runnerTemp,
          GITHUB_OUTPUT: outputFile,
          GITHUB_ENV: envFile,
          GITHUB_STEP_SUMMARY: summaryFile,
          STANDIN_SCENARIO: scenarioFile,
          STANDIN_CALLS: callsFile,
          ...jobEnv,
          ...stepEnv,
        },
      });
      outcome = run.status === 0 ? "success" : "failure";
      output = `${run.stdout}${run.stderr}`;
      for (const line of fs.readFileSync(outputFile, "utf8").split("\n")) {
        const at = line.indexOf("=");
        if (at > 0) outputs[line.slice(0, at)] = line.slice(at + 1);
      }
      for (const line of fs.readFileSync(envFile, "utf8").split("\n")) {
        const at = line.indexOf("=");
        if (at > 0) jobEnv[line.slice(0, at)] = line.slice(at + 1);
      }
    } else {
      throw new Error(`${file}:${jobId}: step ${index} neither runs nor uses anything`);
    }
    const conclusion = outcome === "failure" && truthy(step["continue-on-error"]) ? "success" : outcome;
    if (conclusion === "failure") status.failed = true;
    if (step.id) stepsCtx[step.id] = { outcome, conclusion, outputs };
    result.outputs[step.id ?? name] = outputs;
    result.steps.push({ name, outcome, output });
  }
  result.succeeded = !status.failed;
  result.calls = fs
    .readFileSync(callsFile, "utf8")
    .split("\n")
    .filter((l) => l !== "")
    .map((l) => JSON.parse(l) as Call);
  result.summary = fs.readFileSync(summaryFile, "utf8");
  return result;
}

const MAIN = { ref: "refs/heads/main", event_name: "push", repository: "org/repo", event: {} };
const PULL_REQUEST = {
  ref: "refs/pull/7/merge",
  event_name: "pull_request",
  repository: "org/repo",
  event: { pull_request: { number: 7, head: { repo: { full_name: "org/repo" } } } },
};

const pulumiCallsOf = (run: JobRun, sub: string) => run.calls.filter((c) => c.tool === "pulumi" && c.argv[0] === sub);
const npmScriptCalls = (run: JobRun, script: string) =>
  run.calls.filter((c) => c.tool === "npm" && c.argv[0] === "run" && c.argv.includes(script));
const argAfter = (argv: readonly string[], name: string) => flagValue(argv, name);
/** A step's lines the runner would take as workflow commands. */
const commandLines = (output: string) => output.split("\n").filter((l) => l.startsWith("::"));

const PREVIEW_FIXTURE = fs.readFileSync(path.join(ROOT, "test", "fixtures", "preview", "rotation.json"), "utf8");
const PLAN_TOKEN = JSON.stringify({ manifest: { magic: `plan-${process.pid}-${Date.now()}` } });
/** What the program or the engine might print: a line break into a workflow command, bidi and zero-width marks. */
const HOSTILE = "every API key needs an expiresAt\n::error::forged\u202e\u200b ::add-mask::x";

function policyViolation(stack: string): unknown {
  return {
    sequence: 3,
    timestamp: 0,
    policyEvent: {
      resourceUrn: `urn:pulumi:${stack}::plakar-scaleway-iam::scaleway:iam/apiKey:ApiKey::buckets-key-2026-01-05`,
      message: HOSTILE,
      color: "never",
      policyName: "iam-api-key-expires",
      policyPackName: "plakar-scaleway-iam",
      policyPackVersion: "0.1.0",
      enforcementLevel: "mandatory",
    },
  };
}

describe("the update job, run (pulumi-up.yml, prod)", () => {
  const upProd = (scenario: Partial<Scenario>, checkExpiry = false) =>
    runJob("pulumi-up.yml", "up", { inputs: { stack: "prod", "check-expiry": checkExpiry }, github: MAIN, scenario });

  it("applies exactly the plan the preview saved, after check-preview judged that preview's JSON at the job's clock", () => {
    const run = upProd({ preview: { exit: 0, stdout: PREVIEW_FIXTURE, events: [], plan: PLAN_TOKEN } });
    expect(run.succeeded).toBe(true);
    const order = run.calls
      .filter((c) => c.tool === "pulumi" || c.argv[0] === "run")
      .map((c) =>
        c.tool === "pulumi" ? `pulumi ${c.argv[0]}` : c.argv.find((a) => !a.startsWith("-") && a !== "run"),
      );
    expect(order).toEqual(["preflight", "pulumi preview", "check-preview", "pulumi up"]);

    const [preview] = pulumiCallsOf(run, "preview");
    expect(preview!.policyPack).toBe(true);
    expect(argAfter(preview!.argv, "--stack")).toBe("prod");
    const [check] = npmScriptCalls(run, "check-preview");
    expect(check!.input).toBe(PREVIEW_FIXTURE);
    expect(argAfter(check!.argv, "--stack")).toBe("prod");
    expect(argAfter(check!.argv, "--now")).toBe(run.outputs.clock?.now);
    expect(argAfter(check!.argv, "--now")).toMatch(/^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}Z$/);
    const [up] = pulumiCallsOf(run, "up");
    expect(up!.input).toBe(PLAN_TOKEN);
    expect(argAfter(up!.argv, "--stack")).toBe("prod");
    expect(argAfter(up!.argv, "--policy-pack")).toBe("policy");

    // With prod's own secrets, and no experimental mode.
    for (const c of run.calls.filter((x) => x.tool === "pulumi")) {
      expect(c.env.PULUMI_CONFIG_PASSPHRASE).toBe(secretValue("prod", "PULUMI_CONFIG_PASSPHRASE"));
      expect(c.env.AWS_ACCESS_KEY_ID).toBe(secretValue("prod", "SCW_ACCESS_KEY"));
      expect(c.env.PULUMI_EXPERIMENTAL).toBeUndefined();
    }
    expect(run.summary).toContain("Plan of stack `prod`");
    expect(run.summary).toContain("check-preview --stack prod");
  });

  it("a mandatory policy violation fails the job, applies nothing, and is printed inert", () => {
    const digest = JSON.stringify({ steps: [], diagnostics: [{ severity: "error", message: `Error: ${HOSTILE}` }] });
    const run = upProd({ preview: { exit: 1, stdout: digest, events: [policyViolation("prod")], plan: PLAN_TOKEN } });
    expect(run.succeeded).toBe(false);
    expect(pulumiCallsOf(run, "up")).toEqual([]);
    expect(npmScriptCalls(run, "check-preview")).toEqual([]);
    const judge = run.steps.find((s) => s.name === "Judge the plan")!;
    expect(judge.outcome).toBe("failure");
    expect(judge.output).toContain(
      "policy violation (mandatory): plakar-scaleway-iam/iam-api-key-expires on urn:pulumi:prod::plakar-scaleway-iam::scaleway:iam/apiKey:ApiKey::buckets-key-2026-01-05: every API key needs an expiresAt ::error::forged  ::add-mask::x",
    );
    expect(judge.output).toContain("preview error: Error: every API key needs an expiresAt");
    // The only workflow command is the step's own annotation; nothing outside printable ASCII reaches the log.
    expect(commandLines(judge.output)).toEqual([
      "::error title=pulumi preview of prod failed::exit 1: a mandatory policy violation or an error (listed in this step's log); no plan was saved and nothing is applied",
    ]);
    expect(judge.output).not.toMatch(/[^\n -~]/);
    expect(run.steps.find((s) => s.name === "Apply the judged plan")!.outcome).toBe("skipped");
  });

  it("a check-preview finding applies nothing", () => {
    const run = upProd({
      preview: { exit: 0, stdout: PREVIEW_FIXTURE, events: [], plan: PLAN_TOKEN },
      npm: { "check-preview": 1 },
    });
    expect(run.succeeded).toBe(false);
    expect(npmScriptCalls(run, "check-preview")).toHaveLength(1);
    expect(pulumiCallsOf(run, "up")).toEqual([]);
  });

  it("a failing preflight stops the job before the preview", () => {
    const run = upProd({ npm: { preflight: 1 } });
    expect(run.succeeded).toBe(false);
    expect(run.calls.filter((c) => c.tool === "pulumi")).toEqual([]);
  });

  it("after a failed update, still checks expiry, and reports keys that need attention", () => {
    const run = upProd(
      {
        preview: { exit: 0, stdout: PREVIEW_FIXTURE, events: [], plan: PLAN_TOKEN },
        up: { exit: 1 },
        npm: { "check-expiry": 1 },
      },
      true,
    );
    expect(run.succeeded).toBe(false);
    const [expiry] = npmScriptCalls(run, "check-expiry");
    expect(expiry).toBeDefined();
    expect(argAfter(expiry!.argv, "--stack")).toBe("prod");
    expect(argAfter(expiry!.argv, "--now")).toBe(run.outputs.clock?.now);
    expect(run.summary).toContain("API keys of stack `prod` need attention");
  });

  it("a failing `pulumi stack output` fails the expiry check even when check-expiry passes (pipefail)", () => {
    const run = upProd(
      { preview: { exit: 0, stdout: PREVIEW_FIXTURE, events: [], plan: PLAN_TOKEN }, outputs: { exit: 1, stdout: "" } },
      true,
    );
    expect(npmScriptCalls(run, "check-expiry")).toHaveLength(1);
    expect(run.steps.find((s) => s.name === "check-expiry")!.outcome).toBe("failure");
    expect(run.succeeded).toBe(false);
  });

  it("without the input, checks no expiry", () => {
    const run = upProd({ preview: { exit: 0, stdout: PREVIEW_FIXTURE, events: [], plan: PLAN_TOKEN } });
    expect(npmScriptCalls(run, "check-expiry")).toEqual([]);
    expect(pulumiCallsOf(run, "stack")).toEqual([]);
  });
});

describe("the pull request's jobs, run", () => {
  it("tests, then puts every stack's offline access report in the job summary, with no secret at all", () => {
    const run = runJob("pull-request.yml", "test", { github: PULL_REQUEST, scenario: {} });
    expect(run.succeeded).toBe(true);
    expect(run.calls.map((c) => c.argv.slice(0, 1).join(" "))).toEqual(["ci", "test", ...STACKS.map(() => "run")]);
    for (const stack of STACKS) {
      expect(run.summary).toContain(`plan --stack ${stack} --format markdown: ok`);
    }
    for (const c of run.calls) expect(Object.values(c.env).filter((v) => v?.startsWith("secret:"))).toEqual([]);
  });

  it("judges staging's preview with staging-read's secrets only, and never applies it", () => {
    const run = runJob("pull-request.yml", "preview", {
      github: PULL_REQUEST,
      scenario: { preview: { exit: 0, stdout: PREVIEW_FIXTURE, events: [], plan: PLAN_TOKEN } },
    });
    expect(run.succeeded).toBe(true);
    expect(pulumiCallsOf(run, "up")).toEqual([]);
    const [preview] = pulumiCallsOf(run, "preview");
    expect(argAfter(preview!.argv, "--stack")).toBe("staging");
    expect(preview!.policyPack).toBe(true);
    const [check] = npmScriptCalls(run, "check-preview");
    expect(check!.input).toBe(PREVIEW_FIXTURE);
    const [preflight] = npmScriptCalls(run, "preflight");
    expect(argAfter(preflight!.argv, "--deployer")).toBe("var:SCW_DEPLOY_APPLICATION_ID");
    const seen = run.calls.flatMap((c) => Object.values(c.env).filter((v): v is string => !!v?.startsWith("secret:")));
    expect(seen.length).toBeGreaterThan(0);
    for (const value of seen) expect(value).toMatch(/^secret:staging-read:/);
  });

  it("fails on a policy violation in staging's preview", () => {
    const run = runJob("pull-request.yml", "preview", {
      github: PULL_REQUEST,
      scenario: { preview: { exit: 1, stdout: "{}", events: [policyViolation("staging")], plan: PLAN_TOKEN } },
    });
    expect(run.succeeded).toBe(false);
    expect(run.steps.find((s) => s.name === "Judge the plan")!.output).toContain(
      "policy violation (mandatory): plakar-scaleway-iam/iam-api-key-expires",
    );
  });

  it("skips the preview of a pull request from a fork (it gets no secrets)", () => {
    const fork = {
      ...PULL_REQUEST,
      event: { pull_request: { number: 7, head: { repo: { full_name: "someone/fork" } } } },
    };
    const run = runJob("pull-request.yml", "preview", { github: fork, scenario: {} });
    expect(run.ran).toBe(false);
    expect(run.calls).toEqual([]);
  });
});

describe("the weekly expiry check, run", () => {
  it("reads prod's outputs with prod-read's key and no passphrase, and fails when they cannot be read", () => {
    const ok = runJob("weekly.yml", "expiry", {
      matrix: { stack: "prod" },
      github: { ...MAIN, event_name: "schedule", event: { schedule: "17 8 * * 1" } },
      scenario: { outputs: { exit: 0, stdout: '{"credentials":{}}' } },
    });
    expect(ok.succeeded).toBe(true);
    const [outputs] = pulumiCallsOf(ok, "stack");
    expect(outputs!.argv).toEqual(["stack", "output", "--json", "--stack", "prod"]);
    expect(outputs!.env.AWS_ACCESS_KEY_ID).toBe(secretValue("prod-read", "SCW_ACCESS_KEY"));
    expect(outputs!.env.PULUMI_CONFIG_PASSPHRASE).toBeUndefined();
    const [check] = npmScriptCalls(ok, "check-expiry");
    expect(check!.input).toBe('{"credentials":{}}');
    expect(argAfter(check!.argv, "--stack")).toBe("prod");

    const broken = runJob("weekly.yml", "expiry", {
      matrix: { stack: "prod" },
      github: { ...MAIN, event_name: "schedule", event: { schedule: "17 8 * * 1" } },
      scenario: { outputs: { exit: 255, stdout: "" } },
    });
    expect(broken.succeeded).toBe(false);
  });
});
