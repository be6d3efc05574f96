/**
 * The command-line tools as a user meets them: config read once and read safely, the stack a file is for, flags,
 * help, messages, exit codes. The commands' `main` runs in-process (same code as the entry, a fraction of the cost);
 * a few tests start real processes where the process boundary is the point (exit code, pipes).
 */
import * as fs from "fs";
import * as path from "path";
import { Readable } from "stream";
import { beforeAll, describe, expect, it } from "vitest";
import { ConfigError } from "../components/domain/errors";
import { jsonProblem, MAX_CONFIG_BYTES, namespaceConfig, parseStackFile } from "../stack/config";
import { assessExpiry, renderExpiryTable } from "../tools/check-expiry/expiry";
import { PROJECT, ROOT } from "./support/arbitraries";
import { runInProcess, runScript, tempDir } from "./support/offline";

const NOW = "2026-11-26T00:00:00Z";
const ORG = `  ${PROJECT}:organizationId: 5b0a1c2d-3e4f-4a5b-8c6d-7e8f9a0b1c2d`;
const PROJECTS = `  ${PROJECT}:projects: { backups: 1d2e3f4a-5b6c-4d7e-9f8a-9b0c1d2e3f4a, apps: 0c1d2e3f-4a5b-4c6d-8e7f-8a9b0c1d2e3f }`;
const CREDS = `  ${PROJECT}:credentials: { inv: { preset: inventory, projects: [apps] } }`;
/** What an attacker wants: every product, every project, no allowAllProjects. */
const EVIL = `{ evil: { permissionSets: [AllProductsFullAccess], projects: "*" } }`;

let dir: string;
beforeAll(() => {
  dir = tempDir();
});

function stackFile(name: string, lines: readonly string[]): string {
  const file = path.join(dir, name);
  fs.writeFileSync(file, lines.join("\n") + "\n");
  return file;
}

const plan = (args: readonly string[], stdin?: string) => runInProcess("plan", args, { stdin });
const check = (args: readonly string[], stdin?: string) => runInProcess("check-expiry", args, { stdin });

function errorLines(stderr: string): string[] {
  return stderr.split("\n").filter((l) => l.startsWith("error: "));
}

/** A refused input: exit 2, nothing on stdout, and every stderr line a heading or one `error:` line. */
function expectRefused(r: { code: number | null; stdout: string; stderr: string }, message: RegExp): void {
  expect(r.code, r.stderr).toBe(2);
  expect(r.stdout).toBe("");
  expect(r.stderr).toMatch(message);
  expect(r.stderr).not.toMatch(/\n\s+at /); // no stack trace
  const lines = r.stderr.trimEnd().split("\n");
  expect(
    lines.slice(1).every((l) => l.startsWith("error: ")),
    r.stderr,
  ).toBe(true);
}

describe("one reading of config: the known bypasses stay closed", () => {
  it("a bare __proto__ under config: cannot grant AllProductsFullAccess on every project", async () => {
    const file = stackFile("Pulumi.proto-bare.yaml", [
      "config:",
      ORG,
      PROJECTS,
      "  __proto__:",
      `    credentials: ${EVIL}`,
      "    allowAllProjects: true",
    ]);
    for (const format of ["json", "table", "markdown"]) {
      const r = await plan(["--config", file, "--format", format, "--now", NOW]);
      expectRefused(r, /Pulumi\.proto-bare\.yaml:4:3: config\.__proto__: "__proto__" cannot be used as a key/);
      expect(r.stdout).not.toContain("AllProductsFullAccess");
    }
  });

  it("a namespaced __proto__, or one nested in a credential, is refused too", async () => {
    const namespaced = stackFile("Pulumi.proto-ns.yaml", [
      "config:",
      ORG,
      PROJECTS,
      `  ${PROJECT}:__proto__: { credentials: ${EVIL}, allowAllProjects: true }`,
    ]);
    expectRefused(await plan(["--config", namespaced, "--json"]), /:4:3: config\.plakar-scaleway-iam:__proto__:/);
    const nested = stackFile("Pulumi.proto-nested.yaml", [
      "config:",
      ORG,
      PROJECTS,
      `  ${PROJECT}:credentials: { inv: { preset: inventory, projects: [apps] }, constructor: { preset: inventory, projects: [apps] } }`,
    ]);
    expectRefused(await plan(["--config", nested, "--json"]), /credentials\.constructor: "constructor" cannot be used/);
  });

  it("Pulumi's own config (what `pulumi up` hands the program) is held to the same rule", () => {
    const grant = JSON.stringify({
      credentials: { evil: { permissionSets: ["AllProductsFullAccess"], projects: "*" } },
      allowAllProjects: true,
    });
    const base = {
      [`${PROJECT}:organizationId`]: "5b0a1c2d-3e4f-4a5b-8c6d-7e8f9a0b1c2d",
      [`${PROJECT}:projects`]: '{"apps":"0c1d2e3f-4a5b-4c6d-8e7f-8a9b0c1d2e3f"}',
    };
    for (const [key, value] of [
      [`${PROJECT}:__proto__`, grant],
      [`${PROJECT}:prototype`, grant],
      [`${PROJECT}:credentials`, `{"__proto__": ${grant}}`],
      [`${PROJECT}:apiKeys`, '{"constructor": {"maxLifetimeDays": 73000}}'],
    ]) {
      const all = { ...base, [key]: value };
      expect(() => namespaceConfig(all, PROJECT), key).toThrow(/cannot be used as a key/);
    }
    // Control: without the reserved key the same map is read.
    expect(namespaceConfig(base, PROJECT)).toHaveProperty("projects.apps");
  });

  it("ns:config:key (a second spelling Pulumi's SDK merges) is refused, so no view can see another map", async () => {
    const file = stackFile("Pulumi.legacy.yaml", [
      "config:",
      ORG,
      PROJECTS,
      CREDS,
      `  ${PROJECT}:config:credentials: ${EVIL}`,
    ]);
    for (const format of ["json", "table", "markdown"]) {
      expectRefused(
        await plan(["--config", file, "--format", format]),
        /Pulumi\.legacy\.yaml:5:3: plakar-scaleway-iam:config:credentials: Pulumi reads it as plakar-scaleway-iam:credentials/,
      );
    }
    expect(() => namespaceConfig({ [`${PROJECT}:config:credentials`]: "{}" }, PROJECT)).toThrow(/second spelling/);
  });

  it("a bare key beside the namespaced one is refused instead of silently replacing it", async () => {
    const file = stackFile("Pulumi.bare.yaml", ["config:", ORG, PROJECTS, CREDS, `  credentials: ${EVIL}`]);
    expectRefused(
      await plan(["--config", file, "--json"]),
      /Pulumi\.bare\.yaml:5:3: credentials: Pulumi reads it as plakar-scaleway-iam:credentials, already set at line 4/,
    );
  });

  it("the table and Markdown views resolve the very map the program read (same credentials as the outputs)", async () => {
    const { runOffline } = await import("../tools/plan/offline");
    const result = await runOffline({ root: ROOT, stack: "prod", now: new Date(NOW) });
    const outputs = Object.keys(result.outputs.credentials as object).sort();
    expect(result.resolved.credentials.map((c) => c.key)).toEqual(outputs);
    expect(outputs.length).toBeGreaterThan(2);
  });
});

