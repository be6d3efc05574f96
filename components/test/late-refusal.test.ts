/**
 * A refusal found only when an Output resolves, as the user reads it: the program runs under Pulumi's own program
 * runner (@pulumi/pulumi cmd/run/run.js, whose handlers log each distinct error once and a RunError without its
 * stack), against the mock monitor instead of an engine. Every resource and output of a refused credential fails
 * with the same error (runtime/rpc.js rethrows it from each property it serializes), so each refused credential is
 * reported once, naming its `args.<path>`, and the credentials that are fine are created.
 */
import { spawnSync } from "child_process";
import * as fs from "fs";
import * as path from "path";
import { beforeAll, describe, expect, it } from "vitest";
import { tempDir } from "./support/fixtures";

let stderr: string;
let observed: { registered: string[] };
let status: number | null;

beforeAll(() => {
  // The program, bundled from this package's source (its dependencies stay in node_modules), as run.js loads it.
  const dir = tempDir();
  const program = path.join(dir, "bundle", "program.js");
  // eslint-disable-next-line @typescript-eslint/no-require-imports
  const esbuild = require("esbuild") as typeof import("esbuild");
  esbuild.buildSync({
    entryPoints: [path.join(__dirname, "runner", "program.ts")],
    bundle: true,
    platform: "node",
    format: "cjs",
    target: "node20",
    packages: "external",
    outfile: program,
    logLevel: "warning",
  });
  // The presets the components read (`<domain>/../presets`: here, beside the bundle's folder).
  fs.cpSync(path.join(__dirname, "..", "presets"), path.join(dir, "presets"), { recursive: true });
  fs.writeFileSync(
    path.join(dir, "package.json"),
    JSON.stringify({ name: "runner-program", main: "bundle/program.js" }),
  );
  const run = spawnSync(process.execPath, [path.join(__dirname, "runner", "harness.js"), program], {
    cwd: path.join(__dirname, ".."),
    encoding: "utf8",
    env: { ...process.env, NODE_PATH: path.join(__dirname, "..", "..", "node_modules") },
  });
  stderr = run.stderr;
  status = run.status;
  observed = JSON.parse(run.stdout) as typeof observed;
}, 60_000);

describe("a refusal found when an Output resolves, under Pulumi's program runner", () => {
  it("is printed once per refused credential, naming each args.<path>, with no stack trace", () => {
    // Without an engine, Pulumi's log writes `error: [runtime] <message>` to stderr (log/index.js).
    const reports = stderr.split(/^error: /m).filter((r) => r.trim() !== "");
    expect(reports.map((r) => r.trim()).sort()).toEqual(
      [
        '[runtime] invalid arguments for InventoryCredential "late-region":\n  args.delivery.region: must be a Secret Manager region: "fr-par", "nl-ams" or "pl-waw"',
        '[runtime] invalid arguments for PlakarCredential "late-sets":\n' +
          '  args.rules[0].permissionSets[1]: "ObjectStorageReader" is not a documented Scaleway permission set (did you mean "ObjectStorageReadOnly"?); see presets/permission-sets.tsv\n' +
          '  args.rules[1].permissionSets[0]: "AuditTrailReadOnly" is organization-scoped ("Access to Organization features"); Plakar only needs project-scoped sets ("Access to resources")',
      ].sort(),
    );
    expect(stderr).not.toMatch(/error serializing property/);
    expect(stderr).not.toMatch(/^\s+at /m);
    // The runner's exit code for an error it has already reported (cmd/run/index.js).
    expect(status).toBe(32);
  });

  it("creates nothing of a refused credential, and all of the one that is fine", () => {
    const children = observed.registered.filter((n) => n.startsWith("late-"));
    expect(children.sort()).toEqual(["late-region", "late-sets"]);
    expect(observed.registered).toEqual(expect.arrayContaining(["fine-app", "fine-policy"]));
  });
});
