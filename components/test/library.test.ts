/** The library entry (`import ... from "plakar-scaleway-iam"`): what it exports besides the component. */
import * as fs from "fs";
import * as path from "path";
import { describe, expect, it } from "vitest";
import { parse } from "yaml";
import { presets } from "../index";
import { REPOSITORY as ROOT } from "./support/fixtures";

describe("presets()", () => {
  it("lists every preset file shipped in presets/, with its description and permission sets", () => {
    const files = fs
      .readdirSync(path.join(ROOT, "components", "presets"))
      .filter((f) => f.endsWith(".yaml"))
      .map((f) => ({
        name: f.slice(0, -".yaml".length),
        ...(parse(fs.readFileSync(path.join(ROOT, "components", "presets", f), "utf8")) as { description: string }),
      }));
    const listed = presets();
    expect(listed.map((p) => p.name).sort()).toEqual(files.map((f) => f.name).sort());
    for (const file of files) {
      expect(
        listed.find((p) => p.name === file.name),
        file.name,
      ).toEqual({
        name: file.name,
        description: file.description,
        permissionSets: expect.any(Array),
      });
    }
    expect(listed.find((p) => p.name === "inventory")?.permissionSets).toEqual(["AllProductsReadOnly"]);
    expect(listed.find((p) => p.name === "secret-provider")?.permissionSets).toEqual([
      "SecretManagerReadOnly",
      "SecretManagerSecretAccess",
    ]);
  });

  it("hands out copies: changing the list does not change the next one", () => {
    const first = presets();
    first[0].permissionSets.push("AllProductsFullAccess");
    expect(presets()[0].permissionSets).not.toContain("AllProductsFullAccess");
  });
});
