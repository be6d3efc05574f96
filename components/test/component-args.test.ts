/**
 * PlakarCredential's arguments and options, pinned rule by rule as another team's program meets them: each refusal's
 * exact `args.<path>` and message (README, "API reference"), what a value given as an Output changes (nothing but
 * when its check runs), and what the engine receives: resources, their inputs and options (protect, ignoreChanges,
 * dependsOn, aliases, import), the component's registered outputs and which of them are secret.
 *
 * Every component is built inside its test (Stryker credits a test only with the code it runs itself).
 */
import * as pulumi from "@pulumi/pulumi";
import { describe, expect, it } from "vitest";
import { InventoryCredential, PlakarCredential, PlakarCredentialArgsError } from "../index";
import { APPS, BACKUPS, ORG, takeUnhandledRejections, until } from "./support/fixtures";

const SECRET = "component-args-mock-secret";
const NOW = new Date("2026-12-20T00:00:00Z");
const STACK = "dev";
const COMPONENT_TYPE = "plakar-scaleway-iam:index:PlakarCredential";
const DELIVERY_TYPE = "plakar-scaleway-iam:secrets:Delivery";
const LEGACY_TYPE = "plakar-scaleway-iam:iam:Credential";
const APP_TYPE = "scaleway:iam/application:Application";
const POLICY_TYPE = "scaleway:iam/policy:Policy";
const KEY_TYPE = "scaleway:iam/apiKey:ApiKey";
const SECRET_TYPE = "scaleway:secrets/secret:Secret";
const VERSION_TYPE = "scaleway:secrets/version:Version";
/** How a Pulumi secret travels to the engine (sdk/nodejs/runtime/rpc.ts: specialSigKey, specialSecretSig). */
const SECRET_SIG = { key: "4dabf18193072939515e22adb298388d", value: "1b47061264138c4ac30d75fd1eb44270" };
const UUID_MESSAGE = "must be a Scaleway ID (a UUID such as 3f2b6c1e-8d4a-4c2e-9b7f-0a1d2e3f4a5b)";
const BASE = { organizationId: ORG, projectIds: [APPS], preset: "inventory" };
const later = <T>(v: T) => pulumi.output(Promise.resolve(v));

/** The expiry a provider reports for a key, by resource name, when it differs from the one declared. */
const providerExpiry = new Map<string, string>();

void pulumi.runtime.setMocks(
  {
    newResource(args) {
      const expiresAt = providerExpiry.get(args.name);
      const state =
        args.type === KEY_TYPE
          ? { ...args.inputs, accessKey: `SCW-${args.name}`, secretKey: SECRET, ...(expiresAt ? { expiresAt } : {}) }
          : args.inputs;
      // The provider's ID of a secret is `<region>/<uuid>`; Plakar references the bare UUID.
      const id = args.type === SECRET_TYPE ? `fr-par/${args.name}-id` : `${args.name}-id`;
      return { id, state };
    },
    call(args) {
      throw new Error(`unexpected invoke ${args.token}`);
    },
  },
  "consumer",
  STACK,
  false,
);

// What the engine receives: each registration with its options, and each component's registered outputs. The
// mock monitor is wrapped, not replaced (as tools/offline.ts records a plan).
interface Registration {
  urn: string;
  type: string;
  name: string;
  /** As sent: secrets carry the secret signature. */
  inputs: Record<string, unknown>;
  parent: string;
  protect: boolean;
  retainOnDelete: boolean;
  dependsOn: string[];
  ignoreChanges: string[];
  aliases: unknown[];
  importId: string;
}
interface Struct {
  toJavaScript(): Record<string, unknown>;
}
interface AliasMessage {
  hasUrn(): boolean;
  getUrn(): string;
  getSpec(): { getType(): string; getName(): string } | undefined;
}
interface RawRequest {
  getType(): string;
  getName(): string;
  getParent(): string;
  getProtect(): boolean | undefined;
  getRetainondelete(): boolean | undefined;
  getDependenciesList(): string[];
  getIgnorechangesList(): string[];
  getImportid(): string;
  getObject(): Struct | undefined;
  getAliasesList(): AliasMessage[];
}
interface Monitor {
  registerResource(req: RawRequest, cb: (err: Error | null, res?: { getUrn(): string }) => void): Promise<void>;
  registerResourceOutputs(req: { getUrn(): string; getOutputs(): Struct | undefined }, cb: unknown): void;
}

const registrations: Registration[] = [];
const registeredOutputs = new Map<string, Record<string, unknown>>();
const monitor = pulumi.runtime.getMonitor() as unknown as Monitor;
const registerResource = monitor.registerResource.bind(monitor);
monitor.registerResource = (req, cb) =>
  registerResource(req, (err, res) => {
    if (!err && res) {
      registrations.push({
        urn: res.getUrn(),
        type: req.getType(),
        name: req.getName(),
        inputs: req.getObject()?.toJavaScript() ?? {},
        parent: req.getParent(),
        protect: req.getProtect() ?? false,
        retainOnDelete: req.getRetainondelete() ?? false,
        dependsOn: [...req.getDependenciesList()],
        ignoreChanges: [...req.getIgnorechangesList()],
        aliases: req.getAliasesList().map((a) => {
          const spec = a.getSpec();
          if (a.hasUrn() || !spec) return a.getUrn();
          return {
            ...(spec.getType() ? { type: spec.getType() } : {}),
            ...(spec.getName() ? { name: spec.getName() } : {}),
          };
        }),
        importId: req.getImportid(),
      });
    }
    cb(err, res);
  });
