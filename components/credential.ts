/**
 * What every credential component is made of: its arguments checked before anything is registered, then an IAM
 * application, a policy whose principal is that application, the application's API keys (the current one and,
 * during a rotation overlap, the previous one, handed out only once the policy exists) and, optionally, the current
 * key written into Secret Manager. Each component class (PlakarCredential and one per Plakar use case) is a thin
 * constructor over `planCredential` and `buildCredential`. Each class repeats the same output declarations because
 * Pulumi's schema analyzer (@pulumi/pulumi provider/experimental/analyzer `isPulumiComponent`, `analyzeComponent`)
 * takes a class as a component only when it extends ComponentResource itself, and reads only its own members as
 * outputs: a shared base class would hide them from Python, Go, C# and YAML programs.
 *
 * Which resources exist is decided from which arguments are present and from the plain ones (rotation, retire,
 * adopt), never from an Output's value. Each child's inputs come from the arguments it reads: when they are plain,
 * the values themselves (a preview shows them and the policy pack judges them); when one is an Output, an Output
 * checked once it resolves.
 */
import * as pulumi from "@pulumi/pulumi";
import * as scaleway from "@pulumiverse/scaleway";
import { type ArgumentName, ARGS_NAMING, type CredentialKind, holdsUnknown, specFor } from "./args";
import { COMPONENT_TYPES, LEGACY_CREDENTIAL_TYPE } from "./domain/constants";
import {
  type Access,
  accessOf,
  checkCredential,
  type CredentialSpec,
  deliveryOf,
  descriptionOf,
  formOf,
  keysOf,
  nameOf,
  presetOf,
  type ResolvedCredential,
  tagsOf,
} from "./domain/credential";
import type { DeliveryLocation } from "./domain/delivery";
import { type ConfigIssue, Issues } from "./domain/errors";
import { type ApiKeys, keyResourceName, scheduledGenerations } from "./domain/keys";
import {
  cliCommand,
  deliveredExtraFields,
  type PlakarCliSetting as PlakarCliSettingForm,
  type PlakarForm,
} from "./domain/plakarForm";
import { shippedData } from "./domain/presets";
import type { Rule } from "./domain/scope";
import { isKnown, type MaybeUnknown, UNKNOWN } from "./domain/unknown";
import { SecretDelivery } from "./secretDelivery";

/** Replaces Outputs and promises, at any depth, with UNKNOWN: what the constructor can see right away. Holes stay. */
export function visibleNow(value: unknown): unknown {
  if (pulumi.Output.isInstance(value) || value instanceof Promise) return UNKNOWN;
  if (Array.isArray(value)) return value.map(visibleNow);
  if (value !== null && typeof value === "object" && [Object.prototype, null].includes(Object.getPrototypeOf(value))) {
    return Object.fromEntries(Object.entries(value).map(([k, v]) => [k, visibleNow(v)]));
  }
  return value;
}

/** Raised when the arguments are refused: every problem, each with its key path. */
export class CredentialArgsError extends pulumi.RunError {
  private readonly found: ConfigIssue[];
  constructor(
    readonly kind: string,
    readonly credential: string,
    issues: readonly ConfigIssue[],
  ) {
    super("");
    this.name = "CredentialArgsError";
    this.found = [...issues];
    // One error stands for one credential's refusal, whichever of its resources or outputs meets it first: Pulumi
    // rethrows the same error from each ("error serializing property ...", runtime/rpc.js prefixes its message)
    // and its runner reports an error once (cmd/run-plugin/run.js dedupes by identity). The message stays ours.
    const message = () =>
      `invalid arguments for ${kind} "${credential}":\n${this.found.map((i) => `  ${i.path}: ${i.message}`).join("\n")}`;
    Object.defineProperty(this, "message", { get: message, set: () => undefined, configurable: true });
    // Like every RunError, no stack trace: the message says what to fix. (A component provider logs `err.stack`.)
    Object.defineProperty(this, "stack", { get: () => `${this.name}: ${message()}`, configurable: true });
  }

