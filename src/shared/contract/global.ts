import type { PasskeyDeskApi } from './index';

/**
 * The type of `window.passkeyDesk` for the renderer: the preload exposes it (src/preload/index.ts), the renderer
 * e2e bridge provides the same API. Optional because a page opened without either (a plain browser) has none, and
 * the UI should say so rather than crash. Declared exactly as src/renderer/api.ts does, so the two merge.
 */
declare global {
  interface Window {
    readonly passkeyDesk?: PasskeyDeskApi;
  }
}

export {};
