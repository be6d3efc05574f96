/**
 * The policy pack (policy/), without the Pulumi CLI: every policy is called with validation arguments built by hand,
 * shaped as @pulumi/policy's server builds them (resource properties wrapped in its unknown-checking proxy, the
 * engine's sentinel for values unknown during preview). policy/index.ts is never imported: it would start the pack's
 * gRPC server.
 */
import { execFileSync } from "child_process";
import * as fs from "fs";
import * as os from "os";
import * as path from "path";
import * as policySdk from "@pulumi/policy";
import type {
  PolicyResource,
  PolicyResourceOptions,
  ResourceValidationArgs,
  ResourceValidationPolicy,
  StackValidationArgs,
  StackValidationPolicy,
} from "@pulumi/policy";
import { unknownValue } from "@pulumi/pulumi/runtime/rpc";
import * as scaleway from "@pulumiverse/scaleway";
import { describe, expect, it } from "vitest";
import { parse as parseYaml } from "yaml";
import { loadCatalog } from "../components/domain/catalog";
import {
  API_KEY_TYPE,
  apiKeyExpiryViolations,
  groupApplicationViolations,
  keyApplicationViolations,
  keyDefaultProjectViolations,
  matchApplication,
  membershipApplicationViolations,
  organizationScopedSetViolations,
  POLICY_TYPE,
  principalViolations,
  quoted,
  ruleScopeViolations,
  type StackApplication,
  UNKNOWN,
  uncataloguedSetViolations,
} from "../policy/rules";
import {
  buildPolicies,
  isUnknownValueError,
  PACK_NAME,
  plainProps,
  stackApplications,
  toPlain,
} from "../policy/policies";
import { DEFAULT_MAX_LIFETIME_DAYS, keyLifetimeViolations, organizationWideRuleViolations } from "../policy/guards";
import {
  ALL_IAM_TYPES,
  API_KEY_TYPES,
  APPLICATION_TYPES,
  GROUP_MEMBERSHIP_TYPES,
  GROUP_TYPES,
  IAM_POLICY_TYPES,
  OTHER_IAM_TYPES,
} from "../policy/types";

const ROOT = path.join(__dirname, "..");
const catalog = loadCatalog();
/** The pack's clock, fixed: the key lifetime policy measures from it. */
const PACK_NOW = new Date("2026-12-01T00:00:00Z");
const policies = buildPolicies(catalog, () => PACK_NOW);

const ORG = "5b0a1c2d-3e4f-4a5b-8c6d-7e8f9a0b1c2d";
const APPS = "0c1d2e3f-4a5b-4c6d-8e7f-8a9b0c1d2e3f";
const BACKUPS = "1d2e3f4a-5b6c-4d7e-9f8a-9b0c1d2e3f4a";
const APP_ID = "6e7f8a9b-0c1d-4e2f-8a3b-4c5d6e7f8a9b";
const EXPIRES = "2027-03-01T00:00:00Z";
/** What the engine sends for a value unknown during preview (e.g. the ID of an application still to be created). */
const U = unknownValue;

// The SDK's index exports its proxy at runtime without typings; the server wraps every resource's props in it.
const unknownCheckingProxy = (policySdk as unknown as { unknownCheckingProxy: <T extends object>(props: T) => T })
  .unknownCheckingProxy;

const OPTS: PolicyResourceOptions = {
  protect: false,
  ignoreChanges: [],
  aliases: [],
  customTimeouts: { createSeconds: 0, updateSeconds: 0, deleteSeconds: 0 },
  additionalSecretOutputs: [],
};

class NotApplicable extends Error {}

const pulumiTypeOf = (cls: unknown) => (cls as { __pulumiType?: string }).__pulumiType;
const urnOf = (type: string, name: string) => `urn:pulumi:staging::plakar-scaleway-iam::${type}::${name}`;

function resourceArgs(
  type: string,
  props: Record<string, unknown>,
  name = "subject",
  config: object = {},
): ResourceValidationArgs {
  const proxied = unknownCheckingProxy(props);
  return {
    type,
    props: proxied,
    urn: urnOf(type, name),
    name,
    opts: OPTS,
    stackTags: new Map(),
    isType: (cls) => pulumiTypeOf(cls) === type,
    asType: (cls) => (pulumiTypeOf(cls) === type ? proxied : undefined) as never,
    getConfig: <T extends object>() => config as T,
    notApplicable: (reason?: string): never => {
      throw new NotApplicable(reason);
    },
  };
}

function resourcePolicy(name: string): ResourceValidationPolicy {
  const p = policies.find((x) => x.name === name);
  if (!p || !("validateResource" in p)) throw new Error(`no resource policy ${name}`);
  return p as ResourceValidationPolicy;
}

function stackPolicy(name: string): StackValidationPolicy {
  const p = policies.find((x) => x.name === name);
  if (!p || !("validateStack" in p)) throw new Error(`no stack policy ${name}`);
  return p as StackValidationPolicy;
}

/** The messages one resource policy reports, or "not applicable". */
async function check(name: string, args: ResourceValidationArgs): Promise<string[] | "not applicable"> {
  const v = resourcePolicy(name).validateResource;
  const validations = Array.isArray(v) ? v : v ? [v] : [];
  const out: string[] = [];
  try {
    for (const validate of validations) await validate(args, (message) => out.push(message));
  } catch (err) {
    if (err instanceof NotApplicable) return "not applicable";
    throw err;
  }
  return out;
}

const checkPolicy = (name: string, props: Record<string, unknown>) => check(name, resourceArgs(POLICY_TYPE, props));
const checkKey = (name: string, props: Record<string, unknown>) => check(name, resourceArgs(API_KEY_TYPE, props));

interface Node {
  readonly type: string;
  readonly name: string;
  readonly props: Record<string, unknown>;
  readonly dependsOn?: readonly string[];
  readonly propertyDependencies?: Readonly<Record<string, readonly string[]>>;
}

/** Stack resources as the server builds them: proxied props, dependencies resolved to resource objects. */
function stackResources(nodes: readonly Node[]): PolicyResource[] {
  const resources = nodes.map((n): PolicyResource => {
    const props = unknownCheckingProxy(n.props);
    return {
      type: n.type,
      props,
      urn: urnOf(n.type, n.name),
      name: n.name,
      opts: OPTS,
      dependencies: [],
      propertyDependencies: {},
      isType: (cls) => pulumiTypeOf(cls) === n.type,
      asType: (cls) => (pulumiTypeOf(cls) === n.type ? props : undefined) as never,
    };
  });
  const byName = new Map(nodes.map((n, i) => [n.name, resources[i]]));
  const resolve = (names: readonly string[]) =>
    names.map((d) => {
      const r = byName.get(d);
      if (!r) throw new Error(`no resource ${d}`);
      return r;
    });
  nodes.forEach((n, i) => {
    resources[i].dependencies = resolve(n.dependsOn ?? []);
    for (const [k, v] of Object.entries(n.propertyDependencies ?? {}))
      resources[i].propertyDependencies[k] = resolve(v);
  });
  return resources;
}

