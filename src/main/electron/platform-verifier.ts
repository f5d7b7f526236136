import { systemPreferences } from 'electron';
import type { BrowserWindow } from 'electron';
import { createWindowsHelloVerifier } from '../stores/windows-hello';
import type { UserVerifier } from '../verify/user-verifier';
import { createTouchIdVerifier } from './touch-id';

/**
 * The user verifier for this OS in the desktop app: Touch ID on macOS, Windows Hello on Windows (its dialog
 * owned by our main window, so it appears in front of it), and undefined on Linux, where createServices' default
 * (polkit, with the policy the package installs) applies.
 */
export function platformUserVerifier(
  platform: NodeJS.Platform,
  mainWindow: () => BrowserWindow | null,
): UserVerifier | undefined {
  switch (platform) {
    case 'darwin':
      return createTouchIdVerifier(systemPreferences);
    case 'win32':
      return createWindowsHelloVerifier({
        windowHandle: () => {
          const win = mainWindow();
          return win && !win.isDestroyed() ? win.getNativeWindowHandle() : null;
        },
      });
    default:
      return undefined;
  }
}
