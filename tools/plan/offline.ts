/**
 * The offline plan: runs the real index.ts under Pulumi's mock runtime, with no engine, no network and no Scaleway
 * credentials, and records every resource registration as the engine would receive it (type, name, parent, inputs,
 * and every option that changes what the engine does: protect, dependsOn, ignoreChanges, aliases, replaceOnChanges,
 * deleteBeforeReplace, retainOnDelete, additionalSecretOutputs). IDs and keys are deterministic fakes; every secret is
 * shown as "[secret]".
 */
import * as fs from "fs";
import * as path from "path";
import * as pulumi from "@pulumi/pulumi";
import stack from "../../index";
import { parse as parseYaml } from "yaml";
import { compare } from "../../components/domain/credential";
import { ConfigError, configIssuesOf } from "../../components/domain/errors";
import { shippedData } from "../../components/domain/presets";
import { isoSeconds } from "../../components/domain/rotation";
import { planStack, type StackPlan } from "../../stack/credentials";
import { MAX_CONFIG_BYTES, namespaceConfig, parseStackFile } from "../../stack/config";
import { readInputFile } from "../cli";
import { digest, scalewayMocks, withoutStackTraces } from "./mocks";

export const SECRET_PLACEHOLDER = "[secret]";
const SECRET_SIG_KEY = "4dabf18193072939515e22adb298388d";
const SECRET_SIG = "1b47061264138c4ac30d75fd1eb44270";

export interface OfflineOptions {
  /** The project's directory (holds Pulumi.yaml and index.ts). */
  readonly root: string;
  /** @default "staging" */
  readonly stack?: string;
  /** A file in the stack-file format. @default `<root>/Pulumi.<stack>.yaml` */
  readonly configFile?: string;
  /** The clock for every time-based decision. @default the real clock */
  readonly now?: Date;
  /** The secret key the mocked provider returns for a new API key. @default a fake derived from the key's name */
  readonly secretKeyFor?: (resourceName: string) => string;
  /** The program to run: called with the clock, returns the stack outputs. @default the stack (index.ts) */
  readonly program?: Program;
}

export interface PlannedResource {
  readonly urn: string;
  readonly type: string;
  readonly name: string;
  readonly id: string | null;
  readonly parent: string | null;
  readonly protect: boolean;
  readonly dependsOn: readonly string[];
  /** Properties whose changes the engine ignores (`ignoreChanges`). */
  readonly ignoreChanges: readonly string[];
  /** Aliases as the engine receives them: a URN, or a spec (only the fields the SDK set). */
  readonly aliases: readonly (string | AliasSpec)[];
  readonly replaceOnChanges: readonly string[];
  /** `null` when the program leaves it to the provider's diff (the engine's default). */
  readonly deleteBeforeReplace: boolean | null;
  readonly retainOnDelete: boolean;
  readonly additionalSecretOutputs: readonly string[];
  /** The ID the engine imports the resource from (`import`, set by `adopt`); absent when it creates it. */
  readonly import?: string;
  readonly inputs: unknown;
}

/** One `Alias.Spec` of a RegisterResourceRequest (proto/alias_pb.d.ts); empty fields left out. */
export interface AliasSpec {
  readonly name?: string;
  readonly type?: string;
  readonly stack?: string;
  readonly project?: string;
  readonly parentUrn?: string;
  readonly noParent?: true;
}

export interface OfflinePlan {
  readonly stack: string;
  readonly project: string;
  readonly now: string;
  readonly resources: readonly PlannedResource[];
  /** The stack outputs, secrets replaced by "[secret]". */
  readonly outputs: Record<string, unknown>;
  /** The stack's config as the program read and checked it, for the human-readable views. */
  readonly resolved: StackPlan;
}