  /** Every problem found, each once. */
  get issues(): readonly ConfigIssue[] {
    return this.found;
  }

  /** Adds problems found later, in another part of the same credential; returns those it did not hold yet. */
  add(issues: readonly ConfigIssue[]): ConfigIssue[] {
    const fresh: ConfigIssue[] = [];
    for (const issue of issues) {
      if (!this.found.some((i) => i.path === issue.path && i.message === issue.message)) fresh.push(issue);
    }
    this.found.push(...fresh);
    return fresh;
  }
}

/** A key as handed out, without its secret (see `secretKey`). */
export interface IssuedKey {
  /** The key's access key (empty once revoked). */
  accessKey: string;
  /** When the key expires (RFC 3339). */
  expiresAt: string;
  /** First day of the key's rotation generation; absent for a pinned expiry. */
  generation?: string;
}

/** The keys in force. */
export interface IssuedKeys {
  /** The key in use. */
  current: IssuedKey;
  /** The previous generation's key, during a rotation overlap. */
  previous?: IssuedKey;
}

/** The Secret Manager secret a credential's current key is written into. */
export interface DeliveryInfo {
  /** The bare secret ID Plakar references (`<secret_id>#<field>`). */
  secretId: string;
  /** The secret's full path: `<folder>/<name>`. */
  path: string;
  /** The project that holds the secret. */
  projectId: string;
  /** The secret's region. */
  region: string;
}

/** What the credential may do, as its policy says it. */
export interface CredentialAccess {
  /** The use case: the preset's name, or "custom". */
  useCase: string;
  /** The policy's rules: each its projects (or all projects) and its permission sets. */
  rules: PolicyRule[];
  /** Every permission set the credential holds, in any rule, sorted. */
  permissionSets: string[];
  /** Every project a rule reaches, sorted (empty when a rule reaches all projects). */
  projectIds: string[];
  /** True when a rule reaches every current and future project of the organization. */
  allProjects: boolean;
  /** The key's Object Storage preferred project; set exactly when it holds Object Storage sets. */
  preferredProjectId?: string;
}

/** One rule of the credential's policy: permission sets on one scope. */
export interface PolicyRule {
  /** The projects the rule reaches (absent for all projects). */
  projectIds?: string[];
  /** True when the rule reaches every current and future project of the organization. */
  allProjects?: boolean;
  /** The permission sets, sorted. */
  permissionSets: string[];
}

/** A line of Plakar's form: a value, or a hint when the program cannot know it. */
export interface PlakarField {
  /** The field as Plakar labels it. */
  label: string;
  /** What to type, when known (never a secret key). */
  value?: string;
  /** What to type, when the program cannot know it. */
  hint?: string;
}

/** One `key=value` option of a Plakar CLI configuration: a value, where to read a secret, or a hint. */
export interface PlakarCliSetting {
  /** The option's key, as the integration reads it (`access_key`, `project_id`...). */
  key: string;
  /** The value, when known (never a secret key). */
  value?: string;
  /**
   * For the secret key: where to read it, never the key itself (the Secret Manager reference `<secret_id>#secret_key`
   * for a delivered credential, else the component's secretKey output).
   */
  secretFrom?: string;
  /** What to type, when the program cannot know it. */
  hint?: string;
}

/** One configuration of Plakar's own CLI the credential serves. */
export interface PlakarCliConfiguration {
  /** The configuration: "source", "store" or "destination" (`plakar <role> add`). */
  role: string;
  /** The Plakar package it needs (`plakar pkg add <integration>`): "s3" or "scaleway". */
  integration: string;
  /** The location, with <placeholders> for what the user fills in. */
  location: string;
  /** What to put in place of the location's placeholders. */
  locationHint?: string;
  /** The options besides the location, in the order of the integration's documentation. */
  settings: PlakarCliSetting[];
  /** The command that adds it, with `<key>` where the user fills in a value (the secret key always). */
  command: string;
}

