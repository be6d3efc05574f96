/**
 * Read-only access to a Scaleway organization through Scaleway's own SDK, and what preflight must know of the
 * credentials: where its own come from (the environment and the Scaleway config file's active profile, as the SDK and
 * the CLI read them), which ones `pulumi up` will use (the same, plus the stack config's `scaleway:*` keys), a client
 * that can only send GET requests to one origin, and one clean line for every way a request can fail. Nothing here
 * ever prints a secret, and nothing an answer says is trusted: no redirect is followed, bodies are bounded, and a 429
 * is retried a bounded number of times.
 */
import * as fs from "fs";
import * as os from "os";
import * as path from "path";
import { loadAllProfilesFromConfigurationFile } from "@scaleway/configuration-loader";
import {
  type Client,
  createAdvancedClient,
  withDefaultPageSize,
  withHTTPClient,
  withProfile,
} from "@scaleway/sdk-client";
import { isMap, isScalar, parseDocument } from "yaml";
import type { Env } from "../cli";

/** The environment preflight reads (process.env in the command, a plain object in tests). */
export type { Env };

/** A failure that stops preflight before it can judge the plan: bad credentials, the network, the API. Exit 2. */
export class PreflightError extends Error {
  constructor(message: string) {
    super(message);
    this.name = "PreflightError";
  }
}

export interface Credentials {
  readonly accessKey: string;
  readonly secretKey: string;
  /** Without a trailing slash. @default "https://api.scaleway.com" */
  readonly apiURL: string;
  readonly defaultOrganizationId?: string;
  /** Where each value came from, for messages: `SCW_SECRET_KEY`, or `profile "ci" of /home/me/.config/scw/config.yaml`. */
  readonly sources: { readonly keys: string; readonly apiURL: string; readonly defaultOrganizationId?: string };
}

export const DEFAULT_API_URL = "https://api.scaleway.com";
const ACCESS_KEY = /^SCW[A-Z0-9]{17}$/i;
const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;
/** The Scaleway config file is a few hundred bytes; anything past this is not one. */
const MAX_CONFIG_FILE_BYTES = 1024 * 1024;

/** The Scaleway config file, where the CLI (`scw init`) writes it. */
export function configFilePath(env: Env): string {
  if (env.SCW_CONFIG_PATH) return env.SCW_CONFIG_PATH;
  const base = env.XDG_CONFIG_HOME ? env.XDG_CONFIG_HOME : path.join(env.HOME ?? os.homedir(), ".config");
  return path.join(base, "scw", "config.yaml");
}

interface ProfileValues {
  accessKey?: string;
  secretKey?: string;
  apiURL?: string;
  defaultOrganizationId?: string;
}

/** The Scaleway config file, read once: its profiles (the top-level one as `default`) and `active_profile`. */
interface ConfigFile {
  readonly file: string;
  readonly profiles: Readonly<Record<string, ProfileValues>>;
  readonly active?: string;
}

function readConfigFile(env: Env): ConfigFile | undefined {
  const file = configFilePath(env);
  if (!fs.existsSync(file)) {
    if (env.SCW_CONFIG_PATH || env.SCW_PROFILE) {
      throw new PreflightError(
        `the Scaleway config file ${file} does not exist (SCW_CONFIG_PATH or SCW_PROFILE names it)`,
      );
    }
    return undefined;
  }
  try {
    const stat = fs.statSync(file);
    if (!stat.isFile() || stat.size > MAX_CONFIG_FILE_BYTES) {
      throw new Error(`not a regular file of at most ${MAX_CONFIG_FILE_BYTES} bytes`);
    }
    const profiles = loadAllProfilesFromConfigurationFile({ filepath: file }) as Record<string, ProfileValues>;
    const doc = parseDocument(fs.readFileSync(file, "utf8"), { uniqueKeys: false }).toJS({ maxAliasCount: 100 }) as {
      active_profile?: unknown;
    } | null;
    const active = typeof doc?.active_profile === "string" ? doc.active_profile : undefined;
    return { file, profiles, ...(active !== undefined ? { active } : {}) };
  } catch (err) {
    throw new PreflightError(`cannot read the Scaleway config file ${file}: ${firstLine(err)}`);
  }
}

