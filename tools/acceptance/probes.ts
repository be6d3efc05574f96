/**
 * What the acceptance run asks Scaleway, with Scaleway's SDK and read-only requests: with each issued key, one read
 * its use case's permission sets allow, on the granted project and then, the same call, on the other project (which
 * must be refused); with the run's own key, what is left of the stack once destroyed. Requests go through preflight's
 * read-only client (GET only, one origin, no redirect followed, bounded answers, 429 retried).
 *
 * Paths and parameters follow Scaleway's API reference and SDKs for the products read (`@scaleway/sdk-instance`
 * v1 listServers: `project`; `@scaleway/sdk-block` v1alpha1 listVolumes and `@scaleway/sdk-secret` v1beta1
 * listSecrets: `project_id`); those packages are not dependencies, so the requests are written here on the SDK's
 * client. Object Storage is S3: `GET /` (ListBuckets) signed with SigV4, the project chosen by appending
 * `@<project ID>` to the access key (Scaleway docs, "Using IAM API keys with Object Storage", scaleway/docs-content
 * pages/iam/api-cli/using-api-key-object-storage.mdx).
 */
import { API, type Client, urlParams, validatePathParam } from "@scaleway/sdk-client";
import { Iamv1alpha1 } from "@scaleway/sdk-iam";
import { httpStatus, readOnlyClient, REQUEST_TIMEOUT_MS } from "../preflight/client";
import { EMPTY_SHA256, signV4 } from "./sigv4";
import type { UseCase } from "./stackConfig";

export type Probe = "instance-servers" | "block-volumes" | "secrets" | "s3-buckets";

/** What each use case's key must be able to read (its presets' permission sets), on its projects only. */
export const PROBES: Readonly<Record<UseCase, readonly Probe[]>> = {
  inventory: ["instance-servers"],
  "secret-provider": ["secrets"],
  "secret-manager-backup": ["secrets"],
  "object-storage": ["s3-buckets"],
  "object-storage-source": ["s3-buckets"],
  "instance-backup": ["instance-servers", "s3-buckets"],
  "block-storage-backup": ["block-volumes", "s3-buckets"],
};

/** In words, for the run's report. */
export const PROBE_WORDS: Readonly<Record<Probe, string>> = {
  "instance-servers": "list Instances",
  "block-volumes": "list Block Storage volumes",
  secrets: "list Secret Manager secrets",
  "s3-buckets": "list Object Storage buckets (S3)",
};

export interface Endpoints {
  /** Scaleway's API, without a trailing slash. */
  readonly apiURL: string;
  /** Object Storage's S3 endpoint, without a trailing slash: https://s3.<region>.scw.cloud */
  readonly s3URL: string;
  readonly region: string;
  readonly zone: string;
}

export interface Key {
  readonly accessKey: string;
  readonly secretKey: string;
}

/** A failure to ask at all (the network, a timeout): not an answer to judge. */
export class ProbeError extends Error {}

/** The largest S3 answer read: ListBuckets of a throwaway project, or an error document. */
const MAX_S3_BODY = 256 * 1024;

/** Generic reads on the SDK's client: same credentials, guard and errors as the SDK's own APIs. */
class Reads extends API {
  list = (path: string, params: readonly (readonly [string, string | number])[]): Promise<unknown> =>
    this.client.fetch({ method: "GET", path, urlParams: urlParams(...params) }, (data: unknown) => data);
}

/** The HTTP status one read with one key gets: 200 allowed, 403 refused, 401 an unknown (revoked) key. */
export class Prober {
  constructor(
    private readonly endpoints: Endpoints,
    private readonly fetchImpl: typeof fetch = fetch,
    private readonly now: () => Date = () => new Date(),
  ) {}

  async status(probe: Probe, key: Key, projectId: string): Promise<number> {
    if (probe === "s3-buckets") return this.s3(key, projectId);
    const reads = new Reads(this.client(key));
    const { region, zone } = this.endpoints;
    const [path, params]: [string, [string, string | number][]] =
      probe === "instance-servers"
        ? [
            `/instance/v1/zones/${validatePathParam("zone", zone)}/servers`,
            [
              ["project", projectId],
              ["per_page", 1],
            ],
          ]
        : probe === "block-volumes"
          ? [
              `/block/v1alpha1/zones/${validatePathParam("zone", zone)}/volumes`,
              [
                ["project_id", projectId],
                ["page_size", 1],
              ],
            ]
          : [
              `/secret-manager/v1beta1/regions/${validatePathParam("region", region)}/secrets`,
              [
                ["project_id", projectId],
                ["page_size", 1],
              ],
            ];
    try {
      await reads.list(path, params);
      return 200;
    } catch (err) {
      const status = httpStatus(err);
      if (status !== undefined) return status;
      throw new ProbeError(`${PROBE_WORDS[probe]}: no answer from ${this.endpoints.apiURL} (${firstLine(err)})`);
    }
  }

