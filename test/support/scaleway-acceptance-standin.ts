/**
 * A stand-in for what the acceptance run meets in a Scaleway organization, on 127.0.0.1: IAM as a set of
 * applications, policies (rules of permission sets on projects) and API keys that decide every answer; the reads the
 * run makes with issued keys (Instance servers, Block Storage volumes, Secret Manager secrets: 200 when a rule of the
 * key's policy grants the product on the project asked, 403 `permissions_denied` otherwise, 401 for an unknown or
 * revoked key); Object Storage's S3 ListBuckets, its SigV4 signature verified with the key's secret and the project
 * taken from `<access key>@<project>`; and the IAM lists the run reads with its own key. A control API (`/__control`,
 * no authentication) is how the stand-in `pulumi` (fake-pulumi.js) creates and deletes what an update would.
 * Payloads follow the API's snake_case JSON (`@scaleway/sdk-iam` v1alpha1 types); errors the API's error bodies.
 * test/support/scaleway-standin.ts (preflight's) serves one key and no writes, hence this second one.
 */
import { createHash, createHmac, randomBytes, randomUUID } from "crypto";
import * as http from "http";
import type { AddressInfo } from "net";

type Json = Record<string, unknown>;
export type Product = "instance" | "block" | "secrets" | "s3";

/** What each permission set lets a key list, in the stand-in (Scaleway's permission set reference). */
const GRANTS: Readonly<Record<string, readonly Product[]>> = {
  AllProductsFullAccess: ["instance", "block", "secrets", "s3"],
  AllProductsReadOnly: ["instance", "block", "secrets", "s3"],
  InstancesFullAccess: ["instance"],
  InstancesReadOnly: ["instance"],
  BlockStorageFullAccess: ["block"],
  BlockStorageReadOnly: ["block"],
  SecretManagerReadOnly: ["secrets"],
  SecretManagerFullAccess: ["secrets"],
  ObjectStorageFullAccess: ["s3"],
  ObjectStorageReadOnly: ["s3"],
  ObjectStorageBucketsRead: ["s3"],
};

export interface StandinRule {
  readonly projectIds: readonly string[];
  readonly sets: readonly string[];
}
export interface StandinApplication {
  readonly id: string;
  readonly name: string;
  readonly tags: readonly string[];
}
export interface StandinPolicy {
  readonly id: string;
  readonly name: string;
  readonly tags: readonly string[];
  readonly applicationId: string;
  readonly rules: readonly StandinRule[];
}
export interface StandinKey {
  readonly accessKey: string;
  readonly secretKey: string;
  readonly applicationId: string;
  readonly defaultProjectId?: string;
  readonly expiresAt?: string;
  readonly description?: string;
}

export interface AcceptanceState {
  readonly organizationId: string;
  /** The run's own key: every read allowed. */
  readonly admin: { readonly accessKey: string; readonly secretKey: string };
  readonly applications: Map<string, StandinApplication>;
  readonly policies: Map<string, StandinPolicy>;
  readonly keys: Map<string, StandinKey>;
  /** Every key issued, deleted ones included, by secret key: a deleted key answers 401. */
  readonly everIssued: Map<string, StandinKey>;
  /** A broken IAM: every key reads every project (the run's denial checks must catch it). */
  lax?: boolean;
  /**
   * Deleted keys still authenticate: `allowed` as before (a slow revocation), or `denied` everything (a key left
   * alive without rights: not revoked either).
   */
  revokedKeys?: "allowed" | "denied";
}

export interface RecordedRequest {
  readonly method: string;
  readonly path: string;
  readonly query: URLSearchParams;
  /** The access key the request authenticated with (`admin`, an issued one, or none). */
  readonly who: string | undefined;
  /** The project a read named (`project`, `project_id`, or S3's `<access key>@<project>`). */
  readonly project?: string;
  readonly status: number;
}

export interface AcceptanceStandin {
  readonly url: string;
  readonly state: AcceptanceState;
  readonly requests: RecordedRequest[];
  close(): Promise<void>;
}

export function newState(organizationId: string, admin: AcceptanceState["admin"]): AcceptanceState {
  return {
    organizationId,
    admin,
    applications: new Map(),
    policies: new Map(),
    keys: new Map(),
    everIssued: new Map(),
  };
}

