/**
 * What preflight reads from the live organization, through Scaleway's SDK, with GET requests only. Nothing read is
 * trusted: every item is checked against the shape preflight relies on (a wrong type is an unexpected answer, exit
 * 2), and lists are paged by preflight itself, bounded by what it has received (the SDK's `.all()` would open as many
 * requests at once as a `total_count` claims). Every failure becomes one line (PreflightError, exit 2), except reads
 * whose refusal (403) leaves one check undone: those come back as `denied`, for the check to fail closed on.
 */
import { Accountv3 } from "@scaleway/sdk-account";
import {
  API,
  type Client,
  isJSONObject,
  unmarshalArrayOfObject,
  urlParams,
  validatePathParam,
} from "@scaleway/sdk-client";
import { Iamv1alpha1 } from "@scaleway/sdk-iam";
import { z } from "zod";
import { type Credentials, describeFailure, httpStatus, PreflightError } from "./client";

// ---------------------------------------------------------------------------------------------------------------
// What preflight relies on in each answer

const ID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;
/** An ID, in lower case (Scaleway writes them so; one ID in two cases is one ID). */
const Id = z
  .string()
  .regex(ID, "is not a Scaleway ID")
  .transform((s) => s.toLowerCase());
/** A field the API may leave out or send as null: both mean "absent". */
const opt = <T extends z.ZodType>(schema: T) =>
  schema
    .nullish()
    .transform((v) => (v === null ? undefined : v) as z.output<T> | undefined)
    .optional();
const Text = z.string();
const Texts = z.array(z.string());

const ApplicationShape = z.object({
  id: Id,
  name: Text,
  description: opt(Text).transform((d) => d ?? ""),
  organizationId: Id,
  tags: opt(Texts).transform((t) => t ?? []),
});
const PolicyShape = z.object({
  id: Id,
  name: Text,
  description: opt(Text).transform((d) => d ?? ""),
  organizationId: Id,
  tags: opt(Texts).transform((t) => t ?? []),
  applicationId: opt(Id),
  userId: opt(Id),
  groupId: opt(Id),
  noPrincipal: opt(z.boolean()),
});
const RuleShape = z.object({
  permissionSetNames: opt(Texts).transform((s) => s ?? []),
  permissionSetsScopeType: opt(Text),
  condition: opt(Text).transform((c) => c ?? ""),
  projectIds: opt(z.array(Id)),
  organizationId: opt(Id),
});
const ApiKeyShape = z.object({
  accessKey: z.string().regex(/^SCW[A-Z0-9]{17}$/i, "is not an access key"),
  description: opt(Text).transform((d) => d ?? ""),
  applicationId: opt(Id),
  userId: opt(Id),
  // The SDK turns a date it cannot read into undefined: "never expires" would then be a guess, so only Dates pass.
  expiresAt: opt(z.date()),
});
const PermissionSetShape = z.object({
  name: Text,
  scopeType: Text,
  categories: opt(Texts).transform((c) => c ?? []),
});
const Count = z.number().int().nonnegative();
const QuotumShape = z.object({
  name: Text,
  limit: opt(Count),
  unlimited: opt(z.boolean()),
  limits: opt(
    z.array(z.object({ global: opt(z.boolean()), limit: opt(Count), unlimited: opt(z.boolean()) })),
  ).transform((l) => l ?? []),
});
const ProjectShape = z.object({ id: Id, name: Text, organizationId: Id });
const GroupShape = z.object({ id: Id });
const UserShape = z.object({
  id: Id,
  email: opt(Text).transform((e) => e ?? ""),
  username: opt(Text).transform((u) => u ?? ""),
  organizationId: Id,
  type: opt(Text),
});
const SecurityShape = z.object({ maxApiKeyExpirationDuration: opt(Text) });
const SecretShape = z.object({
  id: Id,
  name: Text,
  path: Text,
  projectId: Id,
  tags: opt(Texts).transform((t) => t ?? []),
  protected: opt(z.boolean()),
});

