/**
 * PlakarCredential's arguments, refused as another program would pass them wrong: each with its `args.<path>` key
 * path and a message that says the fix, thrown before anything is registered.
 */
import * as pulumi from "@pulumi/pulumi";
import { describe, expect, it } from "vitest";
import { InventoryCredential, PlakarCredential, PlakarCredentialArgsError, SecretProviderCredential } from "../index";
import { APPS, BACKUPS, ORG } from "./support/fixtures";

const registered: string[] = [];
void pulumi.runtime.setMocks(
  {
    newResource: (args) => {
      registered.push(args.name);
      return { id: `${args.name}-id`, state: args.inputs };
    },
    call: (args) => {
      throw new Error(`unexpected invoke ${args.token}`);
    },
  },
  "consumer",
  "dev",
  false,
);

const NOW = new Date("2026-12-20T00:00:00Z");
const BASE = { organizationId: ORG, projectIds: [APPS], preset: "inventory" };
const later = <T>(v: T) => pulumi.output(Promise.resolve(v));

function refusal(args: Record<string, unknown>): string[] {
  const before = registered.length;
  try {
    new PlakarCredential("c", args as never, { now: NOW });
  } catch (err) {
    expect(err).toBeInstanceOf(PlakarCredentialArgsError);
    expect(registered.length, "nothing registered").toBe(before);
    return (err as PlakarCredentialArgsError).issues.map((i) => `${i.path}: ${i.message}`);
  }
  throw new Error("expected the arguments to be refused");
}

const UUID_MESSAGE = "must be a Scaleway ID (a UUID such as 3f2b6c1e-8d4a-4c2e-9b7f-0a1d2e3f4a5b)";

