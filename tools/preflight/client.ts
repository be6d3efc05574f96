/**
 * Read-only access to a Scaleway organization through Scaleway's own SDK: where the credentials come from (the
 * environment and the Scaleway config file's active profile, as the SDK and the CLI read them), a client that can
 * only send GET requests, and one clean line for every way a request can fail. Nothing here ever prints a secret.
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
import { parse as parseYaml } from "yaml";

/** The environment preflight reads (process.env in the command, a plain object in tests). */
export type Env = Readonly<Record<string, string | undefined>>;

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

/** The config file's values: its top-level (default) profile, overlaid by the active one (SCW_PROFILE, else `active_profile`). */
function fileProfile(env: Env): { values: ProfileValues; source: string } | undefined {
  const file = configFilePath(env);
  if (!fs.existsSync(file)) {
    if (env.SCW_CONFIG_PATH || env.SCW_PROFILE) {
      throw new PreflightError(
        `the Scaleway config file ${file} does not exist (SCW_CONFIG_PATH or SCW_PROFILE names it)`,
      );
    }
    return undefined;
  }
  let profiles: Record<string, ProfileValues>;
  let active: string | undefined;
  try {
    profiles = loadAllProfilesFromConfigurationFile({ filepath: file });
    const doc = parseYaml(fs.readFileSync(file, "utf8")) as { active_profile?: unknown } | null;
    active = typeof doc?.active_profile === "string" ? doc.active_profile : undefined;
  } catch (err) {
    throw new PreflightError(`cannot read the Scaleway config file ${file}: ${firstLine(err)}`);
  }
  const name = env.SCW_PROFILE || active;
  const base = Object.hasOwn(profiles, "default") ? profiles.default : {};
  if (!name || name === "default") return { values: base, source: `the default profile of ${file}` };
  if (!Object.hasOwn(profiles, name)) {
    const from = env.SCW_PROFILE ? "SCW_PROFILE" : "active_profile";
    throw new PreflightError(`profile "${name}" (${from}) is not in the Scaleway config file ${file}`);
  }
  const chosen = Object.fromEntries(Object.entries(profiles[name]).filter(([, v]) => v !== undefined && v !== ""));
  return { values: { ...base, ...chosen }, source: `profile "${name}" of ${file}` };
}

/**
 * The credentials as Scaleway's SDK and CLI resolve them: SCW_* variables first, then the config file's active
 * profile. Refuses, without echoing them, keys that cannot be a Scaleway key.
 */
export function loadCredentials(env: Env): Credentials {
  const file = fileProfile(env);
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
  if (!isHttpUrl(apiURL)) {
    throw new PreflightError(`${api?.source ?? "SCW_API_URL"}: "${apiURL}" is not an http(s) URL`);
  }
  if (org?.value !== undefined && !UUID.test(org.value)) {
    throw new PreflightError(`${org.source}: "${org.value}" is not an organization ID (a UUID)`);
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

function isHttpUrl(text: string): boolean {
  try {
    const url = new URL(text);
    return url.protocol === "http:" || url.protocol === "https:";
  } catch {
    return false;
  }
}

/** Requests preflight may send. Anything else is refused before it leaves the process. */
const READ_METHODS = new Set(["GET", "HEAD"]);
/** A request that hangs longer than this fails the run (exit 2) instead of hanging CI. */
export const REQUEST_TIMEOUT_MS = 30_000;

/** Wraps fetch so that no request other than GET or HEAD is ever sent, and none waits forever. */
export function readOnlyFetch(inner: typeof fetch, timeoutMs = REQUEST_TIMEOUT_MS): typeof fetch {
  const guarded = (input: Parameters<typeof fetch>[0], init?: Parameters<typeof fetch>[1]) => {
    const request = new Request(input, init);
    if (!READ_METHODS.has(request.method.toUpperCase())) {
      return Promise.reject(new PreflightError(`internal: refused to send ${request.method} ${request.url}`));
    }
    return inner(request, { signal: AbortSignal.timeout(timeoutMs) });
  };
  return guarded as typeof fetch;
}

/** A client of Scaleway's SDK that can only read. The SDK adds the secret key as the X-Auth-Token header. */
export function readOnlyClient(credentials: Credentials, fetchImpl: typeof fetch = fetch): Client {
  // createClient() would drop httpClient and defaultPageSize (it only copies a profile's fields): compose them.
  return createAdvancedClient(
    withProfile({
      accessKey: credentials.accessKey,
      secretKey: credentials.secretKey,
      apiURL: credentials.apiURL,
      ...(credentials.defaultOrganizationId ? { defaultOrganizationId: credentials.defaultOrganizationId } : {}),
    }),
    withHTTPClient(readOnlyFetch(fetchImpl)),
    // Scaleway's largest page: fewer requests for the same lists. The SDK fetches the remaining pages itself.
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

/** One line saying why a read failed and what to do, never the secret key. */
export function describeFailure(err: unknown, what: string, credentials: Credentials): string {
  const e = (err ?? {}) as ErrorLike;
  const status = httpStatus(err);
  const detail = (e.message ?? "").split("\n")[0];
  if (e instanceof PreflightError) return e.message;
  switch (status) {
    case 401:
      return `${what}: Scaleway refused the credentials from ${credentials.sources.keys} (401: ${detail}): the key may be wrong, expired or deleted`;
    case 403: {
      const denied = (e.list ?? []).map((d) => `${d.action} ${d.resource}`).join(", ");
      return `${what}: the credentials may not read this (403${denied ? `: ${denied}` : `: ${detail}`}): give their identity IAMReadOnly and ProjectReadOnly on the organization (docs/ci.md)`;
    }
    case 404:
      return `${what}: ${credentials.apiURL} answered 404 (${detail}): check SCW_API_URL (${credentials.sources.apiURL})`;
    case 429:
      return `${what}: Scaleway is rate-limiting these credentials (429${e.resetSeconds ? `, retry in ${e.resetSeconds}s` : ""}): try again later`;
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

/** Removes every occurrence of the secret key from a text, whatever produced it. */
export function redact(text: string, credentials: Pick<Credentials, "secretKey"> | undefined): string {
  if (!credentials?.secretKey) return text;
  return text.split(credentials.secretKey).join("[secret]");
}
