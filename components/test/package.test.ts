/**
 * The component package as other teams get it, three ways:
 * - packed (`npm pack` in components/) and installed with npm into a consumer folder that already has its own
 *   @pulumi/pulumi 3.248.0 and @pulumiverse/scaleway 1.54.0: one copy of each results, a TypeScript consumer's
 *   program uses it, and Pulumi's ComponentProvider, built from it as the plugin runner builds it, serves it;
 * - from a git checkout's subfolder, as `pulumi package add <git URL>/components` takes it: Pulumi installs the
 *   dependencies at the npm workspace's root (pulumi/pulumi sdk/nodejs/npm/workspaces.go FindWorkspaceRoot, then
 *   `npm install`), whose `prepare` builds dist/, and its own plugin runner (@pulumi/pulumi cmd/run-plugin) serves
 *   the package over gRPC. That install is the one every clean clone gets (`.ci/run` runs `npm ci` at the root before
 *   this suite: the same workspace install, `prepare` included), so the checkout's copy here reuses its
 *   node_modules and runs `prepare` itself, rather than installing 500 packages a second time;
 * - from the workspace, as this repository's stack uses it.
 *
 * npm installs from this machine's cache (`--offline`, `--prefer-offline`: the SDKs' exact versions come from this
 * repository's lock file); resolving the package's peer ranges asks the registry for metadata.
 */
import { execFileSync, spawn } from "child_process";
import * as fs from "fs";
import * as path from "path";
import * as grpc from "@grpc/grpc-js";
import * as provrpc from "@pulumi/pulumi/proto/provider_grpc_pb";
import * as provproto from "@pulumi/pulumi/proto/provider_pb";
import { beforeAll, describe, expect, it } from "vitest";
import { COMPONENT_TYPES } from "../domain/constants";
import { REPOSITORY as ROOT } from "./support/fixtures";
import { tempDir } from "./support/fixtures";

const DATA = "3f4a5b6c-7d8e-4f9a-9b0c-1d2e3f4a5b6c";
const VAULT = "1d2e3f4a-5b6c-4d7e-9f8a-9b0c1d2e3f4a";
const SDKS = { "@pulumi/pulumi": "3.248.0", "@pulumiverse/scaleway": "1.54.0" };
const NPM = ["--no-audit", "--no-fund", "--loglevel=error"];

interface LockEntry {
  version?: string;
  link?: boolean;
  dependencies?: Record<string, string>;
  optionalDependencies?: Record<string, string>;
}

/** The entries of this repository's lock file that `names` need, with their dependencies, as npm placed them. */
function lockClosure(names: readonly string[]): Record<string, LockEntry> {
  const lock = (
    JSON.parse(fs.readFileSync(path.join(ROOT, "package-lock.json"), "utf8")) as {
      packages: Record<string, LockEntry>;
    }
  ).packages;
  const resolve = (from: string, name: string): string | undefined => {
    for (let base = from; ; base = base.slice(0, Math.max(0, base.lastIndexOf("/node_modules/")))) {
      const at = `${base ? `${base}/` : ""}node_modules/${name}`;
      if (lock[at] && !lock[at].link) return at;
      if (!base) return undefined;
    }
  };
  const seen = new Set<string>();
  const queue = names.map((n) => resolve("", n));
  while (queue.length > 0) {
    const at = queue.pop();
    if (!at || seen.has(at)) continue;
    seen.add(at);
    const entry = lock[at];
    for (const dep of Object.keys({ ...entry.dependencies, ...entry.optionalDependencies }))
      queue.push(resolve(at, dep));
  }
  return Object.fromEntries([...seen].sort().map((at) => [at, lock[at]]));
}

/** How many copies of `name` a folder's node_modules tree holds. */
function copies(dir: string, name: string): string[] {
  const found: string[] = [];
  const walk = (modules: string) => {
    if (!fs.existsSync(modules)) return;
    for (const entry of fs.readdirSync(modules)) {
      const scoped = entry.startsWith("@")
        ? fs.readdirSync(path.join(modules, entry)).map((e) => `${entry}/${e}`)
        : [entry];
      for (const pkg of scoped) {
        const at = path.join(modules, pkg);
        if (pkg === name) found.push(at);
        walk(path.join(at, "node_modules"));
      }
    }
  };
  walk(path.join(dir, "node_modules"));
  return found;
}

function node(script: string, cwd: string): Record<string, unknown> {
  return JSON.parse(execFileSync(process.execPath, [script], { cwd, encoding: "utf8" })) as Record<string, unknown>;
}

