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
