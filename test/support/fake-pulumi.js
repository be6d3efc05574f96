#!/usr/bin/env node
/**
 * A stand-in for the `pulumi` CLI, for the acceptance run's tests: put on PATH as `pulumi`, it records every
 * invocation (argv, cwd, the environment variables that matter) in $FAKE_PULUMI_LOG, keeps each stack's state in the
 * file backend the run points it at (PULUMI_BACKEND_URL=file://...), and answers the commands the run uses as the
 * CLI would: `version`, `stack init`, `up`, `stack output --json --show-secrets`, `destroy`, `stack rm`. `up` does what
 * the program and the provider would do, through the acceptance stand-in's control API ($FAKE_PULUMI_STANDIN): one
 * application and one policy per credential (rules from its preset, on its projects), one API key per key
 * generation of the program's rotation schedule (components/domain/rotation.ts, mirrored below and checked against it
 * by test/acceptance.test.ts), kept when its name and expiry are unchanged, none for a retired credential.
 *
 * Like the real CLI it refuses to run without the passphrase or with a stack file whose `encryptionsalt` is not the
 * one `stack init` wrote, and `stack rm` refuses a stack that still has resources. Knobs: FAKE_PULUMI_FAIL=<command>
 * (e.g. `up`, `destroy`) makes that command fail; FAKE_PULUMI_LEAVE=1 makes `destroy` leave one application behind
 * while reporting success; FAKE_PULUMI_REPLACE=1 makes `up` replace every key it keeps (a new access key under the
 * same name, as a changed expiry would); FAKE_PULUMI_NOISE=1 makes `up` print hostile lines (a workflow command, an escape sequence,
 * an issued secret key); FAKE_PULUMI_NOW (ISO-8601) is its clock.
 */
"use strict";
const fs = require("fs");
const path = require("path");

const ROOT = path.join(__dirname, "..", "..");
const DAY_MS = 86_400_000;
const ROTATION_EPOCH_MS = Date.UTC(2024, 0, 1);

/** components/domain/rotation.ts keySchedule, mirrored. */
function keySchedule(nowMs, rotateEveryDays, overlapDays) {
  const periodMs = rotateEveryDays * DAY_MS;
  const overlapMs = overlapDays * DAY_MS;
  const index = Math.floor((nowMs - ROTATION_EPOCH_MS) / periodMs);
  const gen = (i) => {
    const startsAtMs = ROTATION_EPOCH_MS + i * periodMs;
    return {
      generation: new Date(startsAtMs).toISOString().slice(0, 10),
      startsAtMs,
      expiresAtMs: startsAtMs + periodMs + overlapMs,
    };
  };
  const current = gen(index);
  const previous = gen(index - 1);
  return nowMs < previous.expiresAtMs ? { current, previous } : { current };
}

function fail(message, code = 255) {
  process.stderr.write(`error: ${message}\n`);
  process.exit(code);
}

function flag(argv, ...names) {
  for (let i = 0; i < argv.length; i++) if (names.includes(argv[i])) return argv[i + 1];
  return undefined;
}

async function control(method, route, body) {
  const response = await fetch(`${process.env.FAKE_PULUMI_STANDIN}${route}`, {
    method,
    headers: { "Content-Type": "application/json" },
    body: body === undefined ? undefined : JSON.stringify(body),
  });
  const json = await response.json();
  if (!response.ok) fail(`provider: ${method} ${route}: ${json.message}`);
  return json;
}

