/**
 * Runs in the page before the renderer (page.addInitScript), bundled by global setup: builds `window.passkeyDesk`
 * with the same buildApi the preload uses, over a Playwright binding to the real services in the test process.
 */
import { buildApi } from '../../src/shared/contract/api';
import type { ChannelName, ProgressEvent } from '../../src/shared/contract';
import type { Result } from '../../src/shared/result';

interface BridgeScope {
  /** Answers with the Result as a JSON string (see bridgeInvoke in desk-services.ts). */
  __passkeyDeskInvoke?: (channel: ChannelName, request: unknown) => Promise<string>;
  /**
   * The folder the test says dropped files come from (set by the fixture's init script, before this one). It is the
   * test's stand-in for the OS: in Electron, webUtils.getPathForFile knows where a dragged file lives on disk.
   */
  __passkeyDeskDropFolder?: string;
}

const scope = globalThis as unknown as BridgeScope;

/**
 * A model of webUtils.getPathForFile: a File the user dragged in has a path (here: the drop folder plus its name),
 * anything else has none (Electron answers "" for a File made in the page; the API says null). The contents are
 * never read.
 */
function pathForFile(file: object): string | null {
  const folder = scope.__passkeyDeskDropFolder;
  if (!(file instanceof File) || !folder || file.name === '' || /[\\/]/.test(file.name)) return null;
  return `${folder.replace(/\/+$/, '')}/${file.name}`;
}

/**
 * Progress events (plans being applied): the fixture forwards the services' onProgress by calling
 * `__passkeyDeskProgress(event)` in the page, the stand-in for the preload's `progress` IPC event. Listeners get
 * the event only, and an unsubscribe, as from the preload.
 */
const progressListeners = new Set<(event: ProgressEvent) => void>();
function subscribeProgress(listener: (event: ProgressEvent) => void): () => void {
  progressListeners.add(listener);
  return () => {
    progressListeners.delete(listener);
  };
}
Object.defineProperty(globalThis, '__passkeyDeskProgress', {
  value: (event: ProgressEvent) => {
    for (const listener of [...progressListeners]) listener(event);
  },
  enumerable: false,
  configurable: false,
  writable: false,
});

const api = buildApi(
  (channel, request) => {
    const invoke = scope.__passkeyDeskInvoke;
    if (!invoke) return Promise.reject(new Error('The e2e bridge binding __passkeyDeskInvoke is missing.'));
    return invoke(channel, request).then((json) => JSON.parse(json) as Result<unknown>);
  },
  subscribeProgress,
  pathForFile,
);

Object.defineProperty(globalThis, 'passkeyDesk', {
  value: api,
  enumerable: true,
  configurable: false,
  writable: false,
});
