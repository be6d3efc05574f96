/**
 * Flags npm keeps for itself. `npm run --silent plan --stack prod` gives plan the bare argument `prod` and sets
 * npm_config_stack=true: every command must say which flags npm kept, with their values, and print the command line
 * to run instead (`npm run --silent plan -- --stack prod`), without ever mistaking npm's own settings or the user's
 * npmrc for a flag. The rules are in tools/cli.ts (`npmKeptFlags`); what npm does is modelled here from an experiment
 * with npm 11 and the model is checked against the real npm on this machine, once per case.
 */
import { execFileSync, spawnSync } from "child_process";
import * as fs from "fs";
import * as path from "path";
import fc from "fast-check";
import { afterEach, beforeAll, describe, expect, it, vi } from "vitest";
import { ROOT } from "./support/arbitraries";
import { runInProcess, tempDir } from "./support/offline";
import { ConfigError, formatIssue } from "../components/domain/errors";
import { type CommandSpec, type Env, type FlagValues, launchedByNpm, npmrcKeys, parseCommandLine } from "../tools/cli";
import { CHECK_EXPIRY } from "../tools/check-expiry/main";
import { CHECK_PREVIEW } from "../tools/check-preview/main";
import { PLAN } from "../tools/plan/main";
import { PREFLIGHT } from "../tools/preflight/main";
import { SCHEMA } from "../tools/schema/main";

const COMMANDS: readonly CommandSpec[] = [PLAN, CHECK_EXPIRY, CHECK_PREVIEW, PREFLIGHT, SCHEMA];

/** What npm 11 sets when it runs the script `name` with `npm run`. */
function launcher(name: string): Record<string, string> {
  return {
    npm_lifecycle_event: name,
    npm_command: "run",
    npm_config_user_agent: "npm/11.19.1 node/v20.20.2 linux x64 workspaces/false",
  };
}

/**
 * What npm passes a script for the words typed after `npm run --silent <script>` (observed with npm 11.19.1, and
 * checked against the real npm below): a flag before `--` becomes npm_config_<name> (`-` as `_`, lowercase), `true`
 * when written without `=`, its value left as a bare argument; values of a flag given twice are joined by a blank
 * line; `--format` is nopt's abbreviation of npm's `--format-package-lock` (no variable); after `--` all is passed.
 */
function npmModel(words: readonly string[]): { argv: string[]; config: Record<string, string> } {
  const argv: string[] = [];
  // nopt's keys are case-sensitive (`--Stack` and `--stack` are two configs); their variables are not, and the
  // config seen last wins.
  const byKey = new Map<string, string>();
  for (let i = 0; i < words.length; i++) {
    const word = words[i]!;
    if (word === "--") {
      argv.push(...words.slice(i + 1));
      break;
    }
    const m = /^--([^=]+)(?:=(.*))?$/.exec(word);
    if (!m) {
      argv.push(word);
      continue;
    }
    const key = m[1]!;
    if (key === "format") continue;
    const value = m[2] ?? "true";
    const before = byKey.get(key);
    byKey.set(key, before === undefined ? value : `${before}\n\n${value}`);
  }
  const config: Record<string, string> = {};
  for (const [key, value] of byKey) config[key.replace(/-/g, "_").toLowerCase()] = value;
  return { argv, config };
}

function prefixed(config: Record<string, string>): Record<string, string> {
  return Object.fromEntries(Object.entries(config).map(([k, v]) => [`npm_config_${k}`, v]));
}

/** The problems parseCommandLine reports, one line each as `error:` lines show them; [] when it accepts. */
function refusal(argv: readonly string[], cmd: CommandSpec, env: Env): string[] {
  try {
    parseCommandLine(argv, cmd, env);
    return [];
  } catch (err) {
    if (!(err instanceof ConfigError)) throw err;
    return err.issues.map(formatIssue);
  }
}

/** The command line `npm run --silent <cmd.name> <typed...>` under the model of npm, as the command judges it. */
function underNpm(cmd: CommandSpec, typed: readonly string[], extra: Env = {}): string[] {
  const { argv, config } = npmModel(typed);
  return refusal(argv, cmd, { ...launcher(cmd.name), ...prefixed(config), ...extra });
}

