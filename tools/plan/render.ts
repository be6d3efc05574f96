/**
 * Human views of an offline plan: a terminal table per credential (what will exist: application, policy, rules,
 * keys, tags, Plakar's form and Plakar's own CLI settings) and the access by project, and a Markdown access report
 * for pull requests (the access matrix, the access by project, Plakar's CLI settings). Every view names the stack it
 * planned. What comes from the config (aliases, names) is escaped: unprintable characters in every view, and in
 * Markdown what would change the table or the text (`|`, backticks, emphasis, HTML).
 */
import type { OfflinePlan } from "./offline";
import { escapeUnprintable } from "../cli";
import type { ApiKey } from "../../components/domain/keys";
import {
  cliCommand,
  type PlakarCliConnector,
  type PlakarCliSetting,
  type PlakarFormField,
} from "../../components/domain/plakarForm";
import { ROTATION_EPOCH_MS, wholeDaysLeft } from "../../components/domain/rotation";
import type { Rule } from "../../components/domain/scope";
import type { StackCredential, StackPlan } from "../../stack/credentials";
import type { ResolvedCredential } from "../../components/domain/credential";

/** Whole days from `now` to `expiresAt`, counted as check-expiry counts them (`wholeDaysLeft`). */
export function daysLeft(expiresAt: string, now: string): number {
  return wholeDaysLeft(Date.parse(expiresAt) - Date.parse(now));
}

const EPOCH_DAY = new Date(ROTATION_EPOCH_MS).toISOString().slice(0, 10);

/** A credential of the plan: its config key and what its component is checked to make. */
type Credential = ResolvedCredential & { readonly key: string };

function credentialsOf(plan: StackPlan): Credential[] {
  return plan.credentials.map((c: StackCredential) => ({ ...c.resolved, key: c.key }));
}

function projectLabel(c: Credential, id: string): string {
  const ref = c.projects === "*" ? undefined : c.projects.find((p) => p.id.toLowerCase() === id.toLowerCase());
  return ref ? `${ref.label} (${id})` : id;
}

/** One rule: its permission sets on its scope. */
function ruleText(c: Credential, rule: Rule): string {
  const scope =
    "organizationId" in rule
      ? `all current and future projects of organization ${rule.organizationId}`
      : rule.projectIds.map((id) => projectLabel(c, id)).join(", ");
  return `${rule.permissionSetNames.join(", ")} on ${scope}`;
}

function keyLines(c: Credential, k: ApiKey, now: string, slot: "current" | "previous"): string[] {
  const left = daysLeft(k.expiresAt, now);
  const lines = [`${k.resourceName}: expires ${k.expiresAt}, ${left} days left`];
  if (slot === "previous") {
    lines.push("kept valid during the overlap, so Plakar can switch to the new key");
  } else if (c.expiry.kind === "rotation" && k.generation) {
    const full = c.expiry.rotateEveryDays + c.expiry.overlapDays;
    if (left < full - 1) {
      lines.push(
        `a first key may be short: generations follow a fixed calendar (every ${c.expiry.rotateEveryDays} days from ${EPOCH_DAY}, this one began ${k.generation}), so a key created now lives to the generation's end plus the overlap; later keys live ${full} days`,
      );
    }
  } else {
    lines.push("pinned expiry: no rotation, renew it by changing expiresAt");
  }
  return lines;
}

function fieldText(c: Credential, f: PlakarFormField): string {
  if (f.value !== undefined) return f.secretField ? `${f.value} (in the secret, field ${f.secretField})` : f.value;
  if (f.from === "accessKey" || f.from === "secretKey") {
    const what = f.from === "accessKey" ? "access key" : "secret key";
    if (c.delivery) return `the ${what}: secret ${c.delivery.fullPath}, field ${f.secretField ?? f.from}`;
    return f.from === "accessKey"
      ? `pulumi stack output credentials: credentials.${c.key}.accessKey`
      : `pulumi stack output --show-secrets credentials: credentials.${c.key}.secretKey`;
  }
  return f.hint ? `you type it: ${f.hint}` : "you type it";
}

