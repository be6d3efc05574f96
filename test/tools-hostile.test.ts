/**
 * Hostile inputs to the command-line tools, past what a mistake would produce: outputs whose values carry their own
 * `toString`, a deployment with far more credentials than a table usually shows, and names or keys holding control,
 * bidi and invisible characters. Each must end as the contract says: exit 2 with one clean `error:` line (never a
 * stack trace), or a report in which no value from the input can print a line of its own or disguise itself.
 */
import * as fs from "fs";
import * as path from "path";
import fc from "fast-check";
import { afterEach, beforeAll, describe, expect, it, vi } from "vitest";
import { PROJECT } from "./support/arbitraries";
import { runInProcess, type ScriptResult, tempDir } from "./support/offline";
import { escapeUnprintable, oneLine, parseCommandLine, quote } from "../tools/cli";
import { CHECK_EXPIRY, terminalJson } from "../tools/check-expiry/main";
import { DAY_MS, wholeDaysLeft } from "../components/domain/rotation";
import {
  assessExpiry,
  describeValue,
  type ExpiryReport,
  type KeyReport,
  renderExpiryTable,
} from "../tools/check-expiry/expiry";

const NOW = "2026-11-26T00:00:00Z";
const LATER = "2027-06-01T00:00:00Z";

let dir: string;
beforeAll(() => {
  dir = tempDir();
});

const check = (args: readonly string[], stdin?: string) => runInProcess("check-expiry", args, { stdin });

/** Exit 2, nothing on stdout, the heading and exactly one `error:` line on stderr, no stack trace. */
function refusedWithOneLine(r: ScriptResult): string {
  expect(r.code, r.stderr).toBe(2);
  expect(r.stdout).toBe("");
  expect(r.stderr).not.toMatch(/\n\s+at /);
  const lines = r.stderr.trimEnd().split("\n");
  expect(lines).toHaveLength(2);
  expect(lines[1]).toMatch(/^error: /);
  return lines[1]!;
}

/**
 * What may never reach a terminal raw: C0 controls but the newlines ending lines, DEL, C1 controls, zero-width
 * characters, line and paragraph separators, bidi embeddings, overrides and isolates, and the BOM.
 */
// eslint-disable-next-line no-control-regex -- control characters are exactly what is looked for
const RAW = /[\u0000-\u0009\u000b-\u001f\u007f-\u009f\u200b-\u200f\u2028-\u202e\u2060-\u2064\u2066-\u2069\ufeff]/u;