function stackArgs(resources: PolicyResource[]): StackValidationArgs {
  return {
    resources,
    stackTags: new Map(),
    getConfig: <T extends object>() => ({}) as T,
    notApplicable: (reason?: string): never => {
      throw new NotApplicable(reason);
    },
  };
}

/** The violations one stack policy (by default the Object Storage one) reports, as "<resource name>: <message>". */
async function checkStack(nodes: readonly Node[], name = "iam-object-storage-key-default-project"): Promise<string[]> {
  const resources = stackResources(nodes);
  const out: string[] = [];
  await stackPolicy(name).validateStack(stackArgs(resources), (message, urn) =>
    out.push(`${resources.find((r) => r.urn === urn)?.name ?? "(stack)"}: ${message}`),
  );
  return out;
}

/** Every stack policy of the pack on `nodes`, as "<policy> <resource name>: <message>". */
async function checkAllStackPolicies(nodes: readonly Node[]): Promise<string[]> {
  const out: string[] = [];
  for (const p of policies) {
    if ("validateStack" in p) out.push(...(await checkStack(nodes, p.name)).map((m) => `${p.name} ${m}`));
  }
  return out;
}

const goodRule = {
  projectIds: [BACKUPS],
  permissionSetNames: ["ObjectStorageObjectsRead", "ObjectStorageBucketsRead"],
};
const goodPolicy = { name: "plakar-staging-buckets", organizationId: ORG, applicationId: APP_ID, rules: [goodRule] };
const goodKey = { applicationId: APP_ID, expiresAt: EXPIRES, defaultProjectId: BACKUPS, description: "Plakar buckets" };

describe("the pack", () => {
  it("has the ten policies of the issues, all mandatory, with unique names and descriptions", () => {
    expect(PACK_NAME).toBe("plakar-scaleway-iam");
    expect(policies.map((p) => p.name)).toEqual([
      "iam-policy-has-principal",
      "iam-policy-no-organization-scoped-sets",
      "iam-policy-catalogued-sets-only",
      "iam-policy-rule-single-scope",
      "iam-api-key-expires",
      "iam-api-key-max-lifetime",
      "iam-policy-no-organization-wide-rules",
      "iam-object-storage-key-default-project",
      "iam-api-key-own-application",
      "iam-application-not-in-group",
    ]);
    expect(new Set(policies.map((p) => p.description)).size).toBe(policies.length);
    for (const p of policies) {
      expect(p.enforcementLevel, p.name).toBe("mandatory");
      expect(p.description.length, p.name).toBeGreaterThan(10);
    }
  });

  it("knows the Scaleway resource types by the tokens the provider SDK registers", () => {
    expect(pulumiTypeOf(scaleway.iam.Policy)).toBe(POLICY_TYPE);
    expect(pulumiTypeOf(scaleway.iam.ApiKey)).toBe(API_KEY_TYPE);
  });

  it("lists every IAM type token the pinned provider exports, current and deprecated, each once", () => {
    // Every resource class of the package: the namespaces (iam, ...) and the deprecated top-level classes.
    const tokens = new Set<string>();
    const sdk = scaleway as unknown as Record<string, unknown>;
    for (const key of Object.keys(sdk)) {
      const value = sdk[key];
      const members =
        typeof value === "function" ? [value] : value && typeof value === "object" ? Object.values(value) : [];
      for (const m of members.filter((x) => typeof x === "function")) {
        const token = pulumiTypeOf(m);
        if (token && /^scaleway:(iam\/|index\/iam)/.test(token)) tokens.add(token);
      }
    }
    const listed = [
      ...IAM_POLICY_TYPES,
      ...API_KEY_TYPES,
      ...APPLICATION_TYPES,
      ...GROUP_TYPES,
      ...GROUP_MEMBERSHIP_TYPES,
      ...OTHER_IAM_TYPES,
    ];
    expect(new Set(listed).size).toBe(listed.length);
    expect([...tokens].sort()).toEqual([...listed].sort());
    expect([...ALL_IAM_TYPES].sort()).toEqual([...listed].sort());
    expect(pulumiTypeOf(scaleway.iam.Group)).toBe(GROUP_TYPES[0]);
    expect(pulumiTypeOf(scaleway.iam.GroupMembership)).toBe(GROUP_MEMBERSHIP_TYPES[0]);
    expect(pulumiTypeOf(scaleway.IamGroup)).toBe("scaleway:index/iamGroup:IamGroup");
    expect(pulumiTypeOf(scaleway.IamGroupMembership)).toBe("scaleway:index/iamGroupMembership:IamGroupMembership");
    expect(pulumiTypeOf(scaleway.IamPolicy)).toBe("scaleway:index/iamPolicy:IamPolicy");
    expect(pulumiTypeOf(scaleway.IamApiKey)).toBe("scaleway:index/iamApiKey:IamApiKey");
    expect(pulumiTypeOf(scaleway.IamApplication)).toBe("scaleway:index/iamApplication:IamApplication");
    expect(IAM_POLICY_TYPES).toContain(POLICY_TYPE);
    expect(API_KEY_TYPES).toContain(API_KEY_TYPE);
  });

  it("is laid out for `pulumi preview --policy-pack policy`, on the project's node_modules", () => {
    const dir = path.join(ROOT, "policy");
    const manifest = parseYaml(fs.readFileSync(path.join(dir, "PulumiPolicy.yaml"), "utf8")) as Record<string, unknown>;
    expect(manifest.runtime).toBe("nodejs");
    expect(typeof manifest.description).toBe("string");
    const pkg = JSON.parse(fs.readFileSync(path.join(dir, "package.json"), "utf8")) as Record<string, unknown>;
    // PolicyPack reads its version from the package.json of its working directory (the pack's folder).
    expect(pkg.version).toMatch(/^\d+\.\d+\.\d+$/);
    expect(pkg.main).toBe("index.ts");
    // No dependencies of its own: a second @pulumi/pulumi would be installed next to the root one.
    expect(pkg.dependencies).toBeUndefined();
    expect(pkg.devDependencies).toBeUndefined();
    expect(fs.existsSync(path.join(dir, "tsconfig.json"))).toBe(true);
  });
});

