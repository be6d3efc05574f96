/** Bad input the domain refuses with a key path: bounds, reserved tags, regions, folders, letter case. */
import { describe, expect, it } from "vitest";
import { APPS, BACKUPS, baseConfig, issuesOf, plan } from "./support/config";

const paths = (config: Record<string, unknown>, now?: Date) =>
  issuesOf(config, now ? { now } : {}).map((i) => `${i.path}: ${i.message}`);

describe("numbers and dates with sane bounds", () => {
  it.each([
    ["rotateEveryDays", 100_000_000],
    ["overlapDays", 3651],
    ["maxLifetimeDays", 1e9],
  ])("apiKeys.%s = %d is refused with its key, not a RangeError", (key, value) => {
    expect(paths(baseConfig({ apiKeys: { [key]: value } }))).toEqual([
      `apiKeys.${key}: must be a whole number of days from 1 to 3650`,
    ]);
  });

  it("accepts exactly ten years (control)", () => {
    expect(() => plan(baseConfig({ apiKeys: { maxLifetimeDays: 3650 } }))).not.toThrow();
  });

  it("refuses a clock whose keys would expire after year 9999", () => {
    const issues = paths(baseConfig(), new Date("9999-12-01T00:00:00Z"));
    expect(issues).toHaveLength(1);
    expect(issues[0]).toMatch(/^apiKeys\.rotateEveryDays: a key made now would expire after 9999-12-31T23:59:59Z/);
  });
});

describe("a pinned expiry never silently drops a rotation", () => {
  it("refuses apiKeys: { expiresAt, rotateEveryDays } at apiKeys.expiresAt", () => {
    expect(paths(baseConfig({ apiKeys: { expiresAt: "2027-01-01T00:00:00Z", rotateEveryDays: 30 } }))).toEqual([
      "apiKeys.expiresAt: a pinned expiresAt turns rotation off: set either expiresAt or rotateEveryDays/overlapDays, not both",
    ]);
  });

  it("and with overlapDays alone", () => {
    expect(paths(baseConfig({ apiKeys: { expiresAt: "2027-01-01T00:00:00Z", overlapDays: 3 } }))[0]).toMatch(
      /^apiKeys\.expiresAt: a pinned expiresAt turns rotation off/,
    );
  });
});

describe("a pinned expiry across levels", () => {
  const stackPin = (credential: Record<string, unknown>) =>
    baseConfig({
      apiKeys: { expiresAt: "2027-01-01T00:00:00Z" },
      credentials: { inventory: { preset: "inventory", projects: ["apps"], ...credential } },
    });

  it("a credential's overlapDays alone under the stack's pin is refused: it would rotate on the default", () => {
    expect(paths(stackPin({ overlapDays: 3 }))).toEqual([
      "credentials.inventory.overlapDays: apiKeys.expiresAt pins every key of the stack; to rotate this credential's keys instead, set its rotateEveryDays too (overlapDays alone does not say how often)",
    ]);
  });

  it("a credential's rotateEveryDays turns rotation on for it (control)", () => {
    const [c] = plan(stackPin({ rotateEveryDays: 30, overlapDays: 3 })).credentials;
    expect(c.expiry).toEqual({ kind: "rotation", rotateEveryDays: 30, overlapDays: 3 });
  });

  it("a pinned expiry after year 9999 in UTC is refused at the stack's key, before the component sees it", () => {
    const config = baseConfig({
      credentials: { inventory: { preset: "inventory", projects: ["apps"], expiresAt: "9999-12-31T23:00:00-23:00" } },
    });
    expect(paths(config, new Date("9999-12-31T00:00:00Z"))).toEqual([
      "credentials.inventory.expiresAt: 9999-12-31T23:00:00-23:00 is after 9999-12-31T23:59:59Z in UTC, past what RFC 3339 can write: set an earlier date",
    ]);
  });
});

describe("tags", () => {
  it.each([
    "stack=prod",
    "managed-by=terraform",
    "use-case=inventory",
    "stack",
    "Stack=prod",
    " stack =x",
    "MANAGED-BY=x",
  ])("refuses a user tag %j that claims a key the stack writes", (tag) => {
    expect(paths(baseConfig({ tags: ["team=platform", tag] }))).toEqual([
      `tags[1]: the tag key "${tag.split("=")[0]}" is written by this stack itself (managed-by, stack, use-case), so a user tag cannot set it: use another key`,
    ]);
  });

  it("accepts a key that only starts like one (control)", () => {
    expect(plan(baseConfig({ tags: ["stacks=2", "use-cases=x"] })).credentials[0].tags).toContain("stacks=2");
  });
});

describe("Secret Manager region and folder", () => {
  const sm = (secretManager: Record<string, unknown>) =>
    baseConfig({
      secretManager: { project: "backups", ...secretManager },
      credentials: { secrets: { preset: "secret-provider", projects: ["backups"] } },
    });

  it.each(["xx-yyy", "fr-par-1", "us-east"])("refuses region %j, which Secret Manager does not offer", (region) => {
    expect(paths(sm({ region }))).toEqual([
      'secretManager.region: must be a Secret Manager region: "fr-par", "nl-ams" or "pl-waw"',
    ]);
  });

  it.each(["/..", "/plakar/../other", "/./plakar"])("refuses pathPrefix %j with a dot segment", (pathPrefix) => {
    expect(paths(sm({ pathPrefix }))).toEqual([
      'secretManager.pathPrefix: has a "." or ".." segment: write the folder itself, e.g. "/plakar"',
    ]);
  });

  it("accepts dots inside a segment (control)", () => {
    expect(() => plan(sm({ pathPrefix: "/a.b/c..d", region: "nl-ams" }))).not.toThrow();
  });
});

describe("project IDs are compared without regard to letter case", () => {
  it("puts one project written in two cases once in the rule, in lower case", () => {
    const config = baseConfig({
      projects: { apps: APPS.toUpperCase(), same: APPS, backups: BACKUPS },
      credentials: { inventory: { preset: "inventory", projects: ["apps", "same"] } },
    });
    const [c] = plan(config).credentials;
    expect(c.rules).toEqual([{ projectIds: [APPS], permissionSetNames: ["AllProductsReadOnly"] }]);
  });
});
