/**
 * The component package's entry point (package.json "main"): what `pulumi package add` and the engine start to
 * serve PlakarCredential to Python, Go, C# and YAML programs. Pulumi's plugin host requires this package's
 * directory, so it loads this file (through ts-node, straight from the source) and this file serves the provider.
 * Libraries importing the package get components/index.ts instead (package.json "exports"), which creates nothing.
 */
import { main } from "@pulumi/pulumi/provider";
import { PlakarComponentProvider } from "./provider";

void main(new PlakarComponentProvider(), process.argv.slice(2));
