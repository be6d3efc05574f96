/**
 * The small pure pieces of the domain, each alone: the catalog file, errors and key paths, typo suggestions,
 * unknown values, Scaleway's timestamp and ID rules, and a preset's key schedule. Expected values come from the
 * rules they implement (the catalog's documented format, RFC 3339, Scaleway's UUIDs), not from the code.
 */
import { describe, expect, it } from "vitest";
import { checkPermissionSet, isObjectStorageSet, loadCatalog, parseCatalog } from "../domain/catalog";
import type { CredentialSpec } from "../domain/credential";
import { type DeliverySpec, resolveDelivery } from "../domain/delivery";
import { ConfigError, configIssuesOf, formatIssue, formatPath, Issues } from "../domain/errors";
import { keyResourceName, keysFor, scheduledGenerations } from "../domain/keys";
import { isoSeconds } from "../domain/rotation";
import { isRealInstant, ScalewayId, Timestamp, folderProblem } from "../domain/schema";
import { type Grant, grantedProjects, resolveRules } from "../domain/scope";
import { closest, didYouMean, editDistance } from "../domain/suggest";
import { allKnown, isKnown, UNKNOWN } from "../domain/unknown";

describe("the catalog file", () => {
  it("reads name, scope and category per line, CRLF and blank lines included", () => {
    const catalog = parseCatalog("name\tscope\tcategory\r\nA\tproject\tStorage\r\n\r\nB\torganization\tIAM\n");
    expect([...catalog.values()]).toEqual([
      { name: "A", scope: "project", category: "Storage" },
      { name: "B", scope: "organization", category: "IAM" },
    ]);
  });

  it("takes a line without a category", () => {
    expect(parseCatalog("name\tscope\nA\tproject\n").get("A")).toEqual({ name: "A", scope: "project", category: "" });
  });

  it("refuses a file without its header, naming the file", () => {
    expect(() => parseCatalog("A\tproject\tX\n", "sets.tsv")).toThrow(
      'sets.tsv: expected a header line "name<TAB>scope<TAB>category"',
    );
    expect(() => parseCatalog("name\tkind\n", "sets.tsv")).toThrow(/expected a header line/);
  });

  it("refuses a line whose scope is neither project nor organization, naming the line", () => {
    expect(() => parseCatalog("name\tscope\nA\tproject\nB\tglobal\tX\n", "sets.tsv")).toThrow(
      'sets.tsv:3: expected "<name>\\t<project|organization>\\t<category>", got "B\tglobal\tX"',
    );
    expect(() => parseCatalog("name\tscope\n\tproject\n", "s")).toThrow(/s:2:/);
  });

  it("refuses a set listed twice, with either scope, naming both lines as an editor counts them", () => {
    expect(() => parseCatalog("name\tscope\nA\tproject\n\nA\torganization\tX\n", "sets.tsv")).toThrow(
      'sets.tsv:4: "A" is already listed on line 2: keep one line per set',
    );
    expect(() => parseCatalog("name\tscope\nA\tproject\tX\nB\tproject\nA\tproject\tX\n", "s")).toThrow(
      /^s:4: "A" is already listed on line 2/,
    );
    // Names differing only in case are two sets: Scaleway's names are case-sensitive.
    expect(parseCatalog("name\tscope\nA\tproject\na\tproject\n").size).toBe(2);
  });

  it("ships the 202 documented sets", () => {
    const catalog = loadCatalog();
    expect(catalog.size).toBe(202);
    expect(catalog.get("AllProductsReadOnly")?.scope).toBe("project");
    expect(catalog.get("IAMManager")?.scope).toBe("organization");
  });

  it("judges a set: documented and project-scoped, or a message with the closest name", () => {
    const catalog = loadCatalog();
    expect(checkPermissionSet("AllProductsReadOnly", catalog)).toBeUndefined();
    expect(checkPermissionSet("AllProductReadOnly", catalog)).toBe(
      '"AllProductReadOnly" is not a documented Scaleway permission set (did you mean "AllProductsReadOnly"?); see presets/permission-sets.tsv',
    );
    expect(checkPermissionSet("IAMManager", catalog)).toMatch(/^"IAMManager" is organization-scoped/);
  });

  it("knows Object Storage sets by their prefix", () => {
    expect(isObjectStorageSet("ObjectStorageBucketsRead")).toBe(true);
    expect(isObjectStorageSet("BlockStorageFullAccess")).toBe(false);
    expect(isObjectStorageSet("AllObjectStorage")).toBe(false);
  });
});

