/**
 * The system browser for shells without one of their own (the CLI): `xdg-open` (Linux and BSDs), `open`
 * (macOS), the URL protocol handler through rundll32 (Windows). The URL is passed as one argument, never through
 * a shell: not `cmd /c start`, where every `&` of the query string (the authorize URL has several) ends the
 * command and starts another, so a server could run programs by announcing an authorize path with `&` in it.
 * Failing to launch is not an error: the caller also shows the address for the user to open.
 */
import { spawn } from 'node:child_process';

export function systemBrowserCommand(platform: NodeJS.Platform): [string, string[]] {
  switch (platform) {
    case 'darwin':
      return ['open', []];
    case 'win32':
      // What Windows runs for a URL's protocol handler; rundll32 hands the rest of its command line over as is.
      return ['rundll32.exe', ['url.dll,FileProtocolHandler']];
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