const registerResourceOutputs = monitor.registerResourceOutputs.bind(monitor);
monitor.registerResourceOutputs = (req, cb) => {
  registeredOutputs.set(req.getUrn(), req.getOutputs()?.toJavaScript() ?? {});
  registerResourceOutputs(req, cb);
};

// A check that runs once an Output resolves fails every child's registration: under the mock runtime those are
// unhandled rejections (Pulumi's program runner would end the update with the first). Taken from vitest for this
// file only, to be asserted on.
const rejections = takeUnhandledRejections();

/** An Output's value; rejects when the Output does (its internal promise), rather than never resolving. */
function value<T>(output: pulumi.Output<T>): Promise<T> {
  return (output as unknown as { promise(): Promise<T> }).promise();
}

function registered(type: string, name: string): Registration {
  const hit = registrations.find((r) => r.type === type && r.name === name);
  if (!hit) throw new Error(`no ${type} named ${name}; registered: ${registrations.map((r) => r.name).join(", ")}`);
  return hit;
}

/** The registrations of component `name` and its children (their names start with it). */
function family(name: string): Registration[] {
  return registrations.filter((r) => r.name === name || r.name.startsWith(`${name}-`));
}

/** Waits until the component registered its outputs (the last thing it does), and returns them. */
async function outputsOf(name: string, type = COMPONENT_TYPE): Promise<Record<string, unknown>> {
  const urn = () => registrations.find((r) => r.type === type && r.name === name)?.urn;
  await until(() => {
    const u = urn();
    return u !== undefined && registeredOutputs.has(u);
  });
  const u = urn();
  if (u === undefined || !registeredOutputs.has(u)) throw new Error(`${name} registered no outputs`);
  return registeredOutputs.get(u) as Record<string, unknown>;
}

const secretOf = (v: unknown) => ({ [SECRET_SIG.key]: SECRET_SIG.value, value: v });

function build(name: string, args: Record<string, unknown>, opts: Record<string, unknown> = {}): PlakarCredential {
  return new PlakarCredential(name, args as never, { now: NOW, ...opts });
}

/** The refusal of `args`, thrown by the constructor: each issue as `path: message`. */
function refusal(args: Record<string, unknown>): string[] {
  try {
    build("c", args);
  } catch (err) {
    expect(err).toBeInstanceOf(PlakarCredentialArgsError);
    return (err as PlakarCredentialArgsError).issues.map((i) => `${i.path}: ${i.message}`);
  }
  throw new Error("expected the arguments to be refused");
}

/** The refusal of a component whose arguments are accepted at construction but refused once their Outputs resolve. */
async function lateRefusal(name: string, args: Record<string, unknown>): Promise<PlakarCredentialArgsError> {
  const mine = () =>
    rejections.filter(
      (e): e is PlakarCredentialArgsError =>
        e instanceof PlakarCredentialArgsError && e.message.includes(`PlakarCredential "${name}"`),
    );
  expect(() => build(name, args)).not.toThrow();
  await until(() => mine().length > 0);
  const [first] = mine();
  if (!first) throw new Error(`${name}: no refusal once the Outputs resolved`);
  return first;
}