describe("errors and key paths", () => {
  it("renders zod paths as config key paths", () => {
    expect(formatPath(["credentials", "a", "projects", 1])).toBe("credentials.a.projects[1]");
    expect(formatPath([0, "x"])).toBe("[0].x");
    expect(formatPath([])).toBe("");
  });

  it("formats an issue with or without a path", () => {
    expect(formatIssue({ path: "tags", message: "too many" })).toBe("tags: too many");
    expect(formatIssue({ path: "", message: "nothing to plan" })).toBe("nothing to plan");
  });

  it("a ConfigError lists every issue under its heading", () => {
    const err = new ConfigError([
      { path: "a", message: "one" },
      { path: "b", message: "two" },
    ]);
    expect(err.message).toBe("invalid stack config:\n  a: one\n  b: two");
    expect(new ConfigError([], "bad command line").message).toBe("bad command line:\n");
    expect(err.name).toBe("ConfigError");
  });

  it("finds issues on a ConfigError or on an error that carries them, and only then", () => {
    const issues = [{ path: "a", message: "one" }];
    expect(configIssuesOf(new ConfigError(issues))).toEqual(issues);
    expect(configIssuesOf(Object.assign(new Error("x"), { issues }))).toEqual(issues);
    expect(configIssuesOf(Object.assign(new Error("x"), { issues: [{ path: 1, message: "m" }] }))).toBeUndefined();
    expect(configIssuesOf(Object.assign(new Error("x"), { issues: "a" }))).toBeUndefined();
    expect(configIssuesOf(new Error("x"))).toBeUndefined();
    expect(configIssuesOf(null)).toBeUndefined();
  });

  it("Issues keeps each problem once, in order", () => {
    const issues = new Issues();
    issues.add("a", "one");
    issues.add("b", "two");
    issues.add("a", "one");
    issues.add("a", "other");
    expect(issues.list).toEqual([
      { path: "a", message: "one" },
      { path: "b", message: "two" },
      { path: "a", message: "other" },
    ]);
    expect(issues.count).toBe(3);
  });
});

describe("typo suggestions", () => {
  it("counts edits, ignoring letter case", () => {
    expect(editDistance("kitten", "sitting")).toBe(3);
    expect(editDistance("Preset", "preset")).toBe(0);
    expect(editDistance("", "abc")).toBe(3);
    expect(editDistance("abc", "")).toBe(3);
    expect(editDistance("ab", "ba")).toBe(2);
  });

  it("suggests the closest candidate only within a third of the input's length (at least one edit)", () => {
    expect(closest("inventroy", ["inventory", "secrets"])).toBe("inventory");
    expect(closest("ab", ["ac", "zz"])).toBe("ac");
    expect(closest("abcdef", ["abcxyz"])).toBeUndefined();
    expect(closest("abcdef", ["abcdxy"])).toBe("abcdxy");
    expect(closest("x", [])).toBeUndefined();
    expect(closest("inventorx", ["inventorz", "inventory"])).toBe("inventorz");
  });

  it("phrases it", () => {
    expect(didYouMean("tgs", ["tags"])).toBe(' (did you mean "tags"?)');
    expect(didYouMean("zzzz", ["tags"])).toBe("");
  });
});

describe("unknown values", () => {
  it("tells a known value from UNKNOWN, and a list all known", () => {
    expect(isKnown("x")).toBe(true);
    expect(isKnown(undefined)).toBe(true);
    expect(isKnown(UNKNOWN)).toBe(false);
    expect(allKnown(["a", "b"])).toBe(true);
    expect(allKnown(["a", UNKNOWN])).toBe(false);
    expect(allKnown(UNKNOWN)).toBe(false);
    expect(allKnown([])).toBe(true);
  });
});

