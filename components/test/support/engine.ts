/**
 * A construct call as the engine makes it for a Python, Go, C# or YAML program, through @pulumi/pulumi's own code:
 * the inputs travel as a ConstructRequest's Struct and dependency map (secrets, unknowns and output values in
 * Pulumi's wire form), Pulumi's provider server turns them into what `construct` gets (`deserializeInputs` in
 * provider/server.js: a top-level property with dependencies and no output values becomes one Output), the
 * ComponentProvider that Pulumi's plugin runner builds for the package constructs the component, and its state is
 * serialized as the server sends it back (`serializeResourceProperties`). Only the gRPC transport is left out: the
 * resources register with the mock monitor of `pulumi.runtime.setMocks`.
 */
import type * as pulumi from "@pulumi/pulumi";
import * as provproto from "@pulumi/pulumi/proto/provider_pb";
import * as rpc from "@pulumi/pulumi/runtime/rpc";
import * as structproto from "google-protobuf/google/protobuf/struct_pb";
import { ComponentProvider, getPulumiComponents } from "@pulumi/pulumi/provider/experimental";
import { PACKAGE_DIR } from "./fixtures";

// Exported by provider/server.js, left out of its type declarations.
// eslint-disable-next-line @typescript-eslint/no-require-imports
const server = require("@pulumi/pulumi/provider/server") as {
  deserializeInputs(
    inputs: structproto.Struct | undefined,
    dependencies: ReturnType<provproto.ConstructRequest["getInputdependenciesMap"]>,
  ): Promise<pulumi.Inputs>;
};

/** Values in Pulumi's wire form, as the engine writes them into a ConstructRequest. */
export const wire = {
  secret: (value: unknown) => ({ [rpc.specialSigKey]: rpc.specialSecretSig, value }),
  unknown: rpc.unknownValue,
  /** An output value (what SDKs that support them send): its value (absent: unknown), secrecy and dependencies. */
  output: (value: unknown, dependencies: string[] = [], secret = false) => ({
    [rpc.specialSigKey]: rpc.specialOutputValueSig,
    ...(value !== undefined ? { value } : {}),
    ...(secret ? { secret: true } : {}),
    dependencies,
  }),
};

let provider: ComponentProvider | undefined;

/** The ComponentProvider Pulumi's plugin runner builds for components/ (its schema is analyzed once per file). */
export async function pluginProvider(): Promise<ComponentProvider> {
  provider ??= new ComponentProvider({
    name: "plakar-scaleway-iam",
    dirname: PACKAGE_DIR,
    components: getPulumiComponents(await import("../../index")),
  });
  return provider;
}

export interface Constructed {
  readonly urn: string;
  /** The component's state as the provider server serializes it for the engine. */
  readonly state: Record<string, unknown>;
  /** The URNs each output depends on. */
  readonly stateDependencies: Map<string, Set<pulumi.Resource>>;
}

/** The request's inputs as `construct` receives them, after Pulumi's own deserializer. */
export async function deserializedInputs(
  inputs: Record<string, unknown>,
  dependencies: Record<string, string[]> = {},
): Promise<pulumi.Inputs> {
  const request = new provproto.ConstructRequest();
  request.setInputs(structproto.Struct.fromJavaScript(inputs as Record<string, structproto.JavaScriptValue>));
  for (const [key, urns] of Object.entries(dependencies)) {
    request.getInputdependenciesMap().set(key, new provproto.ConstructRequest.PropertyDependencies().setUrnsList(urns));
  }
  return server.deserializeInputs(request.getInputs(), request.getInputdependenciesMap());
}

/** Constructs `token` named `name` from `inputs` (with `dependencies` by top-level property) as the engine would. */
export async function constructAsEngine(
  token: string,
  name: string,
  inputs: Record<string, unknown>,
  dependencies: Record<string, string[]> = {},
  options: pulumi.ComponentResourceOptions = {},
): Promise<Constructed> {
  const args = await deserializedInputs(inputs, dependencies);
  const result = await (await pluginProvider()).construct(name, token, args, options);
  const [state, stateDependencies] = await rpc.serializeResourceProperties(
    `construct(${token}, ${name})`,
    result.state,
  );
  const urn = await new Promise<string>((resolve) => (result.urn as pulumi.Output<string>).apply(resolve));
  return { urn, state, stateDependencies };
}
