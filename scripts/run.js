#!/usr/bin/env node
// Runs one command of tools/ (`node scripts/run.js plan --json ...` runs tools/plan/main.ts) as plain JavaScript.
// esbuild bundles our own code (index.ts, components/, stack/, the command; dependencies stay in node_modules) into
// .build/tools/<command>.js, again only when a source file changed. Plain node loads the Pulumi SDK's ~800 modules
// far faster than through a TypeScript loader hook, which is most of the offline plan's start-up (README: Benchmark).
// Type checking is `npm test`'s job (tsc), not this launcher's.
"use strict";
const fs = require("fs");
const path = require("path");

const root = path.join(__dirname, "..");
const [name, ...args] = process.argv.slice(2);
const entry = name && path.join(root, "tools", name, "main.ts");
if (!name || !/^[a-z-]+$/.test(name) || !fs.existsSync(entry)) {
  process.stderr.write(`usage: node scripts/run.js <command> [args...]: no command tools/${name}/main.ts\n`);
  process.exit(2);
}
// Two levels below the root, like tools/<command>/main.ts, so the bundle's paths relative to __dirname hold; the
// presets the components read from `<domain>/../presets` are copied to .build/presets.
const out = path.join(root, ".build", "tools", `${name}.js`);
const presets = path.join(root, "components", "presets");
const builtPresets = path.join(root, ".build", "presets");

function newest(dir) {
  let latest = 0;
  for (const entry of fs.readdirSync(dir, { withFileTypes: true })) {
    const file = path.join(dir, entry.name);
    if (entry.isDirectory()) {
      if (entry.name !== "node_modules" && entry.name !== "dist" && entry.name !== "test") {
        latest = Math.max(latest, newest(file));
      }
    } else if (/\.(ts|yaml|tsv)$/.test(entry.name)) {
      latest = Math.max(latest, fs.statSync(file).mtimeMs);
    }
  }
  return latest;
}

function sourcesChangedSince(mtimeMs) {
  if (fs.statSync(path.join(root, "index.ts")).mtimeMs > mtimeMs) return true;
  return ["components", "stack", "tools"].some((dir) => newest(path.join(root, dir)) > mtimeMs);
}

if (!fs.existsSync(out) || sourcesChangedSince(fs.statSync(out).mtimeMs)) {
  const result = require("esbuild").buildSync({
    entryPoints: [entry],
    bundle: true,
    platform: "node",
    format: "cjs",
    target: "node20",
    packages: "external",
    write: false,
    outfile: out,
    logLevel: "warning",
  });
  // Tests start several commands at once: every file is written aside, then renamed, so nobody loads a half-written
  // bundle or preset.
  fs.mkdirSync(builtPresets, { recursive: true });
  const shipped = fs.readdirSync(presets);
  for (const file of shipped) {
    const tmp = path.join(builtPresets, `.${file}.${process.pid}.tmp`);
    fs.copyFileSync(path.join(presets, file), tmp);
    fs.renameSync(tmp, path.join(builtPresets, file));
  }
  for (const file of fs.readdirSync(builtPresets)) {
    if (!file.startsWith(".") && !shipped.includes(file)) fs.rmSync(path.join(builtPresets, file), { force: true });
  }
  fs.mkdirSync(path.dirname(out), { recursive: true });
  const tmp = `${out}.${process.pid}.tmp`;
  fs.writeFileSync(tmp, result.outputFiles[0].contents);
  fs.renameSync(tmp, out);
}

process.argv = [process.argv[0], out, ...args];
require(out);