const DENIED = (resource: string): [number, Json] => [
  403,
  {
    type: "permissions_denied",
    message: "insufficient permissions",
    details: [{ resource, action: "read" }],
  },
];
const UNAUTHENTICATED: [number, Json] = [
  401,
  { type: "denied_authentication", method: "api_key", reason: "not_found", message: "authentication is denied" },
];

function allowed(state: AcceptanceState, key: StandinKey | "admin", product: Product, project: string): boolean {
  if (key === "admin" || state.lax) return true;
  const policies = [...state.policies.values()].filter((p) => p.applicationId === key.applicationId);
  return policies.some((p) =>
    p.rules.some((r) => r.projectIds.includes(project) && r.sets.some((s) => GRANTS[s]?.includes(product))),
  );
}

function page(items: readonly Json[], url: URL, key: string): Json {
  const size = Math.min(Number(url.searchParams.get("page_size") ?? 20) || 20, 100);
  const number = Math.max(1, Number(url.searchParams.get("page") ?? 1) || 1);
  return { [key]: items.slice((number - 1) * size, number * size), total_count: items.length };
}

const now = "2026-01-05T00:00:00Z";

function iam(state: AcceptanceState, url: URL): [number, Json] | undefined {
  const q = url.searchParams;
  const org = q.get("organization_id");
  if (org !== null && org !== state.organizationId) return [200, { total_count: 0 }];
  const tag = q.get("tag");
  const tagged = (tags: readonly string[]) => tag === null || tags.includes(tag);
  if (url.pathname === "/iam/v1alpha1/applications") {
    const ids = q.getAll("application_ids");
    const apps = [...state.applications.values()].filter(
      (a) => tagged(a.tags) && (ids.length === 0 || ids.includes(a.id)),
    );
    const json = apps.map((a) => ({
      id: a.id,
      name: a.name,
      description: "",
      created_at: now,
      updated_at: now,
      organization_id: state.organizationId,
      editable: true,
      deletable: true,
      managed: false,
      nb_api_keys: [...state.keys.values()].filter((k) => k.applicationId === a.id).length,
      tags: a.tags,
    }));
    return [200, page(json, url, "applications")];
  }
  if (url.pathname === "/iam/v1alpha1/policies") {
    const json = [...state.policies.values()]
      .filter((p) => tagged(p.tags))
      .map((p) => ({
        id: p.id,
        name: p.name,
        description: "",
        organization_id: state.organizationId,
        created_at: now,
        updated_at: now,
        editable: true,
        deletable: true,
        managed: false,
        nb_rules: p.rules.length,
        nb_scopes: p.rules.length,
        nb_permission_sets: p.rules.reduce((n, r) => n + r.sets.length, 0),
        tags: p.tags,
        application_id: p.applicationId,
      }));
    return [200, page(json, url, "policies")];
  }
  if (url.pathname === "/iam/v1alpha1/api-keys") {
    const wanted = q.getAll("access_keys");
    const json = [...state.keys.values()]
      .filter((k) => wanted.length === 0 || wanted.includes(k.accessKey))
      .map((k) => ({
        access_key: k.accessKey,
        secret_key: null,
        application_id: k.applicationId,
        description: k.description ?? "",
        created_at: now,
        updated_at: now,
        expires_at: k.expiresAt ?? null,
        default_project_id: k.defaultProjectId ?? "",
        editable: true,
        deletable: true,
        managed: false,
        creation_ip: "127.0.0.1",
      }));
    return [200, page(json, url, "api_keys")];
  }
  return undefined;
}

/** The product a read is for, the project it names, and the resource word of a refusal. */
function productRead(url: URL): { product: Product; project: string | null; resource: string } | undefined {
  if (/^\/instance\/v1\/zones\/[a-z0-9-]+\/servers$/.test(url.pathname)) {
    return { product: "instance", project: url.searchParams.get("project"), resource: "servers" };
  }
  if (/^\/block\/v1alpha1\/zones\/[a-z0-9-]+\/volumes$/.test(url.pathname)) {
    return { product: "block", project: url.searchParams.get("project_id"), resource: "volumes" };
  }
  if (/^\/secret-manager\/v1beta1\/regions\/[a-z0-9-]+\/secrets$/.test(url.pathname)) {
    return { product: "secrets", project: url.searchParams.get("project_id"), resource: "secrets" };
  }
  return undefined;
}