const ADVICE =
  /^flags go after `--` \(npm keeps those written before it[^)]*\): (npm run --silent (\S+) --(?: (.*?))?)(, each placeholder replaced by .*)?$/;

/** The command line the last problem says to run, and whether it holds placeholders. */
function advice(lines: readonly string[]): { command: string; args: string; placeholders: boolean } {
  const m = ADVICE.exec(lines[lines.length - 1] ?? "");
  expect(m, lines.join("\n")).not.toBeNull();
  return { command: m![1]!, args: m![3] ?? "", placeholders: m![4] !== undefined };
}

/** The words a POSIX shell reads in `text`: the shell itself is the judge of the quoting. */
function shellWords(text: string): string[] {
  const out = execFileSync("sh", ["-c", `printf '%s\\0' x ${text}`], { encoding: "utf8" });
  return out.split("\0").slice(1, -1);
}

/** What the user meant by the words: read as if npm had passed every one of them on. */
function meant(cmd: CommandSpec, typed: readonly string[]): FlagValues {
  return parseCommandLine(
    typed.filter((w) => w !== "--"),
    cmd,
    {},
  );
}

describe("a flag npm kept: the flag, its value and the command line to run instead", () => {
  it("npm run --silent plan --stack prod", () => {
    expect(underNpm(PLAN, ["--stack", "prod"])).toEqual([
      '--stack: npm kept this flag for itself (npm_config_stack=true) and passed on only its value "prod", as a bare argument',
      "flags go after `--` (npm keeps those written before it): npm run --silent plan -- --stack prod",
    ]);
  });

  it("--stack=prod: npm kept the value too; nothing reached the command, which still refuses to run", () => {
    expect(underNpm(PLAN, ["--stack=prod"])).toEqual([
      '--stack: npm kept this flag and its value "prod" for itself (npm_config_stack)',
      "flags go after `--` (npm keeps those written before it): npm run --silent plan -- --stack prod",
    ]);
  });

  it("--json alone reaches nothing: refused, where plan used to print a table", () => {
    expect(refusal([], PLAN, {})).toEqual([]);
    expect(underNpm(PLAN, ["--json"])).toEqual([
      "--json: npm kept this flag for itself (npm_config_json=true) and did not pass it on",
      "flags go after `--` (npm keeps those written before it): npm run --silent plan -- --json",
    ]);
  });

  it("several flags, paired with their values by the values' forms (a date for --now, a number for --within)", () => {
    const lines = underNpm(CHECK_EXPIRY, ["--within", "7", "--now", "2026-11-26", "--stack", "prod", "--offline"]);
    expect(lines.slice(0, -1).sort()).toEqual(
      [
        '--stack: npm kept this flag for itself (npm_config_stack=true) and passed on only its value "prod", as a bare argument',
        '--within: npm kept this flag for itself (npm_config_within=true) and passed on only its value "7", as a bare argument',
        '--now: npm kept this flag for itself (npm_config_now=true) and passed on only its value "2026-11-26", as a bare argument',
        "--offline: npm kept this flag for itself (npm_config_offline=true) and did not pass it on",
      ].sort(),
    );
    const { command, args, placeholders } = advice(lines);
    expect(placeholders).toBe(false);
    expect(command).toMatch(/^npm run --silent check-expiry -- /);
    expect(parseCommandLine(shellWords(args), CHECK_EXPIRY, {})).toEqual({
      within: "7",
      now: "2026-11-26",
      stack: "prod",
      offline: true,
    });
  });

  it("two values either flag could take: not guessed; placeholders, and every value npm passed on named", () => {
    const lines = underNpm(PLAN, ["--config", "Pulumi.prod.yaml", "--stack", "prod"]);
    expect(lines).toHaveLength(3);
    for (const flag of ["--stack", "--config"]) {
      expect(lines.find((l) => l.startsWith(`${flag}: `))).toBe(
        `${flag}: npm kept this flag for itself (npm_config_${flag.slice(2)}=true); its value is one of the bare arguments "Pulumi.prod.yaml", "prod"`,
      );
    }
    expect(lines.some((l) => /unexpected argument/.test(l))).toBe(false);
    const { command, placeholders } = advice(lines);
    expect(placeholders).toBe(true);
    expect(command).toBe("npm run --silent plan -- --stack NAME --config FILE");
    expect(lines[2]).toMatch(/not which flag each followed/);
  });

  it("--stack= (an empty value): npm exports it empty; the flag needs its value", () => {
    expect(underNpm(PLAN, ["--stack="])).toEqual([
      "--stack: npm kept this flag for itself (npm_config_stack=) and no value reached plan",
      "flags go after `--` (npm keeps those written before it): npm run --silent plan -- --stack NAME, each placeholder replaced by its value",
    ]);
  });

  it("a flag with no value after it: its placeholder", () => {
    const lines = underNpm(PLAN, ["--stack", "--json"]);
    expect(lines).toContain("--stack: npm kept this flag for itself (npm_config_stack=true) and no value reached plan");
    expect(advice(lines)).toEqual({
      command: "npm run --silent plan -- --stack NAME --json",
      args: "--stack NAME --json",
      placeholders: true,
    });
  });

  it("a value a shell would split or expand is quoted in the command line, and reads back as typed", () => {
    for (const file of ["my file.yaml", "it's.yaml", "$HOME.yaml", "*.yaml", "a;b"]) {
      const lines = underNpm(CHECK_PREVIEW, ["--file", file]);
      expect(shellWords(advice(lines).args)).toEqual(["--file", file]);
    }
  });

  it("what was given after `--` stays as written; a value npm could not pair with a flag stays unexpected", () => {
    expect(underNpm(PLAN, ["--json", "--", "--stack", "prod"]).at(-1)).toBe(
      "flags go after `--` (npm keeps those written before it): npm run --silent plan -- --json --stack prod",
    );
    const stray = underNpm(PLAN, ["--json", "extra"]);
    expect(stray[0]).toBe("extra: unexpected argument: every input is given with a flag");
    expect(advice(stray).args).toBe("--json extra");
  });

  it("a flag npm kept that is also given after `--`: the one after `--` counts, the variable is not a flag", () => {
    expect(underNpm(PLAN, ["--json", "--", "--json"])).toEqual([]);
  });

  it("a flag npm kept twice: both values, so the command then says it is given twice", () => {
    const lines = underNpm(PLAN, ["--stack", "prod", "--stack", "staging"]);
    expect(advice(lines).args).toBe("--stack prod --stack staging");
    expect(refusal(shellWords(advice(lines).args), PLAN, {})).toEqual(["--stack: is given twice: give it once"]);
  });

  it("preflight's --update-catalog is exported as npm_config_update_catalog", () => {
    expect(underNpm(PREFLIGHT, ["--update-catalog", "--deployer", "app-1"]).at(-1)).toBe(
      "flags go after `--` (npm keeps those written before it): npm run --silent preflight -- --deployer app-1 --update-catalog",
    );
  });

  it("a bare argument under npm with no flag at all: the advice to write flags after `--`", () => {
    // `--format json`: npm reads --format as its own --format-package-lock and exports nothing.
    expect(underNpm(PLAN, ["--format", "json"])).toEqual([
      "json: unexpected argument: every input is given with a flag",
      "flags go after `--` (npm keeps those written before it and passes on only their values): npm run --silent plan -- --FLAG VALUE ...; npm run --silent plan -- --help lists them",
    ]);
    // With a flag after `--`, the user knows the rule: the bare argument is only unexpected.
    expect(underNpm(PLAN, ["--", "--json", "prod"])).toEqual([
      "prod: unexpected argument: every input is given with a flag",
    ]);
  });

  const VALUES: Record<string, fc.Arbitrary<string>> = {
    stack: fc.constantFrom("prod", "staging", "eu-west.2", "2026"),
    now: fc.constantFrom("2026-11-26", "2026-11-26T09:00:00Z", "2027-01-01T00:00"),
    within: fc.constantFrom("14", "0.5", "0"),
    format: fc.constantFrom("json", "markdown"),
  };
  const FILE = fc.constantFrom("Pulumi.prod.yaml", "out.json", "my file.json", "it's.json", "-", "prod");

  /** A command line a user may type: flags in any order, each value in either form, some flags after `--`. */
  function typedLine(cmd: CommandSpec): fc.Arbitrary<string[]> {
    const names = Object.keys(cmd.flags).filter((n) => n !== "help" && n !== "format");
    const flag = (name: string): fc.Arbitrary<string[]> =>
      cmd.flags[name]!.type === "boolean"
        ? fc.constant([`--${name}`])
        : fc
            .tuple(VALUES[name] ?? FILE, fc.boolean())
            .map(([value, inline]) => (inline ? [`--${name}=${value}`] : [`--${name}`, value]));
    return fc.tuple(fc.shuffledSubarray(names), fc.nat()).chain(([chosen, cut]) =>
      fc.tuple(...chosen.map(flag)).map((words) => {
        const at = chosen.length === 0 ? 0 : cut % (chosen.length + 1);
        const before = words.slice(0, at).flat();
        const after = words.slice(at).flat();
        return after.length === 0 ? before : [...before, "--", ...after];
      }),
    );
  }

  it.each([PLAN, CHECK_EXPIRY, CHECK_PREVIEW, PREFLIGHT])(
    "$name: any command line, once npm has taken its flags, is either run as meant or refused with the command line that means it",
    (cmd) => {
      fc.assert(
        fc.property(typedLine(cmd), (typed) => {
          const lines = underNpm(cmd, typed);
          const end = typed.indexOf("--");
          const beforeDashes = end === -1 ? typed : typed.slice(0, end);
          if (beforeDashes.length === 0) {
            expect(lines).toEqual([]);
            return;
          }
          const { command, args, placeholders } = advice(lines);
          expect(command.startsWith(`npm run --silent ${cmd.name} -- `)).toBe(true);
          // Placeholders only when two or more flags lost their values to bare arguments.
          const spaced = beforeDashes.filter(
            (w, i) =>
              w.startsWith("--") &&
              !w.includes("=") &&
              i + 1 < beforeDashes.length &&
              !beforeDashes[i + 1]!.startsWith("--"),
          );
          if (placeholders) expect(spaced.length).toBeGreaterThanOrEqual(2);
          else expect(parseCommandLine(shellWords(args), cmd, {})).toEqual(meant(cmd, typed));
        }),
        { numRuns: 60 },
      );
    },
  );
});