const nonEmpty = (values: ProfileValues): ProfileValues =>
  Object.fromEntries(Object.entries(values).filter(([, v]) => v !== undefined && v !== "")) as ProfileValues;

/** A named profile over the top-level one, as scaleway-sdk-go's `Config.GetProfile` merges them. */
function namedProfile(config: ConfigFile, name: string): ProfileValues | undefined {
  const base = Object.hasOwn(config.profiles, "default") ? nonEmpty(config.profiles.default) : {};
  if (name === "default") return base;
  if (!Object.hasOwn(config.profiles, name)) return undefined;
  return { ...base, ...nonEmpty(config.profiles[name]) };
}

/** The config file's values: its top-level (default) profile, overlaid by the active one (SCW_PROFILE, else `active_profile`). */
function activeProfile(
  env: Env,
  config: ConfigFile | undefined,
): { values: ProfileValues; source: string } | undefined {
  if (!config) return undefined;
  const name = env.SCW_PROFILE || config.active || "default";
  const values = namedProfile(config, name);
  if (!values) {
    const from = env.SCW_PROFILE ? "SCW_PROFILE" : "active_profile";
    throw new PreflightError(`profile "${name}" (${from}) is not in the Scaleway config file ${config.file}`);
  }
  return {
    values,
    source: name === "default" ? `the default profile of ${config.file}` : `profile "${name}" of ${config.file}`,
  };
}

/** Loopback hosts: the only ones preflight sends its key to over plain http (the tests' stand-in). */
function isLoopback(hostname: string): boolean {
  const host = hostname.replace(/^\[|\]$/g, "").toLowerCase();
  return host === "localhost" || host === "::1" || /^127\.\d{1,3}\.\d{1,3}\.\d{1,3}$/.test(host);
}

/**
 * Why an API URL cannot receive the secret key, or undefined: https only (http on a loopback host), no user, query
 * or fragment (a URL the SDK would turn into something else).
 */
export function apiUrlProblem(text: string): string | undefined {
  let url: URL;
  try {
    url = new URL(text);
  } catch {
    return "is not a URL";
  }
  if (url.protocol !== "https:" && !(url.protocol === "http:" && isLoopback(url.hostname))) {
    return "must be an https URL (plain http only for a loopback host such as 127.0.0.1): the secret key would cross the network in clear";
  }
  if (url.username || url.password) return "must not carry a user or a password";
  if (url.search || url.hash) return "must not carry a query or a fragment";
  return undefined;
}

/**
 * The credentials as Scaleway's SDK and CLI resolve them: SCW_* variables first, then the config file's active
 * profile. Refuses, without echoing them, keys that cannot be a Scaleway key, and an API URL the key must not be sent
 * to.
 */