// ---------------------------------------------------------------------------------------------------------------
// S3: SigV4 checked here, written apart from tools/acceptance/sigv4.ts (the worked example of AWS's guide checks that
// one); only ListBuckets (GET /) is served.

const hex = (data: string) => createHash("sha256").update(data, "utf8").digest("hex");
const mac = (key: Buffer | string, data: string) => createHmac("sha256", key).update(data, "utf8").digest();

function s3Answer(state: AcceptanceState, req: http.IncomingMessage, url: URL): [number, string, string | undefined] {
  const xmlError = (code: string, status: number): [number, string, undefined] => [
    status,
    `<?xml version="1.0" encoding="UTF-8"?><Error><Code>${code}</Code><Message>${code}</Message></Error>`,
    undefined,
  ];
  const auth = String(req.headers.authorization ?? "");
  const m =
    /^AWS4-HMAC-SHA256 Credential=([^/]+)\/(\d{8})\/([^/]+)\/s3\/aws4_request, SignedHeaders=([a-z0-9;-]+), Signature=([0-9a-f]{64})$/.exec(
      auth,
    );
  if (!m || url.pathname !== "/") return xmlError("InvalidRequest", 400);
  const [, credential, day, region, signedHeaders, signature] = m as unknown as string[];
  const [accessKey, project] = credential!.split("@");
  const key = [...state.keys.values()].find((k) => k.accessKey === accessKey);
  if (!key) return xmlError("InvalidAccessKeyId", 403);
  const names = signedHeaders!.split(";");
  if (!names.includes("host") || !names.includes("x-amz-date") || !names.includes("x-amz-content-sha256")) {
    return xmlError("AccessDenied", 403);
  }
  const canonical = [
    "GET",
    "/",
    url.search.slice(1),
    ...names.map((n) => `${n}:${String(req.headers[n] ?? "").trim()}`),
    "",
    signedHeaders,
    String(req.headers["x-amz-content-sha256"] ?? ""),
  ].join("\n");
  const amzDate = String(req.headers["x-amz-date"] ?? "");
  const scope = `${day}/${region}/s3/aws4_request`;
  const toSign = ["AWS4-HMAC-SHA256", amzDate, scope, hex(canonical)].join("\n");
  const signingKey = mac(mac(mac(mac(`AWS4${key.secretKey}`, day!), region!), "s3"), "aws4_request");
  if (createHmac("sha256", signingKey).update(toSign).digest("hex") !== signature || !amzDate.startsWith(day!)) {
    return xmlError("SignatureDoesNotMatch", 403);
  }
  const target = project ?? key.defaultProjectId ?? "";
  if (!allowed(state, key, "s3", target)) return xmlError("AccessDenied", 403);
  return [
    200,
    `<?xml version="1.0" encoding="UTF-8"?><ListAllMyBucketsResult><Owner><ID>${target}</ID></Owner><Buckets></Buckets></ListAllMyBucketsResult>`,
    target,
  ];
}

// ---------------------------------------------------------------------------------------------------------------
// The control API of the stand-in `pulumi`