  private client(key: Key): Client {
    return readOnlyClient(
      { ...key, apiURL: this.endpoints.apiURL, sources: { keys: "an issued key", apiURL: "SCW_API_URL" } },
      this.fetchImpl,
    );
  }

  /** ListBuckets in `projectId`, whatever the key's preferred project: `<access key>@<project ID>`. */
  private async s3(key: Key, projectId: string): Promise<number> {
    const url = new URL(`${this.endpoints.s3URL}/`);
    const signed = signV4({
      method: "GET",
      url,
      headers: { "x-amz-content-sha256": EMPTY_SHA256 },
      payloadHash: EMPTY_SHA256,
      accessKey: `${key.accessKey}@${projectId}`,
      secretKey: key.secretKey,
      region: this.endpoints.region,
      service: "s3",
      now: this.now(),
    });
    // fetch derives Host from the URL, as signed.
    const { host: _host, ...headers } = signed.headers;
    let response: Response;
    try {
      response = await this.fetchImpl(url, {
        method: "GET",
        headers,
        redirect: "manual",
        signal: AbortSignal.timeout(REQUEST_TIMEOUT_MS),
      });
    } catch (err) {
      throw new ProbeError(`${PROBE_WORDS["s3-buckets"]}: no answer from ${url.origin} (${firstLine(err)})`);
    }
    await drain(response);
    return response.status;
  }
}

/** Reads and drops at most MAX_S3_BODY bytes of an answer (its status is what is judged). */
async function drain(response: Response): Promise<void> {
  if (!response.body) return;
  const reader = response.body.getReader();
  let size = 0;
  for (;;) {
    const { done, value } = await reader.read();
    if (done) return;
    size += value.byteLength;
    if (size > MAX_S3_BODY) {
      await reader.cancel().catch(() => undefined);
      return;
    }
  }
}

function firstLine(err: unknown): string {
  const e = err as { message?: unknown; cause?: { code?: unknown } } | null;
  const code = typeof e?.cause?.code === "string" ? e.cause.code : undefined;
  return code ?? String(e?.message ?? err).split("\n")[0] ?? "error";
}

// ---------------------------------------------------------------------------------------------------------------
// What is left

export interface Leftovers {
  readonly applications: readonly { readonly id: string; readonly name: string }[];
  readonly policies: readonly { readonly id: string; readonly name: string }[];
  readonly apiKeys: readonly string[];
}

/** The most pages of one list read: a throwaway stack has a handful of resources. */
const MAX_PAGES = 10;

async function allPages<T>(read: (page: number) => Promise<{ items: T[]; total: number }>): Promise<T[]> {
  const out: T[] = [];
  for (let page = 1; page <= MAX_PAGES; page++) {
    const { items, total } = await read(page);
    out.push(...items);
    if (items.length === 0 || out.length >= total) break;
  }
  return out;
}

/**
 * Applications and policies tagged `stack=<stack>` (the components tag everything they make with it) or among the
 * IDs the run saw, and API keys among the access keys the run was issued: everything still in the organization.
 */
export async function listLeftovers(
  admin: Key & { readonly organizationId: string },
  apiURL: string,
  stack: string,
  seen: { readonly applicationIds: readonly string[]; readonly accessKeys: readonly string[] },
  fetchImpl: typeof fetch = fetch,
): Promise<Leftovers> {
  const iam = new Iamv1alpha1.API(
    readOnlyClient(
      { ...admin, apiURL, sources: { keys: "SCW_ACCESS_KEY and SCW_SECRET_KEY", apiURL: "SCW_API_URL" } },
      fetchImpl,
    ),
  );
  const organizationId = admin.organizationId;
  const tag = `stack=${stack}`;
  const byTag = await allPages(async (page) => {
    const r = await iam.listApplications({ organizationId, tag, page, pageSize: 100 });
    return { items: r.applications, total: r.totalCount };
  });
  const byId =
    seen.applicationIds.length === 0
      ? []
      : await allPages(async (page) => {
          const r = await iam.listApplications({
            organizationId,
            applicationIds: [...seen.applicationIds],
            page,
            pageSize: 100,
          });
          return { items: r.applications, total: r.totalCount };
        });
  const policies = await allPages(async (page) => {
    const r = await iam.listPolicies({ organizationId, tag, page, pageSize: 100 });
    return { items: r.policies, total: r.totalCount };
  });
  const keys =
    seen.accessKeys.length === 0
      ? []
      : await allPages(async (page) => {
          const r = await iam.listAPIKeys({ organizationId, accessKeys: [...seen.accessKeys], page, pageSize: 100 });
          return { items: r.apiKeys, total: r.totalCount };
        });
  const applications = new Map([...byTag, ...byId].map((a) => [a.id, { id: a.id, name: a.name }]));
  return {
    applications: [...applications.values()],
    policies: policies.map((p) => ({ id: p.id, name: p.name })),
    apiKeys: keys.map((k) => k.accessKey),
  };
}