describe("Scaleway's formats", () => {
  it("IDs: any 8-4-4-4-12 hex form, written in lower case", () => {
    expect(ScalewayId.parse("3F2B6C1E-8D4A-4C2E-9B7F-0A1D2E3F4A5B")).toBe("3f2b6c1e-8d4a-4c2e-9b7f-0a1d2e3f4a5b");
    expect(ScalewayId.safeParse("3f2b6c1e-8d4a-4c2e-9b7f-0a1d2e3f4a5").success).toBe(false);
    expect(ScalewayId.safeParse("prod").success).toBe(false);
  });

  it("timestamps: RFC 3339 with a zone, a real calendar day and time", () => {
    for (const ok of [
      "2027-06-30T00:00:00Z",
      "2027-06-30T12:30Z",
      "2027-06-30T12:30:00.5+02:00",
      "2028-02-29T23:59:59Z",
    ]) {
      expect(Timestamp.safeParse(ok).success, ok).toBe(true);
    }
    for (const bad of [
      "2027-06-30",
      "2027-06-30T00:00:00",
      "2027-02-29T00:00:00Z",
      "2027-06-31T00:00:00Z",
      "2027-13-01T00:00:00Z",
    ]) {
      expect(Timestamp.safeParse(bad).success, bad).toBe(false);
    }
    expect(isRealInstant("2027-06-30T24:00:00Z")).toBe(false);
    expect(isRealInstant("2027-06-30T23:60:00Z")).toBe(false);
    expect(isRealInstant("2027-06-30T23:59:60Z")).toBe(false);
    expect(isRealInstant("2027-06-30T23:59:59Z")).toBe(true);
    expect(isRealInstant("not a date")).toBe(false);
    // Years 0-99 are real RFC 3339 years (Date.UTC would read 0050 as 1950 and call the date unreal).
    expect(isRealInstant("0050-06-30T00:00:00Z")).toBe(true);
    expect(isRealInstant("0000-02-29T00:00:00Z")).toBe(true);
    expect(isRealInstant("0001-02-29T00:00:00Z")).toBe(false);
  });

  it("seconds-precision UTC, as Scaleway writes it back", () => {
    expect(isoSeconds(Date.UTC(2027, 0, 2, 3, 4, 5, 678))).toBe("2027-01-02T03:04:05Z");
  });

  it("Secret Manager folders", () => {
    expect(folderProblem("/")).toBeUndefined();
    expect(folderProblem("/plakar/prod")).toBeUndefined();
    expect(folderProblem("/a.b/c..d")).toBeUndefined();
    expect(folderProblem("plakar")).toMatch(/absolute path/);
    expect(folderProblem("/plakar/")).toMatch(/absolute path/);
    expect(folderProblem("/pla kar")).toMatch(/absolute path/);
    expect(folderProblem("/a/../b")).toMatch(/"\." or "\.\." segment/);
    expect(folderProblem("/.")).toMatch(/"\." or "\.\." segment/);
  });
});

describe("keys of a credential", () => {
  const NOW = Date.UTC(2026, 11, 20);

  it("a pinned expiry: one key named <name>-key, no generation", () => {
    expect(scheduledGenerations({ kind: "pinned", expiresAt: "2027-01-01T00:00:00Z" }, NOW)).toEqual({});
    expect(keysFor("c", { kind: "pinned", expiresAt: "2027-01-01T00:00:00Z" }, NOW, "d")).toEqual({
      current: { resourceName: "c-key", expiresAt: "2027-01-01T00:00:00Z", description: "d" },
    });
  });

  it("a rotation: <name>-key-<generation>, each expiring an overlap after its generation ends", () => {
    // 30-day generations from 2024-01-01: on 2026-12-20 the one of 2026-12-16; the previous until 2026-12-23.
    const keys = keysFor("c", { kind: "rotation", rotateEveryDays: 30, overlapDays: 7 }, NOW, "d");
    expect(keys).toEqual({
      current: {
        resourceName: "c-key-2026-12-16",
        expiresAt: "2027-01-22T00:00:00Z",
        generation: "2026-12-16",
        description: "d (generation 2026-12-16)",
      },
      previous: {
        resourceName: "c-key-2026-11-16",
        expiresAt: "2026-12-23T00:00:00Z",
        generation: "2026-11-16",
        description: "d (generation 2026-11-16)",
      },
    });
    expect(keysFor("c", { kind: "rotation", rotateEveryDays: 30, overlapDays: 3 }, NOW, "d").previous).toBeUndefined();
  });

  it("no generations for an impossible rotation (the checks report it)", () => {
    expect(scheduledGenerations({ kind: "rotation", rotateEveryDays: 7, overlapDays: 7 }, NOW)).toEqual({});
  });

  it("names keys from the component's name", () => {
    expect(keyResourceName("team-a", "2026-12-16")).toBe("team-a-key-2026-12-16");
    expect(keyResourceName("team-a", undefined)).toBe("team-a-key");
  });
});

