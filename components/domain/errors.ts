/** One problem in the stack config, tied to the config key it comes from. */
export interface ConfigIssue {
  /** Key path inside the project's config namespace, e.g. `credentials.reports.preferredProject`. */
  readonly path: string;
  /** What is wrong and how to fix it. */
  readonly message: string;
}

/**
 * Raised before any resource is registered when the stack config (or a preset) is invalid. It carries every
 * problem found, not just the first, so one run shows the user everything to fix.
 */
export class ConfigError extends Error {
  readonly issues: readonly ConfigIssue[];

  constructor(issues: readonly ConfigIssue[], heading = "invalid stack config") {
    super(`${heading}:\n${issues.map((i) => `  ${formatIssue(i)}`).join("\n")}`);
    this.name = "ConfigError";
    this.issues = issues;
  }
}

export function formatIssue(issue: ConfigIssue): string {
  return issue.path ? `${issue.path}: ${issue.message}` : issue.message;
}

/** True for a ConfigError, or for an error that carries a ConfigError's issues (see index.ts). */
export function configIssuesOf(err: unknown): readonly ConfigIssue[] | undefined {
  if (err instanceof ConfigError) return err.issues;
  const issues = (err as { issues?: unknown } | null)?.issues;
  if (Array.isArray(issues) && issues.every((i) => typeof i?.path === "string" && typeof i?.message === "string")) {
    return issues as ConfigIssue[];
  }
  return undefined;
}

/** Renders a zod-style path (`["credentials", "a", "projects", 1]`) as `credentials.a.projects[1]`. */
export function formatPath(path: readonly PropertyKey[]): string {
  let out = "";
  for (const part of path) {
    if (typeof part === "number") out += `[${part}]`;
    else out += out ? `.${String(part)}` : String(part);
  }
  return out;
}

/** Collects problems while resolving, each once, however many credentials share its cause. */
export class Issues {
  readonly list: ConfigIssue[] = [];
  private readonly seen = new Set<string>();

  add(path: string, message: string): void {
    const id = `${path}\u0000${message}`;
    if (this.seen.has(id)) return;
    this.seen.add(id);
    this.list.push({ path, message });
  }

  get count(): number {
    return this.list.length;
  }
}