describe("unknown values during preview", () => {
  it("reads the SDK's proxy into plain data, with UNKNOWN where the proxy would throw", () => {
    const proxied = unknownCheckingProxy({
      applicationId: U,
      rules: [{ projectIds: [U, BACKUPS], permissionSetNames: U }],
    });
    let thrown: unknown;
    try {
      void proxied.applicationId;
    } catch (err) {
      thrown = err;
    }
    expect(isUnknownValueError(thrown)).toBe(true);
    expect(toPlain(proxied)).toEqual({
      applicationId: UNKNOWN,
      rules: [{ projectIds: [UNKNOWN, BACKUPS], permissionSetNames: UNKNOWN }],
    });
  });

  it("reads only the properties the rules need (never an API key's secret)", () => {
    const key = new Proxy(
      { ...goodKey, secretKey: "s3cr3t" },
      {
        get: (target, prop) => {
          if (prop === "secretKey") throw new Error("secretKey was read");
          return target[prop as keyof typeof target];
        },
      },
    );
    expect(plainProps(key, ["expiresAt", "defaultProjectId", "userId"])).toEqual({
      expiresAt: EXPIRES,
      defaultProjectId: BACKUPS,
    });
  });

  it("does not swallow other errors", () => {
    const hostile = new Proxy(
      { a: 1 },
      {
        get: () => {
          throw new Error("boom");
        },
      },
    );
    expect(() => toPlain(hostile)).toThrow("boom");
  });
});

describe("iam-policy-has-principal", () => {
  const name = "iam-policy-has-principal";

  it("accepts a policy of an application, a user or a group", async () => {
    expect(await checkPolicy(name, goodPolicy)).toEqual([]);
    expect(await checkPolicy(name, { ...goodPolicy, applicationId: undefined, userId: APP_ID })).toEqual([]);
    expect(await checkPolicy(name, { ...goodPolicy, applicationId: undefined, groupId: APP_ID })).toEqual([]);
  });

  it("accepts an applicationId unknown during preview (the application is created in the same run)", async () => {
    expect(await checkPolicy(name, { ...goodPolicy, applicationId: U })).toEqual([]);
  });

  it("rejects a policy with no principal", async () => {
    const { applicationId: _drop, ...noPrincipal } = goodPolicy;
    const out = await checkPolicy(name, noPrincipal);
    expect(out).toHaveLength(1);
    expect(out[0]).toMatch(/no principal.*applicationId, userId, groupId/);
    expect(await checkPolicy(name, { ...goodPolicy, applicationId: "" })).toHaveLength(1);
  });

  it("does not count noPrincipal as a principal", async () => {
    const out = await checkPolicy(name, { ...goodPolicy, applicationId: undefined, noPrincipal: true });
    expect(out).toEqual([expect.stringMatching(/noPrincipal: true is not a principal/)]);
  });

  it("does not apply to other resource types", async () => {
    expect(await checkKey(name, goodKey)).toBe("not applicable");
  });
});

describe("iam-policy-no-organization-scoped-sets", () => {
  const name = "iam-policy-no-organization-scoped-sets";

  it("IAMManager is organization-scoped in the catalog", () => {
    expect(catalog.get("IAMManager")?.scope).toBe("organization");
    expect(catalog.get("ObjectStorageObjectsRead")?.scope).toBe("project");
  });

  it("accepts project-scoped sets", async () => {
    expect(await checkPolicy(name, goodPolicy)).toEqual([]);
  });

  it("rejects an organization-scoped set, naming where it is", async () => {
    const out = await checkPolicy(name, {
      ...goodPolicy,
      rules: [goodRule, { projectIds: [APPS], permissionSetNames: ["InstancesReadOnly", "IAMManager"] }],
    });
    expect(out).toEqual([
      expect.stringMatching(/^rules\[1\]\.permissionSetNames\[1\]: "IAMManager" is organization-scoped/),
    ]);
  });

  it("leaves uncatalogued sets and unknown names to other policies", async () => {
    expect(
      await checkPolicy(name, { ...goodPolicy, rules: [{ projectIds: [APPS], permissionSetNames: ["NoSuchSet", U] }] }),
    ).toEqual([]);
  });
});

describe("iam-policy-catalogued-sets-only", () => {
  const name = "iam-policy-catalogued-sets-only";

  it("accepts catalogued sets", async () => {
    expect(await checkPolicy(name, goodPolicy)).toEqual([]);
  });

  it("rejects a set that is not in the catalog, with the stack's own message and suggestion", async () => {
    const out = await checkPolicy(name, {
      ...goodPolicy,
      rules: [{ projectIds: [APPS], permissionSetNames: ["ObjectStorageReadOnlyy"] }],
    });
    expect(out).toEqual([
      'rules[0].permissionSetNames[0]: "ObjectStorageReadOnlyy" is not a documented Scaleway permission set (did you mean "ObjectStorageReadOnly"?); see presets/permission-sets.tsv',
    ]);
  });

  it("does not judge a set name unknown during preview", async () => {
    expect(
      await checkPolicy(name, { ...goodPolicy, rules: [{ projectIds: [APPS], permissionSetNames: [U] }] }),
    ).toEqual([]);
    expect(await checkPolicy(name, { ...goodPolicy, rules: U })).toEqual([]);
  });
});

describe("iam-policy-rule-single-scope", () => {
  const name = "iam-policy-rule-single-scope";

  it("accepts a rule scoped to projects, or to the whole organization", async () => {
    expect(await checkPolicy(name, goodPolicy)).toEqual([]);
    expect(
      await checkPolicy(name, {
        ...goodPolicy,
        rules: [{ organizationId: ORG, permissionSetNames: ["InstancesReadOnly"] }],
      }),
    ).toEqual([]);
  });

  it("rejects a rule with both projectIds and organizationId", async () => {
    const out = await checkPolicy(name, { ...goodPolicy, rules: [{ ...goodRule, organizationId: ORG }] });
    expect(out).toEqual([expect.stringMatching(/^rules\[0\] has both projectIds and organizationId/)]);
  });

  it("rejects a rule with neither (an empty projectIds is no scope)", async () => {
    expect(
      await checkPolicy(name, { ...goodPolicy, rules: [goodRule, { permissionSetNames: ["InstancesReadOnly"] }] }),
    ).toEqual([expect.stringMatching(/^rules\[1\] has neither projectIds nor organizationId/)]);
    expect(await checkPolicy(name, { ...goodPolicy, rules: [{ ...goodRule, projectIds: [] }] })).toHaveLength(1);
  });

  it("does not judge a scope unknown during preview", async () => {
    expect(await checkPolicy(name, { ...goodPolicy, rules: [{ ...goodRule, organizationId: U }] })).toEqual([]);
    expect(
      await checkPolicy(name, { ...goodPolicy, rules: [{ projectIds: U, permissionSetNames: ["InstancesReadOnly"] }] }),
    ).toEqual([]);
  });
});

