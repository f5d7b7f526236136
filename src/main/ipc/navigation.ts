import { isAppUrl } from './app-origin';
import type { ExternalLinkPolicy } from './external-links';
import { checkExternalLink } from './external-links';

export type NavigationDecision =
  { action: 'allow' } | { action: 'open-external'; url: string } | { action: 'deny'; reason: string };

/**
 * What to do when a page of ours tries to go somewhere (a link click, `location =`, `window.open`): stay inside
 * `app://passkey-desk`, or hand an allow-listed link to the system browser, or refuse. Nothing else is ever
 * loaded into our windows, so a page we did not write never runs next to the preload's API.
 */
export function decideNavigation(
  url: string,
  policy: ExternalLinkPolicy,
  options: { forNewWindow: boolean },
): NavigationDecision {
  // A new window is never allowed, even for our own pages: one window, one set of trusted webContents.
  if (!options.forNewWindow && isAppUrl(url)) return { action: 'allow' };
  const verdict = checkExternalLink(url, policy);
  return verdict.ok
    ? { action: 'open-external', url: verdict.url }
    : { action: 'deny', reason: verdict.reason };
}
