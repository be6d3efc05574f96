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

  it("says how to run one test file and how long the suite takes", () => {
    expect(readme).toMatch(/^npx vitest run test\/[\w-]+\.test\.ts$/m);
    const file = /^npx vitest run (test\/[\w-]+\.test\.ts)$/m.exec(readme)?.[1];
    expect(fs.existsSync(path.join(ROOT, file ?? "none")), `${file} exists`).toBe(true);
    expect(readme).toMatch(/`npm test` takes about a minute/);
  });

  it("ships the license package.json declares, and a changelog with an Unreleased section and a release", () => {
    const pkgFull = JSON.parse(fs.readFileSync(path.join(ROOT, "package.json"), "utf8")) as { license: string };
    expect(pkgFull.license).toBe("Apache-2.0");
    const license = fs.readFileSync(path.join(ROOT, "LICENSE"), "utf8");
    expect(license).toMatch(/^\s*Apache License\s+Version 2\.0, January 2004/);
    // The full text: all nine sections, not a pointer to it.
    for (let n = 1; n <= 9; n++) expect(license).toMatch(new RegExp(`\\n\\s+${n}\\. [A-Z]`));
    expect(license).toContain("END OF TERMS AND CONDITIONS");
    const changelog = fs.readFileSync(path.join(ROOT, "CHANGELOG.md"), "utf8");
    const versions = [...changelog.matchAll(/^## (\S+)/gm)].map((m) => m[1]);
    expect(versions[0]).toBe("Unreleased");
    expect(versions.slice(1)).toEqual(expect.arrayContaining(["0.2.0", "0.1.0"]));
  });

  it(".ci/run runs the README's test command", () => {
    const ci = fs.readFileSync(path.join(ROOT, ".ci", "run"), "utf8");
    expect(ci).toMatch(/^npm ci\b/m);
    expect(ci).toMatch(/^npm test$/m);
  });
});
