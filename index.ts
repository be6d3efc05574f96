/**
 * The stack: read the config, check all of it (nothing is registered when any of it is wrong), build one
 * PlakarCredential per credential, export what Plakar needs. `pulumi up` calls this function with no argument, so it
 * runs on the real clock; the offline plan passes the date it previews.
 */
import * as pulumi from "@pulumi/pulumi";
import { PlakarCredential, type PlakarCredentialArgs } from "./components/credential";
import type { CredentialSpec } from "./components/domain/credential";
import { configIssuesOf } from "./components/domain/errors";
import { shippedData } from "./components/domain/presets";
import { type ResolvedStack, resolveStack, type StackCredential } from "./stack/credentials";
import { namespaceConfig } from "./stack/config";

interface StackOptions {
  /** The date whose key generations to declare. @default now */
  readonly now?: Date;
}

function resolveConfig(now: Date): ResolvedStack {
  try {
    return resolveStack(namespaceConfig(pulumi.runtime.allConfig(), pulumi.getProject()), {
      stack: pulumi.getStack(),
      now,
      ...shippedData(),
    });
  } catch (err) {
    const issues = configIssuesOf(err);
    // A RunError is printed by Pulumi without a stack trace: the message already says what to fix.
    if (issues) throw Object.assign(new pulumi.RunError((err as Error).message), { issues });
    throw err;
  }
}

/** The component's arguments for a credential the stack has already checked and resolved. */
function componentArgs(c: StackCredential, spec: CredentialSpec): PlakarCredentialArgs {
  // Every value here was checked by resolveStack: none is UNKNOWN.
  const plain = <T>(value: unknown): T => value as T;
  return {
    organizationId: c.organizationId,
    // Rules written as rules, or split by a staging project, go as the rules they resolved to; the rest as written.
    ...(spec.rules !== undefined || spec.stagingProject !== undefined
      ? {
          rules: c.rules.map((r) => ({
            ...("organizationId" in r ? { allProjects: true } : { projectIds: [...r.projectIds] }),
            permissionSets: [...r.permissionSetNames],
          })),
        }
      : {
          ...(c.projects === "*" ? { allProjects: true } : { projectIds: c.projects.map((p) => p.id) }),
          ...(spec.permissionSets !== undefined
            ? { permissionSets: [...plain<readonly string[]>(spec.permissionSets)] }
            : {}),
        }),
    ...(spec.preset !== undefined ? { preset: plain<string>(spec.preset) } : {}),
    ...(c.preferredProject ? { preferredProjectId: c.preferredProject.id } : {}),
    ...(c.expiry.kind === "pinned"
      ? { expiresAt: c.expiry.expiresAt }
      : { rotation: { rotateEveryDays: c.expiry.rotateEveryDays, overlapDays: c.expiry.overlapDays } }),
    maxLifetimeDays: spec.maxLifetimeDays,
    name: c.name,
    ...(spec.purpose !== undefined ? { description: plain<string>(spec.purpose) } : {}),
    tags: [...plain<readonly string[]>(spec.tags)],
    ...(spec.region !== undefined ? { region: plain<string>(spec.region) } : {}),
    ...(c.delivery
      ? { delivery: { projectId: c.delivery.project.id, region: c.delivery.region, path: c.delivery.folder } }
      : {}),
    ...(c.retired ? { retire: true } : {}),
    ...(c.adopt ? { adopt: { ...c.adopt } } : {}),
  };
}

export = async function stack(options: StackOptions = {}) {
  const now = options.now ?? new Date();
  const resolved = resolveConfig(now);

  /** Per credential: its IDs, scope, keys (secret keys are Pulumi secrets) and what to type into Plakar. */
  const credentials = Object.fromEntries(
    resolved.credentials.map((c) => {
      const spec = resolved.specs.get(c.key);
      if (!spec) throw new Error(`internal: no spec for credential ${c.key}`);
      const built = new PlakarCredential(c.key, componentArgs(c, spec), { protect: resolved.protect, now });
      const key = (slot: "current" | "previous", secretKey: pulumi.Output<string> | undefined) => ({
        accessKey: built.keys.apply((k) => k[slot]?.accessKey ?? ""),
        secretKey,
        expiresAt: built.keys.apply((k) => k[slot]?.expiresAt ?? ""),
        generation: c.keys[slot]?.generation ?? null,
      });
      // A retired credential holds no key: nothing for check-expiry to judge, nothing to hand to Plakar.
      const keys = c.retired
        ? { retired: true, accessKey: null, secretKey: null, expiresAt: null, current: null, previous: null }
        : {
            accessKey: built.accessKey,
            secretKey: built.secretKey,
            expiresAt: built.expiresAt,
            current: key("current", built.secretKey),
            previous: c.keys.previous ? key("previous", built.previousSecretKey) : null,
          };
      return [
        c.key,
        {
          useCase: c.useCase,
          applicationId: built.applicationId,
          policyId: built.policyId,
          ...keys,
          projectIds:
            c.projects === "*"
              ? "*"
              : [...new Set(c.rules.flatMap((r) => ("projectIds" in r ? r.projectIds : [])))].sort(),
          preferredProjectId: c.preferredProject?.id ?? null,
          permissionSets: c.permissionSets,
          delivery: built.delivery ?? null,
          plakar: built.plakar,
        },
      ];
    }),
  );
  return { credentials };
};
