/**
 * Reading `pulumi preview --json` and judging what it would destroy: the pure half of check-preview.
 *
 * The document is the CLI's preview digest (pulumi/pulumi pkg/display/json.go `PreviewDigest`, filled by
 * pkg/backend/display/json.go `ShowPreviewDigest`): `{ config, steps, diagnostics, duration, changeSummary,
 * maybeCorrupt }`. Each step is a `PreviewStep`: `op` (a deploy.StepOp, pkg/resource/deploy/step.go), `urn`,
 * `provider`, `oldState`/`newState` (apitype.ResourceV3 in sdk/go/common/apitype/core.go: `urn`, `type`, `custom`,
 * `id`, `inputs`, `outputs`, `parent`, `protect`, `external`, `importID`, ...; false and empty fields are omitted;
 * secret values print as "[secret]", json.go `stateForJSONOutput`), `diffReasons`, `replaceReasons` and
 * `detailedDiff` (property path -> `{kind, inputDiff}`, kinds as plugin.DiffKind.String() in
 * sdk/go/common/resource/plugin/provider.go: `add`, `update`, `delete`, and each with `-replace`). What the JSON view
 * leaves out matters here (pkg/backend/display/display.go `shouldShow`): unchanged resources (`same`) unless
 * `--show-sames` (the root stack's step is always shown, and so is a `same` step that only changes `protect`), and
 * the non-logical halves of a replacement (`create-replacement`, `delete-replaced`, `import-replacement`,
 * `read-replacement`, deploy.IsReplacementStep) unless `--show-replacement-steps`: a logical `replace` step stands
 * for them.
 *
 * The rules (previewFindings), each refusing what the engine itself would let through:
 * - A live API key revoked: a delete or replacement of an API key whose expiry is more than EXPIRY_MARGIN_MS after
 *   the update's time (or that has no expiry), unless its credential is removed in the same update or retired.
 * - An import- or read-replacement: the engine deletes the object the stack managed, with no protect check.
 * - A protected resource deleted: the engine refuses it only when it reaches it, after deleting what depends on it.
 * - A credential that stays left with no API key at all.
 * - A step operation check-preview does not know.
 * What the engine refuses before it deletes anything (replacing a resource that stays protected) is left to it; a
 * preview in which the engine refused something carries error diagnostics, which parsePreview turns into exit 2.
 */
import { CREDENTIAL_TYPES as CREDENTIAL_TOKENS, IAM_TYPES, ROOT_STACK_TYPE } from "../../components/domain/constants";
import { DAY_MS, isoSeconds } from "../../components/domain/rotation";
import { Timestamp } from "../../components/domain/schema";
import { escapeUnprintable } from "../cli";

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
 * destroys (the key's expiry, the credential it belongs to) would rest on a missing state. An `import-replacement`
 * step has none (its `Old()` is set only once it applies), its logical `replace` step does.
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

/** Steps that delete the resource's current cloud object (a `discard` only forgets an external one). */
const DELETES = new Set(["delete", "delete-replaced"]);
/**
 * Steps of a replacement: the old object is deleted once the new one exists (or before, with deleteBeforeReplace).
 * An import- or read-replacement deletes the object the stack managed too (step_generator.go: `NewReplaceStep(...,
 * pendingDelete: true)` beside `NewImportReplacementStep` / `NewReadReplacementStep`).
 */
const REPLACES = new Set(["replace", "create-replacement", "import-replacement", "read-replacement"]);
const DESTROYS = new Set([...DELETES, ...REPLACES]);

/**
 * How far past the update's time a key's expiry may be and still count as spent. Our rotation drops a key from the
 * program the moment it expires (components/domain/rotation.ts `keySchedule`), judged by the clock of the machine
 * that ran the preview; check-preview reads its own clock after that, or a `--now` typed by hand. An hour absorbs
 * that difference (a runner's clock is NTP-synced to seconds, a laptop's may be minutes off) and the minutes
 * between this check and `pulumi up`, while a key with less than an hour left has long been superseded: its
 * successor was issued `overlapDays` (at least a day) before, and a key with an hour left is cut off within the
 * hour anyway.
 */
export const EXPIRY_MARGIN_MS = 60 * 60 * 1000;

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
  /** Read from the cloud (`get`), not managed: deleting it only forgets it (step.go `DeleteStep.Apply`). */
  readonly external: boolean;
  readonly id?: string;
  /** The ID the program asked to import (resource option `import`), kept once imported. */
  readonly importID?: string;
  readonly inputs: Readonly<Record<string, unknown>>;
  readonly outputs: Readonly<Record<string, unknown>>;
}