/** Replaces Pulumi's serialized secrets with "[secret]" and sorts object keys (byte-stable JSON). */
export function redactSecrets(value: unknown): unknown {
  if (Array.isArray(value)) return value.map(redactSecrets);
  if (value && typeof value === "object") {
    const obj = value as Record<string, unknown>;
    if (obj[SECRET_SIG_KEY] === SECRET_SIG) return SECRET_PLACEHOLDER;
    return Object.fromEntries(
      Object.keys(obj)
        .sort()
        .map((k) => [k, redactSecrets(obj[k])]),
    );
  }
  return value;
}

interface StructLike {
  toJavaScript(): Record<string, unknown>;
}

interface RegisterRequest {
  getType(): string;
  getName(): string;
  getParent(): string;
  getProtect(): boolean | undefined;
  getDependenciesList(): string[];
  getObject(): StructLike | undefined;
  getIgnorechangesList(): string[];
  getAliasesList(): AliasMessage[];
  getAliasurnsList(): string[];
  getReplaceonchangesList(): string[];
  getDeletebeforereplace(): boolean;
  getDeletebeforereplacedefined(): boolean;
  getRetainondelete(): boolean | undefined;
  getAdditionalsecretoutputsList(): string[];
  getImportid(): string;
}

/** proto/alias_pb.d.ts: an alias is either a URN or a spec. */
interface AliasMessage {
  hasUrn(): boolean;
  getUrn(): string;
  getSpec():
    | {
        getName(): string;
        getType(): string;
        getStack(): string;
        getProject(): string;
        hasParenturn(): boolean;
        getParenturn(): string;
        hasNoparent(): boolean;
        getNoparent(): boolean;
      }
    | undefined;
}

/** The aliases of a request as the engine reads them: structured aliases, then any legacy alias URNs. */
function aliasesOf(req: RegisterRequest): (string | AliasSpec)[] {
  const structured = req.getAliasesList().map((alias): string | AliasSpec => {
    const spec = alias.getSpec();
    if (alias.hasUrn() || !spec) return alias.getUrn();
    return {
      ...(spec.getName() ? { name: spec.getName() } : {}),
      ...(spec.getType() ? { type: spec.getType() } : {}),
      ...(spec.getStack() ? { stack: spec.getStack() } : {}),
      ...(spec.getProject() ? { project: spec.getProject() } : {}),
      ...(spec.hasParenturn() ? { parentUrn: spec.getParenturn() } : {}),
      ...(spec.hasNoparent() && spec.getNoparent() ? { noParent: true as const } : {}),
    };
  });
  return [...structured, ...req.getAliasurnsList()];
}

interface RegisterResponse {
  getUrn(): string;
  getId(): string;
}

type Callback = (err: Error | null, response?: RegisterResponse) => void;

interface MockMonitorLike {
  registerResource(req: RegisterRequest, callback: Callback): Promise<void>;
  resources: Map<string, { state: unknown }>;
}

/** Wraps the mock monitor so that each registration is recorded with what the engine would see. */
function recordRegistrations(monitor: MockMonitorLike): PlannedResource[] {
  const recorded: PlannedResource[] = [];
  const register = monitor.registerResource.bind(monitor);
  monitor.registerResource = (req, callback) =>
    register(req, (err, response) => {
      if (!err && response) {
        recorded.push({
          urn: response.getUrn(),
          type: req.getType(),
          name: req.getName(),
          id: response.getId() || null,
          parent: req.getParent() || null,
          protect: req.getProtect() ?? false,
          dependsOn: [...req.getDependenciesList()].sort(),
          ignoreChanges: [...req.getIgnorechangesList()],
          aliases: aliasesOf(req),
          replaceOnChanges: [...req.getReplaceonchangesList()],
          deleteBeforeReplace: req.getDeletebeforereplacedefined() ? req.getDeletebeforereplace() : null,
          retainOnDelete: req.getRetainondelete() ?? false,
          additionalSecretOutputs: [...req.getAdditionalsecretoutputsList()],
          ...(req.getImportid() ? { import: req.getImportid() } : {}),
          inputs: redactSecrets(req.getObject()?.toJavaScript() ?? {}),
        });
      }
      callback(err, response);
    });
  return recorded;
}