describe("never a flag npm kept: npm's own settings, the user's npmrc, other launchers", () => {
  let dir: string;
  beforeAll(() => {
    dir = tempDir();
  });

  it.each([
    ["no launcher (node scripts/run.js)", {}],
    ["npm test running a test that calls the command", { ...launcher("test") }],
    ["another script of the package", { ...launcher("plan:prod") }],
    ["pnpm, which passes flags on", { ...launcher("plan"), npm_config_user_agent: "pnpm/9.0.0 npm/? node/v20" }],
    ["yarn", { ...launcher("plan"), npm_config_user_agent: "yarn/1.22.22 npm/? node/v20" }],
    ["npm without npm_command", { npm_lifecycle_event: "plan", npm_config_user_agent: "npm/11.19.1" }],
  ])("%s: the variables are not read", (_, env: Env) => {
    expect(launchedByNpm(env, PLAN)).toBe(false);
    expect(refusal([], PLAN, { ...env, npm_config_json: "true", npm_config_stack: "prod" })).toEqual([]);
    expect(refusal(["prod"], PLAN, { ...env, npm_config_stack: "true" })).toEqual([
      "prod: unexpected argument: every input is given with a flag",
    ]);
  });

  it("the configs npm always exports are no flag of any command", () => {
    const always = {
      npm_config_cache: "/root/.npm",
      npm_config_userconfig: path.join(dir, "absent.npmrc"),
      npm_config_globalconfig: path.join(dir, "absent-global.npmrc"),
      npm_config_prefix: "/usr",
      npm_config_local_prefix: dir,
      npm_config_global_prefix: "/usr",
      npm_config_node_gyp: "/usr/lib/node_modules/npm/node_modules/node-gyp/bin/node-gyp.js",
      npm_config_npm_version: "11.19.1",
      npm_config_loglevel: "silent",
      npm_config_yes: "",
      npm_config_audit: "",
      npm_config_fund: "",
      npm_config_noproxy: "",
    };
    for (const cmd of COMMANDS) expect(refusal([], cmd, { ...launcher(cmd.name), ...always })).toEqual([]);
  });

  it("a boolean npm set back to its default (empty or false) is no flag", () => {
    expect(refusal([], PLAN, { ...launcher("plan"), npm_config_json: "" })).toEqual([]);
    expect(refusal([], PREFLIGHT, { ...launcher("preflight"), npm_config_update_catalog: "false" })).toEqual([]);
  });

  it.each([
    ["the user's", "npm_config_userconfig", "user.npmrc"],
    ["the global", "npm_config_globalconfig", "global.npmrc"],
    ["the project's", "npm_config_local_prefix", ".npmrc"],
    ["npm's builtin", "npm_execpath", "npmrc"],
  ])("a flag set in %s npmrc is the user's config, not a flag npm kept", (_, variable, file) => {
    const home = fs.mkdtempSync(path.join(dir, "rc-"));
    fs.mkdirSync(path.join(home, "bin"));
    fs.writeFileSync(path.join(home, file), '; settings\noffline = true\njson\n"stack"=prod\n');
    const where =
      variable === "npm_config_local_prefix"
        ? home
        : variable === "npm_execpath"
          ? path.join(home, "bin", "npm-cli.js")
          : path.join(home, file);
    const env = { ...launcher("check-expiry"), [variable]: where };
    expect([...npmrcKeys(env)].sort()).toEqual(["json", "offline", "stack"]);
    const config = { npm_config_offline: "true", npm_config_json: "true", npm_config_stack: "prod" };
    expect(refusal([], CHECK_EXPIRY, { ...env, ...config })).toEqual([]);
    // Without the npmrc, the same variables are flags npm kept.
    expect(refusal([], CHECK_EXPIRY, { ...launcher("check-expiry"), ...config })).toHaveLength(4);
  });

  it("commented keys and keys of a [section] are not top-level settings; unreadable npmrc files are skipped", () => {
    const rc = path.join(dir, "sections.npmrc");
    fs.writeFileSync(rc, "# json=true\n;offline=true\nregistry=https://example.invalid/\n[stack]\njson=true\n");
    expect([...npmrcKeys({ npm_config_userconfig: rc })]).toEqual(["registry"]);
    for (const bad of [dir, "/dev/zero", path.join(dir, "absent"), "relative.npmrc"]) {
      expect(npmrcKeys({ npm_config_userconfig: bad }).size).toBe(0);
    }
    const env = { ...launcher("plan"), npm_config_userconfig: rc, npm_config_json: "true" };
    expect(refusal([], PLAN, env)[0]).toMatch(/^--json: npm kept this flag/);
  });

  it("--help is npm's: its variable is never read as the command's flag", () => {
    expect(refusal([], PLAN, { ...launcher("plan"), npm_config_help: "true" })).toEqual([]);
  });
});