describe("errors that point at what was written", () => {
  it.each([
    ["plakar:credentials", `  plakar:credentials: { inv: { preset: inventory, projects: [apps] } }`],
    ["plakar-scaleway:projects", `  plakar-scaleway:projects: { apps: 0c1d2e3f-4a5b-4c6d-8e7f-8a9b0c1d2e3f }`],
  ])("%s (a namespace that looks like ours) is named with the key to use", async (key, line) => {
    const file = stackFile("Pulumi.ns.yaml", ["config:", ORG, line]);
    const r = await plan(["--config", file]);
    const meant = `${PROJECT}:${key.split(":")[1]}`;
    expectRefused(r, new RegExp(`error: ${key}: .*not this project's namespace.*write ${meant}`));
  });

  it("our key beside config: (where Pulumi ignores it) is named with the key to use", async () => {
    const file = stackFile("Pulumi.outside.yaml", [
      "config:",
      ORG,
      PROJECTS,
      "credentials: { inv: { preset: inventory, projects: [apps] } }",
    ]);
    const r = await plan(["--config", file]);
    expectRefused(
      r,
      /Pulumi\.outside\.yaml:4:1: credentials: is outside "config:", so Pulumi ignores it: indent it under config: as plakar-scaleway-iam:credentials/,
    );
    expect(errorLines(r.stderr)).toHaveLength(1);
  });

  it("a bare key in Pulumi's config map is named with the key to use", () => {
    expect(() => namespaceConfig({ credentials: "{}", [`${PROJECT}:projects`]: "{}" }, PROJECT)).toThrow(
      /credentials: has no namespace.*write plakar-scaleway-iam:credentials/,
    );
  });

  it.each([
    ["an empty file", [""], /Pulumi\.x\.yaml: is empty/],
    ["only comments", ["# nothing"], /Pulumi\.x\.yaml: holds only comments/],
    [
      "no config: wrapper",
      [ORG.trim(), PROJECTS.trim()],
      /has no "config:" mapping: put plakar-scaleway-iam:organizationId/,
    ],
    ["config: without our keys", ["config:", "  scaleway:region: fr-par"], /no plakar-scaleway-iam:\* config is set/],
  ])("%s says so in one line", async (_, lines, message) => {
    const r = await plan(["--config", stackFile("Pulumi.x.yaml", lines)]);
    expectRefused(r, message);
    expect(errorLines(r.stderr)).toHaveLength(1);
  });

  it("a YAML syntax error names file, line and column, and never quotes the source", async () => {
    const secret = "v1:SECRETCIPHERTEXT";
    const file = stackFile("Pulumi.syntax.yaml", [
      "config:",
      ORG,
      `  ${PROJECT}:namePrefix: { secure: ${secret}`,
      " bad: [",
    ]);
    const r = await plan(["--config", file]);
    expectRefused(r, /error: .*Pulumi\.syntax\.yaml:\d+:\d+: YAML syntax error/);
    expect(r.stderr).not.toContain(secret);
    expect(r.stderr).not.toContain("--config:");
  });

  it("an error in the default stack file names that file, not a flag the user did not pass", async () => {
    const r = await plan(["--stack", "nope"]);
    expectRefused(r, /error: .*Pulumi\.nope\.yaml: no such file: create Pulumi\.nope\.yaml or pass --config FILE/);
    expect(r.stderr).not.toMatch(/--config:|--stack:/);
  });

  it("a key written twice in one mapping is named where it is written again", async () => {
    const file = stackFile("Pulumi.dup.yaml", ["config:", ORG, PROJECTS, CREDS, ORG]);
    expectRefused(
      await plan(["--config", file]),
      /Pulumi\.dup\.yaml:5:3: config\.plakar-scaleway-iam:organizationId: is written twice/,
    );
  });

  it("a value with newlines never prints extra error: lines", async () => {
    const file = stackFile("Pulumi.nl.yaml", [
      "config:",
      ORG,
      PROJECTS,
      CREDS,
      `  ${PROJECT}:namePrefix: "a\\nerror: forged"`,
    ]);
    const r = await plan(["--config", file]);
    expectRefused(r, /namePrefix: "a\\nerror: forged"/);
    expect(r.stderr).not.toMatch(/^error: forged/m);
  });

  it("an empty namePrefix is a clear error, not the text null", async () => {
    const file = stackFile("Pulumi.np.yaml", ["config:", ORG, PROJECTS, CREDS, `  ${PROJECT}:namePrefix:`]);
    expectRefused(await plan(["--config", file, "--json"]), /namePrefix has no value .*write namePrefix: ""/);
    // Pulumi hands the program a YAML null as the text "null".
    expect(() => namespaceConfig({ [`${PROJECT}:namePrefix`]: "null" }, PROJECT)).toThrow(/namePrefix: has no value/);
  });

  it("a config file over 1 MiB, a device or a directory is refused before it is read", async () => {
    const big = path.join(dir, "Pulumi.big.yaml");
    fs.writeFileSync(big, `config:\n  ${PROJECT}:namePrefix: "${"x".repeat(MAX_CONFIG_BYTES)}"\n`);
    expectRefused(await plan(["--config", big]), /Pulumi\.big\.yaml: is \d+ bytes, more than the 1048576 allowed/);
    expectRefused(await plan(["--config", "/dev/zero", "--stack", "x"]), /\/dev\/zero: is not a regular file/);
    expectRefused(await plan(["--config", dir, "--stack", "x"]), /: is a directory/);
    expect(() => parseStackFile("x".repeat(MAX_CONFIG_BYTES + 1), PROJECT, "f")).toThrow(/larger than/);
  });
});

