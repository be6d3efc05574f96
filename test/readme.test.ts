/** The README is the front door: its presets table and commands must match the code. */
import * as fs from "fs";
import * as path from "path";
import { describe, expect, it } from "vitest";
import { presets } from "./support/config";

const ROOT = path.join(__dirname, "..");
const readme = fs.readFileSync(path.join(ROOT, "README.md"), "utf8");
const pkg = JSON.parse(fs.readFileSync(path.join(ROOT, "package.json"), "utf8")) as { scripts: Record<string, string> };

describe("README", () => {
  it("lists every preset with exactly its permission sets", () => {
    for (const [name, preset] of presets) {
      const row = readme.split("\n").find((line) => line.startsWith(`| \`${name}\` |`));
      expect(row, `no row for preset ${name}`).toBeDefined();
      const listed = [...row!.split("|")[3].matchAll(/`([A-Za-z]+)`/g)].map((m) => m[1]);
      expect(listed, name).toEqual(preset.permissionSets);
    }
  });

  it("names the two set-up commands and only npm scripts that exist", () => {
    expect(readme).toContain("npm ci && npm run --silent plan");
    expect(readme).toMatch(/^npm test\b/m);
    const used = new Set([...readme.matchAll(/npm run (?:--silent )?([a-z][\w-]*)/g)].map((m) => m[1]));
    for (const script of used) expect(Object.keys(pkg.scripts), script).toContain(script);
  });

  it(".ci/run runs the README's test command", () => {
    const ci = fs.readFileSync(path.join(ROOT, ".ci", "run"), "utf8");
    expect(ci).toMatch(/^npm ci\b/m);
    expect(ci).toMatch(/^npm test$/m);
  });
});
