/**
 * check-preview on preview documents in the format of `pulumi preview --json` (pulumi/pulumi pkg/display/json.go
 * `PreviewDigest`/`PreviewStep`, states as apitype.ResourceV3). The fixtures in fixtures/preview/ are the prod
 * example stack's resources, as the offline plan registers them, written as the CLI prints a preview with
 * `--show-sames`: ordinary rotation, the same without sames, a protected credential removed, a protected policy
 * replaced, a credential that loses every key, a retired credential removed, and a truncated document (malformed.txt:
 * a .json name would make `prettier --check .` fail on it).
 */
import { spawn } from "child_process";
import * as fs from "fs";
import * as os from "os";
import * as path from "path";
import { Readable } from "stream";
import { describe, expect, it } from "vitest";
import { parsePreview, parseUrn, previewFindings, PreviewInputError } from "../tools/check-preview/preview";
import { checkPreview, type PreviewCheckIo } from "../tools/check-preview/main";

const ROOT = path.join(__dirname, "..");
const FIXTURES = path.join(__dirname, "fixtures", "preview");
const fixture = (name: string) => path.join(FIXTURES, `${name}.json`);

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

const P = "urn:pulumi:prod::plakar-scaleway-iam::";
const ROOT_URN = `${P}pulumi:pulumi:Stack::plakar-scaleway-iam-prod`;
const CRED = (name: string) => `${P}pulumi:pulumi:Stack$plakar-scaleway-iam:index:PlakarCredential::${name}`;
const KEY = (cred: string, gen: string, type = "scaleway:iam/apiKey:ApiKey") =>
  `${P}plakar-scaleway-iam:index:PlakarCredential$${type}::${cred}-key-${gen}`;

const rootStep = { op: "same", urn: ROOT_URN, oldState: { urn: ROOT_URN, custom: false, type: "pulumi:pulumi:Stack" } };
function keyState(cred: string, gen: string, type = "scaleway:iam/apiKey:ApiKey"): Json {
  return { urn: KEY(cred, gen, type), custom: true, type, id: `SCW${gen}`, parent: CRED(cred) };
}
const keyStep = (op: string, cred: string, gen: string, type?: string): Json => ({
  op,
  urn: KEY(cred, gen, type),
  ...(op === "create" ? {} : { oldState: keyState(cred, gen, type) }),
  ...(op === "delete" ? {} : { newState: keyState(cred, gen, type) }),
});
const credStep = (op: string, name: string, inputs: Json = {}): Json => ({
  op,
  urn: CRED(name),
  ...(op === "create" ? {} : { oldState: { urn: CRED(name), custom: false, type: CREDENTIAL_TYPE, inputs: {} } }),
  ...(op === "delete" ? {} : { newState: { urn: CRED(name), custom: false, type: CREDENTIAL_TYPE, inputs } }),
});
const CREDENTIAL_TYPE = "plakar-scaleway-iam:index:PlakarCredential";
const previewOf = (...steps: Json[]) => ({ steps: [rootStep, ...steps], duration: 1200000000 });
const findingsOf = (...steps: Json[]) => previewFindings(parsePreview(text(previewOf(...steps))));

