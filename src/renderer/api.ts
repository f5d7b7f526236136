import type { PasskeyDeskApi } from '../shared/contract';

declare global {
  interface Window {
    /** Built by the preload (Electron) or the e2e bridge from the same contract; absent in a plain browser tab. */
    readonly passkeyDesk?: PasskeyDeskApi;
  }
}

/** The one way the renderer reaches the privileged side. Null when the page runs outside a Passkey Desk shell. */
export function getApi(): PasskeyDeskApi | null {
  return window.passkeyDesk ?? null;
}

export function api(): PasskeyDeskApi {
  const found = getApi();
  if (!found) throw new Error('window.passkeyDesk is missing: this page must run inside Passkey Desk.');
  return found;
}
