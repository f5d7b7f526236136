/**
 * Finding a server's passkey endpoints from its address alone: the W3C well-known document
 * (`/.well-known/passkey-endpoints`: enroll and manage pages) and the server's API description (`GET /api`),
 * which names the JSON endpoints, the RP ID and the origin WebAuthn ceremonies are bound to.
 */
import { z } from 'zod';
import { PasskeyDeskError } from '../../shared/errors';
import { requestJson } from './http';
import type { Discovery } from './types';

const path = z.string().startsWith('/');
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
  return url.origin;
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
  return {
    serverUrl: base,
    rpId: a.rpId,
    rpName: a.rpName ?? null,
    origin: new URL(a.origins[0]!).origin,
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
