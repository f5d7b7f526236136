/**
 * WebAuthn ceremonies between the vault and a server, with Passkey Desk as the client: it fetches the server's
 * options, lets the vault answer for the server's origin (the vault enforces the origin/RP ID rule a browser
 * would), and posts the response. Used to sign up, sign in, re-authenticate for a revoke, and add a passkey.
 */
import { z } from 'zod';
import { PasskeyDeskError } from '../../shared/errors';
import type { Passkey } from '../../shared/model';
import type { ServerCredential } from '../../shared/reconcile';
import type { VaultStore } from '../stores/vault/vault-store';
import { checkRelyingParty } from './discovery';
import { requestJson } from './http';
import { parsePasskeyView } from './reference-connector';
import type { Discovery } from './types';

export type VaultCeremonies = Pick<VaultStore, 'create' | 'sign' | 'list'>;

const creationOptions = z.object({
  challenge: z.string(),
  rp: z.object({ id: z.string().optional() }),
  user: z.object({ id: z.string(), name: z.string(), displayName: z.string().optional() }),
  excludeCredentials: z.array(z.object({ id: z.string() })).optional(),
});
const requestOptions = z.object({
  challenge: z.string(),
  rpId: z.string().optional(),
  allowCredentials: z.array(z.object({ id: z.string() })).optional(),
});
const user = z.object({ id: z.string(), name: z.string(), displayName: z.string().optional() });
const signedIn = z.object({
  token: z.string(),
  expiresAt: z.string().nullable().optional(),
  user,
  credentialId: z.string(),
});
const registered = z.object({
  passkey: z.unknown(),
  user,
  session: z.object({ token: z.string(), expiresAt: z.string().nullable().optional() }).optional(),
});

export interface ServerUser {
  id: string;
  name: string;
  displayName: string | null;
}

export interface CeremonySession {
  token: string;
  expiresAt: string | null;
  user: ServerUser;
}

function shaped<T>(schema: z.ZodType<T>, value: unknown, what: string, server: string): T {
  const r = schema.safeParse(value);
  if (!r.success)
    throw new PasskeyDeskError(
      'SERVER_ERROR',
      `The server at ${server} sent ${what} in an unexpected shape (${r.error.issues[0]?.message ?? '?'}).`,
    );
  return r.data;
}

/**
 * The rule discovery applies, applied again to the account as stored: accounts connected under an earlier, looser
 * rule must not have the vault sign as another host's origin.
 */
function checkStored(server: Discovery): void {
  try {
    checkRelyingParty(server.serverUrl, server.rpId, server.origin);
  } catch (e) {
    if (!(e instanceof PasskeyDeskError)) throw e;
    throw new PasskeyDeskError(
      e.code,
      `${e.message} This account was connected before Passkey Desk checked that; remove it and add it again (passkey-desk accounts remove, then accounts add).`,
    );
  }
}

function checkRp(server: Discovery, rpId: string | undefined): void {
  if (rpId !== undefined && rpId !== server.rpId) {
    throw new PasskeyDeskError(
      'SERVER_ERROR',
      `The server at ${server.serverUrl} asked for RP ID "${rpId}" but its API description says "${server.rpId}"; refusing to answer for another site.`,
    );
  }
}

const toUser = (u: z.infer<typeof user>): ServerUser => ({
  id: u.id,
  name: u.name,
  displayName: u.displayName ?? null,
});

/** Username-first sign-in with a vault passkey the server lists for `userName`. */
export async function signInWithVault(
  vault: VaultCeremonies,
  server: Discovery,
  userName: string,
): Promise<CeremonySession & { credentialId: string }> {
  checkStored(server);
  const url = (p: string) => server.serverUrl + p;
  const options = shaped(
    requestOptions,
    await requestJson(url(server.endpoints.authenticationOptions), {
      method: 'POST',
      body: { username: userName },
    }),
    'sign-in options',
    server.serverUrl,
  );
  checkRp(server, options.rpId);
  const allow = (options.allowCredentials ?? []).map((c) => c.id);
  if (allow.length === 0) {
    throw new PasskeyDeskError(
      'NOT_FOUND',
      `${server.serverUrl} lists no passkey for "${userName}" (or no such user). Check the user name; sign in through the browser for a passkey held elsewhere (--browser); or, for a new account there, sign up with a new vault passkey (--create).`,
    );
  }
  const { response } = await vault
    .sign({
      rpId: server.rpId,
      origin: server.origin,
      challenge: options.challenge,
      allowCredentialIds: allow,
    })
    .catch((e: unknown) => {
      if (e instanceof PasskeyDeskError && e.code === 'NOT_FOUND') {
        throw new PasskeyDeskError(
          'NOT_FOUND',
          `The Passkey Desk vault holds none of the ${allow.length} passkey(s) ${server.rpId} accepts for "${userName}". Sign in through the browser instead (--browser).`,
        );
      }
      throw e;
    });
  const done = shaped(
    signedIn,
    await requestJson(url(server.endpoints.authenticationVerify), { method: 'POST', body: { response } }),
    'the sign-in reply',
    server.serverUrl,
  );
  return {
    token: done.token,
    expiresAt: done.expiresAt ?? null,
    user: toUser(done.user),
    credentialId: done.credentialId,
  };
}

/**
 * A registration ceremony: a new account (no token; `userName` is the new user) or another passkey for the
 * signed-in account (with its token). The vault refuses when it already holds one of the excluded credentials.
 */
export async function registerVaultPasskey(
  vault: VaultCeremonies,
  server: Discovery,
  input: { token: string | null; userName?: string; displayName?: string; name: string },
): Promise<{
  passkey: Passkey;
  server: ServerCredential;
  user: ServerUser;
  session: { token: string; expiresAt: string | null } | null;
}> {
  checkStored(server);
  const url = (p: string) => server.serverUrl + p;
  const body = input.token
    ? {}
    : { username: input.userName, ...(input.displayName ? { displayName: input.displayName } : {}) };
  const options = shaped(
    creationOptions,
    await requestJson(url(server.endpoints.registrationOptions), {
      method: 'POST',
      body,
      token: input.token,
      // A sign-up carries the user name the user typed: the server's refusal of it is bad input.
      ...(input.token ? {} : { passThrough: ['INVALID_INPUT'] as const }),
    }),
    'registration options',
    server.serverUrl,
  );
  checkRp(server, options.rp.id);
  const created = await vault.create({
    rpId: server.rpId,
    userName: options.user.name,
    userDisplayName: options.user.displayName ?? options.user.name,
    userHandle: options.user.id,
    origin: server.origin,
    challenge: options.challenge,
    excludeCredentialIds: (options.excludeCredentials ?? []).map((c) => c.id),
  });
  let reply: unknown;
  try {
    reply = await requestJson(url(server.endpoints.registrationVerify), {
      method: 'POST',
      body: { response: created.registration, name: input.name },
      token: input.token,
    });
  } catch (e) {
    // The vault now holds a passkey the server does not know: name it so the caller can trash it.
    if (e instanceof PasskeyDeskError)
      throw new PasskeyDeskError(e.code, e.message, {
        ...e.details,
        createdCredentialId: created.passkey.credentialId,
      });
    throw e;
  }
  const done = shaped(registered, reply, 'the registration reply', server.serverUrl);
  return {
    passkey: created.passkey,
    server: parsePasskeyView(done.passkey, server.serverUrl),
    user: toUser(done.user),
    session: done.session ? { token: done.session.token, expiresAt: done.session.expiresAt ?? null } : null,
  };
}
