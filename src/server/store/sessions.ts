/**
 * Opaque bearer sessions. Only the SHA-256 of a token is stored, so a copy of the database does not hand out
 * working tokens. A session has an expiry and can be revoked.
 */
import { createHash, randomBytes } from 'node:crypto';
import type { Kysely } from 'kysely';
import { toBase64url } from '../../shared/base64url';
import type { Database, SessionsTable } from '../db/schema';

export type SessionRow = SessionsTable;

export const hashSecret = (secret: string): string => createHash('sha256').update(secret).digest('hex');

/** 32 random bytes, base64url: the bearer token handed to the client (only its hash is stored). */
export const newSessionToken = (): string => toBase64url(randomBytes(32));

export async function createSession(
  db: Kysely<Database>,
  input: { userId: string; credentialId: string; now: number; ttlMs: number; verifiedAt?: number },
): Promise<{ token: string; expiresAt: number }> {
  const token = newSessionToken();
  const expiresAt = input.now + input.ttlMs;
  await db
    .insertInto('sessions')
    .values({
      token_hash: hashSecret(token),
      user_id: input.userId,
      credential_id: input.credentialId,
      created_at: input.now,
      verified_at: input.verifiedAt ?? input.now,
      expires_at: expiresAt,
      revoked_at: null,
    })
    .execute();
  return { token, expiresAt };
}

export async function findSession(db: Kysely<Database>, token: string): Promise<SessionRow | undefined> {
  return db.selectFrom('sessions').selectAll().where('token_hash', '=', hashSecret(token)).executeTakeFirst();
}

export async function revokeSession(db: Kysely<Database>, tokenHash: string, now: number): Promise<void> {
  await db.updateTable('sessions').set({ revoked_at: now }).where('token_hash', '=', tokenHash).execute();
}
