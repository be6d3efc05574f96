import { ConfigError } from "./errors";
import { isRealInstant } from "./schema";

/**
 * Overrides the program's clock for every time-based decision (key generations, expiry checks). Set by the offline
 * plan's `--now`; useful to preview what a scheduled run will do on a given date. Leave it unset for `pulumi up`.
 */
export const NOW_ENV = "PLAKAR_SCALEWAY_IAM_NOW";

/** An ISO-8601 date or date-time; without a zone it is read as UTC (what a naive `isoformat()` prints). */
export function parseInstant(value: string, what: string): Date {
  const match = /^\d{4}-\d{2}-\d{2}(T\d{2}:\d{2}(:\d{2}(\.\d+)?)?(Z|[+-]\d{2}:\d{2})?)?$/.exec(value);
  const text = match && match[1] && !match[4] ? `${value}Z` : value;
  const ms = match && isRealInstant(text) ? Date.parse(text) : NaN;
  if (Number.isNaN(ms)) {
    throw new ConfigError(
      [
        {
          path: what,
          message: `"${value}" is not an ISO-8601 date or date-time (e.g. 2026-11-26 or 2026-11-26T09:00:00Z)`,
        },
      ],
      what.startsWith("--") ? "bad command line" : "invalid environment",
    );
  }
  return new Date(ms);
}

export function clockNow(env: NodeJS.ProcessEnv = process.env): Date {
  const value = env[NOW_ENV];
  return value ? parseInstant(value, NOW_ENV) : new Date();
}
