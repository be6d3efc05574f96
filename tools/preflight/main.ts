/**
 * `npm run --silent preflight -- [--stack NAME] [--config FILE] [--json] [--deployer APPLICATION_ID]
 * [--update-catalog]` (flags parsed by the shared machinery of cli.ts, `--help` for each): the stack's config, resolved exactly as the offline plan resolves it, checked against the live
 * organization with read requests only. Exit 0 when `pulumi up` can succeed, 1 when a finding says it would fail or
 * grant more than planned, 2 when preflight cannot judge (bad input, credentials, network, the API).
 */
import * as fs from "fs";
import * as path from "path";
import type { Catalog } from "../../components/domain/catalog";
import { compare } from "../../components/domain/credential";
import { ConfigError, configIssuesOf, formatIssue } from "../../components/domain/errors";
import { shippedData } from "../../components/domain/presets";
import { planStack } from "../../stack/credentials";
import { namespaceConfig } from "../../stack/config";
import {
  FLAGS,
  helpText,
  isEntry,
  oneLine,
  parseCommandLine,
  processIo,
  quote,
  runMain,
  stackFor,
  type CommandSpec,
} from "../cli";
import { readProjectName, readStackConfig } from "../plan/offline";
import { checkOrganization, type Finding, type StackUnderCheck, runChecks } from "./checks";
import { type Credentials, type Env, loadCredentials, PreflightError, readOnlyClient, redact } from "./client";
import { type PermissionSet, ScalewayReader } from "./organization";

export const PREFLIGHT: CommandSpec = {
  name: "preflight",
  summary:
    "Resolves the stack's config exactly as the offline plan does, then checks it against the live Scaleway organization with read requests only (GET): organization, projects, permission sets, quotas, key lifetime, the deploying identity's rights, names already taken. Credentials come from SCW_* variables or the Scaleway config file.",
  flags: {
    stack: FLAGS.stack,
    config: FLAGS.config,
    json: {
      ...FLAGS.json,
      help: "Print one JSON document (stack, organization, identity, every finding, counts, exit code) instead of one line per finding.",
    },
    deployer: {
      type: "string",
      value: "APPLICATION_ID",
      help: "Check the rights of this application (the one that runs pulumi up) instead of the credentials' own identity.",
    },
    "update-catalog": {
      type: "boolean",
      help: "Rewrite presets/permission-sets.tsv from the organization's live list of permission sets (the only write, and a local one).",
    },
    help: FLAGS.help,
  },
  exitCodes: [
    [0, "pulumi up can go ahead (warnings may be printed)"],
    [1, "a finding says pulumi up would fail or grant more than planned"],
    [
      2,
      "cannot judge: bad input (flags, stack file or config: one `error:` line per problem), missing or refused credentials, the network, the API",
    ],
  ],
  examples: [
    "npm run --silent preflight -- --stack prod",
    'npm run --silent preflight -- --stack staging --deployer "$SCW_DEPLOY_APPLICATION_ID" --json',
    "npm run --silent preflight -- --config ../Pulumi.prod.yaml --update-catalog",
  ],
};

/** Where preflight writes and what it runs against; the command passes the real ones, tests their own. */
export interface PreflightIO {
  readonly stdout: (text: string) => void;
  readonly stderr: (text: string) => void;
  /** The project's directory (Pulumi.yaml, the stack files). */
  readonly root: string;
  /** The directory relative paths (`--config`) are relative to. @default process.cwd() */
  readonly cwd?: string;
  /** The clock. @default the real clock */
  readonly now?: Date;
  /** The catalog `--update-catalog` rewrites. @default presets/permission-sets.tsv */
  readonly catalogFile?: string;
  /** @default the global fetch */
  readonly fetch?: typeof fetch;
}

export const EXIT_OK = 0;
export const EXIT_FINDINGS = 1;
export const EXIT_CANNOT_JUDGE = 2;

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

function badFlag(flag: string, message: string): ConfigError {
  return new ConfigError([{ path: flag, message }], "bad command line");
}

/** Runs preflight; never throws: every failure is printed (secret-free) and becomes an exit code. */
export async function main(argv: readonly string[], env: Env, io: PreflightIO): Promise<number> {
  let credentials: Credentials | undefined;
  try {
    return await run(argv, env, io, (c) => (credentials = c));
  } catch (err) {
    const issues = configIssuesOf(err);
    if (issues) {
      const heading = err instanceof ConfigError ? (err.message.split("\n")[0] ?? "") : "invalid stack config:";
      // One line per problem, whatever a value holds (a newline in a config value must not forge an error line).
      const lines = issues.map((i) => `error: ${oneLine(formatIssue(i))}`).join("\n");
      io.stderr(redact(`${heading}\n${lines}\n`, credentials));
    } else {
      const message = err instanceof Error ? err.message : String(err);
      const line = err instanceof PreflightError ? message : `internal error: ${message.split("\n")[0]}`;
      io.stderr(redact(`preflight: ${line}\n`, credentials));
    }
    return EXIT_CANNOT_JUDGE;
  }
}

