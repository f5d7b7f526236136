import type { WebContents } from 'electron';
import type { ExternalLinkPolicy } from '../ipc/external-links';
import { decideNavigation } from '../ipc/navigation';

/**
 * Applied to every webContents the app ever creates (main.ts hooks `web-contents-created`), so no window, frame
 * or devtools-opened page escapes it:
 *  - navigation stays inside app://passkey-desk; an allow-listed http(s) link goes to the system browser instead;
 *  - new windows are always denied (allow-listed links again go to the system browser);
 *  - <webview> can never attach (webviewTag is off too; this covers a webContents created some other way).
 */
export function hardenWebContents(
  contents: WebContents,
  policy: ExternalLinkPolicy,
  openExternal: (url: string) => Promise<void>,
): void {
  const openOutside = (url: string) => {
    openExternal(url).catch((e: unknown) =>
      console.warn(`Passkey Desk did not open ${url}: ${e instanceof Error ? e.message : String(e)}`),
    );
  };

  const guardNavigation = (event: { preventDefault(): void }, url: string) => {
    const decision = decideNavigation(url, policy, { forNewWindow: false });
    if (decision.action === 'allow') return;
    event.preventDefault();
    if (decision.action === 'open-external') openOutside(decision.url);
    else console.warn(`Passkey Desk blocked a navigation: ${decision.reason}`);
  };
  contents.on('will-navigate', (event) => guardNavigation(event, event.url));
  contents.on('will-frame-navigate', (event) => guardNavigation(event, event.url));
  contents.on('will-redirect', (event) => guardNavigation(event, event.url));

  contents.setWindowOpenHandler(({ url }) => {
    const decision = decideNavigation(url, policy, { forNewWindow: true });
    if (decision.action === 'open-external') openOutside(decision.url);
    return { action: 'deny' };
  });

  contents.on('will-attach-webview', (event) => event.preventDefault());
}