describe("PlakarCredential refuses", () => {
  it.each<[string, Record<string, unknown>, string[]]>([
    [
      "a missing organizationId",
      { projectIds: [APPS], preset: "inventory" },
      ["args.organizationId: is required: the ID of the Scaleway organization"],
    ],
    [
      "an organizationId that is not a UUID",
      { ...BASE, organizationId: "acme" },
      [`args.organizationId: ${UUID_MESSAGE}`],
    ],
    [
      "neither projectIds nor allProjects",
      { organizationId: ORG, preset: "inventory" },
      [
        "args.projectIds: is required: list the project IDs the credential reaches, or set allProjects: true for every current and future project",
      ],
    ],
    [
      "both projectIds and allProjects",
      { ...BASE, allProjects: true },
      ["args.projectIds: give either projectIds or allProjects: true, not both"],
    ],
    [
      "allProjects that is not a boolean",
      { ...BASE, projectIds: undefined, allProjects: "yes" },
      [
        "args.allProjects: must be a boolean: it decides the policy rule's scope",
        "args.projectIds: is required: list the project IDs the credential reaches, or set allProjects: true for every current and future project",
      ],
    ],
    ["an empty projectIds", { ...BASE, projectIds: [] }, ["args.projectIds: must list at least one project ID"]],
    ["projectIds that is not a list", { ...BASE, projectIds: APPS }, ["args.projectIds: must be a list"]],
    [
      "a project ID that is not a UUID",
      { ...BASE, projectIds: [APPS, "prod"] },
      [`args.projectIds[1]: ${UUID_MESSAGE}`],
    ],
    [
      "an unknown preset",
      { ...BASE, preset: "inventroy" },
      [
        expect.stringMatching(
          /^args\.preset: unknown preset "inventroy" \(did you mean "inventory"\?\); presets: /,
        ) as unknown as string,
      ],
    ],
    ["an empty preset", { ...BASE, preset: "" }, ["args.preset: must be a non-empty string"]],
    [
      "no preset and no permission set",
      { organizationId: ORG, projectIds: [APPS] },
      [expect.stringMatching(/^args: needs a preset \(.*\) or a non-empty permissionSets list$/) as unknown as string],
    ],
    [
      "an uncatalogued set",
      { ...BASE, permissionSets: ["ObjectStorageReader"] },
      [
        expect.stringMatching(
          /^args\.permissionSets\[0\]: "ObjectStorageReader" is not a documented Scaleway permission set/,
        ) as unknown as string,
      ],
    ],
    [
      "a preferred project outside projectIds",
      { ...BASE, preset: "object-storage", preferredProjectId: BACKUPS },
      [`args.preferredProjectId: "${BACKUPS}" is not one of this credential's projects (${APPS})`],
    ],
    [
      "a preferred project without Object Storage sets",
      { ...BASE, preferredProjectId: APPS },
      [
        "args.preferredProjectId: only keys with Object Storage permission sets (ObjectStorage*) take a preferred project; remove preferredProjectId",
      ],
    ],
    [
      "a missing preferred project with two projects",
      { ...BASE, preset: "object-storage", projectIds: [APPS, BACKUPS] },
      [
        `args.preferredProjectId: required: Object Storage permission sets need a preferred project (the buckets' project) and this credential has 2 projects; set preferredProjectId to one of ${[APPS, BACKUPS].sort().join(", ")}`,
      ],
    ],
    [
      "a misspelled argument",
      { ...BASE, tag: ["x"] },
      [
        expect.stringMatching(
          /^args\.tag: unknown argument \(did you mean "tags"\?\); known here: /,
        ) as unknown as string,
      ],
    ],
    [
      "rotation given as an Output",
      { ...BASE, rotation: later({ rotateEveryDays: 30 }) },
      ["args.rotation: must be a plain object, not an Output: it names the keys"],
    ],
    [
      "rotation that is not an object",
      { ...BASE, rotation: 30 },
      ["args.rotation: must be an object { rotateEveryDays, overlapDays }"],
    ],
    [
      "a misspelled rotation field",
      { ...BASE, rotation: { rotateEveryDay: 30 } },
      [
        expect.stringMatching(
          /^args\.rotation\.rotateEveryDay: unknown argument \(did you mean "rotateEveryDays"\?\)/,
        ) as unknown as string,
      ],
    ],
    [
      "rotateEveryDays past ten years",
      { ...BASE, rotation: { rotateEveryDays: 100_000_000 } },
      ["args.rotation.rotateEveryDays: must be a whole number of days from 1 to 3650"],
    ],
    [
      "a fractional overlap",
      { ...BASE, rotation: { overlapDays: 1.5 } },
      ["args.rotation.overlapDays: must be a whole number of days from 1 to 3650"],
    ],
    [
      "overlapDays given as an Output",
      { ...BASE, rotation: { overlapDays: later(7) } },
      [
        "args.rotation.overlapDays: must be a plain number, not an Output: it decides which keys exist and how they are named",
      ],
    ],
    [
      "an overlap as long as the rotation",
      { ...BASE, rotation: { rotateEveryDays: 30, overlapDays: 30 } },
      [
        "args.rotation.overlapDays: overlapDays (30) must be less than rotateEveryDays (30), or two generations would overlap fully",
      ],
    ],
    [
      "a rotation longer than maxLifetimeDays",
      { ...BASE, rotation: { rotateEveryDays: 90, overlapDays: 14 }, maxLifetimeDays: 60 },
      [
        "args.rotation.rotateEveryDays: a rotated key lives rotateEveryDays + overlapDays = 104 days, more than args.maxLifetimeDays (60): rotate more often or raise maxLifetimeDays",
      ],
    ],
    [
      "expiresAt with rotation",
      { ...BASE, expiresAt: "2027-01-01T00:00:00Z", rotation: { rotateEveryDays: 30 } },
      ["args.expiresAt: a pinned expiresAt turns rotation off: set either expiresAt or rotation, not both"],
    ],
    [
      "an expiresAt without a zone",
      { ...BASE, expiresAt: "2027-01-01" },
      ['args.expiresAt: must be an RFC 3339 timestamp with a zone, e.g. "2027-06-30T00:00:00Z"'],
    ],
    [
      "an expiresAt in the past",
      { ...BASE, expiresAt: "2026-01-01T00:00:00Z" },
      [
        "args.expiresAt: 2026-01-01T00:00:00Z is not in the future (now is 2026-12-20T00:00:00Z): set a later date, or remove it so the key rotates automatically",
      ],
    ],
    [
      "an expiresAt past maxLifetimeDays",
      { ...BASE, expiresAt: "2028-12-20T00:00:00Z" },
      [
        "args.expiresAt: 2028-12-20T00:00:00Z is 731 days ahead, more than args.maxLifetimeDays (365): set an earlier date",
      ],
    ],
    [
      "a name Scaleway does not allow",
      { ...BASE, name: "plakar/prod" },
      [
        'args.name: the application and policy name "plakar/prod" has characters Scaleway does not allow (letters, digits, spaces and ()._- only)',
      ],
    ],
    [
      "a name too long",
      { ...BASE, name: "n".repeat(65) },
      [
        `args.name: the application and policy name "${"n".repeat(65)}" is 65 characters; Scaleway allows 64: shorten args.name`,
      ],
    ],
    ["an empty description", { ...BASE, description: "" }, ["args.description: must be a non-empty string"]],
    ["tags that are not a list", { ...BASE, tags: "team=platform" }, ["args.tags: must be a list"]],
    ["an empty tag", { ...BASE, tags: ["team=platform", ""] }, ["args.tags[1]: must be a non-empty tag"]],
    [
      "a tag claiming stack=",
      { ...BASE, tags: ["stack=prod"] },
      [
        'args.tags[0]: the tag key "stack" is written by this stack itself (managed-by, stack, use-case), so a user tag cannot set it: use another key',
      ],
    ],
    [
      "eight tags",
      { ...BASE, tags: ["a", "b", "c", "d", "e", "f", "g", "h"] },
      [
        "args.tags: 8 tags; Scaleway allows 10 per resource and this stack adds 3 (managed-by, stack, use-case): keep at most 7",
      ],
    ],
    [
      "delivery that is not an object",
      { ...BASE, delivery: BACKUPS },
      ["args.delivery: must be an object { projectId, region, path }"],
    ],
    [
      "delivery without its project",
      { ...BASE, delivery: { region: "fr-par" } },
      ["args.delivery.projectId: is required: the project of the secret"],
    ],
    [
      "a delivery region Secret Manager lacks",
      { ...BASE, delivery: { projectId: BACKUPS, region: "us-east" } },
      ['args.delivery.region: must be a Secret Manager region: "fr-par", "nl-ams" or "pl-waw"'],
    ],
    [
      "a delivery folder with ..",
      { ...BASE, delivery: { projectId: BACKUPS, path: "/plakar/../x" } },
      ['args.delivery.path: has a "." or ".." segment: write the folder itself, e.g. "/plakar"'],
    ],
    [
      "a relative delivery folder",
      { ...BASE, delivery: { projectId: BACKUPS, path: "plakar" } },
      ['args.delivery.path: must be an absolute path such as "/plakar", without a trailing slash'],
    ],
    [
      "delivering the secret provider's own key",
      { ...BASE, preset: "secret-provider", delivery: { projectId: APPS } },
      [
        "args.delivery: the secret-provider key is the one typed into Plakar to read all the others, so it cannot be delivered through Secret Manager itself: use deliver: outputs",
      ],
    ],
  ])("%s", (_what, args, expected) => {
    expect(refusal(args)).toEqual(expected);
  });

  it("every shape problem at once: a bad project ID, a bad adopt and a retire that is not a boolean", () => {
    expect(
      refusal({ ...BASE, projectIds: ["prod"], adopt: { applicationId: "x", policyId: BACKUPS }, retire: "yes" }),
    ).toEqual([
      `args.projectIds[0]: ${UUID_MESSAGE}`,
      "args.retire: must be a plain boolean",
      `args.adopt.applicationId: ${UUID_MESSAGE}`,
    ]);
  });

  it("adopt IDs given as Outputs", () => {
    expect(refusal({ ...BASE, adopt: { applicationId: later(APPS), policyId: BACKUPS } })).toEqual([
      "args.adopt.applicationId: must be a plain Scaleway ID (a UUID), not an Output: Pulumi reads the import ID when it registers",
    ]);
  });

  it("an opts.now that is not a valid Date", () => {
    const before = registered.length;
    expect(() => new PlakarCredential("bad-clock", BASE as never, { now: new Date("not a date") })).toThrow(
      /^invalid arguments for PlakarCredential "bad-clock":\n {2}opts\.now: must be a valid Date/,
    );
    expect(registered.length, "nothing registered").toBe(before);
  });

  it("retire that is not a boolean", () => {
    expect(() => new PlakarCredential("r", { ...BASE, retire: "yes" } as never, { now: NOW })).toThrow(
      /args\.retire: must be a plain boolean/,
    );
  });
});

