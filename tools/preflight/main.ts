/**
 * `npm run --silent preflight -- [--stack NAME] [--config FILE] [--json] [--deployer APPLICATION_ID]
 * [--update-catalog]` (flags parsed by the shared machinery of cli.ts, `--help` for each): the stack's config, resolved exactly as the offline plan resolves it, checked against the live
 * organization with read requests only. Exit 0 when `pulumi up` can succeed, 1 when a finding says it would fail or
 * grant more than planned (or a check could not be made: preflight fails closed), 2 when preflight cannot judge (bad
 * input, credentials, network, an answer it cannot trust).
 */
import * as fs from "fs";
import * as path from "path";
import type { Catalog } from "../../components/domain/catalog";
import { IAM_TYPES } from "../../components/domain/constants";
import { compare } from "../../components/domain/credential";
import { ConfigError, configIssuesOf, formatIssue } from "../../components/domain/errors";
import { shippedData } from "../../components/domain/presets";
import { planStack } from "../../stack/credentials";
import { MAX_CONFIG_BYTES, namespaceConfig } from "../../stack/config";
import {
  escapeUnprintable,
  FLAGS,
  helpText,
  isEntry,
  oneLine,
  parseCommandLine,
  processIo,
  quote,
  readInputFile,
  runMain,
  stackFor,
  type CommandSpec,
} from "../cli";
import { type OfflinePlan, readProjectName, readStackConfig, runOffline } from "../plan/offline";
import {
  checkIdentity,
  checkOrganization,
  finding,
  type Finding,
  LIVE_SCOPE,
  type PlannedAdoption,
  type StackUnderCheck,
  runChecks,
} from "./checks";
import {
  deployCredentials,
  type Env,
  loadCredentials,
  neutralizeWorkflowCommands,
  PreflightError,
  providerStackConfig,
  readOnlyClient,
  redact,
} from "./client";
import { type DeployerRequest, type PermissionSet, ScalewayReader } from "./organization";

