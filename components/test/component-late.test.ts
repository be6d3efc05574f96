/**
 * A check that needs an Output's value runs once it resolves, and fails the update with the same message.
 *
 * How the update fails: every child's input is derived from the checked credential, so each registration rejects
 * and nothing is created. Pulumi's program runner turns the first unhandled rejection into the update's error
 * (sdk/nodejs/cmd/run/run.ts installs `process.on("unhandledRejection", uncaughtHandler)`, which logs the message and
 * exits); the mock runtime has no such runner, so this test listens for the rejection itself.
 */
import * as pulumi from "@pulumi/pulumi";
import { describe, expect, it } from "vitest";
import { PlakarCredential } from "../index";
import { APPS, BACKUPS, ORG, takeUnhandledRejections, until } from "./support/fixtures";

const registered: string[] = [];
void pulumi.runtime.setMocks(
  {
    newResource(args) {
      registered.push(args.name);
      return { id: `${args.name}-id`, state: args.inputs };
    },
    call(args) {
      throw new Error(`unexpected invoke ${args.token}`);
    },
  },
  "consumer",
  "staging",
  false,
);

// Take unhandled rejections from vitest for this file only: they are what this test is about.
const rejections = takeUnhandledRejections() as Error[];

describe("PlakarCredential with Outputs that resolve to refused values", () => {
  it("fails with the args.<path> message once the value is known, and creates none of the credential's resources", async () => {
    new PlakarCredential(
      "late-bad",
      {
        organizationId: ORG,
        projectIds: [APPS],
        preset: "object-storage",
        preferredProjectId: pulumi.output(Promise.resolve(BACKUPS)),
      },
      { now: new Date("2026-12-20T00:00:00Z") },
    );
    await until(() => rejections.length > 0);
    expect(rejections.length).toBeGreaterThan(0);
    for (const err of rejections) {
      expect(err.message).toContain(
        `args.preferredProjectId: "${BACKUPS}" is not one of this credential's projects (${APPS})`,
      );
    }
    // Only the component itself is registered; the application, policy and keys never are.
    await new Promise((r) => setTimeout(r, 200));
    expect(registered).toEqual(["late-bad"]);
  });

  it("resolves the same arguments when the Output holds an accepted value (control)", async () => {
    const c = new PlakarCredential(
      "late-good",
      {
        organizationId: ORG,
        projectIds: [APPS, BACKUPS],
        preset: "object-storage",
        preferredProjectId: pulumi.output(Promise.resolve(BACKUPS)),
      },
      { now: new Date("2026-12-20T00:00:00Z") },
    );
    await new Promise((resolve) => c.accessKey.apply(resolve));
    expect(registered).toContain("late-good-app");
  });
});
