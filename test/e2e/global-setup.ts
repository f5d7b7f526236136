import { execFileSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { build } from 'esbuild';

const root = fileURLToPath(new URL('../..', import.meta.url));

/** Set by global setup for the workers: the bundled page-side bridge (an init script cannot import TS modules). */
export const BRIDGE_CLIENT_ENV = 'PASSKEY_DESK_E2E_BRIDGE_CLIENT';
/** Set by global setup for the workers: the bundled services side of the bridge (test/e2e/desk-services.ts). */
export const DESK_SERVICES_ENV = 'PASSKEY_DESK_E2E_DESK_SERVICES';

// Native modules load from node_modules at run time, as in scripts/build.mjs.
const EXTERNAL = ['electron', '@napi-rs/keyring', 'koffi', 'node-hid', 'libsql', 'cbor-extract', 'pg-native'];

/** Builds the renderer exactly as the app ships it, and the bridge client the page runs before it. */
export default async function globalSetup(): Promise<() => void> {
  execFileSync(process.execPath, ['scripts/build.mjs', 'renderer'], { cwd: root, stdio: 'inherit' });
  const outfile = join(mkdtempSync(join(tmpdir(), 'pkd-e2e-')), 'bridge-client.js');
  await build({
    entryPoints: [join(root, 'test/e2e/bridge-client.ts')],
    outfile,
    bundle: true,
    format: 'iife',
    platform: 'browser',
    target: 'chrome120',
    logLevel: 'warning',
  });
  process.env[BRIDGE_CLIENT_ENV] = outfile;

  // Two folders below the repository, so node_modules resolves and services.ts finds ../../package.json.
  const servicesDir = join(root, 'node_modules', '.passkey-desk-e2e');
  mkdirSync(servicesDir, { recursive: true });
  const servicesFile = join(servicesDir, `desk-services-${process.pid}.mjs`);
  await build({
    entryPoints: [join(root, 'test/e2e/desk-services.ts')],
    outfile: servicesFile,
    bundle: true,
    format: 'esm',
    platform: 'node',
    target: 'node20',
    external: EXTERNAL,
    logLevel: 'warning',
    banner: {
      js: "import { createRequire as __pkdCreateRequire } from 'node:module'; const require = __pkdCreateRequire(import.meta.url);",
    },
  });
  process.env[DESK_SERVICES_ENV] = servicesFile;

  // Playwright runs the returned function as the global teardown.
  return () => {
    rmSync(servicesFile, { force: true });
    rmSync(dirname(outfile), { recursive: true, force: true });
  };
}
