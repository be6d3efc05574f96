/**
 * Reading `pulumi preview --json` and judging what it would destroy: the pure half of check-preview.
 *
 * The document is the CLI's preview digest (pulumi/pulumi pkg/display/json.go `PreviewDigest`, filled by
 * pkg/backend/display/json.go `ShowPreviewDigest`): `{ config, steps, diagnostics, duration, changeSummary,
 * maybeCorrupt }`. Each step is a `PreviewStep`: `op` (a deploy.StepOp, pkg/resource/deploy/step.go), `urn`,
 * `provider`, `oldState`/`newState` (apitype.ResourceV3: `urn`, `type`, `custom`, `id`, `inputs`, `outputs`,
 * `parent`, `protect`, `dependencies`, `retainOnDelete`, ...; false and empty fields are omitted), `diffReasons`,
 * `replaceReasons`, `detailedDiff`. What the JSON view leaves out matters here (pkg/backend/display/display.go
 * `shouldShow`): unchanged resources (`same`) unless `--show-sames` (the root stack's step is always shown), and the
 * `create-replacement`/`delete-replaced` halves of a replacement unless `--show-replacement-steps` (a logical
 * `replace` step stands for them).
 */
import { CREDENTIAL_TYPES as CREDENTIAL_TOKENS, IAM_TYPES, ROOT_STACK_TYPE } from "../../components/domain/constants";

/** A problem with the document itself: exit 2. The message quotes nothing of the input but a (printable) URN. */
export class PreviewInputError extends Error {
  constructor(message: string) {
    super(message);
    this.name = "PreviewInputError";
  }
}

/** Every step operation the engine knows (pkg/resource/deploy/step.go, `Op*`). */
export const KNOWN_OPS = new Set([
  "same",
  "create",
  "update",
  "delete",
  "replace",
  "create-replacement",
  "delete-replaced",
  "read",
  "read-replacement",
  "refresh",
  "discard",
  "discard-replaced",
  "remove-pending-replace",
  "import",
  "import-replacement",
  "diff",
  "extend-parameterize",
]);

/**
 * Steps that always start from a resource's recorded state: the engine builds them from an old state it requires
 * (pkg/resource/deploy/step.go: `NewSameStep`, `NewUpdateStep`, `NewDeleteStep`, `NewDeleteReplacementStep`,
 * `NewReplaceStep`, `NewCreateReplacementStep`, `NewReadReplacementStep`, `NewRefreshStep`,
 * `NewRemovePendingReplaceStep`; `discard`/`discard-replaced` are delete steps of external resources), and the JSON
 * view prints that state as `oldState`. Such a step without it is not the CLI's output: the judgement of what it
 * destroys (protect, the credential it belongs to) would rest on a missing state.
 */
const NEEDS_OLD_STATE = new Set([
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
]);

/** Steps that delete the resource's current cloud object. */
const DELETES = new Set(["delete", "delete-replaced"]);
/** Steps that replace it: the old object is deleted once the new one exists (or before, with deleteBeforeReplace). */
const REPLACES = new Set(["replace", "create-replacement", "import-replacement", "read-replacement"]);

export { ROOT_STACK_TYPE };
/** Every credential component's type token, and the one it had before the component package (still aliased). */
export const CREDENTIAL_TYPES: ReadonlySet<string> = new Set(CREDENTIAL_TOKENS);
/** API keys: the provider's current token and the deprecated one it still exports. */
export const API_KEY_TYPES: ReadonlySet<string> = new Set(IAM_TYPES.apiKey);

const MAX_URN_LENGTH = 4096;
// Control, format (bidi overrides, zero-width) and separator characters: they could disguise a name in a log.
const UNPRINTABLE = /[\p{Cc}\p{Cf}\p{Cs}\p{Zl}\p{Zp}]/u;
const STACK_NAME = /^[A-Za-z0-9_.-]+$/;

