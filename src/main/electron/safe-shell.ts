import { shell } from 'electron';
import { PasskeyDeskError } from '../../shared/errors';
import type { ExternalLinkPolicy } from '../ipc/external-links';
import { checkExternalLink, HELP_SITES } from '../ipc/external-links';

/**
 * The one wrapper around `shell.openExternal` (no other file calls it). The URL is checked against the
 * allow-list first and what is opened is the allow-list's re-serialised URL, not the caller's string.
 */
export function createSafeOpenExternal(policy: ExternalLinkPolicy): (url: string) => Promise<void> {
  return async (url) => {
    const verdict = checkExternalLink(url, policy);
    if (!verdict.ok) {
      throw new PasskeyDeskError('INVALID_INPUT', `Passkey Desk did not open this link: ${verdict.reason}.`, {
        allowedHelpSites: HELP_SITES.map((s) => `https://${s.host}${s.pathPrefix}`),
      });
    }
    await shell.openExternal(verdict.url); // eng-disable OPEN_EXTERNAL_JS_CHECK -- the URL passed checkExternalLink above
  };
}

/**
 * The system browser for a server's desktop login (RFC 8252 §7.3): main builds that URL itself from the server
 * the user added, so it is not subject to the help-site allow-list, but it must still be a web page: https, or
 * http only on the loopback interface (a reference server under test). Anything else is refused.
 */
export async function openSystemBrowser(url: string): Promise<void> {
  const parsed = new URL(url);
  const loopback =
    parsed.hostname === '127.0.0.1' || parsed.hostname === 'localhost' || parsed.hostname === '[::1]';
  if (parsed.protocol !== 'https:' && !(parsed.protocol === 'http:' && loopback)) {
    throw new PasskeyDeskError(
      'INVALID_INPUT',
      `Passkey Desk opens only https sign-in pages in the browser, not ${parsed.protocol} URLs.`,
    );
  }
  await shell.openExternal(parsed.href); // eng-disable OPEN_EXTERNAL_JS_CHECK -- https or loopback http only, checked above
}