function control(state: AcceptanceState, method: string, path: string, body: Json): [number, Json] {
  let m: RegExpExecArray | null;
  if (method === "POST" && path === "/__control/application") {
    const app: StandinApplication = { id: randomUUID(), name: String(body.name), tags: body.tags as string[] };
    state.applications.set(app.id, app);
    return [200, { id: app.id }];
  }
  if (method === "POST" && path === "/__control/policy") {
    const policy: StandinPolicy = {
      id: randomUUID(),
      name: String(body.name),
      tags: body.tags as string[],
      applicationId: String(body.applicationId),
      rules: body.rules as StandinRule[],
    };
    state.policies.set(policy.id, policy);
    return [200, { id: policy.id }];
  }
  if (method === "POST" && path === "/__control/key") {
    const key: StandinKey = {
      accessKey: `SCW${randomBytes(10).toString("hex").toUpperCase().slice(0, 17)}`,
      secretKey: randomUUID(),
      applicationId: String(body.applicationId),
      ...(typeof body.defaultProjectId === "string" ? { defaultProjectId: body.defaultProjectId } : {}),
      ...(typeof body.expiresAt === "string" ? { expiresAt: body.expiresAt } : {}),
      ...(typeof body.description === "string" ? { description: body.description } : {}),
    };
    state.keys.set(key.accessKey, key);
    state.everIssued.set(key.secretKey, key);
    return [200, { accessKey: key.accessKey, secretKey: key.secretKey }];
  }
  if (method === "DELETE" && (m = /^\/__control\/key\/([^/]+)$/.exec(path))) {
    return state.keys.delete(m[1]!) ? [200, {}] : [404, { message: "no such key" }];
  }
  if (method === "DELETE" && (m = /^\/__control\/policy\/([^/]+)$/.exec(path))) {
    return state.policies.delete(m[1]!) ? [200, {}] : [404, { message: "no such policy" }];
  }
  if (method === "DELETE" && (m = /^\/__control\/application\/([^/]+)$/.exec(path))) {
    // Deleting an application deletes its API keys (Scaleway does the same).
    for (const k of [...state.keys.values()]) if (k.applicationId === m[1]) state.keys.delete(k.accessKey);
    return state.applications.delete(m[1]!) ? [200, {}] : [404, { message: "no such application" }];
  }
  return [404, { message: `no control route ${method} ${path}` }];
}

export async function startAcceptanceStandin(state: AcceptanceState): Promise<AcceptanceStandin> {
  const requests: RecordedRequest[] = [];
  const server = http.createServer((req, res) => {
    const url = new URL(req.url ?? "/", "http://127.0.0.1");
    let text = "";
    req.on("data", (d: Buffer) => (text += d.toString("utf8")));
    req.on("end", () => {
      const method = req.method ?? "";
      const record = (status: number, who: string | undefined, project?: string) =>
        requests.push({
          method,
          path: url.pathname,
          query: url.searchParams,
          who,
          status,
          ...(project ? { project } : {}),
        });
      const json = (status: number, body: Json) => {
        res.writeHead(status, { "Content-Type": "application/json" });
        res.end(JSON.stringify(body));
      };
      if (url.pathname.startsWith("/__control/")) {
        const [status, body] = control(state, method, url.pathname, text ? (JSON.parse(text) as Json) : {});
        return json(status, body);
      }
      if (String(req.headers.authorization ?? "").startsWith("AWS4-HMAC-SHA256")) {
        const [status, xml] = s3Answer(state, req, url);
        const [, accessKey, project] = /Credential=([^/@]+)(?:@([^/]+))?/.exec(String(req.headers.authorization)) ?? [];
        record(status, accessKey, project);
        res.writeHead(status, { "Content-Type": "application/xml" });
        return res.end(xml);
      }
      if (method !== "GET") {
        record(405, undefined);
        return json(405, { type: "invalid_request_error", message: "the acceptance run only reads" });
      }
      const token = String(req.headers["x-auth-token"] ?? "");
      const issued = state.everIssued.get(token);
      const deleted = issued !== undefined && !state.keys.has(issued.accessKey);
      const live = issued && (!deleted || state.revokedKeys) ? issued : undefined;
      const who: StandinKey | "admin" | undefined = token === state.admin.secretKey ? "admin" : live;
      const whoName = who === "admin" ? "admin" : who?.accessKey;
      const read = productRead(url);
      const answer = (status: number, body: Json) => {
        record(status, whoName ?? issued?.accessKey, read?.project ?? undefined);
        json(status, body);
      };
      if (!who) return answer(...UNAUTHENTICATED);
      if (read) {
        if (read.project === null) return answer(400, { type: "invalid_arguments", message: "project required" });
        const refused = deleted && state.revokedKeys === "denied";
        if (refused || !allowed(state, who, read.product, read.project)) return answer(...DENIED(read.resource));
        return answer(200, { [read.resource]: [], total_count: 0 });
      }
      if (url.pathname.startsWith("/iam/")) {
        if (who !== "admin") return answer(...DENIED("iam"));
        const routed = iam(state, url);
        if (routed) return answer(...routed);
      }
      return answer(404, { type: "not_found", message: `no route ${url.pathname}` });
    });
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}`,
    state,
    requests,
    close: () =>
      new Promise<void>((resolve) => {
        server.close(() => resolve());
        server.closeAllConnections();
      }),
  };
}
