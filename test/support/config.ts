/** Shared fixtures: a valid base config and the planning context, for tests of the pure planner. */
import type { ResolvedCredential } from "../../components/domain/credential";
import { planStack, type StackContext, type StackCredential, type StackPlan } from "../../stack/credentials";
import { loadCatalog } from "../../components/domain/catalog";
import { loadPresets } from "../../components/domain/presets";
import { ConfigError, type ConfigIssue } from "../../components/domain/errors";

export const ORG = "5b0a1c2d-3e4f-4a5b-8c6d-7e8f9a0b1c2d";
export const APPS = "0c1d2e3f-4a5b-4c6d-8e7f-8a9b0c1d2e3f";
export const BACKUPS = "1d2e3f4a-5b6c-4d7e-9f8a-9b0c1d2e3f4a";
export const NOW = new Date("2026-11-26T12:00:00Z");

export const catalog = loadCatalog();
export const presets = loadPresets(catalog);

export function context(overrides: Partial<StackContext> = {}): StackContext {
  return { stack: "staging", now: NOW, catalog, presets, ...overrides };
}

/** A minimal valid config; pass credentials (and other keys) to override. */
export function baseConfig(extra: Record<string, unknown> = {}): Record<string, unknown> {
  return {
    organizationId: ORG,
    projects: { apps: APPS, backups: BACKUPS },
    credentials: { inventory: { preset: "inventory", projects: ["apps"] } },
    ...extra,
  };
}

/** A credential as the stack checked it: its config key, its class and arguments, and what its component makes. */
export type ResolvedStackCredential = ResolvedCredential &
  Pick<StackCredential, "key" | "kind" | "args" | "paths"> & {
    readonly retired: boolean;
    readonly adopt?: { readonly applicationId: string; readonly policyId: string };
  };

/** The stack's plan with each credential's resolution spread out, as the tests read it. */
export interface ResolvedStack extends Omit<StackPlan, "credentials"> {
  readonly credentials: readonly ResolvedStackCredential[];
}

/** planStack, each credential flattened: what its component is checked to make, beside its key and arguments. */
export function resolveStack(config: unknown, ctx: StackContext): ResolvedStack {
  const plan = planStack(config, ctx);
  return {
    ...plan,
    credentials: plan.credentials.map((c) => ({
      ...c.resolved,
      key: c.key,
      kind: c.kind,
      args: c.args,
      paths: c.paths,
      retired: c.args.retire === true,
      ...(c.args.adopt ? { adopt: c.args.adopt } : {}),
    })),
  };
}

export function plan(config: Record<string, unknown>, overrides: Partial<StackContext> = {}): ResolvedStack {
  return resolveStack(config, context(overrides));
}

/** The issues of a config that must be rejected; fails the test if it is accepted. */
export function issuesOf(config: unknown, overrides: Partial<StackContext> = {}): readonly ConfigIssue[] {
  try {
    resolveStack(config, context(overrides));
  } catch (err) {
    if (err instanceof ConfigError) return err.issues;
    throw err;
  }
  throw new Error("expected the config to be rejected, but it was accepted");
}