export type Application = z.output<typeof ApplicationShape>;
export type Policy = z.output<typeof PolicyShape>;
export type PolicyRule = z.output<typeof RuleShape>;
export type ApiKey = z.output<typeof ApiKeyShape>;
export type PermissionSet = z.output<typeof PermissionSetShape>;
export type Quotum = z.output<typeof QuotumShape>;
export type Project = z.output<typeof ProjectShape>;
export type Secret = z.output<typeof SecretShape>;

/** One problem of an answer, in words: where, and what was expected (never the value itself). */
function shapeProblem(error: z.ZodError): string {
  const issue = error.issues[0];
  const where = issue?.path.length ? issue.path.join(".") : "the answer";
  return `${where}: ${issue?.message ?? "unexpected shape"}`;
}

function checked<T extends z.ZodType>(shape: T, value: unknown, what: string): z.output<T> {
  const result = shape.safeParse(value);
  if (!result.success) {
    throw new PreflightError(`${what}: unexpected answer, not trusted (${shapeProblem(result.error)})`);
  }
  return result.data;
}

// ---------------------------------------------------------------------------------------------------------------
// Pages

/** The page size asked for: Scaleway's largest. */
export const PAGE_SIZE = 100;
/** No list preflight reads is longer in a real organization (quotas: 50–100 keys, 100 applications). */
export const MAX_ITEMS = 5000;
/** At most this many requests per list, whatever the server's page size. */
export const MAX_PAGES = 100;

/** One page as the SDK returns it: the items under their key, and the total the server claims. */
interface Page {
  readonly items: unknown;
  readonly total: unknown;
}

/**
 * Every item of a list, page after page, one request at a time. The next page is asked for only while the pages so
 * far were not empty and hold fewer items than the claimed total: a `total_count` that lies can cost one request
 * more, never thousands. A list that ends before its claimed total, or grows past MAX_ITEMS or MAX_PAGES, is not
 * trusted (exit 2).
 */
export async function readAllPages<T extends z.ZodType>(
  what: string,
  shape: T,
  fetchPage: (page: number) => Promise<Page>,
): Promise<z.output<T>[]> {
  const items: z.output<T>[] = [];
  for (let page = 1; ; page++) {
    const answer = await fetchPage(page);
    if (!Array.isArray(answer.items)) {
      throw new PreflightError(`${what}: unexpected answer, not trusted (page ${page} holds no list)`);
    }
    const total = answer.total;
    if (typeof total !== "number" || !Number.isInteger(total) || total < 0) {
      throw new PreflightError(`${what}: unexpected answer, not trusted (page ${page} has no total_count)`);
    }
    answer.items.forEach((item, i) => items.push(checked(shape, item, `${what}, page ${page}, item ${i + 1}`)));
    if (items.length > MAX_ITEMS) {
      throw new PreflightError(
        `${what}: more than ${MAX_ITEMS} items (page ${page} claims ${total} in all): not trusted; no organization this stack serves is that large`,
      );
    }
    if (items.length >= total) return items;
    if (answer.items.length === 0) {
      throw new PreflightError(
        `${what}: the API claims ${total} items but its pages end after ${items.length}: not trusted; run preflight again, and check SCW_API_URL if it persists`,
      );
    }
    if (page >= MAX_PAGES) {
      throw new PreflightError(
        `${what}: still short of the claimed ${total} items after ${MAX_PAGES} pages (${items.length} read): not trusted`,
      );
    }
  }
}

// ---------------------------------------------------------------------------------------------------------------
// Secret Manager

/**
 * The one Secret Manager read preflight makes, `GET /secret-manager/v1beta1/regions/{region}/secrets`, on the SDK's
 * client (so its credentials, guard and errors are the same). Path and parameters follow `@scaleway/sdk-secret`
 * 1.4.0 (`dist/v1beta1/api.gen.js` pageOfListSecrets, `marshalling.gen.js` unmarshalSecret), the release made for
 * this project's `@scaleway/sdk-client` 1.x; the package itself is not a dependency of this project.
 */
