/**
 * The expiry check behind `check-expiry`: reads stack outputs (as `pulumi stack output --json` prints them, or as
 * the offline plan computes them) and judges every key. Pure: the clock and the window are arguments.
 */
import { escapeUnprintable, quote } from "../cli";
import { ConfigError, type ConfigIssue } from "../../components/domain/errors";
import { DAY_MS, isoSeconds, wholeDaysLeft } from "../../components/domain/rotation";
import { Timestamp } from "../../components/domain/schema";
import { RESERVED_NAMES } from "../../stack/config";

export type KeyStatus = "ok" | "expiring" | "expired" | "no-expiry" | "retiring" | "retired";

export interface KeyReport {
  readonly credential: string;
  /** `current` is the key in use; `previous` is the one kept during a rotation overlap. */
  readonly slot: "current" | "previous";
  readonly accessKey: string | null;
  readonly expiresAt: string | null;
  /** Whole days left, negative once expired a day or more (`wholeDaysLeft`); null without an expiry. */
  readonly daysLeft: number | null;
  readonly status: KeyStatus;
}

export interface ExpiryReport {
  readonly now: string;
  readonly withinDays: number;
  /** False when any key in use expires within the window, has expired, or has no expiry. */
  readonly ok: boolean;
  readonly keys: readonly KeyReport[];
}

/** Statuses that make the check fail (exit 1). */
export const FAILING: ReadonlySet<KeyStatus> = new Set(["expiring", "expired", "no-expiry"]);

interface RawKey {
  accessKey?: unknown;
  expiresAt?: unknown;
}

function isObject(v: unknown): v is Record<string, unknown> {
  return typeof v === "object" && v !== null && !Array.isArray(v);
}

/**
 * A bad value from the outputs, described for a message without running any of its code (an object's own
 * `toString` key makes `String(value)` throw) and without walking it: a string quoted, escaped and truncated; a
 * number or boolean as written; anything else by its type.
 */
export function describeValue(value: unknown): string {
  if (typeof value === "string") return quote(value);
  if (typeof value === "number" || typeof value === "boolean") return JSON.stringify(value);
  if (value === null) return "null";
  if (Array.isArray(value)) return "a list";
  return typeof value === "object" ? "an object" : `a ${typeof value}`;
}

function readKey(
  raw: unknown,
  path: string,
  issues: ConfigIssue[],
): { accessKey: string | null; expiresAt: number | null; text: string | null } | undefined {
  if (!isObject(raw)) {
    issues.push({ path, message: "expected an object with accessKey and expiresAt" });
    return undefined;
  }
  const { accessKey, expiresAt } = raw as RawKey;
  if (expiresAt === undefined || expiresAt === null || expiresAt === "") {
    return { accessKey: typeof accessKey === "string" ? accessKey : null, expiresAt: null, text: null };
  }
  if (!Timestamp.safeParse(expiresAt).success) {
    issues.push({
      path: `${path}.expiresAt`,
      message: `${describeValue(expiresAt)} is not an RFC 3339 timestamp: expected a string such as "2027-06-30T00:00:00Z"`,
    });
    return undefined;
  }
  const ms = Date.parse(expiresAt as string);
  return { accessKey: typeof accessKey === "string" ? accessKey : null, expiresAt: ms, text: expiresAt as string };
}

/**
 * Judges every key in the outputs. Current keys fail the check when they expire within `withinDays`; a previous
 * key is expected to expire at the end of its overlap and is listed as `retiring` (it fails only if it has no
 * expiry). Throws ConfigError for outputs that are not this stack's.
 */
