/**
 * Rotation, driven through the pure planner day by day over two years, as `pulumi up` would run it on a schedule.
 * A simulated "deployed state" follows each run: keys the plan declares are created if new, keys it no longer
 * declares are deleted, and nothing else happens between runs.
 */
import { describe, expect, it } from "vitest";
import { assessExpiry } from "../tools/check-expiry/expiry";
import { keySchedule, ROTATION_EPOCH_MS, DAY_MS } from "../components/domain/rotation";
import { baseConfig, plan } from "./support/config";

const START = Date.parse("2026-11-26T06:00:00Z");
const TWO_YEARS_DAYS = 730;
const ROTATE = 90;
const OVERLAP = 14;
const MAX_LIFETIME = 365;

interface DeployedKey {
  readonly name: string;
  readonly expiresAtMs: number;
  readonly createdAtMs: number;
  readonly inputs: string;
}

interface Simulation {
  readonly runs: number;
  /** Times the current key changed (a new generation's key became the one in use). */
  readonly replacements: number;
  readonly keysCreated: number;
  /** Smallest life left on the current key right after a run, in days. */
  readonly minCurrentDaysLeft: number;
  /** Smallest life left on the key in use just before the next run, in days (negative: it expired in between). */
  readonly minDaysLeftBeforeNextRun: number;
  readonly violations: string[];
  readonly deployedAfterRun: Map<number, DeployedKey[]>;
  readonly currentAfterRun: Map<number, DeployedKey>;
}

const config = baseConfig({
  apiKeys: { rotateEveryDays: ROTATE, overlapDays: OVERLAP, maxLifetimeDays: MAX_LIFETIME },
});

function simulate(runDays: number[]): Simulation {
  const state = new Map<string, DeployedKey>();
  const everSeen = new Map<string, string>();
  const violations: string[] = [];
  const deployedAfterRun = new Map<number, DeployedKey[]>();
  const currentAfterRun = new Map<number, DeployedKey>();
  let replacements = 0;
  let keysCreated = 0;
  let minCurrentDaysLeft = Infinity;
  let minDaysLeftBeforeNextRun = Infinity;
  let lastCurrent: DeployedKey | undefined;

  for (const day of runDays) {
    const now = START + day * DAY_MS;
    if (lastCurrent)
      minDaysLeftBeforeNextRun = Math.min(minDaysLeftBeforeNextRun, (lastCurrent.expiresAtMs - now) / DAY_MS);
    const { keys } = plan(config, { now: new Date(now) }).credentials[0];
    const declared = [keys.current, ...(keys.previous ? [keys.previous] : [])];
    for (const key of declared) {
      const inputs = JSON.stringify({ expiresAt: key.expiresAt, description: key.description });
      // A logical name always means the same inputs: no in-place replacement, no diff within a window.
      const before = everSeen.get(key.resourceName);
      if (before !== undefined && before !== inputs) violations.push(`day ${day}: ${key.resourceName} changed inputs`);
      everSeen.set(key.resourceName, inputs);
      const expiresAtMs = Date.parse(key.expiresAt);
      if (expiresAtMs <= now) violations.push(`day ${day}: ${key.resourceName} declared already expired`);
      if (!state.has(key.resourceName)) {
        state.set(key.resourceName, { name: key.resourceName, expiresAtMs, createdAtMs: now, inputs });
        keysCreated++;
        if (expiresAtMs - now > MAX_LIFETIME * DAY_MS)
          violations.push(`day ${day}: ${key.resourceName} lives longer than ${MAX_LIFETIME} days`);
      }
    }
    for (const name of [...state.keys()]) if (!declared.some((k) => k.resourceName === name)) state.delete(name);

    const current = state.get(keys.current.resourceName)!;
    const left = (current.expiresAtMs - now) / DAY_MS;
    if (left < OVERLAP) violations.push(`day ${day}: current key has ${left.toFixed(1)} days left`);
    minCurrentDaysLeft = Math.min(minCurrentDaysLeft, left);
    if (lastCurrent && lastCurrent.name !== current.name) replacements++;
    lastCurrent = current;
    deployedAfterRun.set(day, [...state.values()]);
    currentAfterRun.set(day, current);
  }
  return {
    runs: runDays.length,
    replacements,
    keysCreated,
    minCurrentDaysLeft,
    minDaysLeftBeforeNextRun,
    violations,
    deployedAfterRun,
    currentAfterRun,
  };
}

function every(stepDays: number): number[] {
  const days: number[] = [];
  for (let d = 0; d <= TWO_YEARS_DAYS; d += stepDays) days.push(d);
  return days;
}

const figures: Record<string, unknown>[] = [];

