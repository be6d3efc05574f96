/**
 * Upgrading replaces nothing: today's example stacks, planned on the same date as the released plans of v0.1.0 and
 * v0.2.0 (test/fixtures/v<version>-plan-*.json, each taken with that release's code), find every old resource under
 * its URN or an alias, with the same type and inputs, and add none. From v0.2.0 the credentials moved from
 * PlakarCredential to their use case's class, which carries PlakarCredential's token as an alias.
 *
 * The matching is the engine's (pulumi/pulumi pkg/resource/deploy/step_generator.go, `getOldResource` and
 * `generateAliases`): a resource is looked up by its URN, then by its own aliases, then by aliases inherited from a
 * parent that was itself found through an alias (`inheritedChildAlias`: the parent alias's type chain, and its name
 * in place of the parent's name at the start of the child's name).
 */
import * as fs from "fs";
import * as path from "path";
import { MockMonitor } from "@pulumi/pulumi/runtime/mocks";
import { describe, expect, it, vi } from "vitest";
import { type PlannedResource, runOffline } from "../tools/plan/offline";
import { ROOT } from "./support/arbitraries";

interface AliasSpec {
  getName(): string;
  getType(): string;
  getStack(): string;
  getProject(): string;
  getParenturn(): string;
  getNoparent(): boolean;
}
interface RegisterRequest {
  getType(): string;
  getName(): string;
  getParent(): string;
  getAliasesList(): { getUrn(): string; getSpec(): AliasSpec | undefined }[];
}

/** `urn:pulumi:<stack>::<project>`, the `<type chain>` and the name of a URN. */
function splitUrn(urn: string): { prefix: string; chain: string; name: string } {
  const parts = urn.split("::");
  return { prefix: `${parts[0]}::${parts[1]}`, chain: parts[2], name: parts.slice(3).join("::") };
}

/**
 * The mock monitor spells URNs its own way (only the parent's last type, the root stack included); the engine's
 * resource.NewURN chains every ancestor's type, leaving the root stack out. Recompute the engine's URN of each
 * resource from the tree, for the released plan and today's alike.
 */
function engineUrns(resources: readonly PlannedResource[]): Map<string, string> {
  const byUrn = new Map(resources.map((r) => [r.urn, r]));
  const out = new Map<string, string>();
  const chainOf = (urn: string | null): string => {
    const r = urn ? byUrn.get(urn) : undefined;
    if (!r) return ""; // the root stack, or no parent
    const parent = chainOf(r.parent);
    return parent ? `${parent}$${r.type}` : r.type;
  };
  for (const r of resources) out.set(r.urn, `${splitUrn(r.urn).prefix}::${chainOf(r.urn)}::${r.name}`);
  return out;
}

interface Old {
  resources: PlannedResource[];
  now: string;
}