async function run(
  argv: readonly string[],
  env: Env,
  io: PreflightIO,
  gotCredentials: (c: Credentials) => void,
): Promise<number> {
  const flags = parseCommandLine(argv, PREFLIGHT) as {
    stack?: string;
    config?: string;
    json?: boolean;
    deployer?: string;
    "update-catalog"?: boolean;
    help?: boolean;
  };
  if (flags.help) {
    io.stdout(helpText(PREFLIGHT));
    return EXIT_OK;
  }
  // The stack as every command reads it: --stack, else the name of a --config file Pulumi.<name>.yaml, else staging.
  const stack = stackFor(flags);
  if (flags.deployer !== undefined && !UUID.test(flags.deployer)) {
    throw badFlag(
      "--deployer",
      `${quote(flags.deployer)} is not an application ID (a UUID): give the ID of the application that runs pulumi up`,
    );
  }
  const now = io.now ?? new Date();

  // The same steps as the offline plan: the stack file, Pulumi's config decoding, planStack with shipped data.
  const project = readProjectName(io.root);
  const configFile = flags.config === undefined ? undefined : path.resolve(io.cwd ?? process.cwd(), flags.config);
  const config = readStackConfig(io.root, project, stack, configFile);
  const raw = namespaceConfig(config, project);
  const data = shippedData();
  const plan = planStack(raw, { stack, now, ...data });
  const resolved = {
    stack: plan.stack,
    organizationId: plan.organizationId,
    credentials: plan.credentials.map((c) => ({
      ...c.resolved,
      key: c.key,
      retired: c.args.retire === true,
      ...(c.args.adopt ? { adopt: c.args.adopt } : {}),
      paths: c.paths,
    })),
  };
  const declared = (raw.projects ?? {}) as Record<string, string>;
  const target: StackUnderCheck = {
    resolved,
    projects: Object.keys(declared)
      .sort(compare)
      .map((alias) => ({ alias, id: declared[alias].toLowerCase() })),
    catalog: data.catalog,
    presets: data.presets,
    now,
  };

  const credentials = loadCredentials(env);
  gotCredentials(credentials);
  const reader = new ScalewayReader(readOnlyClient(credentials, io.fetch ?? fetch), credentials);
  const identity = await reader.whoAmI();
  const defaultOrganization = credentials.defaultOrganizationId
    ? { id: credentials.defaultOrganizationId, source: credentials.sources.defaultOrganizationId ?? "" }
    : undefined;
  const findings: Finding[] = checkOrganization(target, identity, defaultOrganization);
  if (identity.organizationId.toLowerCase() === resolved.organizationId) {
    const live = await reader.organization(identity, {
      organizationId: resolved.organizationId,
      projectIds: target.projects.map((p) => p.id),
      ...(flags.deployer !== undefined ? { deployerApplicationId: flags.deployer.toLowerCase() } : {}),
      adoptedPolicyIds: resolved.credentials.flatMap((c) => (c.adopt ? [c.adopt.policyId] : [])),
    });
    let catalogUpdated = false;
    if (flags["update-catalog"]) {
      const file = io.catalogFile ?? path.join(io.root, "components", "presets", "permission-sets.tsv");
      fs.writeFileSync(file, renderCatalog(live.permissionSets, data.catalog));
      catalogUpdated = true;
    }
    findings.push(...runChecks(target, live, { catalogUpdated, deployerFlag: flags.deployer !== undefined }));
  }

  const errors = findings.filter((f) => f.level === "error").length;
  const code = errors > 0 ? EXIT_FINDINGS : EXIT_OK;
  const header = {
    stack,
    organizationId: resolved.organizationId,
    identity: { kind: identity.kind, id: identity.id, name: identity.name },
    apiURL: credentials.apiURL,
  };
  const text = flags.json
    ? `${JSON.stringify({ ...header, findings, errors, warnings: count(findings, "warn"), exitCode: code }, null, 2)}\n`
    : renderText(header, findings, errors);
  io.stdout(redact(text, credentials));
  return code;
}

function count(findings: readonly Finding[], level: Finding["level"]): number {
  return findings.filter((f) => f.level === level).length;
}

function renderText(
  header: {
    stack: string;
    organizationId: string;
    identity: { kind: string; id: string; name: string };
    apiURL: string;
  },
  findings: readonly Finding[],
  errors: number,
): string {
  const lines = [
    `preflight of stack ${header.stack} against organization ${header.organizationId} (${header.apiURL}), as ${header.identity.kind} "${header.identity.name}"`,
    ...findings.map((f) => `${f.level.padEnd(5)} ${f.path ? `${f.path}: ` : ""}${f.message}`),
  ];
  const warnings = count(findings, "warn");
  const tail = `${warnings} warning${warnings === 1 ? "" : "s"}`;
  lines.push(
    errors > 0
      ? `${errors} error${errors === 1 ? "" : "s"}, ${tail}: pulumi up would fail or grant more than planned`
      : `no errors, ${tail}: pulumi up can go ahead`,
  );
  return `${lines.join("\n")}\n`;
}

const CATALOG_SCOPE: Record<string, "project" | "organization" | undefined> = {
  projects: "project",
  organization: "organization",
};

/**
 * The catalog file from the live list: same header and columns, one line per set the catalog can hold (project or
 * organization scope), sorted by name. A set already catalogued keeps its category; a new one takes the API's.
 */
export function renderCatalog(live: readonly PermissionSet[], current: Catalog): string {
  const rows = new Map<string, string>();
  for (const set of live) {
    const scope = CATALOG_SCOPE[set.scopeType];
    if (!scope) continue;
    const category = (current.get(set.name)?.category ?? (set.categories ?? []).join(" / ")).replace(/[\t\r\n]+/g, " ");
    rows.set(set.name, `${set.name}\t${scope}\t${category}`);
  }
  const names = [...rows.keys()].sort(compare);
  return `name\tscope\tcategory\n${names.map((n) => rows.get(n)).join("\n")}\n`;
}

if (isEntry(__filename)) {
  runMain(() => main(process.argv.slice(2), process.env, { ...processIo(), root: path.join(__dirname, "..", "..") }));
}