describe("refusals name every argument by its args.<path>", () => {
  // Unknown keys list every key known at that level, comma-separated, after the closest one.
  it("arguments that are not an object of arguments, as another language or a cast can pass them", () => {
    for (const args of [null, undefined, "inventory", [BASE], pulumi.output(BASE)]) {
      expect(refusal(args as never)).toEqual(["args: must be an object of arguments"]);
    }
  });

  it("an unknown argument lists the arguments known at its level", () => {
    expect(refusal({ ...BASE, tag: ["x"] })).toEqual([
      'args.tag: unknown argument (did you mean "tags"?); known here: organizationId, projectIds, allProjects, rotation, expiresAt, maxLifetimeDays, name, description, tags, retire, adopt, delivery, preset, permissionSets, rules, preferredProjectId, stagingProjectId, region',
    ]);
    expect(refusal({ ...BASE, delivery: { projectId: BACKUPS, folder: "/plakar" } })).toEqual([
      "args.delivery.folder: unknown argument; known here: projectId, region, path",
    ]);
    expect(
      refusal({
        organizationId: ORG,
        preset: "inventory",
        rules: [{ projectIds: [APPS], permissionSet: ["AllProductsReadOnly"] }],
      }),
    ).toEqual([
      'args.rules[0].permissionSet: unknown argument (did you mean "permissionSets"?); known here: projectIds, allProjects, permissionSets, preset, part',
    ]);
  });

  // null is a value of the wrong type, never an object to look into.
  it("null where a list or an object is expected", () => {
    expect(refusal({ ...BASE, tags: null })).toEqual(["args.tags: must be a list"]);
    expect(refusal({ ...BASE, rotation: null })).toEqual([
      "args.rotation: must be an object { rotateEveryDays, overlapDays }",
    ]);
    expect(refusal({ ...BASE, delivery: null })).toEqual([
      "args.delivery: must be an object { projectId, region, path }",
    ]);
    expect(refusal({ organizationId: ORG, preset: "inventory", rules: [null] })).toEqual([
      "args.rules[0]: must be an object { projectIds or allProjects, permissionSets, preset, part }",
    ]);
  });

  // A string argument must be a string: a list holding one is refused, not read as text.
  it("a list where a string is expected", () => {
    expect(refusal({ ...BASE, description: ["nightly backups"] })).toEqual([
      "args.description: must be a non-empty string",
    ]);
    expect(refusal({ ...BASE, name: ["plakar-dev"] })).toEqual(["args.name: must be a non-empty string"]);
  });

  // An ID that is not even a string says what an ID looks like.
  it("an ID that is not a string", () => {
    expect(refusal({ ...BASE, organizationId: 42 })).toEqual([`args.organizationId: ${UUID_MESSAGE}`]);
    expect(refusal({ ...BASE, delivery: { projectId: 7 } })).toEqual([`args.delivery.projectId: ${UUID_MESSAGE}`]);
  });

  // Days are whole numbers from 1 to 3650: zero and negative values are refused like fractions.
  it("zero or negative days", () => {
    const message = "must be a whole number of days from 1 to 3650";
    expect(refusal({ ...BASE, maxLifetimeDays: 0 })).toEqual([`args.maxLifetimeDays: ${message}`]);
    expect(refusal({ ...BASE, rotation: { rotateEveryDays: 30, overlapDays: 0 } })).toEqual([
      `args.rotation.overlapDays: ${message}`,
    ]);
    expect(refusal({ ...BASE, rotation: { rotateEveryDays: -30 } })).toEqual([
      `args.rotation.rotateEveryDays: ${message}`,
    ]);
  });

  // Each permission set is a non-empty string, named by its index.
  it("an empty or non-string permission set", () => {
    expect(refusal({ ...BASE, permissionSets: ["", 7] })).toEqual([
      "args.permissionSets[0]: must be a non-empty string",
      "args.permissionSets[1]: must be a non-empty string",
    ]);
    expect(
      refusal({ organizationId: ORG, preset: "inventory", rules: [{ projectIds: [APPS], permissionSets: [""] }] }),
    ).toEqual(["args.rules[0].permissionSets[0]: must be a non-empty string"]);
  });

  // An empty or non-string expiresAt is one problem, said once (not also judged as a timestamp).
  it("an empty or non-string expiresAt", () => {
    expect(refusal({ ...BASE, expiresAt: "" })).toEqual(["args.expiresAt: must be a non-empty string"]);
    expect(refusal({ ...BASE, expiresAt: 20270301 })).toEqual(["args.expiresAt: must be a non-empty string"]);
  });

  // Scaleway's descriptions hold 200 characters: a description is judged with the text the stack adds (domain: the
  // description the resources get), a longer one as well as one that fits alone, saying how short it must be.
  it("a description over 200 characters, and one of 200 that the added text pushes over", () => {
    expect(refusal({ ...BASE, description: "d".repeat(201) })).toEqual([
      "args.description: makes a 233-character description; Scaleway allows 200 and rotated keys add 24 for their generation: shorten it to at most 144 characters",
    ]);
    expect(refusal({ ...BASE, description: "d".repeat(200) })).toEqual([
      "args.description: makes a 232-character description; Scaleway allows 200 and rotated keys add 24 for their generation: shorten it to at most 144 characters",
    ]);
  });

  // The delivery's fields are named under args.delivery.
  it("the delivery's fields", () => {
    expect(refusal({ ...BASE, delivery: { projectId: "vault", region: "", path: "" } })).toEqual([
      `args.delivery.projectId: ${UUID_MESSAGE}`,
      'args.delivery.region: must be a Secret Manager region: "fr-par", "nl-ams" or "pl-waw"',
      'args.delivery.path: must be an absolute path such as "/plakar", without a trailing slash',
    ]);
  });

  // Every shape problem at once: a bad delivery folder is reported along with the others, not left to later checks.
  it("a bad delivery folder together with another problem", () => {
    expect(refusal({ ...BASE, tags: "team=x", delivery: { projectId: BACKUPS, path: "plakar" } })).toEqual([
      "args.tags: must be a list",
      'args.delivery.path: must be an absolute path such as "/plakar", without a trailing slash',
    ]);
  });

  // adopt is a plain object of two IDs; anything else is refused as a whole (zod's message for AdoptSchema).
  it.each<[string, unknown, string]>([
    ["a string", "5b0a1c2d", "string"],
    ["null", null, "null"],
    ["a list", [APPS, BACKUPS], "array"],
  ])("adopt given as %s", (_what, adopt, received) => {
    expect(refusal({ ...BASE, adopt })).toEqual([`args.adopt: Invalid input: expected object, received ${received}`]);
  });

  // adopt as a whole given as an Output: Pulumi reads import IDs when it registers.
  it("adopt given as an Output", () => {
    expect(refusal({ ...BASE, adopt: later({ applicationId: APPS, policyId: BACKUPS }) })).toEqual([
      "args.adopt: must be a plain object { applicationId, policyId }, not an Output: Pulumi reads the import IDs when it registers",
    ]);
  });
});