export function loadCredentials(env: Env): Credentials {
  const file = activeProfile(env, readConfigFile(env));
  const fromEnv = (name: string) => (env[name] ? env[name] : undefined);
  const pick = (envName: string, fileValue: string | undefined) =>
    fromEnv(envName) !== undefined
      ? { value: fromEnv(envName), source: envName }
      : fileValue
        ? { value: fileValue, source: file?.source ?? "" }
        : undefined;
  const access = pick("SCW_ACCESS_KEY", file?.values.accessKey);
  const secret = pick("SCW_SECRET_KEY", file?.values.secretKey);
  const api = pick("SCW_API_URL", file?.values.apiURL);
  const org = pick("SCW_DEFAULT_ORGANIZATION_ID", file?.values.defaultOrganizationId);
  if (!access?.value || !secret?.value) {
    const missing = [!access?.value ? "SCW_ACCESS_KEY" : "", !secret?.value ? "SCW_SECRET_KEY" : ""].filter(Boolean);
    throw new PreflightError(
      `no Scaleway credentials: set ${missing.join(" and ")}, or a profile in ${configFilePath(env)} (scw init)`,
    );
  }
  if (!ACCESS_KEY.test(access.value)) {
    throw new PreflightError(`${access.source}: not a Scaleway access key (SCW followed by 17 letters or digits)`);
  }
  if (!UUID.test(secret.value)) {
    throw new PreflightError(`${secret.source}: not a Scaleway secret key (a UUID)`);
  }
  const apiURL = (api?.value ?? DEFAULT_API_URL).replace(/\/+$/, "");
  const problem = apiUrlProblem(apiURL);
  if (problem) {
    // The URL is the user's own and holds no secret once user and password are refused; it is still escaped.
    throw new PreflightError(`${api?.source ?? "SCW_API_URL"}: ${JSON.stringify(apiURL)} ${problem}`);
  }
  if (org?.value !== undefined && !UUID.test(org.value)) {
    throw new PreflightError(`${org.source}: ${JSON.stringify(org.value)} is not an organization ID (a UUID)`);
  }
  const keysSource = access.source === secret.source ? access.source : `${access.source} and ${secret.source}`;
  return {
    accessKey: access.value,
    secretKey: secret.value,
    apiURL,
    ...(org?.value !== undefined ? { defaultOrganizationId: org.value.toLowerCase() } : {}),
    sources: {
      keys: keysSource,
      apiURL: api?.source ?? "the default",
      ...(org ? { defaultOrganizationId: org.source } : {}),
    },
  };
}

// ---------------------------------------------------------------------------------------------------------------
// The credentials `pulumi up` will use

/** A `scaleway:<key>` value of the stack file: plain, or encrypted (`secure:`), which preflight cannot read. */
export type ProviderValue = { readonly secure: false; readonly value: string } | { readonly secure: true };

/** The provider keys of the stack config that decide its credentials and endpoint (@pulumiverse/scaleway config/vars). */
export const PROVIDER_KEYS = ["accessKey", "secretKey", "profile", "apiUrl", "organizationId"] as const;
export type ProviderKey = (typeof PROVIDER_KEYS)[number];
export type ProviderStackConfig = Readonly<Partial<Record<ProviderKey, ProviderValue>>>;

/**
 * The stack file's `scaleway:*` provider keys (also spelled `scaleway:config:<key>`, as Pulumi reads it). The
 * offline plan drops other namespaces' secure values, so the raw file is read again here, for these keys only.
 */
export function providerStackConfig(text: string): ProviderStackConfig {
  const doc = parseDocument(text, { uniqueKeys: false });
  const block = isMap(doc.contents) ? doc.contents.get("config", true) : undefined;
  const out: Partial<Record<ProviderKey, ProviderValue>> = {};
  if (!isMap(block)) return out;
  for (const pair of block.items) {
    const key = isScalar(pair.key) && typeof pair.key.value === "string" ? pair.key.value : "";
    const m = /^scaleway:(?:config:)?([A-Za-z]+)$/.exec(key);
    const name = m?.[1] as ProviderKey | undefined;
    if (!name || !(PROVIDER_KEYS as readonly string[]).includes(name)) continue;
    const node = pair.value;
    if (isMap(node) && node.has("secure")) out[name] = { secure: true };
    else if (isScalar(node) && node.value !== null && node.value !== undefined && node.value !== "") {
      out[name] = { secure: false, value: String(node.value) };
    }
  }
  return out;
}

/** One value `pulumi up`'s provider will use, and the layer it comes from. */
export interface Sourced {
  /** Undefined when the value is encrypted in the stack file. */
  readonly value?: string;
  /** `SCW_ACCESS_KEY`, `scaleway:accessKey (stack config)`, `profile "ci" of ...`. */
  readonly source: string;
  readonly layer: "environment" | "stack config" | "config file";
}

