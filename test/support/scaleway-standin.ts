/**
 * A stand-in for Scaleway's API on 127.0.0.1: the read endpoints preflight uses, with payloads in the API's own
 * snake_case JSON, following the official SDK's types (`@scaleway/sdk-iam` v1alpha1, `@scaleway/sdk-account` v3) and
 * its pagination (`page`, `page_size`, `total_count`), and the one Secret Manager list preflight reads
 * (`@scaleway/sdk-secret` v1beta1 `listSecrets`). It records every request; anything but GET is answered 405. Hostile
 * answers (redirects, 429s, lying totals, odd names) come from the state's `intercept` and `rewrite` hooks.
 */
import * as fs from "fs";
import * as http from "http";
import type { AddressInfo } from "net";
import * as path from "path";

type Json = Record<string, unknown>;

export interface StandinApplication {
  id: string;
  name: string;
  description?: string;
  organization_id: string;
  tags?: string[];
}
export interface StandinPolicy {
  id: string;
  name: string;
  description?: string;
  organization_id: string;
  tags?: string[];
  application_id?: string;
  user_id?: string;
  group_id?: string;
}
export interface StandinRule {
  id: string;
  permission_set_names: string[];
  permission_sets_scope_type: "projects" | "organization" | "account_root_user";
  condition?: string;
  project_ids?: string[];
  organization_id?: string;
}
export interface StandinKey {
  access_key: string;
  description?: string;
  application_id?: string;
  user_id?: string;
  expires_at?: string | null;
  default_project_id?: string;
}
export interface StandinProject {
  id: string;
  name: string;
  organization_id: string;
}
export interface StandinPermissionSet {
  id?: string;
  name: string;
  scope_type: "projects" | "organization" | "account_root_user";
  categories?: string[];
}
export interface StandinSecret {
  id: string;
  name: string;
  /** The folder, e.g. `/plakar/staging`. */
  path: string;
  project_id: string;
  region: string;
  tags?: string[];
  protected?: boolean;
}
export interface StandinQuotum {
  name: string;
  limit?: number;
  unlimited?: boolean;
}

/** One organization as the API would show it to one API key. */
export interface StandinState {
  organizationId: string;
  /** The secret key the stand-in accepts in X-Auth-Token. */
  secretKey: string;
  keys: StandinKey[];
  applications: StandinApplication[];
  users: { id: string; email: string; organization_id: string; type: "owner" | "member" }[];
  groups: { id: string; name: string; organization_id: string; application_ids: string[]; user_ids: string[] }[];
  policies: StandinPolicy[];
  rules: Record<string, StandinRule[]>;
  /** Projects of this organization. */
  projects: StandinProject[];
  /** Projects of other organizations: GET by ID answers them, lists do not. */
  foreignProjects: StandinProject[];
  permissionSets: StandinPermissionSet[];
  quota: StandinQuotum[];
  /** `max_api_key_expiration_duration`, e.g. "2592000s"; absent means no cap. */
  maxApiKeyExpiration?: string;
  /** The largest page the stand-in serves, whatever page_size asks. @default 100 */
  maxPageSize: number;
  /** Secret Manager secrets of this organization's projects. */
  secrets?: StandinSecret[];
  /** Answer every request whose path starts with this with the given status and Scaleway error body. */
  fail?: { pathPrefix: string; status: number; body: Json };
  /**
   * Answers a request instead of the routes: called for every authenticated GET with the request and how many
   * requests to its path came before it (0 for the first). Return undefined to let the routes answer.
   */
  intercept?: (request: RecordedRequest, before: number) => Reply | undefined;
  /** Rewrites a routed JSON answer (a lying `total_count`, a hostile name) before it is sent. */
  rewrite?: (path: string, body: Json, url: URL) => Json;
}

/** A raw answer: status, headers, and a JSON body or a text one. */
export interface Reply {
  status: number;
  headers?: Record<string, string>;
  body?: Json;
  text?: string;
}

