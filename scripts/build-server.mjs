// Bundles the reference relying-party server (src/server/main.ts) into dist/server/main.js, so that
// `npm run server` runs plain Node: no tsx loader thread, no transpiling at start-up, less resident memory.
// The static pages the server serves are copied next to the bundle (dist/server/pages/); the bundle finds them
// through SERVER_PAGES_DIR, defined here, while the sources under tsx use src/server/pages/.
// Native modules (libsql and its platform packages, cbor-extract, pg-native) stay external and load from
// node_modules at run time.
import { cpSync, mkdirSync, rmSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { build } from 'esbuild';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
const outdir = join(root, 'dist', 'server');

rmSync(outdir, { recursive: true, force: true });
mkdirSync(outdir, { recursive: true });

await build({
  entryPoints: [join(root, 'src/server/main.ts')],
  outfile: join(outdir, 'main.js'),
  bundle: true,
  platform: 'node',
  format: 'esm',
  target: 'node20',
  sourcemap: true,
  logLevel: 'warning',
  legalComments: 'none',
  // No comments and no indentation: the source V8 keeps is a third the size, and ASCII (a single non-ASCII
  // character in a comment made V8 hold the whole 4 MB source as two-byte text). Names stay unmangled, so stack
  // traces stay readable; the source map maps them back.
  minifyWhitespace: true,
  minifySyntax: true,
  external: ['libsql', '@libsql/*', 'cbor-extract', 'pg-native'],
  // The bundle is ESM, but several dependencies (fastify, pg, libsql's loader) are CommonJS and call require().
  banner: {
    js: "import { createRequire as __pkdCreateRequire } from 'node:module'; const require = __pkdCreateRequire(import.meta.url);",
  },
  // Relative to the bundle's own URL: dist/server/pages/.
  define: { SERVER_PAGES_DIR: JSON.stringify('./pages/') },
});

cpSync(join(root, 'src/server/pages'), join(outdir, 'pages'), { recursive: true });