describe("rules", () => {
  // rules given as an Output (another language's program hands it as one): accepted, checked once it resolves.
  it("accepts rules given as an Output, and registers the policy they resolve to", async () => {
    const c = build("late-rules", {
      organizationId: ORG,
      preset: "object-storage",
      rules: later([
        { projectIds: [APPS], permissionSets: ["AllProductsReadOnly"] },
        { projectIds: [BACKUPS], preset: "object-storage" },
      ]),
    });
    expect(await value(c.access)).toEqual({
      useCase: "object-storage",
      rules: [
        { projectIds: [APPS], permissionSets: ["AllProductsReadOnly"] },
        {
          projectIds: [BACKUPS],
          permissionSets: [
            "ObjectStorageBucketsRead",
            "ObjectStorageBucketsWrite",
            "ObjectStorageObjectsDelete",
            "ObjectStorageObjectsRead",
            "ObjectStorageObjectsWrite",
          ],
        },
      ].sort((a, b) => (a.projectIds[0] < b.projectIds[0] ? -1 : 1)),
      permissionSets: [
        "AllProductsReadOnly",
        "ObjectStorageBucketsRead",
        "ObjectStorageBucketsWrite",
        "ObjectStorageObjectsDelete",
        "ObjectStorageObjectsRead",
        "ObjectStorageObjectsWrite",
      ],
      projectIds: [APPS, BACKUPS].sort(),
      allProjects: false,
      preferredProjectId: BACKUPS,
    });
    await value(c.accessKey);
    expect(registered(KEY_TYPE, "late-rules-key-2026-12-16").inputs.defaultProjectId).toBe(BACKUPS);
    expect(registered(POLICY_TYPE, "late-rules-policy").inputs.rules).toEqual(
      [
        { projectIds: [APPS], permissionSetNames: ["AllProductsReadOnly"] },
        {
          projectIds: [BACKUPS],
          permissionSetNames: [
            "ObjectStorageBucketsRead",
            "ObjectStorageBucketsWrite",
            "ObjectStorageObjectsDelete",
            "ObjectStorageObjectsRead",
            "ObjectStorageObjectsWrite",
          ],
        },
      ].sort((a, b) => (a.projectIds[0] < b.projectIds[0] ? -1 : 1)),
    );
  });

  // A bad value inside rules given as an Output fails the update once it resolves, at its own args.rules path.
  it("refuses a bad rule inside an Output once it resolves, at its args.rules[i] path", async () => {
    const err = await lateRefusal("late-bad-rules", {
      organizationId: ORG,
      preset: "inventory",
      rules: later([
        { projectIds: [APPS], permissionSets: ["AllProductsReadOnly"] },
        { projectIds: [BACKUPS], permissionSets: ["IAMManager"] },
      ]),
    });
    expect(err.issues).toEqual([
      {
        path: "args.rules[1].permissionSets[0]",
        message:
          '"IAMManager" is organization-scoped ("Access to Organization features"); Plakar only needs project-scoped sets ("Access to resources")',
      },
    ]);
    expect(family("late-bad-rules").map((r) => r.type)).toEqual([COMPONENT_TYPE]);
  });

  // A rule's projectIds alone given as an Output: a shape problem in it is still named at its index.
  it("refuses a rule's projectIds that resolve to something else than UUIDs, at their index", async () => {
    const err = await lateRefusal("late-bad-rule-ids", {
      organizationId: ORG,
      preset: "inventory",
      rules: [{ projectIds: later([APPS, "prod"]), preset: "inventory" }],
    });
    expect(err.issues).toEqual([{ path: "args.rules[0].projectIds[1]", message: UUID_MESSAGE }]);
    expect(family("late-bad-rule-ids").map((r) => r.type)).toEqual([COMPONENT_TYPE]);
  });

  // Other than a list, or a list of other than rules.
  it("refuses rules given as something other than a list", () => {
    // Only the rules are wrong: projectIds, which rules replace, is not asked for.
    expect(
      refusal({ organizationId: ORG, preset: "inventory", rules: { projectIds: [APPS], permissionSets: ["x"] } }),
    ).toEqual(["args.rules: must be a list of { projectIds or allProjects, permissionSets }"]);
    expect(refusal({ organizationId: ORG, preset: "inventory", rules: [APPS] })).toEqual([
      "args.rules[0]: must be an object { projectIds or allProjects, permissionSets, preset, part }",
    ]);
  });

  // An empty list is refused with the shape problems, all at once.
  it("refuses an empty list, alone and along with another problem", () => {
    expect(refusal({ organizationId: ORG, preset: "inventory", rules: [] })).toEqual([
      "args.rules: must list at least one rule",
    ]);
    expect(refusal({ organizationId: ORG, preset: "inventory", rules: [], tags: "x" })).toEqual([
      "args.tags: must be a list",
      "args.rules: must list at least one rule",
    ]);
  });

  // rules replace projectIds/allProjects and permissionSets: each mix is named.
  it("refuses rules mixed with the arguments they replace, naming them", () => {
    const rules = [{ projectIds: [APPS], permissionSets: ["AllProductsReadOnly"] }];
    const tail = "not both: each rule has its own projectIds (or allProjects) and permissionSets";
    expect(refusal({ organizationId: ORG, preset: "inventory", rules, allProjects: true })).toEqual([
      `args.rules: give either rules or allProjects, ${tail}`,
    ]);
    expect(
      refusal({
        organizationId: ORG,
        preset: "inventory",
        rules,
        projectIds: [APPS],
        permissionSets: ["AllProductsReadOnly"],
      }),
    ).toEqual([`args.rules: give either rules or projectIds and permissionSets, ${tail}`]);
  });

  // A project in two rules with the same sets is reported at the later rule's projectIds, naming the earlier one.
  it("names both rules' projectIds when two rules grant a project the same sets", () => {
    expect(
      refusal({
        organizationId: ORG,
        preset: "inventory",
        rules: [
          { projectIds: [APPS], permissionSets: ["AllProductsReadOnly"] },
          { projectIds: [APPS, BACKUPS], permissionSets: ["AllProductsReadOnly"] },
        ],
      }),
    ).toEqual([
      `args.rules[1].projectIds: "${APPS}" is also in args.rules[0].projectIds with the same permission sets (AllProductsReadOnly): a project is in several rules only when their sets differ; list it in one rule`,
    ]);
  });
});

