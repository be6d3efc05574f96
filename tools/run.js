#!/usr/bin/env node
// Runs one of the TypeScript scripts in tools/ (`node tools/run.js plan --json ...`) as plain JavaScript.
// esbuild bundles our own code (index.ts, components/, domain/, the tool; dependencies stay in node_modules) into
// .build/<script>.js, again only when a source file changed. Plain node loads the Pulumi SDK's ~800 modules far
// faster than through a TypeScript loader hook, which is most of the offline plan's start-up (README: Benchmark).
// Type checking is `npm test`'s job (tsc), not this launcher's.
"use strict";
const fs = require("fs");
const path = require("path");

const root = path.join(__dirname, "..");
const [name, ...args] = process.argv.slice(2);
const entry = name && path.join(root, "tools", `${name}.ts`);
if (!name || !/^[a-z-]+$/.test(name) || !fs.existsSync(entry)) {
  process.stderr.write(`usage: node tools/run.js <script> [args...]: no script tools/${name}.ts\n`);
  process.exit(2);
}
// .build/ sits one level below the root, like domain/ and tools/, so the bundle's __dirname-relative paths hold.
const out = path.join(root, ".build", `${name}.js`);

function newestSource() {
  let newest = fs.statSync(path.join(root, "index.ts")).mtimeMs;
  for (const dir of ["components", "domain", "tools"]) {
    for (const file of fs.readdirSync(path.join(root, dir))) {
      if (file.endsWith(".ts")) newest = Math.max(newest, fs.statSync(path.join(root, dir, file)).mtimeMs);
    }
  }
  return newest;
}

if (!fs.existsSync(out) || fs.statSync(out).mtimeMs < newestSource()) {
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
  fs.mkdirSync(path.dirname(out), { recursive: true });
  // Tests start several scripts at once: write aside, then rename, so nobody loads a half-written bundle.
  const tmp = `${out}.${process.pid}.tmp`;
  fs.writeFileSync(tmp, result.outputFiles[0].contents);
  fs.renameSync(tmp, out);
}

process.argv = [process.argv[0], out, ...args];
require(out);