function expiryPolicyText(c: Credential): string {
  return c.expiry.kind === "rotation"
    ? `every ${c.expiry.rotateEveryDays} days, ${c.expiry.overlapDays} days overlap`
    : "pinned expiry, no rotation";
}

function deliveryText(c: Credential): string {
  const d = c.delivery;
  return d
    ? `Secret Manager ${d.fullPath} (project ${d.project.label} ${d.project.id}, region ${d.region})`
    : "stack outputs";
}

/** Where a CLI option's value comes from, in words: a value, a stack output, the delivered secret, or a hint. */
function cliSettingText(c: Credential, s: PlakarCliSetting): string {
  if (s.value !== undefined) return s.value;
  if (s.from === "accessKey") return `pulumi stack output credentials: credentials.${c.key}.accessKey`;
  if (s.from === "secretKey") {
    return c.delivery
      ? `secret ${c.delivery.fullPath}, field secret_key (<secret_id>#secret_key; never shown here)`
      : `pulumi stack output --show-secrets credentials: credentials.${c.key}.secretKey`;
  }
  return s.hint ? `you type it: ${s.hint}` : "you type it";
}

/** Why a credential has no CLI configuration: its preset says the CLI has none, or it has no preset. */
function noCliText(c: Credential): string {
  if (c.plakar.cliNone) return c.plakar.cliNone;
  return c.useCase === "custom"
    ? "none: custom permission sets name no Plakar integration"
    : `none: preset ${c.useCase} does not say what Plakar's CLI takes`;
}

/** Per configuration: the command that adds it, then where each option's value comes from. */
function cliLines(c: Credential): string[] {
  const connectors = c.plakar.cli ?? [];
  if (connectors.length === 0) return [noCliText(c)];
  return connectors.flatMap((k: PlakarCliConnector) => [
    `${k.role} (integration ${k.integration}): ${cliCommand(k, (s) => s.value)}`,
    ...(k.hint ? [`  location: ${k.hint}`] : []),
    ...k.settings.map((s) => `  ${s.key}: ${cliSettingText(c, s)}`),
  ]);
}

/** The permission sets one credential holds on a project (all its rules that name the project), or everywhere. */
interface Holding {
  readonly key: string;
  readonly name: string;
  readonly retired: boolean;
  readonly sets: readonly string[];
}

interface ProjectAccess {
  readonly id: string;
  /** The aliases the stack's config gives this project (none when it names it only by ID). */
  readonly aliases: readonly string[];
  readonly holdings: readonly Holding[];
}

/** Rules on all current and future projects of the organization, by credential. */
interface OrganizationAccess {
  readonly organizationId: string;
  readonly holdings: readonly Holding[];
}

function byText(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}

/**
 * Who may do what in each project, from each credential's policy rules: per project (its aliases beside its ID),
 * each credential and its permission sets there; the organization-wide rules apart.
 */