describe("CredentialArgsError (PlakarCredentialArgsError)", () => {
  // Its name and message list every issue, one per line, under the component's class and name.
  it("is named, and its message lists each issue on its own line", () => {
    let error: unknown;
    try {
      build("two-problems", { ...BASE, tags: "x", retire: "yes" });
    } catch (err) {
      error = err;
    }
    expect(error).toBeInstanceOf(PlakarCredentialArgsError);
    expect((error as Error).name).toBe("CredentialArgsError");
    expect((error as Error).message).toBe(
      'invalid arguments for PlakarCredential "two-problems":\n  args.tags: must be a list\n  args.retire: must be a plain boolean',
    );
    // No stack trace, like every RunError: a component provider logs `stack`, which says only what to fix.
    expect((error as Error).stack).toBe(`CredentialArgsError: ${(error as Error).message}`);
    expect(family("two-problems")).toEqual([]);
  });
});

describe("values given as Outputs: checked once they resolve", () => {
  // The list of sets, the tags, the delivery's project and folder and a pinned expiresAt may all be Outputs.
  it("accepts them at construction and registers what they resolve to", async () => {
    const c = build("late-ok", {
      organizationId: ORG,
      projectIds: [APPS],
      permissionSets: later(["AllProductsReadOnly"]),
      tags: later(["team=platform"]),
      expiresAt: later("2027-03-01T00:00:00Z"),
      delivery: { projectId: later(BACKUPS), path: later("/team/plakar") },
    });
    expect(await value(c.delivery!)).toEqual({
      secretId: "late-ok-delivery-secret-id",
      path: "/team/plakar/late-ok",
      projectId: BACKUPS,
      region: "fr-par",
    });
    expect(await value(c.expiresAt)).toBe("2027-03-01T00:00:00Z");
    expect(registered(POLICY_TYPE, "late-ok-policy").inputs.rules).toEqual([
      { projectIds: [APPS], permissionSetNames: ["AllProductsReadOnly"] },
    ]);
    expect(registered(APP_TYPE, "late-ok-app").inputs.tags).toEqual([
      "managed-by=pulumi",
      `stack=${STACK}`,
      "team=platform",
      "use-case=custom",
    ]);
    expect(registered(SECRET_TYPE, "late-ok-delivery-secret").inputs).toMatchObject({
      name: "late-ok",
      path: "/team/plakar",
      projectId: BACKUPS,
      region: "fr-par",
    });
  });

  // The delivery's project alone given as an Output: the secret goes to the project it resolves to.
  it("delivers to a project given as an Output", async () => {
    const c = build("late-vault", { ...BASE, delivery: { projectId: later(BACKUPS) } });
    expect(await value(c.delivery!)).toEqual({
      secretId: "late-vault-delivery-secret-id",
      path: `/plakar/${STACK}/late-vault`,
      projectId: BACKUPS,
      region: "fr-par",
    });
    expect(registered(SECRET_TYPE, "late-vault-delivery-secret").inputs.projectId).toBe(BACKUPS);
  });

  // The whole delivery given as an Output (another language's program hands it as one): accepted, and the secret goes
  // where it resolves.
  it("accepts a delivery given as an Output, and delivers where it resolves", async () => {
    const c = build("late-whole-delivery", {
      ...BASE,
      delivery: later({ projectId: BACKUPS, region: "nl-ams", path: "/team" }),
    });
    expect(await value(c.delivery!)).toEqual({
      secretId: "late-whole-delivery-delivery-secret-id",
      path: "/team/late-whole-delivery",
      projectId: BACKUPS,
      region: "nl-ams",
    });
    expect(registered(SECRET_TYPE, "late-whole-delivery-delivery-secret").inputs).toMatchObject({
      name: "late-whole-delivery",
      path: "/team",
      projectId: BACKUPS,
      region: "nl-ams",
    });
    // Plakar's form still points at the secret's fields.
    expect((await value(c.plakar)).secretId).toBe("late-whole-delivery-delivery-secret-id");
  });

  // A bad value inside a delivery given as an Output fails the update once it resolves, at args.delivery.<field>.
  it("refuses a bad field inside a delivery given as an Output, at its args.delivery path", async () => {
    const err = await lateRefusal("late-bad-delivery", {
      ...BASE,
      delivery: later({ projectId: BACKUPS, path: "plakar" }),
    });
    expect(err.issues).toEqual([
      {
        path: "args.delivery.path",
        message: 'must be an absolute path such as "/plakar", without a trailing slash',
      },
    ]);
    expect(family("late-bad-delivery").filter((r) => r.type !== COMPONENT_TYPE && r.type !== DELIVERY_TYPE)).toEqual(
      [],
    );
  });

  // A shape problem seen only once the Output resolves fails the update with its own path, not a generic one.
  it("refuses a project ID that resolves to something else than a UUID, at args.projectIds[i]", async () => {
    const err = await lateRefusal("late-bad-id", { ...BASE, projectIds: [APPS, later("prod")] });
    expect(err.issues).toEqual([{ path: "args.projectIds[1]", message: UUID_MESSAGE }]);
    expect(family("late-bad-id").map((r) => r.type)).toEqual([COMPONENT_TYPE]);
  });

  // A hole in a list (an unset variable) is refused at construction, at its index: left as an unknown, it would
  // fail the update later with a generic message.
  it("refuses an undefined element of projectIds, permissionSets or tags at its index, before anything exists", () => {
    const hole = "is undefined (an unset variable?): give a value or remove it";
    expect(refusal({ ...BASE, projectIds: [APPS, undefined] })).toEqual([`args.projectIds[1]: ${hole}`]);
    expect(refusal({ ...BASE, preset: undefined, permissionSets: [undefined, "AllProductsReadOnly"] })).toEqual([
      `args.permissionSets[0]: ${hole}`,
    ]);
    expect(refusal({ ...BASE, tags: ["team=a", undefined] })).toEqual([`args.tags[1]: ${hole}`]);
    expect(family("c").filter((r) => r.type !== COMPONENT_TYPE)).toEqual([]);
  });

  // What the values mean (the domain's checks) fails the update with the domain's own issues and paths.
  it("refuses a preferred project outside the projects, at args.preferredProjectId", async () => {
    const err = await lateRefusal("late-bad-preferred", {
      ...BASE,
      preset: "object-storage",
      preferredProjectId: later(BACKUPS),
    });
    expect(err.issues).toEqual([
      { path: "args.preferredProjectId", message: `"${BACKUPS}" is not one of this credential's projects (${APPS})` },
    ]);
    expect(family("late-bad-preferred").map((r) => r.type)).toEqual([COMPONENT_TYPE]);
  });
});

