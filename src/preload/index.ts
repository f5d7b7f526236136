import { contextBridge, ipcRenderer, webUtils } from 'electron';
import type { IpcRendererEvent } from 'electron';
import { buildApi } from '../shared/contract/api';
import { EVENT_NAMES } from '../shared/contract';
import type { ChannelName, ProgressEvent } from '../shared/contract';
import type { Result } from '../shared/result';

/**
 * The sandboxed preload (bundled to one CommonJS file: a sandboxed preload cannot require our modules).
 * It exposes exactly one thing, `window.passkeyDesk`, built from the contract's channel names: no ipcRenderer,
 * no channel strings, no Electron event objects reach the page. Besides the channels it has one function,
 * `pathForFile`, for drag-and-drop imports: the page hands over a dropped File and gets its path, so main reads
 * the export and its private keys never pass through the renderer.
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

/** webUtils.getPathForFile answers "" for a File that is not on disk (made in the page); null says so plainly. */
function pathForFile(file: object): string | null {
  try {
    const path = webUtils.getPathForFile(file as File);
    return path === '' ? null : path;
  } catch {
    // Not a File (the page passed something else): there is no path to give.
    return null;
  }
}

contextBridge.exposeInMainWorld('passkeyDesk', buildApi(invoke, subscribe, pathForFile));
