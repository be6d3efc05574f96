/**
 * check-preview on preview documents in the format of `pulumi preview --json` (pulumi/pulumi pkg/display/json.go
 * `PreviewDigest`/`PreviewStep`, filled by pkg/backend/display/json.go `ShowPreviewDigest`, states as
 * apitype.ResourceV3 in sdk/go/common/apitype/core.go). The fixtures in fixtures/preview/ are the prod example
 * stack's resources (five credentials, two of them delivered into Secret Manager), written as the CLI prints a
 * preview with `--show-sames`:
 * - rotation.json (and rotation-without-sames.json): new keys created, expired keys deleted, delivered versions
 *   replaced, at 2027-02-14;
 * - credential-loses-all-keys.json: a credential that stays deletes both its keys, at about 2026-12-20;
 * - live-key-revoked-while-another-created.json: rotateEveryDays 60 -> 61 on 2026-12-20 moves the generation
 *   calendar: both live keys of inventory-web deleted, inventory-web-key-2026-11-03 created;
 * - live-key-replaced-in-place.json: the pinned secrets-key (valid until 2027-03-31) replaced for a new pin
 *   (`replace`, replaceReasons ["expiresAt"]: expires_at is ForceNew in terraform-provider-scaleway iam/api_key.go);
 * - adopted-application-import-replaced.json: inventory-data's adopted application given another ID: the logical
 *   `replace` step of an import-replacement (new importID, no reasons), its keys replaced for applicationId;
 * - overlap-end.json: every previous key (expired 2026-12-30T00:00:00Z) deleted, the current keys kept;
 * - retired-credential-keys-revoked.json: buckets retired (component inputs `{retired: true}`, protect dropped,
 *   keys and delivered version deleted);
 * - credential-removed.json: the unprotected inventory-data removed from the config, component and all;
 * - remove-protected-credential.json: the protected volumes removed, as a preview made with --ignore-protect prints
 *   it (every delete shown, no error); remove-protected-credential-as-printed.json: the same removal as the CLI
 *   prints it without that flag (the engine refuses the protected policy and secret with error diagnostics and
 *   skips what they depend on);
 * - replace-protected-policy.json: a protected policy replaced while the same update unprotects it;
 * - retired-credential-removed.json: a retired credential's remains removed;
 * - malformed.txt: a truncated document (a .json name would make `prettier --check .` fail on it).
 */
import { spawn } from "child_process";
import * as fs from "fs";
import * as os from "os";
import * as path from "path";
import { Readable } from "stream";
import { describe, expect, it } from "vitest";
import {
  EXPIRY_MARGIN_MS,
  parsePreview,
  parseUrn,
  previewFindings,
  PreviewInputError,
} from "../tools/check-preview/preview";
import { checkPreview, type PreviewCheckIo } from "../tools/check-preview/main";

const ROOT = path.join(__dirname, "..");
const FIXTURES = path.join(__dirname, "fixtures", "preview");
const fixture = (name: string) => path.join(FIXTURES, `${name}.json`);

/** The time most fixtures are of (both key generations alive); the rotation fixtures are of ROTATION_TIME. */
const T = "2026-12-20T06:00:00Z";
const NOW = new Date(T);
const ROTATION_TIME = "2027-02-14T06:00:00Z";
const HOUR = 3_600_000;
const iso = (ms: number) => new Date(ms).toISOString().replace(/\.\d{3}Z$/, "Z");

interface Run {
  readonly code: number;
  readonly out: string[];
  readonly err: string[];
}

/** Runs the command in-process; `stdin` (when given) is piped in. */
async function run(argv: string[], stdin?: string | Buffer): Promise<Run> {
  const out: string[] = [];
  const err: string[] = [];
  const io: PreviewCheckIo = {
    stdin: Readable.from(stdin === undefined ? [] : [typeof stdin === "string" ? Buffer.from(stdin) : stdin]),
    stdinCarriesInput: () => stdin !== undefined,
    out: (t) => out.push(...t.split("\n").filter(Boolean)),
    err: (t) => err.push(...t.split("\n").filter(Boolean)),
  };
  const code = await checkPreview(argv, io);
  return { code, out, err };
}

/** A fixture judged at a time. */
const judge = (name: string, now: string, ...more: string[]) =>
  run(["--stack", "prod", "--file", fixture(name), "--now", now, ...more]);

/** The one clean line of an exit-2 run. */
async function badInput(argv: string[], stdin?: string | Buffer): Promise<string> {
  const r = await run(argv, stdin);
  expect(r.code).toBe(2);
  expect(r.out).toEqual([]);
  expect(r.err).toHaveLength(1);
  expect(r.err[0]).toMatch(/^check-preview: /);
  expect(r.err[0]).not.toMatch(/\bat .*\.(ts|js):\d+/);
  return r.err[0] as string;
}

type Json = Record<string, unknown>;
const load = (name: string) => JSON.parse(fs.readFileSync(fixture(name), "utf8")) as { steps: Json[] } & Json;
const text = (doc: unknown) => JSON.stringify(doc);
const stepOf = (doc: { steps: Json[] }, name: string, op?: string) =>
  doc.steps.find((s) => (s.urn as string).endsWith(`::${name}`) && (op === undefined || s.op === op)) as Json & {
    oldState?: Json & { inputs?: Json; outputs?: Json };
    newState?: Json & { inputs?: Json };
  };

const P = "urn:pulumi:prod::plakar-scaleway-iam::";
const ROOT_URN = `${P}pulumi:pulumi:Stack::plakar-scaleway-iam-prod`;
const CREDENTIAL_TYPE = "plakar-scaleway-iam:index:PlakarCredential";
const CRED = (name: string, type = CREDENTIAL_TYPE) => `${P}pulumi:pulumi:Stack$${type}::${name}`;
const KEY_TYPE = "scaleway:iam/apiKey:ApiKey";
const KEY = (cred: string, gen: string, type = KEY_TYPE) => `${P}${CREDENTIAL_TYPE}$${type}::${cred}-key-${gen}`;
const APP_TYPE = "scaleway:iam/application:Application";
const APP = (cred: string) => `${P}${CREDENTIAL_TYPE}$${APP_TYPE}::${cred}-app`;
/** Long expired at NOW: deleting such a key revokes nothing. */
const EXPIRED = "2026-12-01T00:00:00Z";
/** Weeks ahead of NOW. */
const LIVE = "2027-02-28T00:00:00Z";

