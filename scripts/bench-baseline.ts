/**
 * The benchmark's baseline (scripts/bench.ts): what Pulumi itself spends to register a plan's resources under the
 * offline plan's mocks. It reads the resources an offline plan registered (its `--json` document) and registers
 * the same ones, with the same types, names, parents, inputs and options: each Scaleway resource through its own
 * @pulumiverse/scaleway class, each credential as a plain ComponentResource (ending with registerOutputs), an input
 * that holds a resource's ID as that resource's `id` Output. No config, no checks, no outputs: the plan's cost over
 * this is ours.
 *
 * `node .build/bench-baseline.js <plan.json>`
 */
import * as fs from "fs";
import * as pulumi from "@pulumi/pulumi";
import * as scaleway from "@pulumiverse/scaleway";
import { scalewayMocks, withoutStackTraces } from "../tools/plan/mocks";
import type { PlannedResource } from "../tools/plan/offline";

interface PlanDocument {
  readonly stack: string;
  readonly project: string;
  readonly resources: readonly PlannedResource[];
}

type ScalewayClass = new (name: string, args: pulumi.Inputs, opts: pulumi.CustomResourceOptions) => pulumi.Resource;

/** The provider's class for each resource type the plan registers (`__pulumiType`), from its IAM and Secrets modules. */
function scalewayClasses(): Map<string, ScalewayClass> {
  const classes = new Map<string, ScalewayClass>();
  for (const module of [scaleway.iam, scaleway.secrets] as unknown as Record<string, unknown>[]) {
    for (const value of Object.values(module)) {
      const token = (value as { __pulumiType?: unknown } | undefined)?.__pulumiType;
      if (typeof token === "string") classes.set(token, value as ScalewayClass);
    }
  }
  return classes;
}

/** A credential, as Pulumi registers any component: no state, then its (empty) outputs. */
class Group extends pulumi.ComponentResource {
  constructor(type: string, name: string, opts: pulumi.ComponentResourceOptions) {
    super(type, name, {}, opts);
    this.registerOutputs({});
  }
}

/** Parents and dependencies first: the order a program must create them in. */
function creationOrder(resources: readonly PlannedResource[]): PlannedResource[] {
  const byUrn = new Map(resources.map((r) => [r.urn, r]));
  const done = new Set<string>();
  const order: PlannedResource[] = [];
  const visit = (r: PlannedResource) => {
    if (done.has(r.urn)) return;
    done.add(r.urn);
    for (const urn of [r.parent ?? "", ...r.dependsOn]) {
      const before = byUrn.get(urn);
      if (before) visit(before);
    }
    order.push(r);
  };
  resources.forEach(visit);
  return order;
}

async function main(): Promise<void> {
  const [file] = process.argv.slice(2);
  const plan = JSON.parse(fs.readFileSync(file, "utf8")) as PlanDocument;
  await pulumi.runtime.setMocks(
    scalewayMocks(() => "baseline-secret"),
    plan.project,
    plan.stack,
    false,
  );
  await withoutStackTraces(async () => {
    await pulumi.runtime.runInPulumiStack(async () => {
      const created = new Map<string, pulumi.Resource>();
      const classes = scalewayClasses();
      const ids = new Map(plan.resources.map((r) => [r.urn, r.id]));
      for (const r of creationOrder(plan.resources)) {
        const parent = r.parent ? created.get(r.parent) : undefined;
        const dependsOn = r.dependsOn.flatMap((urn) => created.get(urn) ?? []);
        // An input holding the ID of a resource it depends on is that resource's `id` Output, as a program wires it.
        const inputs = Object.fromEntries(
          Object.entries(r.inputs as Record<string, unknown>).map(([key, value]) => {
            const source = r.dependsOn.find((urn) => ids.get(urn) === value);
            const resource = source ? created.get(source) : undefined;
            return [key, resource instanceof pulumi.CustomResource ? resource.id : value];
          }),
        );
        if (r.id === null) {
          // A credential's own aliases (its old type tokens); its children's are the ones Pulumi derives from them.
          const own = parent
            ? []
            : r.aliases.flatMap((a) => (typeof a !== "string" && a.type ? [{ type: a.type }] : []));
          created.set(r.urn, new Group(r.type, r.name, { ...(parent ? { parent } : {}), aliases: own }));
        } else {
          const Class = classes.get(r.type);
          if (!Class) throw new Error(`no @pulumiverse/scaleway class for ${r.type}`);
          created.set(
            r.urn,
            new Class(r.name, inputs, {
              ...(parent ? { parent } : {}),
              protect: r.protect,
              dependsOn,
              ignoreChanges: [...r.ignoreChanges],
            }),
          );
        }
      }
      return {};
    });
    await pulumi.runtime.disconnect();
  });
}

main().catch((err) => {
  process.stderr.write(`${(err as Error).stack ?? String(err)}\n`);
  process.exit(1);
});
