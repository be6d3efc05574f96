/**
 * Human views of an offline plan: a terminal table per credential (what will exist: application, policy, rules,
 * keys, tags, Plakar's form), and a Markdown access report for pull requests. Every view names the stack it planned.
 */
import type { OfflinePlan } from "./offline";
import type { ApiKey } from "../../components/domain/keys";
import type { PlakarFormField } from "../../components/domain/plakarForm";
import { DAY_MS, ROTATION_EPOCH_MS } from "../../components/domain/rotation";
import type { Rule } from "../../components/domain/scope";
import type { StackCredential, StackPlan } from "../../stack/credentials";
import type { ResolvedCredential } from "../../components/domain/credential";

export function daysLeft(expiresAt: string, now: string): number {
  return Math.floor((Date.parse(expiresAt) - Date.parse(now)) / DAY_MS);
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
    list.forEach((v, i) => lines.push(`  ${(i === 0 ? label : "").padEnd(LABEL_WIDTH)}${v}`.trimEnd()));
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
    lines.push("");
  }
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

function mdScope(c: Credential, rule: Rule): string {
  if ("organizationId" in rule) return "**all projects** (`*`)";
  return rule.projectIds
    .map((id) => {
      const ref = c.projects === "*" ? undefined : c.projects.find((p) => p.id.toLowerCase() === id.toLowerCase());
      return ref ? `${ref.label} \`${id}\`` : `\`${id}\``;
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
    const preferred = c.preferredProject ? `${c.preferredProject.label} \`${c.preferredProject.id}\`` : "-";
    const delivery = c.delivery
      ? `Secret Manager \`${c.delivery.fullPath}\` (${c.delivery.project.label}, ${c.delivery.region})`
      : "stack outputs";
    c.rules.forEach((rule, i) => {
      const sets = rule.permissionSetNames.map((s) => `\`${s}\``).join("<br>");
      const first = i === 0;
      lines.push(
        `| \`${c.key}\` | \`${md(c.name)}\` | ${c.useCase} | ${mdScope(c, rule)} | ${sets} | ${first ? expiry : ""} | ${first ? preferred : ""} | ${first ? md(delivery) : ""} |`,
      );
    });
  }
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
