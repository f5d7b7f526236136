import { getDomain } from 'tldts';
import { PasskeyDeskError } from '../../../shared/errors';

/**
 * The client-side rule a browser enforces before it lets an RP ID be used (WebAuthn §5.1.3 step 7, HTML
 * "is a registrable domain suffix of or is equal to"): the origin's host must be the RP ID or a subdomain of it,
 * over https — or http on localhost, which browsers treat as a secure context. Passkey Desk acts as the client
 * for its vault, so it enforces the same rule: a caller cannot get an assertion for a site it is not.
 */
export function checkOriginForRpId(rpId: string, origin: string): void {
  let url: URL;
  try {
    url = new URL(origin);
  } catch {
    throw new PasskeyDeskError(
      'INVALID_INPUT',
      `Origin "${origin}" is not a URL (expected e.g. https://${rpId}).`,
    );
  }
  if (url.origin !== origin.replace(/\/$/, '')) {
    throw new PasskeyDeskError(
      'INVALID_INPUT',
      `Origin "${origin}" must be scheme://host[:port] only, e.g. ${url.origin}.`,
    );
  }
  const host = url.hostname;
  const local = host === 'localhost' || host === '127.0.0.1' || host === '[::1]';
  if (url.protocol !== 'https:' && !(url.protocol === 'http:' && local)) {
    throw new PasskeyDeskError(
      'INVALID_INPUT',
      `Origin "${origin}" is not secure: passkeys need https (http only on localhost).`,
    );
  }
  if (host !== rpId && !host.endsWith(`.${rpId}`)) {
    throw new PasskeyDeskError(
      'INVALID_INPUT',
      `RP ID "${rpId}" is not valid for origin "${origin}": the host must be ${rpId} or a subdomain of it.`,
    );
  }
}

const RP_ID_RE = /^(?=.{1,253}$)(?!-)[a-z0-9-]{1,63}(?<!-)(\.(?!-)[a-z0-9-]{1,63}(?<!-))*$/;

/**
 * An RP ID a site could own, as browsers require: a lowercase domain name that is not a public suffix (`com`,
 * `co.uk`, `github.io`: no one site owns those, tldts with the private suffixes) nor an IP address; `localhost`
 * and names under it for sites on this machine.
 */
export function checkRpId(rpId: string): void {
  if (!RP_ID_RE.test(rpId)) {
    throw new PasskeyDeskError(
      'INVALID_INPUT',
      `"${rpId}" is not a valid RP ID: expected a lowercase domain name such as example.com.`,
    );
  }
  const local = rpId === 'localhost' || rpId.endsWith('.localhost');
  if (!local && getDomain(rpId, { allowPrivateDomains: true }) === null) {
    throw new PasskeyDeskError(
      'INVALID_INPUT',
      `"${rpId}" is not an RP ID a site can use: it is a public suffix or an address, which browsers refuse. Use the site's own domain, such as example.com.`,
    );
  }
}