/** What to type into Plakar for this credential. */
export interface PlakarInstructions {
  /** The Plakar integration the credential is for. */
  integration: string;
  /** For a delivered credential: the secret Plakar's secret provider reads. */
  secretId?: string;
  /** Plakar's form, field by field, in the order of its page. */
  fields: PlakarField[];
  /**
   * What Plakar's own open-source CLI takes instead: one configuration per role the credential can play (a source, a
   * store, a destination). Absent for custom permission sets, and where the CLI has no counterpart (inventories and
   * secret providers are Plakar Control Plane features).
   */
  cli?: PlakarCliConfiguration[];
}

/** Options of a credential component: Pulumi's, and the clock. */
export interface CredentialOptions extends pulumi.ComponentResourceOptions {
  /**
   * The time that decides the key generations. Leave it to the real time; the offline plan sets it to preview a
   * date (TypeScript only).
   */
  now?: Date;
}

/** What every credential component outputs. */
export interface CredentialOutputs {
  readonly applicationId: pulumi.Output<string>;
  readonly policyId: pulumi.Output<string>;
  readonly accessKey: pulumi.Output<string>;
  readonly secretKey: pulumi.Output<string>;
  readonly previousSecretKey?: pulumi.Output<string>;
  readonly expiresAt: pulumi.Output<string>;
  readonly keys: pulumi.Output<IssuedKeys>;
  readonly access: pulumi.Output<CredentialAccess>;
  readonly delivery?: pulumi.Output<DeliveryInfo>;
  readonly plakar: pulumi.Output<PlakarInstructions>;
}

/** Everything decided before the component registers: its arguments checked, its keys named. */
export interface CredentialPlan {
  readonly kind: CredentialKind;
  readonly name: string;
  readonly stack: string;
  readonly now: Date;
  readonly args: Readonly<Record<string, unknown>>;
  /** The arguments as seen at construction: every Output replaced by UNKNOWN. */
  readonly visible: Readonly<Record<string, unknown>>;
  readonly spec: CredentialSpec;
  /** The whole credential, when no argument is an Output. */
  readonly resolved?: ResolvedCredential;
  readonly retired: boolean;
  /**
   * The component's own inputs: only a plain flag (never arguments holding Outputs, which crash this SDK), so that a
   * preview shows the credential is retired and check-preview lets it lose its keys.
   */
  readonly componentInputs: { readonly retired?: true };
  /** Options for the component itself: Pulumi's, without `now`, with the aliases that keep old URNs. */
  readonly componentOptions: pulumi.ComponentResourceOptions;
}

/** The arguments given as a plain object of values: anything else is refused at `args`. */
function argumentValues(kind: CredentialKind, name: string, args: unknown): Record<string, unknown> {
  if (args !== null && typeof args === "object" && !Array.isArray(args) && !pulumi.Output.isInstance(args)) {
    return args as Record<string, unknown>;
  }
  throw new CredentialArgsError(kind, name, [{ path: "args", message: "must be an object of arguments" }]);
}

/**
 * Checks a component's arguments and options before anything is registered (the shape first, every problem of it
 * at once; then what the values mean), and decides what it is made of. Throws CredentialArgsError.
 */