describe("the fixtures, through the command", () => {
  it("passes an ordinary rotation: new keys created, old keys deleted, delivered versions replaced", async () => {
    const doc = load("rotation");
    expect(doc.changeSummary).toEqual({ same: 26, create: 5, replace: 2, delete: 5 });
    const r = await run(["--stack", "prod", "--file", fixture("rotation")]);
    expect(r).toEqual({
      code: 0,
      out: [
        "check-preview: stack prod: 38 steps; no protected resource deleted or replaced, no credential left without a key",
      ],
      err: [],
    });
  });

  it("passes the same rotation printed without --show-sames (a new key is visible)", async () => {
    expect((await run(["--file", fixture("rotation-without-sames")])).code).toBe(0);
  });

  it("refuses removing a protected credential: one line per protected resource", async () => {
    const r = await run(["--stack", "prod", "--file", fixture("remove-protected-credential")]);
    expect(r.code).toBe(1);
    expect(r.err).toEqual([]);
    expect(r.out).toEqual([
      expect.stringMatching(
        /^check-preview: stack prod: scaleway:secrets\/secret:Secret "volumes-delivery-secret": would delete a protected resource \(delete\)/,
      ),
      expect.stringMatching(
        /^check-preview: stack prod: scaleway:iam\/policy:Policy "volumes-policy": would delete a protected/,
      ),
      expect.stringMatching(
        /^check-preview: stack prod: scaleway:iam\/application:Application "volumes-app": would delete a protected/,
      ),
    ]);
  });

  it("refuses replacing a protected policy, even when the same update unprotects it", async () => {
    const doc = load("replace-protected-policy");
    const step = doc.steps.find((s) => s.op === "replace") as { oldState: Json; newState: Json };
    expect(step.oldState.protect).toBe(true);
    expect(step.newState.protect).toBeUndefined();
    const r = await run(["--file", fixture("replace-protected-policy")]);
    expect(r.code).toBe(1);
    expect(r.out).toEqual([
      expect.stringMatching(
        /scaleway:iam\/policy:Policy "buckets-policy": would replace a protected resource \(replace\)/,
      ),
    ]);
  });

  it("refuses a credential that stays but loses every key", async () => {
    const r = await run(["--file", fixture("credential-loses-all-keys")]);
    expect(r.code).toBe(1);
    expect(r.out).toEqual([
      'check-preview: stack prod: PlakarCredential "inventory-web": would delete every API key (inventory-web-key-2026-10-17, inventory-web-key-2026-12-16) while the credential stays: Plakar would lose access; keep a key, or retire or remove the credential',
    ]);
  });

  it("passes removing a retired credential: its unprotected resources are deleted", async () => {
    const doc = load("retired-credential-removed");
    expect(doc.steps.filter((s) => s.op === "delete").length).toBe(6);
    expect((await run(["--stack", "prod", "--file", fixture("retired-credential-removed")])).code).toBe(0);
  });

  it("refuses a truncated document with one clean line that quotes nothing of it", async () => {
    const line = await badInput(["--file", path.join(FIXTURES, "malformed.txt")]);
    expect(line).toBe("check-preview: --file: not valid JSON: expected the output of `pulumi preview --json`");
  });

  it("reads standard input when it is piped, or with --file -", async () => {
    const body = fs.readFileSync(fixture("rotation"));
    expect((await run([], body)).code).toBe(0);
    expect((await run(["--file", "-"], body)).code).toBe(0);
    expect((await run(["--stack", "prod"], fs.readFileSync(fixture("credential-loses-all-keys")))).code).toBe(1);
  });
});

describe("what counts as destroying a protected resource", () => {
  const app = (
    protect: boolean | undefined,
    urn = `${P}plakar-scaleway-iam:index:PlakarCredential$scaleway:iam/application:Application::c-app`,
  ) => ({
    urn,
    custom: true,
    type: "scaleway:iam/application:Application",
    id: "a",
    parent: CRED("c"),
    ...(protect === undefined ? {} : { protect }),
  });
  const step = (op: string, oldProtect?: boolean, newProtect?: boolean): Json => ({
    op,
    urn: app(undefined).urn,
    oldState: app(oldProtect),
    newState: app(newProtect),
  });

  it.each(["delete", "delete-replaced", "replace", "create-replacement", "import-replacement", "read-replacement"])(
    "%s of a protected resource is a finding",
    (op) => {
      expect(findingsOf(step(op, true, true))).toEqual([expect.stringMatching(/c-app.*protected resource/)]);
    },
  );

  it.each([
    "same",
    "update",
    "create",
    "read",
    "refresh",
    "import",
    "discard",
    "discard-replaced",
    "remove-pending-replace",
  ])("%s of a protected resource is not", (op) => {
    expect(findingsOf(step(op, true, true))).toEqual([]);
  });

  it("judges unprotected deletes and replacements fine", () => {
    expect(findingsOf(step("delete"), step("replace", false, false))).toEqual([]);
  });

  it("a replacement the program wants protected counts (protect added in the same update)", () => {
    expect(findingsOf(step("replace", false, true))).toHaveLength(1);
    expect(findingsOf(step("delete", false, true))).toEqual([]);
  });

  it("reports a replacement once, whether shown as replace or as its create/delete halves", () => {
    const halves = [
      step("create-replacement", true, true),
      step("replace", true, true),
      step("delete-replaced", true, true),
    ];
    expect(findingsOf(...halves)).toHaveLength(1);
  });

  it("an operation it does not know is a finding, not a pass", () => {
    expect(findingsOf(step("vaporize"))).toEqual([
      expect.stringMatching(/unknown step "vaporize".*upgrade check-preview/),
    ]);
  });
});

