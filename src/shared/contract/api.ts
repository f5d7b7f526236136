import type { Result } from '../result';
import { CHANNEL_NAMES, splitChannel } from './index';
import type { ChannelName, PasskeyDeskApi, ProgressEvent } from './index';

/**
 * Builds `window.passkeyDesk` from the contract's channel names and one transport function. The preload passes
 * `ipcRenderer.invoke`; the renderer e2e bridge passes a Playwright binding to the real services. Nothing else
 * (no channel strings, no raw IPC) reaches the page. `pathForFile` is the one non-IPC member: a dropped file's
 * path on disk (Electron's `webUtils.getPathForFile`), so an import reads the file in main and its private keys
 * never pass through the renderer.
 */
export function buildApi(
  invoke: (channel: ChannelName, request: unknown) => Promise<Result<unknown>>,
  subscribe: (listener: (event: ProgressEvent) => void) => () => void,
  pathForFile: (file: object) => string | null,
): PasskeyDeskApi {
  const api: Record<string, Record<string, (request?: unknown) => Promise<Result<unknown>>>> = {};
  for (const name of CHANNEL_NAMES) {
    const [ns, method] = splitChannel(name);
    (api[ns] ??= {})[method] = (request?: unknown) => invoke(name, request ?? {});
  }
  for (const ns of Object.values(api)) Object.freeze(ns);
  return Object.freeze({ ...api, onProgress: subscribe, pathForFile }) as unknown as PasskeyDeskApi;
}