export interface ResourceState {
  readonly urn: string;
  readonly type: string;
  readonly parent?: string;
  readonly protect: boolean;
  readonly inputs: Readonly<Record<string, unknown>>;
}

export interface PreviewStep {
  readonly op: string;
  readonly urn: string;
  readonly oldState?: ResourceState;
  readonly newState?: ResourceState;
}

export interface Preview {
  readonly steps: readonly PreviewStep[];
  /** The stack every URN names. */
  readonly stack: string;
}

/** The parts of a URN: `urn:pulumi:<stack>::<project>::<qualified type>::<name>` (resource/urn.go). */
export interface UrnParts {
  readonly stack: string;
  readonly project: string;
  /** The last type of the qualified type (`parent$child`). */
  readonly type: string;
  readonly name: string;
}

export function parseUrn(urn: string): UrnParts | undefined {
  if (!urn.startsWith("urn:pulumi:") || urn.length > MAX_URN_LENGTH || UNPRINTABLE.test(urn)) return undefined;
  const parts = urn.slice("urn:pulumi:".length).split("::");
  if (parts.length < 4) return undefined;
  const [stack, project, qualifiedType] = parts as [string, string, string];
  // The name is everything after the third delimiter, and may itself hold "::".
  const name = parts.slice(3).join("::");
  const type = qualifiedType.split("$").pop() ?? "";
  if (!STACK_NAME.test(stack) || project === "" || type === "" || name === "") return undefined;
  return { stack, project, type, name };
}

const hasOwn = (obj: object, key: string) => Object.prototype.hasOwnProperty.call(obj, key);

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === "object" && value !== null && !Array.isArray(value);
}

function field(obj: Record<string, unknown>, key: string): unknown {
  return hasOwn(obj, key) ? obj[key] : undefined;
}

function readUrn(value: unknown, where: string): string {
  if (typeof value !== "string" || !parseUrn(value)) {
    throw new PreviewInputError(`${where}: expected a Pulumi URN (urn:pulumi:<stack>::<project>::<type>::<name>)`);
  }
  return value;
}

/**
 * The parent type a URN names (`parent$child`), unless it is the root stack's: the engine leaves the stack's type out
 * of its children's URNs (pkg/resource/deploy/deployment.go), so a URN naming a parent type belongs to a child of a
 * resource, whose state always carries `parent`.
 */
function parentTypeOf(urn: string): string | undefined {
  const qualifiedType = urn.split("::")[2] ?? "";
  const cut = qualifiedType.lastIndexOf("$");
  const parentType = cut < 0 ? "" : qualifiedType.slice(0, cut);
  return parentType === "" || parentType === ROOT_STACK_TYPE ? undefined : parentType;
}

function readState(value: unknown, where: string): ResourceState | undefined {
  if (value === undefined || value === null) return undefined;
  if (!isRecord(value)) throw new PreviewInputError(`${where}: expected an object (a resource state)`);
  const urn = readUrn(field(value, "urn"), `${where}.urn`);
  const type = field(value, "type");
  if (typeof type !== "string" || type === "" || UNPRINTABLE.test(type)) {
    throw new PreviewInputError(`${where}.type: expected a resource type token`);
  }
  const parent = field(value, "parent");
  const parentType = parentTypeOf(urn);
  if ((parent === undefined || parent === null || parent === "") && parentType !== undefined) {
    throw new PreviewInputError(
      `${where}.parent: missing: the state of ${urn} has no parent, though its URN names one (${parentType}): not the output of \`pulumi preview --json\`; preview again`,
    );
  }
  const protect = field(value, "protect");
  if (protect !== undefined && typeof protect !== "boolean") {
    throw new PreviewInputError(`${where}.protect: expected true or false`);
  }
  const inputs = field(value, "inputs");
  if (inputs !== undefined && inputs !== null && !isRecord(inputs)) {
    throw new PreviewInputError(`${where}.inputs: expected an object`);
  }
  return {
    urn,
    type,
    ...(parent === undefined || parent === "" ? {} : { parent: readUrn(parent, `${where}.parent`) }),
    protect: protect === true,
    inputs: isRecord(inputs) ? inputs : {},
  };
}

