import { ipcMain } from 'electron';
import type { IpcMainInvokeEvent } from 'electron';
import { CHANNEL_NAMES, EVENT_NAMES } from '../../shared/contract';
import type { Handlers, ProgressEvent } from '../../shared/contract';
import { createDispatch, createSenderCheck } from '../ipc/dispatch';
import type { SenderInfo } from '../ipc/dispatch';
import { ourWebContentsIds, ourWindows } from './window';

/**
 * The one IPC hub: one `ipcMain.handle` per contract channel, each a thin adapter over the plain-Node dispatch
 * (sender check, payload validation, handler, Result envelope), which is where the logic and its tests live.
 * Returns a function that removes the handlers (for a clean quit).
 */
export function registerIpcHub(handlers: Handlers): () => void {
  const dispatch = createDispatch({ handlers, isTrustedSender: createSenderCheck(ourWebContentsIds) });
  for (const name of CHANNEL_NAMES) {
    ipcMain.handle(name, (event, payload: unknown) => dispatch(name, senderOf(event), payload));
  }
  return () => {
    for (const name of CHANNEL_NAMES) ipcMain.removeHandler(name);
  };
}

function senderOf(event: IpcMainInvokeEvent): SenderInfo {
  // senderFrame is null once the frame navigated away or was destroyed: the check then refuses the request.
  const frame = event.senderFrame;
  return {
    webContentsId: event.sender.id,
    frameUrl: frame?.url ?? null,
    isMainFrame: frame !== null && frame.parent === null,
  };
}

const [PROGRESS] = EVENT_NAMES;

/** Pushes a progress event to our windows only (never to a webContents we did not create). */
export function broadcastProgress(progress: ProgressEvent): void {
  for (const win of ourWindows()) win.webContents.send(PROGRESS, progress);
}