export function planCredential(
  kind: CredentialKind,
  name: string,
  rawArgs: unknown,
  opts: CredentialOptions | undefined,
): CredentialPlan {
  const args = argumentValues(kind, name, rawArgs);
  const stack = pulumi.getStack();
  const issues = new Issues();
  const now = opts?.now ?? new Date();
  if (!(now instanceof Date) || Number.isNaN(now.getTime())) {
    issues.add("opts.now", "must be a valid Date (leave it out to use the real time)");
  }
  const visible = visibleNow(args) as Record<string, unknown>;
  const spec = specFor(kind, name, stack, visible, ARGS_NAMING, issues);
  const resolved = issues.count === 0 ? checkCredential(spec, { ...shippedData(), now }, issues) : undefined;
  if (issues.count > 0) throw new CredentialArgsError(kind, name, issues.list);

  const retired = args.retire === true;
  const { now: _now, ...options } = opts ?? {};
  const aliases = kind === "PlakarCredential" ? [] : [{ type: COMPONENT_TYPES.PlakarCredential }];
  return {
    kind,
    name,
    stack,
    now,
    args,
    visible,
    spec,
    ...(resolved ? { resolved } : {}),
    retired,
    componentInputs: retired ? { retired: true } : {},
    componentOptions: {
      ...options,
      // A retired credential is on its way out: nothing of it may block its removal in the next update.
      ...(retired ? { protect: false } : {}),
      aliases: [...(options.aliases ?? []), ...aliases, { type: LEGACY_CREDENTIAL_TYPE }],
    },
  };
}

/** The arguments each part of a credential is computed from: a part waits only for these. */
const READS = {
  name: ["name"],
  useCase: ["preset", "readOnly"],
  description: ["description", "preset", "readOnly"],
  tags: ["tags", "preset", "readOnly"],
  access: [
    "organizationId",
    "projectIds",
    "allProjects",
    "preset",
    "readOnly",
    "permissionSets",
    "rules",
    "preferredProjectId",
    "stagingProjectId",
  ],
  keys: ["description", "preset", "readOnly", "expiresAt", "maxLifetimeDays"],
  location: ["delivery", "preset", "readOnly"],
} as const;

/** Plakar's form reads nearly everything: the name, the access, the region, the delivery. */
const FORM_READS: readonly ArgumentName[] = [...READS.name, ...READS.access, "delivery", "region"];

/** `f` of a value that is plain or an Output: plain stays plain, so a preview shows it. */
function map<T, U>(value: T | pulumi.Output<T>, f: (v: T) => U): U | pulumi.Output<U> {
  return pulumi.Output.isInstance(value) ? value.apply(f) : f(value as T);
}

/** `f` of two values, each plain or an Output: plain when both are. */
function both<A, B, U>(a: A | pulumi.Output<A>, b: B | pulumi.Output<B>, f: (a: A, b: B) => U): U | pulumi.Output<U> {
  if (!pulumi.Output.isInstance(a) && !pulumi.Output.isInstance(b)) return f(a as A, b as B);
  return pulumi.all([out(a), out(b)]).apply(([x, y]) => f(x as A, y as B));
}

/** A value that is plain or an Output, as an Output (for outputs, which are always Outputs). */
function out<T>(value: T | pulumi.Output<T>): pulumi.Output<T> {
  return pulumi.Output.isInstance(value) ? value : pulumi.output(value as never);
}

/** A value, plain when every argument it reads is, else an Output. */
type Part<T> = T | pulumi.Output<T>;

/** The parts of a credential: plain when the arguments they read are, else Outputs checked when they resolve. */
interface Parts {
  readonly name: Part<string>;
  readonly useCase: Part<string>;
  readonly description: Part<string>;
  readonly tags: Part<readonly string[]>;
  readonly access: Part<Access>;
  readonly keys: Part<ApiKeys>;
  /** Where the key is delivered, when it is. */
  readonly location?: Part<DeliveryLocation>;
  /** The plain values the delivered secret holds beside the key (Plakar's form's project ID, region). */
  readonly extraFields?: Part<Record<string, string>>;
  readonly form: Part<PlakarForm>;
}

/**
 * The one refusal of a credential whose arguments resolve later, whichever part finds it first. In an update, every
 * part throws the same error (see CredentialArgsError), so Pulumi reports it once and creates nothing of the
 * credential (the gate). In a preview, each problem is logged once as an error of the component (parts resolve one
 * by one: one part's problems, then those another part finds), and the parts it spoils become unknown, so the
 * preview still completes and fails with those errors.
 */
