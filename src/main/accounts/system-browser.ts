/**
 * The system browser for shells without one of their own (the CLI): `xdg-open` (Linux and BSDs), `open`
 * (macOS), `start` through cmd (Windows). The URL is passed as one argument, never through a shell string.
 * Failing to launch is not an error: the caller also shows the address for the user to open.
 */
import { spawn } from 'node:child_process';

export function systemBrowserCommand(platform: NodeJS.Platform): [string, string[]] {
  switch (platform) {
    case 'darwin':
      return ['open', []];
    case 'win32':
      // `start` treats its first quoted argument as a window title, hence the empty one.
      return ['cmd', ['/c', 'start', '""']];
    default:
      return ['xdg-open', []];
  }
}

export async function openSystemBrowser(
  url: string,
  platform: NodeJS.Platform = process.platform,
): Promise<boolean> {
  const parsed = new URL(url);
  if (parsed.protocol !== 'https:' && parsed.protocol !== 'http:') return false;
  const [command, args] = systemBrowserCommand(platform);
  return new Promise((resolve) => {
    try {
      const child = spawn(command, [...args, parsed.href], {
        stdio: 'ignore',
        detached: true,
        windowsVerbatimArguments: false,
      });
      child.once('error', () => resolve(false));
      child.once('spawn', () => {
        child.unref();
        resolve(true);
      });
    } catch {
      resolve(false);
    }
  });
}
