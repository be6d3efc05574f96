/**
 * Scaleway's SDK packages declare their types only through package.json "exports", which this project's
 * `moduleResolution: node` does not read; at run time Node and esbuild resolve them through "exports" as usual.
 * These declarations point the type checker at the same files.
 */
declare module "@scaleway/sdk-client" {
  export * from "@scaleway/sdk-client/dist/index";
}
declare module "@scaleway/sdk-iam" {
  export * from "@scaleway/sdk-iam/dist/index.gen";
}
declare module "@scaleway/sdk-account" {
  export * from "@scaleway/sdk-account/dist/index.gen";
}