describe("rotation schedule (pure)", () => {
  it("keeps the current key alive for at least the overlap, and the previous one only while it is valid", () => {
    for (let t = START; t < START + 400 * DAY_MS; t += DAY_MS / 4) {
      const s = keySchedule(t, ROTATE, OVERLAP);
      expect(s.current.expiresAtMs - t).toBeGreaterThan(OVERLAP * DAY_MS);
      expect(s.current.startsAtMs).toBeLessThanOrEqual(t);
      if (s.previous) expect(s.previous.expiresAtMs).toBeGreaterThan(t);
      if (s.previous) expect(s.previous.expiresAtMs - s.current.startsAtMs).toBe(OVERLAP * DAY_MS);
    }
  });

  it("names generations from a fixed epoch", () => {
    expect(keySchedule(ROTATION_EPOCH_MS, 90, 14).current.generation).toBe("2024-01-01");
    expect(keySchedule(ROTATION_EPOCH_MS + 90 * DAY_MS, 90, 14).current.generation).toBe("2024-03-31");
    expect(() => keySchedule(START, 14, 14)).toThrow(/less than/);
  });
});

describe("two years of scheduled runs", () => {
  const schedules: [string, number[]][] = [
    ["daily", every(1)],
    ["weekly", every(7)],
    [`every overlapDays - 1 (${OVERLAP - 1}) days`, every(OVERLAP - 1)],
  ];

  it.each(schedules)("%s: every invariant holds, about one replacement per rotateEveryDays", (name, days) => {
    const sim = simulate(days);
    expect(sim.violations).toEqual([]);
    expect(sim.minCurrentDaysLeft).toBeGreaterThanOrEqual(OVERLAP);
    // The key Plakar uses is still valid when the next run replaces it.
    expect(sim.minDaysLeftBeforeNextRun).toBeGreaterThan(0);
    const expected = TWO_YEARS_DAYS / ROTATE;
    expect(sim.replacements).toBeGreaterThanOrEqual(Math.floor(expected));
    expect(sim.replacements).toBeLessThanOrEqual(Math.ceil(expected));
    // Each generation's key is created once; the first run may also create the previous generation's.
    expect(sim.keysCreated).toBeLessThanOrEqual(sim.replacements + 2);
    figures.push({
      schedule: name,
      runs: sim.runs,
      replacements: sim.replacements,
      keysCreated: sim.keysCreated,
      minCurrentDaysLeft: Number(sim.minCurrentDaysLeft.toFixed(2)),
      minDaysLeftAtNextRun: Number(sim.minDaysLeftBeforeNextRun.toFixed(2)),
    });
  });

  it("a gap longer than the overlap lets a key lapse, and a daily check-expiry catches it first", () => {
    // Weekly runs, except that nothing runs for 60 days around a generation boundary.
    const gapStart = 14; // last run before the gap: day 14 (2026-12-10), inside generation 2026-09-17
    const gapEnd = gapStart + 60;
    const days = every(7).filter((d) => d <= gapStart || d >= gapEnd);
    const sim = simulate(days);
    expect(sim.minDaysLeftBeforeNextRun).toBeLessThan(0); // the key in use expired during the gap

    const lastRun = days.filter((d) => d <= gapStart).pop()!;
    const inUse = sim.currentAfterRun.get(lastRun)!;
    const expiryDay = (inUse.expiresAtMs - START) / DAY_MS;
    expect(expiryDay).toBeLessThan(gapEnd);

    // check-expiry runs daily against the deployed outputs (which only change when `pulumi up` runs).
    let firstAlarm: number | undefined;
    for (let day = lastRun; day < gapEnd && firstAlarm === undefined; day++) {
      const deployed = sim.deployedAfterRun.get(lastRun)!;
      const current = deployed.reduce((a, b) => (a.expiresAtMs > b.expiresAtMs ? a : b));
      const previous = deployed.find((k) => k !== current);
      const outputs = {
        credentials: {
          inventory: {
            current: { accessKey: current.name, expiresAt: new Date(current.expiresAtMs).toISOString() },
            previous: previous
              ? { accessKey: previous.name, expiresAt: new Date(previous.expiresAtMs).toISOString() }
              : null,
          },
        },
      };
      const report = assessExpiry(outputs, new Date(START + day * DAY_MS), 14);
      if (!report.ok) firstAlarm = day;
    }
    expect(firstAlarm).toBeDefined();
    const warningDays = expiryDay - firstAlarm!;
    expect(warningDays).toBeGreaterThanOrEqual(13);
    figures.push({
      schedule: "weekly with a 60-day gap",
      keyExpiredDuringGapOnDay: expiryDay,
      checkExpiryAlarmOnDay: firstAlarm,
      daysOfWarning: warningDays,
    });
    // The figures of this suite, for the record (see the README's rotation section).
    console.info(
      `rotation simulation (rotateEveryDays ${ROTATE}, overlapDays ${OVERLAP}, ${TWO_YEARS_DAYS} days):\n${figures.map((f) => JSON.stringify(f)).join("\n")}`,
    );
  });
});