describe("what is registered", () => {
  // Default tags: managed-by, stack and use-case only.
  it("tags the application and policy with the three added tags when no tag is given", async () => {
    const c = build("plain-tags", BASE);
    await value(c.policyId);
    const tags = ["managed-by=pulumi", `stack=${STACK}`, "use-case=inventory"];
    expect(registered(APP_TYPE, "plain-tags-app").inputs.tags).toEqual(tags);
    expect(registered(POLICY_TYPE, "plain-tags-policy").inputs.tags).toEqual(tags);
  });

  // The component keeps its legacy type as an alias, after the program's own aliases; unprotected by default.
  it("aliases the component to its legacy type, after the program's own aliases", async () => {
    const plain = build("aliased", BASE);
    const withOwn = build("aliased-own", BASE, { aliases: [{ name: "old-name" }] });
    await Promise.all([value(plain.urn), value(withOwn.urn)]);
    expect(registered(COMPONENT_TYPE, "aliased").aliases).toEqual([{ type: LEGACY_TYPE }]);
    expect(registered(COMPONENT_TYPE, "aliased-own").aliases).toEqual([{ name: "old-name" }, { type: LEGACY_TYPE }]);
    expect(registered(COMPONENT_TYPE, "aliased").protect).toBe(false);
  });

  // A use case's own class keeps the URNs of the PlakarCredential (and the legacy credential) it replaces.
  it("aliases a use case's class to PlakarCredential and the legacy type, after the program's own aliases", async () => {
    const c = new InventoryCredential(
      "aliased-inventory",
      { organizationId: ORG, projectIds: [APPS] },
      { now: NOW, aliases: [{ name: "old-inventory" }] },
    );
    await value(c.urn);
    expect(registered("plakar-scaleway-iam:index:InventoryCredential", "aliased-inventory").aliases).toEqual([
      { name: "old-inventory" },
      { type: COMPONENT_TYPE },
      { type: LEGACY_TYPE },
    ]);
  });

  // protect defaults to false; when set, the component is protected and its application, policy, Delivery component
  // and secret inherit it (Pulumi's own inheritance), never the keys or the version (rotation deletes them).
  it("protects nothing by default; protect: true covers the component and what it keeps, never keys or versions", async () => {
    const args = { ...BASE, delivery: { projectId: BACKUPS } };
    build("unprotected", args);
    build("protected", args, { protect: true });
    await Promise.all([outputsOf("unprotected"), outputsOf("protected")]);
    await until(() => family("protected").some((r) => r.type === VERSION_TYPE));
    await until(() => family("unprotected").some((r) => r.type === VERSION_TYPE));
    const flags = (name: string) =>
      Object.fromEntries(family(name).map((r) => [r.name.slice(name.length) || "(component)", r.protect]));
    expect(flags("unprotected")).toEqual({
      "(component)": false,
      "-app": false,
      "-policy": false,
      "-key-2026-12-16": false,
      "-key-2026-09-17": false,
      "-delivery": false,
      "-delivery-secret": false,
      "-delivery-secret-version": false,
    });
    expect(flags("protected")).toEqual({
      "(component)": true,
      "-app": true,
      "-policy": true,
      "-key-2026-12-16": false,
      "-key-2026-09-17": false,
      "-delivery": true,
      "-delivery-secret": true,
      "-delivery-secret-version": false,
    });
    expect(registered(SECRET_TYPE, "unprotected-delivery-secret").inputs.protected).toBe(false);
    expect(registered(SECRET_TYPE, "protected-delivery-secret").inputs.protected).toBe(true);
  });

  // retainOnDelete, which Pulumi does not pass down, is given to what the credential keeps: never keys or versions.
  it("passes retainOnDelete to the application, policy, Delivery component and secret only", async () => {
    const args = { ...BASE, delivery: { projectId: BACKUPS } };
    build("retained", args, { retainOnDelete: true });
    build("not-retained", args);
    await Promise.all([outputsOf("retained"), outputsOf("not-retained")]);
    await until(() => family("retained").some((r) => r.type === VERSION_TYPE));
    await until(() => family("not-retained").some((r) => r.type === VERSION_TYPE));
    const flags = (name: string) =>
      Object.fromEntries(family(name).map((r) => [r.name.slice(name.length) || "(component)", r.retainOnDelete]));
    expect(flags("retained")).toEqual({
      "(component)": true,
      "-app": true,
      "-policy": true,
      "-key-2026-12-16": false,
      "-key-2026-09-17": false,
      "-delivery": true,
      "-delivery-secret": true,
      "-delivery-secret-version": false,
    });
    expect(Object.values(flags("not-retained")).every((retained) => !retained)).toBe(true);
  });

  // adopt imports the application and the policy by their IDs; keys are never adopted.
  it("imports the adopted application and policy", async () => {
    const c = build("adopted", { ...BASE, adopt: { applicationId: APPS, policyId: BACKUPS } });
    await value(c.accessKey);
    expect(registered(APP_TYPE, "adopted-app").importId).toBe(APPS);
    expect(registered(POLICY_TYPE, "adopted-policy").importId).toBe(BACKUPS);
    expect(registered(KEY_TYPE, "adopted-key-2026-12-16").importId).toBe("");
  });
});