/** A git checkout of this repository, as `pulumi package add <git URL>/components` takes it, installed as Pulumi does. */
let clone: string;
let runnerSchema: { resources: Record<string, unknown> };

beforeAll(async () => {
  // What a clone holds: the files git tracks or would (not ignored), without node_modules or builds.
  clone = path.join(tempDir(), "repo");
  const files = execFileSync("git", ["ls-files", "-z", "--cached", "--others", "--exclude-standard"], {
    cwd: ROOT,
    encoding: "utf8",
  })
    .split("\0")
    .filter((f) => f && fs.existsSync(path.join(ROOT, f)));
  for (const file of files) {
    fs.mkdirSync(path.dirname(path.join(clone, file)), { recursive: true });
    fs.copyFileSync(path.join(ROOT, file), path.join(clone, file));
  }
  // Pulumi's nodejs host installs a plugin inside an npm workspace at the workspace's root, and npm runs the
  // package's `prepare`, which builds dist/: the root's installed tree, and the package's own `prepare` script.
  fs.symlinkSync(path.join(ROOT, "node_modules"), path.join(clone, "node_modules"), "dir");
  const prepare = (
    JSON.parse(fs.readFileSync(path.join(clone, "components", "package.json"), "utf8")) as {
      scripts: Record<string, string>;
    }
  ).scripts.prepare;
  expect(prepare).toBe("node scripts/build.js --prepare");
  execFileSync(process.execPath, ["scripts/build.js", "--prepare"], { cwd: path.join(clone, "components") });
  expect(fs.existsSync(path.join(clone, "components", "dist", "index.js"))).toBe(true);

  // Pulumi's own plugin runner on the folder, as the language host starts it; it prints the port it serves on.
  const runner = path.join(clone, "node_modules", "@pulumi", "pulumi", "cmd", "run-plugin");
  const child = spawn(process.execPath, [runner, path.join(clone, "components")], {
    cwd: path.join(clone, "components"),
    env: { ...process.env, PULUMI_NODEJS_TYPESCRIPT: "true" },
    stdio: ["ignore", "pipe", "pipe"],
  });
  try {
    const port = await new Promise<string>((resolve, reject) => {
      let out = "";
      let err = "";
      child.stdout.on("data", (d: Buffer) => {
        out += d.toString();
        if (out.includes("\n")) resolve(out.split("\n")[0].trim());
      });
      child.stderr.on("data", (d: Buffer) => (err += d.toString()));
      child.on("exit", (code) => reject(new Error(`the plugin runner exited (${code}): ${err}`)));
    });
    const client = new provrpc.ResourceProviderClient(`127.0.0.1:${port}`, grpc.credentials.createInsecure());
    const response = await new Promise<provproto.GetSchemaResponse>((resolve, reject) =>
      client.getSchema(new provproto.GetSchemaRequest(), (err, res) => (err || !res ? reject(err) : resolve(res))),
    );
    client.close();
    runnerSchema = JSON.parse(response.getSchema()) as typeof runnerSchema;
  } finally {
    child.kill();
  }
}, 180_000);

describe("a git checkout's components/ folder, as `pulumi package add` takes it", () => {
  it("is served by Pulumi's plugin runner as it is: the seven classes", () => {
    expect(Object.keys(runnerSchema.resources).sort()).toEqual(Object.values(COMPONENT_TYPES).sort());
  });
});