describe("iam-api-key-expires", () => {
  const name = "iam-api-key-expires";

  it("accepts a key with an RFC 3339 expiry, or one unknown during preview", async () => {
    expect(await checkKey(name, goodKey)).toEqual([]);
    expect(await checkKey(name, { ...goodKey, expiresAt: U })).toEqual([]);
  });

  it("rejects a key without expiresAt", async () => {
    const { expiresAt: _drop, ...forever } = goodKey;
    expect(await checkKey(name, forever)).toEqual([expect.stringMatching(/has no expiresAt: every key must expire/)]);
    expect(await checkKey(name, { ...goodKey, expiresAt: "" })).toHaveLength(1);
  });

  it("rejects an expiry that is not a timestamp with a zone", async () => {
    expect(await checkKey(name, { ...goodKey, expiresAt: "2027-03-01" })).toEqual([
      expect.stringMatching(/^expiresAt "2027-03-01" must be an RFC 3339 timestamp/),
    ]);
  });

  it("does not apply to policies", async () => {
    expect(await checkPolicy(name, goodPolicy)).toBe("not applicable");
  });
});

describe("iam-object-storage-key-default-project", () => {
  const app: Node = {
    type: "scaleway:iam/application:Application",
    name: "buckets-app",
    props: { name: "plakar-staging-buckets" },
  };
  const policy = (props: Record<string, unknown> = {}): Node => ({
    type: POLICY_TYPE,
    name: "buckets-policy",
    props: { ...goodPolicy, ...props },
    dependsOn: ["buckets-app"],
    propertyDependencies: { applicationId: ["buckets-app"] },
  });
  /** A key as PlakarCredential declares it: depends on its application and on its policy. */
  const key = (props: Record<string, unknown> = {}, dependsOn = ["buckets-app", "buckets-policy"]): Node => ({
    type: API_KEY_TYPE,
    name: "buckets-key",
    props: { ...goodKey, ...props },
    dependsOn,
    propertyDependencies: { applicationId: ["buckets-app"] },
  });
  const withoutDefault = () => {
    const { defaultProjectId: _drop, ...rest } = goodKey;
    return { ...key(), props: rest };
  };

  it("accepts an Object Storage key whose defaultProjectId is one of its projects", async () => {
    expect(await checkStack([app, policy(), key()])).toEqual([]);
  });

  it("rejects an Object Storage key without defaultProjectId, reported on the key", async () => {
    expect(await checkStack([app, policy(), withoutDefault()])).toEqual([
      expect.stringMatching(
        /^buckets-key: the API key has no defaultProjectId but its policy grants Object Storage sets \(ObjectStorageBucketsRead, ObjectStorageObjectsRead\)/,
      ),
    ]);
    expect(await checkStack([app, policy(), key({ defaultProjectId: "" })])).toHaveLength(1);
  });

  it("rejects a defaultProjectId outside the projects of its Object Storage sets", async () => {
    expect(await checkStack([app, policy(), key({ defaultProjectId: APPS })])).toEqual([
      expect.stringMatching(
        new RegExp(`^buckets-key: defaultProjectId ${APPS} is not a project its Object Storage sets`),
      ),
    ]);
  });

  it("accepts any project when the Object Storage rule covers the whole organization", async () => {
    const orgWide = policy({ rules: [{ organizationId: ORG, permissionSetNames: ["ObjectStorageFullAccess"] }] });
    expect(await checkStack([app, orgWide, key({ defaultProjectId: APPS })])).toEqual([]);
  });

  it("finds the key's policy by applicationId when nothing else links them", async () => {
    const loose = (n: Node): Node => ({ ...n, dependsOn: [], propertyDependencies: {} });
    expect(await checkStack([app, loose(policy()), loose(withoutDefault())])).toHaveLength(1);
  });

  it("finds it during preview, while the application's ID is unknown, through the key's dependencies", async () => {
    const preview = policy({ applicationId: U });
    const k = { ...withoutDefault(), props: { applicationId: U, expiresAt: EXPIRES }, propertyDependencies: {} };
    expect(await checkStack([app, preview, k])).toHaveLength(1);
  });

  it("finds it through the application both take their applicationId from, without dependsOn", async () => {
    const preview = policy({ applicationId: U });
    const k = { ...withoutDefault(), props: { applicationId: U, expiresAt: EXPIRES }, dependsOn: ["buckets-app"] };
    expect(await checkStack([app, preview, k])).toHaveLength(1);
  });

  it("ignores keys of other applications, and keys whose policies grant no Object Storage set", async () => {
    const other = {
      ...withoutDefault(),
      props: { applicationId: "7f8a9b0c-1d2e-4f3a-9b4c-5d6e7f8a9b0c", expiresAt: EXPIRES },
      dependsOn: [],
      propertyDependencies: {},
    };
    expect(await checkStack([app, policy(), other])).toEqual([]);
    const inventory = policy({ rules: [{ projectIds: [APPS], permissionSetNames: ["InstancesReadOnly"] }] });
    expect(await checkStack([app, inventory, withoutDefault()])).toEqual([]);
  });

  it("reports nothing it cannot know during preview", async () => {
    expect(await checkStack([app, policy(), key({ defaultProjectId: U })])).toEqual([]);
    expect(await checkStack([app, policy({ rules: U }), withoutDefault()])).toEqual([]);
    expect(
      await checkStack([app, policy({ rules: [{ ...goodRule, projectIds: U }] }), key({ defaultProjectId: APPS })]),
    ).toEqual([]);
  });
});

/** An application ID that is none of the stack's: made by hand, or by another stack. */
const FOREIGN_APP = "7f8a9b0c-1d2e-4f3a-9b4c-5d6e7f8a9b0c";
const OTHER_APP_ID = "9b0c1d2e-3f4a-4b5c-8d6e-7f8a9b0c1d2e";
const GROUP_ID = "2e3f4a5b-6c7d-4e8f-9a0b-1c2d3e4f5a6b";
const USER_ID = "3f4a5b6c-7d8e-4f9a-8b0c-2d3e4f5a6b7c";
const [APPLICATION, DEPRECATED_APPLICATION] = APPLICATION_TYPES;
const [API_KEY, DEPRECATED_API_KEY] = API_KEY_TYPES;
const [GROUP, DEPRECATED_GROUP] = GROUP_TYPES;
const [MEMBERSHIP, DEPRECATED_MEMBERSHIP] = GROUP_MEMBERSHIP_TYPES;

/** An application resource as AnalyzeStack sends it: its outputs, `id` included (U while it is to be created). */
const application = (id: unknown = APP_ID, name = "buckets-app", type = APPLICATION): Node => ({
  type,
  name,
  props: { name: `plakar-staging-${name}`, organizationId: ORG, id },
});