describe("keys", () => {
  // A rotated key ignores later changes to expiresAt, waits for the policy, and is never protected.
  it("a rotated key ignores changes to expiresAt and depends on the policy", async () => {
    const c = build("rotated", BASE, { protect: true });
    await value(c.keys);
    const policy = registered(POLICY_TYPE, "rotated-policy");
    for (const name of ["rotated-key-2026-12-16", "rotated-key-2026-09-17"]) {
      const key = registered(KEY_TYPE, name);
      expect(key.ignoreChanges, name).toEqual(["expiresAt"]);
      expect(key.dependsOn, name).toContain(policy.urn);
      expect(key.protect, name).toBe(false);
      expect(key.parent, name).toBe(registered(COMPONENT_TYPE, "rotated").urn);
    }
  });

  // A pinned key follows its expiresAt: no ignoreChanges; it has no generation, and its delivered version says so.
  it("a pinned key has no ignoreChanges, no generation, and its version is described as pinned", async () => {
    const c = build("pinned", { ...BASE, expiresAt: "2027-03-01T00:00:00Z", delivery: { projectId: BACKUPS } });
    expect(await value(c.keys)).toEqual({
      current: { accessKey: "SCW-pinned-key", expiresAt: "2027-03-01T00:00:00Z" },
    });
    expect(registered(KEY_TYPE, "pinned-key").ignoreChanges).toEqual([]);
    await until(() => family("pinned").some((r) => r.type === VERSION_TYPE));
    expect(registered(VERSION_TYPE, "pinned-delivery-secret-version").inputs.description).toBe("key generation pinned");
  });

  // During an overlap: both keys with their generations, the previous secret key as a secret.
  it("during an overlap gives both keys, each with its generation, and the previous secret key as a secret", async () => {
    const c = build("overlap", BASE);
    expect(await value(c.keys)).toEqual({
      current: { accessKey: "SCW-overlap-key-2026-12-16", expiresAt: "2027-03-30T00:00:00Z", generation: "2026-12-16" },
      previous: {
        accessKey: "SCW-overlap-key-2026-09-17",
        expiresAt: "2026-12-30T00:00:00Z",
        generation: "2026-09-17",
      },
    });
    expect(c.previousSecretKey).toBeDefined();
    expect(await value(c.previousSecretKey!)).toBe(SECRET);
    expect(await pulumi.isSecret(c.previousSecretKey!)).toBe(true);
  });

  // expiresAt is the key's actual expiry as the provider reports it (what check-expiry must judge).
  it("reports the expiry the provider returns, not the one planned today", async () => {
    providerExpiry.set("drift-key-2026-12-16", "2027-03-16T00:00:00Z");
    const c = build("drift", BASE);
    expect(await value(c.expiresAt)).toBe("2027-03-16T00:00:00Z");
    expect((await value(c.keys)).current.expiresAt).toBe("2027-03-16T00:00:00Z");
  });
});

