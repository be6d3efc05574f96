// Runs a program the way Pulumi's Node language host does, with Pulumi's own program runner (@pulumi/pulumi
// cmd/run: index.js parses the host's flags, run.js requires the program and installs the uncaught exception and
// rejection handlers that log each distinct error once, a RunError without its stack), against the mock monitor of
// `pulumi.runtime.setMocks` instead of an engine. `node harness.js <program.js>`: what the runner logs goes to
// stderr, the registered resources to stdout, and the exit code is the runner's.
"use strict";
const pulumi = require("@pulumi/pulumi");
const registered = [];
pulumi.runtime.setMocks(
  {
    newResource(args) {
      registered.push(args.name);
      return { id: `${args.name}-id`, state: args.inputs };
    },
    call() {
      throw new Error("unexpected invoke");
    },
  },
  "runner",
  "dev",
  false,
);
process.on("exit", () => process.stdout.write(JSON.stringify({ registered })));
// The host's command line: the monitor's address is required, though the mocks stand in for it.
process.argv = [process.argv[0], require.resolve("@pulumi/pulumi/cmd/run"), "--monitor=mocked", process.argv[2]];
require("@pulumi/pulumi/cmd/run");