describe("keys of a credential that stays", () => {
  it("rotation (one key created, one deleted) passes", () => {
    expect(
      findingsOf(credStep("same", "c"), keyStep("create", "c", "2027-02-14"), keyStep("delete", "c", "2026-10-17")),
    ).toEqual([]);
  });

  it("end of an overlap (previous deleted, current unchanged) passes when sames are shown", () => {
    expect(
      findingsOf(credStep("same", "c"), keyStep("same", "c", "2026-12-16"), keyStep("delete", "c", "2026-10-17")),
    ).toEqual([]);
  });

  it("without sames, a delete with no visible kept key asks for --show-sames", () => {
    expect(findingsOf(keyStep("delete", "c", "2026-10-17"))).toEqual([
      expect.stringMatching(/PlakarCredential "c": would delete API keys \(c-key-2026-10-17\).*--show-sames/),
    ]);
  });

  it("every key deleted while the credential stays is a finding, for the deprecated key type too", () => {
    const type = "scaleway:index/iamApiKey:IamApiKey";
    expect(
      findingsOf(credStep("same", "c"), keyStep("delete", "c", "a", type), keyStep("delete", "c", "b", type)),
    ).toEqual([
      expect.stringMatching(
        /PlakarCredential "c": would delete every API key \(c-key-a, c-key-b\) while the credential stays/,
      ),
    ]);
  });

  it("a key replaced in place (new preferred project) is kept", () => {
    expect(findingsOf(credStep("same", "c"), keyStep("replace", "c", "a"), keyStep("delete", "c", "b"))).toEqual([]);
  });

  it("a credential removed altogether takes its keys with it", () => {
    expect(findingsOf(credStep("delete", "c"), keyStep("delete", "c", "a"))).toEqual([]);
  });

  it("a credential marked retired may lose its keys", () => {
    expect(findingsOf(credStep("same", "c", { retired: true }), keyStep("delete", "c", "a"))).toEqual([]);
    expect(findingsOf(credStep("same", "c", { retired: "yes" }), keyStep("delete", "c", "a"))).toHaveLength(1);
  });

  it("retiring where protect is on (the application unprotected in the same update) may revoke every key", () => {
    const appUrn = `${P}plakar-scaleway-iam:index:PlakarCredential$scaleway:iam/application:Application::c-app`;
    const app = (protect: boolean) => ({
      urn: appUrn,
      custom: true,
      type: "scaleway:iam/application:Application",
      parent: CRED("c"),
      ...(protect ? { protect } : {}),
    });
    const unprotect = { op: "same", urn: appUrn, oldState: app(true), newState: app(false) };
    expect(findingsOf(credStep("same", "c"), unprotect, keyStep("delete", "c", "a"))).toEqual([]);
    // Protect kept: not a retirement.
    const kept = { op: "same", urn: appUrn, oldState: app(true), newState: app(true) };
    expect(findingsOf(credStep("same", "c"), kept, keyStep("delete", "c", "a"))).toHaveLength(1);
  });

  it("keys of other parents are not a credential's", () => {
    const stray = keyStep("delete", "c", "a");
    (stray.oldState as Json).parent = ROOT_URN;
    expect(findingsOf(credStep("same", "x"), stray)).toEqual([]);
  });
});

