/**
 * A config reader no small file can stall. The three files reported — 199 KB of YAML aliases that threw
 * a RangeError with a stack trace, 50 KB that ran past two minutes, 1 MiB of valid credentials that ran out of memory
 * — are written to disk and given to the real command in its own process, with a deadline and a memory cap: a
 * regression fails here instead of hanging the suite. Then each limit at its edge: the last value it accepts and the
 * first it refuses, computed from the limit's definition, not from the code.
 */
import * as fs from "fs";
import * as path from "path";
import fc from "fast-check";
import { beforeAll, describe, expect, it } from "vitest";
import { parseDocument, stringify } from "yaml";
import { ConfigError, type ConfigIssue } from "../components/domain/errors";
import {
  MAX_ALIAS_VALUES,
  MAX_CONFIG_BYTES,
  MAX_CREDENTIALS,
  MAX_DEPTH,
  MAX_ISSUES,
  MAX_PROJECTS,
  MAX_TEXT,
  MAX_VALUES,
  namespaceConfig,
  parseStackFile,
} from "../stack/config";
import { shippedData } from "../components/domain/presets";
import { planStack } from "../stack/credentials";
import { PROJECT } from "./support/arbitraries";
import { type BoundedResult, runBounded } from "./support/bounded-run";
import { runInProcess, tempDir } from "./support/offline";
import { MAX_REPORTED } from "../tools/cli";

const ORG_ID = "5b0a1c2d-3e4f-4a5b-8c6d-7e8f9a0b1c2d";
const APPS_ID = "0c1d2e3f-4a5b-4c6d-8e7f-8a9b0c1d2e3f";
const ORG = `  ${PROJECT}:organizationId: ${ORG_ID}`;
const PROJECTS = `  ${PROJECT}:projects: { apps: ${APPS_ID} }`;
const CREDS = `  ${PROJECT}:credentials: { inv: { preset: inventory, projects: [apps] } }`;

let dir: string;
beforeAll(() => {
  dir = tempDir();
});

function stackFile(name: string, lines: readonly string[]): string {
  const file = path.join(dir, name);
  fs.writeFileSync(file, lines.join("\n") + "\n");
  return file;
}

/** The offline plan of `file`, in its own process: at most `seconds`, at most 512 MB of heap. */
function planProcess(file: string, seconds = 30): Promise<BoundedResult> {
  return runBounded("plan", ["--config", file, "--json"], {
    timeoutMs: seconds * 1000,
    nodeArgs: ["--max-old-space-size=512"],
  });
}

/** Refused as bad input: exit 2, nothing on stdout, a heading and exactly one `error:` line, no stack trace. */
function refusedInOneLine(r: BoundedResult | { code: number | null; stdout: string; stderr: string }): string {
  expect("timedOut" in r && r.timedOut, "the command ran past its deadline").toBe(false);
  expect(r.code, r.stderr.slice(0, 2000)).toBe(2);
  expect(r.stdout).toBe("");
  expect(r.stderr).not.toMatch(/\n\s+at |RangeError|TypeError|heap out of memory/);
  const lines = r.stderr.trimEnd().split("\n");
  expect(lines, r.stderr.slice(0, 2000)).toHaveLength(2);
  expect(lines[1]).toMatch(/^error: /);
  return lines[1]!;
}

function issuesOf(fn: () => unknown): readonly ConfigIssue[] {
  try {
    fn();
  } catch (err) {
    if (err instanceof ConfigError) return err.issues;
    throw err;
  }
  throw new Error("expected a ConfigError, nothing was thrown");
}

