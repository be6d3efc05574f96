/**
 * The policy pack started as the Pulumi CLI starts it, and spoken to over its gRPC Analyzer service, as the engine
 * does. pulumi/pulumi sdk/nodejs/cmd/pulumi-language-nodejs/main.go (`RunPlugin`, kind analyzer) runs
 * `node <@pulumi/pulumi/cmd/run-policy-pack> <engine address> <pack dir>` in the pack's directory with
 * PULUMI_NODEJS_STACK/PROJECT/... in the environment; the program (policy/index.ts, through ts-node) builds the
 * `PolicyPack`, whose server (@pulumi/policy server.js `serve`) prints its port on stdout. The engine then calls
 * GetAnalyzerInfo, Configure (the pack config), Analyze for each resource's inputs and AnalyzeStack once
 * (sdk/go/common/resource/plugin/analyzer_plugin.go). The resources are the example stacks' offline plans.
 * A child process is the point here: the entry point, its ts-node compile and its server are what is tested.
 */
import { type ChildProcess, spawn } from "child_process";
import * as path from "path";
import * as grpc from "@grpc/grpc-js";
import * as analyzerRpc from "@pulumi/pulumi/proto/analyzer_grpc_pb";
import * as analyzerPb from "@pulumi/pulumi/proto/analyzer_pb";
import { Struct } from "google-protobuf/google/protobuf/struct_pb";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { PlannedResource } from "../tools/plan/offline";
import { freshOffline } from "./support/offline";

const ROOT = path.join(__dirname, "..");
const PACK_DIR = path.join(ROOT, "policy");
const RUN_POLICY_PACK = require.resolve("@pulumi/pulumi/cmd/run-policy-pack");
const NOW = new Date("2026-12-20T00:00:00Z");

let pack: ChildProcess;
let client: analyzerRpc.AnalyzerClient;
let stderr = "";

/** Starts the pack as the language host does and resolves with the port its server prints. */
function startPack(): Promise<number> {
  return new Promise((resolve, reject) => {
    pack = spawn(process.execPath, [RUN_POLICY_PACK, "127.0.0.1:1", PACK_DIR], {
      cwd: PACK_DIR,
      env: {
        ...process.env,
        PULUMI_NODEJS_TYPESCRIPT: "true",
        PULUMI_NODEJS_PROJECT: "plakar-scaleway-iam",
        PULUMI_NODEJS_STACK: "prod",
        PULUMI_NODEJS_DRY_RUN: "true",
      },
      stdio: ["ignore", "pipe", "pipe"],
    });
    let stdout = "";
    pack.stdout?.on("data", (d: Buffer) => {
      stdout += d.toString();
      const line = stdout.split("\n")[0];
      if (stdout.includes("\n") && line && /^\d+$/.test(line.trim())) resolve(Number(line.trim()));
    });
    pack.stderr?.on("data", (d: Buffer) => (stderr += d.toString()));
    pack.on("error", reject);
    pack.on("exit", (code) => reject(new Error(`the policy pack exited (${code}): ${stderr}`)));
  });
}

function call<Req, Res>(
  method: (req: Req, cb: (err: grpc.ServiceError | null, res: Res) => void) => unknown,
  req: Req,
) {
  return new Promise<Res>((resolve, reject) =>
    method.call(client, req, (err, res) => (err ? reject(err) : resolve(res))),
  );
}

/** Configure, as the engine sends the pack's config: one PolicyConfig per policy name. */
async function configure(config: Record<string, Record<string, unknown>>): Promise<void> {
  const req = new analyzerPb.ConfigureAnalyzerRequest();
  for (const [name, props] of Object.entries(config)) {
    const pc = new analyzerPb.PolicyConfig();
    pc.setEnforcementlevel(analyzerPb.EnforcementLevel.MANDATORY);
    pc.setProperties(Struct.fromJavaScript(props as never));
    req.getPolicyconfigMap().set(name, pc);
  }
  await call(client.configure, req);
}

function options(r: PlannedResource): analyzerPb.AnalyzerResourceOptions {
  const o = new analyzerPb.AnalyzerResourceOptions();
  o.setProtect(r.protect);
  o.setIgnorechangesList([...r.ignoreChanges]);
  o.setAdditionalsecretoutputsList([...r.additionalSecretOutputs]);
  return o;
}

interface Violation {
  readonly policy: string;
  readonly name: string;
  readonly message: string;
}

/** Every resource through Analyze, then the stack through AnalyzeStack: the violations reported. */
async function analyzeAll(resources: readonly PlannedResource[]): Promise<Violation[]> {
  const byUrn = new Map(resources.map((r) => [r.urn, r.name]));
  const out: Violation[] = [];
  // A resource policy's diagnostic carries no URN (the engine knows which resource it asked about).
  const collect = (res: analyzerPb.AnalyzeResponse, name: string) => {
    for (const d of res.getDiagnosticsList()) out.push({ policy: d.getPolicyname(), name, message: d.getMessage() });
  };
  for (const r of resources) {
    const req = new analyzerPb.AnalyzeRequest();
    req.setType(r.type);
    req.setName(r.name);
    req.setUrn(r.urn);
    req.setProperties(Struct.fromJavaScript(r.inputs as never));
    req.setOptions(options(r));
    collect(await call(client.analyze, req), r.name);
  }
  const stackReq = new analyzerPb.AnalyzeStackRequest();
  stackReq.setResourcesList(
    resources.map((r) => {
      const a = new analyzerPb.AnalyzerResource();
      a.setType(r.type);
      a.setName(r.name);
      a.setUrn(r.urn);
      a.setProperties(Struct.fromJavaScript(r.inputs as never));
      a.setOptions(options(r));
      a.setParent(r.parent ?? "");
      a.setDependenciesList([...r.dependsOn]);
      return a;
    }),
  );
  const stackRes = await call<analyzerPb.AnalyzeStackRequest, analyzerPb.AnalyzeResponse>(
    client.analyzeStack,
    stackReq,
  );
  for (const d of stackRes.getDiagnosticsList()) {
    out.push({ policy: d.getPolicyname(), name: byUrn.get(d.getUrn()) ?? "", message: d.getMessage() });
  }
  return out;
}