class SecretManagerReader extends API {
  listSecrets = (request: {
    region: string;
    projectId: string;
    name: string;
    path: string;
    page: number;
    pageSize: number;
  }): Promise<Page> =>
    this.client.fetch(
      {
        method: "GET",
        path: `/secret-manager/v1beta1/regions/${validatePathParam("region", request.region)}/secrets`,
        urlParams: urlParams(
          ["name", request.name],
          ["page", request.page],
          ["page_size", request.pageSize],
          ["path", request.path],
          ["project_id", request.projectId],
          ["scheduled_for_deletion", false],
        ),
      },
      (data: unknown): Page => {
        if (!isJSONObject(data)) throw new TypeError("the list of secrets is not a JSON object");
        return {
          items: Array.isArray(data.secrets)
            ? unmarshalArrayOfObject(data.secrets, (s: unknown) => {
                if (!isJSONObject(s)) throw new TypeError("a secret is not a JSON object");
                return {
                  id: s.id,
                  name: s.name,
                  path: s.path,
                  projectId: s.project_id,
                  tags: s.tags,
                  protected: s.protected,
                };
              })
            : data.secrets,
          total: data.total_count,
        };
      },
    );
}

// ---------------------------------------------------------------------------------------------------------------
// The organization

/** Who the credentials are, or who deploys. */
export interface Identity {
  readonly kind: "application" | "user";
  readonly id: string;
  /** The application's name, or the user's email. */
  readonly name: string;
  readonly organizationId: string;
  /** The organization's owner holds every right, whatever the policies say. */
  readonly owner: boolean;
}

/** A policy rule, with the policy it belongs to. */
export interface HeldRule {
  readonly policy: Policy;
  readonly rule: PolicyRule;
}

/** What a project ID not in the organization's list turned out to be. */
export type OutsideProject =
  { readonly kind: "other-organization"; readonly project: Project } | { readonly kind: "missing" };

/** A read that may be refused (403) without stopping preflight: its check then fails closed. */
export type Readable<T> = { readonly ok: T } | { readonly denied: string };

/** Where `pulumi up` will deliver a credential's secret: what the stack's Secret resource is created with. */
export interface DeliveryTarget {
  /** The credential's key in the stack config. */
  readonly key: string;
  readonly region: string;
  readonly projectId: string;
  readonly name: string;
  readonly path: string;
}

/** Whose rights `pulumi up` runs with, as far as preflight can tell. */
export type DeployerRequest =
  | { readonly kind: "self" }
  | { readonly kind: "application"; readonly id: string }
  | { readonly kind: "key"; readonly accessKey: string }
  | { readonly kind: "unknown" };

export type Deployer =
  | { readonly kind: "known"; readonly identity: Identity; readonly rules: readonly HeldRule[] }
  /** The access key `pulumi up` would use is not in the organization (or not visible to preflight). */
  | { readonly kind: "unknown-key"; readonly accessKey: string }
  | { readonly kind: "unknown" };

export interface LiveOrganization {
  /** The identity of the credentials. */
  readonly identity: Identity;
  readonly projects: readonly Project[];
  /** Declared project IDs missing from `projects`, looked up one by one. */
  readonly outside: ReadonlyMap<string, OutsideProject>;
  readonly permissionSets: readonly PermissionSet[];
  readonly quotas: Readable<readonly Quotum[]>;
  /** `max_api_key_expiration_duration` of the security settings, as sent ("2592000s"), if any. */
  readonly maxApiKeyExpiration?: string;
  readonly applications: readonly Application[];
  readonly policies: readonly Policy[];
  readonly apiKeys: readonly ApiKey[];
  /** The identity whose rights are checked, and the rules it holds. */
  readonly deployer: Deployer;
  /** Rules of the policies named by `adopt.policyId`, by policy ID, in the API's order. */
  readonly adoptedRules: ReadonlyMap<string, readonly PolicyRule[]>;
  /** The secrets already at each delivery's project, path and name, by credential key. */
  readonly secrets: ReadonlyMap<string, Readable<readonly Secret[]>>;
}

