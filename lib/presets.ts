/**
 * Loads the data in presets/: the permission set catalog (permission-sets.tsv) and one YAML file per Plakar use
 * case. Presets are validated with the same zod machinery as the stack config, and every set they name must be a
 * catalogued, project-scoped set.
 */
import * as fs from "fs";
import * as path from "path";
import { parse as parseYaml } from "yaml";
import { ConfigError, type ConfigIssue, formatPath } from "./errors";
import { type Preset, PresetSchema } from "./schema";
import { didYouMean } from "./suggest";

export const PRESETS_DIR = path.join(__dirname, "..", "presets");

export type PermissionSetScope = "project" | "organization";

export interface PermissionSet {
  readonly name: string;
  readonly scope: PermissionSetScope;
  readonly category: string;
}

/** The documented permission sets, by name. */
export type Catalog = ReadonlyMap<string, PermissionSet>;

export function parseCatalog(tsv: string, source = "permission-sets.tsv"): Catalog {
  const lines = tsv.split(/\r?\n/).filter((l) => l.trim() !== "");
  const header = lines.shift()?.split("\t");
  if (header?.[0] !== "name" || header[1] !== "scope") {
    throw new Error(`${source}: expected a header line "name<TAB>scope<TAB>category"`);
  }
  const catalog = new Map<string, PermissionSet>();
  lines.forEach((line, i) => {
    const [name, scope, category = ""] = line.split("\t");
    if (!name || (scope !== "project" && scope !== "organization")) {
      throw new Error(`${source}:${i + 2}: expected "<name>\\t<project|organization>\\t<category>", got "${line}"`);
    }
    catalog.set(name, { name, scope, category });
  });
  return catalog;
}

export function loadCatalog(dir = PRESETS_DIR): Catalog {
  const file = path.join(dir, "permission-sets.tsv");
  return parseCatalog(fs.readFileSync(file, "utf8"), file);
}

/** Problems with one permission set name, or none. Shared by presets, the stack config and the policy pack. */
export function checkPermissionSet(name: string, catalog: Catalog): string | undefined {
  const set = catalog.get(name);
  if (!set) {
    return `"${name}" is not a documented Scaleway permission set${didYouMean(name, catalog.keys())}; see presets/permission-sets.tsv`;
  }
  if (set.scope !== "project") {
    return `"${name}" is organization-scoped ("Access to Organization features"); Plakar only needs project-scoped sets ("Access to resources")`;
  }
  return undefined;
}

/** Object Storage sets make a key need a preferred project (`defaultProjectId`). */
export function isObjectStorageSet(name: string): boolean {
  return name.startsWith("ObjectStorage");
}

export function parsePreset(name: string, text: string, catalog: Catalog): Preset {
  const where = `presets/${name}.yaml`;
  const parsed = PresetSchema.safeParse(parseYaml(text));
  if (!parsed.success) {
    throw new ConfigError(
      parsed.error.issues.map((i) => ({ path: `${where}:${formatPath(i.path)}`, message: i.message })),
      `invalid preset ${where}`,
    );
  }
  const issues: ConfigIssue[] = [];
  parsed.data.permissionSets.forEach((set, i) => {
    const problem = checkPermissionSet(set, catalog);
    if (problem) issues.push({ path: `${where}:permissionSets[${i}]`, message: problem });
  });
  parsed.data.plakar.fields.forEach((field, i) => {
    if (field.from === "fixed" && field.value === undefined) {
      issues.push({ path: `${where}:plakar.fields[${i}].value`, message: 'required for "from: fixed"' });
    }
  });
  if (issues.length > 0) throw new ConfigError(issues, `invalid preset ${where}`);
  return { name, ...parsed.data };
}

/** Every preset in `dir`, by name (the file name without `.yaml`). */
export function loadPresets(catalog: Catalog, dir = PRESETS_DIR): ReadonlyMap<string, Preset> {
  const presets = new Map<string, Preset>();
  for (const file of fs.readdirSync(dir).sort()) {
    if (!file.endsWith(".yaml")) continue;
    const name = file.slice(0, -".yaml".length);
    presets.set(name, parsePreset(name, fs.readFileSync(path.join(dir, file), "utf8"), catalog));
  }
  return presets;
}