const rootStep = { op: "same", urn: ROOT_URN, oldState: { urn: ROOT_URN, custom: false, type: "pulumi:pulumi:Stack" } };
interface KeyOptions {
  readonly type?: string;
  /** The key's expiry, in outputs and inputs (null: none at all). Default: EXPIRED. */
  readonly expiresAt?: string | null;
  readonly parent?: string;
}
function keyState(cred: string, gen: string, o: KeyOptions = {}): Json {
  const type = o.type ?? KEY_TYPE;
  const expiresAt = o.expiresAt === undefined ? EXPIRED : o.expiresAt;
  const fields = expiresAt === null ? {} : { expiresAt };
  return {
    urn: KEY(cred, gen, type),
    custom: true,
    type,
    id: `SCW${gen}`,
    inputs: { applicationId: "a", ...fields },
    outputs: { applicationId: "a", accessKey: `SCW${gen}`, secretKey: "[secret]", ...fields },
    parent: o.parent ?? CRED(cred),
  };
}
const keyStep = (op: string, cred: string, gen: string, o: KeyOptions & { extra?: Json } = {}): Json => ({
  op,
  urn: KEY(cred, gen, o.type),
  ...(op === "create" ? {} : { oldState: keyState(cred, gen, o) }),
  ...(op === "delete" || op === "delete-replaced" ? {} : { newState: keyState(cred, gen, o) }),
  ...o.extra,
});
const credStep = (op: string, name: string, inputs: Json = {}, type = CREDENTIAL_TYPE): Json => {
  const state = (i: Json) => ({ urn: CRED(name, type), custom: false, type, parent: ROOT_URN, inputs: i });
  return {
    op,
    urn: CRED(name, type),
    ...(op === "create" ? {} : { oldState: state({}) }),
    ...(op === "delete" ? {} : { newState: state(inputs) }),
  };
};
const appState = (cred: string, extra: Json = {}): Json => ({
  urn: APP(cred),
  custom: true,
  type: APP_TYPE,
  id: `${cred}-app-id`,
  parent: CRED(cred),
  ...extra,
});
const appStep = (op: string, cred: string, old: Json = {}, neu: Json = {}, extra: Json = {}): Json => ({
  op,
  urn: APP(cred),
  ...(op === "create" || op === "import-replacement" ? {} : { oldState: appState(cred, old) }),
  ...(op === "delete" || op === "delete-replaced" ? {} : { newState: appState(cred, neu) }),
  ...extra,
});
const previewOf = (...steps: Json[]) => ({ steps: [rootStep, ...steps], duration: 1200000000 });
const findingsOf = (...steps: Json[]) => previewFindings(parsePreview(text(previewOf(...steps))), NOW);
const findingsAt = (now: Date, ...steps: Json[]) => previewFindings(parsePreview(text(previewOf(...steps))), now);

describe("the fixtures, through the command", () => {
  it("passes an ordinary rotation at the time it is made: new keys created, expired keys deleted, versions replaced", async () => {
    const doc = load("rotation");
    expect(doc.changeSummary).toEqual({ same: 26, create: 5, replace: 2, delete: 5 });
    const r = await judge("rotation", ROTATION_TIME);
    expect(r).toEqual({
      code: 0,
      out: [
        `check-preview: stack prod: 38 steps judged at ${ROTATION_TIME}: no live API key revoked, nothing import- or read-replaced, no protected resource deleted, no credential left without a key`,
      ],
      err: [],
    });
  });

  it("passes the same rotation printed without --show-sames (a new key is visible)", async () => {
    expect((await judge("rotation-without-sames", ROTATION_TIME)).code).toBe(0);
  });

  it("refuses the same deletions judged before the deleted keys expire: the time of the update decides", async () => {
    const doc = load("rotation");
    const deleted = doc.steps.filter((s) => s.op === "delete");
    // Every deleted key expires at 2026-12-30: live on 2026-12-05, spent on 2027-02-14.
    expect(new Set(deleted.map((s) => (s.oldState as { outputs: Json }).outputs.expiresAt))).toEqual(
      new Set(["2026-12-30T00:00:00Z"]),
    );
    const r = await judge("rotation", "2026-12-05T06:00:00Z");
    expect(r.code).toBe(1);
    expect(r.out).toHaveLength(deleted.length);
    for (const step of deleted) {
      const name = parseUrn(step.urn as string)?.name ?? "none";
      const cred = name.replace(/-key-2026-10-17$/, "");
      expect(r.out).toContainEqual(
        `check-preview: stack prod: scaleway:iam/apiKey:ApiKey "${name}" of PlakarCredential "${cred}": would revoke a live API key (valid until 2026-12-30T00:00:00Z, 24 days after 2026-12-05T06:00:00Z): deleted, no longer declared, while the update creates ${cred}-key-2027-02-14, as after a change of rotateEveryDays or overlapDays, or a pinned expiry set or removed; Plakar loses access with it, whatever the update creates: keep the key until it expires (undo the change), or retire the credential to revoke it on purpose`,
      );
    }
  });

  it("refuses removing a protected credential previewed with --ignore-protect: one line per protected resource", async () => {
    const r = await judge("remove-protected-credential", T);
    expect(r.code).toBe(1);
    expect(r.err).toEqual([]);
    // The keys go with their credential: only the protected resources are named.
    expect(r.out).toEqual([
      expect.stringMatching(
        /^check-preview: stack prod: scaleway:secrets\/secret:Secret "volumes-delivery-secret": would delete a protected resource \(delete\): `pulumi up` refuses it only after deleting what depends on it/,
      ),
      expect.stringMatching(
        /^check-preview: stack prod: scaleway:iam\/policy:Policy "volumes-policy": would delete a protected/,
      ),
      expect.stringMatching(
        /^check-preview: stack prod: scaleway:iam\/application:Application "volumes-app": would delete a protected/,
      ),
    ]);
  });

  it("refuses the same removal as the CLI prints it: the engine's errors, named, with the way out", async () => {
    const doc = load("remove-protected-credential-as-printed");
    // The engine's own refusal (step.go DeleteStep.Apply, also in a preview): errors, and no step for the
    // application and components it skips.
    expect((doc.diagnostics as Json[]).map((d) => d.severity)).toEqual(["error", "error"]);
    expect(stepOf(doc, "volumes-app")).toBeUndefined();
    expect(stepOf(doc, "volumes-key-2026-12-16", "delete")).toBeDefined();
    const line = await badInput(["--stack", "prod", "--file", fixture("remove-protected-credential-as-printed")]);
    expect(line).toBe(
      'check-preview: --file: the preview reports 2 errors (on scaleway:iam/policy:Policy "volumes-policy", scaleway:secrets/secret:Secret "volumes-delivery-secret"): it did not complete; among them, the engine refuses to delete a protected resource, which `pulumi up` would do only after deleting what depends on it (the keys): retire the credential in an update of its own first',
    );
  });

  it("passes replacing a protected policy that the same update unprotects: the engine allows it, no key is revoked", async () => {
    const doc = load("replace-protected-policy");
    const step = doc.steps.find((s) => s.op === "replace") as { oldState: Json; newState: Json };
    expect(step.oldState.protect).toBe(true);
    expect(step.newState.protect).toBeUndefined();
    expect((await judge("replace-protected-policy", T)).code).toBe(0);
  });

  it("refuses a credential that stays but loses every key, also once both keys have expired", async () => {
    const spent = await judge("credential-loses-all-keys", "2027-03-01T00:00:00Z");
    expect(spent.code).toBe(1);
    expect(spent.out).toEqual([
      'check-preview: stack prod: PlakarCredential "inventory-web": would delete every API key (inventory-web-key-2026-10-17, inventory-web-key-2026-12-16) while the credential stays: Plakar would lose access; keep a key, or retire or remove the credential',
    ]);
    // While they are live, each revocation is named too.
    const live = await judge("credential-loses-all-keys", T);
    expect(live.out).toEqual([
      expect.stringMatching(/"inventory-web-key-2026-10-17" of PlakarCredential "inventory-web": would revoke a live/),
      expect.stringMatching(/"inventory-web-key-2026-12-16" of PlakarCredential "inventory-web": would revoke a live/),
      spent.out[0],
    ]);
  });

  it("passes removing a retired credential: its unprotected resources are deleted", async () => {
    const doc = load("retired-credential-removed");
    expect(doc.steps.filter((s) => s.op === "delete").length).toBe(6);
    expect((await judge("retired-credential-removed", T)).code).toBe(0);
  });

  it("refuses a truncated document with one clean line that quotes nothing of it", async () => {
    const line = await badInput(["--file", path.join(FIXTURES, "malformed.txt")]);
    expect(line).toBe("check-preview: --file: not valid JSON: expected the output of `pulumi preview --json`");
  });

  it("reads standard input when it is piped, or with --file -", async () => {
    const body = fs.readFileSync(fixture("rotation"));
    expect((await run(["--now", ROTATION_TIME], body)).code).toBe(0);
    expect((await run(["--file", "-", "--now", ROTATION_TIME], body)).code).toBe(0);
    expect(
      (await run(["--stack", "prod", "--now", T], fs.readFileSync(fixture("credential-loses-all-keys")))).code,
    ).toBe(1);
  });
});