export interface DeployCredentials {
  readonly accessKey?: Sourced;
  readonly secretKey?: Sourced;
  readonly apiURL?: Sourced;
  readonly organizationId?: Sourced;
  /** Facts about the resolution worth a line: a stack-config value the environment overrides, a missing profile. */
  readonly notes: readonly { readonly level: "warn" | "error"; readonly message: string }[];
}

/** The environment variables scaleway-sdk-go reads for each value, current name first (scw/env.go LoadEnvProfile). */
const ENV_NAMES = {
  accessKey: ["SCW_ACCESS_KEY", "SCALEWAY_ACCESS_KEY"],
  secretKey: ["SCW_SECRET_KEY", "SCW_TOKEN", "SCALEWAY_TOKEN", "SCALEWAY_ACCESS_KEY"],
  apiURL: ["SCW_API_URL"],
  organizationId: ["SCW_DEFAULT_ORGANIZATION_ID", "SCW_ORGANIZATION", "SCALEWAY_ORGANIZATION"],
} as const;

const STACK_KEY = {
  accessKey: "accessKey",
  secretKey: "secretKey",
  apiURL: "apiUrl",
  organizationId: "organizationId",
};
const PROFILE_FIELD = {
  accessKey: "accessKey",
  secretKey: "secretKey",
  apiURL: "apiURL",
  organizationId: "defaultOrganizationId",
} as const;

/**
 * The credentials the Scaleway provider will run `pulumi up` with, in this environment. The provider
 * (terraform-provider-scaleway internal/meta/meta.go, `LoadProfile`) merges, each value overriding the one before:
 * the config file's active profile (over its top-level one), the stack config (`scaleway:profile` names a profile of
 * the file, then `scaleway:accessKey`, `scaleway:secretKey`, ... override it), and last the environment
 * (scaleway-sdk-go scw/env.go: a variable that is set counts, even empty; deprecated names after current ones).
 */
export function deployCredentials(env: Env, stackConfig: ProviderStackConfig): DeployCredentials {
  const notes: { level: "warn" | "error"; message: string }[] = [];
  let config: ConfigFile | undefined;
  try {
    config = readConfigFile(env);
  } catch (err) {
    notes.push({ level: "error", message: `${firstLine(err)}: the provider would fail to start` });
  }
  let active: { values: ProfileValues; source: string } | undefined;
  try {
    active = activeProfile(env, config);
  } catch (err) {
    // scaleway-sdk-go's GetActiveProfile fails on a missing profile, and the provider with it.
    notes.push({ level: "error", message: `${firstLine(err)}: the provider would fail to start` });
  }
  let named: { values: ProfileValues; source: string } | undefined;
  const profile = stackConfig.profile;
  if (profile?.secure) {
    notes.push({
      level: "error",
      message: "scaleway:profile is encrypted in the stack file: preflight cannot read it",
    });
  } else if (profile) {
    const values = config ? namedProfile(config, profile.value) : undefined;
    if (values) named = { values, source: `profile "${profile.value}" of ${config!.file} (scaleway:profile)` };
    else {
      // The provider ignores a profile it cannot find (meta.go: `if err == nil { providerProfile = ... }`).
      notes.push({
        level: "warn",
        message: `scaleway:profile names profile ${JSON.stringify(profile.value)}, which is not in ${config?.file ?? configFilePath(env)}: the provider ignores it`,
      });
    }
  }
  const resolve = (field: keyof typeof ENV_NAMES): Sourced | undefined => {
    const envName = ENV_NAMES[field].find((n) => env[n] !== undefined);
    const stackKey = STACK_KEY[field] as ProviderKey;
    const stackValue = stackConfig[stackKey];
    if (envName !== undefined) {
      if (stackValue) {
        notes.push({
          level: "warn",
          message: `the stack config sets scaleway:${stackKey}, but ${envName} is set here and the provider prefers the environment: pulumi up run here ignores scaleway:${stackKey}`,
        });
      }
      return { value: env[envName], source: envName, layer: "environment" };
    }
    if (stackValue) {
      return {
        ...(stackValue.secure ? {} : { value: stackValue.value }),
        source: `scaleway:${stackKey} (stack config${stackValue.secure ? ", encrypted" : ""})`,
        layer: "stack config",
      };
    }
    for (const layer of [named, active]) {
      const value = layer?.values[PROFILE_FIELD[field]];
      if (value) return { value, source: layer!.source, layer: "config file" };
    }
    return undefined;
  };
  const accessKey = resolve("accessKey");
  const secretKey = resolve("secretKey");
  const apiURL = resolve("apiURL");
  const organizationId = resolve("organizationId");
  return {
    ...(accessKey ? { accessKey } : {}),
    ...(secretKey ? { secretKey } : {}),
    ...(apiURL ? { apiURL } : {}),
    ...(organizationId ? { organizationId } : {}),
    notes,
  };
}