/** What preflight asks of the organization, from the stack's plan. */
export interface ReadRequest {
  readonly organizationId: string;
  /** Every project ID the stack config declares. */
  readonly projectIds: readonly string[];
  readonly deployer: DeployerRequest;
  /** Policies to be adopted: their rules are read to compare them with the plan. */
  readonly adoptedPolicyIds: readonly string[];
  readonly deliveries: readonly DeliveryTarget[];
}

/** The permission set each read needs, with its scope: what a 403 tells the user to add. */
const RIGHT = {
  iam: "IAMReadOnly on the organization",
  projects: "ProjectReadOnly on the organization",
  // IAMReadOnly covers users, groups, applications, policies and API keys; the organization's quotas are under
  // OrganizationReadOnly ("the Organization's general information and quotas", Scaleway's permission set reference).
  quotas: "OrganizationReadOnly on the organization",
  secrets: (projectId: string) => `SecretManagerReadOnly on project ${projectId}`,
};

export class ScalewayReader {
  private readonly iam: Iamv1alpha1.API;
  private readonly account: Accountv3.ProjectAPI;
  private readonly secretManager: SecretManagerReader;

  constructor(
    client: Client,
    private readonly credentials: Credentials,
  ) {
    this.iam = new Iamv1alpha1.API(client);
    this.account = new Accountv3.ProjectAPI(client);
    this.secretManager = new SecretManagerReader(client);
  }

  /** Runs one SDK call; a failure becomes a PreflightError naming what was being read and the right it needs. */
  private async read<T>(what: string, right: string, call: () => Promise<T>): Promise<T> {
    try {
      return await call();
    } catch (err) {
      throw new PreflightError(describeFailure(err, what, this.credentials, right));
    }
  }

  /** As `read`, but a 403 comes back as `denied` (the message says which set to add). */
  private async readable<T>(what: string, right: string, call: () => Promise<T>): Promise<Readable<T>> {
    try {
      return { ok: await call() };
    } catch (err) {
      if (httpStatus(err) === 403) return { denied: describeFailure(err, what, this.credentials, right) };
      throw new PreflightError(describeFailure(err, what, this.credentials, right));
    }
  }

  private list<T extends z.ZodType>(
    what: string,
    right: string,
    shape: T,
    fetchPage: (page: number) => Promise<Page>,
  ): Promise<z.output<T>[]> {
    return readAllPages(what, shape, (page) => this.read(what, right, () => fetchPage(page)));
  }

  /** The identity behind the credentials' access key: `GET /iam/v1alpha1/api-keys/{access_key}`, then its bearer. */
  async whoAmI(): Promise<Identity> {
    const what = "reading the credentials' own API key";
    const key = checked(
      ApiKeyShape,
      await this.read(what, RIGHT.iam, () => this.iam.getAPIKey({ accessKey: this.credentials.accessKey })),
      what,
    );
    const bearer = await this.bearer(key, "the credentials");
    if (!bearer) throw new PreflightError(`${what}: the key has neither an application nor a user as its bearer`);
    return bearer;
  }

  private async bearer(key: ApiKey, whose: string): Promise<Identity | undefined> {
    if (key.applicationId) {
      const what = `reading the application of ${whose}`;
      const applicationId = key.applicationId;
      const app = checked(
        ApplicationShape,
        await this.read(what, RIGHT.iam, () => this.iam.getApplication({ applicationId })),
        what,
      );
      return { kind: "application", id: app.id, name: app.name, organizationId: app.organizationId, owner: false };
    }
    if (key.userId) {
      const what = `reading the user of ${whose}`;
      const userId = key.userId;
      const user = checked(UserShape, await this.read(what, RIGHT.iam, () => this.iam.getUser({ userId })), what);
      return {
        kind: "user",
        id: user.id,
        name: user.email || user.username,
        organizationId: user.organizationId,
        owner: user.type === "owner",
      };
    }
    return undefined;
  }