describe("check-expiry: a bad expiresAt is described without running any of its code", () => {
  it.each([
    ["an own toString key", '{"toString":1}'],
    ["own toString and valueOf keys", '{"toString":"x","valueOf":"y"}'],
    ["a toJSON key", '{"toJSON":"x","toString":null}'],
  ])("%s: exit 2, one line naming the key and the fix", async (_, expiresAt) => {
    const file = path.join(dir, "tostring.json");
    fs.writeFileSync(file, `{"credentials":{"a":{"current":{"expiresAt":${expiresAt}}}}}`);
    const line = refusedWithOneLine(await check(["--outputs", file, "--stack", "prod", "--now", NOW]));
    expect(line).toBe(
      'error: credentials.a.current.expiresAt: an object is not an RFC 3339 timestamp: expected a string such as "2027-06-30T00:00:00Z"',
    );
  });

  it.each([
    ["[]", "a list"],
    ['["2027-01-01T00:00:00Z"]', "a list"],
    ["1798761600", "1798761600"],
    ["true", "true"],
    [`"soon\\n\\u001b[31mOK"`, String.raw`"soon\n\u001b[31mOK"`],
    ["[".repeat(100_000) + "]".repeat(100_000), "a list"],
  ])("a bad expiresAt of another type (case %#) is described by its type or value", async (expiresAt, described) => {
    const text = `{"credentials":{"a":{"expiresAt":${expiresAt}}}}`;
    const line = refusedWithOneLine(await check(["--stack", "prod", "--now", NOW], text));
    expect(line).toBe(
      `error: credentials.a.expiresAt: ${described} is not an RFC 3339 timestamp: expected a string such as "2027-06-30T00:00:00Z"`,
    );
  });

  it("a long string is cut: the line stays short", async () => {
    const text = `{"credentials":{"a":{"expiresAt":"${"[".repeat(100_000)}"}}}`;
    const line = refusedWithOneLine(await check(["--stack", "prod", "--now", NOW], text));
    expect(line).toMatch(/^error: credentials\.a\.expiresAt: "\[{250,}… \(\d+ more characters\)$/);
    expect(line.length).toBeLessThan(400);
  });

  it("describeValue reads nothing of an object: not even a trap of a Proxy", () => {
    const hostile = new Proxy(
      {},
      {
        get: () => {
          throw new Error("read");
        },
        has: () => {
          throw new Error("has");
        },
        ownKeys: () => {
          throw new Error("keys");
        },
        getPrototypeOf: () => {
          throw new Error("proto");
        },
        getOwnPropertyDescriptor: () => {
          throw new Error("descriptor");
        },
      },
    );
    expect(describeValue(hostile)).toBe("an object");
    expect(describeValue({ toString: 1, valueOf: 2, [Symbol.toPrimitive]: 3 })).toBe("an object");
    expect(describeValue(null)).toBe("null");
    expect(describeValue(undefined)).toBe("a undefined");
    expect(describeValue(-0.5)).toBe("-0.5");
    expect(describeValue("x\u202ey")).toBe(String.raw`"x\u202ey"`);
  });
});

function keyReport(i: number, accessKey: string | null = `SCW${String(i).padStart(17, "0")}`): KeyReport {
  return {
    credential: `c${i}`,
    slot: "current",
    accessKey,
    expiresAt: LATER,
    daysLeft: 187,
    status: "ok",
  };
}

describe("check-expiry: the table of a very large deployment", () => {
  const MANY = 200_000;

  it(`renders ${MANY} keys, each row as wide as the widest cell`, () => {
    const keys = Array.from({ length: MANY }, (_, i) => keyReport(i));
    const report: ExpiryReport = { now: NOW, withinDays: 14, ok: true, keys };
    const lines = renderExpiryTable(report).split("\n");
    // Header, one row per key, a blank line, the summary, the final newline.
    expect(lines).toHaveLength(MANY + 4);
    expect(lines[0]).toBe(
      `${"credential".padEnd(`c${MANY - 1}`.length)}  key      ${"access key".padEnd(20)}  expires at            days left  status`,
    );
    expect(lines[MANY]).toBe(`c${MANY - 1}     current  SCW00000000000199999  ${LATER}  187        ok`);
    expect(lines[MANY + 2]).toMatch(/^OK: no key in use expires within 14 days/);
  });

  it("as a command: outputs of 200,000 credentials piped in, exit 0", async () => {
    const credentials: Record<string, unknown> = {};
    for (let i = 0; i < MANY; i++) credentials[`c${i}`] = { current: { accessKey: `SCWK${i}`, expiresAt: LATER } };
    const r = await check(["--stack", "prod", "--now", NOW], JSON.stringify({ credentials }));
    expect(r.stderr).toBe("");
    expect(r.code).toBe(0);
    expect(r.stdout.split("\n")).toHaveLength(MANY + 6);
  }, 60_000);
});

describe("check-expiry: values from the outputs never reach the terminal raw", () => {
  const HOSTILE_KEY = "SCW\u0000\n\u001b[31mX";
  const HOSTILE_NAME = "a\nOK: fake\u202e\u200b\u2066x\u2028\ufeff\u0085";
  const outputs = JSON.stringify({
    credentials: {
      [HOSTILE_NAME]: { current: { accessKey: HOSTILE_KEY, expiresAt: "2026-11-30T00:00:00Z" } },
      b: { current: { accessKey: "SCW\u202eRTL", expiresAt: LATER } },
    },
  });

  it("the table: one line per key, names and access keys escaped, in the rows and the summary", async () => {
    const r = await check(["--stack", "prod", "--now", NOW], outputs);
    expect(r.code, r.stderr).toBe(1);
    expect(r.stdout).not.toMatch(RAW);
    const lines = r.stdout.trimEnd().split("\n");
    expect(lines).toHaveLength(7);
    const name = String.raw`a\nOK: fake\u202e\u200b\u2066x\u2028\ufeff\u0085`;
    expect(lines[3]).toBe(
      `${name}  current  ${String.raw`SCW\u0000\n\u001b[31mX`}  2026-11-30T00:00:00Z  4          expiring`,
    );
    expect(lines[4]).toMatch(/^b {2,}current {2}SCW\\u202eRTL {2,}2027-06-01T00:00:00Z {2}187 {8}ok$/);
    expect(lines[6]).toMatch(new RegExp(`^FAIL: 1 key\\(s\\) .*: ${name.replace(/[\\]/g, "\\\\")} \\(expiring\\)\\.`));
    expect(lines.filter((l) => l.startsWith("OK:"))).toEqual([]);
  });

  it("the stack an outputs document names is escaped in the heading", async () => {
    const named = JSON.stringify({ stack: "x\n\u202eOK", outputs: JSON.parse(outputs) as unknown });
    const r = await check(["--now", NOW], named);
    expect(r.stdout).not.toMatch(RAW);
    expect(r.stdout.split("\n")[0]).toBe(String.raw`Keys of stack x\n\u202eOK (from standard input):`);
  });

  it("--json: still the same values once parsed, with bidi and invisible characters escaped too", async () => {
    const r = await check(["--stack", "prod", "--now", NOW, "--json"], outputs);
    expect(r.code, r.stderr).toBe(1);
    expect(r.stdout).not.toMatch(RAW);
    const doc = JSON.parse(r.stdout) as { keys: KeyReport[] };
    expect(doc.keys.map((k) => [k.credential, k.accessKey])).toEqual([
      [HOSTILE_NAME, HOSTILE_KEY],
      ["b", "SCW\u202eRTL"],
    ]);
    expect(r.stdout).toContain(String.raw`"SCW\u202eRTL"`);
  });

  it("terminalJson escapes astral format characters as a surrogate pair and leaves other text alone", () => {
    const value = { tag: "a\u{e0041}b", fine: "é 中 🙂 \u00a0", del: "\u007f" };
    const text = terminalJson(value);
    expect(text).toContain(String.raw`"a\udb40\udc41b"`);
    expect(text).toContain(String.raw`"\u007f"`);
    expect(text).toContain('"é 中 🙂 \u00a0"');
    expect(JSON.parse(text)).toEqual(value);
  });
});

describe("oneLine: control, bidi and invisible characters escaped", () => {
  it.each([
    ["\n", String.raw`\n`],
    ["\t", String.raw`\t`],
    ["\r", String.raw`\r`],
    ["\u0000", String.raw`\u0000`],
    ["\u001b", String.raw`\u001b`],
    ["\u007f", String.raw`\u007f`],
    ["\u0085", String.raw`\u0085`],
    ["\u009b", String.raw`\u009b`],
    ["\u00ad", String.raw`\u00ad`],
    ["\u061c", String.raw`\u061c`],
    ["\u200b", String.raw`\u200b`],
    ["\u200c", String.raw`\u200c`],
    ["\u200d", String.raw`\u200d`],
    ["\u200e", String.raw`\u200e`],
    ["\u200f", String.raw`\u200f`],
    ["\u2028", String.raw`\u2028`],
    ["\u2029", String.raw`\u2029`],
    ["\u202a", String.raw`\u202a`],
    ["\u202b", String.raw`\u202b`],
    ["\u202c", String.raw`\u202c`],
    ["\u202d", String.raw`\u202d`],
    ["\u202e", String.raw`\u202e`],
    ["\u2060", String.raw`\u2060`],
    ["\u2066", String.raw`\u2066`],
    ["\u2067", String.raw`\u2067`],
    ["\u2068", String.raw`\u2068`],
    ["\u2069", String.raw`\u2069`],
    ["\ufeff", String.raw`\ufeff`],
    ["\u{e0041}", String.raw`\u{e0041}`],
    ["\ud800", String.raw`\ud800`],
  ])("%j is written %s", (c, escaped) => {
    expect(oneLine(`a${c}b`)).toBe(`a${escaped}b`);
    expect(quote(c)).toBe(`"${escaped}"`);
  });

  it("leaves printable text alone, and still cuts long text", () => {
    const fine = "inventory é 中文 🙂 👍🏽 a\u00a0b — “x”";
    expect(oneLine(fine)).toBe(fine);
    expect(escapeUnprintable(fine)).toBe(fine);
    expect(oneLine("\u202e".repeat(100))).toBe(`${String.raw`\u202e`.repeat(50)}… (300 more characters)`);
  });

  it.each([
    ["a right-to-left override", "inv\u202eyrotnevni", String.raw`inv\u202eyrotnevni`],
    ["a zero-width space", "inv\u200bentory", String.raw`inv\u200bentory`],
  ])("plan: %s in a credential name is escaped in every error line", async (_, name, shown) => {
    const file = path.join(dir, "Pulumi.t.yaml");
    fs.writeFileSync(
      file,
      [
        "config:",
        `  ${PROJECT}:organizationId: 5b0a1c2d-3e4f-4a5b-8c6d-7e8f9a0b1c2d`,
        `  ${PROJECT}:projects: { apps: 0c1d2e3f-4a5b-4c6d-8e7f-8a9b0c1d2e3f }`,
        `  ${PROJECT}:credentials: { "${name}": { preset: inventory, projects: [apps] } }`,
        "",
      ].join("\n"),
    );
    const r = await runInProcess("plan", ["--config", file, "--stack", "t", "--now", NOW]);
    expect(r.code, r.stderr).toBe(2);
    expect(r.stderr).not.toMatch(RAW);
    const errors = r.stderr.split("\n").filter((l) => l.startsWith("error: "));
    expect(errors.length).toBeGreaterThan(0);
    expect(errors[0]).toMatch(
      new RegExp(`^error: credentials\\.${shown.replace(/\\/g, "\\\\")}: credential names are`),
    );
  });
});

describe("check-expiry: days left counted as a person counts them", () => {
  const EXPIRY = Date.parse("2027-01-10T00:00:00Z");
  const at = (offsetMs: number) => new Date(EXPIRY - offsetMs);
  const outputs = { credentials: { a: { current: { accessKey: "SCWA", expiresAt: "2027-01-10T00:00:00Z" } } } };
  const judged = (offsetMs: number) => {
    const [key] = assessExpiry(outputs, at(offsetMs), 14).keys;
    return [key!.daysLeft, key!.status];
  };

  it.each([
    ["exactly at the expiry", 0, 0, "expired"],
    ["1 ms before the expiry", 1, 0, "expiring"],
    ["1 ms after the expiry", -1, 0, "expired"],
    ["0.99 days left", 0.99 * DAY_MS, 0, "expiring"],
    ["exactly 1 day left", DAY_MS, 1, "expiring"],
    ["1.5 days left", 1.5 * DAY_MS, 1, "expiring"],
    ["0.99 days past", -0.99 * DAY_MS, 0, "expired"],
    ["exactly 1 day past", -DAY_MS, -1, "expired"],
    ["4.01 days past: expired 4 days ago", -4.01 * DAY_MS, -4, "expired"],
    ["4.99 days past", -4.99 * DAY_MS, -4, "expired"],
    ["exactly 5 days past", -5 * DAY_MS, -5, "expired"],
    ["13.99 days left", 13.99 * DAY_MS, 13, "expiring"],
    ["exactly 14 days left", 14 * DAY_MS, 14, "ok"],
  ])("%s: days left %#", (_, offset, days, status) => {
    expect(judged(offset)).toEqual([days, status]);
  });

  it("0 is never -0: JSON and the table show 0 on both sides of the expiry", () => {
    for (const offset of [-1, -0.5 * DAY_MS, 0, 1]) {
      const report = assessExpiry(outputs, at(offset), 14);
      expect(Object.is(report.keys[0]!.daysLeft, 0)).toBe(true);
      expect(JSON.stringify(report)).toContain('"daysLeft":0,');
    }
    const past = renderExpiryTable(assessExpiry(outputs, at(-4.01 * DAY_MS), 14)).split("\n")[1];
    expect(past).toMatch(/^a {2,}current {2}SCWA {2,}2027-01-10T00:00:00Z {2}-4 {2,}expired$/);
  });

  it("the whole days between now and the expiry, the fraction dropped on either side", () => {
    fc.assert(
      fc.property(fc.integer({ min: -3650 * DAY_MS, max: 3650 * DAY_MS }), (ms) => {
        const days = wholeDaysLeft(ms);
        expect(Number.isInteger(days) && !Object.is(days, -0)).toBe(true);
        // Never more whole days than have passed or are left, and less than one day short of them.
        expect(Math.abs(days) * DAY_MS).toBeLessThanOrEqual(Math.abs(ms));
        expect(Math.abs(ms)).toBeLessThan((Math.abs(days) + 1) * DAY_MS);
        // The sign says the side: past is never positive, future never negative; a key and its mirror agree.
        expect(ms < 0 ? days <= 0 : days >= 0).toBe(true);
        expect(wholeDaysLeft(-ms)).toBe(days === 0 ? 0 : -days);
      }),
    );
  });
});

describe("npm's kept flags: values from the command line and npm's variables, escaped and bounded", () => {
  // npm's launch, without any npmrc of this machine's (an outer `npm test` exports their paths).
  const npm = { npm_lifecycle_event: "check-expiry", npm_command: "run", npm_config_user_agent: "npm/11.19.1" };
  afterEach(() => {
    vi.unstubAllEnvs();
  });

  it("control, bidi and invisible characters in a kept value and a bare value: one clean line each", async () => {
    // Nothing of an outer npm's (npm test): neither its variables nor the npmrc files they name.
    for (const k of Object.keys(process.env)) if (/^npm_/i.test(k)) vi.stubEnv(k, undefined);
    for (const [k, v] of Object.entries({
      ...npm,
      npm_config_stack: "prod\n\u001b[31mOK\u202e",
      npm_config_outputs: "true",
    }))
      vi.stubEnv(k, v);
    const r = await check(["out\u2028error: forged\u200b.json"]);
    expect(r.code).toBe(2);
    expect(r.stdout).toBe("");
    expect(r.stderr).not.toMatch(RAW);
    const lines = r.stderr.trimEnd().split("\n");
    expect(lines).toHaveLength(4);
    expect(lines.slice(1).every((l) => l.startsWith("error: "))).toBe(true);
    expect(lines[1]).toBe(
      String.raw`error: --stack: npm kept this flag and its value "prod\n\u001b[31mOK\u202e" for itself (npm_config_stack)`,
    );
    expect(lines[3]).toContain(String.raw`--outputs 'out\u2028error: forged\u200b.json'`);
  });

  it("a megabyte of value, and a flag npm joined 100,000 times: bounded lines, at once", () => {
    const started = Date.now();
    const env = {
      ...npm,
      npm_config_config: "x".repeat(1024 * 1024),
      npm_config_stack: Array.from({ length: 100_000 }, () => "true").join("\n\n"),
    };
    let issues: readonly { path: string; message: string }[] = [];
    try {
      parseCommandLine(
        Array.from({ length: 100_000 }, (_, i) => `v${i}`),
        CHECK_EXPIRY,
        env,
      );
    } catch (err) {
      issues = (err as { issues: typeof issues }).issues;
    }
    expect(Date.now() - started).toBeLessThan(10_000);
    // --config with its value, --stack once (its 100,000 copies are one problem), the command line.
    expect(issues.map((i) => i.path)).toEqual(["--stack", "--config", ""]);
    expect(issues[0]!.message).toMatch(/one of the bare arguments "v0", .*"v9" and 99990 more$/);
    for (const i of issues) expect(oneLine(i.message).length).toBeLessThan(400);
  });
});
