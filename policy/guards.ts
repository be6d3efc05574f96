/**
 * The pack's own rules, beside those of ./rules.ts: pure functions over plain properties (`UNKNOWN` for a
 * value unknown during preview, which never raises a violation), configured through the pack's config.
 */
import { DEFAULT_MAX_LIFETIME_DAYS, MAX_DAYS } from "../components/domain/constants";
import { type ApiKeyProps, type IamPolicyProps, type IamRuleProps, type MaybeUnknown, UNKNOWN } from "./rules";

const DAY_MS = 86_400_000;

/** The longest a key may live, when the pack's config does not say (the stack's and the components' default too). */
export { DEFAULT_MAX_LIFETIME_DAYS };

/** An API key expires at most `maxDays` after `now`. A missing or malformed expiry is iam-api-key-expires' to judge. */
export function keyLifetimeViolations(key: ApiKeyProps, now: Date, maxDays: number): string[] {
  const at = key.expiresAt;
  if (typeof at !== "string" || at === "") return [];
  const expires = Date.parse(at);
  if (Number.isNaN(expires)) return [];
  const days = (expires - now.getTime()) / DAY_MS;
  if (days <= maxDays) return [];
  return [
    `expiresAt ${at} is ${Math.ceil(days)} days ahead: keys may live at most ${maxDays} days (the pack's maxLifetimeDays); rotate instead of pinning a far expiry`,
  ];
}

/** The pack config's maxLifetimeDays, or the default; a value that is not a positive whole number is refused. */
export function maxLifetimeDaysOf(config: { maxLifetimeDays?: unknown }): number {
  const value = config.maxLifetimeDays;
  if (value === undefined) return DEFAULT_MAX_LIFETIME_DAYS;
  if (typeof value !== "number" || !Number.isInteger(value) || value < 1 || value > MAX_DAYS) {
    throw new Error(
      `the pack's config iam-api-key-max-lifetime.maxLifetimeDays must be a whole number of days, 1-${MAX_DAYS}`,
    );
  }
  return value;
}

function isOrganizationWide(rule: IamRuleProps): boolean {
  const org = rule.organizationId;
  if (typeof org === "string" && org !== "") return true;
  const ids = rule.projectIds;
  return Array.isArray(ids) && (ids as readonly MaybeUnknown<string>[]).some((id) => id === "*");
}

/**
 * A rule scoped to the whole organization (`organizationId`: every current and future project, what the stack's
 * `projects: "*"` gives) or to `"*"`. An organizationId unknown during preview is not judged.
 */
export function organizationWideRuleViolations(policy: IamPolicyProps): string[] {
  const rules = policy.rules;
  if (!Array.isArray(rules)) return [];
  const out: string[] = [];
  (rules as readonly MaybeUnknown<IamRuleProps>[]).forEach((rule, i) => {
    if (rule === UNKNOWN || rule === null || typeof rule !== "object") return;
    if (isOrganizationWide(rule)) {
      out.push(
        `rules[${i}] applies to every project of the organization: scope it to projectIds, or list this stack in the pack's config (iam-policy-no-organization-wide-rules.allowedStacks) to opt in`,
      );
    }
  });
  return out;
}

/** The stack a URN belongs to: `urn:pulumi:<stack>::...`. */
export function stackOfUrn(urn: string): string | undefined {
  const m = /^urn:pulumi:([^:]+)::/.exec(urn);
  return m?.[1];
}
