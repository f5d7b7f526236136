import { fileURLToPath } from 'node:url';
import { app, dialog, session } from 'electron';
import type { BrowserWindow, Session } from 'electron';
import { createDefaultServices } from '../compose';
import type { ExternalLinkPolicy } from '../ipc/external-links';
import { adoptEarlierAppFolder, resolveDataDir } from '../paths';
import { hardenWebContents } from './harden-contents';
import { broadcastProgress, registerIpcHub } from './ipc-hub';
import { platformUserVerifier } from './platform-verifier';
import { handleAppProtocol, registerAppScheme } from './protocol';
import { createSafeOpenExternal, openSystemBrowser } from './safe-shell';
import { createMainWindow } from './window';

// Bundled to dist/main/electron.js: the preload and the renderer are its siblings under dist/.
const PRELOAD_PATH = fileURLToPath(new URL('../preload/index.cjs', import.meta.url));
const RENDERER_DIR = fileURLToPath(new URL('../renderer/', import.meta.url));

// The one data folder the CLI uses too (not Electron's default, named after package.json), set before anything
// reads `userData` (the single-instance lock lives there).
const DATA_DIR = resolveDataDir({ electronAppData: app.getPath('appData') });
// Earlier builds kept the app's data in Electron's default folder: moved over when the shared one is empty.
// Never a reason not to start: whatever could not be moved stays where it was, and the console says so.
let leftIn: string | null = null;
try {
  if (!process.env.PASSKEY_DESK_HOME) leftIn = adoptEarlierAppFolder(app.getPath('appData'), DATA_DIR).leftIn;
} catch (e) {
  leftIn = `the earlier folder (${e instanceof Error ? e.message : String(e)})`;
}
if (leftIn !== null)
  console.warn(
    `Passkey Desk: data from an earlier build of the app is still in ${leftIn}: ${DATA_DIR} holds data too, or it could not be moved. It was left as it is.`,
  );
app.setPath('userData', DATA_DIR);

// Everything below runs before `ready`, as Electron requires for these three calls. No top-level await above
// them: in an ESM main process an await lets `ready` fire first.
app.enableSandbox();
registerAppScheme();
if (!app.requestSingleInstanceLock()) {
  // One instance owns the vault, its lock file and the keyring session; a second launch focuses the first.
  app.quit();
} else {
  start();
}

function start(): void {
  let mainWindow: BrowserWindow | null = null;
  // Connected accounts' origins join the link allow-list; refreshed at start and after every accounts change.
  let accountOrigins: readonly string[] = [];
  const linkPolicy: ExternalLinkPolicy = { platform: process.platform, accountOrigins: () => accountOrigins };
  const openExternal = createSafeOpenExternal(linkPolicy);

  app.on('web-contents-created', (_event, contents) => hardenWebContents(contents, linkPolicy, openExternal));
  app.on('second-instance', () => {
    if (!mainWindow || mainWindow.isDestroyed()) return;
    if (mainWindow.isMinimized()) mainWindow.restore();
    mainWindow.focus();
  });
  // A passkey manager does not linger without a window: quitting releases the vault lock for the CLI.
  app.on('window-all-closed', () => app.quit());

  app
    .whenReady()
    .then(() => {
      const ses = session.defaultSession;
      denyEverythingByDefault(ses);
      const verifier = platformUserVerifier(process.platform, () => mainWindow);
      const services = createDefaultServices({
        dataDir: DATA_DIR,
        shell: 'electron',
        openExternal,
        // The desktop login (RFC 8252) opens the server's own authorize URL, built in main from the server the
        // user added, not a URL from the renderer: it goes to the system browser through its own narrow check.
        openBrowser: openSystemBrowser,
        onProgress: broadcastProgress,
        pickFile: async () => {
          const picked = await dialog.showOpenDialog({
            title: 'Import passkeys from an export',
            properties: ['openFile'],
            filters: [
              { name: 'Passkey exports', extensions: ['json', 'passkey', 'cxf'] },
              { name: 'All files', extensions: ['*'] },
            ],
          });
          return picked.canceled ? null : (picked.filePaths[0] ?? null);
        },
        ...(verifier ? { userVerifier: verifier } : {}),
      });
      const refreshOrigins = async (): Promise<void> => {
        accountOrigins = (await services.handlers['accounts.list']({})).map(
          (a) => new URL(a.serverUrl).origin,
        );
      };
      handleAppProtocol(ses, RENDERER_DIR);
      registerIpcHub({
        ...services.handlers,
        'accounts.add': async (req) => {
          const account = await services.handlers['accounts.add'](req);
          await refreshOrigins();
          return account;
        },
        'accounts.remove': async (req) => {
          const removed = await services.handlers['accounts.remove'](req);
          await refreshOrigins();
          return removed;
        },
      });
      void refreshOrigins().catch(() => undefined);
      mainWindow = createMainWindow({ preloadPath: PRELOAD_PATH });
      app.on('activate', () => {
        if (!mainWindow || mainWindow.isDestroyed())
          mainWindow = createMainWindow({ preloadPath: PRELOAD_PATH });
      });
    })
    .catch((e: unknown) => {
      // Startup failures (a renderer built without its hashes, an unreadable data folder) are shown, not swallowed.
      dialog.showErrorBox('Passkey Desk could not start', e instanceof Error ? e.message : String(e));
      app.exit(1);
    });
}

/**
 * The renderer needs no browser permission (camera, notifications, HID, clipboard…) and no network: its only
 * way out is window.passkeyDesk. Deny every permission request and check, every device, and any request for
 * http(s), ws(s) or file URLs (CSP's connect-src 'none' says the same inside the page; this holds even if a
 * page somehow ran without the CSP).
 */
function denyEverythingByDefault(ses: Session): void {
  ses.setPermissionRequestHandler((_contents, _permission, callback) => callback(false));
  ses.setPermissionCheckHandler(() => false);
  ses.setDevicePermissionHandler(() => false);
  ses.webRequest.onBeforeRequest(
    { urls: ['http://*/*', 'https://*/*', 'ws://*/*', 'wss://*/*', 'file:///*'] },
    (_details, callback) => callback({ cancel: true }),
  );
}