describe("iam-api-key-own-application", () => {
  const name = "iam-api-key-own-application";
  /** A key as the components declare it: its applicationId computed from its application's `id`. */
  const key = (props: Record<string, unknown> = {}, from = ["buckets-app"], type = API_KEY): Node => ({
    type,
    name: "buckets-key",
    props: { ...goodKey, ...props },
    propertyDependencies: { applicationId: from },
  });

  it("accepts a key on an application of the stack, matched by ID (whatever the case), with or without dependencies", async () => {
    expect(await checkStack([application(), key()], name)).toEqual([]);
    expect(await checkStack([application(), key({}, [])], name)).toEqual([]);
    expect(await checkStack([application(), key({ applicationId: APP_ID.toUpperCase() }, [])], name)).toEqual([]);
    const two = [application(), application(OTHER_APP_ID, "inventory-app"), key({ applicationId: OTHER_APP_ID }, [])];
    expect(await checkStack(two, name)).toEqual([]);
  });

  it("refuses a key on a foreign application ID, reported on the key and naming the ID", async () => {
    expect(await checkStack([application(), key({ applicationId: FOREIGN_APP }, [])], name)).toEqual([
      `buckets-key: applicationId "${FOREIGN_APP}" is not an application of this stack: keys may only be issued to the applications the program manages (declare the application in the stack, or take it over with a credential's adopt)`,
    ]);
    // In a stack without any application (an application only read with Application.get is not among the resources).
    expect(await checkStack([key({ applicationId: FOREIGN_APP }, [])], name)).toHaveLength(1);
    // Computed from the stack's application, whose ID is known, and yet another one.
    expect(await checkStack([application(), key({ applicationId: FOREIGN_APP })], name)).toHaveLength(1);
  });

  it("refuses a key on a user, and a key that names no application", async () => {
    const { applicationId: _drop, ...noApp } = goodKey;
    expect(await checkStack([application(), { ...key({}, []), props: { ...noApp, userId: USER_ID } }], name)).toEqual([
      expect.stringMatching(
        new RegExp(
          `^buckets-key: the API key belongs to user "${USER_ID}": keys of this stack belong to its own applications`,
        ),
      ),
    ]);
    // Even beside an applicationId of ours (the provider refuses both; the pack refuses the user).
    expect(await checkStack([application(), key({ userId: USER_ID })], name)).toHaveLength(1);
    expect(await checkStack([application(), { ...key({}, []), props: noApp }], name)).toEqual([
      "buckets-key: the API key names no application: set applicationId to the ID of one of the stack's applications",
    ]);
    expect(await checkStack([application(), key({ applicationId: "", userId: "" })], name)).toHaveLength(1);
  });

  it("does not judge what is unknown during preview, but still refuses a known foreign ID", async () => {
    // First preview: the application is to be created, so its ID and the key's applicationId are unknown.
    expect(await checkStack([application(U), key({ applicationId: U })], name)).toEqual([]);
    // A known value computed from an application whose ID is not known yet (outputs without an id) is left for up.
    const { id: _id, ...withoutId } = application().props;
    expect(
      await checkStack([{ ...application(), props: withoutId }, key({ applicationId: FOREIGN_APP })], name),
    ).toEqual([]);
    expect(await checkStack([application(U), key({ applicationId: FOREIGN_APP })], name)).toEqual([]);
    // A literal ID no application of the stack can have: refused while the stack's applications are still unknown.
    expect(await checkStack([application(U), key({ applicationId: FOREIGN_APP }, [])], name)).toHaveLength(1);
    const { applicationId: _drop, ...noApp } = goodKey;
    expect(await checkStack([application(), { ...key({}, []), props: { ...noApp, userId: U } }], name)).toEqual([]);
  });

  it("holds the deprecated tokens to the same rule", async () => {
    const oldApp = application(APP_ID, "buckets-app", DEPRECATED_APPLICATION);
    expect(await checkStack([oldApp, key({}, [], DEPRECATED_API_KEY)], name)).toEqual([]);
    expect(await checkStack([oldApp, key({ applicationId: FOREIGN_APP }, [], DEPRECATED_API_KEY)], name)).toEqual([
      expect.stringMatching(/^buckets-key: applicationId "7f8a9b0c-[^"]+" is not an application of this stack/),
    ]);
    expect(await checkStack([oldApp, key({ userId: USER_ID }, [], DEPRECATED_API_KEY)], name)).toHaveLength(1);
  });
});

describe("iam-application-not-in-group", () => {
  const name = "iam-application-not-in-group";
  const membership = (props: Record<string, unknown>, type = MEMBERSHIP, from: string[] = []): Node => ({
    type,
    name: "join",
    props: { groupId: GROUP_ID, ...props },
    propertyDependencies: { applicationId: from },
  });
  const group = (applicationIds: unknown, type = GROUP, extra: Record<string, unknown> = {}): Node => ({
    type,
    name: "team",
    props: { name: "team", applicationIds, ...extra },
  });

  it("refuses a membership that adds an application of the stack to a group, reported on the membership", async () => {
    expect(
      await checkStack([application(), membership({ applicationId: APP_ID }, MEMBERSHIP, ["buckets-app"])], name),
    ).toEqual([
      `join: adds application "buckets-app" (${APP_ID}) of this stack to group "${GROUP_ID}": the group's policies would grant it rights beyond its own policy; remove the membership`,
    ]);
    expect(
      await checkStack([application(), membership({ applicationId: ` ${APP_ID.toUpperCase()}` })], name),
    ).toHaveLength(1);
  });

  it("refuses a group whose applicationIds list an application of the stack, naming the index", async () => {
    const apps = [application(), application(OTHER_APP_ID, "inventory-app")];
    expect(await checkStack([...apps, group([FOREIGN_APP, OTHER_APP_ID, APP_ID])], name)).toEqual([
      expect.stringMatching(
        /^team: applicationIds\[1\] is application "inventory-app" \(9b0c1d2e-[^)]+\) of this stack: the group's policies would grant it rights beyond its own policy/,
      ),
      expect.stringMatching(/^team: applicationIds\[2\] is application "buckets-app" /),
    ]);
    // externalMembership makes the provider ignore the list, but the program still declares the application a member.
    expect(await checkStack([...apps, group([APP_ID], GROUP, { externalMembership: true })], name)).toHaveLength(1);
  });

  it("accepts memberships and groups of other applications and of users", async () => {
    expect(
      await checkStack(
        [
          application(),
          membership({ applicationId: FOREIGN_APP }),
          membership({ userId: USER_ID }),
          group([FOREIGN_APP], GROUP, { userIds: [USER_ID] }),
          group([]),
          group(undefined),
        ],
        name,
      ),
    ).toEqual([]);
  });

  it("holds the deprecated tokens to the same rule", async () => {
    const oldApp = application(APP_ID, "buckets-app", DEPRECATED_APPLICATION);
    expect(await checkStack([oldApp, membership({ applicationId: APP_ID }, DEPRECATED_MEMBERSHIP)], name)).toEqual([
      expect.stringMatching(/^join: adds application "buckets-app"/),
    ]);
    expect(await checkStack([oldApp, group([APP_ID], DEPRECATED_GROUP)], name)).toEqual([
      expect.stringMatching(/^team: applicationIds\[0\] is application "buckets-app"/),
    ]);
    expect(await checkStack([application(), group([APP_ID], DEPRECATED_GROUP)], name)).toHaveLength(1);
  });

  it("does not judge what is unknown during preview", async () => {
    expect(
      await checkStack([application(U), membership({ applicationId: U }, MEMBERSHIP, ["buckets-app"])], name),
    ).toEqual([]);
    expect(await checkStack([application(), membership({ applicationId: U })], name)).toEqual([]);
    expect(await checkStack([application(), group(U)], name)).toEqual([]);
    expect(await checkStack([application(), group([U, FOREIGN_APP])], name)).toEqual([]);
    expect(await checkStack([application(U), group([APP_ID])], name)).toEqual([]);
    // What is known is still judged beside what is not.
    expect(await checkStack([application(), group([U, APP_ID])], name)).toHaveLength(1);
  });

  it("leaves keys to iam-api-key-own-application, and groups to this policy only", async () => {
    const nodes = [
      application(),
      group([APP_ID]),
      { type: API_KEY, name: "k", props: { ...goodKey, applicationId: FOREIGN_APP } },
    ];
    expect(await checkAllStackPolicies(nodes)).toEqual([
      expect.stringMatching(/^iam-api-key-own-application k: applicationId "7f8a9b0c/),
      expect.stringMatching(/^iam-application-not-in-group team: applicationIds\[0\]/),
    ]);
  });
});

