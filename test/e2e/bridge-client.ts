/**
 * Runs in the page before the renderer (page.addInitScript), bundled by global setup: builds `window.passkeyDesk`
 * with the same buildApi the preload uses, over a Playwright binding to the real services in the test process.
 */
import { buildApi } from '../../src/shared/contract/api';
import type { ChannelName } from '../../src/shared/contract';
import type { Result } from '../../src/shared/result';

interface BridgeScope {
  /** Answers with the Result as a JSON string (see bridgeInvoke in desk-services.ts). */
  __passkeyDeskInvoke?: (channel: ChannelName, request: unknown) => Promise<string>;
}

const scope = globalThis as unknown as BridgeScope;

const api = buildApi(
  (channel, request) => {
    const invoke = scope.__passkeyDeskInvoke;
    if (!invoke) return Promise.reject(new Error('The e2e bridge binding __passkeyDeskInvoke is missing.'));
    return invoke(channel, request).then((json) => JSON.parse(json) as Result<unknown>);
  },
  // The services push no events over this bridge yet; the unsubscribe is a no-op.
  () => () => undefined,
);

Object.defineProperty(globalThis, 'passkeyDesk', {
  value: api,
  enumerable: true,
  configurable: false,
  writable: false,
});