describe("outputs", () => {
  // Without delivery: no secretId, the access key as a value, the secret key as a hint to the component's output.
  it("Plakar's instructions without delivery: the access key, and a hint for the secret key", async () => {
    const c = build("form", BASE);
    const instructions = await value(c.plakar);
    expect(Object.keys(instructions).sort()).toEqual(["fields", "integration"]);
    expect(instructions).toEqual({
      integration: "Scaleway inventory",
      fields: [
        { label: "Name", value: `plakar-${STACK}-form` },
        { label: "Project ID", value: APPS },
        { label: "Access key", value: "SCW-form-key-2026-12-16" },
        { label: "Secret key", hint: "the component's secretKey output (a Pulumi secret)" },
      ],
    });
  });

  // The component registers its outputs with the engine (what the state holds); secret keys stay secrets there.
  it("registers every output with the engine, secret keys as secrets", async () => {
    build("registered", BASE);
    const outputs = await outputsOf("registered");
    expect(Object.keys(outputs).sort()).toEqual([
      "access",
      "accessKey",
      "applicationId",
      "expiresAt",
      "keys",
      "plakar",
      "policyId",
      "previousSecretKey",
      "secretKey",
    ]);
    expect(outputs).toMatchObject({
      applicationId: "registered-app-id",
      policyId: "registered-policy-id",
      accessKey: "SCW-registered-key-2026-12-16",
      expiresAt: "2027-03-30T00:00:00Z",
      secretKey: secretOf(SECRET),
      previousSecretKey: secretOf(SECRET),
    });
    // What the credential may do, as its policy says it; no preferred project without Object Storage sets.
    expect(outputs.access).toEqual({
      useCase: "inventory",
      rules: [{ projectIds: [APPS], permissionSets: ["AllProductsReadOnly"] }],
      permissionSets: ["AllProductsReadOnly"],
      projectIds: [APPS],
      allProjects: false,
    });
  });

  // The delivered key: one version holding Plakar's fields as JSON, a secret; the delivery registers its secretId.
  it("delivers the current key as a secret version of Plakar's fields", async () => {
    build("delivered", { ...BASE, delivery: { projectId: BACKUPS } });
    expect(await outputsOf("delivered-delivery", DELIVERY_TYPE)).toEqual({ secretId: "delivered-delivery-secret-id" });
    await until(() => family("delivered").some((r) => r.type === VERSION_TYPE));
    const version = registered(VERSION_TYPE, "delivered-delivery-secret-version").inputs;
    expect(version.description).toBe("key generation 2026-12-16");
    const data = version.data as Record<string, unknown>;
    expect(data[SECRET_SIG.key]).toBe(SECRET_SIG.value);
    expect(JSON.parse(data.value as string)).toEqual({
      access_key: "SCW-delivered-key-2026-12-16",
      secret_key: SECRET,
      project_id: APPS,
    });
  });
});

describe("retire", () => {
  // retire is a plain boolean: true and false are accepted, false is the default.
  it("accepts retire: true and retire: false", () => {
    expect(() => build("retire-true", { ...BASE, retire: true })).not.toThrow();
    expect(() => build("retire-false", { ...BASE, retire: false })).not.toThrow();
  });

  // Retired: no key, no version; the application, policy and secret stay, unprotected even under protect: true (as
  // are the component and its Delivery component, so that removing it in the next update deletes them cleanly);
  // the outputs are empty strings, the secret key still a secret; the component's inputs say retired.
  it("revokes the keys and the version, and unprotects the rest", async () => {
    const c = build("retired", { ...BASE, retire: true, delivery: { projectId: BACKUPS } }, { protect: true });
    const outputs = await outputsOf("retired");
    await outputsOf("retired-delivery", DELIVERY_TYPE);
    expect(
      family("retired")
        .map((r) => r.type)
        .sort(),
    ).toEqual([APP_TYPE, COMPONENT_TYPE, DELIVERY_TYPE, POLICY_TYPE, SECRET_TYPE].sort());
    expect(registered(COMPONENT_TYPE, "retired").inputs).toEqual({ retired: true });
    for (const [type, name] of [
      [COMPONENT_TYPE, "retired"],
      [APP_TYPE, "retired-app"],
      [POLICY_TYPE, "retired-policy"],
      [DELIVERY_TYPE, "retired-delivery"],
      [SECRET_TYPE, "retired-delivery-secret"],
    ] as const) {
      expect(registered(type, name).protect, name).toBe(false);
    }
    expect(registered(SECRET_TYPE, "retired-delivery-secret").inputs.protected).toBe(false);
    expect(await value(c.accessKey)).toBe("");
    expect(await value(c.secretKey)).toBe("");
    expect(await pulumi.isSecret(c.secretKey)).toBe(true);
    expect(await value(c.expiresAt)).toBe("");
    expect(await value(c.keys)).toEqual({ current: { accessKey: "", expiresAt: "" } });
    expect(c.previousSecretKey).toBeUndefined();
    expect(outputs).toMatchObject({ accessKey: "", expiresAt: "", secretKey: secretOf("") });
  });

  // Not retired (the default): the component's inputs are empty and it has keys.
  it("a credential not retired has keys and empty component inputs (control)", async () => {
    const c = build("active", { ...BASE, retire: false });
    await value(c.keys);
    expect(registered(COMPONENT_TYPE, "active").inputs).toEqual({});
    expect(family("active").filter((r) => r.type === KEY_TYPE)).toHaveLength(2);
  });
});
