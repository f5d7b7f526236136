import { app, BrowserWindow } from 'electron';
import { APP_ENTRY_URL } from '../ipc/app-origin';

/** webContents ids of the windows this app created: the IPC hub trusts these and nothing else. */
const ours = new Set<number>();
export const ourWebContentsIds: ReadonlySet<number> = ours;

/** Every live window of ours (for progress events). */
export function ourWindows(): BrowserWindow[] {
  return BrowserWindow.getAllWindows().filter((w) => !w.isDestroyed() && ours.has(w.webContents.id));
}

/**
 * The one window factory. Every option below is the secure value written out, even where it is Electron's
 * default, so a reader (and Electronegativity) sees the whole policy in one place and a changed default upstream
 * cannot loosen it. `enableBlinkFeatures` is left out on purpose: Electron enables none by default, and the key's
 * mere presence is what a reviewer would have to check.
 */
export function createMainWindow(options: { preloadPath: string }): BrowserWindow {
  const win = new BrowserWindow({
    width: 1180,
    height: 780,
    minWidth: 760,
    minHeight: 520,
    title: 'Passkey Desk',
    show: false,
    webPreferences: {
      preload: options.preloadPath,
      contextIsolation: true,
      sandbox: true,
      nodeIntegration: false,
      nodeIntegrationInWorker: false,
      nodeIntegrationInSubFrames: false,
      webSecurity: true,
      allowRunningInsecureContent: false,
      experimentalFeatures: false,
      disableBlinkFeatures: 'Auxclick',
      webviewTag: false,
      navigateOnDragDrop: false,
      spellcheck: false,
      safeDialogs: true,
      enableWebSQL: false,
      disableDialogs: false,
      // DevTools in development only: in the packaged app they would hand anyone at the keyboard a console
      // next to window.passkeyDesk.
      devTools: !app.isPackaged,
    },
  });
  const id = win.webContents.id;
  ours.add(id);
  // `win.webContents` is unusable once destroyed, hence the id captured above.
  win.webContents.once('destroyed', () => ours.delete(id));
  win.once('ready-to-show', () => win.show());
  win.loadURL(APP_ENTRY_URL).catch((e: unknown) => {
    // A failed load leaves an empty window; say why on stderr rather than as an unhandled rejection.
    console.error(
      `Passkey Desk could not load ${APP_ENTRY_URL}: ${e instanceof Error ? e.message : String(e)}`,
    );
  });
  return win;
}