describe("YAML and JSON that read one way here and another in Pulumi, or not at all", () => {
  it("aliases that expand past the limit (a billion laughs) are refused in one line; shared blocks are read", async () => {
    const bomb = stackFile("Pulumi.bomb.yaml", [
      "config:",
      ORG,
      PROJECTS,
      CREDS,
      "  other:a: &a [x, x, x, x, x, x, x, x, x, x]",
      "  other:b: &b [*a, *a, *a, *a, *a, *a, *a, *a, *a, *a]",
      "  other:c: &c [*b, *b, *b, *b, *b, *b, *b, *b, *b, *b]",
      "  other:d: &d [*c, *c, *c, *c, *c, *c, *c, *c, *c, *c]",
      "  other:e: [*d, *d, *d, *d, *d, *d, *d, *d, *d, *d]",
    ]);
    expectRefused(
      await plan(["--config", bomb, "--json"]),
      /Pulumi\.bomb\.yaml: its YAML aliases \(\*name\) expand to too many/,
    );
    // 150 credentials sharing one block: an ordinary use of aliases.
    const shared = Array.from({ length: 150 }, (_, i) => `    c${i}: *std`);
    const file = stackFile("Pulumi.shared.yaml", [
      "config:",
      ORG,
      PROJECTS,
      `  ${PROJECT}:credentials:`,
      "    base: &std { preset: inventory, projects: [apps] }",
      ...shared,
    ]);
    const r = await plan(["--config", file, "--json"]);
    expect(r.code, r.stderr).toBe(0);
    expect(Object.keys(JSON.parse(r.stdout).outputs.credentials)).toHaveLength(151);
  });

  it("a JSON value nested past 32 levels is refused with its path, not a stack overflow", async () => {
    const file = stackFile("Pulumi.deep.yaml", [
      "config:",
      ORG,
      PROJECTS,
      CREDS,
      `  ${PROJECT}:tags: '${"[".repeat(20_000)}${"]".repeat(20_000)}'`,
    ]);
    expectRefused(await plan(["--config", file, "--json"]), /error: tags(\[0\]){32}: nests deeper than 32 levels/);
    const yamlDeep = stackFile("Pulumi.deep-yaml.yaml", [
      "config:",
      ORG,
      PROJECTS,
      CREDS,
      `  ${PROJECT}:tags:`,
      ...Array.from({ length: 40 }, (_, i) => `${"  ".repeat(i + 2)}- `),
    ]);
    expectRefused(await plan(["--config", yamlDeep, "--json"]), /nests deeper than 32 levels/);
    expect(jsonProblem(`${"[".repeat(32)}${"]".repeat(32)}`, "tags")).toBeUndefined();
    expect(jsonProblem(`${"[".repeat(33)}${"]".repeat(33)}`, "tags")?.message).toMatch(/deeper than 32/);
  });

  it("a key written twice in a JSON value is refused: JSON.parse would keep the last one silently", async () => {
    const file = stackFile("Pulumi.jsondup.yaml", [
      "config:",
      ORG,
      PROJECTS,
      `  ${PROJECT}:credentials: '{"inv": {"preset": "inventory", "projects": ["backups"], "projects": ["apps"]}}'`,
    ]);
    expectRefused(
      await plan(["--config", file, "--json"]),
      /error: credentials\.inv\.projects: is written twice in one object/,
    );
    expect(() =>
      namespaceConfig({ [`${PROJECT}:apiKeys`]: '{"maxLifetimeDays": 30, "maxLifetimeDays": 3650}' }, PROJECT),
    ).toThrow(/apiKeys\.maxLifetimeDays: is written twice/);
    // Strings that hold quotes, colons and escapes are read as strings, keys of different objects do not collide.
    expect(jsonProblem('{"a": "x\\"\\":{", "b": [{"a": 1}, {"a": 2}], "c": {"a": {"a": 3}}}', "k")).toBeUndefined();
    expect(jsonProblem('[{"a": 1}, {"b": 2, "b": 3}]', "k")).toEqual({
      path: "k[1].b",
      message: "is written twice in one object (JSON keeps only the last): keep one",
    });
  });

  it("a mapping or a list as a key is refused in one line, without Node's warning quoting the file", async () => {
    const file = stackFile("Pulumi.mapkey.yaml", [
      "config:",
      ORG,
      PROJECTS,
      CREDS,
      "  ? { scaleway:secretKey: 8f1c2d3e-aaaa-bbbb-cccc-SECRETVALUE000 }",
      "  : x",
    ]);
    const r = await plan(["--config", file, "--json"]);
    expectRefused(r, /Pulumi\.mapkey\.yaml:5:5: config: a key must be a plain name, not a mapping or a list/);
    expect(r.stderr).not.toContain("SECRETVALUE");
  });

  it("our namespace in other letters is another namespace to Pulumi: refused, whatever the key", () => {
    const base = {
      [`${PROJECT}:organizationId`]: "5b0a1c2d-3e4f-4a5b-8c6d-7e8f9a0b1c2d",
      [`${PROJECT}:credentials`]: "{}",
    };
    expect(() => namespaceConfig({ ...base, "PLAKAR-SCALEWAY-IAM:protect": "true" }, PROJECT)).toThrow(
      /PLAKAR-SCALEWAY-IAM:protect: "PLAKAR-SCALEWAY-IAM" is not this project's namespace, so this key is ignored: write plakar-scaleway-iam:protect/,
    );
    expect(() => namespaceConfig({ ...base, "Plakar-Scaleway-Iam:whatever": "1" }, PROJECT)).toThrow(
      /write plakar-scaleway-iam:whatever/,
    );
    // Control: another provider's namespace is not ours to judge.
    expect(namespaceConfig({ ...base, "scaleway:region": "fr-par" }, PROJECT)).not.toHaveProperty("region");
  });

  it("a doubled legacy spelling is told the key to write, not another legacy one", async () => {
    const file = stackFile("Pulumi.cc.yaml", [
      "config:",
      ORG,
      PROJECTS,
      CREDS,
      `  ${PROJECT}:config:config:tags: [a=b]`,
    ]);
    expectRefused(
      await plan(["--config", file]),
      /reads it as plakar-scaleway-iam:config:tags, a second spelling of one key: write plakar-scaleway-iam:tags$/m,
    );
    expect(() => namespaceConfig({ [`${PROJECT}:config:config:tags`]: "[]" }, PROJECT)).toThrow(
      /write plakar-scaleway-iam:tags$/m,
    );
  });

  it("numbers Pulumi's YAML reader reads otherwise (014 is octal there), a %YAML directive and merge keys are refused", async () => {
    const numbers = stackFile("Pulumi.num.yaml", [
      "config:",
      ORG,
      PROJECTS,
      CREDS,
      `  ${PROJECT}:apiKeys: { rotateEveryDays: 0o132, overlapDays: 014, maxLifetimeDays: 1e3 }`,
    ]);
    const r = await plan(["--config", numbers]);
    expectRefused(r, /:5:51: the number "0o132" is read differently by YAML readers/);
    expect(errorLines(r.stderr)).toHaveLength(2); // 1e3 is plain JSON
    expect(r.stderr).toMatch(/:5:71: the number "014"/);
    const directive = stackFile("Pulumi.y11.yaml", [
      "%YAML 1.1",
      "---",
      "config:",
      ORG,
      PROJECTS,
      CREDS,
      `  ${PROJECT}:protect: off`,
    ]);
    expectRefused(await plan(["--config", directive]), /Pulumi\.y11\.yaml: starts with a %YAML directive/);
    const merge = stackFile("Pulumi.merge.yaml", [
      "config:",
      ORG,
      PROJECTS,
      `  ${PROJECT}:credentials: { inv: { <<: { preset: inventory }, projects: [apps] } }`,
    ]);
    expectRefused(await plan(["--config", merge]), /credentials\.inv\.<<: a YAML merge key is read differently/);
    // Other namespaces' numbers are theirs.
    const other = stackFile("Pulumi.othernum.yaml", ["config:", ORG, PROJECTS, CREDS, "  other:mode: 0755"]);
    expect((await plan(["--config", other, "--json"])).code).toBe(0);
  });
});

