// Builds the Node-side bundles with esbuild and the renderer with Vite.
//   dist/main/electron.js  Electron main process (ESM)       dist/preload/index.cjs  sandboxed preload (CJS, one file)
//   dist/cli/main.js       the passkey-desk CLI (ESM)        dist/renderer/          the React renderer
// Native N-API modules stay external: they load from node_modules at run time (and asarUnpack in the app).
import { build } from 'esbuild';
import { build as viteBuild } from 'vite';

const only = process.argv[2]; // optional: main | preload | cli | renderer
const external = ['electron', '@napi-rs/keyring', 'koffi', 'node-hid', 'libsql', 'cbor-extract', 'pg-native'];
const common = {
  bundle: true,
  platform: 'node',
  target: 'node20',
  sourcemap: true,
  logLevel: 'warning',
  external,
  legalComments: 'none',
};
// ESM bundles that include CommonJS dependencies need `require`.
const esmBanner = {
  js: "import { createRequire as __pkdCreateRequire } from 'node:module'; const require = __pkdCreateRequire(import.meta.url);",
};

const jobs = {
  main: () =>
    build({
      ...common,
      entryPoints: ['src/main/electron/main.ts'],
      outfile: 'dist/main/electron.js',
      format: 'esm',
      banner: esmBanner,
    }),
  preload: () =>
    build({
      ...common,
      entryPoints: ['src/preload/index.ts'],
      outfile: 'dist/preload/index.cjs',
      format: 'cjs',
      platform: 'node',
    }),
  cli: () =>
    build({
      ...common,
      entryPoints: ['src/cli/main.ts'],
      outfile: 'dist/cli/main.js',
      format: 'esm',
      banner: esmBanner,
      minifySyntax: true,
    }),
  renderer: () => viteBuild({ configFile: 'vite.config.ts', logLevel: 'warn' }),
};

const selected = only ? [only] : Object.keys(jobs);
for (const name of selected) {
  if (!jobs[name])
    throw new Error(`unknown build target ${name}; expected one of ${Object.keys(jobs).join(', ')}`);
}
await Promise.all(selected.map((name) => jobs[name]()));