describe("policy rules from grants", () => {
  const org = "11111111-1111-4111-8111-111111111111";
  const A = { id: "aaaaaaaa-0000-4000-8000-000000000001", label: "alpha" };
  const B = { id: "bbbbbbbb-0000-4000-8000-000000000002", label: "beta" };
  const C = { id: "cccccccc-0000-4000-8000-000000000003", label: "gamma" };
  const rules = (grants: Grant[]) => {
    const issues = new Issues();
    return { rules: resolveRules(org, grants, issues), issues: issues.list };
  };

  it("merges grants with the same scope into one rule, sets sorted and once", () => {
    const { rules: r, issues } = rules([
      { projects: [B, A], sets: ["SetB", "SetA"], path: "r[0]" },
      { projects: [A, B], sets: ["SetA", "SetC"], path: "r[1]" },
    ]);
    expect(issues).toEqual([]);
    expect(r).toEqual([{ projectIds: [A.id, B.id], permissionSetNames: ["SetA", "SetB", "SetC"] }]);
  });

  it("compares project IDs without letter case: one project in two cases is one scope", () => {
    const upper = { id: A.id.toUpperCase(), label: "alpha" };
    const { rules: r } = rules([
      { projects: [upper], sets: ["S1"], path: "r[0]" },
      { projects: [A], sets: ["S2"], path: "r[1]" },
    ]);
    expect(r).toEqual([{ projectIds: [A.id], permissionSetNames: ["S1", "S2"] }]);
  });

  it("sorts rules: organization-wide first, then by project IDs", () => {
    const { rules: r } = rules([
      { projects: [C], sets: ["S"], path: "r[0]" },
      { projects: [A], sets: ["T"], path: "r[1]" },
      { projects: "*", sets: ["U"], path: "r[2]" },
      { projects: [B], sets: ["V"], path: "r[3]" },
    ]);
    expect(r).toEqual([
      { organizationId: org, permissionSetNames: ["U"] },
      { projectIds: [A.id], permissionSetNames: ["T"] },
      { projectIds: [B.id], permissionSetNames: ["V"] },
      { projectIds: [C.id], permissionSetNames: ["S"] },
    ]);
    // The order does not depend on the order of the grants.
    const reversed = rules([
      { projects: [B], sets: ["V"], path: "r[3]" },
      { projects: "*", sets: ["U"], path: "r[2]" },
      { projects: [A], sets: ["T"], path: "r[1]" },
      { projects: [C], sets: ["S"], path: "r[0]" },
    ]).rules;
    expect(reversed).toEqual(r);
  });

  it("lets a project be in two rules when their sets differ", () => {
    const { rules: r, issues } = rules([
      { projects: [A, B], sets: ["S"], path: "r[0]" },
      { projects: [B], sets: ["T"], path: "r[1]" },
      { projects: "*", sets: ["U"], path: "r[2]" },
    ]);
    expect(issues).toEqual([]);
    expect(r).toHaveLength(3);
  });

  it("refuses a project granted the same sets by two rules, naming it where it is written twice", () => {
    const { rules: r, issues } = rules([
      { projects: [A, B], sets: ["S", "T"], path: "r[0]" },
      { projects: [C, B], sets: ["T", "S"], path: "r[1]" },
    ]);
    expect(r).toBeUndefined();
    expect(issues).toEqual([
      {
        path: "r[1]",
        message:
          '"beta" is also in r[0] with the same permission sets (S, T): a project is in several rules only when their sets differ; list it in one rule',
      },
    ]);
  });

  it("names every shared project, by the label of the rule that repeats it", () => {
    const { issues } = rules([
      { projects: [A, B, C], sets: ["S"], path: "r[0]" },
      { projects: [{ ...A, label: "a-again" }, B], sets: ["S"], path: "r[1]" },
    ]);
    expect(issues.map((i) => i.message)).toEqual([
      '"a-again", "beta" are also in r[0] with the same permission sets (S): a project is in several rules only when their sets differ; list it in one rule',
    ]);
  });

  it("refuses project rules that repeat the sets of the organization-wide rule, either way round", () => {
    const first = rules([
      { projects: "*", sets: ["S"], path: "r[0]" },
      { projects: [A], sets: ["S"], path: "r[1]" },
    ]);
    expect(first.rules).toBeUndefined();
    expect(first.issues.map((i) => [i.path, i.message.slice(0, 23)])).toEqual([["r[1]", '"alpha" is also in r[0]']]);
    const second = rules([
      { projects: [A], sets: ["S"], path: "r[0]" },
      { projects: "*", sets: ["S"], path: "r[1]" },
    ]);
    expect(second.rules).toBeUndefined();
    expect(second.issues.map((i) => [i.path, i.message.slice(0, 23)])).toEqual([["r[1]", '"alpha" is also in r[0]']]);
  });

  it("does not compare sets that merely share a prefix", () => {
    const { issues } = rules([
      { projects: [A], sets: ["S", "T"], path: "r[0]" },
      { projects: [A, B], sets: ["S"], path: "r[1]" },
    ]);
    expect(issues).toEqual([]);
  });

  it("lists the projects the grants reach, once per label, sorted by label; * when one grant reaches all", () => {
    expect(grantedProjects([{ projects: [C, A] }, { projects: [B, { ...A, id: "other" }] }])).toEqual([A, B, C]);
    expect(grantedProjects([{ projects: [A] }, { projects: "*" }])).toBe("*");
    expect(grantedProjects([])).toEqual([]);
  });
});