describe("PlakarCredential accepts (controls)", () => {
  it.each<[string, Record<string, unknown>]>([
    ["the minimal arguments", BASE],
    ["allProjects instead of projectIds", { organizationId: ORG, allProjects: true, preset: "inventory" }],
    [
      "ten years of rotation under a matching cap",
      { ...BASE, rotation: { rotateEveryDays: 3000, overlapDays: 1 }, maxLifetimeDays: 3650 },
    ],
    ["seven tags", { ...BASE, tags: ["a", "b", "c", "d", "e", "f", "g"] }],
    [
      "a delivery in nl-ams under a folder with dots inside a segment",
      { ...BASE, delivery: { projectId: BACKUPS, region: "nl-ams", path: "/a.b/c" } },
    ],
    // Checked once it resolves (a bad value inside still fails, at its args.delivery.<path>: component-args.test.ts).
    ["delivery given as an Output", { ...BASE, delivery: later({ projectId: BACKUPS }) }],
    ["allProjects given as an Output", { organizationId: ORG, allProjects: later(true), preset: "inventory" }],
  ])("%s", (_what, args) => {
    expect(() => new PlakarCredential(`ok-${registered.length}`, args as never, { now: NOW })).not.toThrow();
  });

  it("delivery given as an Output: the secret goes where it resolves", async () => {
    const args = { ...BASE, delivery: later({ projectId: BACKUPS, region: "nl-ams" }) };
    const c = new PlakarCredential("late-delivery", args, { now: NOW });
    const delivery = await new Promise((resolve) => c.delivery!.apply(resolve));
    expect(delivery).toEqual({
      secretId: "late-delivery-delivery-secret-id",
      path: "/plakar/dev/late-delivery",
      projectId: BACKUPS,
      region: "nl-ams",
    });
  });
});