describe("the three reported files, through the real command in its own process", () => {
  it("199 KB of YAML aliases (one 160,000-character string, 9,000 times): one line naming the file, no RangeError", async () => {
    // Expanded, 1.44 billion characters: more than a JavaScript string can hold (JSON.stringify threw a RangeError).
    const file = stackFile("Pulumi.laughs.yaml", [
      "config:",
      ORG,
      PROJECTS,
      CREDS,
      `  other:s: &s "${"x".repeat(160_000)}"`,
      `  other:l: [${Array(9_000).fill("*s").join(", ")}]`,
    ]);
    expect(fs.statSync(file).size).toBeGreaterThan(195_000);
    expect(fs.statSync(file).size).toBeLessThan(200_000);
    const r = await planProcess(file);
    const line = refusedInOneLine(r);
    expect(line).toContain(`${file}: its YAML aliases (*name) expand to too many values: *s (line 6, column`);
    expect(line).toContain(`past ${MAX_CONFIG_BYTES} characters (1 MiB, a stack file's limit)`);
    expect(line).toMatch(/write each value out once, or share fewer$/);
    expect(r.ms).toBeLessThan(20_000);
  });

  it("50 KB that ran past two minutes (a 20,000-character unknown alias, named 1,000 times): one line within seconds", async () => {
    // Each unknown alias was compared with the declared one for a suggestion: 1,000 × 20,000² steps.
    const file = stackFile("Pulumi.typo.yaml", [
      "config:",
      ORG,
      `  ${PROJECT}:projects: { ${"p".repeat(20_000)}: ${APPS_ID} }`,
      `  other:u: &u ${"q".repeat(20_000)}`,
      `  ${PROJECT}:credentials: { inv: { preset: inventory, projects: [${Array(1_000).fill("*u").join(", ")}] } }`,
    ]);
    expect(fs.statSync(file).size).toBeLessThan(50_000);
    const r = await planProcess(file);
    const line = refusedInOneLine(r);
    expect(line).toMatch(new RegExp(`^error: ${file.replace(/[.]/g, "\\.")}: its YAML aliases .*: \\*u \\(line 5,`));
    expect(r.ms).toBeLessThan(20_000);
    // Without the aliases, the long names alone are refused before any suggestion is computed.
    const written = stackFile("Pulumi.typo-written.yaml", [
      "config:",
      ORG,
      `  ${PROJECT}:projects: { ${"p".repeat(20_000)}: ${APPS_ID} }`,
      `  ${PROJECT}:credentials: { inv: { preset: inventory, projects: [${"q".repeat(20_000)}] } }`,
    ]);
    const w = await planProcess(written);
    expect(refusedInOneLine(w)).toMatch(
      new RegExp(`:3:3: ${PROJECT}:projects\\.p{40}…: is a key 20000 characters long, more than the ${MAX_TEXT}`),
    );
  });

  it("1 MiB of valid credentials (20,000 of them) ran out of memory: refused in one line, within seconds, in 512 MB", async () => {
    const lines = ["config:", ORG, PROJECTS, `  ${PROJECT}:credentials:`];
    for (let i = 0, size = lines.join("\n").length; size < MAX_CONFIG_BYTES - 100; i++) {
      lines.push(`    c${i}: { preset: inventory, projects: [apps] }`);
      size += lines[lines.length - 1]!.length + 1;
    }
    const file = stackFile("Pulumi.many.yaml", lines);
    const count = lines.length - 4;
    expect(count).toBeGreaterThan(20_000);
    expect(fs.statSync(file).size).toBeLessThanOrEqual(MAX_CONFIG_BYTES);
    const r = await planProcess(file);
    expect(refusedInOneLine(r)).toBe(
      `error: ${file}:4:3: ${PROJECT}:credentials: declares ${count} credentials, more than the ${MAX_CREDENTIALS} a stack may hold (Scaleway's default quotas: 100 applications, 50 policies): split them over several stacks`,
    );
    expect(r.ms).toBeLessThan(20_000);
  });

  it(`the largest stack the limits allow is read and planned: ${MAX_CREDENTIALS} credentials, each naming as many of ${MAX_PROJECTS} projects as ${MAX_VALUES} values leave room for`, async () => {
    const aliases = Array.from({ length: MAX_PROJECTS }, (_, i) => `p${i}`);
    // Values: organizationId 1, projects 1 + MAX_PROJECTS, credentials 1, and per credential its mapping, preset,
    // list of projects (3) and `perCredential` aliases.
    const perCredential = Math.floor((MAX_VALUES - 3 - MAX_PROJECTS) / MAX_CREDENTIALS) - 3;
    expect(perCredential).toBeGreaterThan(10);
    const lines = [
      "config:",
      ORG,
      `  ${PROJECT}:projects:`,
      ...aliases.map((a, i) => `    ${a}: 0c1d2e3f-4a5b-4c6d-8e7f-${String(i).padStart(12, "0")}`),
      `  ${PROJECT}:credentials:`,
      ...Array.from(
        { length: MAX_CREDENTIALS },
        (_, c) =>
          `    c${c}: { preset: inventory, projects: [${Array.from({ length: perCredential }, (_, k) => aliases[(c + k) % MAX_PROJECTS]).join(", ")}] }`,
      ),
    ];
    // Read as the program reads it (the stack file's values through namespaceConfig) and planned by the stack's
    // pure planner; the full offline plan of 500 credentials is the benchmark's (npm run bench), not a test's.
    const file = parseStackFile(lines.join("\n") + "\n", PROJECT, "Pulumi.largest.yaml");
    const plan = planStack(namespaceConfig(file.config, PROJECT), {
      stack: "largest",
      now: new Date("2026-11-26T00:00:00Z"),
      ...shippedData(),
    });
    expect(plan.credentials).toHaveLength(MAX_CREDENTIALS);
    expect(plan.credentials.find((c) => c.key === "c7")!.args.projectIds).toHaveLength(perCredential);
  });
});

