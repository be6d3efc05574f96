/**
 * The permission set catalog (presets/permission-sets.tsv): every documented Scaleway permission set with its scope.
 * Shared by the presets, the stack config, the component and the policy pack, so they cannot disagree on what a
 * valid set is.
 */
import * as fs from "fs";
import * as path from "path";
import { didYouMean } from "./suggest";

/**
 * Where the data files live: `presets/` beside this folder, both in the source tree (`domain/`) and in the built
 * package (`dist/domain/`, with `dist/presets/` copied by `npm run build`), and beside a bundled tool (`.build/`).
 */
export const PRESETS_DIR = path.join(__dirname, "..", "presets");

export type PermissionSetScope = "project" | "organization";

export interface PermissionSet {
  readonly name: string;
  readonly scope: PermissionSetScope;
  readonly category: string;
}

/** The documented permission sets, by name. */
export type Catalog = ReadonlyMap<string, PermissionSet>;

/**
 * Reads the catalog: a header, then one `<name>\t<project|organization>\t<category>` line per set. A name written
 * twice is refused, whatever its second scope: a reader keeping either line would decide a set's scope by the order
 * of lines, and `preflight --update-catalog` would silently drop one of them.
 */
export function parseCatalog(tsv: string, source = "permission-sets.tsv"): Catalog {
  // Line numbers count every line of the file, blank ones included, so an error points where an editor does.
  const lines = tsv
    .split(/\r?\n/)
    .map((text, i) => ({ text, number: i + 1 }))
    .filter((l) => l.text.trim() !== "");
  const header = lines.shift()?.text.split("\t");
  if (header?.[0] !== "name" || header[1] !== "scope") {
    throw new Error(`${source}: expected a header line "name<TAB>scope<TAB>category"`);
  }
  const catalog = new Map<string, PermissionSet>();
  const firstLine = new Map<string, number>();
  for (const { text, number } of lines) {
    const [name, scope, category = ""] = text.split("\t");
    if (!name || (scope !== "project" && scope !== "organization")) {
      throw new Error(`${source}:${number}: expected "<name>\\t<project|organization>\\t<category>", got "${text}"`);
    }
    const first = firstLine.get(name);
    if (first !== undefined) {
      throw new Error(`${source}:${number}: "${name}" is already listed on line ${first}: keep one line per set`);
    }
    firstLine.set(name, number);
    catalog.set(name, { name, scope, category });
  }
  return catalog;
}

export function loadCatalog(dir = PRESETS_DIR): Catalog {
  const file = path.join(dir, "permission-sets.tsv");
  return parseCatalog(fs.readFileSync(file, "utf8"), file);
}

/** Problems with one permission set name, or none. */
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
