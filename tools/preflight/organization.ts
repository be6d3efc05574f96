/**
 * What preflight reads from the live organization, through Scaleway's SDK, with GET requests only. Lists are read
 * whole (the SDK follows the pages); every failure becomes one line (PreflightError, exit 2).
 */
import { Accountv3 } from "@scaleway/sdk-account";
import type { Client } from "@scaleway/sdk-client";
import { Iamv1alpha1 } from "@scaleway/sdk-iam";
import { type Credentials, describeFailure, httpStatus, PreflightError } from "./client";

export type Application = Iamv1alpha1.Application;
export type Policy = Iamv1alpha1.Policy;
export type PolicyRule = Iamv1alpha1.Rule;
export type ApiKey = Iamv1alpha1.APIKey;
export type PermissionSet = Iamv1alpha1.PermissionSet;
export type Quotum = Iamv1alpha1.Quotum;
export type Project = Accountv3.Project;

/** Who the credentials are, or who deploys (`--deployer`). */
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

export interface LiveOrganization {
  /** The identity of the credentials. */
  readonly identity: Identity;
  readonly projects: readonly Project[];
  /** Declared project IDs missing from `projects`, looked up one by one. */
  readonly outside: ReadonlyMap<string, OutsideProject>;
  readonly permissionSets: readonly PermissionSet[];
  readonly quotas: readonly Quotum[];
  /** `max_api_key_expiration_duration` of the security settings, as sent ("2592000s"), if any. */
  readonly maxApiKeyExpiration?: string;
  readonly applications: readonly Application[];
  readonly policies: readonly Policy[];
  readonly apiKeys: readonly ApiKey[];
  /** The identity whose rights are checked (the credentials', or `--deployer`'s), and the rules it holds. */
  readonly deployer: { readonly identity: Identity; readonly rules: readonly HeldRule[] };
  /** Rules of the policies named by `adopt.policyId`, by policy ID. */
  readonly adoptedRules: ReadonlyMap<string, readonly PolicyRule[]>;
}

/** What preflight asks of the organization, from the stack's plan. */
export interface ReadRequest {
  readonly organizationId: string;
  /** Every project ID the stack config declares. */
  readonly projectIds: readonly string[];
  /** `--deployer`: the application whose rights to check, instead of the credentials' own identity. */
  readonly deployerApplicationId?: string;
  /** Policies to be adopted: their rules are read to compare them with the plan. */
  readonly adoptedPolicyIds: readonly string[];
}

export class ScalewayReader {
  private readonly iam: Iamv1alpha1.API;
  private readonly account: Accountv3.ProjectAPI;

  constructor(
    client: Client,
    private readonly credentials: Credentials,
  ) {
    this.iam = new Iamv1alpha1.API(client);
    this.account = new Accountv3.ProjectAPI(client);
  }

  /** Runs one SDK call; a failure becomes a PreflightError naming what was being read. */
  private async read<T>(what: string, call: () => Promise<T>): Promise<T> {
    try {
      return await call();
    } catch (err) {
      throw new PreflightError(describeFailure(err, what, this.credentials));
    }
  }

  /** The identity behind the credentials' access key: `GET /iam/v1alpha1/api-keys/{access_key}`, then its bearer. */
  async whoAmI(): Promise<Identity> {
    const key = await this.read("reading the credentials' own API key", () =>
      this.iam.getAPIKey({ accessKey: this.credentials.accessKey }),
    );
    if (key.applicationId) return this.application(key.applicationId, "reading the application of the credentials");
    if (key.userId) {
      const userId = key.userId;
      const user = await this.read("reading the user of the credentials", () => this.iam.getUser({ userId }));
      return {
        kind: "user",
        id: user.id,
        name: user.email || user.username,
        organizationId: user.organizationId,
        owner: user.type === "owner",
      };
    }
    throw new PreflightError("the credentials' API key has neither an application nor a user as its bearer");
  }

