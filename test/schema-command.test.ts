/** `npm run --silent schema`: the schema Pulumi's plugin runner would serve for components/, as one JSON document. */
import { spawnSync } from "child_process";
import * as path from "path";
import { describe, expect, it } from "vitest";
import { COMPONENT_TYPES } from "../components/domain/constants";
import { ROOT } from "./support/arbitraries";

describe("npm run --silent schema", () => {
  it("prints the package schema: every component class under its token, exit 0", () => {
    const run = spawnSync(process.execPath, [path.join(ROOT, "scripts", "run.js"), "schema"], {
      cwd: ROOT,
      encoding: "utf8",
    });
    expect(run.status, run.stderr).toBe(0);
    const schema = JSON.parse(run.stdout) as { name: string; resources: Record<string, unknown> };
    expect(schema.name).toBe("plakar-scaleway-iam");
    expect(Object.keys(schema.resources).sort()).toEqual(Object.values(COMPONENT_TYPES).sort());
  }, 60_000);
});
