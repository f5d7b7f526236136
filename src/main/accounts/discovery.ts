/**
 * Finding a server's passkey endpoints from its address alone: the W3C well-known document
 * (`/.well-known/passkey-endpoints`: enroll and manage pages) and the server's API description (`GET /api`),
 * which names the JSON endpoints, the RP ID and the origin WebAuthn ceremonies are bound to.
 */
import { getDomain } from 'tldts';
import { z } from 'zod';
import { PasskeyDeskError } from '../../shared/errors';
import { requestJson } from './http';
import type { Discovery } from './types';

/** An endpoint path on the server: URL path characters only (no query, fragment, space or control character). */
const path = z
  .string()
  .regex(/^\/[A-Za-z0-9\-._~!$&'()*+,;=:@%/]*$/, 'a path such as /api/desktop/authorize');
const apiDescription = z.object({
  rpId: z.string().min(1),
  rpName: z.string().optional(),
  origins: z.array(z.string().url()).min(1),
  registration: z.object({ options: path, verify: path }),
  authentication: z.object({ options: path, verify: path }),
  account: z.object({ passkeys: path, acceptedCredentials: path, currentUser: path, signOut: path }),
  desktop: z.object({ authorize: path, token: path }).optional(),
});
const wellKnown = z.object({ enroll: z.string().url().optional(), manage: z.string().url().optional() });

const LOOPBACK = new Set(['localhost', '127.0.0.1', '[::1]']);
/** A name for this machine, as a page's origin or RP ID (no connection is made to it). */
const isLoopback = (host: string): boolean => LOOPBACK.has(host) || host.endsWith('.localhost');

/** The base a user's address stands for: scheme, host and port (a path or query is dropped). */
export function normaliseServerUrl(serverUrl: string): string {
  let url: URL;
  try {
    url = new URL(serverUrl);
  } catch {
    throw new PasskeyDeskError(
      'INVALID_INPUT',
      `"${serverUrl}" is not a server address; expected e.g. https://example.com.`,
    );
  }
  if (url.protocol !== 'https:' && url.protocol !== 'http:')
    throw new PasskeyDeskError('INVALID_INPUT', `"${serverUrl}" is not an http(s) address.`);
  if (url.username || url.password)
    throw new PasskeyDeskError('INVALID_INPUT', 'A server address must not contain a user name or password.');
  // The session token and the vault's signatures travel over this connection: plain http only on this machine.
  // Only names that are this machine whatever the resolver says: `app.localhost` goes to DNS on a plain glibc
  // system (no nss-myhostname), and a DNS answer could send the token elsewhere in clear.
  if (url.protocol === 'http:' && !LOOPBACK.has(url.hostname))
    throw new PasskeyDeskError(
      'INVALID_INPUT',
      `"${serverUrl}" uses plain http; Passkey Desk connects to servers on other machines over https only (the session token would travel in clear). Use https://${url.host}${url.hostname.endsWith('.localhost') ? `, or http://127.0.0.1${url.port ? `:${url.port}` : ''} for a server on this machine` : ''}.`,
    );
  return url.origin;
}

const within = (host: string, rpId: string): boolean => host === rpId || host.endsWith(`.${rpId}`);

/**
 * The vault answers WebAuthn ceremonies for the RP ID and origin a server announces, so a server must not be able
 * to announce someone else's: evil.example saying "rpId bank.example" would get the vault to sign bank.example's
 * challenges for it to relay (the phishing a browser's origin check prevents). As a browser would for a page of
 * the address the user typed: the RP ID must be that host or a parent domain of it that is not a public suffix
 * (tldts, with the private suffixes such as github.io), and the origin must be the server's own: a browser puts
 * the origin of the page it shows in clientDataJSON, and the site's server checks it. Were any origin within the
 * RP ID allowed, a host the user reached (user-pages.example.com) could announce login.example.com and relay the
 * vault's assertions there. A server on this machine (localhost, 127.0.0.1, ::1) may use RP ID `localhost` and
 * an http origin on any loopback name and port (a local process can do worse than relay; test proxies and
 * port forwards stand between the client and the server's own port).
 */
export function checkRelyingParty(base: string, rpId: string, origin: string): void {
  const server = new URL(base).hostname;
  const page = new URL(origin);
  const refuse = (why: string): never => {
    throw new PasskeyDeskError(
      'UNSUPPORTED',
      `${base} announces RP ID "${rpId}" and origin ${page.origin}, but ${why}. Passkey Desk answers only for the site it talks to; check the address (or the server's configuration).`,
    );
  };
  if (isLoopback(server)) {
    if (
      !isLoopback(page.hostname) ||
      !(rpId === 'localhost' || rpId.endsWith('.localhost') || rpId === page.hostname)
    )
      refuse('a server on this machine may only speak for localhost');
    return;
  }
  if (getDomain(rpId, { allowPrivateDomains: true }) === null)
    refuse(`"${rpId}" is not a domain a site can own (a public suffix, an address or not a domain)`);
  if (!within(server, rpId)) refuse(`the server at ${server} is not part of ${rpId}`);
  if (!within(page.hostname, rpId)) refuse(`the origin is not part of ${rpId}`);
  if (page.protocol !== 'https:') refuse('the origin does not use https');
  if (page.origin !== new URL(base).origin)
    refuse(
      `the origin is not the server's own (${base}), and the vault signs only as the site it talks to. Add the account by ${page.origin} if that address serves the passkey API too, or have the site list ${base} among its origins`,
    );
}

/** Of the origins a server announces, the one that is its own address (checkRelyingParty then checks it). */
function ownOrigin(base: string, origins: readonly string[]): string {
  const url = new URL(base);
  const own = origins.find((o) => {
    const page = new URL(o);
    return isLoopback(url.hostname)
      ? isLoopback(page.hostname) && page.port === url.port
      : page.origin === url.origin;
  });
  // Behind a proxy or port forward on this machine no origin has the server's port: any loopback one will do.
  return (
    own ??
    (isLoopback(url.hostname) ? origins.find((o) => isLoopback(new URL(o).hostname)) : null) ??
    origins[0]!
  );
}

export async function discover(serverUrl: string): Promise<Discovery> {
  const base = normaliseServerUrl(serverUrl);
  const raw = await requestJson<unknown>(`${base}/api`).catch((e: unknown) => {
    if (e instanceof PasskeyDeskError && (e.code === 'NOT_FOUND' || e.code === 'SERVER_ERROR')) {
      throw new PasskeyDeskError(
        'UNSUPPORTED',
        `${base} has no passkey management API at /api (${e.message}). Passkey Desk can connect to servers built on its reference server; for other sites, manage passkeys on their pages.`,
      );
    }
    throw e;
  });
  const api = apiDescription.safeParse(raw);
  if (!api.success) {
    const problem = api.error.issues[0];
    throw new PasskeyDeskError(
      'UNSUPPORTED',
      `${base}/api is not a passkey API description Passkey Desk understands (${problem?.path.join('.') ?? '?'}: ${problem?.message ?? '?'}).`,
    );
  }
  let enroll: string | null = null;
  let manage: string | null = null;
  try {
    const known = wellKnown.safeParse(await requestJson<unknown>(`${base}/.well-known/passkey-endpoints`));
    if (known.success) {
      enroll = known.data.enroll ?? null;
      manage = known.data.manage ?? null;
    }
  } catch {
    // The well-known document is optional: without it there are no enroll/manage links to show.
  }
  const a = api.data;
  const origin = ownOrigin(base, a.origins);
  checkRelyingParty(base, a.rpId, origin);
  return {
    serverUrl: base,
    rpId: a.rpId,
    rpName: a.rpName ?? null,
    origin: new URL(origin).origin,
    enroll,
    manage,
    endpoints: {
      registrationOptions: a.registration.options,
      registrationVerify: a.registration.verify,
      authenticationOptions: a.authentication.options,
      authenticationVerify: a.authentication.verify,
      passkeys: a.account.passkeys,
      acceptedCredentials: a.account.acceptedCredentials,
      currentUser: a.account.currentUser,
      signOut: a.account.signOut,
      desktopAuthorize: a.desktop?.authorize ?? null,
      desktopToken: a.desktop?.token ?? null,
    },
  };
}