  private async application(applicationId: string, what: string): Promise<Identity> {
    const app = await this.read(what, () => this.iam.getApplication({ applicationId }));
    return { kind: "application", id: app.id, name: app.name, organizationId: app.organizationId, owner: false };
  }

  /** Everything the checks need, once the credentials are known to belong to the stack's organization. */
  async organization(identity: Identity, request: ReadRequest): Promise<LiveOrganization> {
    const organizationId = request.organizationId;
    const [projects, permissionSets, quotas, security, applications, policies, apiKeys] = await Promise.all([
      this.read("listing the organization's projects", () => this.account.listProjects({ organizationId }).all()),
      this.read("listing permission sets", () => this.iam.listPermissionSets({ organizationId }).all()),
      this.read("listing IAM quotas", () => this.iam.listQuota({ organizationId }).all()),
      this.read("reading the organization's security settings", () =>
        this.iam.getOrganizationSecuritySettings({ organizationId }),
      ),
      this.read("listing applications", () => this.iam.listApplications({ organizationId }).all()),
      this.read("listing policies", () => this.iam.listPolicies({ organizationId }).all()),
      this.read("listing API keys", () => this.iam.listAPIKeys({ organizationId }).all()),
    ]);
    const known = new Set(projects.map((p) => p.id.toLowerCase()));
    const missing = [...new Set(request.projectIds)].filter((id) => !known.has(id));
    const deployer = await this.deployerIdentity(identity, request, applications);
    const [outside, rules, adoptedRules] = await Promise.all([
      Promise.all(missing.map(async (id) => [id, await this.outsideProject(id)] as const)),
      this.rulesHeldBy(deployer, organizationId, policies),
      Promise.all(
        [...new Set(request.adoptedPolicyIds)]
          .filter((id) => policies.some((p) => p.id === id))
          .map(async (policyId) => [policyId, await this.rules(policyId)] as const),
      ),
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
      deployer: { identity: deployer, rules },
      adoptedRules: new Map(adoptedRules),
    };
  }

  private async deployerIdentity(
    identity: Identity,
    request: ReadRequest,
    applications: readonly Application[],
  ): Promise<Identity> {
    const id = request.deployerApplicationId;
    if (id === undefined) return identity;
    const app = applications.find((a) => a.id === id);
    if (!app) {
      throw new PreflightError(
        `--deployer: ${id} is not an application of organization ${request.organizationId}: give the ID of the application that runs pulumi up`,
      );
    }
    return { kind: "application", id: app.id, name: app.name, organizationId: app.organizationId, owner: false };
  }

  /** A project ID the organization's list lacks: another organization's (`GET /account/v3/projects/{id}`), or none. */
  private async outsideProject(projectId: string): Promise<OutsideProject> {
    try {
      const project = await this.account.getProject({ projectId });
      return { kind: "other-organization", project };
    } catch (err) {
      // Another organization's project is usually hidden (403) or unknown (404) to these credentials: either way,
      // it is not one of this organization's projects. Anything else is a real failure.
      const status = httpStatus(err);
      if (status === 403 || status === 404) return { kind: "missing" };
      throw new PreflightError(describeFailure(err, `looking up project ${projectId}`, this.credentials));
    }
  }

  /** Rules of the identity's own policies and of its groups' policies. The owner needs none. */
  private async rulesHeldBy(
    identity: Identity,
    organizationId: string,
    policies: readonly Policy[],
  ): Promise<HeldRule[]> {
    if (identity.owner) return [];
    const groups = await this.read(`listing the groups of ${identity.kind} ${identity.name}`, () =>
      this.iam
        .listGroups(
          identity.kind === "application"
            ? { organizationId, applicationIds: [identity.id] }
            : { organizationId, userIds: [identity.id] },
        )
        .all(),
    );
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

  private rules(policyId: string): Promise<PolicyRule[]> {
    return this.read(`listing the rules of policy ${policyId}`, () => this.iam.listRules({ policyId }).all());
  }
}
