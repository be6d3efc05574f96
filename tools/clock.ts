import { ConfigError } from "../domain/errors";
import { isRealInstant } from "../domain/schema";

/** The `--now` of the tools: the date a plan or check is made for. The stack itself only ever uses the real time. */
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
