/**
 * The stack: read config, plan every credential (all validation happens here, before any resource exists), build
 * one PlakarCredential per credential, export what Plakar needs.
 */
import * as pulumi from "@pulumi/pulumi";
import { PlakarCredential } from "./components/credential";
import { clockNow } from "./lib/clock";
import { configIssuesOf } from "./lib/errors";
import { planStack, type StackPlan } from "./lib/plan";
import { loadCatalog, loadPresets } from "./lib/presets";
import { namespaceConfig } from "./lib/stackConfig";

function loadPlan(): StackPlan {
  try {
    const catalog = loadCatalog();
    return planStack(namespaceConfig(pulumi.runtime.allConfig(), pulumi.getProject()), {
      stack: pulumi.getStack(),
      now: clockNow(),
      catalog,
      presets: loadPresets(catalog),
    });
  } catch (err) {
    const issues = configIssuesOf(err);
    // A RunError is printed by Pulumi without a stack trace: the message already says what to fix.
    if (issues) throw Object.assign(new pulumi.RunError((err as Error).message), { issues });
    throw err;
  }
}

const plan = loadPlan();

const built = plan.credentials.map((c) => new PlakarCredential(c.key, { plan: c, protect: plan.protect }));

const keyOutputs = (key: PlakarCredential["current"]) => ({
  accessKey: key.accessKey,
  secretKey: key.secretKey,
  expiresAt: key.expiresAt,
  generation: key.generation ?? null,
});

/** Per credential: its IDs, scope, keys (secret keys are Pulumi secrets) and what to type into Plakar. */
export const credentials = Object.fromEntries(
  built.map((c) => [
    c.plan.key,
    {
      useCase: c.plan.useCase,
      applicationId: c.application.id,
      policyId: c.policy.id,
      accessKey: c.current.accessKey,
      secretKey: c.current.secretKey,
      expiresAt: c.current.expiresAt,
      current: keyOutputs(c.current),
      previous: c.previous ? keyOutputs(c.previous) : null,
      projectIds: "projectIds" in c.plan.rule ? c.plan.rule.projectIds : "*",
      preferredProjectId: c.plan.preferredProject?.id ?? null,
      permissionSets: c.plan.permissionSets,
      delivery:
        c.plan.delivery && c.delivery
          ? {
              secretId: c.delivery.secretId,
              path: c.plan.delivery.fullPath,
              projectId: c.plan.delivery.project.id,
              region: c.plan.delivery.region,
            }
          : null,
      plakar: c.plakar,
    },
  ]),
);