class Refusal {
  private error?: CredentialArgsError;
  constructor(
    private readonly plan: CredentialPlan,
    private readonly component: pulumi.Resource,
  ) {}

  /** The refusal, as an error: thrown in an update. */
  fail(issues: readonly ConfigIssue[]): never {
    throw this.record(issues).error;
  }

  /** The refusal, in a preview: problems not logged yet are logged, and what it spoils becomes unknown. */
  preview(issues: readonly ConfigIssue[]): never {
    const { fresh } = this.record(issues);
    if (fresh.length > 0) {
      const message = new CredentialArgsError(this.plan.kind, this.plan.name, fresh).message;
      void pulumi.log.error(message, this.component);
    }
    return pulumi.unknown as never;
  }

  /** Records the problems on the credential's one error; `fresh` are those it did not hold yet. */
  private record(issues: readonly ConfigIssue[]): { error: CredentialArgsError; fresh: readonly ConfigIssue[] } {
    if (this.error) return { error: this.error, fresh: this.error.add(issues) };
    this.error = new CredentialArgsError(this.plan.kind, this.plan.name, issues);
    return { error: this.error, fresh: issues };
  }
}

function partsOf(plan: CredentialPlan, refusal: Refusal, gate: Promise<unknown> | undefined): Parts {
  const { resolved } = plan;
  if (resolved) {
    return {
      name: resolved.name,
      useCase: resolved.useCase,
      description: resolved.description,
      tags: resolved.tags,
      access: resolved,
      keys: resolved.keys,
      ...(resolved.delivery ? { location: resolved.delivery, extraFields: resolved.delivery.extraFields } : {}),
      form: resolved.plakar,
    };
  }
  const data = shippedData();
  const nowMs = plan.now.getTime();
  /**
   * A part computed from the arguments it reads: now, or once those that are Outputs resolve. `compute` reports what
   * it refuses to `issues` (thrown as the component's CredentialArgsError) and returns the part.
   */
  const part = <T>(
    reads: readonly ArgumentName[],
    compute: (spec: CredentialSpec, issues: Issues) => MaybeUnknown<T> | undefined,
  ): T | pulumi.Output<T> => {
    const run = (spec: CredentialSpec, issues: Issues): T => {
      const value = compute(spec, issues);
      if (issues.count > 0) return pulumi.runtime.isDryRun() ? refusal.preview(issues.list) : refusal.fail(issues.list);
      if (value === undefined || !isKnown(value)) {
        throw new Error(`internal: a part of ${plan.kind} "${plan.name}" is still unknown with every argument known`);
      }
      return value;
    };
    const late = reads.filter((r) => holdsUnknown(plan.visible[r]));
    if (late.length === 0) return run(plan.spec, new Issues());
    const given = Object.fromEntries(late.map((r) => [r, plan.args[r]]));
    return pulumi.output(given).apply(async (values) => {
      // In an update, the whole credential is checked first: a refusal is the one the gate found.
      if (gate) await gate;
      const issues = new Issues();
      const visible = { ...plan.visible, ...(visibleNow(values) as Record<string, unknown>) };
      return run(specFor(plan.kind, plan.name, plan.stack, visible, ARGS_NAMING, issues), issues);
    });
  };
  /** Plakar's form, once the name, the access and the delivery location are known and accepted. */
  const whole = (s: CredentialSpec, i: Issues) => {
    const name = nameOf(s, i);
    const { preset, useCase } = presetOf(s, data, i);
    const access = accessOf(s, data, i);
    if (!isKnown(name) || access === undefined || !isKnown(access)) return undefined;
    const location = deliveryOf(s, useCase, i);
    if (location === UNKNOWN) return undefined;
    return { form: formOf({ name }, access, preset, s.region as string | undefined, location) };
  };
  return {
    name: part(READS.name, (s, i) => nameOf(s, i)),
    useCase: part(READS.useCase, (s, i) => presetOf(s, data, i).useCase),
    description: part(READS.description, (s, i) => descriptionOf(s, data, i)),
    tags: part(READS.tags, (s, i) => tagsOf(s, data, i)),
    access: part(READS.access, (s, i) => accessOf(s, data, i)),
    keys: part(READS.keys, (s, i) => {
      const description = descriptionOf(s, data, i);
      return isKnown(description) ? keysOf(s, description, nowMs, i)?.keys : undefined;
    }),
    ...(plan.spec.delivery
      ? {
          location: part(READS.location, (s, i) => {
            const location = deliveryOf(s, presetOf(s, data, i).useCase, i);
            if (location === undefined && i.count === 0) {
              // Present when the component was built (so its secret exists), gone once resolved.
              i.add(s.paths.delivery, "resolved to no value: give { projectId, region, path }, or leave delivery out");
            }
            return location;
          }),
          extraFields: part(FORM_READS, (s, i) => {
            const w = whole(s, i);
            return w && deliveredExtraFields(w.form);
          }),
        }
      : {}),
    form: part(FORM_READS, (s, i) => whole(s, i)?.form),
  };
}