describe("through a command's main, in this process", () => {
  afterEach(() => {
    vi.unstubAllEnvs();
  });

  it("plan: exit 2, the heading and one `error:` line per problem, nothing on stdout", async () => {
    // Nothing of an outer npm's (npm test): neither its variables nor the npmrc files they name.
    for (const k of Object.keys(process.env)) if (/^npm_/i.test(k)) vi.stubEnv(k, undefined);
    for (const [k, v] of Object.entries({ ...launcher("plan"), npm_config_stack: "true" })) vi.stubEnv(k, v);
    const r = await runInProcess("plan", ["prod"]);
    expect(r.code).toBe(2);
    expect(r.stdout).toBe("");
    expect(r.stderr).toBe(
      [
        "bad command line (npm run --silent plan -- --help for usage):",
        'error: --stack: npm kept this flag for itself (npm_config_stack=true) and passed on only its value "prod", as a bare argument',
        "error: flags go after `--` (npm keeps those written before it): npm run --silent plan -- --stack prod",
        "",
      ].join("\n"),
    );
  });
  it("preflight reads the flags npm kept from the environment it is given, not the process's", async () => {
    const { main } = await import("../tools/preflight/main");
    let stderr = "";
    const io = { stdout: () => undefined, stderr: (t: string) => void (stderr += t), root: process.cwd() };
    const env = { ...launcher("preflight"), npm_config_update_catalog: "true" };
    expect(await main([], env, io)).toBe(2);
    expect(stderr).toContain("error: --update-catalog: npm kept this flag for itself (npm_config_update_catalog=true)");
  });
});