export function accessByProject(plan: StackPlan): {
  readonly projects: readonly ProjectAccess[];
  readonly organization: readonly OrganizationAccess[];
} {
  const aliasesOf = (id: string) =>
    Object.entries(plan.projects)
      .filter(([, pid]) => pid.toLowerCase() === id.toLowerCase())
      .map(([alias]) => alias)
      .sort(byText);
  const projects = new Map<string, Map<string, { holding: Omit<Holding, "sets">; sets: Set<string> }>>();
  const organization = new Map<string, Map<string, { holding: Omit<Holding, "sets">; sets: Set<string> }>>();
  const add = (into: typeof projects, scope: string, holder: Omit<Holding, "sets">, sets: readonly string[]): void => {
    const byCredential = into.get(scope) ?? new Map();
    into.set(scope, byCredential);
    const entry = byCredential.get(holder.key) ?? { holding: holder, sets: new Set<string>() };
    byCredential.set(holder.key, entry);
    for (const set of sets) entry.sets.add(set);
  };
  for (const sc of plan.credentials) {
    const c = sc.resolved;
    const holder = { key: sc.key, name: c.name, retired: sc.args.retire === true };
    for (const rule of c.rules) {
      if ("organizationId" in rule) add(organization, rule.organizationId, holder, rule.permissionSetNames);
      else for (const id of rule.projectIds) add(projects, id.toLowerCase(), holder, rule.permissionSetNames);
    }
  }
  const holdings = (byCredential: Map<string, { holding: Omit<Holding, "sets">; sets: Set<string> }>) =>
    [...byCredential.values()]
      .map(({ holding, sets }) => ({ ...holding, sets: [...sets].sort(byText) }))
      .sort((a, b) => byText(a.key, b.key));
  return {
    projects: [...projects]
      .map(([id, byCredential]) => ({ id, aliases: aliasesOf(id), holdings: holdings(byCredential) }))
      // Declared aliases first, in order; projects named only by ID after them.
      .sort((a, b) =>
        a.aliases.length === 0 || b.aliases.length === 0
          ? b.aliases.length - a.aliases.length || byText(a.id, b.id)
          : byText(a.aliases[0], b.aliases[0]) || byText(a.id, b.id),
      ),
    organization: [...organization]
      .map(([organizationId, byCredential]) => ({ organizationId, holdings: holdings(byCredential) }))
      .sort((a, b) => byText(a.organizationId, b.organizationId)),
  };
}

const ORGANIZATION_WIDE = "all current and future projects of organization";

function holdingText(h: Holding): string {
  return `${h.key} (${h.name})${h.retired ? " [retired]" : ""}: ${h.sets.join(", ")}`;
}

/** The access by project as the table shows it, every config-given text escaped. */
function accessTable(plan: StackPlan): string[] {
  const access = accessByProject(plan);
  const lines = ["Access by project"];
  for (const p of access.projects) {
    const aliases = p.aliases.map(escapeUnprintable).join(", ");
    lines.push(`  ${aliases ? `${aliases} (${p.id})` : p.id}`);
    for (const h of p.holdings) lines.push(`    ${escapeUnprintable(holdingText(h))}`);
  }
  if (access.projects.length === 0) lines.push("  no rule names a project");
  lines.push("Organization-wide grants (rules on all projects)");
  for (const o of access.organization) {
    lines.push(`  ${ORGANIZATION_WIDE} ${o.organizationId}`);
    for (const h of o.holdings) lines.push(`    ${escapeUnprintable(holdingText(h))}`);
  }
  if (access.organization.length === 0) lines.push("  none");
  return lines;
}

const LABEL_WIDTH = 18;