export function readProjectName(root: string): string {
  const file = path.join(root, "Pulumi.yaml");
  const doc = parseYaml(fs.readFileSync(file, "utf8")) as { name?: unknown } | null;
  if (typeof doc?.name !== "string") throw new Error(`${file}: no project "name"`);
  return doc.name;
}

/**
 * Loads a stack file: refused unless it is a regular file of at most 1 MiB (checked before reading), parsed the way
 * the Pulumi CLI reads it. Errors name the file (and line and column), never a flag the user may not have passed.
 */
export function readStackConfig(
  root: string,
  project: string,
  stack: string,
  configFile?: string,
): Record<string, string> {
  const file = configFile ? path.resolve(configFile) : path.join(root, `Pulumi.${stack}.yaml`);
  const hint = configFile ? undefined : `create Pulumi.${stack}.yaml or pass --config FILE`;
  const text = readInputFile(file, MAX_CONFIG_BYTES, hint);
  return parseStackFile(text, project, file).config;
}

/** A Pulumi program as a function: given the clock, registers resources and returns the stack outputs. */
export type Program = (options: { now: Date }) => Promise<Record<string, unknown>> | Record<string, unknown>;

/** The stack: a static import, so a bundler (tools/run.js) compiles index.ts with the runner. */
const stackProgram: Program = (options) => stack(options);

/**
 * Runs index.ts under the mock runtime. Throws ConfigError (every problem, with its key path) for a bad config;
 * nothing is registered in that case, since the program validates before it builds.
 */
export async function runOffline(options: OfflineOptions): Promise<OfflinePlan> {
  const root = path.resolve(options.root);
  const stack = options.stack ?? "staging";
  const project = readProjectName(root);
  const config = readStackConfig(root, project, stack, options.configFile);
  const now = options.now ?? new Date();
  const secretKeyFor = options.secretKeyFor ?? ((name: string) => `offline-${digest(`secret::${name}`).slice(0, 32)}`);

  await pulumi.runtime.setMocks(scalewayMocks(secretKeyFor), project, stack, false);
  const monitor = pulumi.runtime.getMonitor() as unknown as MockMonitorLike;
  const recorded = recordRegistrations(monitor);
  pulumi.runtime.setAllConfig(config);
  // What the program reads (the SDK normalises keys on the way): the human views resolve this very map.
  const programConfig = pulumi.runtime.allConfig();

  let programError: unknown;
  const program = options.program ?? stackProgram;
  await withoutStackTraces(async () => {
    await pulumi.runtime.runInPulumiStack(async () => {
      try {
        return await program({ now });
      } catch (err) {
        // Rethrowing here would leave the stack's outputs as a rejected promise nobody awaits.
        programError = err;
        return undefined;
      }
    });
    await pulumi.runtime.disconnect();
  });

  if (programError !== undefined) {
    const issues = configIssuesOf(programError);
    throw issues ? new ConfigError(issues) : programError;
  }

  const stackResource = recorded.find((r) => r.type === "pulumi:pulumi:Stack");
  const stackState = stackResource ? monitor.resources.get(stackResource.urn)?.state : undefined;
  const outputs = (redactSecrets((stackState as StructLike | undefined)?.toJavaScript?.() ?? {}) ?? {}) as Record<
    string,
    unknown
  >;

  // The same pure step the program ran, for the table and report views; computed on first use (JSON needs none).
  let resolved: StackPlan | undefined;
  const resolvedOf = (): StackPlan =>
    (resolved ??= planStack(namespaceConfig(programConfig, project), { stack, now, ...shippedData() }));

  return {
    stack,
    project,
    now: isoSeconds(now.getTime()),
    resources: recorded.filter((r) => r !== stackResource).sort((a, b) => compare(a.urn, b.urn)),
    outputs,
    get resolved() {
      return resolvedOf();
    },
  };
}
