/** What the component package's tests share: IDs, the clock, the shipped catalog and presets, temporary folders. */
import * as fs from "fs";
import * as os from "os";
import * as path from "path";
import { afterAll } from "vitest";
import { loadCatalog } from "../../domain/catalog";
import { loadPresets } from "../../domain/presets";

/** The package's folder (components/), and the repository it sits in. */
export const PACKAGE_DIR = path.resolve(__dirname, "..", "..");
export const REPOSITORY = path.dirname(PACKAGE_DIR);

export const ORG = "5b0a1c2d-3e4f-4a5b-8c6d-7e8f9a0b1c2d";
export const APPS = "0c1d2e3f-4a5b-4c6d-8e7f-8a9b0c1d2e3f";
export const BACKUPS = "1d2e3f4a-5b6c-4d7e-9f8a-9b0c1d2e3f4a";
export const NOW = new Date("2026-11-26T12:00:00Z");

export const catalog = loadCatalog();
export const presets = loadPresets(catalog);

/** A fresh folder under the run's temporary root (vitest's global setup sets TMPDIR). */
export function tempDir(): string {
  return fs.mkdtempSync(path.join(os.tmpdir(), "plakar-iam-test-"));
}

/**
 * A beforeEach hook that does its work once per file, as beforeAll would, or before every test under mutation
 * testing (PLAKAR_MUTATION=1): Stryker credits a test only with the code run in it or in its beforeEach.
 */
export function oncePerFile(setup: () => Promise<void> | void): () => Promise<void> {
  let done = false;
  return async () => {
    if (done && process.env.PLAKAR_MUTATION !== "1") return;
    await setup();
    done = true;
  };
}

/**
 * Takes unhandled rejections from vitest for the calling test file, and gives them back after its last test: a
 * refusal found once an Output resolves reaches Pulumi's program runner that way (its `unhandledRejection` handler
 * ends the update); the mock runtime has no such runner, so a file asserts on them. Call at the file's top level.
 */
export function takeUnhandledRejections(): unknown[] {
  const vitestListeners = process.listeners("unhandledRejection");
  const rejections: unknown[] = [];
  process.removeAllListeners("unhandledRejection");
  process.on("unhandledRejection", (err) => rejections.push(err));
  afterAll(() => {
    process.removeAllListeners("unhandledRejection");
    for (const listener of vitestListeners) process.on("unhandledRejection", listener);
  });
  return rejections;
}

/** Waits until `condition` holds, or `ms` have passed. */
export async function until(condition: () => boolean, ms = 5000): Promise<void> {
  const end = Date.now() + ms;
  while (!condition() && Date.now() < end) await new Promise((r) => setTimeout(r, 10));
}
