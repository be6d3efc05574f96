/**
 * The policy pack started as the Pulumi CLI starts it, and spoken to over its gRPC Analyzer service, as the engine
 * does. pulumi/pulumi sdk/nodejs/cmd/pulumi-language-nodejs/main.go (`RunPlugin`, kind analyzer) runs
 * `node <@pulumi/pulumi/cmd/run-policy-pack> <engine address> <pack dir>` in the pack's directory with
 * PULUMI_NODEJS_STACK/PROJECT/... in the environment; the program (policy/index.ts, through ts-node) builds the
 * `PolicyPack`, whose server (@pulumi/policy server.js `serve`) prints its port on stdout. The engine then calls
 * GetAnalyzerInfo, Configure (the pack config), Analyze for each resource's inputs and AnalyzeStack once
 * (sdk/go/common/resource/plugin/analyzer_plugin.go). The resources are the example stacks' offline plans.
 * AnalyzeStack gets each resource's outputs (pkg/resource/deploy/step_generator.go `AnalyzeResources`): for a bridged
 * resource its inputs and its `id`, with its property dependencies; during a preview, what the provider has not
 * computed yet is the engine's unknown sentinel.
 * A child process is the point here: the entry point, its ts-node compile and its server are what is tested.
 */
import { type ChildProcess, spawn } from "child_process";
import * as path from "path";
import * as grpc from "@grpc/grpc-js";
import * as analyzerRpc from "@pulumi/pulumi/proto/analyzer_grpc_pb";
import * as analyzerPb from "@pulumi/pulumi/proto/analyzer_pb";
import { Struct } from "google-protobuf/google/protobuf/struct_pb";
import { unknownValue } from "@pulumi/pulumi/runtime/rpc";
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

/** A resource as the engine sends it: its outputs and property dependencies when they are not inputs + id. */
type Sent = PlannedResource & {
  readonly outputs?: Record<string, unknown>;
  readonly propertyDependencies?: Readonly<Record<string, readonly string[]>>;
};

/** What AnalyzeStack receives as a resource's properties: its outputs, by default its inputs and its ID. */
function outputsOf(r: Sent): Record<string, unknown> {
  if (r.outputs) return r.outputs;
  const inputs = r.inputs as Record<string, unknown>;
  return r.id === null ? inputs : { ...inputs, id: r.id };
}

interface Violation {
  readonly policy: string;
  readonly name: string;
  readonly message: string;
}

