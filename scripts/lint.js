#!/usr/bin/env node
// `npm run lint`: the type check, ESLint and Prettier, side by side. Every tool runs to the end and its findings are
// printed even when another one fails (a type error must not hide a lint or format finding); the exit code is
// non-zero when any of them failed. `--test` (what `npm test` runs) also runs vitest alongside, its output live,
// the linters' findings after it: on a 2-core machine the linters fill the gaps of a test run waiting on processes.
"use strict";
const { spawn } = require("child_process");
const path = require("path");

const root = path.join(__dirname, "..");
const bin = (name) => path.join(root, "node_modules", ".bin", name);
const LINTERS = [
  ["tsc", bin("tsc"), ["-p", "."]],
  ["eslint", bin("eslint"), ["."]],
  ["prettier", bin("prettier"), ["--check", "--log-level", "warn", "."]],
];

function run([name, command, args], live) {
  return new Promise((resolve) => {
    const child = spawn(command, args, { cwd: root, env: process.env, stdio: ["ignore", "pipe", "pipe"] });
    let output = "";
    // A live tool's output goes straight through, and is kept to find its summary line at the end.
    child.stdout.on("data", (d) => (live ? process.stdout.write(d) : (output += d)));
    child.stderr.on("data", (d) => (live ? process.stderr.write(d) : (output += d)));
    if (live) child.stdout.on("data", (d) => (summary += d));
    child.on("error", (err) => resolve({ name, code: 1, output: `${output}${err.message}\n` }));
    child.on("close", (code) => resolve({ name, code: code ?? 1, output }));
  });
}

const withTests = process.argv.includes("--test");
let summary = "";
const jobs = LINTERS.map((tool) => run(tool, false));
if (withTests) jobs.push(run(["vitest", bin("vitest"), ["run"]], true));

Promise.all(jobs).then((results) => {
  for (const { name, code, output } of results) {
    if (output.trim()) process.stdout.write(`${output.trimEnd()}\n`);
    process.stdout.write(`${name}: ${code === 0 ? "ok" : `failed (exit ${code})`}\n`);
  }
  // The test count closes the run, so CI (and a reader) finds it on the last line.
  const counts = summary
    .replace(/\x1b\[[0-9;]*m/g, "")
    .split("\n")
    .filter((line) => /^vitest: \d+ passed, \d+ failed/.test(line));
  if (counts.length > 0) process.stdout.write(`${counts[counts.length - 1]}\n`);
  process.exitCode = results.some((r) => r.code !== 0) ? 1 : 0;
});
