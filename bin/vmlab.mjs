#!/usr/bin/env node
// The `vmlab` command: runs the CLI bundle that `npm install` builds into out/main.
import { existsSync } from 'node:fs';
import { fileURLToPath } from 'node:url';

const bundle = new URL('../out/main/cli.js', import.meta.url);
if (!existsSync(fileURLToPath(bundle))) {
  process.stderr.write(
    "vmlab: the app is not built yet; run 'npm run build' in the vmlab folder\n",
  );
  process.exit(1);
}
const { main } = await import(bundle.href);
process.exitCode = await main(process.argv.slice(2));
