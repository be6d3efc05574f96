/**
 * Expiry and keys: a pinned expiry (one key, no rotation) or a rotation schedule (the current key and, during the
 * overlap, the previous one), each key named after the component and, when rotated, its generation.
 */
import type { Issues } from "./errors";
import { DAY_MS, isoSeconds, keySchedule, type ScheduledKey } from "./rotation";
import { isKnown } from "./unknown";
import type { MaybeUnknown } from "./unknown";

/** 9999-12-31T23:59:59Z: the last instant a four-digit RFC 3339 year can write. */
export const LAST_INSTANT_MS = Date.UTC(9999, 11, 31, 23, 59, 59);

export type ExpirySpec =
  | { readonly kind: "rotation"; readonly rotateEveryDays: number; readonly overlapDays: number }
  | { readonly kind: "pinned"; readonly expiresAt: MaybeUnknown<string> };

/** What the expiry of a credential's keys is decided from, and where its fields were written. */
export interface ExpiryInput {
  readonly expiry: ExpirySpec;
  readonly maxLifetimeDays: MaybeUnknown<number>;
  readonly paths: {
    readonly expiresAt: string;
    readonly rotateEveryDays: string;
    readonly overlapDays: string;
    readonly maxLifetimeDays: string;
  };
}

export type Expiry =
  | { readonly kind: "rotation"; readonly rotateEveryDays: number; readonly overlapDays: number }
  | { readonly kind: "pinned"; readonly expiresAt: string };

export interface ApiKey {
  /** Logical name of the `scaleway.iam.ApiKey` resource: `<component>-key-<generation>`, or `<component>-key`. */
  readonly resourceName: string;
  readonly expiresAt: string;
  /** First day of the key's rotation generation; absent for a pinned expiry. */
  readonly generation?: string;
  readonly description: string;
}

export interface ApiKeys {
  readonly current: ApiKey;
  /** The previous generation's key, while its overlap lasts. */
  readonly previous?: ApiKey;
}

/** Checks the expiry against the clock and the lifetime cap; undefined when refused or not known yet. */
export function resolveExpiry(spec: ExpiryInput, nowMs: number, issues: Issues): Expiry | undefined {
  const { paths, maxLifetimeDays } = spec;
  if (!isKnown(maxLifetimeDays)) return undefined;
  const expiry = spec.expiry;
  if (expiry.kind === "pinned") {
    if (!isKnown(expiry.expiresAt)) return undefined;
    const pinned = expiry.expiresAt;
    // Scaleway takes the expiry to the second: the truncated value must still be in the future.
    const exact = Date.parse(pinned);
    const at = Math.floor(exact / 1000) * 1000;
    if (at <= nowMs) {
      issues.add(
        paths.expiresAt,
        `${pinned} is not in the future (now is ${isoSeconds(nowMs)}): set a later date, or remove it so the key rotates automatically`,
      );
      return undefined;
    }
    if (at > LAST_INSTANT_MS) {
      issues.add(
        paths.expiresAt,
        `${pinned} is after ${isoSeconds(LAST_INSTANT_MS)} in UTC, past what RFC 3339 can write: set an earlier date`,
      );
      return undefined;
    }
    if (exact - nowMs > maxLifetimeDays * DAY_MS) {
      const days = Math.ceil((exact - nowMs) / DAY_MS);
      issues.add(
        paths.expiresAt,
        `${pinned} is ${days} days ahead, more than ${paths.maxLifetimeDays} (${maxLifetimeDays}): set an earlier date`,
      );
      return undefined;
    }
    return { kind: "pinned", expiresAt: isoSeconds(at) };
  }
  const { rotateEveryDays, overlapDays } = expiry;
  if (
    overlapDays < rotateEveryDays &&
    keySchedule(nowMs, rotateEveryDays, overlapDays).current.expiresAtMs > LAST_INSTANT_MS
  ) {
    issues.add(
      paths.rotateEveryDays,
      `a key made now would expire after ${isoSeconds(LAST_INSTANT_MS)}, past what RFC 3339 can write: check the clock`,
    );
    return undefined;
  }
  if (overlapDays >= rotateEveryDays) {
    issues.add(
      paths.overlapDays,
      `overlapDays (${overlapDays}) must be less than rotateEveryDays (${rotateEveryDays}), or two generations would overlap fully`,
    );
    return undefined;
  }
  if (rotateEveryDays + overlapDays > maxLifetimeDays) {
    issues.add(
      paths.rotateEveryDays,
      `a rotated key lives rotateEveryDays + overlapDays = ${rotateEveryDays + overlapDays} days, more than ${paths.maxLifetimeDays} (${maxLifetimeDays}): rotate more often or raise maxLifetimeDays`,
    );
    return undefined;
  }
  return expiry;
}

/** The generations to declare now; known as soon as the rotation is, so resources can be named at once. */
export function scheduledGenerations(
  expiry: ExpirySpec,
  nowMs: number,
): { readonly current?: ScheduledKey; readonly previous?: ScheduledKey } {
  if (expiry.kind === "pinned") return {};
  if (!(expiry.overlapDays < expiry.rotateEveryDays)) return {};
  return keySchedule(nowMs, expiry.rotateEveryDays, expiry.overlapDays);
}

/** The logical name of a key resource. */
export function keyResourceName(resourceName: string, generation: string | undefined): string {
  return generation ? `${resourceName}-key-${generation}` : `${resourceName}-key`;
}

export function keysFor(resourceName: string, expiry: Expiry, nowMs: number, description: string): ApiKeys {
  if (expiry.kind === "pinned") {
    return {
      current: { resourceName: keyResourceName(resourceName, undefined), expiresAt: expiry.expiresAt, description },
    };
  }
  const schedule = keySchedule(nowMs, expiry.rotateEveryDays, expiry.overlapDays);
  const toKey = (k: ScheduledKey): ApiKey => ({
    resourceName: keyResourceName(resourceName, k.generation),
    expiresAt: isoSeconds(k.expiresAtMs),
    generation: k.generation,
    description: `${description} (generation ${k.generation})`,
  });
  return schedule.previous
    ? { current: toKey(schedule.current), previous: toKey(schedule.previous) }
    : { current: toKey(schedule.current) };
}
