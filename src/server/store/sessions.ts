/**
 * Opaque bearer sessions. Only the SHA-256 of a token is stored, so a copy of the database does not hand out
 * working tokens. A session has an expiry and can be revoked.
 *
 * A token is `<issue time, 12 hex digits of ms>.<32 random bytes, base64url>`, and the row's key is
 * `<the same time>:<SHA-256 of the whole token>`. The time prefix only orders the keys: sessions are inserted at
 * the right edge of the sessions b-tree instead of at a random leaf each, which on the embedded store took a
 * batch of sign-ins from about ten dirty pages of sessions to one or two (about 6 µs of database time less per
 * sign-in, docs/server-benchmarks.md). The secret is the random part; the key reveals nothing of it. Tokens
 * issued before this format (32 random bytes alone) are still found: their key is their bare hash.
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

/** The bearer token handed to the client: issue time and 32 random bytes (only its key is stored). */
export const newSessionToken = (now = Date.now()): string => {
  if (poolOffset >= pool.length) {
    pool = randomBytes(TOKEN_BYTES * POOL_TOKENS);
    poolOffset = 0;
  }
  const secret = pool.toString('base64url', poolOffset, poolOffset + TOKEN_BYTES);
  pool.fill(0, poolOffset, poolOffset + TOKEN_BYTES);
  poolOffset += TOKEN_BYTES;
  return `${now.toString(16).padStart(12, '0')}.${secret}`;
};

const ORDERED_TOKEN = /^([0-9a-f]{12})\.[A-Za-z0-9_-]{43}$/;

/** The stored key of a session token: `<time>:<SHA-256 of the token>`, or the bare hash for older tokens. */
export const sessionKey = (token: string): string => {
  const ordered = ORDERED_TOKEN.exec(token);
  return ordered ? `${ordered[1]}:${hashSecret(token)}` : hashSecret(token);
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
      token_hash: sessionKey(token),
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
  return db.selectFrom('sessions').selectAll().where('token_hash', '=', sessionKey(token)).executeTakeFirst();
}

export async function revokeSession(db: Kysely<Database>, tokenHash: string, now: number): Promise<void> {
  await db.updateTable('sessions').set({ revoked_at: now }).where('token_hash', '=', tokenHash).execute();
}
