/**
 * Opaque bearer sessions. Only the SHA-256 of a token is stored, so a copy of the database does not hand out
 * working tokens. A session has an expiry and can be revoked.
 */
import { createHash, randomBytes } from 'node:crypto';
import type { Kysely } from 'kysely';
import type { Database, SessionsTable } from '../db/schema';

export type SessionRow = SessionsTable;

export const hashSecret = (secret: string): string => createHash('sha256').update(secret).digest('hex');

const TOKEN_BYTES = 32;
// Drawn from the CSPRNG 128 tokens at a time (one call instead of one per sign-in), each slice used exactly once
// and never kept after use: the same technique node:crypto uses for randomUUID.
const POOL_TOKENS = 128;
let pool = Buffer.alloc(0);
let poolOffset = 0;

/** 32 random bytes, base64url: the bearer token handed to the client (only its hash is stored). */
export const newSessionToken = (): string => {
  if (poolOffset >= pool.length) {
    pool = randomBytes(TOKEN_BYTES * POOL_TOKENS);
    poolOffset = 0;
  }
  const token = pool.toString('base64url', poolOffset, poolOffset + TOKEN_BYTES);
  pool.fill(0, poolOffset, poolOffset + TOKEN_BYTES);
  poolOffset += TOKEN_BYTES;
  return token;
};

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
