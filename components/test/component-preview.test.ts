/**
 * A check that needs an Output's value, in a preview: the refusal is logged as an error of the component (which
 * fails the preview) instead of thrown, each problem once, and the preview completes with what the refusal spoils
 * unknown. Without an engine, Pulumi's `log.error` prints `error: [runtime] <message>` to console.error.
 */
import * as pulumi from "@pulumi/pulumi";
import { afterEach, describe, expect, it, vi } from "vitest";
import { PlakarCredential } from "../index";
import { APPS, BACKUPS, ORG, takeUnhandledRejections } from "./support/fixtures";

const registered: string[] = [];
void pulumi.runtime.setMocks(
  {
    newResource(args) {
      registered.push(args.name);
      return { id: undefined, state: args.inputs };
    },
    call(args) {
      throw new Error(`unexpected invoke ${args.token}`);
    },
  },
  "consumer",
  "staging",
  true,
);

// A preview must not fail by an unhandled rejection: collect them instead of letting vitest report them.
const rejections = takeUnhandledRejections();
afterEach(() => vi.restoreAllMocks());

const later = <T>(v: T) => pulumi.output(Promise.resolve(v));
const settle = () => new Promise((r) => setTimeout(r, 300));

/** The errors logged about credential `name` while `build` runs and its Outputs settle. */
async function loggedErrors(name: string, build: () => void): Promise<string[]> {
  const logged: string[] = [];
  vi.spyOn(console, "error").mockImplementation((...parts: unknown[]) => void logged.push(parts.join(" ")));
  build();
  await settle();
  return logged.filter((line) => line.includes(`PlakarCredential "${name}"`));
}

describe("a refusal found in a preview, once an Output resolves", () => {
  it("is logged once, as an error, and the preview still registers what does not depend on it", async () => {
    const errors = await loggedErrors("preview-bad", () => {
      new PlakarCredential(
        "preview-bad",
        { organizationId: ORG, projectIds: [APPS], preset: "object-storage", preferredProjectId: later(BACKUPS) },
        { now: new Date("2026-12-20T00:00:00Z") },
      );
    });
    // Several parts read the preferred project (the policy's access, Plakar's form): one error, the problem once.
    expect(errors).toEqual([
      `error: [runtime] invalid arguments for PlakarCredential "preview-bad":\n` +
        `  args.preferredProjectId: "${BACKUPS}" is not one of this credential's projects (${APPS})`,
    ]);
    expect(rejections).toEqual([]);
    expect(registered).toEqual(
      expect.arrayContaining(["preview-bad", "preview-bad-app", "preview-bad-policy", "preview-bad-key-2026-12-16"]),
    );
  });

  it("logs a problem another part finds later too, each problem once", async () => {
    const errors = await loggedErrors("preview-two", () => {
      new PlakarCredential(
        "preview-two",
        {
          organizationId: ORG,
          projectIds: [APPS],
          preset: "object-storage",
          preferredProjectId: later(BACKUPS),
          description: later("d".repeat(190)),
        },
        { now: new Date("2026-12-20T00:00:00Z") },
      );
    });
    const problems = errors.flatMap((e) =>
      e
        .split("\n")
        .slice(1)
        .map((line) => line.trim().split(":")[0]),
    );
    expect(problems.sort()).toEqual(["args.description", "args.preferredProjectId"]);
    expect(rejections).toEqual([]);
  });

  it("logs nothing for arguments that resolve to accepted values (control)", async () => {
    const errors = await loggedErrors("preview-good", () => {
      new PlakarCredential(
        "preview-good",
        {
          organizationId: ORG,
          projectIds: [APPS, BACKUPS],
          preset: "object-storage",
          preferredProjectId: later(BACKUPS),
        },
        { now: new Date("2026-12-20T00:00:00Z") },
      );
    });
    expect(errors).toEqual([]);
    expect(registered).toContain("preview-good-policy");
  });
});
