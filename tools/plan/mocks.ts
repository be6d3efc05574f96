/**
 * What the offline plan puts in place of the engine and Scaleway: Pulumi's mock runtime answering as the Scaleway
 * provider would (deterministic IDs and keys, no network), without the stack traces the mock engine never reads.
 * Shared by the offline plan and the benchmark's baseline, so both measure the same mocks.
 */
import { createHash } from "crypto";
import * as pulumi from "@pulumi/pulumi";
import { SECRET_TYPE, SECRET_VERSION_TYPE, IAM_TYPES } from "../../components/domain/constants";

export function digest(text: string): string {
  return createHash("sha256").update(text).digest("hex");
}

/** A UUID-shaped ID (version 4 layout) that is the same on every run for the same resource. */
export function fakeUuid(seed: string): string {
  const h = digest(seed);
  return `${h.slice(0, 8)}-${h.slice(8, 12)}-4${h.slice(13, 16)}-a${h.slice(17, 20)}-${h.slice(20, 32)}`;
}

function fakeAccessKey(seed: string): string {
  return `SCW${BigInt(`0x${digest(seed).slice(0, 20)}`)
    .toString(36)
    .toUpperCase()
    .padStart(17, "0")
    .slice(0, 17)}`;
}

/** What the Scaleway provider would return for each resource type, minus the network. */
export function scalewayMocks(secretKeyFor: (name: string) => string): pulumi.runtime.Mocks {
  return {
    newResource(args) {
      const seed = `${args.type}::${args.name}`;
      const inputs = args.inputs as Record<string, unknown>;
      switch (args.type) {
        case IAM_TYPES.apiKey[0]: {
          const accessKey = fakeAccessKey(seed);
          return { id: accessKey, state: { ...inputs, accessKey, secretKey: secretKeyFor(args.name) } };
        }
        case SECRET_TYPE:
          return { id: `${inputs.region}/${fakeUuid(seed)}`, state: { ...inputs, versionCount: 1 } };
        case SECRET_VERSION_TYPE:
          return { id: `${inputs.region}/${fakeUuid(seed)}/1`, state: { ...inputs, revision: "1" } };
        default:
          return { id: args.custom ? fakeUuid(seed) : undefined, state: inputs };
      }
    },
    call(args) {
      throw new Error(`the offline plan does not mock the provider function ${args.token}`);
    },
  };
}

/**
 * Pulumi captures a full stack trace for every resource (its source position, unlimited depth) and for every output
 * promise (leak debugging). The mock engine uses neither, and formatting them was most of the plan's cost beyond
 * loading the SDK (see the README's benchmark), so they are off while the program runs, then restored.
 */
export async function withoutStackTraces<T>(run: () => Promise<T>): Promise<T> {
  const resource = pulumi.Resource as unknown as { stackTrace: (skip: number) => unknown[] };
  const stackTrace = resource.stackTrace;
  const limit = Error.stackTraceLimit;
  resource.stackTrace = () => [];
  Error.stackTraceLimit = 0;
  try {
    return await run();
  } finally {
    resource.stackTrace = stackTrace;
    Error.stackTraceLimit = limit;
  }
}