// ---------------------------------------------------------------------------------------------------------------
// The HTTP client

/** Requests preflight may send. Anything else is refused before it leaves the process. */
const READ_METHODS = new Set(["GET", "HEAD"]);
/** A request that hangs longer than this fails the run (exit 2) instead of hanging CI. */
export const REQUEST_TIMEOUT_MS = 30_000;
/** The largest answer preflight reads: a page of 100 items is a few tens of kB. */
export const MAX_RESPONSE_BYTES = 8 * 1024 * 1024;
/** Tries of one request that Scaleway answers 429, the first included. */
export const MAX_ATTEMPTS = 4;
/** The first wait after a 429; each further one doubles it. */
export const BACKOFF_MS = 1000;
/** No wait is longer, whatever `Retry-After` asks. */
export const MAX_BACKOFF_MS = 30_000;

export interface FetchOptions {
  /** The only origin requests may go to (the API URL's). @default any */
  readonly origin?: string;
  readonly timeoutMs?: number;
  /** @default a real timer */
  readonly sleep?: (ms: number) => Promise<void>;
}

const realSleep = (ms: number) => new Promise<void>((resolve) => setTimeout(resolve, ms));

/** The wait before try `attempt + 1`: exponential, or `Retry-After` (seconds or a date) when longer, capped. */
export function backoffMs(attempt: number, retryAfter: string | null, now = Date.now()): number {
  const exponential = BACKOFF_MS * 2 ** (attempt - 1);
  let asked = 0;
  if (retryAfter !== null) {
    const seconds = /^\d{1,6}$/.test(retryAfter.trim()) ? Number(retryAfter.trim()) * 1000 : NaN;
    const date = Date.parse(retryAfter);
    asked = !Number.isNaN(seconds) ? seconds : !Number.isNaN(date) ? date - now : 0;
  }
  return Math.min(MAX_BACKOFF_MS, Math.max(exponential, asked));
}

/** Reads a body up to `MAX_RESPONSE_BYTES`, then refuses it: a lying or endless answer cannot fill the memory. */
async function boundedBody(response: Response, url: string): Promise<Uint8Array | null> {
  if (!response.body) return null;
  const declared = Number(response.headers.get("content-length") ?? "0");
  const tooLarge = () =>
    new PreflightError(
      `${new URL(url).origin} sent an answer larger than ${MAX_RESPONSE_BYTES} bytes to ${new URL(url).pathname}: not read`,
    );
  if (declared > MAX_RESPONSE_BYTES) {
    await response.body.cancel().catch(() => undefined);
    throw tooLarge();
  }
  const reader = response.body.getReader();
  const chunks: Uint8Array[] = [];
  let size = 0;
  for (;;) {
    const { done, value } = await reader.read();
    if (done) break;
    size += value.byteLength;
    if (size > MAX_RESPONSE_BYTES) {
      await reader.cancel().catch(() => undefined);
      throw tooLarge();
    }
    chunks.push(value);
  }
  const out = new Uint8Array(size);
  let at = 0;
  for (const c of chunks) {
    out.set(c, at);
    at += c.byteLength;
  }
  return out;
}

const NULL_BODY_STATUS = new Set([101, 204, 205, 304]);

