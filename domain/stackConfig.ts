/**
 * Bridges Pulumi's config and our schema. Pulumi hands a program every config value as a string (structured
 * values JSON-encoded), keyed `<namespace>:<key>`; the offline plan reads the same values from the stack file.
 */
import { parse as parseYaml } from "yaml";

/** Keys whose values are plain strings even when they look like JSON (a prefix of "123" stays "123"). */
const STRING_KEYS = new Set(["organizationId", "namePrefix"]);

/**
 * The raw config object for one namespace: `{ organizationId, projects, ... }`, values decoded from Pulumi's string
 * form. Keys of other namespaces (`scaleway:region`, ...) are left out; unknown keys of ours are kept, so the
 * schema can reject them.
 */
export function namespaceConfig(all: Readonly<Record<string, string>>, namespace: string): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  const prefix = `${namespace}:`;
  for (const fullKey of Object.keys(all).sort()) {
    if (!fullKey.startsWith(prefix)) continue;
    const key = fullKey.slice(prefix.length);
    out[key] = decodeValue(key, all[fullKey]);
  }
  return out;
}

function decodeValue(key: string, value: string): unknown {
  if (STRING_KEYS.has(key)) return value;
  try {
    return JSON.parse(value);
  } catch {
    return value;
  }
}

/** A stack file (`Pulumi.<stack>.yaml`) as Pulumi would pass it to the program. */
export interface StackFileConfig {
  /** `<namespace>:<key>` -> value in Pulumi's string form. */
  readonly config: Record<string, string>;
}

/**
 * Reads a stack file's `config:` block the way the Pulumi CLI does: keys without a namespace belong to the project,
 * scalars become strings, objects and lists become JSON. Secure values cannot be decrypted offline and are refused.
 */
export function parseStackFile(text: string, project: string, source: string): StackFileConfig {
  const doc: unknown = parseYaml(text);
  if (doc !== null && (typeof doc !== "object" || Array.isArray(doc))) {
    throw new Error(`${source}: expected a YAML mapping with a "config:" key`);
  }
  const block = (doc as Record<string, unknown> | null)?.config ?? {};
  if (typeof block !== "object" || block === null || Array.isArray(block)) {
    throw new Error(`${source}: "config" must be a mapping of <namespace>:<key> to values`);
  }
  const config: Record<string, string> = {};
  for (const [rawKey, value] of Object.entries(block)) {
    const key = rawKey.includes(":") ? rawKey : `${project}:${rawKey}`;
    if (value && typeof value === "object" && !Array.isArray(value) && "secure" in value) {
      // Other namespaces (scaleway:secretKey, ...) are not ours to read: leave their secrets encrypted.
      if (!key.startsWith(`${project}:`)) continue;
      throw new Error(`${source}: ${key} is an encrypted (secure) value; the offline plan cannot decrypt it`);
    }
    config[key] = typeof value === "string" ? value : JSON.stringify(value);
  }
  return { config };
}
