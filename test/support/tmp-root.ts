/**
 * Vitest's global setup: every temporary file of a run (the tests', the CLI's and npm's in child processes) goes
 * under one fresh folder, removed when the run ends. Workers and children inherit TMPDIR, which os.tmpdir() reads.
 */
import * as fs from "fs";
import * as os from "os";
import * as path from "path";

export default function setup(): () => void {
  // Each test project runs the global setup: the first one makes the folder, the others use it.
  if (process.env.PLAKAR_TEST_TMP !== undefined) return () => undefined;
  const root = fs.mkdtempSync(path.join(os.tmpdir(), "plakar-iam-run-"));
  const previous = process.env.TMPDIR;
  process.env.TMPDIR = root;
  process.env.PLAKAR_TEST_TMP = root;
  return () => {
    if (previous === undefined) delete process.env.TMPDIR;
    else process.env.TMPDIR = previous;
    delete process.env.PLAKAR_TEST_TMP;
    fs.rmSync(root, { recursive: true, force: true });
  };
}
