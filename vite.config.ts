import { fileURLToPath } from 'node:url';
import react from '@vitejs/plugin-react';
import { defineConfig } from 'vite';

const root = fileURLToPath(new URL('./src/renderer', import.meta.url));
const outDir = fileURLToPath(new URL('./dist/renderer', import.meta.url));

/**
 * The renderer build. `base: './'` keeps every URL relative, so the same files load from the Electron shell's
 * custom protocol and from the e2e test server. Vite emits the script and the CSS as files (never inline), which
 * the strict CSP in index.html (script-src 'self'; style-src 'self') requires.
 */
export default defineConfig({
  root,
  base: './',
  plugins: [react()],
  build: {
    outDir,
    emptyOutDir: true,
    sourcemap: true,
    target: 'chrome140',
    // No inline data: URLs for assets: everything the page loads is a file from 'self'.
    assetsInlineLimit: 0,
    modulePreload: { polyfill: false },
  },
});
