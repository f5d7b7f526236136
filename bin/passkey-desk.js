#!/usr/bin/env node
// The passkey-desk command: runs the bundled CLI (built by `npm run build`, which `npm ci` runs via `prepare`).
import { existsSync } from 'node:fs';
import { fileURLToPath } from 'node:url';

const bundle = fileURLToPath(new URL('../dist/cli/main.js', import.meta.url));
if (!existsSync(bundle)) {
  process.stderr.write(
    'passkey-desk: the CLI is not built yet. Run `npm run build` in the project folder first.\n',
  );
  process.exit(70);
}
await import(bundle);
