/**
 * Key rotation as a pure function of the clock. Generations start every `rotateEveryDays` days from a fixed epoch,
 * so every run inside one window computes the same keys (no diff), and a new window always means a new key with a
 * new logical name (created next to the live one, never replacing it in place).
 *
 * Generation g starts at EPOCH + g·P and its key expires at EPOCH + (g+1)·P + O: it stays valid for the overlap O
 * after generation g+1 starts, which is exactly as long as it is still declared as the "previous" key.
 */
export const DAY_MS = 86_400_000;
/** Monday 2024-01-01T00:00:00Z. Changing it would rotate every key of every stack: never change it. */
export const ROTATION_EPOCH_MS = Date.UTC(2024, 0, 1);

/**
 * Whole days from now to an expiry `ms` milliseconds away (negative: past), counted the way a person counts days:
 * whole days only, the fraction dropped on both sides (rounded toward zero), the sign telling the side. 0.99 days
 * left is 0 ("expires within a day"), 1.5 left is 1, 4.01 days past is -4 ("expired 4 days ago"; rounding down
 * would say -5, a day more than has passed). Within a day either side of the expiry it is 0, never -0: the status
 * (expiring or expired) tells which side. The check itself compares milliseconds, never this rounded number.
 */
export function wholeDaysLeft(ms: number): number {
  const days = Math.trunc(ms / DAY_MS);
  return days === 0 ? 0 : days;
}

export interface ScheduledKey {
  /** The generation's first day, `YYYY-MM-DD`: part of the key's logical name. */
  readonly generation: string;
  readonly startsAtMs: number;
  readonly expiresAtMs: number;
}

export interface KeySchedule {
  readonly current: ScheduledKey;
  /** The previous generation's key, while its overlap lasts. */
  readonly previous?: ScheduledKey;
}

function generationKey(index: number, periodMs: number, overlapMs: number): ScheduledKey {
  const startsAtMs = ROTATION_EPOCH_MS + index * periodMs;
  return {
    generation: new Date(startsAtMs).toISOString().slice(0, 10),
    startsAtMs,
    expiresAtMs: startsAtMs + periodMs + overlapMs,
  };
}

export function keySchedule(nowMs: number, rotateEveryDays: number, overlapDays: number): KeySchedule {
  if (!(overlapDays < rotateEveryDays)) {
    throw new RangeError(`overlapDays (${overlapDays}) must be less than rotateEveryDays (${rotateEveryDays})`);
  }
  const periodMs = rotateEveryDays * DAY_MS;
  const overlapMs = overlapDays * DAY_MS;
  const index = Math.floor((nowMs - ROTATION_EPOCH_MS) / periodMs);
  const current = generationKey(index, periodMs, overlapMs);
  const previous = generationKey(index - 1, periodMs, overlapMs);
  return nowMs < previous.expiresAtMs ? { current, previous } : { current };
}

/** RFC 3339 in UTC, to the second: the form Scaleway returns, so a re-run never shows a spurious diff. */
export function isoSeconds(ms: number): string {
  return new Date(ms).toISOString().replace(/\.\d{3}Z$/, "Z");
}
