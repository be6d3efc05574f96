/**
 * Loads the presets: one YAML file per Plakar use case in presets/. They are validated with the same zod machinery as
 * the stack config, and every set they name must be a catalogued, project-scoped set.
 */
import * as fs from "fs";
import * as path from "path";
import { parse as parseYaml } from "yaml";
import { ConfigError, type ConfigIssue, formatPath } from "./errors";
import { type Preset, PresetSchema, PRESET_PARTS } from "./schema";
import { type Catalog, checkPermissionSet, loadCatalog, PRESETS_DIR } from "./catalog";

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
  const parts = parsed.data.parts;
  if (parts) {
    // The parts split the preset's sets exactly: each set in one part.
    const seen = new Set<string>();
    for (const part of PRESET_PARTS) {
      parts[part].forEach((set, i) => {
        const problem = !parsed.data.permissionSets.includes(set)
          ? `"${set}" is not in permissionSets`
          : seen.has(set)
            ? `"${set}" is in two parts`
            : undefined;
        if (problem) issues.push({ path: `${where}:parts.${part}[${i}]`, message: problem });
        seen.add(set);
      });
    }
    parsed.data.permissionSets.forEach((set, i) => {
      if (!seen.has(set)) issues.push({ path: `${where}:permissionSets[${i}]`, message: `"${set}" is in no part` });
    });
  }
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

let shipped: { readonly catalog: Catalog; readonly presets: ReadonlyMap<string, Preset> } | undefined;

/** The catalog and presets shipped with the package (presets/), read once. */
export function shippedData(): { readonly catalog: Catalog; readonly presets: ReadonlyMap<string, Preset> } {
  if (!shipped) {
    const catalog = loadCatalog();
    shipped = { catalog, presets: loadPresets(catalog) };
  }
  return shipped;
}