/**
 * Wraps fetch so that no request other than GET or HEAD is ever sent, none to another origin than the API's, no
 * redirect is followed (fetch would resend the X-Auth-Token header to wherever `Location` points: the fetch standard
 * strips only `Authorization` across origins), no answer is read past a bound, none waits forever, and a 429 is
 * retried with backoff a bounded number of times before it becomes the failure.
 */
export function readOnlyFetch(inner: typeof fetch, options: FetchOptions = {}): typeof fetch {
  const timeoutMs = options.timeoutMs ?? REQUEST_TIMEOUT_MS;
  const sleep = options.sleep ?? realSleep;
  const guarded = async (input: Parameters<typeof fetch>[0], init?: Parameters<typeof fetch>[1]) => {
    const request = new Request(input, init);
    if (!READ_METHODS.has(request.method.toUpperCase())) {
      throw new PreflightError(`internal: refused to send ${request.method} ${new URL(request.url).pathname}`);
    }
    const origin = new URL(request.url).origin;
    if (options.origin !== undefined && origin !== options.origin) {
      throw new PreflightError(
        `internal: refused to send a request to ${origin}: the credentials go to ${options.origin} only`,
      );
    }
    for (let attempt = 1; ; attempt++) {
      const response = await inner(
        new Request(request, { redirect: "manual", signal: AbortSignal.timeout(timeoutMs) }),
      );
      if (response.status >= 300 && response.status < 400) {
        await response.body?.cancel().catch(() => undefined);
        const location = response.headers.get("location");
        let where = "elsewhere";
        try {
          where = location === null ? "nowhere" : new URL(location, request.url).origin;
        } catch {
          where = "an unreadable location";
        }
        throw new PreflightError(
          `${origin} answered ${new URL(request.url).pathname} with a redirect (${response.status}) to ${JSON.stringify(where)}: not followed, the credentials are only sent to ${origin}: check SCW_API_URL`,
        );
      }
      if (response.status === 429 && attempt < MAX_ATTEMPTS) {
        await response.body?.cancel().catch(() => undefined);
        await sleep(backoffMs(attempt, response.headers.get("retry-after")));
        continue;
      }
      const body = NULL_BODY_STATUS.has(response.status) ? null : await boundedBody(response, request.url);
      return new Response(body, {
        status: response.status,
        statusText: response.statusText,
        headers: response.headers,
      });
    }
  };
  return guarded as typeof fetch;
}

/** A client of Scaleway's SDK that can only read. The SDK adds the secret key as the X-Auth-Token header. */
export function readOnlyClient(
  credentials: Credentials,
  fetchImpl: typeof fetch = fetch,
  options: Omit<FetchOptions, "origin"> = {},
): Client {
  // createClient() would drop httpClient and defaultPageSize (it only copies a profile's fields): compose them.
  return createAdvancedClient(
    withProfile({
      accessKey: credentials.accessKey,
      secretKey: credentials.secretKey,
      apiURL: credentials.apiURL,
      ...(credentials.defaultOrganizationId ? { defaultOrganizationId: credentials.defaultOrganizationId } : {}),
    }),
    withHTTPClient(readOnlyFetch(fetchImpl, { ...options, origin: new URL(credentials.apiURL).origin })),
    // Scaleway's largest page: fewer requests for the same lists.
    withDefaultPageSize(100),
  );
}

function firstLine(err: unknown): string {
  const text = err instanceof Error ? err.message : String(err);
  return text.split("\n")[0] ?? "";
}

/** What an SDK error carries: ScalewayError and its subclasses (status, body), or fetch's TypeError (cause). */
interface ErrorLike {
  name?: string;
  message?: string;
  status?: number;
  body?: unknown;
  cause?: { code?: string; name?: string; message?: string };
  list?: { action: string; resource: string }[];
  resetSeconds?: number;
}

/** The HTTP status of an SDK error, if it came from an answer. */
export function httpStatus(err: unknown): number | undefined {
  const status = (err as ErrorLike | null)?.status;
  return typeof status === "number" ? status : undefined;
}