/**
 * Validates the JSON text of `pulumi preview --json` and keeps what check-preview judges. Throws PreviewInputError
 * for anything that is not a complete preview of one stack.
 */
export function parsePreview(text: string): Preview {
  let doc: unknown;
  try {
    doc = JSON.parse(text.charCodeAt(0) === 0xfeff ? text.slice(1) : text);
  } catch {
    // JSON.parse's message quotes the input: say only what is wrong.
    throw new PreviewInputError("not valid JSON: expected the output of `pulumi preview --json`");
  }
  if (!isRecord(doc)) throw new PreviewInputError("expected a JSON object: the output of `pulumi preview --json`");
  const rawSteps = field(doc, "steps");
  if (!Array.isArray(rawSteps)) {
    throw new PreviewInputError("steps: expected a list of steps: the output of `pulumi preview --json`");
  }
  const diagnostics = field(doc, "diagnostics");
  if (diagnostics !== undefined && !Array.isArray(diagnostics)) {
    throw new PreviewInputError("diagnostics: expected a list");
  }
  const errors = (diagnostics ?? []).filter((d) => isRecord(d) && field(d, "severity") === "error").length;
  if (errors > 0) {
    throw new PreviewInputError(
      `the preview reports ${errors} error${errors === 1 ? "" : "s"}: it did not complete; fix ${errors === 1 ? "it" : "them"} and preview again`,
    );
  }

  const steps = rawSteps.map((raw, i): PreviewStep => {
    const where = `steps[${i}]`;
    if (!isRecord(raw)) throw new PreviewInputError(`${where}: expected an object`);
    const op = field(raw, "op");
    if (typeof op !== "string" || op === "" || op.length > 64 || UNPRINTABLE.test(op)) {
      throw new PreviewInputError(`${where}.op: expected a step operation such as "create" or "delete"`);
    }
    const urn = readUrn(field(raw, "urn"), `${where}.urn`);
    const oldState = readState(field(raw, "oldState"), `${where}.oldState`);
    if (!oldState && NEEDS_OLD_STATE.has(op)) {
      throw new PreviewInputError(
        `${where}.oldState: missing: the "${op}" step of ${urn} has no oldState, which \`pulumi preview --json\` always prints for this operation: not a complete preview; preview again`,
      );
    }
    const newState = readState(field(raw, "newState"), `${where}.newState`);
    return { op, urn, ...(oldState ? { oldState } : {}), ...(newState ? { newState } : {}) };
  });

  const stacks = new Set(steps.map((s) => parseUrn(s.urn)?.stack));
  if (stacks.size > 1) throw new PreviewInputError("steps: the URNs name more than one stack");
  const root = steps.find((s) => parseUrn(s.urn)?.type === ROOT_STACK_TYPE);
  if (!root) {
    throw new PreviewInputError(
      "no step for the root stack (pulumi:pulumi:Stack): not the output of a completed `pulumi preview --json`",
    );
  }
  return { steps, stack: parseUrn(root.urn)?.stack ?? "" };
}

/** `type "name"` of a URN, for a finding. */
function label(urn: string, type?: string): string {
  const parts = parseUrn(urn);
  return `${type ?? parts?.type} "${parts?.name}"`;
}

/**
 * What the preview would do that check-preview refuses, one line each: deleting or replacing a protected resource,
 * deleting every API key of a PlakarCredential that stays, or a step it cannot judge.
 */