  /** The identity behind another access key (the one `pulumi up` would use); undefined when the API knows none. */
  private async keyBearer(accessKey: string): Promise<Identity | undefined> {
    const what = `reading API key ${accessKey}, the one pulumi up would use`;
    let raw: unknown;
    try {
      raw = await this.iam.getAPIKey({ accessKey });
    } catch (err) {
      // Another organization's key, or none: either way not a key this organization can run pulumi up with.
      if (httpStatus(err) === 404 || httpStatus(err) === 403) return undefined;
      throw new PreflightError(describeFailure(err, what, this.credentials, RIGHT.iam));
    }
    return this.bearer(checked(ApiKeyShape, raw, what), `API key ${accessKey}`);
  }

  /** Everything the checks need, once the credentials are known to belong to the stack's organization. */
  async organization(identity: Identity, request: ReadRequest): Promise<LiveOrganization> {
    const organizationId = request.organizationId;
    const iam = (what: string, shape: z.ZodType, key: string, call: (page: number) => Promise<unknown>) =>
      this.list(what, RIGHT.iam, shape, async (page) => {
        const answer = (await call(page)) as Record<string, unknown>;
        return { items: answer[key], total: answer.totalCount };
      });
    const pageOf = (page: number) => ({ organizationId, page, pageSize: PAGE_SIZE });
    const [projects, permissionSets, quotas, security, applications, policies, apiKeys, secrets] = await Promise.all([
      this.list("listing the organization's projects", RIGHT.projects, ProjectShape, async (page) => {
        const answer = await this.account.listProjects(pageOf(page));
        return { items: answer.projects, total: answer.totalCount };
      }),
      iam("listing permission sets", PermissionSetShape, "permissionSets", (page) =>
        this.iam.listPermissionSets(pageOf(page)),
      ) as Promise<PermissionSet[]>,
      this.readable("listing the organization's quotas", RIGHT.quotas, () =>
        readAllPages("listing the organization's quotas", QuotumShape, async (page) => {
          const answer = await this.iam.listQuota(pageOf(page));
          return { items: answer.quota, total: answer.totalCount };
        }),
      ),
      this.read("reading the organization's security settings", RIGHT.iam, () =>
        this.iam.getOrganizationSecuritySettings({ organizationId }),
      ).then((s) => checked(SecurityShape, s, "reading the organization's security settings")),
      iam("listing applications", ApplicationShape, "applications", (page) =>
        this.iam.listApplications(pageOf(page)),
      ) as Promise<Application[]>,
      iam("listing policies", PolicyShape, "policies", (page) => this.iam.listPolicies(pageOf(page))) as Promise<
        Policy[]
      >,
      iam("listing API keys", ApiKeyShape, "apiKeys", (page) => this.iam.listAPIKeys(pageOf(page))) as Promise<
        ApiKey[]
      >,
      Promise.all(request.deliveries.map(async (d) => [d.key, await this.secretsAt(d)] as const)),
    ]);
    const known = new Set(projects.map((p) => p.id));
    const missing = [...new Set(request.projectIds)].filter((id) => !known.has(id));
    const adopted = [...new Set(request.adoptedPolicyIds)].filter((id) => policies.some((p) => p.id === id));
    const [outside, deployer, adoptedRules] = await Promise.all([
      Promise.all(missing.map(async (id) => [id, await this.outsideProject(id)] as const)),
      this.deployer(identity, request, applications, policies),
      Promise.all(adopted.map(async (policyId) => [policyId, await this.rules(policyId)] as const)),
    ]);
    return {
      identity,
      projects,
      outside: new Map(outside),
      permissionSets,
      quotas,
      ...(security.maxApiKeyExpirationDuration ? { maxApiKeyExpiration: security.maxApiKeyExpirationDuration } : {}),
      applications,
      policies,
      apiKeys,
      deployer,
      adoptedRules: new Map(adoptedRules),
      secrets: new Map(secrets),
    };
  }