async function main() {
  const argv = process.argv.slice(2);
  const env = process.env;
  if (env.FAKE_PULUMI_LOG) {
    const seen = {};
    for (const name of [
      "PULUMI_BACKEND_URL",
      "PULUMI_CONFIG_PASSPHRASE_FILE",
      "PULUMI_CONFIG_PASSPHRASE",
      "PULUMI_SKIP_UPDATE_CHECK",
      "SCW_ACCESS_KEY",
      "SCW_DEFAULT_ORGANIZATION_ID",
    ]) {
      seen[name] = env[name];
    }
    const dir = flag(argv, "--cwd", "-C");
    const stackName = flag(argv, "--stack", "-s");
    const file = dir && stackName ? path.join(dir, `Pulumi.${stackName}.yaml`) : undefined;
    const stackFile = file && fs.existsSync(file) ? fs.readFileSync(file, "utf8") : null;
    const projectFile =
      dir && fs.existsSync(path.join(dir, "Pulumi.yaml"))
        ? fs.readFileSync(path.join(dir, "Pulumi.yaml"), "utf8")
        : null;
    fs.appendFileSync(
      env.FAKE_PULUMI_LOG,
      `${JSON.stringify({ argv, cwd: process.cwd(), env: seen, stackFile, projectFile })}\n`,
    );
  }
  // The run writes the command's words first, then its flags.
  const words = [];
  for (const a of argv) {
    if (a.startsWith("-")) break;
    words.push(a);
  }
  const command = words[0] === "stack" ? `stack ${words[1]}` : words[0];
  if (command === "version") {
    process.stdout.write("v3.259.0\n");
    return;
  }
  if (env.FAKE_PULUMI_FAIL === command) fail(`${command} failed (FAKE_PULUMI_FAIL)`);
  const stack = flag(argv, "--stack", "-s");
  const dir = flag(argv, "--cwd", "-C");
  if (!stack || !dir) fail("the fake needs --stack and --cwd");
  if (!argv.includes("--non-interactive")) fail("not --non-interactive: the real CLI would prompt");
  const backend = /^file:\/\/(.+)$/.exec(env.PULUMI_BACKEND_URL || "");
  if (!backend || !fs.existsSync(backend[1])) fail("PULUMI_BACKEND_URL is not a file:// backend that exists");
  const passphrase = env.PULUMI_CONFIG_PASSPHRASE_FILE;
  if (!passphrase || !fs.readFileSync(passphrase, "utf8")) fail("no passphrase (PULUMI_CONFIG_PASSPHRASE_FILE)");
  const yaml = require(path.join(ROOT, "node_modules", "yaml"));
  const stateFile = path.join(backend[1], "fake-state.json");
  const state = fs.existsSync(stateFile) ? JSON.parse(fs.readFileSync(stateFile, "utf8")) : { stacks: {} };
  const save = () => fs.writeFileSync(stateFile, JSON.stringify(state, null, 2));
  const stackFile = path.join(dir, `Pulumi.${stack}.yaml`);
  const project = yaml.parse(fs.readFileSync(path.join(dir, "Pulumi.yaml"), "utf8"));

  if (command === "stack init") {
    if (state.stacks[stack]) fail(`stack '${stack}' already exists`);
    const salt = `v1:fake-salt-${stack}`;
    state.stacks[stack] = { salt, resources: {}, outputs: {} };
    const doc = fs.existsSync(stackFile)
      ? yaml.parseDocument(fs.readFileSync(stackFile, "utf8"))
      : yaml.parseDocument("{}");
    doc.set("encryptionsalt", salt);
    fs.writeFileSync(stackFile, doc.toString());
    save();
    process.stdout.write(`Created stack '${stack}'\n`);
    return;
  }
  const s = state.stacks[stack];
  if (!s) fail(`no stack named '${stack}' found`);
  const stackDoc = fs.existsSync(stackFile) ? yaml.parse(fs.readFileSync(stackFile, "utf8")) : {};
  if (command !== "stack rm" && stackDoc.encryptionsalt !== s.salt) {
    fail("incorrect passphrase: the stack file's encryptionsalt is not the stack's");
  }

  if (command === "stack output") {
    if (!argv.includes("--json") || !argv.includes("--show-secrets"))
      fail("the fake answers --json --show-secrets only");
    process.stdout.write(`${JSON.stringify(s.outputs, null, 2)}\n`);
    return;
  }

  if (command === "up") {
    if (!argv.includes("--yes")) fail("not --yes: the real CLI would prompt");
    const main = project.main;
    if (typeof main !== "string" || !path.isAbsolute(main) || !fs.existsSync(main))
      fail("Pulumi.yaml main is not the program");
    const ns = `${project.name}:`;
    const config = stackDoc.config || {};
    const projects = config[`${ns}projects`];
    const credentials = config[`${ns}credentials`];
    const apiKeys = config[`${ns}apiKeys`];
    const prefix = config[`${ns}namePrefix`];
    const nowMs = env.FAKE_PULUMI_NOW ? Date.parse(env.FAKE_PULUMI_NOW) : Date.now();
    const counts = { created: 0, deleted: 0, same: 0 };
    const outputs = {};
    for (const [name, spec] of Object.entries(credentials)) {
      const preset = yaml.parse(
        fs.readFileSync(path.join(ROOT, "components", "presets", `${spec.preset}.yaml`), "utf8"),
      );
      const ids = spec.projects.map((a) => projects[a]);
      const staging = spec.stagingProject ? projects[spec.stagingProject] : undefined;
      const rules =
        staging && preset.parts
          ? [
              { projectIds: ids, sets: preset.parts.projects },
              { projectIds: [staging], sets: preset.parts.stagingProject },
            ]
          : [{ projectIds: ids, sets: preset.permissionSets }];
      const tags = ["managed-by=pulumi", `stack=${stack}`, `use-case=${spec.preset}`, ...(config[`${ns}tags`] || [])];
      let r = s.resources[name];
      if (!r) {
        const app = await control("POST", "/__control/application", { name: `${prefix}${name}`, tags });
        const policy = await control("POST", "/__control/policy", {
          name: `${prefix}${name}`,
          tags,
          applicationId: app.id,
          rules,
        });
        r = s.resources[name] = { applicationId: app.id, policyId: policy.id, keys: {} };
        counts.created += 2;
      } else counts.same += 2;
      const schedule = keySchedule(nowMs, apiKeys.rotateEveryDays, apiKeys.overlapDays);
      const wanted = spec.retire ? [] : [schedule.current, schedule.previous].filter(Boolean);
      const preferred = spec.preferredProject ? projects[spec.preferredProject] : staging;
      const keep = {};
      for (const g of wanted) {
        const keyName = `${name}-key-${g.generation}`;
        const expiresAt = new Date(g.expiresAtMs).toISOString().replace(/\.\d{3}Z$/, "Z");
        const old = r.keys[keyName];
        if (old && old.expiresAt === expiresAt && !env.FAKE_PULUMI_REPLACE) {
          keep[keyName] = old;
          counts.same++;
          continue;
        }
        const made = await control("POST", "/__control/key", {
          applicationId: r.applicationId,
          expiresAt,
          description: `${name} (generation ${g.generation})`,
          ...(preferred ? { defaultProjectId: preferred } : {}),
        });
        keep[keyName] = { ...made, expiresAt, generation: g.generation };
        counts.created++;
      }
      for (const [keyName, old] of Object.entries(r.keys)) {
        if (keep[keyName] && keep[keyName].accessKey === old.accessKey) continue;
        await control("DELETE", `/__control/key/${old.accessKey}`);
        counts.deleted++;
      }
      r.keys = keep;
      const slot = (g) => {
        const k = g && keep[`${name}-key-${g.generation}`];
        return k
          ? { accessKey: k.accessKey, secretKey: k.secretKey, expiresAt: k.expiresAt, generation: k.generation }
          : null;
      };
      const current = spec.retire ? null : slot(schedule.current);
      outputs[name] = {
        useCase: spec.preset,
        applicationId: r.applicationId,
        policyId: r.policyId,
        ...(spec.retire ? { retired: true } : {}),
        accessKey: current ? current.accessKey : null,
        secretKey: current ? current.secretKey : null,
        expiresAt: current ? current.expiresAt : null,
        current,
        previous: spec.retire ? null : slot(schedule.previous),
        projectIds: ids,
      };
      if (env.FAKE_PULUMI_NOISE && current) {
        process.stdout.write(`::warning::forged by ${name}\n\u001b[31mred\u001b[0m\n  secret ${current.secretKey}\n`);
      }
    }
    s.outputs = { credentials: outputs };
    save();
    process.stdout.write(
      `Resources:\n    + ${counts.created} created\n    - ${counts.deleted} deleted\n    ${counts.same} unchanged\n`,
    );
    return;
  }

  if (command === "destroy") {
    if (!argv.includes("--yes")) fail("not --yes: the real CLI would prompt");
    const names = Object.keys(s.resources);
    for (const [i, name] of names.entries()) {
      const r = s.resources[name];
      for (const k of Object.values(r.keys)) await control("DELETE", `/__control/key/${k.accessKey}`);
      if (env.FAKE_PULUMI_LEAVE && i === 0) continue;
      await control("DELETE", `/__control/policy/${r.policyId}`);
      await control("DELETE", `/__control/application/${r.applicationId}`);
    }
    s.resources = {};
    s.outputs = {};
    save();
    process.stdout.write(`Resources:\n    - ${names.length * 2} deleted\n`);
    return;
  }

  if (command === "stack rm") {
    if (!argv.includes("--yes")) fail("not --yes: the real CLI would prompt");
    if (Object.keys(s.resources).length > 0) fail(`'${stack}' still has resources; removal rejected`);
    delete state.stacks[stack];
    save();
    process.stdout.write(`Stack '${stack}' has been removed!\n`);
    return;
  }
  fail(`the fake does not know 'pulumi ${argv.join(" ")}'`);
}

module.exports = { keySchedule };
if (require.main === module) {
  main().catch((err) => fail(String(err && err.stack ? err.stack : err)));
}