const plans = new Map<string, PlannedResource[]>();

beforeAll(async () => {
  for (const stack of ["staging", "prod"]) plans.set(stack, [...(await freshOffline({ stack, now: NOW })).resources]);
  const port = await startPack();
  client = new analyzerRpc.AnalyzerClient(`127.0.0.1:${port}`, grpc.credentials.createInsecure());
}, 120_000);

afterAll(() => {
  client?.close();
  pack?.removeAllListeners("exit");
  pack?.kill();
});

describe("the pack, served by @pulumi/policy as the CLI starts it", () => {
  it("announces its name and every policy, mandatory, with the config schema of the configurable ones", async () => {
    const Empty = (analyzerRpc.AnalyzerService.getAnalyzerInfo as unknown as { requestType: new () => object })
      .requestType;
    const getInfo = client.getAnalyzerInfo as unknown as (
      req: object,
      cb: (err: grpc.ServiceError | null, res: analyzerPb.AnalyzerInfo) => void,
    ) => unknown;
    const info = await call(getInfo, new Empty());
    expect(info.getName()).toBe("plakar-scaleway-iam");
    const policies = info.getPoliciesList();
    expect(policies.map((p) => p.getName())).toContain("iam-api-key-max-lifetime");
    expect(policies.map((p) => p.getName())).toContain("iam-policy-no-organization-wide-rules");
    expect(policies).toHaveLength(8);
    for (const p of policies) expect(p.getEnforcementlevel()).toBe(analyzerPb.EnforcementLevel.MANDATORY);
    const lifetime = policies.find((p) => p.getName() === "iam-api-key-max-lifetime");
    expect(lifetime?.getConfigschema()?.getProperties()?.toJavaScript()).toMatchObject({
      maxLifetimeDays: { type: "integer", default: 365 },
    });
  });

  it.each(["staging", "prod"])("passes every resource of Pulumi.%s.yaml", async (stack) => {
    await configure({});
    const resources = plans.get(stack) ?? [];
    expect(resources.some((r) => r.type === "scaleway:iam/apiKey:ApiKey")).toBe(true);
    expect(await analyzeAll(resources)).toEqual([]);
  });

  it("refuses the same keys as the deprecated IamApiKey without an expiry, and a policy as IamPolicy on all projects", async () => {
    await configure({});
    const prod = plans.get("prod") ?? [];
    const key = prod.find((r) => r.type === "scaleway:iam/apiKey:ApiKey") as PlannedResource;
    const policy = prod.find((r) => r.type === "scaleway:iam/policy:Policy") as PlannedResource;
    const { expiresAt: _drop, ...forever } = key.inputs as Record<string, unknown>;
    const rules = (policy.inputs as { rules: { permissionSetNames: string[] }[] }).rules;
    const wide = {
      ...(policy.inputs as object),
      rules: [
        { organizationId: "5b0a1c2d-3e4f-4a5b-8c6d-7e8f9a0b1c2d", permissionSetNames: rules[0]?.permissionSetNames },
      ],
    };
    const violations = await analyzeAll([
      { ...key, type: "scaleway:index/iamApiKey:IamApiKey", inputs: forever },
      { ...policy, type: "scaleway:index/iamPolicy:IamPolicy", inputs: wide },
    ]);
    expect(violations.map((v) => `${v.policy} ${v.name}`)).toEqual([
      `iam-api-key-expires ${key.name}`,
      `iam-policy-no-organization-wide-rules ${policy.name}`,
    ]);
  });

  it("takes maxLifetimeDays and allowedStacks from the pack's config", async () => {
    const prod = plans.get("prod") ?? [];
    const key = prod.find((r) => r.type === "scaleway:iam/apiKey:ApiKey") as PlannedResource;
    // The pack measures from the real clock: 500 days from now, whatever day the test runs.
    const in500Days = new Date(Date.now() + 500 * 86_400_000).toISOString().replace(/\.\d+Z$/, "Z");
    const far = { ...key, inputs: { ...(key.inputs as object), expiresAt: in500Days } };
    await configure({});
    expect((await analyzeAll([far])).map((v) => v.policy)).toEqual(["iam-api-key-max-lifetime"]);
    await configure({ "iam-api-key-max-lifetime": { maxLifetimeDays: 730 } });
    expect(await analyzeAll([far])).toEqual([]);
    const policy = prod.find((r) => r.type === "scaleway:iam/policy:Policy") as PlannedResource;
    const wide = {
      ...policy,
      inputs: {
        ...(policy.inputs as object),
        rules: [{ organizationId: "x", permissionSetNames: ["InstancesReadOnly"] }],
      },
    };
    await configure({});
    expect((await analyzeAll([wide])).map((v) => v.policy)).toEqual(["iam-policy-no-organization-wide-rules"]);
    await configure({ "iam-policy-no-organization-wide-rules": { allowedStacks: ["prod"] } });
    expect(await analyzeAll([wide])).toEqual([]);
    await configure({ "iam-policy-no-organization-wide-rules": { allowedStacks: ["staging"] } });
    expect(await analyzeAll([wide])).toHaveLength(1);
    await configure({});
  });
});