export interface RecordedRequest {
  readonly method: string;
  readonly path: string;
  readonly query: string;
  /** Whether the request carried the expected X-Auth-Token. */
  readonly authenticated: boolean;
  /** Whether the request carried any X-Auth-Token at all. */
  readonly token: boolean;
}

export interface Standin {
  readonly url: string;
  readonly requests: RecordedRequest[];
  readonly state: StandinState;
  close(): Promise<void>;
}

const nowIso = "2026-01-05T00:00:00Z";

function page<T>(items: readonly T[], url: URL, state: StandinState, key: string): Json {
  const size = Math.min(Number(url.searchParams.get("page_size") ?? 20) || 20, state.maxPageSize);
  const number = Math.max(1, Number(url.searchParams.get("page") ?? 1) || 1);
  return { [key]: items.slice((number - 1) * size, number * size), total_count: items.length };
}

const application = (a: StandinApplication, state: StandinState): Json => ({
  id: a.id,
  name: a.name,
  description: a.description ?? "",
  created_at: nowIso,
  updated_at: nowIso,
  organization_id: a.organization_id,
  editable: true,
  deletable: true,
  managed: false,
  nb_api_keys: state.keys.filter((k) => k.application_id === a.id).length,
  tags: a.tags ?? [],
});

const policy = (p: StandinPolicy, state: StandinState): Json => {
  const rules = state.rules[p.id] ?? [];
  return {
    id: p.id,
    name: p.name,
    description: p.description ?? "",
    organization_id: p.organization_id,
    created_at: nowIso,
    updated_at: nowIso,
    editable: true,
    deletable: true,
    managed: false,
    nb_rules: rules.length,
    nb_scopes: rules.length,
    nb_permission_sets: rules.reduce((n, r) => n + r.permission_set_names.length, 0),
    tags: p.tags ?? [],
    ...(p.application_id ? { application_id: p.application_id } : {}),
    ...(p.user_id ? { user_id: p.user_id } : {}),
    ...(p.group_id ? { group_id: p.group_id } : {}),
    ...(!p.application_id && !p.user_id && !p.group_id ? { no_principal: true } : {}),
  };
};

const apiKey = (k: StandinKey): Json => ({
  access_key: k.access_key,
  // The API never sends a secret key back after creation.
  secret_key: null,
  ...(k.application_id ? { application_id: k.application_id } : {}),
  ...(k.user_id ? { user_id: k.user_id } : {}),
  description: k.description ?? "",
  created_at: nowIso,
  updated_at: nowIso,
  expires_at: k.expires_at ?? null,
  default_project_id: k.default_project_id ?? "",
  editable: true,
  deletable: true,
  managed: false,
  creation_ip: "127.0.0.1",
});

const project = (p: StandinProject): Json => ({
  id: p.id,
  name: p.name,
  organization_id: p.organization_id,
  created_at: nowIso,
  updated_at: nowIso,
  description: "",
});

const quotum = (q: StandinQuotum): Json => ({
  name: q.name,
  ...(q.unlimited ? { unlimited: true } : { limit: q.limit }),
  pretty_name: q.name,
  unit: "resource",
  description: `Number of ${q.name}`,
  locality_type: "global",
  limits: [{ global: true, ...(q.unlimited ? { unlimited: true } : { limit: q.limit }) }],
});

const secret = (x: StandinSecret): Json => ({
  id: x.id,
  project_id: x.project_id,
  name: x.name,
  status: "ready",
  created_at: nowIso,
  updated_at: nowIso,
  tags: x.tags ?? [],
  version_count: 1,
  description: "",
  managed: false,
  protected: x.protected ?? false,
  type: "key_value",
  path: x.path,
  used_by: [],
  region: x.region,
});

const notFound = (resource: string, id: string): [number, Json] => [
  404,
  { type: "not_found", resource, resource_id: id, message: "resource is not found" },
];

