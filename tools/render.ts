/** Human views of an offline plan: a terminal table per credential, and a Markdown access matrix. */
import type { OfflinePlan } from "./offline";
import type { ApiKey } from "../domain/keys";
import type { ResolvedStack, StackCredential } from "../domain/stack";
import { DAY_MS } from "../domain/rotation";

export function daysLeft(expiresAt: string, now: string): number {
  return Math.floor((Date.parse(expiresAt) - Date.parse(now)) / DAY_MS);
}

function projectsText(c: StackCredential): string {
  return c.projects === "*"
    ? `* (all current and future projects of organization ${c.organizationId})`
    : c.projects.map((p) => `${p.label} (${p.id})`).join(", ");
}

function keyText(k: ApiKey, now: string): string {
  const kind = k.generation ? `generation ${k.generation}` : "pinned";
  return `${k.expiresAt} (${daysLeft(k.expiresAt, now)} days left, ${kind})`;
}

function expiryPolicyText(c: StackCredential): string {
  return c.expiry.kind === "rotation"
    ? `rotates every ${c.expiry.rotateEveryDays} days, ${c.expiry.overlapDays} days overlap`
    : "pinned expiry, no rotation";
}

function deliveryText(c: StackCredential): string {
  const d = c.delivery;
  return d
    ? `Secret Manager ${d.fullPath} (project ${d.project.label} ${d.project.id}, region ${d.region})`
    : "stack outputs";
}

export function renderTable(result: OfflinePlan): string {
  const plan = result.resolved;
  const lines: string[] = [
    `Offline plan of stack "${plan.stack}" (project ${result.project}) at ${plan.now}`,
    `Mock runtime: no Pulumi engine, no Scaleway API; IDs and keys are placeholders, secrets are never shown.`,
    "",
  ];
  for (const c of plan.credentials) {
    const rows: [string, string][] = [
      ["application", c.name],
      ["projects", projectsText(c)],
      ["permission sets", c.permissionSets.join(", ")],
      ["expiry", keyText(c.keys.current, plan.now)],
    ];
    if (c.keys.previous) rows.push(["previous key", `${keyText(c.keys.previous, plan.now)}, kept during the overlap`]);
    rows.push(
      ["rotation", expiryPolicyText(c)],
      ["preferred project", c.preferredProject ? `${c.preferredProject.label} (${c.preferredProject.id})` : "-"],
      ["delivery", deliveryText(c)],
    );
    lines.push(`${c.key}  [${c.useCase}]`);
    for (const [label, value] of rows) lines.push(`  ${label.padEnd(18)}${value}`);
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

/** The access matrix: credential x projects x permission sets x key expiry x preferred project x delivery. */
export function renderMarkdown(plan: ResolvedStack): string {
  const lines = [
    `### Access report: stack \`${plan.stack}\``,
    "",
    `Planned at ${plan.now}; protect ${plan.protect ? "on" : "off"}.`,
    "",
    "| Credential | Use case | Projects | Permission sets | Key expiry | Preferred project | Delivery |",
    "|---|---|---|---|---|---|---|",
  ];
  for (const c of plan.credentials) {
    const projects =
      c.projects === "*" ? "**all projects** (`*`)" : c.projects.map((p) => `${p.label} \`${p.id}\``).join("<br>");
    const sets = c.permissionSets.map((s) => `\`${s}\``).join("<br>");
    let expiry = `${c.keys.current.expiresAt.slice(0, 10)} (${daysLeft(c.keys.current.expiresAt, plan.now)} d; ${c.expiry.kind === "rotation" ? `rotates every ${c.expiry.rotateEveryDays} d` : "pinned"})`;
    if (c.keys.previous) expiry += `<br>previous: ${c.keys.previous.expiresAt.slice(0, 10)}`;
    const preferred = c.preferredProject ? `${c.preferredProject.label} \`${c.preferredProject.id}\`` : "-";
    const delivery = c.delivery
      ? `Secret Manager \`${c.delivery.fullPath}\` (${c.delivery.project.label}, ${c.delivery.region})`
      : "stack outputs";
    lines.push(`| \`${c.key}\` | ${c.useCase} | ${projects} | ${sets} | ${expiry} | ${preferred} | ${md(delivery)} |`);
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
