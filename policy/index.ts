/**
 * The policy pack's entry point: `pulumi preview --policy-pack policy` from the project root (see PulumiPolicy.yaml).
 * Only wiring: the policies are in policies.ts, the rules they apply in rules.ts and guards.ts (over
 * ../components/domain), the catalog in ../components/presets/.
 */
import { PolicyPack } from "@pulumi/policy";
import { loadCatalog } from "../components/domain/catalog";
import { buildPolicies, PACK_NAME } from "./policies";

new PolicyPack(PACK_NAME, { enforcementLevel: "mandatory", policies: buildPolicies(loadCatalog()) });