export const PREFLIGHT: CommandSpec = {
  name: "preflight",
  summary:
    "Resolves the stack's config exactly as the offline plan does, then checks it against the live Scaleway organization with read requests only (GET): organization, the identity pulumi up will use, projects, permission sets, quotas, key lifetime, that identity's rights, names and secret paths already taken, and what an adoption would import. Preflight's own credentials come from SCW_* variables or the Scaleway config file; pulumi up's also from the stack config's scaleway:* keys.",
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
      help: "Check the rights of this application (the one that runs pulumi up) instead of those of the key pulumi up would use here.",
    },
    "update-catalog": {
      type: "boolean",
      help: "Rewrite presets/permission-sets.tsv from the organization's live list of permission sets (the only write, and a local one): valid set names only, and every catalogued set keeps its scope (a scope change is reported, not written).",
    },
    help: FLAGS.help,
  },
  exitCodes: [
    [0, "pulumi up can go ahead (warnings may be printed)"],
    [1, "a finding says pulumi up would fail or grant more than planned, or a check could not be made (not checked)"],
    [
      2,
      "cannot judge: bad input (flags, stack file or config: one `error:` line per problem), missing or refused credentials, the network, an API answer that cannot be trusted",
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
  /** How a 429's backoff waits. @default a real timer */
  readonly sleep?: (ms: number) => Promise<void>;
}

export const EXIT_OK = 0;
export const EXIT_FINDINGS = 1;
export const EXIT_CANNOT_JUDGE = 2;

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

function badFlag(flag: string, message: string): ConfigError {
  return new ConfigError([{ path: flag, message }], "bad command line");
}

/** Secrets preflight knows of, to remove from anything it prints. */
type Secrets = (string | undefined)[];

/** Everything printed: escaped, no line a workflow command, no secret in any spelling. */
function printable(text: string, secrets: Secrets): string {
  return redact(neutralizeWorkflowCommands(text), secrets);
}

/** Runs preflight; never throws: every failure is printed (secret-free) and becomes an exit code. */
export async function main(argv: readonly string[], env: Env, io: PreflightIO): Promise<number> {
  // Every secret key in reach, from the start: a failure may print before preflight has read its own.
  const secrets: Secrets = ["SCW_SECRET_KEY", "SCW_TOKEN", "SCALEWAY_TOKEN", "SCALEWAY_ACCESS_KEY"].map((n) => env[n]);
  try {
    return await run(argv, env, io, secrets);
  } catch (err) {
    const issues = configIssuesOf(err);
    if (issues) {
      const heading = err instanceof ConfigError ? (err.message.split("\n")[0] ?? "") : "invalid stack config:";
      // One line per problem, whatever a value holds (a newline in a config value must not forge an error line).
      const lines = issues.map((i) => `error: ${oneLine(formatIssue(i))}`).join("\n");
      io.stderr(printable(`${oneLine(heading)}\n${lines}\n`, secrets));
    } else {
      const message = err instanceof Error ? err.message : String(err);
      const line = err instanceof PreflightError ? message : `internal error: ${message.split("\n")[0]}`;
      io.stderr(printable(`preflight: ${escapeUnprintable(line)}\n`, secrets));
    }
    return EXIT_CANNOT_JUDGE;
  }
}

/** What the offline plan imports for each adopted credential: the registered inputs, exactly. */
function plannedAdoptions(
  plan: OfflinePlan,
  credentials: readonly { key: string; adopt?: { applicationId: string; policyId: string } }[],
): Map<string, PlannedAdoption> {
  const out = new Map<string, PlannedAdoption>();
  const imported = (types: readonly string[], id: string) => {
    const r = plan.resources.find((x) => types.includes(x.type) && x.import?.toLowerCase() === id);
    return r
      ? {
          importId: id,
          planId: r.id,
          inputs: (r.inputs && typeof r.inputs === "object" ? r.inputs : {}) as Record<string, unknown>,
        }
      : undefined;
  };
  for (const c of credentials) {
    if (!c.adopt) continue;
    const application = imported(IAM_TYPES.application, c.adopt.applicationId);
    const policy = imported(IAM_TYPES.policy, c.adopt.policyId);
    out.set(c.key, { ...(application ? { application } : {}), ...(policy ? { policy } : {}) });
  }
  return out;
}

async function run(argv: readonly string[], env: Env, io: PreflightIO, secrets: Secrets): Promise<number> {
  const flags = parseCommandLine(argv, PREFLIGHT, env) as {
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
  const stackFile = configFile ?? path.join(io.root, `Pulumi.${stack}.yaml`);
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
      ...(c.args.adopt
        ? {
            adopt: {
              applicationId: c.args.adopt.applicationId.toLowerCase(),
              policyId: c.args.adopt.policyId.toLowerCase(),
            },
          }
        : {}),
      paths: c.paths,
    })),
  };
  // The inputs `pulumi up` will send are the ones the program registers: the offline plan runs it, same config and
  // clock, and adoption is judged against what it registers rather than against a second computation of them.
  const offline = await runOffline({ root: io.root, stack, configFile: stackFile, now });
  const declared = (raw.projects ?? {}) as Record<string, string>;
  const target: StackUnderCheck = {
    resolved,
    projects: Object.keys(declared)
      .sort(compare)
      .map((alias) => ({ alias, id: declared[alias].toLowerCase() })),
    catalog: data.catalog,
    presets: data.presets,
    now,
    adoptions: plannedAdoptions(offline, resolved.credentials),
  };

  // pulumi up's credentials: the stack file's scaleway:* keys, which the offline plan's reader leaves aside.
  const provider = providerStackConfig(readInputFile(stackFile, MAX_CONFIG_BYTES));
  const deploy = deployCredentials(env, provider);
  secrets.push(deploy.secretKey?.value);
  const credentials = loadCredentials(env);
  secrets.push(credentials.secretKey);

  const reader = new ScalewayReader(
    readOnlyClient(credentials, io.fetch ?? fetch, io.sleep ? { sleep: io.sleep } : {}),
    credentials,
  );
  const identity = await reader.whoAmI();
  const defaultOrganization =
    deploy.organizationId?.value !== undefined
      ? { id: deploy.organizationId.value, source: deploy.organizationId.source }
      : undefined;
  const findings: Finding[] = checkOrganization(target, identity, defaultOrganization);
  if (identity.organizationId.toLowerCase() === resolved.organizationId) {
    const predicted = deploy.accessKey?.value;
    const deployer: DeployerRequest =
      flags.deployer !== undefined
        ? { kind: "application", id: flags.deployer.toLowerCase() }
        : predicted === undefined || predicted === ""
          ? { kind: "unknown" }
          : predicted.toUpperCase() === credentials.accessKey.toUpperCase()
            ? { kind: "self" }
            : /^SCW[A-Z0-9]{17}$/i.test(predicted)
              ? { kind: "key", accessKey: predicted.toUpperCase() }
              : { kind: "unknown" };
    const live = await reader.organization(identity, {
      organizationId: resolved.organizationId,
      projectIds: target.projects.map((p) => p.id),
      deployer,
      adoptedPolicyIds: resolved.credentials.flatMap((c) => (c.adopt ? [c.adopt.policyId] : [])),
      deliveries: resolved.credentials.flatMap((c) =>
        c.delivery
          ? [
              {
                key: c.key,
                region: c.delivery.region,
                projectId: c.delivery.project.id.toLowerCase(),
                name: c.delivery.name,
                path: c.delivery.folder,
              },
            ]
          : [],
      ),
    });
    findings.push(
      ...checkIdentity(deploy, live, {
        deployerFlag: flags.deployer !== undefined,
        ownAccessKey: credentials.accessKey,
        ownApiURL: credentials.apiURL,
      }),
    );
    let catalogUpdated = false;
    if (flags["update-catalog"]) {
      const file = io.catalogFile ?? path.join(io.root, "components", "presets", "permission-sets.tsv");
      const rendered = renderCatalog(live.permissionSets, data.catalog, (text) => redact(text, secrets) === text);
      fs.writeFileSync(file, rendered.text);
      findings.push(...rendered.findings);
      catalogUpdated = true;
    }
    findings.push(...runChecks(target, live, { catalogUpdated, deployerFlag: flags.deployer !== undefined }));
  }

  const errors = findings.filter((f) => f.level === "error").length;
  const code = errors > 0 ? EXIT_FINDINGS : EXIT_OK;
  const header = {
    stack,
    organizationId: resolved.organizationId,
    identity: { kind: identity.kind, id: identity.id, name: escapeUnprintable(identity.name) },
    apiURL: credentials.apiURL,
  };
  const text = flags.json
    ? `${JSON.stringify({ ...header, findings, errors, warnings: count(findings, "warn"), exitCode: code }, null, 2)}\n`
    : renderText(header, findings, errors);
  io.stdout(printable(text, secrets));
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
    `preflight of stack ${header.stack} against organization ${header.organizationId} (${header.apiURL}), as ${header.identity.kind} ${quote(header.identity.name)}`,
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

