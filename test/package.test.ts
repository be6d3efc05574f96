/**
 * The package as another team gets it: `npm pack`, installed into an empty folder (offline: the tarball's files
 * unpacked into node_modules/, its dependencies linked from this checkout's node_modules/ — the versions its
 * package.json pins), then a consumer program written against the public API runs there under Pulumi's mocks.
 */
import { execFileSync, spawnSync } from "child_process";
import * as fs from "fs";
import * as os from "os";
import * as path from "path";
import { beforeAll, describe, expect, it } from "vitest";
import { ROOT } from "./support/arbitraries";

const DATA = "3f4a5b6c-7d8e-4f9a-9b0c-1d2e3f4a5b6c";

interface Observed {
  urns: string[];
  keysA: { current: { accessKey: string; expiresAt: string; generation?: string }; previous?: unknown };
  secretIsSecret: boolean;
  plakarA: { integration: string; fields: { label: string; value?: string }[] };
  refusal: { isArgsError: boolean; issues: { path: string; message: string }[]; registeredMeanwhile: number } | null;
  presets: string[];
  registered: { type: string; name: string; inputs: Record<string, unknown> }[];
}

let consumer: string;
let packed: string[];
let observed: Observed;

/** Installs the tarball's package into `dir`/node_modules with its dependencies linked from this checkout. */
function installOffline(tarball: string, dir: string): void {
  const modules = path.join(dir, "node_modules");
  const target = path.join(modules, "plakar-scaleway-iam");
  fs.mkdirSync(target, { recursive: true });
  execFileSync("tar", ["-xzf", tarball, "-C", target, "--strip-components=1"]);
  const manifest = JSON.parse(fs.readFileSync(path.join(target, "package.json"), "utf8")) as {
    dependencies: Record<string, string>;
    peerDependencies: Record<string, string>;
  };
  for (const name of Object.keys({ ...manifest.dependencies, ...manifest.peerDependencies })) {
    const installed = path.join(ROOT, "node_modules", name);
    fs.mkdirSync(path.dirname(path.join(modules, name)), { recursive: true });
    fs.symlinkSync(installed, path.join(modules, name), "dir");
  }
  // What the dependencies need in turn, as npm would hoist it.
  for (const entry of fs.readdirSync(path.join(ROOT, "node_modules"))) {
    const link = path.join(modules, entry);
    if (entry.startsWith(".") || fs.existsSync(link)) continue;
    if (entry.startsWith("@")) {
      for (const scoped of fs.readdirSync(path.join(ROOT, "node_modules", entry))) {
        const scopedLink = path.join(link, scoped);
        if (fs.existsSync(scopedLink)) continue;
        fs.mkdirSync(link, { recursive: true });
        fs.symlinkSync(path.join(ROOT, "node_modules", entry, scoped), scopedLink, "dir");
      }
    } else {
      fs.symlinkSync(path.join(ROOT, "node_modules", entry), link, "dir");
    }
  }
}

beforeAll(() => {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), "plakar-iam-pack-"));
  const out = execFileSync("npm", ["pack", "--json", "--pack-destination", dir], {
    cwd: path.join(ROOT, "components"),
    encoding: "utf8",
  });
  const [info] = JSON.parse(out) as { filename: string; files: { path: string }[] }[];
  packed = info.files.map((f) => f.path);
  consumer = path.join(dir, "consumer");
  fs.mkdirSync(consumer);
  fs.writeFileSync(path.join(consumer, "package.json"), JSON.stringify({ name: "consumer", private: true }));
  installOffline(path.join(dir, info.filename), consumer);
  fs.copyFileSync(path.join(ROOT, "test", "consumer", "program.js"), path.join(consumer, "index.js"));
  const run = spawnSync(process.execPath, ["index.js"], { cwd: consumer, encoding: "utf8" });
  expect(run.stderr).toBe("");
  expect(run.status).toBe(0);
  observed = JSON.parse(run.stdout) as Observed;
}, 60_000);

describe("the packed package", () => {
  it("ships the built library, its types, the presets and the catalog, and no tests", () => {
    for (const file of [
      "dist/index.js",
      "dist/index.d.ts",
      "dist/presets/permission-sets.tsv",
      "dist/presets/object-storage.yaml",
      "PulumiPlugin.yaml",
      "plugin.ts",
    ]) {
      expect(packed).toContain(file);
    }
    expect(packed.filter((f) => f.startsWith("test/") || f.startsWith("tools/"))).toEqual([]);
  });

  it("loads presets from inside the package, not from this checkout", () => {
    expect(observed.presets).toContain("object-storage");
    expect(observed.presets).toContain("inventory");
  });

  it("lets two credentials built from identical args live side by side", () => {
    const [a, b] = observed.urns;
    expect(a).toMatch(/plakar-scaleway-iam:index:PlakarCredential::backup-a$/);
    expect(b).toMatch(/plakar-scaleway-iam:index:PlakarCredential::backup-b$/);
    const names = observed.registered.map((r) => r.name);
    for (const prefix of ["backup-a", "backup-b"]) {
      expect(names).toContain(`${prefix}-app`);
      expect(names).toContain(`${prefix}-policy`);
      expect(names).toContain(`${prefix}-key-2026-12-16`);
    }
    expect(new Set(names).size).toBe(names.length);
  });

  it("resolves project IDs given as Outputs into the rule and the preferred project", () => {
    const policy = observed.registered.find((r) => r.name === "backup-a-policy");
    expect(policy?.inputs.rules).toEqual([
      {
        projectIds: [DATA],
        permissionSetNames: [
          "ObjectStorageBucketsRead",
          "ObjectStorageBucketsWrite",
          "ObjectStorageObjectsDelete",
          "ObjectStorageObjectsRead",
          "ObjectStorageObjectsWrite",
        ],
      },
    ]);
    const key = observed.registered.find((r) => r.name === "backup-a-key-2026-12-16");
    expect(key?.inputs.defaultProjectId).toBe(DATA);
    expect(observed.keysA.current.accessKey).toBe("SCW-backup-a-key-2026-12-16");
    expect(observed.secretIsSecret).toBe(true);
    expect(JSON.stringify(observed.plakarA)).not.toContain("consumer-secret");
  });

  it("refuses an organization-scoped set before registering anything, with the args.<path> key", () => {
    expect(observed.refusal).toEqual({
      isArgsError: true,
      issues: [
        {
          path: "args.permissionSets[1]",
          message:
            '"AuditTrailReadOnly" is organization-scoped ("Access to Organization features"); Plakar only needs project-scoped sets ("Access to resources")',
        },
      ],
      registeredMeanwhile: 0,
    });
    expect(observed.registered.some((r) => r.name.startsWith("too-much"))).toBe(false);
  });
});