/**
 * In an update, when an argument is an Output: every argument resolved and the whole credential checked, before any
 * of its resources is created (a refusal then leaves nothing half-made). A plain promise, so that waiting for it
 * adds no dependency. A preview does not wait: it shows what is known.
 */
function lateGate(plan: CredentialPlan, refusal: Refusal): Promise<pulumi.Resource[]> | undefined {
  if (plan.resolved || pulumi.runtime.isDryRun()) return undefined;
  const gate = new Promise<pulumi.Resource[]>((resolve, reject) => {
    pulumi.output(plan.args).apply((values) => {
      const issues = new Issues();
      const visible = visibleNow(values) as Record<string, unknown>;
      const spec = specFor(plan.kind, plan.name, plan.stack, visible, ARGS_NAMING, issues);
      if (issues.count === 0) checkCredential(spec, { ...shippedData(), now: plan.now }, issues);
      if (issues.count === 0) return resolve([]);
      try {
        refusal.fail(issues.list);
      } catch (err) {
        reject(err);
      }
    });
  });
  // Whoever waits for the gate reports its refusal; the gate itself is not a second report.
  gate.catch(() => undefined);
  return gate;
}

function accessInfo(useCase: string, access: Access): CredentialAccess {
  return {
    useCase,
    rules: access.rules.map(policyRule),
    permissionSets: [...access.permissionSets],
    // The domain lists each project once, sorted by its label: in a component, its ID.
    projectIds: access.projects === "*" ? [] : access.projects.map((p) => p.id),
    allProjects: access.projects === "*",
    ...(access.preferredProject ? { preferredProjectId: access.preferredProject.id } : {}),
  };
}

function policyRule(rule: Rule): PolicyRule {
  return "organizationId" in rule
    ? { allProjects: true, permissionSets: [...rule.permissionSetNames] }
    : { projectIds: [...rule.projectIds], permissionSets: [...rule.permissionSetNames] };
}

function scalewayRule(rule: Rule) {
  return "organizationId" in rule
    ? { organizationId: rule.organizationId, permissionSetNames: [...rule.permissionSetNames] }
    : { projectIds: [...rule.projectIds], permissionSetNames: [...rule.permissionSetNames] };
}

/** Where Plakar's secret key field comes from, for a credential that is not delivered: never the key itself. */
export const SECRET_KEY_HINT = "the component's secretKey output (a Pulumi secret)";