export function assessExpiry(outputs: unknown, now: Date, withinDays: number): ExpiryReport {
  const issues: ConfigIssue[] = [];
  // Also accept the offline plan's JSON document, whose stack outputs sit under "outputs".
  const root =
    isObject(outputs) && !Object.hasOwn(outputs, "credentials") && isObject(outputs.outputs)
      ? outputs.outputs
      : outputs;
  const credentials = isObject(root) ? root.credentials : undefined;
  if (!isObject(credentials)) {
    throw new ConfigError(
      [
        {
          path: "credentials",
          message: "no credentials map: expected the JSON of `pulumi stack output --json` for this stack",
        },
      ],
      "malformed stack outputs",
    );
  }
  const nowMs = now.getTime();
  const keys: KeyReport[] = [];
  for (const name of Object.keys(credentials).sort()) {
    const entry = credentials[name];
    if (RESERVED_NAMES.has(name)) {
      issues.push({
        path: `credentials.${name}`,
        message: "is not a credential name: these outputs are not this stack's",
      });
      continue;
    }
    if (!isObject(entry)) {
      issues.push({ path: `credentials.${name}`, message: "expected an object" });
      continue;
    }
    // A retired credential (retire: true) holds no key on purpose: listed, never failing.
    if (entry.retired === true) {
      const held = (["current", "previous", "accessKey", "expiresAt"] as const).filter(
        (k) => entry[k] !== undefined && entry[k] !== null,
      );
      if (held.length > 0) {
        // The program writes null keys for a retired credential: a key here would be skipped unjudged.
        issues.push({
          path: `credentials.${name}`,
          message: `is retired yet holds ${held.join(", ")}: a retired credential's keys are revoked, so these outputs are not the program's`,
        });
        continue;
      }
      keys.push({
        credential: name,
        slot: "current",
        accessKey: null,
        expiresAt: null,
        daysLeft: null,
        status: "retired",
      });
      continue;
    }
    // Older outputs (and hand-written ones) may only have the flat accessKey/expiresAt of the current key.
    const slots: ["current" | "previous", unknown][] = [["current", entry.current ?? entry]];
    if (entry.previous !== undefined && entry.previous !== null) slots.push(["previous", entry.previous]);
    for (const [slot, raw] of slots) {
      const key = readKey(raw, `credentials.${name}${raw === entry ? "" : `.${slot}`}`, issues);
      if (!key) continue;
      let status: KeyStatus;
      let daysLeft: number | null = null;
      if (key.expiresAt === null) {
        status = "no-expiry";
      } else {
        const left = key.expiresAt - nowMs;
        daysLeft = wholeDaysLeft(left);
        if (left <= 0) status = slot === "current" ? "expired" : "retiring";
        else if (slot === "previous") status = "retiring";
        else status = left < withinDays * DAY_MS ? "expiring" : "ok";
      }
      keys.push({ credential: name, slot, accessKey: key.accessKey, expiresAt: key.text, daysLeft, status });
    }
  }
  if (issues.length === 0 && keys.length === 0) {
    issues.push({ path: "credentials", message: "lists no credential: expected the outputs of a deployed stack" });
  }
  if (issues.length > 0) throw new ConfigError(issues, "malformed stack outputs");
  return {
    now: isoSeconds(now.getTime()),
    withinDays,
    ok: keys.every((k) => !FAILING.has(k.status)),
    keys,
  };
}

/**
 * The report as a table and a summary line. Names and access keys come from the outputs file: their control, bidi
 * and invisible characters are escaped, so none can break a row, forge a line or disguise a name.
 */
export function renderExpiryTable(report: ExpiryReport): string {
  const header = ["credential", "key", "access key", "expires at", "days left", "status"];
  const rows = report.keys.map((k) => [
    escapeUnprintable(k.credential),
    k.slot,
    k.accessKey === null ? "-" : escapeUnprintable(k.accessKey),
    k.expiresAt ?? "never",
    k.daysLeft === null ? "-" : String(k.daysLeft),
    k.status,
  ]);
  // A loop, not Math.max(...rows): a spread of one argument per key overflows the stack past ~100,000 keys.
  const widths = header.map((h) => h.length);
  for (const row of rows) row.forEach((cell, i) => (widths[i] = Math.max(widths[i], cell.length)));
  const line = (cells: string[]) =>
    cells
      .map((c, i) => c.padEnd(widths[i]))
      .join("  ")
      .trimEnd();
  const failing = report.keys.filter((k) => FAILING.has(k.status));
  const summary = report.ok
    ? `OK: no key in use expires within ${report.withinDays} days (checked at ${report.now}).`
    : `FAIL: ${failing.length} key(s) expired, expiring within ${report.withinDays} days, or without expiry: ${failing.map((k) => `${escapeUnprintable(k.credential)} (${k.status})`).join(", ")}. Run \`pulumi up\` to rotate.`;
  return [line(header), ...rows.map(line), "", summary].join("\n") + "\n";
}
