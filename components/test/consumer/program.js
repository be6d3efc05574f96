// A consumer program outside the stack, written against the package's public API only: it is copied into a folder
// where the packed package is installed beside the consumer's own @pulumi/pulumi, and run with plain node
// (test/package.test.ts). It prints one JSON document of what it observed; the test judges it.
"use strict";
const pulumi = require("@pulumi/pulumi");

const registered = [];
pulumi.runtime.setMocks(
  {
    newResource(args) {
      registered.push({ type: args.type, name: args.name, inputs: args.inputs });
      const state =
        args.type === "scaleway:iam/apiKey:ApiKey"
          ? { ...args.inputs, accessKey: `SCW-${args.name}`, secretKey: "consumer-secret" }
          : args.inputs;
      return { id: `${args.name}-id`, state };
    },
    call(args) {
      throw new Error(`unexpected invoke ${args.token}`);
    },
  },
  "consumer",
  "dev",
  false,
);

const { ObjectStorageCredential, PlakarCredential, CredentialArgsError, presets } = require("plakar-scaleway-iam");

const ORG = "5b0a1c2d-3e4f-4a5b-8c6d-7e8f9a0b1c2d";
const DATA = "3f4a5b6c-7d8e-4f9a-9b0c-1d2e3f4a5b6c";
// An ID known only once another resource exists, as `new scaleway.account.Project(...).id` would be.
const later = (value) => pulumi.output(new Promise((resolve) => setTimeout(() => resolve(value), 5)));
const value = (output) => new Promise((resolve) => output.apply(resolve));

async function main() {
  const args = {
    organizationId: ORG,
    projectIds: [later(DATA)],
    rotation: { rotateEveryDays: 90, overlapDays: 14 },
  };
  const now = new Date("2026-12-20T00:00:00Z");
  const a = new ObjectStorageCredential("backup-a", args, { now });
  const b = new ObjectStorageCredential("backup-b", args, { now });

  let refusal = null;
  const before = registered.length;
  try {
    new PlakarCredential(
      "too-much",
      {
        organizationId: ORG,
        projectIds: [later(DATA)],
        permissionSets: ["ObjectStorageObjectsRead", "AuditTrailReadOnly"],
      },
      { now },
    );
  } catch (err) {
    refusal = {
      isArgsError: err instanceof CredentialArgsError,
      issues: err.issues,
      registeredMeanwhile: registered.length - before,
    };
  }

  const [urnA, urnB, keysA, secretIsSecret, plakarA, accessA] = await Promise.all([
    value(a.urn),
    value(b.urn),
    value(a.keys),
    pulumi.isSecret(a.secretKey),
    value(a.plakar),
    value(a.access),
  ]);
  await value(b.accessKey);
  process.stdout.write(
    JSON.stringify({
      // One copy of the SDK: the package's classes are the consumer's ComponentResources.
      isComponentResource: a instanceof pulumi.ComponentResource,
      urns: [urnA, urnB],
      keysA,
      secretIsSecret,
      plakarA,
      accessA,
      refusal,
      presets: presets().map((p) => p.name),
      registered: registered.map((r) => ({ type: r.type, name: r.name, inputs: r.inputs })),
    }),
  );
}

main().catch((err) => {
  process.stderr.write(`${err.stack || err}\n`);
  process.exit(1);
});