function plakarInstructions(form: PlakarForm, accessKey: string, secretId: string | undefined): PlakarInstructions {
  // Plakar's CLI configurations: the access key and every known value in place; the secret key referenced, never
  // given. The CLI has no secret provider, so a delivered key is read from its secret (`<secret_id>#secret_key`).
  const valueOf = (s: PlakarCliSettingForm) => (s.from === "accessKey" ? accessKey : s.value);
  const cli = (form.cli ?? []).map((c): PlakarCliConfiguration => ({
    role: c.role,
    integration: c.integration,
    location: c.location,
    ...(c.hint ? { locationHint: c.hint } : {}),
    settings: c.settings.map((s): PlakarCliSetting => {
      if (s.from === "secretKey") {
        return { key: s.key, secretFrom: secretId !== undefined ? `${secretId}#secret_key` : SECRET_KEY_HINT };
      }
      const value = valueOf(s);
      return value !== undefined ? { key: s.key, value } : { key: s.key, ...(s.hint ? { hint: s.hint } : {}) };
    }),
    command: cliCommand(c, valueOf),
  }));
  return {
    integration: form.integration,
    ...(secretId !== undefined ? { secretId } : {}),
    fields: form.fields.map((field): PlakarField => {
      if (secretId !== undefined && field.secretField) {
        return { label: field.label, value: `${secretId}#${field.secretField}` };
      }
      if (field.from === "accessKey") return { label: field.label, value: accessKey };
      if (field.from === "secretKey") return { label: field.label, hint: SECRET_KEY_HINT };
      return field.value !== undefined
        ? { label: field.label, value: field.value }
        : { label: field.label, ...(field.hint ? { hint: field.hint } : {}) };
    }),
    ...(cli.length > 0 ? { cli } : {}),
  };
}

