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
 *
 * Sessions and the passkey they signed in with:
 * - Revoking a passkey ends every other session that signed in with it, in the revoke's transaction
 *   (`endSessionsOfCredentials` with `keep`); the session that made the revoke request lives on, even though its
 *   passkey is gone (the user is acting now, with the recent user-verified sign-in that revoking requires). So a
 *   missing passkey does not refuse a session: what ends one is its `revoked_at`. A sign-in that races the revoke
 *   records its session only while the passkey still exists (store/sign-in.ts), and a desktop code exchange only
 *   while it exists and is unflagged (flows/desktop.ts), so neither leaves a session the revoke missed.
 * - A passkey flagged for a sign counter that went backwards ends all of its sessions (store/sign-in.ts), and
 *   `findSession` reports the flag with the session, so a session whose passkey is flagged is refused on use even
 *   if it was not ended (one made before the flag was written, or before this rule existed).
 * - "Sign out everywhere else" ends every live session of the user but the one asking, whatever passkey they
 *   signed in with (`endOtherSessionsOfUser`). It is how a user ends a session that revoked its own passkey
 *   (which the revoke spares), such as one a thief opened with a stolen passkey and then revoked it from.
 */
import { createHash, randomBytes } from 'node:crypto';
import type { Kysely } from 'kysely';
import type { Database, SessionsTable } from '../db/schema';

export type SessionRow = SessionsTable;

/** A session and the state of the passkey it signed in with. */
export interface FoundSession extends SessionRow {
  /**
   * 'flagged': its sign counter went backwards (the session is refused). 'gone': the passkey was revoked (or
   * belongs to no one); that alone does not refuse the session (the one that revoked its own passkey lives on),
   * it only explains why an ended one ended.
   */
  credential_state: 'usable' | 'gone' | 'flagged';
}

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

export async function findSession(db: Kysely<Database>, token: string): Promise<FoundSession | undefined> {
  const row = await db
    .selectFrom('sessions')
    .leftJoin('credentials', (join) =>
      join
        .onRef('credentials.id', '=', 'sessions.credential_id')
        .onRef('credentials.user_id', '=', 'sessions.user_id'),
    )
    .selectAll('sessions')
    .select(['credentials.id as live_credential_id', 'credentials.flagged_at as credential_flagged_at'])
    .where('sessions.token_hash', '=', sessionKey(token))
    .executeTakeFirst();
  if (!row) return undefined;
  const { live_credential_id, credential_flagged_at, ...session } = row;
  return {
    ...session,
    credential_state:
      live_credential_id === null ? 'gone' : credential_flagged_at !== null ? 'flagged' : 'usable',
  };
}

/**
 * Ends every live session of this user that signed in with one of these passkeys (revoked_at = now; the sweep
 * deletes the rows later), except the session `keep` (its token_hash): the one making the request, when there is
 * one. Sessions have no index on credential_id (migration 0002 keeps the sign-in's writes lean), so this scans the
 * table: it runs only when a passkey is revoked.
 */
export async function endSessionsOfCredentials(
  db: Kysely<Database>,
  credentialIds: readonly string[],
  now: number,
  scope: { userId: string; keep?: string },
): Promise<void> {
  if (credentialIds.length === 0) return;
  let query = db
    .updateTable('sessions')
    .set({ revoked_at: now })
    .where('credential_id', 'in', credentialIds)
    .where('user_id', '=', scope.userId)
    .where('revoked_at', 'is', null);
  if (scope.keep !== undefined) query = query.where('token_hash', '!=', scope.keep);
  await query.execute();
}

/**
 * Ends every live session of this user (not signed out or ended, not expired) except `keep`, the token_hash of the
 * session asking: "sign out everywhere else". Returns how many it ended. Like endSessionsOfCredentials this scans
 * the table (no index on user_id, migration 0002); it runs only when a user asks for it.
 */
export async function endOtherSessionsOfUser(
  db: Kysely<Database>,
  userId: string,
  keep: string,
  now: number,
): Promise<number> {
  const result = await db
    .updateTable('sessions')
    .set({ revoked_at: now })
    .where('user_id', '=', userId)
    .where('token_hash', '!=', keep)
    .where('revoked_at', 'is', null)
    .where('expires_at', '>', now)
    .executeTakeFirst();
  return Number(result.numUpdatedRows);
}

/** Whether this session has been ended (signed out, or ended by a revoke, a flag or another session) or is gone. */
export async function isSessionEnded(db: Kysely<Database>, tokenHash: string): Promise<boolean> {
  const row = await db
    .selectFrom('sessions')
    .select('revoked_at')
    .where('token_hash', '=', tokenHash)
    .executeTakeFirst();
  return row === undefined || row.revoked_at !== null;
}

export async function revokeSession(db: Kysely<Database>, tokenHash: string, now: number): Promise<void> {
  await db.updateTable('sessions').set({ revoked_at: now }).where('token_hash', '=', tokenHash).execute();
}