describe("a live API key revoked (fixtures written as the CLI prints them)", () => {
  const tail =
    "Plakar loses access with it, whatever the update creates: keep the key until it expires (undo the change), or retire the credential to revoke it on purpose";

  it("refuses deleting the live keys of a credential that stays while the update creates another", async () => {
    const doc = load("live-key-revoked-while-another-created");
    expect(stepOf(doc, "inventory-web-key-2026-11-03", "create")).toBeDefined();
    expect(stepOf(doc, "inventory-web", "same")).toBeDefined();
    const r = await judge("live-key-revoked-while-another-created", T);
    expect(r.code).toBe(1);
    const cause =
      "deleted, no longer declared, while the update creates inventory-web-key-2026-11-03, as after a change of rotateEveryDays or overlapDays, or a pinned expiry set or removed";
    expect(r.out).toEqual([
      `check-preview: stack prod: scaleway:iam/apiKey:ApiKey "inventory-web-key-2026-12-16" of PlakarCredential "inventory-web": would revoke a live API key (valid until 2027-02-28T00:00:00Z, 69 days after ${T}): ${cause}; ${tail}`,
      `check-preview: stack prod: scaleway:iam/apiKey:ApiKey "inventory-web-key-2026-10-17" of PlakarCredential "inventory-web": would revoke a live API key (valid until 2026-12-30T00:00:00Z, 9 days after ${T}): ${cause}; ${tail}`,
    ]);
  });

  it("refuses replacing a live pinned key in place, with the reason the preview gives", async () => {
    const doc = load("live-key-replaced-in-place");
    const step = stepOf(doc, "secrets-key", "replace");
    expect(step.replaceReasons).toEqual(["expiresAt"]);
    expect(step.oldState?.outputs?.expiresAt).toBe("2027-03-31T00:00:00Z");
    const r = await judge("live-key-replaced-in-place", T);
    expect(r).toEqual({
      code: 1,
      out: [
        `check-preview: stack prod: scaleway:iam/apiKey:ApiKey "secrets-key" of PlakarCredential "secrets": would revoke a live API key (valid until 2027-03-31T00:00:00Z, 100 days after ${T}): replaced, because expiresAt changes (a pinned expiry set, moved or removed); ${tail}`,
      ],
      err: [],
    });
  });

  it("refuses an adopted application import-replaced, and the keys it takes with it", async () => {
    const doc = load("adopted-application-import-replaced");
    const app = stepOf(doc, "inventory-data-app", "replace");
    expect(app.replaceReasons).toBeUndefined();
    expect(app.oldState?.importID).not.toEqual(app.newState?.importID);
    const r = await judge("adopted-application-import-replaced", T);
    expect(r.code).toBe(1);
    expect(r.out).toEqual([
      'check-preview: stack prod: scaleway:iam/application:Application "inventory-data-app": would import another object (7c0e5a1b-2d3f-4a6b-9c8d-0e1f2a3b4c5d in place of abd7744e-7f74-4569-aacf-3a89c0e85a5b) and delete the one the stack manages (import-replacement), which the engine does without checking protect: give back the ID the stack holds (adopt), or take the object out of the stack first if it must live on',
      expect.stringMatching(
        /"inventory-data-key-2026-12-16" of PlakarCredential "inventory-data": would revoke a live API key \(valid until 2027-02-28T00:00:00Z, .*\): replaced, because applicationId changes \(its application replaced, or another one adopted\)/,
      ),
      expect.stringMatching(
        /"inventory-data-key-2026-10-17" of PlakarCredential "inventory-data": would revoke a live API key \(valid until 2026-12-30T00:00:00Z, .*\): replaced, because applicationId changes/,
      ),
    ]);
  });

  it("passes the end of a rotation overlap: expired keys deleted; an hour before the expiry counts as spent", async () => {
    const doc = load("overlap-end");
    const deleted = doc.steps.filter((s) => s.op === "delete");
    expect(deleted).toHaveLength(5);
    expect(doc.steps.filter((s) => s.op === "create")).toEqual([]);
    expect((await judge("overlap-end", "2026-12-30T06:00:00Z")).code).toBe(0);
    const margin = await judge("overlap-end", iso(Date.parse("2026-12-30T00:00:00Z") - EXPIRY_MARGIN_MS));
    expect(margin.code).toBe(0);
    const early = await judge("overlap-end", iso(Date.parse("2026-12-30T00:00:00Z") - EXPIRY_MARGIN_MS - 1000));
    expect(early.code).toBe(1);
    expect(early.out).toHaveLength(5);
    expect(
      early.out.every((l) => / would revoke a live API key \(valid until 2026-12-30T00:00:00Z, 1 hour /.test(l)),
    ).toBe(true);
  });

  it("passes a retiring credential's keys revoked; the same document without the retired input is refused", async () => {
    const doc = load("retired-credential-keys-revoked");
    const component = stepOf(doc, "buckets", "update");
    expect(component.newState?.inputs).toEqual({ retired: true });
    expect(doc.steps.filter((s) => s.op === "delete").map((s) => parseUrn(s.urn as string)?.name)).toEqual([
      "buckets-delivery-secret-version",
      "buckets-key-2026-12-16",
      "buckets-key-2026-10-17",
    ]);
    expect((await judge("retired-credential-keys-revoked", T)).code).toBe(0);
    delete component.newState?.inputs;
    const r = await run(["--now", T], text(doc));
    expect(r.code).toBe(1);
    expect(r.out).toEqual([
      expect.stringMatching(/"buckets-key-2026-12-16" of PlakarCredential "buckets": would revoke a live API key/),
      expect.stringMatching(/"buckets-key-2026-10-17" of PlakarCredential "buckets": would revoke a live API key/),
      expect.stringMatching(/PlakarCredential "buckets": would delete every API key/),
    ]);
  });

  it("passes removing an unprotected credential, component and all; without the component's delete it is refused", async () => {
    const doc = load("credential-removed");
    expect(stepOf(doc, "inventory-data", "delete")).toBeDefined();
    expect(stepOf(doc, "inventory-data-key-2026-12-16", "delete")?.oldState?.outputs?.expiresAt).toBe(LIVE);
    expect((await judge("credential-removed", T)).code).toBe(0);
    doc.steps = doc.steps.filter((s) => s !== stepOf(doc, "inventory-data", "delete"));
    const r = await run(["--now", T], text(doc));
    expect(r.code).toBe(1);
    expect(r.out.filter((l) => l.includes("would revoke a live API key"))).toHaveLength(2);
  });
});

describe("what counts as revoking a live API key", () => {
  const at = (ms: number) => new Date(NOW.getTime() + ms);
  const liveKey = (o: KeyOptions = {}) => keyStep("delete", "c", "a", { expiresAt: LIVE, ...o });

  it("a key expiring more than the margin after the update is live; at the margin it is spent", () => {
    const exp = (ms: number) => keyStep("delete", "c", "a", { expiresAt: iso(NOW.getTime() + ms) });
    expect(EXPIRY_MARGIN_MS).toBe(HOUR);
    expect(findingsOf(credStep("same", "c"), keyStep("same", "c", "b"), exp(HOUR))).toEqual([]);
    expect(findingsOf(credStep("same", "c"), keyStep("same", "c", "b"), exp(HOUR + 1000))).toEqual([
      expect.stringMatching(
        /^scaleway:iam\/apiKey:ApiKey "c-key-a" of PlakarCredential "c": would revoke a live API key \(valid until 2026-12-20T07:00:01Z, 1 hour after 2026-12-20T06:00:00Z\): deleted, no longer declared; /,
      ),
    ]);
    expect(findingsOf(credStep("same", "c"), keyStep("same", "c", "b"), exp(-HOUR))).toEqual([]);
  });

  it("says days from two days on, hours below", () => {
    const key = keyStep("delete", "c", "a", { expiresAt: iso(NOW.getTime() + 2 * 24 * HOUR) });
    expect(findingsAt(at(0), keyStep("same", "c", "b"), key)[0]).toMatch(/, 2 days after /);
    expect(findingsAt(at(1000), keyStep("same", "c", "b"), key)[0]).toMatch(/, 47 hours after /);
  });

  it("reads the expiry Scaleway holds (outputs) before the one asked for (inputs)", () => {
    const step = liveKey();
    (step.oldState as { outputs: Json }).outputs.expiresAt = EXPIRED;
    expect(findingsOf(keyStep("same", "c", "b"), step)).toEqual([]);
    const inputsOnly = liveKey();
    delete (inputsOnly.oldState as { outputs: Json }).outputs.expiresAt;
    expect(findingsOf(keyStep("same", "c", "b"), inputsOnly)).toHaveLength(1);
  });

  it("a key with no expiry never expires: deleting it revokes a live key", () => {
    expect(findingsOf(keyStep("same", "c", "b"), liveKey({ expiresAt: null }))).toEqual([
      expect.stringMatching(
        /"c-key-a" of PlakarCredential "c": would revoke a live API key \(with no expiry, valid for ever\)/,
      ),
    ]);
  });

  it.each([["[secret]"], ["2027-02-30T00:00:00Z"], ["next year"], [""]])(
    "an expiry that is not an RFC 3339 instant (%j) is taken as live",
    (value) => {
      const step = liveKey();
      (step.oldState as { outputs: Json }).outputs.expiresAt = value;
      (step.oldState as { inputs: Json }).inputs.expiresAt = value;
      const findings = findingsOf(keyStep("same", "c", "b"), step);
      expect(findings).toHaveLength(1);
      expect(findings[0]).toMatch(value === "" ? /with no expiry/ : /with an expiry that is not a date, taken as live/);
    },
  );

  it("an expiry that is a number is taken as live, not read as milliseconds", () => {
    const step = liveKey();
    (step.oldState as { outputs: Json }).outputs.expiresAt = 0;
    expect(findingsOf(keyStep("same", "c", "b"), step)[0]).toMatch(/not a date/);
  });

  it.each(["delete", "delete-replaced", "replace", "create-replacement", "read-replacement"])(
    "%s of a live key is a finding",
    (op) => {
      expect(findingsOf(keyStep("same", "c", "b"), keyStep(op, "c", "a", { expiresAt: LIVE }))).toEqual([
        expect.stringMatching(/"c-key-a" of PlakarCredential "c": would revoke a live API key/),
      ]);
    },
  );

  it.each(["same", "update", "read", "refresh", "discard", "discard-replaced", "remove-pending-replace"])(
    "%s of a live key is not",
    (op) => {
      expect(findingsOf(keyStep(op, "c", "a", { expiresAt: LIVE }))).toEqual([]);
    },
  );

  it("for the deprecated key type too", () => {
    const type = "scaleway:index/iamApiKey:IamApiKey";
    expect(findingsOf(keyStep("same", "c", "b", { type }), liveKey({ type }))).toEqual([
      expect.stringMatching(/^scaleway:index\/iamApiKey:IamApiKey "c-key-a" of PlakarCredential "c": would revoke/),
    ]);
  });

  it("names the cause: replaceReasons, else the -replace kinds of detailedDiff, else diffReasons", () => {
    const replace = (extra: Json) => keyStep("replace", "c", "a", { expiresAt: LIVE, extra });
    expect(findingsOf(replace({ replaceReasons: ["defaultProjectId"], diffReasons: ["description"] }))[0]).toMatch(
      /: replaced, because defaultProjectId changes \(another preferred project\); /,
    );
    expect(
      findingsOf(
        replace({
          detailedDiff: {
            description: { kind: "update", inputDiff: false },
            applicationId: { kind: "update-replace", inputDiff: false },
          },
        }),
      )[0],
    ).toMatch(/: replaced, because applicationId changes \(its application replaced, or another one adopted\); /);
    expect(findingsOf(replace({ diffReasons: ["id"] }))[0]).toMatch(/: replaced, because `--replace` names it; /);
    expect(findingsOf(replace({ replaceReasons: ["provider", "tags"] }))[0]).toMatch(
      /: replaced, because its provider changes, tags changes; /,
    );
    expect(findingsOf(replace({}))[0]).toMatch(/: replaced \(the preview gives no reason\); /);
  });

  it("reports a replacement once, whether shown as replace or as its create/delete halves", () => {
    const o = { expiresAt: LIVE, extra: { replaceReasons: ["expiresAt"] } };
    const halves = [keyStep("create-replacement", "c", "a", o), keyStep("replace", "c", "a", o)];
    expect(findingsOf(...halves, keyStep("delete-replaced", "c", "a", { expiresAt: LIVE }))).toEqual([
      expect.stringMatching(/"c-key-a" .*: replaced, because expiresAt changes/),
    ]);
  });

  it("a credential removed (its component deleted) takes its live keys with it", () => {
    expect(findingsOf(credStep("delete", "c"), liveKey())).toEqual([]);
    // Under its 0.1.0 type token too.
    const legacy = "plakar-scaleway-iam:iam:Credential";
    expect(findingsOf(credStep("delete", "c", {}, legacy), liveKey({ parent: CRED("c", legacy) }))).toEqual([]);
  });

  it("a credential updated rather than deleted is not removed", () => {
    expect(findingsOf(credStep("update", "c"), keyStep("same", "c", "b"), liveKey())).toHaveLength(1);
  });

  it("a retired credential may lose its live keys: the component's inputs say retired: true, nothing else does", () => {
    expect(findingsOf(credStep("update", "c", { retired: true }), liveKey())).toEqual([]);
    expect(findingsOf(credStep("same", "c", { retired: true }), liveKey())).toEqual([]);
    expect(findingsOf(credStep("update", "c", { retired: "yes" }), liveKey())).not.toEqual([]);
    // Unprotecting the application in the same update is not retiring.
    const unprotect = appStep("same", "c", { protect: true }, {});
    expect(findingsOf(credStep("same", "c"), unprotect, keyStep("same", "c", "b"), liveKey())).toEqual([
      expect.stringMatching(/"c-key-a" .*would revoke a live API key/),
    ]);
    // Another credential's retirement is not this one's.
    expect(findingsOf(credStep("update", "x", { retired: true }), keyStep("same", "c", "b"), liveKey())).toHaveLength(
      1,
    );
  });

  it("an aliased credential is found by the URN its old state had", () => {
    const legacy = "plakar-scaleway-iam:iam:Credential";
    const aliased = {
      op: "update",
      urn: CRED("c"),
      oldState: { urn: CRED("c", legacy), custom: false, type: legacy, parent: ROOT_URN },
      newState: { urn: CRED("c"), custom: false, type: CREDENTIAL_TYPE, parent: ROOT_URN, inputs: { retired: true } },
    };
    expect(findingsOf(aliased, liveKey({ parent: CRED("c", legacy) }))).toEqual([]);
  });

  it("a live key under anything but a credential is judged too: nothing there removes or retires it", () => {
    expect(findingsOf(liveKey({ parent: ROOT_URN }))).toEqual([
      expect.stringMatching(
        /^scaleway:iam\/apiKey:ApiKey "c-key-a" under pulumi:pulumi:Stack "plakar-scaleway-iam-prod": would revoke/,
      ),
    ]);
  });

  it("only API keys: a live-looking expiry on another type is not a key", () => {
    const other = appStep("delete", "c", { outputs: { expiresAt: LIVE } });
    expect(findingsOf(other)).toEqual([]);
  });

  it("prints what it reads of the document escaped, never as a line of its own", () => {
    const step = keyStep("replace", "c", "a", {
      expiresAt: LIVE,
      extra: { replaceReasons: ["x\n::error::forged\u202e"] },
    });
    const [line] = findingsOf(step);
    expect(line).toContain("x\\n::error::forged\\u202e changes");
    expect(line).not.toMatch(/[\n\u202e]/);
  });
});

describe("an adopted resource replaced by another object", () => {
  const replaced = (old: Json, neu: Json, extra: Json = {}) => appStep("replace", "c", old, neu, extra);

  it("a replace whose new import ID differs from the recorded one is an import-replacement", () => {
    expect(findingsOf(replaced({ id: "A", importID: "A" }, { id: "B", importID: "B" }))).toEqual([
      'scaleway:iam/application:Application "c-app": would import another object (B in place of A) and delete the one the stack manages (import-replacement), which the engine does without checking protect: give back the ID the stack holds (adopt), or take the object out of the stack first if it must live on',
    ]);
    // No importID recorded (created, then adopted by ID): the recorded ID is what the engine compares.
    expect(findingsOf(replaced({ id: "A" }, { importID: "B" }))).toHaveLength(1);
    // Regardless of protect: the engine does not check it on this path.
    expect(findingsOf(replaced({ id: "A", protect: true }, { importID: "B", protect: true }))).toHaveLength(1);
  });

  it("the same import ID, or none, is no adoption: an ordinary replacement of an application is not judged", () => {
    expect(findingsOf(replaced({ id: "A", importID: "A" }, { id: "A", importID: "A" }))).toEqual([]);
    expect(findingsOf(replaced({ id: "A" }, { importID: "A" }))).toEqual([]);
    expect(findingsOf(replaced({ id: "A" }, {}, { replaceReasons: ["organizationId"] }))).toEqual([]);
  });

  it("with --show-replacement-steps: the import-replacement step and its logical replace, reported once", () => {
    const half = appStep("import-replacement", "c", {}, { importID: "B" });
    expect(findingsOf(half, replaced({ id: "A" }, { importID: "B" }))).toEqual([
      expect.stringMatching(/"c-app": would import another object \(B in place of A\)/),
    ]);
    // The import-replacement step alone (no oldState): still refused, without the old ID.
    expect(findingsOf(half)).toEqual([
      expect.stringMatching(
        /"c-app": would import another object and delete the one the stack manages \(import-replacement\)/,
      ),
    ]);
  });

  it("a read-replacement deletes the managed object too", () => {
    expect(findingsOf(replaced({ id: "A" }, { id: "B", external: true }))).toEqual([
      expect.stringMatching(
        /"c-app": would read another object \(B in place of A\) and delete the one the stack manages \(read-replacement\)/,
      ),
    ]);
    expect(findingsOf(appStep("read-replacement", "c", { id: "A" }, { id: "B", external: true }))).toHaveLength(1);
  });

  it("an external old object was never the stack's: replacing it deletes nothing", () => {
    expect(findingsOf(replaced({ id: "A", external: true }, { importID: "B" }))).toEqual([]);
  });

  it("a key adopted in place of another is named once: as a live key revoked while it lives, else as an adoption", () => {
    const adopted = (expiresAt: string) => {
      const key = keyStep("replace", "c", "a", { expiresAt });
      (key.newState as Json).importID = "SCWother";
      return key;
    };
    expect(findingsOf(adopted(LIVE))).toEqual([
      expect.stringMatching(
        /"c-key-a" of PlakarCredential "c": would revoke a live API key \(.*\): replaced by another object \(import-replacement\); /,
      ),
    ]);
    expect(findingsOf(adopted(EXPIRED))).toEqual([
      expect.stringMatching(/"c-key-a": would import another object \(SCWother in place of SCWa\)/),
    ]);
  });
});

describe("protected resources: only a plain delete is check-preview's", () => {
  it("delete of a protected resource is a finding, naming why the engine's own refusal comes too late", () => {
    expect(findingsOf(appStep("delete", "c", { protect: true }))).toEqual([
      'scaleway:iam/application:Application "c-app": would delete a protected resource (delete): `pulumi up` refuses it only after deleting what depends on it (the credential\'s keys), then fails on every run: retire the credential in an update of its own first, or keep it',
    ]);
  });

  it.each(["delete-replaced", "replace", "create-replacement", "same", "update", "refresh", "discard"])(
    "%s of a protected resource is left to the engine",
    (op) => {
      expect(findingsOf(appStep(op, "c", { protect: true }, { protect: true }))).toEqual([]);
    },
  );

  it("an unprotected delete is fine", () => {
    expect(findingsOf(appStep("delete", "c"))).toEqual([]);
  });

  it("an operation it does not know is a finding, not a pass", () => {
    expect(findingsOf(appStep("vaporize", "c"))).toEqual([
      expect.stringMatching(/unknown step "vaporize".*upgrade check-preview/),
    ]);
  });
});

describe("keys of a credential that stays", () => {
  it("rotation (one key created, an expired one deleted) passes", () => {
    expect(
      findingsOf(credStep("same", "c"), keyStep("create", "c", "2027-02-14"), keyStep("delete", "c", "2026-10-17")),
    ).toEqual([]);
  });

  it("end of an overlap (expired previous deleted, current unchanged) passes when sames are shown", () => {
    expect(
      findingsOf(credStep("same", "c"), keyStep("same", "c", "2026-12-16"), keyStep("delete", "c", "2026-10-17")),
    ).toEqual([]);
  });

  it("without sames, a delete with no visible kept key asks for --show-sames", () => {
    expect(findingsOf(keyStep("delete", "c", "2026-10-17"))).toEqual([
      expect.stringMatching(/PlakarCredential "c": would delete API keys \(c-key-2026-10-17\).*--show-sames/),
    ]);
  });

  it("a same step shown only because protect changes does not mean sames are shown", () => {
    const unprotect = appStep("same", "c", { protect: true }, {});
    expect(findingsOf(unprotect, keyStep("delete", "c", "2026-10-17"))).toEqual([
      expect.stringMatching(/would delete API keys \(c-key-2026-10-17\).*--show-sames/),
    ]);
  });

  it("every key deleted while the credential stays is a finding, for the deprecated key type too", () => {
    const type = "scaleway:index/iamApiKey:IamApiKey";
    expect(
      findingsOf(credStep("same", "c"), keyStep("delete", "c", "a", { type }), keyStep("delete", "c", "b", { type })),
    ).toEqual([
      expect.stringMatching(
        /PlakarCredential "c": would delete every API key \(c-key-a, c-key-b\) while the credential stays/,
      ),
    ]);
  });

  it("names the credential by its own class", () => {
    const type = "plakar-scaleway-iam:index:InventoryCredential";
    const key = keyStep("delete", "c", "a", { parent: CRED("c", type) });
    expect(findingsOf(credStep("same", "c", {}, type), key)).toEqual([
      expect.stringMatching(/^InventoryCredential "c": would delete every API key/),
    ]);
  });

  it("a key replaced in place is kept", () => {
    expect(findingsOf(credStep("same", "c"), keyStep("replace", "c", "a"), keyStep("delete", "c", "b"))).toEqual([]);
  });

  it("a credential removed altogether takes its keys with it", () => {
    expect(findingsOf(credStep("delete", "c"), keyStep("delete", "c", "a"))).toEqual([]);
  });

  it("a credential marked retired may lose its keys", () => {
    expect(findingsOf(credStep("same", "c", { retired: true }), keyStep("delete", "c", "a"))).toEqual([]);
    expect(findingsOf(credStep("same", "c", { retired: "yes" }), keyStep("delete", "c", "a"))).toHaveLength(1);
  });

  it("keys of other parents are not a credential's", () => {
    const stray = keyStep("delete", "c", "a", { parent: ROOT_URN });
    expect(findingsOf(credStep("same", "x"), stray)).toEqual([]);
  });
});

describe("bad input: exit 2, one clean line", () => {
  const withSteps = (steps: unknown) => text({ steps });
  const appDelete = (oldState: Json) => withSteps([rootStep, { op: "delete", urn: ROOT_URN, oldState }]);

  it.each([
    ["an empty input", "", /standard input: empty/],
    ["blank lines", "\n\n  \n", /standard input: empty/],
    ["a JSON array", "[]", /expected a JSON object/],
    ["JSON null", "null", /expected a JSON object/],
    ["no steps", text({ diagnostics: [] }), /steps: expected a list/],
    ["steps not a list", withSteps({}), /steps: expected a list/],
    ["no root stack step", withSteps([keyStep("delete", "c", "a")]), /no step for the root stack/],
    ["a step that is not an object", withSteps([rootStep, 7]), /steps\[1\]: expected an object/],
    ["a step without op", withSteps([rootStep, { urn: ROOT_URN }]), /steps\[1\]\.op: expected a step operation/],
    ["an op that is not a string", withSteps([rootStep, { op: 1, urn: ROOT_URN }]), /steps\[1\]\.op/],
    [
      "a URN that is not one",
      withSteps([rootStep, { op: "delete", urn: "arn:aws:x" }]),
      /steps\[1\]\.urn: expected a Pulumi URN/,
    ],
    [
      "a URN with a newline",
      withSteps([rootStep, { op: "delete", urn: `${ROOT_URN}\nerror: fake` }]),
      /steps\[1\]\.urn/,
    ],
    [
      "a URN with a terminal escape",
      withSteps([rootStep, { op: "delete", urn: `${ROOT_URN}\u001b[2J` }]),
      /steps\[1\]\.urn/,
    ],
    [
      "a protect that is not a boolean",
      appDelete({ urn: ROOT_URN, type: "t", protect: "true" }),
      /steps\[1\]\.oldState\.protect: expected true or false/,
    ],
    [
      "an external that is not a boolean",
      appDelete({ urn: ROOT_URN, type: "t", external: 1 }),
      /steps\[1\]\.oldState\.external: expected true or false/,
    ],
    ["an id that is not a string", appDelete({ urn: ROOT_URN, type: "t", id: 7 }), /oldState\.id: expected a string/],
    [
      "an importID that is not a string",
      appDelete({ urn: ROOT_URN, type: "t", importID: {} }),
      /oldState\.importID: expected a string/,
    ],
    ["outputs that are not an object", appDelete({ urn: ROOT_URN, type: "t", outputs: [] }), /oldState\.outputs/],
    ["a state without type", appDelete({ urn: ROOT_URN }), /oldState\.type/],
    ["a parent that is not a URN", appDelete({ urn: ROOT_URN, type: "t", parent: 3 }), /oldState\.parent/],
    [
      "replaceReasons that are not a list of names",
      withSteps([rootStep, { ...keyStep("replace", "c", "a"), replaceReasons: "expiresAt" }]),
      /steps\[1\]\.replaceReasons: expected a list of property names/,
    ],
    [
      "diffReasons holding something else than names",
      withSteps([rootStep, { ...keyStep("replace", "c", "a"), diffReasons: [{}] }]),
      /steps\[1\]\.diffReasons: expected a list of property names/,
    ],
    [
      "a detailedDiff that is not an object",
      withSteps([rootStep, { ...keyStep("replace", "c", "a"), detailedDiff: ["expiresAt"] }]),
      /steps\[1\]\.detailedDiff: expected an object/,
    ],
    [
      "a detailedDiff entry without kind",
      withSteps([rootStep, { ...keyStep("replace", "c", "a"), detailedDiff: { expiresAt: { inputDiff: true } } }]),
      /steps\[1\]\.detailedDiff: expected \{kind, inputDiff\}/,
    ],
    [
      "URNs of two stacks",
      withSteps([rootStep, { op: "create", urn: ROOT_URN.replace(":prod::", ":staging::") }]),
      /more than one stack/,
    ],
    [
      "a preview that failed",
      text({ ...previewOf(), diagnostics: [{ message: "boom", severity: "error" }] }),
      /reports 1 error: it did not complete; fix it and preview again$/,
    ],
    [
      "a preview that failed on resources",
      text({
        ...previewOf(),
        diagnostics: [
          { urn: APP("a"), message: "boom", severity: "error" },
          { urn: APP("a"), message: "again", severity: "error" },
          { urn: "not a urn\u001b[2J", message: "x", severity: "error" },
          { urn: APP("b"), message: "just a warning", severity: "warning" },
        ],
      }),
      /reports 3 errors \(on scaleway:iam\/application:Application "a-app"\): it did not complete; fix them and preview again$/,
    ],
  ])("%s", async (_what, input, message) => {
    expect(await badInput([], input)).toMatch(message);
  });

  it("names at most five resources of a failed preview", async () => {
    const diagnostics = ["a", "b", "c", "d", "e", "f", "g"].map((c) => ({ urn: APP(c), severity: "error" }));
    expect(await badInput([], text({ ...previewOf(), diagnostics }))).toMatch(
      /reports 7 errors \(on .*"a-app", .*"e-app", 2 more\): it did not complete/,
    );
  });

  it("never echoes the document, even where it holds a secret", async () => {
    const secret = "SCWSECRET-do-not-print-8c1f";
    for (const input of [
      `{"steps": [${secret}`,
      withSteps([rootStep, { op: secret, urn: secret }]),
      `${secret}\u0000`,
      text({ ...previewOf(), diagnostics: [{ urn: APP("a"), message: secret, severity: "error" }] }),
    ]) {
      expect(await badInput([], input)).not.toContain(secret);
    }
  });

  it("refuses bytes that are not UTF-8, and a document over the size cap", async () => {
    expect(await badInput([], Buffer.from([0x7b, 0xff, 0xfe, 0x7d]))).toMatch(/not UTF-8/);
    const { MAX_PREVIEW_BYTES } = await import("../tools/check-preview/main");
    expect(await badInput([], Buffer.alloc(MAX_PREVIEW_BYTES + 1, 0x20))).toMatch(/larger than 64 MiB/);
  });

  it("wants a preview: no pipe and no --file is an error, not a pass", async () => {
    expect(await badInput([])).toMatch(/no preview given: pipe `pulumi preview --json --show-sames`.*--file FILE/);
  });

  it("names the flag and the fix", async () => {
    expect(await badInput(["--file", path.join(FIXTURES, "nope.json")])).toMatch(
      /^check-preview: --file: no such file/,
    );
    expect(await badInput(["--file", FIXTURES])).toBe(
      "check-preview: --file: is a directory: pass the preview's JSON file",
    );
    expect(await badInput(["--file", ""])).toMatch(/--file: empty/);
    expect(await badInput(["--stack", "staging", "--file", fixture("rotation")])).toBe(
      'check-preview: --stack: the preview is of stack "prod", not "staging": preview the stack you check',
    );
  });

  /** A bad command line, reported as every command reports it: the heading, then one `error:` line per problem. */
  async function badFlags(argv: string[]): Promise<string[]> {
    const r = await run(argv, text(previewOf()));
    expect(r.code).toBe(2);
    expect(r.out).toEqual([]);
    expect(r.err[0]).toMatch(/^bad command line( \(npm run --silent check-preview -- --help for usage\))?:$/);
    expect(r.err.slice(1).every((l) => l.startsWith("error: "))).toBe(true);
    return r.err.slice(1);
  }

  it("bad flags: the closest known flag, a missing value, an argument; --stack takes the names it takes everywhere", async () => {
    expect(await badFlags(["--verbose"])).toEqual([
      "error: --verbose: unknown flag; check-preview takes --stack, --file, --now, --help",
    ]);
    expect(await badFlags(["--stak", "prod"])).toEqual([
      "error: --stak: unknown flag (did you mean --stack?); check-preview takes --stack, --file, --now, --help",
    ]);
    expect(await badFlags(["prod"])).toEqual(["error: prod: unexpected argument: every input is given with a flag"]);
    expect(await badFlags(["--stack"])).toEqual(["error: --stack: needs a value: --stack NAME"]);
    expect(await badFlags(["--file", "a", "--file", "b"])).toEqual(["error: --file: is given twice: give it once"]);
    expect(await badFlags(["--stack", "../prod", "--file", fixture("rotation")])).toEqual([
      expect.stringMatching(/^error: --stack: "\.\.\/prod" is not a stack name \(letters, digits/),
    ]);
    // A newline in a flag's value never prints a line of its own.
    expect(await badFlags(["--stack", "a\nb"])).toEqual([
      expect.stringMatching(/^error: --stack: "a\\nb" is not a stack name/),
    ]);
  });

  it("--now takes an ISO-8601 date or date-time, as in check-expiry and plan", async () => {
    expect(await badFlags(["--now", "tomorrow"])).toEqual([
      'error: --now: "tomorrow" is not an ISO-8601 date or date-time (e.g. 2026-11-26 or 2026-11-26T09:00:00Z)',
    ]);
    expect(await badFlags(["--now", "2026-02-30"])).toHaveLength(1);
    expect(await badFlags(["--now"])).toEqual(["error: --now: needs a value: --now ISO-8601"]);
    // A date alone is midnight UTC.
    expect((await run(["--now", "2027-02-14"], fs.readFileSync(fixture("rotation")))).out).toEqual([
      expect.stringMatching(/ 38 steps judged at 2027-02-14T00:00:00Z: /),
    ]);
  });

  it("without --now, judges at the real time", async () => {
    const before = Date.now();
    const r = await run([], text(previewOf()));
    const at = Date.parse(/judged at (\S+):/.exec(r.out[0] ?? "")?.[1] ?? "");
    expect(at).toBeGreaterThanOrEqual(Math.floor(before / 1000) * 1000);
    expect(at).toBeLessThanOrEqual(Date.now());
  });

  it("the error class carries only its own message", () => {
    expect(new PreviewInputError("x").message).toBe("x");
  });
});

describe("steps without the state `pulumi preview --json` always prints: exit 2, naming the step", () => {
  const withoutParent = (state: Json): Json => {
    const { parent: _parent, ...rest } = state;
    return rest;
  };

  it("a delete without oldState (here of a protected application, which would otherwise pass)", async () => {
    const line = await badInput(
      ["--stack", "prod"],
      text(previewOf(credStep("same", "c"), { op: "delete", urn: APP("c") })),
    );
    expect(line).toBe(
      `check-preview: standard input: steps[2].oldState: missing: the "delete" step of ${APP("c")} has no oldState, which \`pulumi preview --json\` always prints for this operation: not a complete preview; preview again`,
    );
  });

  it("a credential's only key deleted without oldState", async () => {
    const { oldState: _old, ...bare } = keyStep("delete", "c", "a");
    expect(await badInput([], text(previewOf(credStep("same", "c"), bare)))).toMatch(
      /^check-preview: standard input: steps\[2\]\.oldState: missing: the "delete" step of urn:pulumi:prod::.*::c-key-a has no oldState/,
    );
  });

  it("a key's delete whose oldState has no parent, though its URN names the credential", async () => {
    const step = keyStep("delete", "c", "a");
    step.oldState = withoutParent(step.oldState as Json);
    expect(await badInput([], text(previewOf(credStep("same", "c"), step)))).toBe(
      `check-preview: standard input: steps[2].oldState.parent: missing: the state of ${KEY("c", "a")} has no parent, though its URN names one (plakar-scaleway-iam:index:PlakarCredential): not the output of \`pulumi preview --json\`; preview again`,
    );
    // An empty parent is no parent; a newState is held to the same rule.
    step.oldState = { ...(step.oldState as Json), parent: "" };
    expect(await badInput([], text(previewOf(step)))).toMatch(/steps\[1\]\.oldState\.parent: missing/);
    const created = { op: "create", urn: KEY("c", "b"), newState: withoutParent(keyState("c", "b")) };
    expect(await badInput([], text(previewOf(created)))).toMatch(/steps\[1\]\.newState\.parent: missing/);
  });

  it.each([
    "same",
    "update",
    "delete",
    "delete-replaced",
    "replace",
    "create-replacement",
    "read-replacement",
    "refresh",
    "discard",
    "discard-replaced",
    "remove-pending-replace",
  ])("%s: the engine always has an old state for it, so its step needs oldState", async (op) => {
    expect(await badInput([], text(previewOf({ op, urn: APP("c"), newState: appState("c") })))).toMatch(
      new RegExp(`^check-preview: standard input: steps\\[1\\]\\.oldState: missing: the "${op}" step of `),
    );
  });

  it.each(["create", "read", "import", "diff", "extend-parameterize"])("%s may come without oldState", (op) => {
    expect(findingsOf({ op, urn: APP("c"), newState: appState("c") })).toEqual([]);
  });

  it("import-replacement may come without oldState too (it is refused for what it does, not for the shape)", () => {
    expect(findingsOf({ op: "import-replacement", urn: APP("c"), newState: appState("c") })).toEqual([
      expect.stringMatching(/\(import-replacement\)/),
    ]);
  });

  it("a resource directly under the root stack needs no parent (the engine leaves the stack's type out of URNs)", () => {
    const top = `${P}scaleway:iam/application:Application::top`;
    const state = { urn: top, custom: true, type: "scaleway:iam/application:Application", id: "t" };
    expect(findingsOf({ op: "delete", urn: top, oldState: state })).toEqual([]);
    // The test's credentials name the stack type as their parent type: no parent needed either.
    expect(findingsOf(credStep("delete", "c"), keyStep("delete", "c", "a"))).toEqual([]);
  });

  it("every fixture still carries the states it needs: the rotations pass", async () => {
    for (const name of ["rotation", "rotation-without-sames", "retired-credential-removed"]) {
      expect((await judge(name, ROTATION_TIME)).code, name).toBe(0);
    }
  });
});

describe("URNs", () => {
  it("splits stack, project, the last type of the qualified type, and a name that may hold ::", () => {
    expect(parseUrn(KEY("c", "a"))).toEqual({
      stack: "prod",
      project: "plakar-scaleway-iam",
      type: "scaleway:iam/apiKey:ApiKey",
      name: "c-key-a",
    });
    expect(parseUrn(`${P}t:m:T::a::b`)?.name).toBe("a::b");
    expect(parseUrn("urn:pulumi:prod::p::t")).toBeUndefined();
    expect(parseUrn(`urn:pulumi:pr od::p::t::n`)).toBeUndefined();
  });
});

describe("as a command (the process boundary: exit codes and pipes)", () => {
  function spawnCheck(
    args: string[],
    stdin: Buffer | "ignore",
  ): Promise<{ code: number | null; out: string; err: string }> {
    return new Promise((resolve, reject) => {
      const child = spawn(process.execPath, [path.join(ROOT, "scripts", "run.js"), "check-preview", ...args], {
        cwd: os.tmpdir(),
        env: { ...process.env, INIT_CWD: FIXTURES },
        stdio: [stdin === "ignore" ? "ignore" : "pipe", "pipe", "pipe"],
      });
      let out = "";
      let err = "";
      child.stdout?.on("data", (d: Buffer) => (out += d.toString()));
      child.stderr?.on("data", (d: Buffer) => (err += d.toString()));
      child.on("error", reject);
      child.on("close", (code) => resolve({ code, out, err }));
      if (stdin !== "ignore") child.stdin?.end(stdin);
    });
  }

  it("exits 1 on findings from a pipe, 2 with nothing piped, and reads --file relative to the caller", async () => {
    const [piped, nothing, relative] = await Promise.all([
      spawnCheck(["--stack", "prod", "--now", T], fs.readFileSync(fixture("live-key-revoked-while-another-created"))),
      spawnCheck([], "ignore"),
      spawnCheck(["--file", "rotation.json", "--now", ROTATION_TIME], "ignore"),
    ]);
    expect(piped.code).toBe(1);
    expect(piped.out.trim().split("\n")).toHaveLength(2);
    expect(nothing).toMatchObject({ code: 2, out: "" });
    expect(nothing.err.trim().split("\n")).toHaveLength(1);
    expect(relative).toMatchObject({ code: 0, err: "" });
  }, 60_000);
});
