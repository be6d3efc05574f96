/**
 * What the acceptance run deploys: a throwaway Pulumi project (its own folder, this repository's program as `main`),
 * one credential per Plakar use case on one granted project, and the rotation settings that make the second update
 * issue a new key generation while keeping the first one as the previous key, on the real clock.
 */
import * as fs from "fs";
import * as path from "path";
import { isMap, parse, parseDocument, stringify } from "yaml";
import { keySchedule } from "../../components/domain/rotation";

/** One credential per use case (presets/*.yaml), with what it needs besides its project. */
export const USE_CASES = {
  inventory: {},
  "secret-provider": { region: true },
  "secret-manager-backup": { region: true },
  "object-storage": { preferredProject: true },
  "object-storage-source": { preferredProject: true },
  "instance-backup": { stagingProject: true },
  "block-storage-backup": { stagingProject: true },
} as const;
export type UseCase = keyof typeof USE_CASES;
export const USE_CASE_NAMES = Object.keys(USE_CASES) as UseCase[];

/** The alias of the granted project in the generated config. */
export const GRANTED = "granted";

export interface Rotation {
  readonly rotateEveryDays: number;
  readonly overlapDays: number;
}

export interface RotationPlan {
  /** The settings of the first update: its current key generation is `firstGeneration`. */
  readonly first: Rotation;
  /** The settings of the second: a new current generation, and `firstGeneration` as the previous, unchanged. */
  readonly second: Rotation;
  readonly firstGeneration: string;
  readonly secondGeneration: string;
}

const HOUR_MS = 3_600_000;
/** The plan must hold this long from its start: the updates, checks and waits of one run. */
export const PLAN_HOLDS_MS = 2 * HOUR_MS;
/** Longest period searched: a key lives at most rotateEveryDays + overlapDays, kept short (some orgs cap it). */
const MAX_PERIOD_DAYS = 40;

/**
 * Rotation settings for two updates at `nowMs`, on the program's own schedule (components/domain/rotation.ts): the
 * second update's previous generation is the first update's current one, with the same expiry (so Pulumi keeps that
 * key: a changed `expiresAt` would replace it), and its current generation is new. Of all such settings, the one whose
 * keys live the shortest; undefined if none holds for PLAN_HOLDS_MS (searched up to 40-day periods: a search of
 * every hour of 2025-2027 found one each time, the longest-lived 41 days).
 */
export function rotationPlan(nowMs: number): RotationPlan | undefined {
  let best: RotationPlan | undefined;
  let bestLife = Infinity;
  const instants = [nowMs, nowMs + PLAN_HOLDS_MS];
  for (let r1 = 2; r1 <= MAX_PERIOD_DAYS; r1++) {
    for (let o1 = 1; o1 < r1 && r1 + o1 < bestLife; o1++) {
      for (let r2 = 2; r2 <= MAX_PERIOD_DAYS; r2++) {
        const o2 = r1 + o1 - r2;
        if (o2 < 1 || o2 >= r2) continue;
        const schedules = instants.map((t) => [keySchedule(t, r1, o1), keySchedule(t, r2, o2)] as const);
        const [a0, b0] = schedules[0]!;
        const holds = schedules.every(
          ([a, b]) =>
            a.current.generation === a0.current.generation &&
            b.current.generation === b0.current.generation &&
            b.previous !== undefined &&
            b.previous.generation === a.current.generation &&
            b.previous.expiresAtMs === a.current.expiresAtMs &&
            b.current.generation !== a.current.generation,
        );
        if (!holds) continue;
        bestLife = r1 + o1;
        best = {
          first: { rotateEveryDays: r1, overlapDays: o1 },
          second: { rotateEveryDays: r2, overlapDays: o2 },
          firstGeneration: a0.current.generation,
          secondGeneration: b0.current.generation,
        };
      }
    }
  }
  return best;
}

export interface ConfigInput {
  readonly project: string;
  readonly organizationId: string;
  readonly projectId: string;
  readonly region: string;
  /** Prefix of every application and policy name: tells this run's resources apart in the organization. */
  readonly namePrefix: string;
  readonly rotation: Rotation;
  /** Retire every credential: no keys, application and policy kept (unprotected). */
  readonly retire: boolean;
}

/** The stack's `config:` block: one credential per use case, all on the granted project. */
export function acceptanceConfig(input: ConfigInput): Record<string, unknown> {
  const credentials: Record<string, Record<string, unknown>> = {};
  for (const useCase of USE_CASE_NAMES) {
    const needs: { region?: true; preferredProject?: true; stagingProject?: true } = USE_CASES[useCase];
    credentials[useCase] = {
      preset: useCase,
      projects: [GRANTED],
      ...(needs.region ? { region: input.region } : {}),
      ...(needs.preferredProject ? { preferredProject: GRANTED } : {}),
      ...(needs.stagingProject ? { stagingProject: GRANTED } : {}),
      description: "acceptance run (throwaway)",
      ...(input.retire ? { retire: true } : {}),
    };
  }
  const ns = (key: string) => `${input.project}:${key}`;
  return {
    [ns("organizationId")]: input.organizationId,
    [ns("projects")]: { [GRANTED]: input.projectId },
    [ns("namePrefix")]: input.namePrefix,
    [ns("protect")]: false,
    [ns("tags")]: ["purpose=acceptance"],
    [ns("apiKeys")]: { ...input.rotation },
    [ns("credentials")]: credentials,
  };
}

/**
 * Writes the stack file's `config:` block, keeping every other key Pulumi wrote there (`encryptionsalt`: without it
 * the passphrase would no longer open the stack's secrets).
 */
export function writeStackConfig(file: string, config: Record<string, unknown>): void {
  const doc = fs.existsSync(file) ? parseDocument(fs.readFileSync(file, "utf8")) : parseDocument("{}");
  if (!isMap(doc.contents)) throw new Error(`${file} is not a YAML mapping`);
  doc.set("config", doc.createNode(config));
  fs.writeFileSync(file, doc.toString());
}

/**
 * The throwaway project: a folder of its own holding Pulumi.yaml (this project's name and runtime, `main` set to the
 * repository's index.ts by absolute path: Pulumi runs the program from there, pkg/engine/project.go getPwdMain) and
 * the stack file. Nothing is written into the repository.
 */
export function writeProject(dir: string, root: string): string {
  const project = parse(fs.readFileSync(path.join(root, "Pulumi.yaml"), "utf8")) as Record<string, unknown>;
  if (typeof project.name !== "string") throw new Error(`${path.join(root, "Pulumi.yaml")}: no project name`);
  const main = path.join(root, typeof project.main === "string" ? project.main : "index.ts");
  fs.writeFileSync(
    path.join(dir, "Pulumi.yaml"),
    stringify({ ...project, description: "plakar-scaleway-iam acceptance run (throwaway)", main }),
  );
  return project.name;
}