export interface PreviewStep {
  readonly op: string;
  readonly urn: string;
  readonly oldState?: ResourceState;
  readonly newState?: ResourceState;
  /** Properties whose change forces the replacement (`replaceReasons`), else the `-replace` kinds of detailedDiff. */
  readonly replaceReasons: readonly string[];
  /** Properties that differ (`diffReasons`). */
  readonly diffReasons: readonly string[];
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

const absent = (value: unknown) => value === undefined || value === null;

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

function readBoolean(obj: Record<string, unknown>, key: string, where: string): boolean {
  const value = field(obj, key);
  if (value !== undefined && typeof value !== "boolean") {
    throw new PreviewInputError(`${where}.${key}: expected true or false`);
  }
  return value === true;
}

function readString(obj: Record<string, unknown>, key: string, where: string): string | undefined {
  const value = field(obj, key);
  if (absent(value) || value === "") return undefined;
  if (typeof value !== "string") throw new PreviewInputError(`${where}.${key}: expected a string`);
  return value;
}

function readMap(obj: Record<string, unknown>, key: string, where: string): Record<string, unknown> {
  const value = field(obj, key);
  if (absent(value)) return {};
  if (!isRecord(value)) throw new PreviewInputError(`${where}.${key}: expected an object`);
  return value;
}

function readState(value: unknown, where: string): ResourceState | undefined {
  if (absent(value)) return undefined;
  if (!isRecord(value)) throw new PreviewInputError(`${where}: expected an object (a resource state)`);
  const urn = readUrn(field(value, "urn"), `${where}.urn`);
  const type = field(value, "type");
  if (typeof type !== "string" || type === "" || UNPRINTABLE.test(type)) {
    throw new PreviewInputError(`${where}.type: expected a resource type token`);
  }
  const parent = field(value, "parent");
  const parentType = parentTypeOf(urn);
  if ((absent(parent) || parent === "") && parentType !== undefined) {
    throw new PreviewInputError(
      `${where}.parent: missing: the state of ${urn} has no parent, though its URN names one (${parentType}): not the output of \`pulumi preview --json\`; preview again`,
    );
  }
  const id = readString(value, "id", where);
  const importID = readString(value, "importID", where);
  return {
    urn,
    type,
    ...(absent(parent) || parent === "" ? {} : { parent: readUrn(parent, `${where}.parent`) }),
    protect: readBoolean(value, "protect", where),
    external: readBoolean(value, "external", where),
    ...(id === undefined ? {} : { id }),
    ...(importID === undefined ? {} : { importID }),
    inputs: readMap(value, "inputs", where),
    outputs: readMap(value, "outputs", where),
  };
}

function readKeys(raw: Record<string, unknown>, key: string, where: string): string[] {
  const value = field(raw, key);
  if (absent(value)) return [];
  if (!Array.isArray(value) || !value.every((k) => typeof k === "string")) {
    throw new PreviewInputError(`${where}.${key}: expected a list of property names`);
  }
  return value as string[];
}

/** The properties detailedDiff marks as forcing a replacement (`add-replace`, `update-replace`, `delete-replace`). */
function replacingDiffs(raw: Record<string, unknown>, where: string): string[] {
  const value = field(raw, "detailedDiff");
  if (absent(value)) return [];
  if (!isRecord(value)) throw new PreviewInputError(`${where}.detailedDiff: expected an object`);
  return Object.keys(value).filter((path) => {
    const diff = value[path];
    const kind = isRecord(diff) ? field(diff, "kind") : undefined;
    if (typeof kind !== "string") {
      throw new PreviewInputError(`${where}.detailedDiff: expected {kind, inputDiff} for each property`);
    }
    return kind.endsWith("-replace");
  });
}

/** `type "name"` of a URN, for a message. */
function label(urn: string, type?: string): string {
  const parts = parseUrn(urn);
  return `${type ?? parts?.type} "${parts?.name}"`;
}

/** Error diagnostics: the preview did not complete, or the engine refused a step (a protected resource deleted). */
function refuseErrors(diagnostics: unknown[], rawSteps: unknown[]): void {
  const errors = diagnostics.filter((d) => isRecord(d) && field(d, "severity") === "error");
  if (errors.length === 0) return;
  const urns = [
    ...new Set(
      errors.map((d) => field(d as Record<string, unknown>, "urn")).filter((u): u is string => typeof u === "string"),
    ),
  ].filter((u) => parseUrn(u) !== undefined);
  const failed = new Set(urns);
  const shown = urns.slice(0, 5).map((u) => label(u));
  const on = urns.length === 0 ? "" : ` (on ${shown.join(", ")}${urns.length > 5 ? `, ${urns.length - 5} more` : ""})`;
  // The engine refuses to delete a protected resource in a preview too, before its preview branch (step.go
  // `DeleteStep.Apply`), and reports it as an error (pkg/engine/update.go `previewActions.OnResourceStepPost`).
  const protectedDelete = rawSteps.some(
    (s) =>
      isRecord(s) &&
      field(s, "op") === "delete" &&
      failed.has(field(s, "urn") as string) &&
      isRecord(field(s, "oldState")) &&
      field(field(s, "oldState") as Record<string, unknown>, "protect") === true,
  );
  const n = errors.length;
  throw new PreviewInputError(
    `the preview reports ${n} error${n === 1 ? "" : "s"}${on}: it did not complete; ${
      protectedDelete
        ? "among them, the engine refuses to delete a protected resource, which `pulumi up` would do only after deleting what depends on it (the keys): retire the credential in an update of its own first"
        : `fix ${n === 1 ? "it" : "them"} and preview again`
    }`,
  );
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
  refuseErrors(diagnostics ?? [], rawSteps);

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
    const replaceReasons = readKeys(raw, "replaceReasons", where);
    const diffReasons = readKeys(raw, "diffReasons", where);
    const fromDiff = replacingDiffs(raw, where);
    return {
      op,
      urn,
      ...(oldState ? { oldState } : {}),
      ...(newState ? { newState } : {}),
      replaceReasons: replaceReasons.length > 0 ? replaceReasons : fromDiff,
      diffReasons,
    };
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

/** A value from the document, printable on one line and short: escaped, truncated. */
function shown(text: string, max = 80): string {
  const escaped = escapeUnprintable(text);
  return escaped.length > max ? `${escaped.slice(0, max)}…` : escaped;
}

/** The first few items of a list, then how many more. */
function some(items: readonly string[], max = 3): string {
  return items.length > max ? `${items.slice(0, max).join(", ")} and ${items.length - max} more` : items.join(", ");
}

/** The steps of a preview by URN, in the order they first appear, with what the rules ask of them. */
class StepIndex {
  readonly byUrn = new Map<string, PreviewStep[]>();
  /** Steps by every URN their states had (an aliased credential's old state keeps its old URN). */
  private readonly byAnyUrn = new Map<string, PreviewStep[]>();

  constructor(readonly steps: readonly PreviewStep[]) {
    for (const s of steps) {
      for (const [map, urns] of [
        [this.byUrn, [s.urn]],
        [this.byAnyUrn, new Set([s.urn, s.oldState?.urn, s.newState?.urn])],
      ] as const) {
        for (const urn of urns) {
          if (urn === undefined) continue;
          const list = map.get(urn) ?? [];
          list.push(s);
          map.set(urn, list);
        }
      }
    }
  }

  oldState(urn: string): ResourceState | undefined {
    return (this.byUrn.get(urn) ?? []).find((s) => s.oldState)?.oldState;
  }

  state(urn: string): ResourceState | undefined {
    const steps = this.byUrn.get(urn) ?? [];
    return steps.find((s) => s.oldState)?.oldState ?? steps.find((s) => s.newState)?.newState;
  }

  /** The credential a resource belongs to: its parent, when that is a credential component. */
  credentialOf(urn: string): string | undefined {
    const steps = this.byUrn.get(urn) ?? [];
    const parents = steps.flatMap((s) => [s.oldState?.parent, s.newState?.parent]);
    return parents.find((p): p is string => p !== undefined && CREDENTIAL_TYPES.has(parseUrn(p)?.type ?? ""));
  }

  /** The credential component is deleted in this update: removed from the program, its keys go with it. */
  removed(credential: string): boolean {
    const steps = this.byAnyUrn.get(credential) ?? [];
    return steps.some((s) => DELETES.has(s.op)) && !steps.some((s) => s.newState !== undefined);
  }

  /**
   * The credential is retired in this update or was already: the component registers `{retired: true}` as its own
   * inputs (components/credential.ts `componentInputs`), which the preview prints as the new state's inputs.
   */
  retired(credential: string): boolean {
    return (this.byAnyUrn.get(credential) ?? []).some((s) => s.newState?.inputs.retired === true);
  }

  /**
   * Whether unchanged resources are shown (`--show-sames`): a `same` step of anything but the root stack (always
   * shown) that does not change `protect` (a `same` step that does is always shown too: display.go `shouldShow`).
   */
  showsSames(): boolean {
    return this.steps.some(
      (s) =>
        s.op === "same" &&
        parseUrn(s.urn)?.type !== ROOT_STACK_TYPE &&
        s.oldState?.protect === (s.newState?.protect ?? s.oldState?.protect),
    );
  }
}

/** The class of a credential component, from its type token (`plakar-scaleway-iam:index:InventoryCredential`). */
function credentialLabel(urn: string): string {
  const parts = parseUrn(urn);
  return `${parts?.type.split(":").pop()} "${parts?.name}"`;
}

type AdoptionKind = "import-replacement" | "read-replacement";

/**
 * Whether the steps of a URN replace a managed object by adopting another one: an import-replacement (the program's
 * `import` ID differs from the recorded one: step_generator.go `generateResourceSteps`, `isImport` with an old state)
 * or a read-replacement (`get` of another ID: `GenerateReadSteps`). Both come as a logical `replace` step whose new
 * state carries the new `importID` (or `external`), with no replaceReasons; the steps named so show only with
 * --show-replacement-steps.
 */
function adoption(steps: readonly PreviewStep[]): AdoptionKind | undefined {
  if (steps.some((s) => s.op === "import-replacement")) return "import-replacement";
  if (steps.some((s) => s.op === "read-replacement")) return "read-replacement";
  for (const s of steps) {
    if (!REPLACES.has(s.op) || !s.oldState || !s.newState) continue;
    const recorded = s.oldState.importID ?? s.oldState.id;
    if (s.newState.importID !== undefined && (s.oldState.external || recorded !== s.newState.importID)) {
      return "import-replacement";
    }
    if (s.newState.external && !s.oldState.external) return "read-replacement";
  }
  return undefined;
}

/** What a known replace reason means for an API key (the provider's ForceNew fields and the engine's own keys). */
const KEY_REASONS: Readonly<Record<string, string>> = {
  expiresAt: "expiresAt changes (a pinned expiry set, moved or removed)",
  defaultProjectId: "defaultProjectId changes (another preferred project)",
  applicationId: "applicationId changes (its application replaced, or another one adopted)",
  id: "`--replace` names it",
  provider: "its provider changes",
};

/** Why the steps of a key destroy it, from what the preview says; `created`: the keys its credential creates. */
function keyCause(steps: readonly PreviewStep[], created: readonly string[]): string {
  const kind = adoption(steps);
  if (kind) return `replaced by another object (${kind})`;
  const ops = new Set(steps.map((s) => s.op));
  if ([...ops].some((op) => REPLACES.has(op) || op === "delete-replaced")) {
    const reasons = [...new Set(steps.flatMap((s) => (s.replaceReasons.length > 0 ? s.replaceReasons : [])))];
    const fallback = [...new Set(steps.flatMap((s) => s.diffReasons))];
    const why = (reasons.length > 0 ? reasons : fallback).map((r) =>
      hasOwn(KEY_REASONS, r) ? (KEY_REASONS[r] as string) : `${shown(r, 60)} changes`,
    );
    return why.length > 0 ? `replaced, because ${some(why)}` : "replaced (the preview gives no reason)";
  }
  return created.length > 0
    ? `deleted, no longer declared, while the update creates ${some(created)}, as after a change of rotateEveryDays or overlapDays, or a pinned expiry set or removed`
    : "deleted, no longer declared";
}

type Expiry = { readonly kind: "at"; readonly ms: number } | { readonly kind: "none" | "unreadable" };

/**
 * A key's expiry from its recorded state: the provider's output (what Scaleway holds), else the input. None at all
 * means the key never expires (Scaleway keys expire only when `expiresAt` is set); anything but an RFC 3339 instant
 * ("[secret]", a number) is unreadable. Both count as live: revoking them cuts off whoever holds them.
 */
function expiryOf(state: ResourceState | undefined): Expiry {
  const pick = (map: Readonly<Record<string, unknown>> | undefined) =>
    map && hasOwn(map, "expiresAt") && !absent(map.expiresAt) && map.expiresAt !== "" ? map.expiresAt : undefined;
  const value = pick(state?.outputs) ?? pick(state?.inputs);
  if (value === undefined) return { kind: "none" };
  if (typeof value !== "string" || !Timestamp.safeParse(value).success) return { kind: "unreadable" };
  return { kind: "at", ms: Date.parse(value) };
}

function timeLeft(ms: number): string {
  const hours = Math.floor(ms / (60 * 60 * 1000));
  return hours >= 48 ? `${Math.floor(ms / DAY_MS)} days` : `${hours} hour${hours === 1 ? "" : "s"}`;
}

function liveKeyFindings(index: StepIndex, now: Date): Map<string, string> {
  const out = new Map<string, string>();
  const createdBy = new Map<string, string[]>();
  for (const s of index.steps) {
    const credential = index.credentialOf(s.urn);
    if (s.op !== "create" || !API_KEY_TYPES.has(s.newState?.type ?? "") || !credential) continue;
    const names = createdBy.get(credential) ?? [];
    names.push(parseUrn(s.urn)?.name ?? "");
    createdBy.set(credential, names);
  }
  for (const [urn, steps] of index.byUrn) {
    if (!steps.some((s) => DESTROYS.has(s.op))) continue;
    const state = index.state(urn);
    if (!state || !API_KEY_TYPES.has(state.type)) continue;
    const credential = index.credentialOf(urn);
    if (credential && (index.removed(credential) || index.retired(credential))) continue;
    const old = index.oldState(urn);
    const expiry = expiryOf(old);
    const left = expiry.kind === "at" ? expiry.ms - now.getTime() : Infinity;
    if (left <= EXPIRY_MARGIN_MS) continue;
    const valid =
      expiry.kind === "at"
        ? `valid until ${isoSeconds(expiry.ms)}, ${timeLeft(left)} after ${isoSeconds(now.getTime())}`
        : expiry.kind === "none"
          ? "with no expiry, valid for ever"
          : "with an expiry that is not a date, taken as live";
    const owner = credential
      ? ` of ${credentialLabel(credential)}`
      : state.parent
        ? ` under ${label(state.parent)}`
        : "";
    out.set(
      urn,
      `${label(urn, state.type)}${owner}: would revoke a live API key (${valid}): ${keyCause(steps, (credential && createdBy.get(credential)) || [])}; Plakar loses access with it, whatever the update creates: keep the key until it expires (undo the change), or retire the credential to revoke it on purpose`,
    );
  }
  return out;
}

function adoptionFindings(index: StepIndex): Map<string, string> {
  const out = new Map<string, string>();
  for (const [urn, steps] of index.byUrn) {
    const kind = adoption(steps);
    if (!kind) continue;
    const old = index.oldState(urn);
    // An external old object was never the stack's: the engine only forgets it (`discard-replaced`).
    if (old?.external) continue;
    const wanted = steps.map((s) => s.newState?.importID ?? s.newState?.id).find((id) => id !== undefined);
    const held = old?.id;
    const ids =
      held !== undefined && wanted !== undefined
        ? ` (${shown(wanted)} in place of ${shown(held)})`
        : held !== undefined
          ? ` (in place of ${shown(held)})`
          : "";
    const verb = kind === "import-replacement" ? "import" : "read";
    out.set(
      urn,
      `${label(urn, (old ?? index.state(urn))?.type)}: would ${verb} another object${ids} and delete the one the stack manages (${kind}), which the engine does without checking protect: give back the ID the stack holds (adopt), or take the object out of the stack first if it must live on`,
    );
  }
  return out;
}

/**
 * Deleting a protected resource: the engine refuses it at apply time, per resource (step.go `DeleteStep.Apply`), and
 * deletes in reverse dependency order (step_generator.go `ScheduleDeletes`, deployment_executor.go
 * `performPostSteps`), so `pulumi up` without a preview deletes a removed credential's keys and delivered version
 * before it reaches the protected policy and secret, skips what those depend on, and fails: a credential without
 * keys that every later run fails on again. The engine's own preview reports the refusal as an error (exit 2
 * above); a preview made with `--ignore-protect` (pkg/cmd/pulumi/operations/preview.go) shows the deletes without
 * any error, though the `pulumi up` after it, without the flag, would stop half-way. So check-preview refuses it
 * itself. A replacement is not judged here: the engine refuses replacing a resource that stays protected while it
 * generates the steps, before anything is deleted (step_generator.go `continueStepsFromDiff`), and lets an
 * unprotect-and-replace through on purpose.
 */
function protectedDeleteFindings(index: StepIndex): Map<string, string> {
  const out = new Map<string, string>();
  for (const s of index.steps) {
    if (s.op !== "delete" || !s.oldState?.protect) continue;
    out.set(
      s.urn,
      `${label(s.urn, s.oldState.type)}: would delete a protected resource (delete): \`pulumi up\` refuses it only after deleting what depends on it (the credential's keys), then fails on every run: retire the credential in an update of its own first, or keep it`,
    );
  }
  return out;
}

interface CredentialKeys {
  readonly gone: string[];
  kept: number;
}

/** A credential that stays (not removed, not retired) and keeps no API key. */
function keylessFindings(index: StepIndex): string[] {
  const byCredential = new Map<string, CredentialKeys>();
  for (const [urn, steps] of index.byUrn) {
    const state = index.state(urn);
    if (!state || !API_KEY_TYPES.has(state.type)) continue;
    const credential = index.credentialOf(urn);
    if (!credential) continue;
    const entry = byCredential.get(credential) ?? { gone: [], kept: 0 };
    // A key URN survives any step but a plain delete (a replacement issues a new key under the same name).
    if (steps.every((s) => s.op === "delete")) entry.gone.push(urn);
    else entry.kept++;
    byCredential.set(credential, entry);
  }
  const showsSames = index.showsSames();
  const out: string[] = [];
  for (const [credential, keys] of byCredential) {
    if (keys.gone.length === 0 || keys.kept > 0 || index.removed(credential) || index.retired(credential)) continue;
    const names = keys.gone.map((k) => parseUrn(k)?.name).join(", ");
    const who = credentialLabel(credential);
    out.push(
      showsSames
        ? `${who}: would delete every API key (${names}) while the credential stays: Plakar would lose access; keep a key, or retire or remove the credential`
        : `${who}: would delete API keys (${names}) and the preview shows no key kept: run \`pulumi preview --json --show-sames\` so unchanged keys are visible`,
    );
  }
  return out;
}

/**
 * What the preview would do that check-preview refuses, one line each, judged at `now` (the time of the update):
 * a step it does not know, a live API key revoked, an import- or read-replacement, a protected resource deleted, a
 * credential that stays left without a key. One line per resource (its first finding in that order), in the order
 * of the preview; then one per credential left without a key.
 */
export function previewFindings(preview: Preview, now: Date): string[] {
  const index = new StepIndex(preview.steps);
  const unknownOps = new Map<string, string>();
  for (const [urn, steps] of index.byUrn) {
    const unknown = steps.find((s) => !KNOWN_OPS.has(s.op));
    if (unknown) {
      unknownOps.set(
        urn,
        `${label(urn)}: unknown step "${unknown.op}": check-preview cannot tell whether it deletes anything; upgrade check-preview before applying`,
      );
    }
  }
  const rules = [unknownOps, liveKeyFindings(index, now), adoptionFindings(index), protectedDeleteFindings(index)];
  const perResource = [...index.byUrn.keys()].flatMap((urn) => {
    const line = rules.map((r) => r.get(urn)).find((l) => l !== undefined);
    return line === undefined ? [] : [line];
  });
  return [...perResource, ...keylessFindings(index)];
}