async function upgrade(version: string, stack: "staging" | "prod") {
  const old = JSON.parse(
    fs.readFileSync(path.join(ROOT, "test", "fixtures", `${version}-plan-${stack}.json`), "utf8"),
  ) as Old;
  const spy = vi.spyOn(MockMonitor.prototype, "registerResource");
  const plan = await runOffline({ root: ROOT, stack, now: new Date(old.now) });
  const requests = spy.mock.calls.map(([req]) => req as unknown as RegisterRequest);
  spy.mockRestore();

  const oldUrns = engineUrns(old.resources);
  const olds = new Map(old.resources.map((r) => [oldUrns.get(r.urn)!, r]));
  const newUrns = engineUrns(plan.resources);
  const prefix = splitUrn(plan.resources[0].urn).prefix;
  const chain = (urn: string | null) => (urn && newUrns.has(urn) ? splitUrn(newUrns.get(urn)!).chain : "");
  const urnOf = (parentChain: string, type: string, name: string) =>
    `${prefix}::${parentChain ? `${parentChain}$${type}` : type}::${name}`;

  // In registration order (a parent always comes before its children), as the step generator sees them.
  const byKey = new Map(plan.resources.map((r) => [`${r.type}::${r.name}::${r.parent ?? ""}`, r]));
  const matchedVia = new Map<string, string>(); // engine URN -> the old URN it was found under
  const matches: { old: PlannedResource; now: PlannedResource }[] = [];
  for (const req of requests) {
    const now = byKey.get(`${req.getType()}::${req.getName()}::${req.getParent()}`);
    if (!now) continue; // the root stack
    const urn = newUrns.get(now.urn)!;
    const candidates = [urn];
    for (const alias of req.getAliasesList()) {
      const spec = alias.getSpec();
      if (!spec) {
        candidates.push(alias.getUrn());
        continue;
      }
      const parent = spec.getNoparent() ? null : spec.getParenturn() || now.parent;
      candidates.push(urnOf(chain(parent), spec.getType() || now.type, spec.getName() || now.name));
    }
    const parentAlias = now.parent ? matchedVia.get(newUrns.get(now.parent) ?? "") : undefined;
    if (parentAlias && now.parent) {
      const parentName = now.parent.split("::").pop()!;
      const name = now.name.startsWith(parentName)
        ? splitUrn(parentAlias).name + now.name.slice(parentName.length)
        : now.name;
      candidates.push(urnOf(splitUrn(parentAlias).chain, now.type, name));
    }
    const hit = candidates.find((c) => olds.has(c));
    if (!hit) continue;
    if (hit !== urn) matchedVia.set(urn, hit);
    matches.push({ old: olds.get(hit)!, now });
  }
  return { old: old.resources, plan, matches, aliased: matchedVia.size };
}

const CASES = [
  ["v0.1.0", "staging"],
  ["v0.1.0", "prod"],
  ["v0.2.0", "staging"],
  ["v0.2.0", "prod"],
] as const;

describe.each(CASES)("upgrading from %s, the %s example stack", (version, stack) => {
  it("finds every old resource once, under its URN or an alias, and creates nothing new", async () => {
    const { old, plan, matches, aliased } = await upgrade(version, stack);
    expect(matches.map((m) => m.old.urn).sort()).toEqual(old.map((r) => r.urn).sort());
    expect(new Set(matches.map((m) => m.now.urn)).size).toBe(matches.length);
    expect(plan.resources.length, "no resource without an old one").toBe(old.length);
    // Every example credential changed type (0.1.0's token, then 0.2.0's PlakarCredential for every use case), with
    // an alias: so did its children's URNs, found through the aliases they inherit.
    expect(aliased).toBe(old.length);
  });

  it("gives each found resource the same custom type, inputs and protect, and keeps its order of creation", async () => {
    const { old: released, matches, plan } = await upgrade(version, stack);
    // What each resource now waits for, directly or through what it waits for (by name: URNs changed).
    const direct = new Map(plan.resources.map((r) => [r.name, r.dependsOn.map((d) => d.split("::").pop() ?? d)]));
    const closure = (name: string, seen = new Set<string>()): Set<string> => {
      for (const d of direct.get(name) ?? []) if (!seen.has(d)) closure(d, seen.add(d));
      return seen;
    };
    expect(matches).toHaveLength(released.length);
    for (const { old, now } of matches) {
      if (old.type.startsWith("plakar-scaleway-iam:")) continue; // components: no state of their own to replace
      expect(now.type, old.urn).toBe(old.type);
      expect(now.inputs, old.urn).toEqual(old.inputs);
      expect(now.protect, old.urn).toBe(old.protect);
      // No new dependency, and every old one still holds, directly or through another: nothing is created earlier.
      const before = old.dependsOn.map((d) => d.split("::").pop() ?? d);
      expect(
        direct.get(now.name)?.filter((d) => !before.includes(d)),
        old.urn,
      ).toEqual([]);
      const after = closure(now.name);
      expect(
        before.filter((d) => !after.has(d)),
        old.urn,
      ).toEqual([]);
    }
  });
});
