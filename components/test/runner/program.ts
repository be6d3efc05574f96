// A program as Pulumi's runner runs it (components/test/late-refusal.test.ts): two credentials whose arguments are
// refused only once an Output resolves, and one that is fine.
import * as pulumi from "@pulumi/pulumi";
import { InventoryCredential, PlakarCredential } from "../../index";

const ORG = "5b0a1c2d-3e4f-4a5b-8c6d-7e8f9a0b1c2d";
const APPS = "0c1d2e3f-4a5b-4c6d-8e7f-8a9b0c1d2e3f";
const BACKUPS = "1d2e3f4a-5b6c-4d7e-9f8a-9b0c1d2e3f4a";
const later = <T>(value: T) => pulumi.output(new Promise<T>((resolve) => setTimeout(() => resolve(value), 10)));
const now = new Date("2026-12-20T00:00:00Z");

new InventoryCredential(
  "late-region",
  { organizationId: ORG, projectIds: [APPS], delivery: later({ projectId: BACKUPS, region: "us-east" }) },
  { now },
);
new PlakarCredential(
  "late-sets",
  {
    organizationId: ORG,
    rules: later([
      { projectIds: [APPS], permissionSets: ["ObjectStorageObjectsRead", "ObjectStorageReader"] },
      { projectIds: [BACKUPS], permissionSets: ["AuditTrailReadOnly"] },
    ]),
  },
  { now },
);
new InventoryCredential("fine", { organizationId: ORG, projectIds: later([APPS]) }, { now });
