/**
 * Another team's Pulumi program: it creates its own Scaleway projects and gives Plakar two Object Storage
 * credentials on them (a backup source and a store), the project IDs passed as Outputs (they exist only once the
 * projects are created).
 */
import * as pulumi from "@pulumi/pulumi";
import * as scaleway from "@pulumiverse/scaleway";
import { ObjectStorageCredential } from "plakar-scaleway-iam";

const config = new pulumi.Config();
const organizationId = config.require("organizationId");

const data = new scaleway.account.Project("data", {
  name: "plakar-example-data",
  organizationId,
  description: "Buckets that Plakar backs up",
});
const backups = new scaleway.account.Project("backups", {
  name: "plakar-example-backups",
  organizationId,
  description: "Plakar's store",
});

// Reads the buckets of "data": a backup source only reads.
const source = new ObjectStorageCredential("source", {
  organizationId,
  projectIds: [data.id],
  readOnly: true,
  description: "Reads the data buckets Plakar backs up",
});

// Plakar's store in "backups", rotated every 60 days with a week of overlap, protected from deletion.
const store = new ObjectStorageCredential(
  "store",
  {
    organizationId,
    projectIds: [backups.id],
    rotation: { rotateEveryDays: 60, overlapDays: 7 },
    tags: ["team=platform"],
  },
  { protect: true },
);

export const sourceAccessKey = source.accessKey;
export const sourceSecretKey = source.secretKey; // a Pulumi secret
export const storeAccessKey = store.accessKey;
export const storeSecretKey = store.secretKey; // a Pulumi secret
export const storeKeys = store.keys;
export const storeAccess = store.access; // its rules, projects and preferred project
export const plakar = { source: source.plakar, store: store.plakar };
