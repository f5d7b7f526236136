// Runs Electronegativity 1.10.3 (Doyensec's Electron security scanner) over the shell, offline, and fails on any
// finding but PRELOAD_JS_CHECK (a review note that a preload exists; ours is reviewed: it exposes only
// window.passkeyDesk, built from the IPC contract).
//
//   node scripts/electronegativity.mjs [--renderer <dir with the built index.html>]
//
// Scanned together, so the global checks (CSP, navigation limits, permission handler) see the whole app:
//   src/main/electron  the only code that touches Electron's APIs
//   src/preload        the sandboxed preload
//   src/renderer       the renderer's source (the built bundle is minified React: findings there are not ours)
//   <renderer>/*.html  the built index.html, whose <meta> CSP is what Electronegativity's CSP check reads
// Without a built renderer the CSP check cannot pass: the script builds it (`node scripts/build.mjs renderer`)
// and stops with a clear message if that fails.
//
// Why not `npx electronegativity`: its CLI calls commander 2's API but does not declare commander, so it picks up
// this project's commander 14 and crashes at start. The runner it wraps is called directly here. Its two network
// calls (translations from S3, Electron's release list from GitHub) are replaced by a stub that fails at once,
// which both fall back from, so the scan is offline and deterministic.
import { execFileSync } from 'node:child_process';
import { cpSync, existsSync, mkdtempSync, readFileSync, readdirSync, rmSync, statSync } from 'node:fs';
import { createRequire } from 'node:module';
import { tmpdir } from 'node:os';
import { dirname, join, relative, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

const ROOT = resolve(dirname(fileURLToPath(import.meta.url)), '..');
const ALLOWED = new Set(['PRELOAD_JS_CHECK']);

const args = process.argv.slice(2);
const rendererFlag = args.indexOf('--renderer');
const rendererDir =
  rendererFlag >= 0 && args[rendererFlag + 1]
    ? resolve(args[rendererFlag + 1])
    : join(ROOT, 'dist', 'renderer');

const require = createRequire(import.meta.url);
const engRoot = dirname(require.resolve('@doyensec/electronegativity/package.json'));
const electronVersion = JSON.parse(readFileSync(require.resolve('electron/package.json'), 'utf8')).version;

// --- offline: a `got` that fails at once, for Electronegativity's modules only ---------------------------------
const gotPath = createRequire(join(engRoot, 'dist', 'index.js')).resolve('got');
const offline = () => Promise.reject(new Error('electronegativity runs offline here'));
Object.assign(offline, {
  head: offline,
  get: offline,
  post: offline,
  stream: offline,
  extend: () => offline,
});
require.cache[gotPath] = {
  id: gotPath,
  filename: gotPath,
  loaded: true,
  exports: { __esModule: true, default: offline },
};

// --- the renderer's built HTML -----------------------------------------------------------------------------------
if (!existsSync(join(rendererDir, 'index.html'))) {
  if (rendererFlag >= 0) fail(`no index.html in ${rendererDir}`);
  console.log(
    'dist/renderer/index.html is missing: building the renderer (node scripts/build.mjs renderer)…',
  );
  try {
    execFileSync(process.execPath, [join(ROOT, 'scripts', 'build.mjs'), 'renderer'], {
      cwd: ROOT,
      stdio: 'inherit',
    });
  } catch {
    fail(
      'the renderer could not be built, so its CSP cannot be checked. Build it (node scripts/build.mjs renderer) and run this again.',
    );
  }
  if (!existsSync(join(rendererDir, 'index.html')))
    fail('the renderer build produced no dist/renderer/index.html');
}

// --- stage the inputs in one folder ---------------------------------------------------------------------------
const stage = mkdtempSync(join(tmpdir(), 'pkd-electronegativity-'));
const staged = [];
const copy = (from, to, filter = () => true) => {
  if (!existsSync(from)) return;
  cpSync(from, join(stage, to), {
    recursive: true,
    filter: (src) => statSync(src).isDirectory() || filter(src),
  });
  staged.push(`${relative(ROOT, from) || from} → ${to}`);
};
const sources = (src) => /\.(ts|tsx|js|mjs|cjs)$/.test(src) && !/\.d\.ts$/.test(src);
copy(join(ROOT, 'src', 'main', 'electron'), 'main-electron', sources);
copy(join(ROOT, 'src', 'preload'), 'preload', sources);
copy(join(ROOT, 'src', 'renderer'), 'renderer-src', sources);
for (const name of readdirSync(rendererDir).filter((n) => n.endsWith('.html')))
  copy(join(rendererDir, name), join('renderer-html', name));

let result;
try {
  const run = require(join(engRoot, 'dist', 'runner.js'));
  const quiet = console.log;
  console.log = () => {}; // the runner prints its offline fallback notices; our report follows
  try {
    result = await run({
      input: stage,
      customScan: [],
      excludeFromScan: [],
      isRelative: true,
      isVerbose: true,
      electronVersionOverride: electronVersion,
      parserPlugins: [],
    });
  } finally {
    console.log = quiet;
  }
  for (const issue of result.issues) {
    const lines =
      issue.file && existsSync(join(stage, issue.file))
        ? readFileSync(join(stage, issue.file), 'utf8').split('\n')
        : [];
    issue.lineText = lines[(issue.location?.line ?? 0) - 1] ?? '';
  }
} finally {
  rmSync(stage, { recursive: true, force: true });
}

// --- report -------------------------------------------------------------------------------------------------------
console.log(
  `Electronegativity ${JSON.parse(readFileSync(join(engRoot, 'package.json'), 'utf8')).version} (Electron ${electronVersion}): ${result.globalChecks} global and ${result.atomicChecks} atomic checks over`,
);
for (const line of staged) console.log(`  ${line}`);
const unparsed = result.errors.filter((e) => !e.tolerable);
for (const e of result.errors)
  console.log(
    `${e.tolerable ? 'warning' : 'ERROR'}: could not fully parse ${relative(stage, e.file)}: ${e.message}`,
  );
const describe = (i) =>
  `${i.id} ${i.severity?.name ?? ''}/${i.confidence?.name ?? ''} ${i.file}:${i.location?.line ?? 0} — ${String(i.description).split('\n')[0]}`;
const accepted = (i) => ALLOWED.has(i.id);
const reviewed = result.issues.filter(accepted);
const findings = result.issues.filter((i) => !accepted(i));
for (const i of reviewed) console.log(`reviewed: ${describe(i)}`);
for (const i of findings) console.log(`FINDING:  ${describe(i)}`);
if (findings.length > 0 || unparsed.length > 0) {
  console.error(
    `\nelectronegativity: ${findings.length} finding(s) and ${unparsed.length} unparsed file(s); expected none but ${[...ALLOWED].join(', ')}.`,
  );
  process.exit(1);
}
console.log(
  `\nelectronegativity: clean (${reviewed.length} reviewed note${reviewed.length === 1 ? '' : 's'}, listed above).`,
);

function fail(message) {
  console.error(`electronegativity: ${message}`);
  process.exit(2);
}