describe("the stack rules, called directly", () => {
  const ours: StackApplication = { urn: "urn:a", name: "a", id: APP_ID };
  const pending: StackApplication = { urn: "urn:b", name: "b", id: UNKNOWN };

  it("match an application ID against the stack's applications", () => {
    expect(matchApplication(APP_ID, [], [ours])).toEqual({ kind: "ours", application: ours });
    expect(matchApplication(FOREIGN_APP, [], [ours, pending])).toEqual({ kind: "foreign", id: FOREIGN_APP });
    expect(matchApplication(FOREIGN_APP, ["urn:b"], [ours, pending])).toEqual({ kind: "undetermined" });
    // A dependency on an application whose ID is known does not excuse another ID.
    expect(matchApplication(FOREIGN_APP, ["urn:a"], [ours])).toEqual({ kind: "foreign", id: FOREIGN_APP });
    expect(matchApplication(UNKNOWN, [], [ours])).toEqual({ kind: "undetermined" });
    for (const none of [undefined, null, "", "  "])
      expect(matchApplication(none, [], [ours])).toEqual({ kind: "none" });
    // An application whose ID is empty matches nothing.
    expect(matchApplication("", [], [{ urn: "urn:c", name: "c", id: "" }])).toEqual({ kind: "none" });
    expect(matchApplication(APP_ID, [], [{ urn: "urn:c", name: "c", id: "" }])).toEqual({
      kind: "foreign",
      id: APP_ID,
    });
  });

  it("judge keys, memberships and groups on plain props", () => {
    expect(keyApplicationViolations({ applicationId: APP_ID }, [], [ours])).toEqual([]);
    expect(keyApplicationViolations({ applicationId: FOREIGN_APP }, [], [ours])).toHaveLength(1);
    expect(keyApplicationViolations({ applicationId: UNKNOWN }, [], [])).toEqual([]);
    expect(keyApplicationViolations({ userId: USER_ID }, [], [ours])).toHaveLength(1);
    expect(keyApplicationViolations({ userId: UNKNOWN }, [], [ours])).toEqual([]);
    expect(keyApplicationViolations({}, [], [ours])).toHaveLength(1);
    expect(membershipApplicationViolations({ applicationId: APP_ID, groupId: GROUP_ID }, [ours])).toEqual([
      expect.stringMatching(new RegExp(`^adds application "a" \\(${APP_ID}\\) of this stack to group "${GROUP_ID}"`)),
    ]);
    expect(membershipApplicationViolations({ applicationId: APP_ID, groupId: UNKNOWN }, [ours])).toEqual([
      expect.stringMatching(/ of this stack to a group: /),
    ]);
    expect(membershipApplicationViolations({ applicationId: FOREIGN_APP }, [ours])).toEqual([]);
    expect(groupApplicationViolations({ applicationIds: [APP_ID, APP_ID] }, [ours])).toHaveLength(2);
    expect(groupApplicationViolations({ applicationIds: null }, [ours])).toEqual([]);
  });

  it("read each application's id from the proxied outputs, UNKNOWN while it is to be created", () => {
    const resources = stackResources([
      application(),
      application(U, "new-app"),
      application(APP_ID, "old-app", DEPRECATED_APPLICATION),
      { type: API_KEY, name: "k", props: goodKey },
      { type: GROUP, name: "g", props: { id: GROUP_ID } },
    ]);
    expect(stackApplications(resources)).toEqual([
      { urn: urnOf(APPLICATION, "buckets-app"), name: "buckets-app", id: APP_ID },
      { urn: urnOf(APPLICATION, "new-app"), name: "new-app", id: UNKNOWN },
      { urn: urnOf(DEPRECATED_APPLICATION, "old-app"), name: "old-app", id: APP_ID },
    ]);
  });

  it("quote program values on one line, escaping what would change the display", () => {
    expect(quoted("abc")).toBe('"abc"');
    expect(quoted("a\nb\u202ec\u200bd")).toBe('"a\\u000ab\\u202ec\\u200bd"');
    expect(quoted("x".repeat(150))).toBe(`"${"x".repeat(100)}…"`);
    const m = keyApplicationViolations({ applicationId: `${FOREIGN_APP}\n::error::forged` }, [], [ours]);
    expect(m).toHaveLength(1);
    expect(m[0]).not.toContain("\n");
  });
});