  /** Secrets already at a delivery's project, path and name (the API's filters, checked again here). */
  private secretsAt(d: DeliveryTarget): Promise<Readable<Secret[]>> {
    const what = `listing the secrets named ${JSON.stringify(d.name)} at ${d.path} in project ${d.projectId} (${d.region})`;
    return this.readable(what, RIGHT.secrets(d.projectId), async () => {
      const found = await readAllPages(what, SecretShape, (page) =>
        this.secretManager.listSecrets({
          region: d.region,
          projectId: d.projectId,
          name: d.name,
          path: d.path,
          page,
          pageSize: PAGE_SIZE,
        }),
      );
      return found.filter((s) => s.name === d.name && s.path === d.path && s.projectId === d.projectId);
    });
  }

  private async deployer(
    identity: Identity,
    request: ReadRequest,
    applications: readonly Application[],
    policies: readonly Policy[],
  ): Promise<Deployer> {
    const wanted = request.deployer;
    let who: Identity | undefined;
    if (wanted.kind === "self") who = identity;
    else if (wanted.kind === "application") {
      const app = applications.find((a) => a.id === wanted.id);
      if (!app) {
        throw new PreflightError(
          `--deployer: ${wanted.id} is not an application of organization ${request.organizationId}: give the ID of the application that runs pulumi up`,
        );
      }
      who = { kind: "application", id: app.id, name: app.name, organizationId: app.organizationId, owner: false };
    } else if (wanted.kind === "key") {
      who = await this.keyBearer(wanted.accessKey);
      if (!who) return { kind: "unknown-key", accessKey: wanted.accessKey };
    } else return { kind: "unknown" };
    return { kind: "known", identity: who, rules: await this.rulesHeldBy(who, request.organizationId, policies) };
  }

  /** A project ID the organization's list lacks: another organization's (`GET /account/v3/projects/{id}`), or none. */
  private async outsideProject(projectId: string): Promise<OutsideProject> {
    const what = `looking up project ${projectId}`;
    let raw: unknown;
    try {
      raw = await this.account.getProject({ projectId });
    } catch (err) {
      // Another organization's project is usually hidden (403) or unknown (404) to these credentials: either way,
      // it is not one of this organization's projects. Anything else is a real failure.
      const status = httpStatus(err);
      if (status === 403 || status === 404) return { kind: "missing" };
      throw new PreflightError(describeFailure(err, what, this.credentials, RIGHT.projects));
    }
    return { kind: "other-organization", project: checked(ProjectShape, raw, what) };
  }

  /** Rules of the identity's own policies and of its groups' policies. The owner needs none. */
  private async rulesHeldBy(
    identity: Identity,
    organizationId: string,
    policies: readonly Policy[],
  ): Promise<HeldRule[]> {
    if (identity.owner) return [];
    const what = `listing the groups of ${identity.kind} ${identity.id}`;
    const groups = await this.list(what, RIGHT.iam, GroupShape, async (page) => {
      const answer = await this.iam.listGroups({
        organizationId,
        page,
        pageSize: PAGE_SIZE,
        ...(identity.kind === "application" ? { applicationIds: [identity.id] } : { userIds: [identity.id] }),
      });
      return { items: answer.groups, total: answer.totalCount };
    });
    const groupIds = new Set(groups.map((g) => g.id));
    const held = policies.filter(
      (p) =>
        (identity.kind === "application" ? p.applicationId === identity.id : p.userId === identity.id) ||
        (p.groupId !== undefined && groupIds.has(p.groupId)),
    );
    const perPolicy = await Promise.all(
      held.map(async (policy) => (await this.rules(policy.id)).map((rule) => ({ policy, rule }))),
    );
    return perPolicy.flat();
  }

  /** A policy's rules, in the API's order (the order the provider's state holds them in). */
  private rules(policyId: string): Promise<PolicyRule[]> {
    const what = `listing the rules of policy ${policyId}`;
    return this.list(what, RIGHT.iam, RuleShape, async (page) => {
      const answer = await this.iam.listRules({ policyId, page, pageSize: PAGE_SIZE });
      return { items: answer.rules, total: answer.totalCount };
    });
  }
}