/** Routes one GET; [status, body]. */
function route(state: StandinState, url: URL): [number, Json] {
  const p = url.pathname;
  const q = url.searchParams;
  const org = q.get("organization_id");
  const inOrg = <T extends { organization_id: string }>(items: T[]) =>
    org === null ? items : items.filter((i) => i.organization_id === org);
  let m: RegExpExecArray | null;
  if ((m = /^\/iam\/v1alpha1\/api-keys\/([^/]+)$/.exec(p))) {
    const key = state.keys.find((k) => k.access_key === m![1]);
    return key ? [200, apiKey(key)] : notFound("api_key", m[1]!);
  }
  if (p === "/iam/v1alpha1/api-keys") {
    const app = q.get("application_id");
    const keys = state.keys.filter((k) => app === null || k.application_id === app);
    return [200, page(keys.map(apiKey), url, state, "api_keys")];
  }
  if ((m = /^\/iam\/v1alpha1\/applications\/([^/]+)$/.exec(p))) {
    const app = state.applications.find((a) => a.id === m![1]);
    return app ? [200, application(app, state)] : notFound("application", m[1]!);
  }
  if (p === "/iam/v1alpha1/applications") {
    return [
      200,
      page(
        inOrg(state.applications).map((a) => application(a, state)),
        url,
        state,
        "applications",
      ),
    ];
  }
  if ((m = /^\/iam\/v1alpha1\/users\/([^/]+)$/.exec(p))) {
    const user = state.users.find((u) => u.id === m![1]);
    if (!user) return notFound("user", m[1]!);
    return [
      200,
      {
        id: user.id,
        email: user.email,
        username: user.email,
        first_name: "",
        last_name: "",
        phone_number: "",
        locale: "en_US",
        organization_id: user.organization_id,
        deletable: user.type !== "owner",
        type: user.type,
        status: "activated",
        mfa: false,
        account_root_user_id: user.id,
        tags: [],
        locked: false,
      },
    ];
  }
  if (p === "/iam/v1alpha1/groups") {
    const apps = q.getAll("application_ids");
    const users = q.getAll("user_ids");
    const groups = inOrg(state.groups).filter(
      (g) =>
        (apps.length === 0 || apps.some((a) => g.application_ids.includes(a))) &&
        (users.length === 0 || users.some((u) => g.user_ids.includes(u))),
    );
    const out = groups.map((g) => ({
      ...g,
      description: "",
      created_at: nowIso,
      updated_at: nowIso,
      tags: [],
      editable: true,
      deletable: true,
      managed: false,
    }));
    return [200, page(out, url, state, "groups")];
  }
  if ((m = /^\/iam\/v1alpha1\/policies\/([^/]+)$/.exec(p))) {
    const found = state.policies.find((x) => x.id === m![1]);
    return found ? [200, policy(found, state)] : notFound("policy", m[1]!);
  }
  if (p === "/iam/v1alpha1/policies") {
    return [
      200,
      page(
        inOrg(state.policies).map((x) => policy(x, state)),
        url,
        state,
        "policies",
      ),
    ];
  }
  if (p === "/iam/v1alpha1/rules") {
    const id = q.get("policy_id") ?? "";
    if (!state.policies.some((x) => x.id === id)) return notFound("policy", id);
    const rules = (state.rules[id] ?? []).map((r) => ({ condition: "", ...r }));
    return [200, page(rules, url, state, "rules")];
  }
  if (p === "/iam/v1alpha1/permission-sets") {
    const sets = state.permissionSets.map((s, i) => ({
      id: s.id ?? `00000000-0000-4000-8000-${String(i).padStart(12, "0")}`,
      name: s.name,
      scope_type: s.scope_type,
      description: s.name,
      categories: s.categories ?? [],
    }));
    return [200, page(sets, url, state, "permission_sets")];
  }
  if (p === "/iam/v1alpha1/quota") {
    return [200, page(state.quota.map(quotum), url, state, "quota")];
  }
  if ((m = /^\/iam\/v1alpha1\/organizations\/([^/]+)\/security-settings$/.exec(p))) {
    if (m[1] !== state.organizationId) return notFound("organization", m[1]!);
    return [
      200,
      {
        enforce_password_renewal: false,
        grace_period_duration: "0s",
        login_attempts_before_locked: 10,
        max_login_session_duration: "86400s",
        ...(state.maxApiKeyExpiration ? { max_api_key_expiration_duration: state.maxApiKeyExpiration } : {}),
      },
    ];
  }
  if ((m = /^\/secret-manager\/v1beta1\/regions\/([^/]+)\/secrets$/.exec(p))) {
    const region = m[1];
    const projectIds = new Set(state.projects.map((x) => x.id));
    const found = (state.secrets ?? []).filter(
      (x) =>
        x.region === region &&
        projectIds.has(x.project_id) &&
        (q.get("project_id") === null || x.project_id === q.get("project_id")) &&
        (q.get("name") === null || x.name === q.get("name")) &&
        (q.get("path") === null || x.path === q.get("path")),
    );
    return [200, page(found.map(secret), url, state, "secrets")];
  }
  if ((m = /^\/account\/v3\/projects\/([^/]+)$/.exec(p))) {
    const found = [...state.projects, ...state.foreignProjects].find((x) => x.id === m![1]);
    return found ? [200, project(found)] : notFound("project", m[1]!);
  }
  if (p === "/account/v3/projects") {
    return [200, page(inOrg(state.projects).map(project), url, state, "projects")];
  }
  return [404, { type: "not_found", message: `no route ${p}` }];
}