/** Every resource through Analyze, then the stack through AnalyzeStack: the violations reported. */
async function analyzeAll(resources: readonly Sent[]): Promise<Violation[]> {
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
      a.setProperties(Struct.fromJavaScript(outputsOf(r) as never));
      a.setOptions(options(r));
      a.setParent(r.parent ?? "");
      a.setDependenciesList([...r.dependsOn]);
      for (const [property, urns] of Object.entries(r.propertyDependencies ?? {})) {
        const deps = new analyzerPb.AnalyzerPropertyDependencies();
        deps.setUrnsList([...urns]);
        a.getPropertydependenciesMap().set(property, deps);
      }
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

/** The application of a planned key or policy: a key is judged beside the application it belongs to. */
function applicationOf(r: PlannedResource): PlannedResource {
  const id = (r.inputs as { applicationId?: unknown }).applicationId;
  const app = [...plans.values()].flat().find((a) => a.type === "scaleway:iam/application:Application" && a.id === id);
  if (!app) throw new Error(`no application of ${r.name} in the plans`);
  return app;
}

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
    expect(policies.map((p) => p.getName())).toContain("iam-api-key-own-application");
    expect(policies.map((p) => p.getName())).toContain("iam-application-not-in-group");
    expect(policies).toHaveLength(10);
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
      applicationOf(key),
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
    expect((await analyzeAll([applicationOf(key), far])).map((v) => v.policy)).toEqual(["iam-api-key-max-lifetime"]);
    await configure({ "iam-api-key-max-lifetime": { maxLifetimeDays: 730 } });
    expect(await analyzeAll([applicationOf(key), far])).toEqual([]);
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

  describe("keys on the stack's applications only, no application of the stack in a group", () => {
    const FOREIGN_APP = "7f8a9b0c-1d2e-4f3a-9b4c-5d6e7f8a9b0c";
    const GROUP_ID = "2e3f4a5b-6c7d-4e8f-9a0b-1c2d3e4f5a6b";
    const USER_ID = "3f4a5b6c-7d8e-4f9a-8b0c-2d3e4f5a6b7c";
    /** The engine's sentinel for a value unknown during preview. */
    const U = unknownValue;

    const prod = () => plans.get("prod") ?? [];
    const ofType = (type: string) => prod().filter((r) => r.type === type);
    /** A resource the example stacks do not have, as a program would register it at the stack's root. */
    const extra = (type: string, name: string, inputs: Record<string, unknown>, more: Partial<Sent> = {}): Sent => ({
      urn: `urn:pulumi:prod::plakar-scaleway-iam::${type}::${name}`,
      type,
      name,
      id: null,
      parent: null,
      protect: false,
      dependsOn: [],
      ignoreChanges: [],
      aliases: [],
      replaceOnChanges: [],
      deleteBeforeReplace: null,
      retainOnDelete: false,
      additionalSecretOutputs: [],
      inputs,
      ...more,
    });
    const named = (violations: readonly Violation[]) => violations.map((v) => `${v.policy} ${v.name}`).sort();

    it("refuses a key on a foreign application ID or on a user, as IamApiKey too; the stack's own keys pass", async () => {
      await configure({});
      const [app] = ofType("scaleway:iam/application:Application");
      const [key] = ofType("scaleway:iam/apiKey:ApiKey");
      expect(app.id).toMatch(/^[0-9a-f-]{36}$/);
      expect((key.inputs as { applicationId?: unknown }).applicationId).toEqual(expect.any(String));
      const keyInputs = key.inputs as Record<string, unknown>;
      const violations = await analyzeAll([
        ...prod(),
        extra("scaleway:iam/apiKey:ApiKey", "foreign-key", { ...keyInputs, applicationId: FOREIGN_APP }),
        extra("scaleway:index/iamApiKey:IamApiKey", "old-foreign-key", { ...keyInputs, applicationId: FOREIGN_APP }),
        extra("scaleway:index/iamApiKey:IamApiKey", "old-own-key", { ...keyInputs, applicationId: app.id }),
        extra("scaleway:iam/apiKey:ApiKey", "user-key", { expiresAt: keyInputs.expiresAt, userId: USER_ID }),
      ]);
      expect(named(violations)).toEqual([
        "iam-api-key-own-application foreign-key",
        "iam-api-key-own-application old-foreign-key",
        "iam-api-key-own-application user-key",
      ]);
      expect(violations.find((v) => v.name === "foreign-key")?.message).toContain(
        `applicationId "${FOREIGN_APP}" is not an application of this stack`,
      );
      expect(violations.find((v) => v.name === "user-key")?.message).toContain(`belongs to user "${USER_ID}"`);
    });

    it("refuses the stack's application added to a group, by a membership or a group, current and deprecated tokens", async () => {
      await configure({});
      const [app, other] = ofType("scaleway:iam/application:Application");
      const violations = await analyzeAll([
        ...prod(),
        extra(
          "scaleway:iam/groupMembership:GroupMembership",
          "join",
          { groupId: GROUP_ID, applicationId: app.id },
          { propertyDependencies: { applicationId: [app.urn] } },
        ),
        extra("scaleway:index/iamGroupMembership:IamGroupMembership", "old-join", {
          groupId: GROUP_ID,
          applicationId: other.id,
        }),
        extra("scaleway:iam/group:Group", "team", { name: "team", applicationIds: [FOREIGN_APP, other.id] }),
        extra("scaleway:index/iamGroup:IamGroup", "old-team", { name: "old-team", applicationIds: [app.id] }),
        // Other applications and users may join groups.
        extra("scaleway:iam/groupMembership:GroupMembership", "foreign-join", {
          groupId: GROUP_ID,
          applicationId: FOREIGN_APP,
        }),
        extra("scaleway:iam/groupMembership:GroupMembership", "user-join", { groupId: GROUP_ID, userId: USER_ID }),
        extra("scaleway:iam/group:Group", "people", { name: "people", userIds: [USER_ID] }),
      ]);
      expect(named(violations)).toEqual([
        "iam-application-not-in-group join",
        "iam-application-not-in-group old-join",
        "iam-application-not-in-group old-team",
        "iam-application-not-in-group team",
      ]);
      expect(violations.find((v) => v.name === "join")?.message).toContain(
        `adds application "${app.name}" (${app.id}) of this stack to group "${GROUP_ID}"`,
      );
      // The server prefixes each message with the policy's description, on a line of its own.
      expect(violations.find((v) => v.name === "team")?.message).toContain(
        `\napplicationIds[1] is application "${other.name}" (${other.id}) of this stack`,
      );
    });

    it("judges nothing unknown during a first preview, and still refuses a literal foreign ID then", async () => {
      await configure({});
      // The first preview: applications to be created have an unknown id, and so has everything computed from it.
      const preview = prod().map((r): Sent => {
        const inputs = r.inputs as Record<string, unknown>;
        if (r.type === "scaleway:iam/application:Application") return { ...r, outputs: { ...inputs, id: U } };
        if (r.type !== "scaleway:iam/apiKey:ApiKey" && r.type !== "scaleway:iam/policy:Policy") return r;
        const app = prod().find((a) => a.id === inputs.applicationId) as PlannedResource;
        return {
          ...r,
          inputs: { ...inputs, applicationId: U },
          outputs: { ...inputs, applicationId: U, ...(r.type === "scaleway:iam/apiKey:ApiKey" ? { id: U } : {}) },
          propertyDependencies: { applicationId: [app.urn] },
        };
      });
      const [app] = preview.filter((r) => r.type === "scaleway:iam/application:Application");
      const [key] = preview.filter((r) => r.type === "scaleway:iam/apiKey:ApiKey");
      const pending = { applicationId: U };
      const unknowns = [
        extra(
          "scaleway:iam/groupMembership:GroupMembership",
          "join",
          { groupId: GROUP_ID, ...pending },
          {
            propertyDependencies: { applicationId: [app.urn] },
          },
        ),
        extra("scaleway:index/iamGroupMembership:IamGroupMembership", "old-join", { groupId: U, ...pending }),
        extra("scaleway:iam/group:Group", "team", { name: "team", applicationIds: [U] }),
        extra("scaleway:index/iamGroup:IamGroup", "old-team", { name: "old-team", applicationIds: U }),
        extra("scaleway:index/iamApiKey:IamApiKey", "old-key", key.inputs as Record<string, unknown>, {
          propertyDependencies: { applicationId: [app.urn] },
        }),
      ];
      expect(await analyzeAll([...preview, ...unknowns])).toEqual([]);
      const literal = extra("scaleway:iam/apiKey:ApiKey", "foreign-key", {
        ...(key.inputs as Record<string, unknown>),
        applicationId: FOREIGN_APP,
      });
      expect(named(await analyzeAll([...preview, literal]))).toEqual(["iam-api-key-own-application foreign-key"]);
    });
  });
});