/** Registers the credential's resources under `parent`, the component, and returns its outputs. */
export function buildCredential(parent: pulumi.ComponentResource, plan: CredentialPlan): CredentialOutputs {
  const { name, retired } = plan;
  const refusal = new Refusal(plan, parent);
  const gate = lateGate(plan, refusal);
  const parts = partsOf(plan, refusal, gate);
  const adopt = plan.args.adopt as { applicationId: string; policyId: string } | undefined;
  const retainOnDelete = plan.componentOptions.retainOnDelete;
  // The application, the policy and the secret inherit `protect` from the component (and so from whatever
  // encloses it; a retired credential's component is unprotected, see planCredential); `retainOnDelete`, which
  // Pulumi does not pass down, is given here.
  const kept: pulumi.CustomResourceOptions = {
    parent,
    ...(retainOnDelete !== undefined ? { retainOnDelete } : {}),
  };

  const application = new scaleway.iam.Application(
    `${name}-app`,
    {
      name: parts.name,
      description: parts.description,
      organizationId: plan.args.organizationId as pulumi.Input<string>,
      tags: map(parts.tags, (t) => [...t]),
    },
    { ...kept, ...(gate ? { dependsOn: gate } : {}), ...(adopt ? { import: adopt.applicationId } : {}) },
  );

  const policy = new scaleway.iam.Policy(
    `${name}-policy`,
    {
      name: parts.name,
      description: parts.description,
      organizationId: plan.args.organizationId as pulumi.Input<string>,
      tags: map(parts.tags, (t) => [...t]),
      applicationId: application.id,
      rules: map(parts.access, (a) => a.rules.map(scalewayRule)),
    },
    { ...kept, ...(adopt ? { import: adopt.policyId } : {}) },
  );

  // Which keys exist is known now (the rotation is plain); what they hold comes from the parts.
  const generations = retired ? {} : scheduledGenerations(plan.spec.expiry, plan.now.getTime());
  const issueKey = (slot: "current" | "previous", generation: string | undefined) => {
    const wanted = map(parts.keys, (k) => {
      const key = k[slot];
      if (!key) throw new Error(`internal: no ${slot} key for generation ${generation}`);
      return key;
    });
    const apiKey = new scaleway.iam.ApiKey(
      keyResourceName(name, generation),
      {
        applicationId: application.id,
        description: map(wanted, (k) => k.description),
        expiresAt: map(wanted, (k) => k.expiresAt),
        defaultProjectId: map(parts.access, (a) => a.preferredProject?.id),
      },
      {
        parent,
        dependsOn: [policy],
        // Never protected nor retained: rotation deletes old keys, which Pulumi refuses for a protected resource
        // and leaves alive for a retained one. A rotated key keeps the expiry it was created with: a new
        // overlapDays must not replace the live key in place (the provider replaces on expiresAt); it applies from
        // the next generation.
        protect: false,
        ...(generation ? { ignoreChanges: ["expiresAt"] } : {}),
      },
    );
    return {
      // The key is created only once the policy exists (dependsOn), so its access key is handed out after it.
      accessKey: apiKey.accessKey,
      // The provider marks secretKey secret, but only the engine honours that; wrap it ourselves.
      secretKey: pulumi.secret(apiKey.secretKey),
      // The key's actual expiry (what check-expiry must judge), not the one computed today: the provider always
      // returns the one the key was created with.
      expiresAt: apiKey.expiresAt as pulumi.Output<string>,
      generation,
    };
  };
  // A retired credential holds no key: its outputs are empty, its secret keeps no version.
  const revoked = {
    accessKey: pulumi.output(""),
    secretKey: pulumi.secret(""),
    expiresAt: pulumi.output(""),
    generation: undefined,
  };
  const current = retired ? revoked : issueKey("current", generations.current?.generation);
  const previous = generations.previous ? issueKey("previous", generations.previous.generation) : undefined;

  let secretId: pulumi.Output<string> | undefined;
  let delivery: pulumi.Output<DeliveryInfo> | undefined;
  if (parts.location && parts.extraFields) {
    const where = parts.location;
    const secret = new SecretDelivery(
      `${name}-delivery`,
      {
        secretName: name,
        folder: map(where, (w) => w.folder),
        projectId: map(where, (w) => w.project.id),
        region: map(where, (w) => w.region),
        tags: map(parts.tags, (t) => [...t]),
        extraFields: parts.extraFields,
        accessKey: current.accessKey,
        secretKey: current.secretKey,
        generation: current.generation,
        // Scaleway's own deletion protection follows the protect given to this component.
        protect: !retired && plan.componentOptions.protect === true,
        revoked: retired,
        gate,
      },
      {
        parent,
        ...(retainOnDelete !== undefined ? { retainOnDelete } : {}),
        ...(gate ? { dependsOn: gate } : {}),
      },
    );
    secretId = secret.secretId;
    delivery = pulumi.all([secret.secretId, where]).apply(([id, w]) => ({
      secretId: id,
      path: w.fullPath,
      projectId: w.project.id,
      region: w.region,
    }));
  }

  // A refused credential's resources are never registered, so their outputs never resolve: each output also waits
  // for the gate, and so rejects with its refusal instead of leaving a caller (a construct call) waiting forever.
  const settled = <T>(o: pulumi.Output<T>): pulumi.Output<T> => (gate ? pulumi.output(gate).apply(() => o) : o);
  const slots = previous ? [current, previous] : [current];
  const keys = pulumi.all(slots.flatMap((k) => [k.accessKey, k.expiresAt])).apply((values): IssuedKeys => {
    const [c, p] = slots.map((k, i): IssuedKey => ({
      accessKey: values[2 * i],
      expiresAt: values[2 * i + 1],
      ...(k.generation ? { generation: k.generation } : {}),
    }));
    return p ? { current: c, previous: p } : { current: c };
  });
  const plakar = pulumi
    .all([parts.form, current.accessKey, secretId])
    .apply(([form, accessKey, id]) => plakarInstructions(form, accessKey, id));
  return {
    applicationId: settled(application.id),
    policyId: settled(policy.id),
    accessKey: settled(current.accessKey),
    secretKey: settled(current.secretKey),
    ...(previous ? { previousSecretKey: settled(previous.secretKey) } : {}),
    expiresAt: settled(current.expiresAt),
    keys: settled(keys),
    access: out(both(parts.useCase, parts.access, accessInfo)),
    ...(delivery ? { delivery: settled(delivery) } : {}),
    plakar: settled(plakar),
  };
}