/** Starts the stand-in on a random port of 127.0.0.1. */
export async function startStandin(state: StandinState): Promise<Standin> {
  const requests: RecordedRequest[] = [];
  const server = http.createServer((req, res) => {
    const url = new URL(req.url ?? "/", "http://127.0.0.1");
    const token = req.headers["x-auth-token"];
    const authenticated = token === state.secretKey;
    const recorded = {
      method: req.method ?? "",
      path: url.pathname,
      query: url.search,
      authenticated,
      token: token !== undefined,
    };
    const before = requests.filter((r) => r.path === url.pathname).length;
    requests.push(recorded);
    const send = (status: number, body: Json, headers: Record<string, string> = {}) => {
      res.writeHead(status, { "Content-Type": "application/json", ...headers });
      res.end(JSON.stringify(body));
    };
    if (req.method !== "GET") return send(405, { type: "invalid_request_error", message: "read-only stand-in" });
    if (!authenticated) {
      return send(401, {
        type: "denied_authentication",
        method: "api_key",
        reason: "not_found",
        message: "authentication is denied",
      });
    }
    const reply = state.intercept?.(recorded, before);
    if (reply) {
      res.writeHead(reply.status, { "Content-Type": "application/json", ...reply.headers });
      res.end(reply.text ?? (reply.body === undefined ? "" : JSON.stringify(reply.body)));
      return;
    }
    if (state.fail && url.pathname.startsWith(state.fail.pathPrefix)) return send(state.fail.status, state.fail.body);
    const [status, body] = route(state, url);
    send(status, status === 200 && state.rewrite ? state.rewrite(url.pathname, body, url) : body);
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}`,
    requests,
    state,
    close: () =>
      new Promise<void>((resolve) => {
        server.close(() => resolve());
        // A run that stopped at a failure leaves the SDK's keep-alive connections open: do not wait for them.
        server.closeAllConnections();
      }),
  };
}

/** The documented permission sets (presets/permission-sets.tsv) as the live list would show them. */
export function catalogAsLive(root: string): StandinPermissionSet[] {
  const lines = fs
    .readFileSync(path.join(root, "components", "presets", "permission-sets.tsv"), "utf8")
    .trim()
    .split("\n")
    .slice(1);
  return lines.map((line) => {
    const [name, scope, category] = line.split("\t");
    return {
      name: name!,
      scope_type: scope === "project" ? "projects" : "organization",
      categories: category ? [category] : [],
    };
  });
}