export function previewFindings(preview: Preview): string[] {
  const findings: string[] = [];
  const reported = new Set<string>();
  const report = (id: string, line: string) => {
    if (reported.has(id)) return;
    reported.add(id);
    findings.push(line);
  };

  for (const step of preview.steps) {
    if (!KNOWN_OPS.has(step.op)) {
      report(
        `op:${step.urn}`,
        `${label(step.urn)}: unknown step "${step.op}": check-preview cannot tell whether it deletes anything; upgrade check-preview before applying`,
      );
      continue;
    }
    const deletes = DELETES.has(step.op);
    const replaces = REPLACES.has(step.op);
    if (!deletes && !replaces) continue;
    // The object destroyed is the old one; a replacement also counts the program's wish (newState) to protect it,
    // since the engine lets "unprotect and replace" through in one update (step_generator.go).
    const isProtected = step.oldState?.protect === true || (replaces && step.newState?.protect === true);
    if (!isProtected) continue;
    const type = (step.oldState ?? step.newState)?.type;
    const verb = deletes && step.op === "delete" ? "delete" : "replace";
    report(
      `protect:${step.urn}`,
      `${label(step.urn, type)}: would ${verb} a protected resource (${step.op}): unprotect it in an update of its own first (retire the credential), or keep it`,
    );
  }

  for (const line of keyFindings(preview)) report(line, line);
  return findings;
}

interface CredentialKeys {
  readonly gone: string[];
  kept: number;
}

function keyFindings(preview: Preview): string[] {
  const opsByUrn = new Map<string, Set<string>>();
  for (const s of preview.steps) opsByUrn.set(s.urn, (opsByUrn.get(s.urn) ?? new Set()).add(s.op));

  const credentialGone = (urn: string) => [...(opsByUrn.get(urn) ?? [])].some((op) => DELETES.has(op));
  // Retiring (`retire: true`) revokes the keys and unprotects the rest in the same update: the component says so
  // (inputs.retired), or a child of it loses protect here (what retirement looks like where protect is on).
  const retired = (urn: string) =>
    !credentialGone(urn) &&
    preview.steps.some(
      (s) =>
        (s.urn === urn && s.newState?.inputs.retired === true) ||
        (s.oldState?.parent === urn &&
          s.oldState.protect &&
          s.newState !== undefined &&
          !s.newState.protect &&
          !DELETES.has(s.op)),
    );
  // Unchanged resources are in the document only with --show-sames (the root stack's step always is).
  const showsSames = preview.steps.some((s) => s.op === "same" && parseUrn(s.urn)?.type !== ROOT_STACK_TYPE);

  const byCredential = new Map<string, CredentialKeys>();
  for (const [urn, ops] of opsByUrn) {
    const step = preview.steps.find((s) => s.urn === urn);
    const state = step?.newState ?? step?.oldState;
    if (!state || !API_KEY_TYPES.has(state.type) || !state.parent) continue;
    const parent = parseUrn(state.parent);
    if (!parent || !CREDENTIAL_TYPES.has(parent.type)) continue;
    const entry = byCredential.get(state.parent) ?? { gone: [], kept: 0 };
    // A key URN survives any step but a plain delete (a replacement issues a new key under the same name).
    if ([...ops].every((op) => op === "delete")) entry.gone.push(urn);
    else entry.kept++;
    byCredential.set(state.parent, entry);
  }

  const out: string[] = [];
  for (const [credential, keys] of byCredential) {
    if (keys.gone.length === 0 || keys.kept > 0 || credentialGone(credential) || retired(credential)) continue;
    const names = keys.gone.map((k) => parseUrn(k)?.name).join(", ");
    const who = `PlakarCredential "${parseUrn(credential)?.name}"`;
    out.push(
      showsSames
        ? `${who}: would delete every API key (${names}) while the credential stays: Plakar would lose access; keep a key, or retire or remove the credential`
        : `${who}: would delete API keys (${names}) and the preview shows no key kept: run \`pulumi preview --json --show-sames\` so unchanged keys are visible`,
    );
  }
  return out;
}