describe("the rules, called directly", () => {
  it("judge plain props, UNKNOWN included", () => {
    expect(principalViolations({ applicationId: UNKNOWN })).toEqual([]);
    expect(principalViolations({ noPrincipal: true })).toHaveLength(1);
    expect(
      organizationScopedSetViolations(
        { rules: [{ projectIds: [APPS], permissionSetNames: ["BillingManager"] }] },
        catalog,
      ),
    ).toHaveLength(1);
    expect(
      uncataloguedSetViolations({ rules: [{ projectIds: [APPS], permissionSetNames: ["Nope"] }] }, catalog),
    ).toHaveLength(1);
    expect(ruleScopeViolations({ rules: [UNKNOWN, { permissionSetNames: ["InstancesReadOnly"] }] })).toHaveLength(1);
    expect(apiKeyExpiryViolations({ expiresAt: UNKNOWN })).toEqual([]);
    expect(keyDefaultProjectViolations({}, [{ rules: [goodRule] }])).toHaveLength(1);
    expect(keyDefaultProjectViolations({}, [])).toEqual([]);
  });
});

describe("the stack, as `pulumi preview` would register it", () => {
  interface Registered {
    readonly urn: string;
    readonly type: string;
    readonly name: string;
    readonly id: string | null;
    readonly dependsOn: readonly string[];
    readonly inputs: Record<string, unknown>;
  }

  const planned = new Map<string, Registered[]>();

  /**
   * The offline plan's registrations (the real index.ts under Pulumi's mocks), in a process of its own (the
   * command, as `npm run plan` runs it); each stack's once per file, the tests changing copies.
   */
  function registrations(stack: string, configFile?: string): Registered[] {
    const args = ["scripts/run.js", "plan", "--stack", stack, "--json", "--now", "2026-12-20T00:00:00Z"];
    const key = `${stack}\0${configFile ?? ""}`;
    if (!planned.has(key)) {
      const out = execFileSync(process.execPath, configFile ? [...args, "--config", configFile] : args, {
        cwd: ROOT,
        encoding: "utf8",
      });
      planned.set(key, (JSON.parse(out) as { resources: Registered[] }).resources);
    }
    return planned.get(key)!;
  }

  /**
   * Every policy of the pack on those registrations: resource policies on inputs, stack policies on outputs, which
   * for a bridged resource are its inputs and its `id` (what the mocks answered).
   */
  async function packViolations(resources: readonly Registered[], config: object = {}): Promise<string[]> {
    const out: string[] = [];
    for (const r of resources) {
      for (const p of policies) {
        if (!("validateResource" in p)) continue;
        const res = await check(p.name, { ...resourceArgs(r.type, r.inputs, r.name, config), urn: r.urn });
        if (res !== "not applicable") out.push(...res.map((m) => `${p.name} ${r.name}: ${m}`));
      }
    }
    const byUrn = new Map(resources.map((r) => [r.urn, r.name]));
    const nodes = resources.map((r): Node => ({
      type: r.type,
      name: r.name,
      props: r.id === null ? r.inputs : { ...r.inputs, id: r.id },
      dependsOn: r.dependsOn.flatMap((u) => (byUrn.has(u) ? [byUrn.get(u) as string] : [])),
    }));
    out.push(...(await checkAllStackPolicies(nodes)));
    return out;
  }

  const count = (resources: readonly Registered[], type: string) => resources.filter((r) => r.type === type).length;

  for (const stack of ["staging", "prod"]) {
    it(`Pulumi.${stack}.yaml passes every policy`, async () => {
      const resources = registrations(stack);
      expect(count(resources, POLICY_TYPE)).toBeGreaterThan(0);
      expect(count(resources, API_KEY_TYPE)).toBeGreaterThan(0);
      expect(await packViolations(resources)).toEqual([]);
    });
  }

  it("an all-projects Object Storage credential passes too (organization-wide rule, preferred project)", async () => {
    const file = path.join(fs.mkdtempSync(path.join(os.tmpdir(), "policy-test-")), "Pulumi.wide.yaml");
    fs.writeFileSync(
      file,
      [
        "config:",
        `  plakar-scaleway-iam:organizationId: ${ORG}`,
        "  plakar-scaleway-iam:allowAllProjects: true",
        "  plakar-scaleway-iam:projects:",
        `    apps: ${APPS}`,
        `    backups: ${BACKUPS}`,
        "  plakar-scaleway-iam:credentials:",
        "    buckets:",
        "      preset: object-storage",
        '      projects: "*"',
        "      preferredProject: backups",
        "",
      ].join("\n"),
    );
    const resources = registrations("wide", file);
    const policy = resources.find((r) => r.type === POLICY_TYPE);
    expect((policy?.inputs.rules as Record<string, unknown>[])[0].organizationId).toBe(ORG);
    // Flagged as organization-wide until the stack opts in through the pack's config.
    expect(await packViolations(resources)).toEqual([
      expect.stringMatching(
        /^iam-policy-no-organization-wide-rules buckets-policy: rules\[0\] applies to every project/,
      ),
    ]);
    expect(await packViolations(resources, { allowedStacks: ["wide"] })).toEqual([]);
    expect(await packViolations(resources, { allowedStacks: ["prod"] })).toHaveLength(1);
  });

  it("the pack catches a stack key moved to a foreign application, and the stack's application added to a group", async () => {
    const resources = registrations("staging");
    const keys = resources.filter((r) => r.type === API_KEY_TYPE);
    const app = resources.find((r) => r.type === APPLICATION_TYPES[0] && r.name === "inventory-app");
    expect(app?.id).toMatch(/^[0-9a-f-]{36}$/);
    const moved = keys[0];
    const foreign = "7f8a9b0c-1d2e-4f3a-9b4c-5d6e7f8a9b0c";
    const membership: Registered = {
      urn: `urn:pulumi:staging::plakar-scaleway-iam::${GROUP_MEMBERSHIP_TYPES[0]}::join`,
      type: GROUP_MEMBERSHIP_TYPES[0],
      name: "join",
      id: null,
      dependsOn: [],
      inputs: { groupId: "2e3f4a5b-6c7d-4e8f-9a0b-1c2d3e4f5a6b", applicationId: app?.id },
    };
    const changed = [
      ...resources.map((r) => (r === moved ? { ...r, inputs: { ...r.inputs, applicationId: foreign } } : r)),
      membership,
    ];
    expect(await packViolations(changed)).toEqual([
      `iam-api-key-own-application ${moved.name}: applicationId "${foreign}" is not an application of this stack: keys may only be issued to the applications the program manages (declare the application in the stack, or take it over with a credential's adopt)`,
      expect.stringMatching(/^iam-application-not-in-group join: adds application "inventory-app" /),
    ]);
  });

  it("the pack catches the stack's Object Storage key once its defaultProjectId is dropped", async () => {
    const resources = registrations("staging").map((r) => {
      if (r.type !== API_KEY_TYPE || r.inputs.defaultProjectId === undefined) return r;
      const { defaultProjectId: _drop, ...inputs } = r.inputs;
      return { ...r, inputs };
    });
    const out = await packViolations(resources);
    expect(out.length).toBeGreaterThan(0);
    expect(
      out.every((m) =>
        /^iam-object-storage-key-default-project buckets-key-[0-9-]+: the API key has no defaultProjectId/.test(m),
      ),
    ).toBe(true);
  });
});