describe("a use case's own class", () => {
  function refusalOf(build: () => unknown): string[] {
    const before = registered.length;
    try {
      build();
    } catch (err) {
      expect(err).toBeInstanceOf(PlakarCredentialArgsError);
      expect(registered.length, "nothing registered").toBe(before);
      return (err as PlakarCredentialArgsError).issues.map((i) => `${i.path}: ${i.message}`);
    }
    throw new Error("expected the arguments to be refused");
  }
  const COMMON =
    "organizationId, projectIds, allProjects, rotation, expiresAt, maxLifetimeDays, name, description, tags, retire, adopt";

  it("refuses an argument it does not take, listing its own", () => {
    expect(refusalOf(() => new InventoryCredential("inv", { ...BASE } as never, { now: NOW }))).toEqual([
      `args.preset: unknown argument; known here: ${COMMON}, delivery`,
    ]);
  });

  it("the secret provider's class takes no delivery", () => {
    expect(
      refusalOf(
        () =>
          new SecretProviderCredential(
            "sp",
            { organizationId: ORG, projectIds: [APPS], delivery: { projectId: BACKUPS } } as never,
            { now: NOW },
          ),
      ),
    ).toEqual([`args.delivery: unknown argument; known here: ${COMMON}, region`]);
  });

  it("names itself in the error", () => {
    expect(() => new InventoryCredential("inv", { organizationId: "acme", projectIds: [APPS] }, { now: NOW })).toThrow(
      /^invalid arguments for InventoryCredential "inv":\n {2}args\.organizationId: must be a Scaleway ID/,
    );
  });
});