export function renderTable(result: OfflinePlan): string {
  const plan = result.resolved;
  const lines: string[] = [
    `Offline plan of stack "${plan.stack}" (project ${result.project}) at ${plan.now}`,
    `Mock runtime: no Pulumi engine, no Scaleway API; IDs and keys are placeholders, secrets are never shown.`,
    "",
  ];
  const row = (label: string, values: string | readonly string[]) => {
    const list = typeof values === "string" ? [values] : values;
    // Values hold the config's own text (aliases, names): unprintable characters never reach the terminal.
    list.forEach((v, i) =>
      lines.push(`  ${(i === 0 ? label : "").padEnd(LABEL_WIDTH)}${escapeUnprintable(v)}`.trimEnd()),
    );
  };
  for (const c of credentialsOf(plan)) {
    lines.push(`${c.key}  [${c.useCase}]`);
    row("application", `${c.name} (resource ${c.key}-app)`);
    row("policy", `${c.name} (resource ${c.key}-policy)`);
    row("tags", c.tags.join(", "));
    c.rules.forEach((r, i) => row(c.rules.length > 1 ? `rule ${i + 1}` : "rule", ruleText(c, r)));
    row("key", keyLines(c, c.keys.current, plan.now, "current"));
    if (c.keys.previous) row("previous key", keyLines(c, c.keys.previous, plan.now, "previous"));
    row("rotation", expiryPolicyText(c));
    row("preferred project", c.preferredProject ? `${c.preferredProject.label} (${c.preferredProject.id})` : "-");
    row("delivery", deliveryText(c));
    row("plakar form", [
      `integration ${c.plakar.integration}, fields:`,
      ...c.plakar.fields.map((f) => `  ${f.label}: ${fieldText(c, f)}`),
    ]);
    row("plakar CLI", cliLines(c));
    lines.push("");
  }
  lines.push(...accessTable(plan), "");
  const counts = new Map<string, number>();
  for (const r of result.resources) counts.set(r.type, (counts.get(r.type) ?? 0) + 1);
  const protectedCount = result.resources.filter((r) => r.protect).length;
  lines.push(
    `${result.resources.length} resources: ${[...counts].map(([t, n]) => `${n} ${t}`).join(", ")}`,
    `protect: ${plan.protect ? `on (${protectedCount} resources; keys are never protected)` : "off"}`,
  );
  return lines.join("\n") + "\n";
}

function md(text: string): string {
  return text.replace(/\|/g, "\\|");
}

/** Text from the config as Markdown text: unprintable characters escaped, then every character Markdown acts on. */
export function mdText(text: string): string {
  return escapeUnprintable(text).replace(/[\\`*_[\]<>|~&]/g, (c) => `\\${c}`);
}

/**
 * Text as a Markdown code span in a table cell: unprintable characters escaped, `|` escaped (GitHub's tables split
 * cells on it, even in code), and a fence longer than any run of backticks inside, so none can close it.
 */
export function mdCode(text: string): string {
  const body = escapeUnprintable(text).replace(/\|/g, "\\|");
  const longest = Math.max(0, ...(body.match(/`+/g) ?? []).map((run) => run.length));
  const fence = "`".repeat(longest + 1);
  const pad = body.startsWith("`") || body.endsWith("`") ? " " : "";
  return `${fence}${pad}${body}${pad}${fence}`;
}

function mdProject(p: ProjectAccess): string {
  return [...p.aliases.map(mdCode), mdCode(p.id)].join(" ");
}

function mdHolding(h: Holding): [string, string, string] {
  return [`${mdCode(h.key)}${h.retired ? " (retired)" : ""}`, mdCode(h.name), h.sets.map(mdCode).join("<br>")];
}

/** The access by project: one row per project and credential; the organization-wide rules in a table of their own. */
function mdAccessByProject(plan: StackPlan): string[] {
  const access = accessByProject(plan);
  const lines = ["", "#### Access by project", ""];
  if (access.projects.length === 0) lines.push("No rule names a project.");
  else {
    lines.push("| Project | Credential | Application | Permission sets |", "|---|---|---|---|");
    for (const p of access.projects) {
      p.holdings.forEach((h, i) => lines.push(`| ${i === 0 ? mdProject(p) : ""} | ${mdHolding(h).join(" | ")} |`));
    }
  }
  lines.push("", "Organization-wide grants (rules on all current and future projects):", "");
  if (access.organization.length === 0) lines.push("None.");
  else {
    lines.push("| Organization | Credential | Application | Permission sets |", "|---|---|---|---|");
    for (const o of access.organization) {
      o.holdings.forEach((h, i) =>
        lines.push(`| ${i === 0 ? mdCode(o.organizationId) : ""} | ${mdHolding(h).join(" | ")} |`),
      );
    }
  }
  return lines;
}