/**
 * A Scaleway permission set name: a capital letter, then letters and digits (`IAMManager`,
 * `ObjectStorageBucketsRead`), at most 64 characters. Anything else in the live list is not written.
 */
export const SET_NAME = /^[A-Z][A-Za-z0-9]{1,63}$/;
const MAX_CATEGORY = 100;

/**
 * The catalog file from the live list: same header and columns, one line per set the catalog can hold (project or
 * organization scope), sorted by name. A set already catalogued keeps its line (scope and category): a scope that
 * changed live is reported for a person to decide, never written. A name that is not a set name, is listed twice,
 * or holds a secret is not written, and is reported.
 */
export function renderCatalog(
  live: readonly PermissionSet[],
  current: Catalog,
  secretFree: (text: string) => boolean = () => true,
): { text: string; findings: Finding[] } {
  const path = "presets/permission-sets.tsv";
  const findings: Finding[] = [];
  const byName = new Map<string, PermissionSet[]>();
  for (const set of live) byName.set(set.name, [...(byName.get(set.name) ?? []), set]);
  const rows = new Map<string, string>();
  const kept: string[] = [];
  for (const [name, sets] of byName) {
    if (!SET_NAME.test(name) || !secretFree(name)) {
      findings.push(
        finding(
          "error",
          "catalog",
          `the live list holds ${quote(secretFree(name) ? name : "[secret]")}, which is not a permission set name (a capital letter, then letters and digits): not written, and the list is not to be trusted`,
          path,
        ),
      );
      continue;
    }
    const known = current.get(name);
    const scopes = [...new Set(sets.map((s) => LIVE_SCOPE[s.scopeType] ?? oneLine(s.scopeType)))];
    if (sets.length > 1) {
      findings.push(
        finding(
          "error",
          "catalog",
          `the live list holds ${name} ${sets.length} times: ${known ? "kept the catalogued line" : "not written"}; the list is not to be trusted`,
          path,
        ),
      );
      if (known) rows.set(name, `${name}\t${known.scope}\t${known.category}`);
      continue;
    }
    const scope = LIVE_SCOPE[sets[0]!.scopeType];
    if (known) {
      if (scope !== known.scope) {
        kept.push(`${name} (live: ${scopes[0]}; catalog: ${known.scope})`);
        if (!scope) continue;
      }
      rows.set(name, `${name}\t${known.scope}\t${known.category}`);
      continue;
    }
    if (!scope) continue;
    // Spaces for the line breaks and tabs that would break the file's columns; every other invisible escaped.
    const category = escapeUnprintable((sets[0]!.categories ?? []).join(" / ").replace(/[\t\r\n]+/g, " "))
      .replace(/ +/g, " ")
      .trim()
      .slice(0, MAX_CATEGORY);
    rows.set(name, `${name}\t${scope}\t${secretFree(category) ? category : ""}`);
  }
  if (kept.length > 0) {
    findings.push(
      finding(
        "warn",
        "catalog",
        `${kept.length} catalogued set${kept.length === 1 ? "" : "s"} changed scope in the live list: ${kept.sort(compare).join(", ")}: kept the catalogued scope; a scope change needs a person (presets and policies depend on it)`,
        path,
      ),
    );
  }
  const names = [...rows.keys()].sort(compare);
  findings.unshift(finding("ok", "catalog", `rewritten from the live list (${names.length} sets)`, path));
  return { text: `name\tscope\tcategory\n${names.map((n) => rows.get(n)).join("\n")}\n`, findings };
}

if (isEntry(__filename)) {
  runMain(() => main(process.argv.slice(2), process.env, { ...processIo(), root: path.join(__dirname, "..", "..") }));
}
