import { ConfigError } from "./errors";
import { isRealInstant } from "./schema";

/**
 * Overrides the program's clock for every time-based decision (key generations, expiry checks). Set by the offline
 * plan's `--now`; useful to preview what a scheduled run will do on a given date. Leave it unset for `pulumi up`.
 */
export const NOW_ENV = "PLAKAR_SCALEWAY_IAM_NOW";

export function parseInstant(value: string, what: string): Date {
  const wellFormed = /^\d{4}-\d{2}-\d{2}(T\d{2}:\d{2}(:\d{2}(\.\d+)?)?(Z|[+-]\d{2}:\d{2}))?$/.test(value);
  const ms = wellFormed && isRealInstant(value) ? Date.parse(value) : NaN;
  if (Number.isNaN(ms)) {
    throw new ConfigError([
      {
        path: what,
        message: `"${value}" is not an ISO-8601 date or date-time with a zone (e.g. 2026-11-26 or 2026-11-26T09:00:00Z)`,
      },
    ]);
  }
  return new Date(ms);
}

export function clockNow(env: NodeJS.ProcessEnv = process.env): Date {
  const value = env[NOW_ENV];
  return value ? parseInstant(value, NOW_ENV) : new Date();
}