/**
 * One line saying why a read failed and what to do, never the secret key. `right` is the permission set whose
 * absence a 403 means, with its scope (`IAMReadOnly on the organization`).
 */
export function describeFailure(err: unknown, what: string, credentials: Credentials, right?: string): string {
  const e = (err ?? {}) as ErrorLike;
  const status = httpStatus(err);
  const detail = String(e.message ?? "").split("\n")[0];
  if (e instanceof PreflightError) return `${what}: ${e.message}`;
  switch (status) {
    case 401:
      return `${what}: Scaleway refused the credentials from ${credentials.sources.keys} (401: ${detail}): the key may be wrong, expired or deleted`;
    case 403: {
      const denied = Array.isArray(e.list) ? e.list.map((d) => `${d.action} ${d.resource}`).join(", ") : "";
      return `${what}: the credentials may not read this (403${denied ? `: ${denied}` : `: ${detail}`}): give their identity ${right ?? "IAMReadOnly and ProjectReadOnly on the organization"} (docs/ci.md)`;
    }
    case 404:
      return `${what}: ${credentials.apiURL} answered 404 (${detail}): check SCW_API_URL (${credentials.sources.apiURL})`;
    case 429:
      return `${what}: Scaleway is rate-limiting these credentials (429 on each of ${MAX_ATTEMPTS} tries, waiting longer each time${typeof e.resetSeconds === "number" ? `; it asks to retry in ${e.resetSeconds}s` : ""}): try again later`;
    case undefined:
      break;
    default:
      return `${what}: Scaleway answered ${status}: ${detail}`;
  }
  const code = e.cause?.code ?? e.cause?.name ?? e.name;
  if (code === "TimeoutError" || code === "AbortError") {
    return `${what}: no answer from ${credentials.apiURL} within ${REQUEST_TIMEOUT_MS / 1000}s: check SCW_API_URL and the network`;
  }
  if (e.name === "TypeError" && e.cause) {
    return `${what}: cannot reach ${credentials.apiURL} (${e.cause.code ?? e.cause.message ?? "network error"}): check SCW_API_URL (${credentials.sources.apiURL}) and the network`;
  }
  return `${what}: unexpected answer from ${credentials.apiURL}: ${detail}`;
}

// ---------------------------------------------------------------------------------------------------------------
// Output

/** One character of a secret as it may be spelled in a text: any case, percent-encoded, a `-` also left out. */
function spellings(c: string): string {
  if (/[A-Za-z0-9]/.test(c)) return c;
  const escaped = c.replace(/[.*+?^${}()|[\]\\/]/g, "\\$&");
  if (c === "-") return "(?:-|%2d|\\\\u002d)?";
  const encoded = encodeURIComponent(c);
  return encoded === c ? escaped : `(?:${escaped}|${encoded})`;
}

/** The shortest text treated as a secret: shorter ones would match ordinary words. */
const MIN_SECRET_LENGTH = 8;

/**
 * Replaces every occurrence of each secret with "[secret]", however a server or a library may have spelled it: in
 * upper or lower case, percent-encoded (inside a URL), with or without a UUID's dashes.
 */
export function redact(text: string, secrets: readonly (string | undefined)[]): string {
  let out = text;
  for (const secret of new Set(secrets)) {
    if (!secret || secret.length < MIN_SECRET_LENGTH) continue;
    const pattern = new RegExp([...secret].map(spellings).join(""), "gi");
    out = out.replace(pattern, "[secret]");
  }
  return out;
}

/**
 * A workflow command is a line that starts, after spaces, with `::` (or the legacy `##[`): GitHub's runner acts on
 * such a line in a step's output (actions/runner src/Runner.Common/ActionCommand.cs, `TryParseV2` trims leading
 * spaces). Every line preflight prints starts with its own word, so this only guards against a mistake: such a line
 * is printed with a backslash in front.
 */
export function neutralizeWorkflowCommands(text: string): string {
  return text.replace(/^(\s*)(::|##\[)/gmu, "$1\\$2");
}
