/**
 * Session tokens, in the OS keyring only (account `session:<accountId>`). Nothing else in Passkey Desk holds a
 * token for longer than one request: not files, not the journal, not logs, not anything returned to a shell.
 */
import { z } from 'zod';
import { PasskeyDeskError } from '../../shared/errors';
import type { SecretStore } from '../keyring';
import type { StoredSession } from './types';

const stored = z.object({
  token: z.string().min(1),
  expiresAt: z.string().nullable(),
  method: z.enum(['vault', 'browser']),
});

export const sessionKey = (accountId: string): string => `session:${accountId}`;

export class SessionTokens {
  constructor(
    private readonly secrets: SecretStore,
    private readonly now: () => Date,
  ) {}

  /** The stored session, or null when there is none or it has expired by its own clock. */
  async get(accountId: string): Promise<StoredSession | null> {
    const raw = await this.secrets.get(sessionKey(accountId));
    if (!raw) return null;
    let json: unknown = null;
    try {
      json = JSON.parse(raw);
    } catch {
      // a damaged entry counts as no session
    }
    const parsed = stored.safeParse(json);
    if (!parsed.success) return null;
    const s = parsed.data;
    if (s.expiresAt !== null && Date.parse(s.expiresAt) <= this.now().getTime()) return null;
    return s;
  }

  async token(accountId: string, userName: string): Promise<string> {
    const s = await this.get(accountId);
    if (!s) {
      throw new PasskeyDeskError(
        'NOT_SIGNED_IN',
        `Passkey Desk is not signed in to ${userName}'s account (or the session expired). Sign in: passkey-desk accounts signin ${accountId}`,
      );
    }
    return s.token;
  }

  async set(accountId: string, session: StoredSession): Promise<void> {
    await this.secrets.set(sessionKey(accountId), JSON.stringify(session));
  }

  async delete(accountId: string): Promise<void> {
    await this.secrets.delete(sessionKey(accountId));
  }
}
