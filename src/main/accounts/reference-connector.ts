/**
 * The reference server's management API (docs/server-api.md) as an AccountConnector: the signed-in user's
 * passkeys, revoke, rename, and the Signal API shapes. A token is read per call, so a re-sign-in takes effect
 * at once.
 */
import { z } from 'zod';
import { PasskeyDeskError } from '../../shared/errors';
import type { ServerCredential } from '../../shared/reconcile';
import { requestJson } from './http';
import type { AcceptedCredentials, AccountConnector, CurrentUserDetails, Discovery } from './types';

const passkeyView = z.object({
  id: z.string(),
  name: z.string().nullable().optional(),
  createdAt: z.string().nullable().optional(),
  lastUsedAt: z.string().nullable().optional(),
  aaguid: z.string().nullable().optional(),
  providerName: z.string().nullable().optional(),
  transports: z.array(z.string()).optional(),
  backupEligible: z.boolean().nullable().optional(),
  backedUp: z.boolean().nullable().optional(),
  deviceType: z.enum(['singleDevice', 'multiDevice']).nullable().optional(),
});
const accepted = z.object({
  rpId: z.string(),
  userId: z.string(),
  allAcceptedCredentialIds: z.array(z.string()),
});
const me = z.object({ rpId: z.string(), userId: z.string(), name: z.string(), displayName: z.string() });

export type PasskeyView = z.infer<typeof passkeyView>;

export function toServerCredential(p: PasskeyView): ServerCredential {
  return {
    credentialId: p.id,
    name: p.name ?? null,
    createdAt: p.createdAt ?? null,
    lastUsedAt: p.lastUsedAt ?? null,
    aaguid: p.aaguid ?? null,
    providerName: p.providerName ?? null,
    transports: p.transports ?? [],
    backupEligible: p.backupEligible ?? null,
    backedUp: p.backedUp ?? null,
    deviceType: p.deviceType ?? null,
  };
}

function parsed<T>(schema: z.ZodType<T>, value: unknown, what: string, server: string): T {
  const r = schema.safeParse(value);
  if (!r.success)
    throw new PasskeyDeskError(
      'SERVER_ERROR',
      `The server at ${server} sent ${what} in an unexpected shape (${r.error.issues[0]?.message ?? '?'}); expected the reference server's API.`,
    );
  return r.data;
}

export function parsePasskeyView(value: unknown, server: string): ServerCredential {
  return toServerCredential(parsed(passkeyView, value, 'a passkey', server));
}

export class ReferenceServerConnector implements AccountConnector {
  readonly kind = 'reference-server' as const;

  constructor(
    private readonly server: Pick<Discovery, 'serverUrl' | 'endpoints'>,
    /** The current session token; throws NOT_SIGNED_IN when there is none. */
    private readonly token: () => Promise<string>,
  ) {}

  private url(path: string): string {
    return this.server.serverUrl + path;
  }

  private async call(
    method: 'GET' | 'POST' | 'PATCH' | 'DELETE',
    path: string,
    body?: unknown,
  ): Promise<unknown> {
    return requestJson<unknown>(this.url(path), {
      method,
      token: await this.token(),
      ...(body === undefined ? {} : { body }),
    });
  }

  async listCredentials(): Promise<ServerCredential[]> {
    const r = parsed(
      z.object({ passkeys: z.array(passkeyView) }),
      await this.call('GET', this.server.endpoints.passkeys),
      'its passkey list',
      this.server.serverUrl,
    );
    return r.passkeys.map(toServerCredential);
  }

  async revoke(credentialId: string): Promise<AcceptedCredentials> {
    const r = parsed(
      z.object({ revoked: z.string(), accepted }),
      await this.call('DELETE', `${this.server.endpoints.passkeys}/${encodeURIComponent(credentialId)}`),
      'the revoke reply',
      this.server.serverUrl,
    );
    return r.accepted;
  }

  async rename(credentialId: string, name: string): Promise<ServerCredential> {
    const r = parsed(
      z.object({ passkey: passkeyView }),
      await this.call('PATCH', `${this.server.endpoints.passkeys}/${encodeURIComponent(credentialId)}`, {
        name,
      }),
      'the rename reply',
      this.server.serverUrl,
    );
    return toServerCredential(r.passkey);
  }

  async acceptedCredentials(): Promise<AcceptedCredentials> {
    return parsed(
      accepted,
      await this.call('GET', this.server.endpoints.acceptedCredentials),
      'its accepted credentials',
      this.server.serverUrl,
    );
  }

  async currentUserDetails(): Promise<CurrentUserDetails> {
    return parsed(
      me,
      await this.call('GET', this.server.endpoints.currentUser),
      'the user details',
      this.server.serverUrl,
    );
  }

  async signOut(): Promise<void> {
    await this.call('POST', this.server.endpoints.signOut, {});
  }
}
