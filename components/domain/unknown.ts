/**
 * A value the program cannot know yet: an Output of another resource at construction time, or a property the engine
 * does not know during `pulumi preview`. Checks skip what depends on one and judge the rest; the component runs them
 * again once every value is known.
 */
export const UNKNOWN: unique symbol = Symbol("unknown until the update");
export type Unknown = typeof UNKNOWN;
export type MaybeUnknown<T> = T | Unknown;

export function isKnown<T>(value: MaybeUnknown<T>): value is T {
  return value !== UNKNOWN;
}

/** The list itself and each of its elements are known. */
export function allKnown<T>(values: MaybeUnknown<readonly MaybeUnknown<T>[]>): values is readonly T[] {
  return values !== UNKNOWN && values.every((v) => v !== UNKNOWN);
}