describe("bad input: exit 2, one clean line", () => {
  const withSteps = (steps: unknown) => text({ steps });

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
      withSteps([rootStep, { op: "delete", urn: ROOT_URN, oldState: { urn: ROOT_URN, type: "t", protect: "true" } }]),
      /steps\[1\]\.oldState\.protect: expected true or false/,
    ],
    [
      "a state without type",
      withSteps([rootStep, { op: "delete", urn: ROOT_URN, oldState: { urn: ROOT_URN } }]),
      /oldState\.type/,
    ],
    [
      "a parent that is not a URN",
      withSteps([rootStep, { op: "delete", urn: ROOT_URN, oldState: { urn: ROOT_URN, type: "t", parent: 3 } }]),
      /oldState\.parent/,
    ],
    [
      "URNs of two stacks",
      withSteps([rootStep, { op: "create", urn: ROOT_URN.replace(":prod::", ":staging::") }]),
      /more than one stack/,
    ],
    [
      "a preview that failed",
      text({ ...previewOf(), diagnostics: [{ message: "boom", severity: "error" }] }),
      /reports 1 error: it did not complete/,
    ],
  ])("%s", async (_what, input, message) => {
    expect(await badInput([], input)).toMatch(message);
  });

  it("never echoes the document, even where it holds a secret", async () => {
    const secret = "SCWSECRET-do-not-print-8c1f";
    for (const input of [
      `{"steps": [${secret}`,
      withSteps([rootStep, { op: secret, urn: secret }]),
      `${secret}\u0000`,
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
      "error: --verbose: unknown flag; check-preview takes --stack, --file, --help",
    ]);
    expect(await badFlags(["--stak", "prod"])).toEqual([
      "error: --stak: unknown flag (did you mean --stack?); check-preview takes --stack, --file, --help",
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

  it("the error class carries only its own message", () => {
    expect(new PreviewInputError("x").message).toBe("x");
  });
});

describe("steps without the state `pulumi preview --json` always prints: exit 2, naming the step", () => {
  const APP = `${P}plakar-scaleway-iam:index:PlakarCredential$scaleway:iam/application:Application::c-app`;
  const appState = (extra: Json = {}): Json => ({
    urn: APP,
    custom: true,
    type: "scaleway:iam/application:Application",
    id: "a",
    parent: CRED("c"),
    ...extra,
  });
  const withoutParent = (state: Json): Json => {
    const { parent: _parent, ...rest } = state;
    return rest;
  };

  it("a delete without oldState (here of a protected application, which would otherwise pass)", async () => {
    const line = await badInput(
      ["--stack", "prod"],
      text(previewOf(credStep("same", "c"), { op: "delete", urn: APP })),
    );
    expect(line).toBe(
      `check-preview: standard input: steps[2].oldState: missing: the "delete" step of ${APP} has no oldState, which \`pulumi preview --json\` always prints for this operation: not a complete preview; preview again`,
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
    expect(await badInput([], text(previewOf({ op, urn: APP, newState: appState() })))).toMatch(
      new RegExp(`^check-preview: standard input: steps\\[1\\]\\.oldState: missing: the "${op}" step of `),
    );
  });

  it.each(["create", "read", "import", "import-replacement", "diff", "extend-parameterize"])(
    "%s may come without oldState",
    (op) => {
      expect(findingsOf({ op, urn: APP, newState: appState() })).toEqual([]);
    },
  );

  it("a resource directly under the root stack needs no parent (the engine leaves the stack's type out of URNs)", () => {
    const top = `${P}scaleway:iam/application:Application::top`;
    const state = { urn: top, custom: true, type: "scaleway:iam/application:Application", id: "t" };
    expect(findingsOf({ op: "delete", urn: top, oldState: state })).toEqual([]);
    // The test's credentials name the stack type as their parent type: no parent needed either.
    expect(findingsOf(credStep("delete", "c"), keyStep("delete", "c", "a"))).toEqual([]);
  });

  it("every fixture still carries the states it needs: the rotations pass", async () => {
    for (const name of ["rotation", "rotation-without-sames", "retired-credential-removed"]) {
      expect((await run(["--stack", "prod", "--file", fixture(name)])).code, name).toBe(0);
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
      spawnCheck(["--stack", "prod"], fs.readFileSync(fixture("remove-protected-credential"))),
      spawnCheck([], "ignore"),
      spawnCheck(["--file", "rotation.json"], "ignore"),
    ]);
    expect(piped.code).toBe(1);
    expect(piped.out.trim().split("\n")).toHaveLength(3);
    expect(nothing).toMatchObject({ code: 2, out: "" });
    expect(nothing.err.trim().split("\n")).toHaveLength(1);
    expect(relative).toMatchObject({ code: 0, err: "" });
  }, 60_000);
});