describe("the packed package, installed beside a consumer's own SDKs", () => {
  let packed: string[];
  let consumer: string;
  let program: Record<string, unknown>;
  let plugin: Record<string, unknown>;

  beforeAll(() => {
    // `npm pack` of the checkout's folder, whose dist/ its `prepare` just built (`prepack` would build it again).
    const dir = tempDir();
    const out = execFileSync("npm", ["pack", "--json", "--ignore-scripts", "--pack-destination", dir], {
      cwd: path.join(clone, "components"),
      encoding: "utf8",
      stdio: ["ignore", "pipe", "pipe"],
    });
    const [info] = JSON.parse(out) as { filename: string; files: { path: string }[] }[];
    packed = info.files.map((f) => f.path);
    consumer = path.join(dir, "consumer");
    fs.mkdirSync(consumer);
    // The consumer's own SDKs first, at the versions this repository locks.
    const manifest = { name: "consumer", private: true, dependencies: SDKS };
    fs.writeFileSync(path.join(consumer, "package.json"), JSON.stringify(manifest));
    fs.writeFileSync(
      path.join(consumer, "package-lock.json"),
      JSON.stringify({
        name: "consumer",
        lockfileVersion: 3,
        requires: true,
        packages: { "": { name: "consumer", dependencies: SDKS }, ...lockClosure(Object.keys(SDKS)) },
      }),
    );
    const quiet = { cwd: consumer, stdio: "pipe" } as const;
    execFileSync("npm", ["ci", "--offline", ...NPM], quiet);
    execFileSync("npm", ["install", "--prefer-offline", ...NPM, path.join(dir, info.filename)], quiet);
    for (const script of ["program.js", "plugin.js"]) {
      fs.copyFileSync(path.join(__dirname, "consumer", script), path.join(consumer, script));
    }
    program = node("program.js", consumer);
    plugin = node("plugin.js", consumer);
  }, 120_000);

  it("ships the built library, its types, its TypeScript source, the presets and the catalog; no tests", () => {
    for (const file of [
      "dist/index.js",
      "dist/index.d.ts",
      "dist/presets/permission-sets.tsv",
      "index.ts",
      "objectStorage.ts",
      "domain/credential.ts",
      "presets/permission-sets.tsv",
      "presets/object-storage.yaml",
      "PulumiPlugin.yaml",
      "tsconfig.json",
      "README.md",
    ]) {
      expect(packed).toContain(file);
    }
    expect(packed.filter((f) => /(^|\/)test\/|\.test\.ts$/.test(f))).toEqual([]);
  });

  it("leaves the consumer with one copy of each SDK, and states ranges, not pins", () => {
    expect(copies(consumer, "@pulumi/pulumi")).toHaveLength(1);
    expect(copies(consumer, "@pulumiverse/scaleway")).toHaveLength(1);
    const installed = JSON.parse(
      fs.readFileSync(path.join(consumer, "node_modules", "plakar-scaleway-iam", "package.json"), "utf8"),
    ) as { peerDependencies: Record<string, string>; dependencies: Record<string, string> };
    for (const range of [...Object.values(installed.peerDependencies), ...Object.values(installed.dependencies)]) {
      expect(range).toMatch(/^\^\d/);
    }
    expect(installed.peerDependencies).toEqual({ "@pulumi/pulumi": "^3.248.0", "@pulumiverse/scaleway": "^1.54.0" });
    expect(program.isComponentResource).toBe(true);
  });

  it("serves a consumer's program: credentials side by side, Outputs as project IDs, the secret a secret", () => {
    const [a, b] = program.urns as string[];
    expect(a).toMatch(/plakar-scaleway-iam:index:ObjectStorageCredential::backup-a$/);
    expect(b).toMatch(/plakar-scaleway-iam:index:ObjectStorageCredential::backup-b$/);
    const registered = program.registered as { name: string; inputs: Record<string, unknown> }[];
    const key = registered.find((r) => r.name === "backup-a-key-2026-12-16");
    expect(key?.inputs.defaultProjectId).toBe(DATA);
    expect(program.accessA).toMatchObject({ useCase: "object-storage", projectIds: [DATA], preferredProjectId: DATA });
    expect(program.secretIsSecret).toBe(true);
    expect(JSON.stringify(program.plakarA)).not.toContain("consumer-secret");
    expect(program.presets).toEqual(expect.arrayContaining(["inventory", "object-storage"]));
  });

  it("refuses an organization-scoped set before registering anything, with the args.<path> key", () => {
    expect(program.refusal).toEqual({
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
  });

  it("is hosted by Pulumi's ComponentProvider built as the plugin runner builds it", () => {
    expect((plugin.components as string[]).sort()).toEqual(Object.keys(COMPONENT_TYPES).sort());
    expect((plugin.tokens as string[]).sort()).toEqual(Object.values(COMPONENT_TYPES).sort());
    // A Python program's delivery with a dependency comes as one Output; the component takes it.
    expect(plugin.deliveryArrivedAsOutput).toBe(true);
    const names = (plugin.registered as { name: string }[]).map((r) => r.name);
    expect(names).toEqual(
      expect.arrayContaining(["from-python-app", "from-python-policy", "from-python-delivery-secret"]),
    );
    expect(plugin.secretKeyIsSecret).toBe(true);
    expect(plugin.delivery).toMatchObject({ projectId: VAULT, region: "fr-par", path: "/plakar/dev/from-python" });
  });
});

describe("the workspace", () => {
  it("gives the stack the package from components/, with one copy of each SDK in the tree", () => {
    expect(fs.realpathSync(path.join(ROOT, "node_modules", "plakar-scaleway-iam"))).toBe(path.join(ROOT, "components"));
    expect(copies(ROOT, "@pulumi/pulumi")).toHaveLength(1);
    expect(copies(ROOT, "@pulumiverse/scaleway")).toHaveLength(1);
  });
});
