import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import react from '@vitejs/plugin-react';
import { defineConfig } from 'vite';
import type { Plugin } from 'vite';
import { hardenRendererHtml } from './src/main/csp.ts';

const root = fileURLToPath(new URL('./src/renderer', import.meta.url));
const outDir = fileURLToPath(new URL('./dist/renderer', import.meta.url));

/**
 * After the bundle is written: give the entry script an `integrity` attribute and write the matching hash-based
 * CSP into index.html (src/main/csp.ts). The Electron protocol and the e2e server serve the same policy as a
 * header, recomputed from the files, and refuse to serve a page whose script no longer matches.
 */
function hashBasedCsp(): Plugin {
  return {
    name: 'passkey-desk-csp',
    apply: 'build',
    closeBundle() {
      const file = join(outDir, 'index.html');
      writeFileSync(
        file,
        hardenRendererHtml(readFileSync(file, 'utf8'), (src) => readFileSync(join(outDir, src))),
      );
    },
  };
}

/**
 * The renderer build. `base: './'` keeps every URL relative, so the same files load from the Electron shell's
 * custom protocol and from the e2e test server. Vite emits the script and the CSS as files (never inline), which
 * the strict CSP requires. One entry file and no code splitting: the CSP names the entry script by hash, and a
 * chunk it imported would be blocked.
 */
export default defineConfig({
  root,
  base: './',
  plugins: [react(), hashBasedCsp()],
  build: {
    outDir,
    emptyOutDir: true,
    sourcemap: true,
    target: 'chrome140',
    // No inline data: URLs for assets: everything the page loads is a file from 'self'.
    assetsInlineLimit: 0,
    modulePreload: { polyfill: false },
    rolldownOptions: { output: { codeSplitting: false } },
  },
});