describe("the real npm", () => {
  let dir: string;
  let dumpDir: string;
  let runDir: string;
  let env: NodeJS.ProcessEnv;

  beforeAll(() => {
    dir = tempDir();
    // npm reads only empty npmrc files here, whatever the machine's; the outer npm's variables (npm test) are gone.
    env = Object.fromEntries(
      Object.entries(process.env).filter(([k]) => !/^npm_/i.test(k) && k !== "INIT_CWD"),
    ) as NodeJS.ProcessEnv;
    for (const [key, file] of [
      ["npm_config_userconfig", "user.npmrc"],
      ["npm_config_globalconfig", "global.npmrc"],
    ]) {
      fs.writeFileSync(path.join(dir, file!), "");
      env[key!] = path.join(dir, file!);
    }
    env.npm_config_update_notifier = "false";
    // A package whose scripts print what they were given, named as the commands; and one that runs the commands.
    dumpDir = path.join(dir, "dump");
    runDir = path.join(dir, "run");
    fs.mkdirSync(dumpDir);
    fs.mkdirSync(runDir);
    fs.writeFileSync(
      path.join(dumpDir, "dump.js"),
      "process.stdout.write(JSON.stringify({ argv: process.argv.slice(2), env: process.env }));\n",
    );
    const pkg = (scripts: Record<string, string>) => JSON.stringify({ name: "npm-flags", private: true, scripts });
    const names = COMMANDS.map((c) => c.name);
    fs.writeFileSync(
      path.join(dumpDir, "package.json"),
      pkg(Object.fromEntries(names.map((n) => [n, "node dump.js"]))),
    );
    const run = path.join(ROOT, "scripts", "run.js");
    fs.writeFileSync(
      path.join(runDir, "package.json"),
      pkg(Object.fromEntries(names.map((n) => [n, `node ${JSON.stringify(run)} ${n}`]))),
    );
  });

  function npm(cwd: string, args: readonly string[]) {
    const r = spawnSync("npm", ["run", "--silent", ...args], { cwd, env, encoding: "utf8", timeout: 60_000 });
    return { code: r.status, stdout: r.stdout, stderr: r.stderr };
  }

  function dump(name: string, typed: readonly string[]): { argv: string[]; env: Record<string, string> } {
    const r = npm(dumpDir, [name, ...typed]);
    expect(r.code, r.stderr).toBe(0);
    return JSON.parse(r.stdout) as { argv: string[]; env: Record<string, string> };
  }

  /** The npm_config_* variables npm set that name a flag of `cmd`, without the prefix. */
  function flagVariables(cmd: CommandSpec, seen: Record<string, string>): Record<string, string> {
    const names = new Set(Object.keys(cmd.flags).map((n) => n.replace(/-/g, "_")));
    return Object.fromEntries(
      Object.entries(seen)
        .filter(([k]) => k.startsWith("npm_config_") && names.has(k.slice("npm_config_".length)))
        .map(([k, v]) => [k.slice("npm_config_".length), v]),
    );
  }

  it.each(
    [
      [PLAN, ["--stack", "prod"]],
      [PLAN, ["--stack=prod", "--json"]],
      [PLAN, ["--stack="]],
      [PLAN, ["--config", "Pulumi.prod.yaml", "--stack", "prod"]],
      [PLAN, ["--stack", "prod", "--stack", "staging"]],
      [PLAN, ["--Stack", "prod", "--stack", "staging"]],
      [PLAN, ["--format", "json"]],
      [PLAN, ["--json", "--", "--stack", "prod"]],
      [CHECK_EXPIRY, ["--within", "7", "--offline", "--now", "2026-11-26"]],
      [PREFLIGHT, ["--update-catalog", "--deployer", "app-1"]],
      [CHECK_PREVIEW, ["--file", "my file.json"]],
    ].map(([cmd, typed]) => [(cmd as CommandSpec).name, typed as string[], cmd as CommandSpec] as const),
  )("npm run --silent %s %j: the model of npm holds, and the command judges it so", (_, typed, cmd) => {
    const seen = dump(cmd.name, typed);
    const model = npmModel(typed);
    expect(seen.argv).toEqual(model.argv);
    expect(flagVariables(cmd, seen.env)).toEqual(model.config);
    // What npm really gave, judged as the command judges it: the same as under the model.
    expect(refusal(seen.argv, cmd, seen.env)).toEqual(underNpm(cmd, typed));
  });

  it("npm's own variables, with no flag typed, name no flag of any command", () => {
    for (const cmd of COMMANDS) {
      const seen = dump(cmd.name, []);
      expect(launchedByNpm(seen.env, cmd)).toBe(true);
      expect(flagVariables(cmd, seen.env)).toEqual({});
      expect(refusal([], cmd, seen.env)).toEqual([]);
    }
  });

  it("check-expiry as npm runs it: refused with the command line, which then runs as meant", () => {
    const outputs = path.join(dir, "outputs.json");
    fs.writeFileSync(
      outputs,
      JSON.stringify({
        credentials: { a: { current: { accessKey: "SCWAAAAAAAAAAAAAAAAA", expiresAt: "2027-06-30T00:00:00Z" } } },
      }),
    );
    const typed = ["--stack", "prod", "--within", "7", "--outputs", outputs, "--now", "2026-11-26"];
    const refused = npm(runDir, ["check-expiry", ...typed]);
    expect(refused.code, refused.stderr).toBe(2);
    expect(refused.stdout).toBe("");
    const lines = refused.stderr.trimEnd().split("\n");
    expect(lines[0]).toBe("bad command line (npm run --silent check-expiry -- --help for usage):");
    expect(lines.slice(1, -1).sort()).toEqual(
      [
        ["stack", "prod"],
        ["within", "7"],
        ["outputs", outputs],
        ["now", "2026-11-26"],
      ]
        .map(
          ([flag, value]) =>
            `error: --${flag}: npm kept this flag for itself (npm_config_${flag}=true) and passed on only its value "${value}", as a bare argument`,
        )
        .sort(),
    );
    const { command } = advice([lines.at(-1)!.replace(/^error: /, "")]);
    // The shell runs the command line as printed, in the same package.
    const ran = spawnSync("sh", ["-c", command], { cwd: runDir, env, encoding: "utf8", timeout: 60_000 });
    expect(ran.stderr).toBe("");
    expect(ran.status).toBe(0);
    expect(ran.stdout.split("\n")[0]).toBe(`Keys of stack prod (from ${outputs}):`);
    expect(ran.stdout).toMatch(/^a {2,}current {2}SCWAAAAAAAAAAAAAAAAA {2}2027-06-30T00:00:00Z {2}216 {2,}ok$/m);
  });

  it("a project .npmrc setting offline and json: npm exports them, check-expiry runs all the same", () => {
    fs.writeFileSync(path.join(runDir, ".npmrc"), "offline=true\njson=true\n");
    fs.writeFileSync(path.join(dumpDir, ".npmrc"), "offline=true\njson=true\n");
    try {
      expect(flagVariables(CHECK_EXPIRY, dump("check-expiry", []).env)).toEqual({ offline: "true", json: "true" });
      const outputs = path.join(dir, "rc-outputs.json");
      fs.writeFileSync(outputs, JSON.stringify({ credentials: { a: { expiresAt: "2027-06-30T00:00:00Z" } } }));
      const r = npm(runDir, ["check-expiry", "--", "--stack", "prod", "--outputs", outputs, "--now", "2026-11-26"]);
      expect(r.stderr).toBe("");
      expect(r.code).toBe(0);
      expect(r.stdout).toMatch(/^Keys of stack prod /);
    } finally {
      fs.rmSync(path.join(runDir, ".npmrc"));
      fs.rmSync(path.join(dumpDir, ".npmrc"));
    }
  });
});