describe("delivery of a key to Secret Manager", () => {
  const project = { id: "aaaaaaaa-0000-4000-8000-000000000001", label: "prod" };
  const spec = (delivery: DeliverySpec | undefined) =>
    ({
      resourceName: "backup",
      delivery,
      paths: { delivery: "credentials.backup.deliver" },
    }) as unknown as CredentialSpec;
  const deliver = (delivery: DeliverySpec | undefined, useCase: string | typeof UNKNOWN = "object-storage") => {
    const issues = new Issues();
    return { location: resolveDelivery(spec(delivery), useCase, issues), issues: issues.list };
  };

  it("places the secret under its folder, named after the credential", () => {
    expect(deliver({ project, region: "fr-par", folder: "/plakar/prod" }).location).toEqual({
      name: "backup",
      folder: "/plakar/prod",
      fullPath: "/plakar/prod/backup",
      project,
      region: "fr-par",
    });
  });

  it("writes the root folder's path without a double slash", () => {
    expect(deliver({ project, region: "fr-par", folder: "/" }).location).toMatchObject({
      folder: "/",
      fullPath: "/backup",
    });
  });

  it("nothing to deliver without a delivery", () => {
    expect(deliver(undefined)).toEqual({ location: undefined, issues: [] });
  });

  it("refuses to deliver the secret-provider key through Secret Manager itself", () => {
    const { location, issues } = deliver({ project, region: "fr-par", folder: "/plakar" }, "secret-provider");
    expect(location).toBeUndefined();
    expect(issues).toEqual([
      { path: "credentials.backup.deliver", message: expect.stringMatching(/deliver: outputs$/) },
    ]);
  });

  it("refuses a folder with a .. segment, at the path key", () => {
    const { location, issues } = deliver({ project, region: "fr-par", folder: "/plakar/../x" });
    expect(location).toBeUndefined();
    expect(issues).toEqual([
      { path: "credentials.backup.deliver.path", message: expect.stringMatching(/"\.\." segment/) },
    ]);
  });

  it("is unknown while its project, region or folder is, but still judges what is known", () => {
    for (const unknownOne of [{ project: UNKNOWN }, { region: UNKNOWN }, { folder: UNKNOWN }]) {
      const d = { project, region: "fr-par", folder: "/plakar", ...unknownOne } as DeliverySpec;
      expect(deliver(d)).toEqual({ location: UNKNOWN, issues: [] });
    }
    expect(deliver({ project: UNKNOWN, region: "fr-par", folder: "/.." }).location).toBeUndefined();
  });
});
