import { contextBridge, ipcRenderer } from 'electron';
import type { IpcRendererEvent } from 'electron';
import { buildApi } from '../shared/contract/api';
import { EVENT_NAMES } from '../shared/contract';
import type { ChannelName, ProgressEvent } from '../shared/contract';
import type { Result } from '../shared/result';

/**
 * The sandboxed preload (bundled to one CommonJS file: a sandboxed preload cannot require our modules).
 * It exposes exactly one thing, `window.passkeyDesk`, built from the contract's channel names: no ipcRenderer,
 * no channel strings, no Electron event objects reach the page.
 */
const [PROGRESS] = EVENT_NAMES;

async function invoke(channel: ChannelName, request: unknown): Promise<Result<unknown>> {
  try {
    return (await ipcRenderer.invoke(channel, request)) as Result<unknown>;
  } catch (e) {
    // invoke itself rejects only when main has no handler or the payload cannot be cloned; keep errors as data.
    return {
      ok: false,
      error: {
        code: 'INTERNAL',
        message: `IPC failed for ${channel}: ${e instanceof Error ? e.message : String(e)}`,
      },
    };
  }
}

function subscribe(listener: (event: ProgressEvent) => void): () => void {
  // The Electron event (with its `sender`) is dropped: the page gets the payload only.
  const wrapped = (_event: IpcRendererEvent, progress: ProgressEvent) => listener(progress);
  ipcRenderer.on(PROGRESS, wrapped);
  return () => {
    ipcRenderer.removeListener(PROGRESS, wrapped);
  };
}

contextBridge.exposeInMainWorld('passkeyDesk', buildApi(invoke, subscribe));
