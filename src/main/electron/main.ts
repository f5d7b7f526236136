import { fileURLToPath } from 'node:url';
import { app, dialog, session } from 'electron';
import type { BrowserWindow, Session } from 'electron';
import { createDefaultServices } from '../compose';
import type { ExternalLinkPolicy } from '../ipc/external-links';
import { resolveDataDir } from '../paths';
import { hardenWebContents } from './harden-contents';
import { registerIpcHub } from './ipc-hub';
import { platformUserVerifier } from './platform-verifier';
import { handleAppProtocol, registerAppScheme } from './protocol';
import { createSafeOpenExternal } from './safe-shell';
import { createMainWindow } from './window';

// Bundled to dist/main/electron.js: the preload and the renderer are its siblings under dist/.
const PRELOAD_PATH = fileURLToPath(new URL('../preload/index.cjs', import.meta.url));
const RENDERER_DIR = fileURLToPath(new URL('../renderer/', import.meta.url));

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
  // Connected accounts' origins join the link allow-list once the accounts service exists (issue #3 follow-up).
  const linkPolicy: ExternalLinkPolicy = { platform: process.platform, accountOrigins: () => [] };
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
        dataDir: resolveDataDir({ electronUserData: app.getPath('userData') }),
        shell: 'electron',
        openExternal,
        ...(verifier ? { userVerifier: verifier } : {}),
      });
      handleAppProtocol(ses, RENDERER_DIR);
      registerIpcHub(services.handlers);
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