describe("every IAM type token is held to the same rules", () => {
  const neverExpires = { applicationId: APP_ID, description: "forever" };
  const orgScoped = { ...goodPolicy, rules: [{ projectIds: [APPS], permissionSetNames: ["IAMManager"] }] };

  it.each(API_KEY_TYPES)("a never-expiring %s is refused", async (type) => {
    expect(await check("iam-api-key-expires", resourceArgs(type, neverExpires))).toEqual([
      expect.stringMatching(/has no expiresAt/),
    ]);
    expect(
      await check("iam-api-key-max-lifetime", resourceArgs(type, { ...goodKey, expiresAt: "2228-01-01T00:00:00Z" })),
    ).toHaveLength(1);
  });

  it.each(IAM_POLICY_TYPES)("%s is held to every policy rule", async (type) => {
    expect(await check("iam-policy-no-organization-scoped-sets", resourceArgs(type, orgScoped))).toHaveLength(1);
    expect(await check("iam-policy-has-principal", resourceArgs(type, { rules: [goodRule] }))).toHaveLength(1);
    expect(
      await check(
        "iam-policy-catalogued-sets-only",
        resourceArgs(type, { ...goodPolicy, rules: [{ projectIds: [APPS], permissionSetNames: ["Nope"] }] }),
      ),
    ).toHaveLength(1);
    expect(
      await check(
        "iam-policy-rule-single-scope",
        resourceArgs(type, { ...goodPolicy, rules: [{ permissionSetNames: ["InstancesReadOnly"] }] }),
      ),
    ).toHaveLength(1);
    expect(
      await check(
        "iam-policy-no-organization-wide-rules",
        resourceArgs(type, {
          ...goodPolicy,
          rules: [{ organizationId: ORG, permissionSetNames: ["InstancesReadOnly"] }],
        }),
      ),
    ).toHaveLength(1);
  });

  it.each([...APPLICATION_TYPES, ...GROUP_TYPES, ...GROUP_MEMBERSHIP_TYPES, ...OTHER_IAM_TYPES])(
    "the key and policy rules do not apply to %s",
    async (type) => {
      expect(await check("iam-api-key-expires", resourceArgs(type, neverExpires))).toBe("not applicable");
      expect(await check("iam-policy-has-principal", resourceArgs(type, {}))).toBe("not applicable");
    },
  );

  it("the stack policy links a deprecated key to a deprecated policy", async () => {
    const out: string[] = [];
    const resources = stackResources([
      { type: "scaleway:index/iamPolicy:IamPolicy", name: "p", props: goodPolicy },
      {
        type: "scaleway:index/iamApiKey:IamApiKey",
        name: "k",
        props: { applicationId: APP_ID, expiresAt: EXPIRES },
        dependsOn: ["p"],
      },
    ]);
    await stackPolicy("iam-object-storage-key-default-project").validateStack(stackArgs(resources), (m) => out.push(m));
    expect(out).toEqual([expect.stringMatching(/has no defaultProjectId/)]);
  });
});

describe("iam-api-key-max-lifetime", () => {
  const name = "iam-api-key-max-lifetime";
  const at = (days: number) => new Date(PACK_NOW.getTime() + days * 86_400_000).toISOString();

  it("accepts a key expiring up to 365 days ahead, refuses one a day later", async () => {
    expect(DEFAULT_MAX_LIFETIME_DAYS).toBe(365);
    expect(await checkKey(name, { ...goodKey, expiresAt: at(365) })).toEqual([]);
    expect(await checkKey(name, { ...goodKey, expiresAt: at(366) })).toEqual([
      expect.stringMatching(/is 366 days ahead: keys may live at most 365 days/),
    ]);
  });

  it("takes its limit from the pack's config, and refuses a nonsense limit", async () => {
    const args = (expiresAt: string, config: object) =>
      resourceArgs(API_KEY_TYPE, { ...goodKey, expiresAt }, "k", config);
    expect(await check(name, args(at(100), { maxLifetimeDays: 90 }))).toHaveLength(1);
    expect(await check(name, args(at(90), { maxLifetimeDays: 90 }))).toEqual([]);
    expect(await check(name, args(at(700), { maxLifetimeDays: 730 }))).toEqual([]);
    await expect(check(name, args(at(1), { maxLifetimeDays: "90" }))).rejects.toThrow(
      /maxLifetimeDays must be a whole number/,
    );
  });

  it("leaves unknown, missing and malformed expiries to iam-api-key-expires", async () => {
    expect(await checkKey(name, { ...goodKey, expiresAt: U })).toEqual([]);
    expect(await checkKey(name, { applicationId: APP_ID })).toEqual([]);
    expect(keyLifetimeViolations({ expiresAt: "soon" }, PACK_NOW, 1)).toEqual([]);
  });
});

describe("iam-policy-no-organization-wide-rules", () => {
  const name = "iam-policy-no-organization-wide-rules";
  const wide = { ...goodPolicy, rules: [goodRule, { organizationId: ORG, permissionSetNames: ["InstancesReadOnly"] }] };

  it('flags a rule on every project of the organization, or on "*"', async () => {
    expect(await checkPolicy(name, wide)).toEqual([expect.stringMatching(/^rules\[1\] applies to every project/)]);
    expect(
      organizationWideRuleViolations({ rules: [{ projectIds: ["*"], permissionSetNames: ["InstancesReadOnly"] }] }),
    ).toHaveLength(1);
  });

  it("accepts project-scoped rules, and does not judge what is unknown", async () => {
    expect(await checkPolicy(name, goodPolicy)).toEqual([]);
    expect(
      await checkPolicy(name, {
        ...goodPolicy,
        rules: [{ organizationId: U, permissionSetNames: ["InstancesReadOnly"] }],
      }),
    ).toEqual([]);
    expect(await checkPolicy(name, { ...goodPolicy, rules: U })).toEqual([]);
  });

  it("lets a stack listed in the pack's allowedStacks opt in, and only that stack", async () => {
    const args = (stack: string, config: object) => ({
      ...resourceArgs(POLICY_TYPE, wide, "p", config),
      urn: `urn:pulumi:${stack}::plakar-scaleway-iam::scaleway:iam/policy:Policy::p`,
    });
    expect(await check(name, args("prod", { allowedStacks: ["prod"] }))).toEqual([]);
    expect(await check(name, args("staging", { allowedStacks: ["prod"] }))).toHaveLength(1);
    expect(await check(name, args("prod", { allowedStacks: "prod" }))).toHaveLength(1);
  });
});
