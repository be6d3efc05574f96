#!/usr/bin/env node
// The package's build (`npm run build`, and `prepack` before `npm pack`/`npm publish`): compiles the component
// source into dist/ (JavaScript and type declarations), then copies the data it loads at run time (presets/) to
// dist/presets/, where dist/domain/catalog.js looks for it (`../presets`).
//
// `--prepare` is npm's `prepare`, run where the package is installed from source: by `npm install` inside it (what
// `pulumi package add <git URL>/components` does), or as a dependency given by path or git URL. When TypeScript is
// not installed there (npm does not install a linked folder's devDependencies), it says so and leaves dist/ alone
// instead of failing the consumer's whole install.
"use strict";
const fs = require("fs");
const path = require("path");
const { execFileSync } = require("child_process");

const root = path.join(__dirname, "..");
const prepare = process.argv.includes("--prepare");

let tsc;
try {
  tsc = require.resolve("typescript/bin/tsc", { paths: [root] });
} catch {
  if (!prepare) throw new Error("TypeScript is not installed: run npm install in this folder first");
  process.stderr.write(
    "plakar-scaleway-iam: TypeScript is not installed here, so dist/ was not built; " +
      "install the package from its tarball (npm pack), or run npm install inside this folder\n",
  );
  process.exit(0);
}

const dist = path.join(root, "dist");
fs.rmSync(dist, { recursive: true, force: true });
execFileSync(process.execPath, [tsc, "-p", path.join(root, "tsconfig.build.json")], { stdio: "inherit" });
fs.cpSync(path.join(root, "presets"), path.join(dist, "presets"), { recursive: true });
