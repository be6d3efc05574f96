/** Edit distance between two strings, case-insensitive (typos in config are mostly case or one letter). */
export function editDistance(a: string, b: string): number {
  const s = a.toLowerCase();
  const t = b.toLowerCase();
  let prev = Array.from({ length: t.length + 1 }, (_, j) => j);
  for (let i = 1; i <= s.length; i++) {
    const cur = [i];
    for (let j = 1; j <= t.length; j++) {
      cur[j] = Math.min(prev[j] + 1, cur[j - 1] + 1, prev[j - 1] + (s[i - 1] === t[j - 1] ? 0 : 1));
    }
    prev = cur;
  }
  return prev[t.length];
}

/** Beyond this length an input is no typo of a name: no suggestion, and no quadratic distance to pay for. */
export const MAX_SUGGESTED_INPUT = 64;

/**
 * The closest candidate to `input`, if it is close enough to be a plausible typo. A candidate whose length differs by
 * more than the allowed distance is skipped unmeasured: the distance is at least the difference in length.
 */
export function closest(input: string, candidates: Iterable<string>): string | undefined {
  if (input.length > MAX_SUGGESTED_INPUT) return undefined;
  const allowed = Math.max(1, Math.floor(input.length / 3));
  const length = input.toLowerCase().length;
  let best: string | undefined;
  let bestDistance = Infinity;
  for (const candidate of candidates) {
    if (Math.abs(candidate.toLowerCase().length - length) > allowed) continue;
    const d = editDistance(input, candidate);
    if (d < bestDistance) {
      best = candidate;
      bestDistance = d;
    }
  }
  return bestDistance <= allowed ? best : undefined;
}

/** ` (did you mean "x"?)` or an empty string. */
export function didYouMean(input: string, candidates: Iterable<string>): string {
  const hit = closest(input, candidates);
  return hit ? ` (did you mean "${hit}"?)` : "";
}