describe("YAML aliases: read once, bounded as they are expanded", () => {
  const other = (lines: readonly string[]) => ["config:", ORG, PROJECTS, CREDS, ...lines].join("\n") + "\n";

  it(`adds at most ${MAX_ALIAS_VALUES} values: the last alias that fits is read, the next refused where it is`, () => {
    // `*a` stands for one value; the list holds MAX_ALIAS_VALUES of them, then one more.
    const fits = other(["  other:a: &a x", `  other:l: [${Array(MAX_ALIAS_VALUES).fill("*a").join(", ")}]`]);
    expect(JSON.parse(parseStackFile(fits, PROJECT, "f.yaml").config["other:l"]!)).toHaveLength(MAX_ALIAS_VALUES);
    const over = other([
      "  other:a: &a x",
      `  other:l: [${Array(MAX_ALIAS_VALUES + 1)
        .fill("*a")
        .join(", ")}]`,
    ]);
    const column = "  other:l: [".length + MAX_ALIAS_VALUES * "*a, ".length + 1;
    expect(issuesOf(() => parseStackFile(over, PROJECT, "f.yaml"))).toEqual([
      {
        path: "f.yaml",
        message: `its YAML aliases (*name) expand to too many values: *a (line 6, column ${column}) takes them past ${MAX_ALIAS_VALUES} values: write each value out once, or share fewer`,
      },
    ]);
  });

  it("counts every value an alias stands for: a shared block of four values, used 2,500 times, fits; 2,501 do not", () => {
    const block = (uses: number) =>
      other([
        "  other:b: &b { preset: inventory, projects: [apps] }",
        "  other:l:",
        ...Array.from({ length: uses }, () => "    - *b"),
      ]);
    // A mapping (1), its two values (2) and the list's one item (1): four values per use.
    expect(() => parseStackFile(block(MAX_ALIAS_VALUES / 4), PROJECT, "f.yaml")).not.toThrow();
    expect(issuesOf(() => parseStackFile(block(MAX_ALIAS_VALUES / 4 + 1), PROJECT, "f.yaml"))[0]?.message).toMatch(
      // Lines 1-4: config and three keys; 5: the block; 6: the list; its items from line 7.
      new RegExp(
        `\\*b \\(line ${6 + MAX_ALIAS_VALUES / 4 + 1}, column 7\\) takes them past ${MAX_ALIAS_VALUES} values`,
      ),
    );
  });

  it("an alias inside the value it names, or naming no anchor, is refused where it is written (was a TypeError)", () => {
    expect(issuesOf(() => parseStackFile(other(["  other:x: &a [1, *a]"]), PROJECT, "f.yaml"))).toEqual([
      {
        path: "f.yaml:5:19",
        message: "*a is inside the value it names (a value that contains itself): write the values out",
      },
    ]);
    expect(issuesOf(() => parseStackFile(other(["  other:x: [1, *nowhere]"]), PROJECT, "f.yaml"))).toEqual([
      { path: "f.yaml:5:16", message: "*nowhere names no anchor (&nowhere) written before it: write the anchor first" },
    ]);
    // An alias written before its anchor names nothing yet, even if the anchor comes later.
    expect(
      issuesOf(() => parseStackFile(other(["  other:x: *later", "  other:y: &later 1"]), PROJECT, "f.yaml"))[0]
        ?.message,
    ).toMatch(/^\*later names no anchor/);
  });

  it("an alias means the last anchor of its name written before it", () => {
    const text = other(["  other:a: &x 1", "  other:b: *x", "  other:c: &x [2]", "  other:d: *x"]);
    const config = parseStackFile(text, PROJECT, "f.yaml").config;
    expect([config["other:b"], config["other:d"]]).toEqual(["1", "[2]"]);
  });

  it(`chains of aliases nest no deeper than ${MAX_DEPTH} levels, counted where each alias is used`, () => {
    // Link i is a list holding link i-1: `other:aN` (level 1 under config, 2 under the root) nests N+1 lists.
    const chain = (n: number) =>
      other(["  other:a0: &a0 [x]", ...Array.from({ length: n }, (_, i) => `  other:a${i + 1}: &a${i + 1} [*a${i}]`)]);
    // The root is level 0 and config level 1: a value under config starts at level 2, so 30 lists fit.
    expect(() => parseStackFile(chain(MAX_DEPTH - 3), PROJECT, "f.yaml")).not.toThrow();
    expect(issuesOf(() => parseStackFile(chain(MAX_DEPTH - 2), PROJECT, "f.yaml"))).toEqual([
      {
        path: `f.yaml:${5 + MAX_DEPTH - 2}:${`  other:a${MAX_DEPTH - 2}: &a${MAX_DEPTH - 2} [`.length + 1}`,
        message: `*a${MAX_DEPTH - 3} nests its value deeper than ${MAX_DEPTH} levels: no value of this project is that deep`,
      },
    ]);
  });

  it("reads every document as the yaml library's own toJS does (anchors and aliases from yaml.stringify)", () => {
    const leaf = fc.oneof(
      fc.string({ maxLength: 8 }),
      fc.integer(),
      fc.boolean(),
      fc.constant(null),
      fc.double({ noNaN: true, noDefaultInfinity: true }),
    );
    const { tree } = fc.letrec((tie) => ({
      tree: fc.oneof({ depthSize: "small" }, leaf, tie("list"), tie("map")),
      list: fc.array(tie("tree"), { maxLength: 4 }),
      map: fc.dictionary(
        fc.string({ minLength: 1, maxLength: 6 }).filter((k) => !/^(__proto__|constructor|prototype|<<)$/.test(k)),
        tie("tree"),
        { maxKeys: 4 },
      ),
    }));
    fc.assert(
      fc.property(fc.array(tree, { minLength: 1, maxLength: 4 }), (values) => {
        // The same objects several times over: yaml.stringify writes them once with an anchor, then aliases.
        const shared = values.map((v, i) => [v, values[(i + 1) % values.length]]);
        const block = Object.fromEntries(shared.map((v, i) => [`other:k${i}`, v]));
        const text = stringify({ config: block });
        const expected = (parseDocument(text).toJS() as { config: Record<string, unknown> }).config;
        const read = parseStackFile(text, PROJECT, "f.yaml").config;
        for (const [key, value] of Object.entries(expected)) {
          expect(read[key]).toBe(typeof value === "string" ? value : JSON.stringify(value));
        }
        expect(Object.keys(read).sort()).toEqual(Object.keys(expected).sort());
      }),
      { numRuns: 200 },
    );
  });
});

describe("this project's values: bounded before the schema, the planner or a suggestion sees them", () => {
  const config = (values: Record<string, unknown>) =>
    Object.fromEntries(Object.entries(values).map(([k, v]) => [`${PROJECT}:${k}`, JSON.stringify(v)]));
  const base = { organizationId: ORG_ID, projects: { apps: APPS_ID } };
  const credentials = (n: number) =>
    Object.fromEntries(Array.from({ length: n }, (_, i) => [`c${i}`, { preset: "inventory", projects: ["apps"] }]));
  const projects = (n: number) =>
    Object.fromEntries(
      Array.from({ length: n }, (_, i) => [`p${i}`, `0c1d2e3f-4a5b-4c6d-8e7f-${String(i).padStart(12, "0")}`]),
    );

  it(`at most ${MAX_CREDENTIALS} credentials, in the program's reading as in the stack file's`, () => {
    expect(() =>
      namespaceConfig(config({ ...base, credentials: credentials(MAX_CREDENTIALS) }), PROJECT),
    ).not.toThrow();
    const over = config({ ...base, credentials: credentials(MAX_CREDENTIALS + 1) });
    expect(issuesOf(() => namespaceConfig(over, PROJECT))).toEqual([
      {
        path: "credentials",
        message: `declares ${MAX_CREDENTIALS + 1} credentials, more than the ${MAX_CREDENTIALS} a stack may hold (Scaleway's default quotas: 100 applications, 50 policies): split them over several stacks`,
      },
    ]);
    // As Pulumi hands `pulumi up`'s program 1 MiB of them: one line, at once.
    const started = performance.now();
    const huge = config({ ...base, credentials: credentials(21_000) });
    expect(huge[`${PROJECT}:credentials`]!.length).toBeGreaterThan(MAX_CONFIG_BYTES);
    expect(issuesOf(() => namespaceConfig(huge, PROJECT))).toHaveLength(1);
    expect(performance.now() - started).toBeLessThan(5_000);
  });

  it(`at most ${MAX_PROJECTS} project aliases`, () => {
    expect(() => namespaceConfig(config({ ...base, projects: projects(MAX_PROJECTS) }), PROJECT)).not.toThrow();
    expect(issuesOf(() => namespaceConfig(config({ ...base, projects: projects(MAX_PROJECTS + 1) }), PROJECT))).toEqual(
      [
        {
          path: "projects",
          message: `declares ${MAX_PROJECTS + 1} project aliases, more than the ${MAX_PROJECTS} a stack may hold: declare only the projects its credentials name`,
        },
      ],
    );
  });

  it(`no string or key longer than ${MAX_TEXT} characters, wherever it is (a key is shown cut short)`, () => {
    const inv = (description: string) => ({
      ...base,
      credentials: { inv: { preset: "inventory", projects: ["apps"], description } },
    });
    expect(() => namespaceConfig(config(inv("d".repeat(MAX_TEXT))), PROJECT)).not.toThrow();
    expect(issuesOf(() => namespaceConfig(config(inv("d".repeat(MAX_TEXT + 1))), PROJECT))).toEqual([
      {
        path: "credentials.inv.description",
        message: `is ${MAX_TEXT + 1} characters long, more than the ${MAX_TEXT} of any name or value here (Scaleway's names take 64, descriptions 200): shorten it`,
      },
    ]);
    const key = "k".repeat(MAX_TEXT + 1);
    expect(issuesOf(() => namespaceConfig(config({ ...base, projects: { [key]: APPS_ID } }), PROJECT))).toEqual([
      {
        path: `projects.${"k".repeat(40)}…`,
        message: `is a key ${MAX_TEXT + 1} characters long, more than the ${MAX_TEXT} of any name or value here (Scaleway's names take 64, descriptions 200): shorten it`,
      },
    ]);
    // A plain (not JSON) value is a string too.
    expect(
      issuesOf(() =>
        namespaceConfig({ ...config(base), [`${PROJECT}:namePrefix`]: "n".repeat(MAX_TEXT + 1) }, PROJECT),
      )[0]?.path,
    ).toBe("namePrefix");
  });

  it(`at most ${MAX_VALUES} values in all, whichever keys hold them`, () => {
    // base holds 4 values (organizationId 1, projects 1 + 1 alias... counted from the definition below).
    const count = (v: unknown): number =>
      v !== null && typeof v === "object" ? 1 + Object.values(v).reduce((n: number, c) => n + count(c), 0) : 1;
    const used = count(base.organizationId) + count(base.projects);
    // `tags` is one list: the list itself and its strings.
    const room = MAX_VALUES - used - 1;
    expect(() => namespaceConfig(config({ ...base, tags: Array(room).fill("t") }), PROJECT)).not.toThrow();
    const over = issuesOf(() => namespaceConfig(config({ ...base, tags: Array(room + 1).fill("t") }), PROJECT));
    expect(over).toEqual([
      {
        path: `tags[${room}]`,
        message: `the config holds more than ${MAX_VALUES} values (strings, numbers, lists, mappings; aliases expanded), far more than ${MAX_CREDENTIALS} credentials need: remove repeated or unused values`,
      },
    ]);
  });

  it("a stack file is refused at the key that passes a limit, with the file, line and column", () => {
    const file = [
      "config:",
      ORG,
      `  ${PROJECT}:projects:`,
      ...Object.entries(projects(MAX_PROJECTS + 1)).map(([a, id]) => `    ${a}: ${id}`),
      CREDS,
    ].join("\n");
    expect(issuesOf(() => parseStackFile(file, PROJECT, "Pulumi.x.yaml"))).toEqual([
      {
        path: "Pulumi.x.yaml:3:3",
        message: `${PROJECT}:projects: declares ${MAX_PROJECTS + 1} project aliases, more than the ${MAX_PROJECTS} a stack may hold: declare only the projects its credentials name`,
      },
    ]);
    // A value written as JSON text is read as the program reads it.
    const asJson = [
      "config:",
      ORG,
      PROJECTS,
      `  ${PROJECT}:credentials: '${JSON.stringify(credentials(MAX_CREDENTIALS + 1))}'`,
    ].join("\n");
    expect(issuesOf(() => parseStackFile(asJson, PROJECT, "Pulumi.x.yaml"))[0]?.path).toBe("Pulumi.x.yaml:4:3");
  });
});

describe("at most a screenful of problems", () => {
  it(`thousands of near-miss project aliases: ${MAX_REPORTED} problems and a count, 20 suggestions, 10 aliases listed`, async () => {
    // Every typo is one letter off a declared alias: each would cost an edit distance to all 200, and list them all.
    const alias = (i: number) => `p${i.toString().padStart(3, "0")}aa`;
    const typo = (i: number) => `p${i.toString().padStart(3, "0")}ab`;
    const lines = ["config:", ORG, `  ${PROJECT}:projects:`];
    for (let i = 0; i < MAX_PROJECTS; i++) lines.push(`    ${alias(i)}: ${APPS_ID}`);
    lines.push(`  ${PROJECT}:credentials:`);
    for (let c = 0; c < 400; c++) {
      const named = Array.from({ length: 30 }, (_, k) => typo((c * 30 + k) % MAX_PROJECTS));
      lines.push(`    c${c}: { preset: inventory, projects: [${named.join(", ")}] }`);
    }
    const r = await runInProcess("plan", ["--config", stackFile("Pulumi.near-misses.yaml", lines), "--json"]);
    expect(r.code).toBe(2);
    const errors = r.stderr.split("\n").filter((l) => l.startsWith("error: "));
    expect(errors).toHaveLength(MAX_REPORTED + 1);
    expect(errors[MAX_REPORTED]).toBe(`error: and ${400 * 30 - MAX_REPORTED} more problems: fix these first`);
    expect(errors.filter((l) => l.includes("did you mean")).length).toBe(20);
    expect(errors[0]).toContain(`(did you mean "${alias(0)}"?); declared aliases: ${alias(0)}, ${alias(1)}, `);
    expect(errors[0]).toMatch(new RegExp(`: ${alias(0)}, ${alias(1)}, .*, ${alias(9)} and ${MAX_PROJECTS - 10} more$`));
  });

  it(`lists the first ${MAX_ISSUES} problems of a file and counts the rest`, async () => {
    const file = stackFile("Pulumi.dups.yaml", ["config:", ...Array.from({ length: 500 }, () => "  other:k: 1")]);
    const r = await runInProcess("plan", ["--config", file, "--json"]);
    expect(r.code).toBe(2);
    const errors = r.stderr.split("\n").filter((l) => l.startsWith("error: "));
    expect(errors).toHaveLength(MAX_ISSUES + 1);
    expect(errors[0]).toBe(`error: ${file}:3:3: config.other:k: is written twice: keep one`);
    expect(errors[MAX_ISSUES]).toBe(
      `error: ${file}: and ${499 - MAX_ISSUES} more problems like these: fix these first`,
    );
  });
});
