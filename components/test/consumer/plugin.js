// The installed package as Pulumi's plugin runner hosts it for another language, run with plain node in the
// consumer folder (test/package.test.ts): the steps of @pulumi/pulumi cmd/run-plugin/run.js (require the package's
// directory, take every exported ComponentResource, name the provider from package.json) build Pulumi's own
// ComponentProvider; its schema is read, and it gets a construct call whose inputs went through Pulumi's own
// deserializer (provider/server.js `deserializeInputs`) as a Python program sends them: `delivery` and `projectIds`
// with dependencies on another resource. It prints one JSON document; the test judges it.
"use strict";
const path = require("path");
const pulumi = require("@pulumi/pulumi");
const { ComponentProvider, getPulumiComponents } = require("@pulumi/pulumi/provider/experimental");
const { deserializeInputs } = require("@pulumi/pulumi/provider/server");
const provproto = require("@pulumi/pulumi/proto/provider_pb");
const rpc = require("@pulumi/pulumi/runtime/rpc");
const structproto = require("google-protobuf/google/protobuf/struct_pb");

const ORG = "5b0a1c2d-3e4f-4a5b-8c6d-7e8f9a0b1c2d";
const APPS = "0c1d2e3f-4a5b-4c6d-8e7f-8a9b0c1d2e3f";
const VAULT = "1d2e3f4a-5b6c-4d7e-9f8a-9b0c1d2e3f4a";
const VAULT_URN = "urn:pulumi:dev::python-program::scaleway:account/project:Project::vault";

const registered = [];
pulumi.runtime.setMocks(
  {
    newResource(args) {
      registered.push({ type: args.type, name: args.name });
      const state =
        args.type === "scaleway:iam/apiKey:ApiKey"
          ? { ...args.inputs, accessKey: `SCW-${args.name}`, secretKey: "construct-secret" }
          : args.inputs;
      return { id: `${args.name}-id`, state };
    },
    call(args) {
      throw new Error(`unexpected invoke ${args.token}`);
    },
  },
  "python-program",
  "dev",
  false,
);

async function main() {
  // What cmd/run-plugin/run.js does with the plugin's directory.
  const dir = path.join(__dirname, "node_modules", "plakar-scaleway-iam");
  const components = getPulumiComponents(require(dir));
  const name = require(path.join(dir, "package.json")).name.replace(/[^-a-zA-Z0-9_]/g, "-");
  const provider = new ComponentProvider({ name, dirname: dir, components });
  const schema = JSON.parse(await provider.getSchema());

  // A construct call as the engine sends it from Python: top-level properties with dependencies.
  const request = new provproto.ConstructRequest();
  request.setInputs(
    structproto.Struct.fromJavaScript({
      organizationId: ORG,
      projectIds: [APPS],
      delivery: { projectId: VAULT, region: "fr-par" },
    }),
  );
  for (const key of ["projectIds", "delivery"]) {
    request
      .getInputdependenciesMap()
      .set(key, new provproto.ConstructRequest.PropertyDependencies().setUrnsList([VAULT_URN]));
  }
  const inputs = await deserializeInputs(request.getInputs(), request.getInputdependenciesMap());
  const result = await provider.construct("from-python", `${name}:index:InventoryCredential`, inputs, {});
  const [state] = await rpc.serializeResourceProperties("construct", result.state);

  process.stdout.write(
    JSON.stringify({
      components: components.map((c) => c.name),
      tokens: Object.keys(schema.resources),
      rotation: schema.types[`${name}:index:RotationArgs`],
      deliveryArrivedAsOutput: pulumi.Output.isInstance(inputs.delivery),
      registered,
      secretKeyIsSecret: state.secretKey && state.secretKey[rpc.specialSigKey] === rpc.specialSecretSig,
      delivery: state.delivery,
      access: state.access,
    }),
  );
}

main().catch((err) => {
  process.stderr.write(`${err.stack || err}\n`);
  process.exit(1);
});
