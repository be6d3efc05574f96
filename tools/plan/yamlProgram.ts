/**
 * Runs a Pulumi YAML program (Pulumi.yaml with `resources:`) under the offline runner, for the examples: Pulumi's
 * YAML runtime is a Go binary that is not available here, so this reads the subset the examples use — `config:`,
 * `resources:` with `type`, `properties` and `options.protect`/`options.dependsOn`, `outputs:`, and `${name}` /
 * `${resource.property}` expressions — and registers the same resources through the Node SDK. Types it does not know
 * are refused by name rather than skipped.
 */
import * as fs from "fs";
import * as path from "path";
import * as pulumi from "@pulumi/pulumi";
import * as scaleway from "@pulumiverse/scaleway";
import { parse as parseYaml } from "yaml";
import * as components from "../../components/index";
import { COMPONENT_TYPES } from "../../components/domain/constants";
import type { Program } from "./offline";

type Construct = (
  name: string,
  props: Record<string, unknown>,
  opts: pulumi.CustomResourceOptions,
  now: Date,
) => pulumi.Resource;

/** The resource types the examples use, by every token Pulumi YAML accepts for them. */
const TYPES: Record<string, Construct> = {
  "scaleway:account:Project": (n, p, o) => new scaleway.account.Project(n, p, o),
  "scaleway:account/project:Project": (n, p, o) => new scaleway.account.Project(n, p, o),
  // Every credential class, by its token and by the short `<package>:<Class>` form Pulumi YAML also accepts.
  ...Object.fromEntries(
    Object.entries(COMPONENT_TYPES).flatMap(([cls, token]) => {
      const Class = components[cls as keyof typeof COMPONENT_TYPES];
      const construct: Construct = (n, p, o, now) =>
        new Class(n, p as never, { ...(o as pulumi.ComponentResourceOptions), now });
      return [
        [token, construct],
        [token.replace(":index:", ":"), construct],
      ];
    }),
  ),
};

interface YamlProgram {
  name: string;
  config?: Record<string, unknown>;
  resources?: Record<string, { type: string; properties?: Record<string, unknown>; options?: Record<string, unknown> }>;
  outputs?: Record<string, unknown>;
}

const EXPRESSION = /\$\{([A-Za-z0-9_-]+)((?:\.[A-Za-z0-9_]+)*)\}/g;

/** The resource and config names an expression tree refers to. */
function references(value: unknown, out = new Set<string>()): Set<string> {
  if (typeof value === "string") for (const m of value.matchAll(EXPRESSION)) out.add(m[1]);
  else if (Array.isArray(value)) value.forEach((v) => references(v, out));
  else if (value && typeof value === "object") Object.values(value).forEach((v) => references(v, out));
  return out;
}

export function yamlProgram(dir: string): Program {
  const file = path.join(dir, "Pulumi.yaml");
  const doc = parseYaml(fs.readFileSync(file, "utf8")) as YamlProgram;
  // The offline runner passes its clock; the components take it, as the stack does.
  return ({ now }) => {
    const config = new pulumi.Config(doc.name);
    const values = new Map<string, unknown>();
    for (const key of Object.keys(doc.config ?? {})) values.set(key, config.require(key));
    const resources = new Map<string, pulumi.Resource>();

    const lookup = (name: string, props: string): unknown => {
      const resource = resources.get(name);
      if (resource) {
        const keys = props.split(".").filter(Boolean);
        let out: unknown = resource;
        for (const key of keys) out = (out as Record<string, unknown>)[key];
        if (out === undefined) throw new Error(`${file}: \${${name}${props}} is not a property of ${name}`);
        return out;
      }
      if (values.has(name) && !props) return values.get(name);
      throw new Error(`${file}: \${${name}${props}} names no config key or resource declared before use`);
    };
    const evaluate = (value: unknown): unknown => {
      if (typeof value === "string") {
        const whole = /^\$\{([A-Za-z0-9_-]+)((?:\.[A-Za-z0-9_]+)*)\}$/.exec(value);
        if (whole) return lookup(whole[1], whole[2]);
        const parts: unknown[] = [];
        let last = 0;
        for (const m of value.matchAll(EXPRESSION)) {
          parts.push(value.slice(last, m.index), lookup(m[1], m[2]));
          last = (m.index ?? 0) + m[0].length;
        }
        if (parts.length === 0) return value;
        parts.push(value.slice(last));
        return pulumi.all(parts).apply((p) => p.join(""));
      }
      if (Array.isArray(value)) return value.map(evaluate);
      if (value && typeof value === "object") {
        return Object.fromEntries(Object.entries(value).map(([k, v]) => [k, evaluate(v)]));
      }
      return value;
    };

    // Declaration order does not matter in Pulumi YAML: create each resource once what it refers to exists.
    const pending = new Map(Object.entries(doc.resources ?? {}));
    while (pending.size > 0) {
      const ready = [...pending].find(([, r]) =>
        [...references(r)].every((ref) => resources.has(ref) || (values.has(ref) && !pending.has(ref))),
      );
      if (!ready)
        throw new Error(`${file}: resources ${[...pending.keys()].join(", ")} refer to unknown or cyclic names`);
      const [name, spec] = ready;
      pending.delete(name);
      const construct = TYPES[spec.type];
      if (!construct)
        throw new Error(`${file}: resource ${name} has type ${spec.type}, which the offline plan does not know`);
      const options = spec.options ?? {};
      const opts: pulumi.CustomResourceOptions = {
        ...(options.protect !== undefined ? { protect: options.protect === true } : {}),
        ...(Array.isArray(options.dependsOn)
          ? { dependsOn: options.dependsOn.map(evaluate) as pulumi.Resource[] }
          : {}),
      };
      resources.set(name, construct(name, evaluate(spec.properties ?? {}) as Record<string, unknown>, opts, now));
    }
    return Object.fromEntries(Object.entries(doc.outputs ?? {}).map(([k, v]) => [k, evaluate(v)]));
  };
}