/** Plakar's own CLI: per credential and configuration, the location and where each option's value comes from. */
function mdPlakarCli(plan: StackPlan): string[] {
  const lines = [
    "",
    "#### Plakar CLI",
    "",
    "What Plakar's own CLI takes: `plakar <role> add <name> <location> key=value...`. Secret keys are read where the option says, never shown.",
    "",
    "| Credential | Role | Integration | Location | Options |",
    "|---|---|---|---|---|",
  ];
  for (const c of credentialsOf(plan)) {
    const connectors = c.plakar.cli ?? [];
    if (connectors.length === 0) {
      lines.push(`| ${mdCode(c.key)} | - | - | - | ${mdText(noCliText(c))} |`);
      continue;
    }
    for (const k of connectors) {
      const location = `${mdCode(k.location)}${k.hint ? `<br>${mdText(k.hint)}` : ""}`;
      const options = k.settings.map((s) => `${mdCode(s.key)}: ${mdCliSetting(c, s)}`).join("<br>");
      lines.push(`| ${mdCode(c.key)} | ${k.role} | ${mdCode(k.integration)} | ${location} | ${options} |`);
    }
  }
  return lines;
}

function mdCliSetting(c: Credential, s: PlakarCliSetting): string {
  if (s.value !== undefined) return mdCode(s.value);
  if (s.from === "accessKey" || s.from === "secretKey") return mdCode(cliSettingText(c, s));
  return mdText(cliSettingText(c, s));
}

function mdScope(c: Credential, rule: Rule): string {
  if ("organizationId" in rule) return "**all projects** (`*`)";
  return rule.projectIds
    .map((id) => {
      const ref = c.projects === "*" ? undefined : c.projects.find((p) => p.id.toLowerCase() === id.toLowerCase());
      return ref ? `${mdText(ref.label)} \`${id}\`` : `\`${id}\``;
    })
    .join("<br>");
}

/** The access matrix: one row per credential and rule (projects x permission sets), with the application's name. */
export function renderMarkdown(plan: StackPlan): string {
  const lines = [
    `### Access report: stack \`${plan.stack}\``,
    "",
    `Planned at ${plan.now}; protect ${plan.protect ? "on" : "off"}.`,
    "",
    "| Credential | Application | Use case | Projects | Permission sets | Key expiry | Preferred project | Delivery |",
    "|---|---|---|---|---|---|---|---|",
  ];
  for (const c of credentialsOf(plan)) {
    let expiry = `${c.keys.current.expiresAt.slice(0, 10)} (${daysLeft(c.keys.current.expiresAt, plan.now)} d; ${c.expiry.kind === "rotation" ? `rotates every ${c.expiry.rotateEveryDays} d` : "pinned"})`;
    if (c.keys.previous) expiry += `<br>previous: ${c.keys.previous.expiresAt.slice(0, 10)}`;
    const preferred = c.preferredProject ? `${mdText(c.preferredProject.label)} \`${c.preferredProject.id}\`` : "-";
    // The aliases are the config's own text: escaped as Markdown text, after which nothing else may escape them.
    const delivery = c.delivery
      ? `Secret Manager \`${md(c.delivery.fullPath)}\` (${mdText(c.delivery.project.label)}, ${c.delivery.region})`
      : "stack outputs";
    c.rules.forEach((rule, i) => {
      const sets = rule.permissionSetNames.map((s) => `\`${s}\``).join("<br>");
      const first = i === 0;
      lines.push(
        `| \`${c.key}\` | \`${md(c.name)}\` | ${c.useCase} | ${mdScope(c, rule)} | ${sets} | ${first ? expiry : ""} | ${first ? preferred : ""} | ${first ? delivery : ""} |`,
      );
    });
  }
  lines.push(...mdAccessByProject(plan), ...mdPlakarCli(plan));
  return lines.join("\n") + "\n";
}

/** The JSON document of `plan --json`: stack, resources, outputs; nothing secret. */
export function renderJson(result: OfflinePlan): string {
  const doc = {
    stack: result.stack,
    project: result.project,
    now: result.now,
    resources: result.resources,
    outputs: result.outputs,
  };
  return JSON.stringify(doc, null, 2) + "\n";
}
