// Checks electron-builder.yml offline: a `--linux dir` build against a stand-in Electron (no Electron binary can
// be downloaded here), then the packaged layout is inspected.
//
//   node scripts/check-packaging.mjs
//
// What this proves: the config passes electron-builder 26's schema; `files` ships the built app and nothing else
// (no source maps, sources, CLI or reference server, no server-only dependencies); the N-API modules are unpacked
// next to app.asar, and every package the main bundle imports resolves and loads from the packaged layout.
// What it cannot prove: anything about the real Electron binary (fuses, code signing, deb/AppImage, which need
// downloads). The stand-in lives in a temp folder and is never committed.
import { execFileSync } from 'node:child_process';
import { chmodSync, existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { builtinModules, createRequire } from 'node:module';
import { tmpdir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

const ROOT = resolve(dirname(fileURLToPath(import.meta.url)), '..');
const require = createRequire(import.meta.url);
const asar = require('@electron/asar');
const fuses = require('@electron/fuses');
const electronVersion = JSON.parse(readFileSync(require.resolve('electron/package.json'), 'utf8')).version;
const problems = [];
const check = (ok, message) => {
  console.log(`${ok ? 'ok  ' : 'FAIL'} ${message}`);
  if (!ok) problems.push(message);
};

for (const [target, file] of [
  ['main', 'dist/main/electron.js'],
  ['preload', 'dist/preload/index.cjs'],
  ['renderer', 'dist/renderer/index.html'],
]) {
  if (!existsSync(join(ROOT, file)))
    execFileSync(process.execPath, ['scripts/build.mjs', target], { cwd: ROOT, stdio: 'inherit' });
}

const work = mkdtempSync(join(tmpdir(), 'pkd-packaging-'));
try {
  // The stand-in Electron: the four files electron-builder copies and reads (version, licences, the executable).
  const dist = join(work, 'electron-dist');
  mkdirSync(dist);
  // It carries a fuse wire in Electron's format (sentinel, version 1, length 8, Electron's default states), so
  // electron-builder's @electron/fuses step runs on it and the flipped wire can be read back below.
  writeFileSync(
    join(dist, 'electron'),
    Buffer.concat([
      Buffer.from('#!/bin/sh\necho "stand-in for the Electron binary (packaging check only)" >&2\nexit 1\n'),
      Buffer.from(fuses.SENTINEL ?? 'dL7pKGdnNz796PbbjQWNKmHXBZaB9tsX'),
      Buffer.from([1, 8]),
      Buffer.from('10110001'),
      Buffer.from('\n'),
    ]),
  );
  chmodSync(join(dist, 'electron'), 0o755);
  writeFileSync(join(dist, 'version'), electronVersion);
  writeFileSync(join(dist, 'LICENSE'), 'stand-in');
  writeFileSync(join(dist, 'LICENSES.chromium.html'), '<p>stand-in</p>');
  const out = join(work, 'out');

  const cli = join(dirname(require.resolve('electron-builder/package.json')), 'cli.js');
  execFileSync(
    process.execPath,
    [
      cli,
      '--linux',
      'dir',
      '--config',
      'electron-builder.yml',
      `-c.electronDist=${dist}`,
      `-c.electronVersion=${electronVersion}`,
      `-c.directories.output=${out}`,
    ],
    {
      cwd: ROOT,
      stdio: 'inherit',
      env: { ...process.env, CSC_IDENTITY_AUTO_DISCOVERY: 'false', ELECTRON_BUILDER_OFFLINE: 'true' },
    },
  );

  const resources = join(out, 'linux-unpacked', 'resources');
  const archive = join(resources, 'app.asar');
  check(existsSync(archive), 'resources/app.asar exists (asar: true)');
  const files = asar
    .listPackage(archive, { isPack: false })
    .map((f) => f.replaceAll('\\', '/').replace(/^\//, ''));
  for (const needed of [
    'package.json',
    'dist/main/electron.js',
    'dist/preload/index.cjs',
    'dist/renderer/index.html',
  ])
    check(files.includes(needed), `app.asar holds ${needed}`);
  const forbidden = [
    [/\.map$/, 'source maps'],
    [/^src\//, 'sources'],
    [/^dist\/(server|cli)\//, 'the reference server or the CLI bundle'],
    [
      /^node_modules\/(fastify|@fastify|pg|kysely|@simplewebauthn|commander|react|react-dom|zod|electron)\//,
      'dependencies the main bundle already contains or the app never loads',
    ],
    [/^(test|bench|scripts|docs|build)\//, 'repository folders'],
  ];
  for (const [pattern, what] of forbidden) {
    const hits = files.filter((f) => pattern.test(f));
    check(
      hits.length === 0,
      `no ${what} in app.asar${hits.length ? ` (found ${hits.slice(0, 3).join(', ')}…)` : ''}`,
    );
  }

  // Extract asar + unpacked side by side, as Electron sees them, and load what the main bundle imports.
  const extracted = join(work, 'app');
  asar.extractAll(archive, extracted);
  const nodeFiles = files.filter((f) => f.endsWith('.node'));
  for (const f of nodeFiles)
    check(existsSync(join(resources, 'app.asar.unpacked', f)), `native ${f} is unpacked`);
  check(nodeFiles.length > 0, `${nodeFiles.length} native .node files shipped`);

  const bundle = readFileSync(join(extracted, 'dist/main/electron.js'), 'utf8');
  const builtins = new Set(builtinModules.flatMap((m) => [m, `node:${m}`]));
  const specifiers = new Set(
    [...bundle.matchAll(/(?:\bfrom\s*|\bimport\s*\(\s*|\brequire\s*\(\s*)["']([^"'./][^"']*)["']/g)]
      .map((m) => m[1])
      .filter((s) => !builtins.has(s) && s !== 'electron'),
  );
  const fromMain = createRequire(join(extracted, 'dist/main/electron.js'));
  for (const specifier of [...specifiers].sort()) {
    if (specifier === 'cbor-extract') {
      // Optional accelerator of cbor-x, which falls back to JavaScript without it; not shipped.
      check(true, `${specifier}: optional, not shipped (cbor-x falls back to JavaScript)`);
      continue;
    }
    try {
      fromMain(specifier);
      check(true, `${specifier} resolves and loads from the packaged app`);
    } catch (e) {
      check(false, `${specifier} does not load from the packaged app: ${String(e.message).split('\n')[0]}`);
    }
  }
  // The fuses electron-builder.yml asks for, read back from the flipped stand-in (48 = '0' off, 49 = '1' on).
  const wire = await fuses.getCurrentFuseWire(join(out, 'linux-unpacked', 'passkey-desk'));
  const expected = {
    RunAsNode: false,
    EnableCookieEncryption: true,
    EnableNodeOptionsEnvironmentVariable: false,
    EnableNodeCliInspectArguments: false,
    EnableEmbeddedAsarIntegrityValidation: true,
    OnlyLoadAppFromAsar: true,
    LoadBrowserProcessSpecificV8Snapshot: false,
    GrantFileProtocolExtraPrivileges: false,
  };
  for (const [name, on] of Object.entries(expected)) {
    const actual = wire[fuses.FuseV1Options[name]];
    check(
      actual === (on ? 49 : 48),
      `fuse ${name} is ${on ? 'on' : 'off'}${actual === (on ? 49 : 48) ? '' : ` (found ${actual})`}`,
    );
  }
  const pkg = JSON.parse(readFileSync(join(extracted, 'package.json'), 'utf8'));
  check(pkg.main === 'dist/main/electron.js', `package.json main is ${pkg.main}`);
} finally {
  rmSync(work, { recursive: true, force: true });
}

if (problems.length) {
  console.error(`\ncheck-packaging: ${problems.length} problem(s).`);
  process.exit(1);
}
console.log(
  '\ncheck-packaging: the packaged layout is as configured (stand-in Electron: the binary itself was not checked).',
);
