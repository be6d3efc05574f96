/** The command-line scripts as a user runs them: exit codes, stdout/stderr discipline, formats. */
import { spawnSync } from "child_process";
import * as fs from "fs";
import * as os from "os";
import * as path from "path";
import { describe, expect, it } from "vitest";
import { assessExpiry, renderExpiryTable } from "../tools/expiry";
import { ConfigError } from "../domain/errors";

const ROOT = path.join(__dirname, "..");

/** Runs a script; `input` is piped to it, and without one its standard input is /dev/null (as in CI). */
function run(script: string, args: string[], input?: string) {
  const r = spawnSync(process.execPath, [path.join(ROOT, "tools", "run.js"), script.replace(/\.ts$/, ""), ...args], {
    cwd: ROOT,
    ...(input === undefined ? { stdio: ["ignore", "pipe", "pipe"] } : { input }),
    encoding: "utf8",
    timeout: 60_000,
  });
  return { code: r.status, stdout: r.stdout, stderr: r.stderr };
}

function tmpFile(name: string, text: string): string {
  const file = path.join(fs.mkdtempSync(path.join(os.tmpdir(), "plakar-cli-")), name);
  fs.writeFileSync(file, text);
  return file;
}

describe("plan", () => {
  it("--json prints one JSON document: stack, resources, outputs", () => {
    const r = run("plan.ts", ["--stack", "prod", "--now", "2026-11-26T00:00:00Z", "--json"]);
    expect(r.code).toBe(0);
    const doc = JSON.parse(r.stdout) as {
      stack: string;
      resources: { protect: boolean; type: string }[];
      outputs: object;
    };
    expect(doc.stack).toBe("prod");
    expect(doc.resources.length).toBeGreaterThan(0);
    expect(doc.resources.every((x) => typeof x.protect === "boolean")).toBe(true);
    expect(doc.resources.filter((x) => x.type === "scaleway:iam/application:Application").every((x) => x.protect)).toBe(
      true,
    );
    expect(doc.outputs).toHaveProperty("credentials");
  });

  it("prints a table per credential by default, and a Markdown report with --format markdown", () => {
    const table = run("plan.ts", ["--now", "2026-11-26T00:00:00Z"]);
    expect(table.code).toBe(0);
    expect(table.stdout).toMatch(/inventory {2}\[inventory\]\n {2}application {7}plakar-staging-inventory/);
    expect(table.stdout).toMatch(/preferred project backups \(/);
    const md = run("plan.ts", ["--now", "2026-11-26T00:00:00Z", "--format", "markdown"]);
    expect(md.code).toBe(0);
    expect(md.stdout).toMatch(/^### Access report: stack `staging`/);
    expect(md.stdout).toMatch(/\| `buckets` \| object-storage \| backups `[0-9a-f-]{36}` \|/);
  });

  it("a config error exits 2, prints nothing on stdout and one line per problem naming the key", () => {
    const file = tmpFile(
      "Pulumi.bad.yaml",
      [
        "config:",
        "  plakar-scaleway-iam:organizationId: 5b0a1c2d-3e4f-4a5b-8c6d-7e8f9a0b1c2d",
        "  plakar-scaleway-iam:projects: { backups: 1d2e3f4a-5b6c-4d7e-9f8a-9b0c1d2e3f4a, apps: 0c1d2e3f-4a5b-4c6d-8e7f-8a9b0c1d2e3f }",
        "  plakar-scaleway-iam:credentials:",
        "    reports: { permissionSets: [ObjectStorageObjectsRead], projects: [backups, apps], preferredProject: ops }",
        "    inv: { preset: inventory, projects: [ops] }",
      ].join("\n"),
    );
    const r = run("plan.ts", ["--config", file, "--json"]);
    expect(r.code).toBe(2);
    expect(r.stdout).toBe("");
    const errors = r.stderr.split("\n").filter((l) => l.startsWith("error: "));
    expect(errors).toHaveLength(2);
    expect(errors[0]).toMatch(/^error: credentials\.inv\.projects\[0\]: .*"ops"/);
    expect(errors[1]).toMatch(
      /^error: credentials\.reports\.preferredProject: "ops" is not one of this credential's projects \(apps, backups\)/,
    );
    expect(r.stderr).not.toMatch(/\n\s+at /); // no stack trace
  });

  it.each([
    [["--bogus"], /Unknown option '--bogus'/],
    [["--now", "tomorrow"], /--now: "tomorrow" is not an ISO-8601 date/],
    [["--stack", "nope"], /--stack: no stack file .*Pulumi\.nope\.yaml/],
    [["--format", "xml"], /--format: must be one of table, json, markdown/],
  ])("bad flags %j exit 2 with a clear message", (args, message) => {
    const r = run("plan.ts", args);
    expect(r.code).toBe(2);
    expect(r.stdout).toBe("");
    expect(r.stderr).toMatch(message);
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

describe("check-expiry (pure)", () => {
  const now = new Date("2026-12-20T00:00:00Z");

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
    expect(assessExpiry(healthy, new Date("2027-02-01T00:00:00Z"), 14).keys[0].status).toBe("expired");
    const noExpiry = { credentials: { a: { current: { accessKey: "SCWX", expiresAt: null } } } };
    const report = assessExpiry(noExpiry, now, 14);
    expect(report.ok).toBe(false);
    expect(report.keys[0].status).toBe("no-expiry");
    expect(renderExpiryTable(report)).toMatch(/FAIL: 1 key\(s\).*a \(no-expiry\)/);
  });

  it("also reads the offline plan's JSON document", () => {
    const report = assessExpiry({ stack: "staging", resources: [], outputs: healthy }, now, 14);
    expect(report.keys).toHaveLength(3);
  });

  it("rejects outputs that are not a stack's", () => {
    expect(() => assessExpiry({ foo: 1 }, now, 14)).toThrow(ConfigError);
    expect(() => assessExpiry({ credentials: { a: { current: { expiresAt: "soon" } } } }, now, 14)).toThrow(
      /credentials\.a\.current\.expiresAt/,
    );
  });
});

describe("check-expiry (command)", () => {
  it("exit 0 for healthy outputs from --outputs, 1 for expiring outputs on stdin, 2 for malformed", () => {
    const ok = run("check-expiry.ts", [
      "--outputs",
      tmpFile("ok.json", JSON.stringify(healthy)),
      "--now",
      "2026-12-20T00:00:00Z",
    ]);
    expect(ok.code).toBe(0);
    expect(ok.stdout).toMatch(/OK: no key in use expires within 14 days/);

    const expiring = run(
      "check-expiry.ts",
      ["--within", "60", "--now", "2026-12-20T00:00:00Z", "--json"],
      JSON.stringify(healthy),
    );
    expect(expiring.code).toBe(1);
    const doc = JSON.parse(expiring.stdout) as { ok: boolean; source: string };
    expect(doc).toMatchObject({ ok: false, source: "standard input" });

    expect(run("check-expiry.ts", [], "{not json").code).toBe(2);
    expect(run("check-expiry.ts", ["--within", "-3"], JSON.stringify(healthy)).code).toBe(2);
    expect(run("check-expiry.ts", ["--outputs", "/nonexistent.json"]).code).toBe(2);
  });

  it("waits for a slow writer on the pipe, as after `pulumi stack output`", () => {
    const file = tmpFile("expiring.json", JSON.stringify(healthy));
    const script = `(sleep 2; cat '${file}') | '${process.execPath}' tools/run.js check-expiry --within 60 --now 2026-12-20T00:00:00Z`;
    const r = spawnSync("bash", ["-c", script], { cwd: ROOT, encoding: "utf8", timeout: 60_000 });
    expect(r.stdout).toMatch(/from standard input/);
    expect(r.status).toBe(1);
  });

  it("never replaces an empty pipe by the offline plan, and rejects outputs without keys", () => {
    const empty = run("check-expiry.ts", [], "");
    expect(empty.code).toBe(2);
    expect(empty.stderr).toMatch(/standard input: is empty/);
    expect(run("check-expiry.ts", [], JSON.stringify({ credentials: {} })).code).toBe(2);
    expect(
      run("check-expiry.ts", [], JSON.stringify({ credentials: { a: { expiresAt: "2027-02-30T00:00:00Z" } } })).code,
    ).toBe(2);
  });

  it("falls back to the offline plan without input", () => {
    const r = run("check-expiry.ts", ["--stack", "prod", "--now", "2026-11-26T00:00:00Z"]);
    expect(r.code).toBe(0);
    expect(r.stdout).toMatch(/from offline plan of stack prod/);
    expect(r.stdout).toMatch(/inventory-web +current/);
  });
});
