#!/usr/bin/env node
// `npm run build`: the component library as a package. Compiles components/ and domain/ into dist/ (JavaScript and
// type declarations), then copies the data they load at run time (presets/) to dist/presets/, where
// domain/catalog.ts looks for it (`../presets` from dist/domain/).
"use strict";
const fs = require("fs");
const path = require("path");
const { execFileSync } = require("child_process");

const root = path.join(__dirname, "..");
const dist = path.join(root, "dist");
fs.rmSync(dist, { recursive: true, force: true });
execFileSync(process.execPath, [require.resolve("typescript/bin/tsc"), "-p", path.join(root, "tsconfig.build.json")], {
  stdio: "inherit",
});
fs.cpSync(path.join(root, "presets"), path.join(dist, "presets"), { recursive: true });