describe("the stack from the file", () => {
  it("--config .../Pulumi.prod.yaml plans stack prod, and every view says so", async () => {
    const copy = path.join(dir, "Pulumi.prod.yaml");
    fs.copyFileSync(path.join(ROOT, "Pulumi.prod.yaml"), copy);
    const json = JSON.parse((await plan(["--config", copy, "--json", "--now", NOW])).stdout) as {
      stack: string;
      resources: { name: string; protect: boolean; type: string; inputs: { name?: string } }[];
    };
    expect(json.stack).toBe("prod");
    const app = json.resources.find((r) => r.type === "scaleway:iam/application:Application");
    expect(app?.inputs.name).toMatch(/^plakar-prod-/);
    expect(app?.protect).toBe(true);
    expect((await plan(["--config", copy, "--now", NOW])).stdout).toMatch(/^Offline plan of stack "prod"/);
    expect((await plan(["--config", copy, "--format", "markdown"])).stdout).toMatch(/^### Access report: stack `prod`/);
    // --stack says otherwise.
    expect(JSON.parse((await plan(["--config", copy, "--stack", "staging", "--json"])).stdout).stack).toBe("staging");
  });

  it("a file whose name does not say the stack needs --stack", async () => {
    const file = path.join(dir, "stack.yaml");
    fs.copyFileSync(path.join(ROOT, "Pulumi.prod.yaml"), file);
    expectRefused(await plan(["--config", file]), /--config: cannot tell the stack .*"stack\.yaml".*pass --stack NAME/);
  });

  it.each(["..", ".", ".hidden", "a/b", "a..b"])("--stack %j is refused", async (name) => {
    expectRefused(await plan(["--stack", name]), /--stack: .* is not a stack name/);
    expectRefused(await check(["--offline", "--stack", name]), /--stack: .* is not a stack name/);
  });
});

describe("CLI manners", () => {
  it.each([
    ["plan", ["--json", "--format", "markdown"], /error: --json and --format markdown: conflict/],
    ["plan", ["--format", "xml"], /--format: "xml" is not one of table, json, markdown/],
    ["plan", ["--bogus"], /--bogus: unknown flag; plan takes --stack/],
    ["plan", ["--stak", "prod"], /--stak: unknown flag \(did you mean --stack\?\)/],
    ["plan", ["--now", "tomorrow"], /--now: "tomorrow" is not an ISO-8601 date/],
    [
      "plan",
      ["--now", "9999-12-01"],
      /: .*(keys planned at 9999-12-01T00:00:00Z|a key made now) would expire after.*9999/,
    ],
    ["plan", ["--stack", "--json"], /--stack: needs a value/],
    ["plan", ["--json=yes"], /--json: takes no value/],
    ["plan", ["prod"], /prod: unexpected argument/],
    ["check-expiry", ["--output", "x.json"], /--output: unknown flag \(did you mean --outputs\?\)/],
    ["check-expiry", ["--offline", "--outputs", "x.json"], /--offline and --outputs: conflict/],
    [
      "check-expiry",
      ["--config", "Pulumi.prod.yaml"],
      /--config and outputs: conflict: --config is read only with --offline/,
    ],
  ] as const)("%s %j exits 2 with a clear message", async (name, args, message) => {
    const r = await runInProcess(name, args);
    expectRefused(r, message);
    expect(errorLines(r.stderr)).toHaveLength(1);
  });

  it.each(["plan", "check-expiry"] as const)(
    "%s --help prints usage, every flag with a sentence, exit codes, an example",
    async (name) => {
      const r = await runInProcess(name, ["--help"]);
      expect(r.code).toBe(0);
      expect(r.stdout).toMatch(new RegExp(`^usage: npm run --silent ${name} -- `));
      for (const flag of ["--stack NAME", "--now ISO-8601", "--json", "--help", "--config FILE"]) {
        expect(r.stdout).toMatch(new RegExp(`\\n  (-h, )?${flag.replace(/[-]/g, "\\-")} +[A-Z][^\\n]+\\.`));
      }
      expect(r.stdout).toMatch(/\nexit codes:\n {2}0 {2}\S[^]*\n {2}2 {2}bad input/);
      expect(r.stdout).toMatch(new RegExp(`\\nexamples:\\n {2}.*npm run --silent ${name} -- `));
    },
  );

  it("a flag means the same thing in every command", async () => {
    const { PLAN } = await import("../tools/plan/main");
    const { CHECK_EXPIRY } = await import("../tools/check-expiry/main");
    for (const flag of ["now", "help"]) expect(CHECK_EXPIRY.flags[flag], flag).toEqual(PLAN.flags[flag]);
    // plan's --json also names --format, which check-expiry does not have; the flag itself is the same.
    expect(PLAN.flags.json.help).toContain("--format json");
    expect(CHECK_EXPIRY.flags.json.help).not.toContain("--format");
    for (const flag of ["stack", "config", "json"]) {
      expect(CHECK_EXPIRY.flags[flag].type).toBe(PLAN.flags[flag].type);
      expect(CHECK_EXPIRY.flags[flag].value).toBe(PLAN.flags[flag].value);
    }
  });
});

/** check-preview, preflight and schema through their own `main`, in-process: no input, no credentials. */
async function runOther(
  name: "check-preview" | "preflight" | "schema",
  args: readonly string[],
): Promise<{ code: number; stdout: string; stderr: string }> {
  let stdout = "";
  let stderr = "";
  const out = (t: string) => void (stdout += t);
  const err = (t: string) => void (stderr += t);
  let code: number;
  if (name === "check-preview") {
    const { main } = await import("../tools/check-preview/main");
    code = await main(args, { stdin: Readable.from([]), stdinCarriesInput: () => false, out, err });
  } else if (name === "preflight") {
    const { main } = await import("../tools/preflight/main");
    code = await main(args, {}, { stdout: out, stderr: err, root: ROOT, cwd: ROOT });
  } else {
    const { main } = await import("../tools/schema/main");
    code = await main(args, { stdout: out, stderr: err, stdin: () => Promise.resolve(undefined), cwd: ROOT });
  }
  return { code, stdout, stderr };
}

async function specOf(name: "check-preview" | "preflight" | "schema") {
  if (name === "check-preview") return (await import("../tools/check-preview/main")).CHECK_PREVIEW;
  if (name === "preflight") return (await import("../tools/preflight/main")).PREFLIGHT;
  return (await import("../tools/schema/main")).SCHEMA;
}

describe("CLI manners: check-preview, preflight and schema use the same machinery", () => {
  it.each([
    ["check-preview", "npm run --silent check-preview -- [--stack NAME] [--file FILE|-] [--now ISO-8601]"],
    [
      "preflight",
      "npm run --silent preflight -- [--stack NAME] [--config FILE] [--json] [--deployer APPLICATION_ID] [--update-catalog]",
    ],
    ["schema", "npm run --silent schema"],
  ] as const)("%s --help prints usage, every flag with a sentence, exit codes, an example", async (name, usage) => {
    const r = await runOther(name, ["--help"]);
    expect(r).toMatchObject({ code: 0, stderr: "" });
    expect(r.stdout.split("\n")[0]).toBe(`usage: ${usage}`);
    const flags = Object.entries((await specOf(name)).flags);
    expect(flags.map(([flag]) => flag)).toContain("help");
    for (const [flag, spec] of flags) {
      const shown = `${spec.short ? `-${spec.short}, ` : ""}--${flag}${spec.type === "string" ? ` ${spec.value}` : ""}`;
      const line = r.stdout.split("\n").find((l) => l.startsWith(`  ${shown} `));
      expect(line, shown).toMatch(/ {2}[A-Z][^\n]+\.$/);
    }
    expect(r.stdout).toMatch(/\nexit codes:\n {2}0 {2}\S[^]*\n {2}2 {2}(bad input|cannot judge: bad input)/);
    expect(r.stdout).toMatch(new RegExp(`\\nexamples:\\n {2}.*npm run --silent ${name}\\b`));
    expect((await runOther(name, ["-h"])).stdout).toBe(r.stdout);
  });

  it.each([
    [
      "check-preview",
      ["--stak", "prod"],
      /error: --stak: unknown flag \(did you mean --stack\?\); check-preview takes --stack, --file, --now, --help/,
    ],
    ["check-preview", ["--files", "preview.json"], /error: --files: unknown flag \(did you mean --file\?\)/],
    ["check-preview", ["--json"], /error: --json: unknown flag; check-preview takes --stack, --file, --now, --help/],
    [
      "preflight",
      ["--deploy", "4e1c"],
      /error: --deploy: unknown flag \(did you mean --deployer\?\); preflight takes --stack/,
    ],
    [
      "preflight",
      ["--update-catalogue"],
      /error: --update-catalogue: unknown flag \(did you mean --update-catalog\?\)/,
    ],
    ["preflight", ["--conifg", "Pulumi.prod.yaml"], /error: --conifg: unknown flag \(did you mean --config\?\)/],
    ["preflight", ["--json=yes"], /error: --json: takes no value/],
    ["preflight", ["prod"], /error: prod: unexpected argument/],
    ["schema", ["--hlep"], /error: --hlep: unknown flag \(did you mean --help\?\); schema takes --help/],
    ["schema", ["--json"], /error: --json: unknown flag; schema takes --help/],
  ] as const)("%s %j exits 2 naming the flag and the closest known one", async (name, args, message) => {
    const r = await runOther(name, args);
    expectRefused(r, message);
    expect(r.stderr.split("\n")[0]).toBe(`bad command line (npm run --silent ${name} -- --help for usage):`);
    expect(errorLines(r.stderr)).toHaveLength(1);
  });

  it("a flag means the same thing in check-preview, preflight and schema as in plan and check-expiry", async () => {
    const { PLAN } = await import("../tools/plan/main");
    const { CHECK_EXPIRY } = await import("../tools/check-expiry/main");
    const shared = { ...CHECK_EXPIRY.flags, ...PLAN.flags };
    for (const name of ["check-preview", "preflight", "schema"] as const) {
      const spec = await specOf(name);
      expect(spec.flags.help, name).toEqual(PLAN.flags.help);
      for (const [flag, own] of Object.entries(spec.flags)) {
        if (!(flag in shared)) continue;
        expect(own.type, `${name} --${flag}`).toBe(shared[flag].type);
        expect(own.value, `${name} --${flag}`).toBe(shared[flag].value);
      }
    }
    // preflight reads --stack and --config exactly as plan does: the stack from a Pulumi.<name>.yaml file.
    const { PREFLIGHT } = await import("../tools/preflight/main");
    expect(PREFLIGHT.flags.stack).toEqual(PLAN.flags.stack);
    expect(PREFLIGHT.flags.config).toEqual(PLAN.flags.config);
  });
});

describe("plan views: what will exist", () => {
  it("the table shows per credential its application and policy, tags, rules, keys with expiry, and Plakar's form", async () => {
    const r = await plan(["--stack", "staging", "--now", NOW]);
    expect(r.code, r.stderr).toBe(0);
    const block = r.stdout.slice(r.stdout.indexOf("inventory  [inventory]"));
    expect(block).toMatch(/\n {2}application +plakar-staging-inventory \(resource inventory-app\)/);
    expect(block).toMatch(/\n {2}policy +plakar-staging-inventory \(resource inventory-policy\)/);
    expect(block).toMatch(/\n {2}tags +managed-by=pulumi, stack=staging, team=platform, use-case=inventory/);
    expect(block).toMatch(/\n {2}rule +AllProductsReadOnly on apps \(0c1d2e3f-/);
    expect(block).toMatch(
      /\n {2}key +inventory-key-2026-09-17: expires 2026-12-30T00:00:00Z, 34 days left\n +a first key may be short: generations follow a fixed calendar \(every 90 days from 2024-01-01/,
    );
    expect(block).toMatch(
      /\n {2}plakar form +integration Scaleway inventory, fields:\n +Name: plakar-staging-inventory\n/,
    );
    expect(block).toMatch(
      /Secret key: pulumi stack output --show-secrets credentials: credentials\.inventory\.secretKey/,
    );
    expect(r.stdout).toMatch(/preferred project +backups \(/);
  });

  it("a credential with several rules shows each rule (projects x sets), in the table and as report rows", async () => {
    const file = stackFile("Pulumi.multi.yaml", [
      "config:",
      ORG,
      PROJECTS,
      `  ${PROJECT}:credentials: { vms: { preset: instance-backup, projects: [apps], stagingProject: backups } }`,
    ]);
    const table = (await plan(["--config", file, "--now", NOW])).stdout;
    expect(table).toMatch(/\n {2}rule 1 +BlockStorageFullAccess, InstancesFullAccess on apps \(0c1d2e3f-/);
    expect(table).toMatch(/\n {2}rule 2 +ObjectStorageBucketsRead, .* on backups \(1d2e3f4a-/);
    const report = (await plan(["--config", file, "--format", "markdown", "--now", NOW])).stdout;
    const rows = report.split("\n").filter((l) => l.startsWith("| `vms` | `plakar-multi-vms` |"));
    expect(rows).toHaveLength(2);
    expect(rows[0]).toMatch(/\| apps `0c1d2e3f-[^|]*\| `BlockStorageFullAccess`<br>`InstancesFullAccess` \|/);
    expect(rows[1]).toMatch(/\| backups `1d2e3f4a-[^|]*\| `ObjectStorageBucketsRead`/);
  });

  it("the Markdown report names the application of each row", async () => {
    const r = await plan(["--stack", "staging", "--format", "markdown", "--now", NOW]);
    expect(r.stdout).toMatch(/^### Access report: stack `staging`/);
    expect(r.stdout).toMatch(
      /\| `buckets` \| `plakar-staging-buckets` \| object-storage \| backups `[0-9a-f-]{36}` \|/,
    );
  });

  it("a config error lists every problem, one line each, naming the key", async () => {
    const file = stackFile("Pulumi.bad.yaml", [
      "config:",
      ORG,
      PROJECTS,
      `  ${PROJECT}:credentials:`,
      "    reports: { permissionSets: [ObjectStorageObjectsRead], projects: [backups, apps], preferredProject: ops }",
      "    inv: { preset: inventory, projects: [ops] }",
    ]);
    const r = await plan(["--config", file, "--json"]);
    expectRefused(r, /credentials\.inv\.projects\[0\]: .*"ops"/);
    const errors = errorLines(r.stderr);
    expect(errors).toHaveLength(2);
    expect(errors[1]).toMatch(
      /^error: credentials\.reports\.preferredProject: credential "reports" names unknown project alias "ops"; declared aliases: apps, backups$/,
    );
  });
});

const healthy = {
  credentials: {
    inventory: {
      current: { accessKey: "SCWAAAAAAAAAAAAAAAAA", secretKey: "[secret]", expiresAt: "2027-03-30T00:00:00Z" },
      previous: { accessKey: "SCWBBBBBBBBBBBBBBBBB", secretKey: "[secret]", expiresAt: "2026-12-30T00:00:00Z" },
    },
    buckets: { accessKey: "SCWCCCCCCCCCCCCCCCCC", secretKey: "[secret]", expiresAt: "2027-01-30T00:00:00Z" },
  },
};
const HEALTHY = JSON.stringify(healthy);
const CHECK_NOW = "2026-12-20T00:00:00Z";

describe("check-expiry (pure)", () => {
  const now = new Date(CHECK_NOW);

  it("passes when every key in use has more than the window left; a previous key is only retiring", () => {
    const report = assessExpiry(healthy, now, 14);
    expect(report.ok).toBe(true);
    expect(report.keys.map((k) => [k.credential, k.slot, k.daysLeft, k.status])).toEqual([
      ["buckets", "current", 41, "ok"],
      ["inventory", "current", 100, "ok"],
      ["inventory", "previous", 10, "retiring"],
    ]);
  });

  it("fails for a key expiring within the window, an expired key, and a key without expiry", () => {
    expect(assessExpiry(healthy, now, 60).keys.find((k) => k.credential === "buckets")?.status).toBe("expiring");
    expect(assessExpiry(healthy, now, 40.9).keys.find((k) => k.credential === "buckets")?.status).toBe("ok");
    expect(assessExpiry(healthy, new Date("2027-02-01T00:00:00Z"), 14).keys[0].status).toBe("expired");
    const noExpiry = { credentials: { a: { current: { accessKey: "SCWX", expiresAt: null } } } };
    const report = assessExpiry(noExpiry, now, 14);
    expect(report.ok).toBe(false);
    expect(report.keys[0].status).toBe("no-expiry");
    expect(renderExpiryTable(report)).toMatch(/FAIL: 1 key\(s\).*a \(no-expiry\)/);
  });

  it("also reads the offline plan's JSON document", () => {
    expect(assessExpiry({ stack: "staging", resources: [], outputs: healthy }, now, 14).keys).toHaveLength(3);
  });

  it("rejects outputs that are not a stack's", () => {
    expect(() => assessExpiry({ foo: 1 }, now, 14)).toThrow(ConfigError);
    expect(() => assessExpiry({ credentials: { a: { current: { expiresAt: "soon" } } } }, now, 14)).toThrow(
      /credentials\.a\.current\.expiresAt/,
    );
    expect(() => assessExpiry(JSON.parse('{"credentials": {"__proto__": {"expiresAt": null}}}'), now, 14)).toThrow(
      /credentials\.__proto__/,
    );
  });
});

describe("check-expiry never passes by accident", () => {
  it("exit 0 for healthy outputs, 1 for expiring ones; the window is a decimal number of days", async () => {
    const ok = await check(["--now", CHECK_NOW], HEALTHY);
    expect(ok.code, ok.stderr).toBe(0);
    expect(ok.stdout).toMatch(/OK: no key in use expires within 14 days/);
    const expiring = await check(["--within", "41.5", "--now", CHECK_NOW, "--json"], HEALTHY);
    expect(expiring.code).toBe(1);
    expect(JSON.parse(expiring.stdout)).toMatchObject({ ok: false, source: "standard input", withinDays: 41.5 });
  });

  it.each(["", "0x10", "1e1", "-3", " 7", "7 ", "Infinity", "NaN", "1.", ".5", "3651"])(
    "--within %j is refused",
    async (within) => {
      expectRefused(
        await check(["--within", within, "--now", CHECK_NOW], HEALTHY),
        /--within: .* is not a number of days/,
      );
    },
  );

  it("without input it exits 2 instead of judging the (always healthy) offline plan", async () => {
    const r = await check(["--stack", "prod", "--now", NOW]);
    expectRefused(r, /standard input: no outputs to check: pipe `pulumi stack output --json`.*--offline/);
    expectRefused(await check(["--outputs", "-"]), /standard input: carries nothing/);
  });

  it("--offline checks the offline plan, explicitly", async () => {
    const r = await check(["--offline", "--stack", "prod", "--now", NOW]);
    expect(r.code, r.stderr).toBe(0);
    expect(r.stdout).toMatch(/^Keys of stack prod \(from offline plan of stack prod\)/);
    expect(r.stdout).toMatch(/inventory-web +current/);
    const copy = path.join(dir, "Pulumi.prod.yaml");
    fs.copyFileSync(path.join(ROOT, "Pulumi.prod.yaml"), copy);
    expect((await check(["--offline", "--config", copy, "--now", NOW, "--json"])).stdout).toMatch(/"stack": "prod"/);
  });

  it("--offline with outputs piped in is a conflict, not a check of the wrong thing", async () => {
    expectRefused(await check(["--offline", "--stack", "prod"], HEALTHY), /--offline and standard input: conflict/);
  });

  it("outputs of another stack exit 2; outputs that do not name a stack are the one --stack names", async () => {
    const staging = JSON.stringify({ stack: "staging", outputs: healthy });
    expectRefused(
      await check(["--stack", "prod", "--now", CHECK_NOW], staging),
      /--stack: is prod, but standard input holds the outputs of stack "staging"/,
    );
    const same = await check(["--stack", "staging", "--now", CHECK_NOW], staging);
    expect(same.code, same.stderr).toBe(0);
    const bare = await check(["--stack", "prod", "--now", CHECK_NOW, "--json"], HEALTHY);
    expect(JSON.parse(bare.stdout)).toMatchObject({ stack: "prod", ok: true });
  });

  it.each([
    ["an empty pipe", [], "", /standard input: is empty/],
    [
      "not JSON",
      [],
      "{not json",
      /standard input: is not valid JSON: expected the output of `pulumi stack output --json`/,
    ],
    [
      "npm's banner",
      [],
      "\n> plakar-scaleway-iam@0.2.0 plan\n> node tools/run.js plan --json\n\n{}",
      /npm's banner.*--silent/,
    ],
    ["no credentials", [], JSON.stringify({ credentials: {} }), /credentials: lists no credential/],
    [
      "a day that does not exist",
      [],
      JSON.stringify({ credentials: { a: { expiresAt: "2027-02-30T00:00:00Z" } } }),
      /credentials\.a\.expiresAt/,
    ],
    ["a missing file", ["--outputs", "/nonexistent.json"], undefined, /\/nonexistent\.json: no such file/],
    ["a directory", ["--outputs", "/tmp"], undefined, /\/tmp: is a directory/],
    ["a device", ["--outputs", "/dev/zero"], undefined, /\/dev\/zero: is not a regular file/],
  ] as const)("%s exits 2 with one clean line", async (_, args, stdin, message) => {
    const r = await check([...args, "--now", CHECK_NOW], stdin);
    expectRefused(r, message);
    expect(errorLines(r.stderr)).toHaveLength(1);
  });
});

describe("end to end, as real processes", () => {
  it("plan --json: one JSON document on stdout, exit 0; a config error: exit 2, stderr only", async () => {
    const [ok, bad] = await Promise.all([
      runScript("plan", ["--stack", "prod", "--now", NOW, "--json"]),
      runScript("plan", ["--stack", "nope"]),
    ]);
    expect(ok.code, ok.stderr).toBe(0);
    expect(JSON.parse(ok.stdout)).toMatchObject({ stack: "prod" });
    expect(bad.code).toBe(2);
    expect(bad.stdout).toBe("");
    expect(bad.stderr).toMatch(/Pulumi\.nope\.yaml: no such file/);
  });

  it("check-expiry: exit 1 on expiring piped outputs, 2 with no input (stdin /dev/null, as a CI step that forgot the pipe)", async () => {
    const [expiring, none] = await Promise.all([
      runScript("check-expiry", ["--within", "60", "--now", CHECK_NOW], {}, HEALTHY),
      runScript("check-expiry", ["--stack", "prod"]),
    ]);
    expect(expiring.code).toBe(1);
    expect(expiring.stdout).toMatch(/from standard input/);
    expect(none.code).toBe(2);
    expect(none.stderr).toMatch(/no outputs to check/);
  });

  it("waits for a slow writer on the pipe, as after `pulumi stack output`", async () => {
    const file = path.join(dir, "expiring.json");
    fs.writeFileSync(file, HEALTHY);
    const { spawnSync } = await import("child_process");
    const script = `(sleep 1; cat '${file}') | '${process.execPath}' scripts/run.js check-expiry --within 60 --now ${CHECK_NOW}`;
    const r = spawnSync("bash", ["-c", script], { cwd: ROOT, encoding: "utf8", timeout: 60_000 });
    expect(r.stdout).toMatch(/from standard input/);
    expect(r.status).toBe(1);
  });
});
