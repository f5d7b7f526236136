/**
 * Rows that can never be used again, deleted once a minute by the running server so the database does not
 * grow with every ceremony: expired challenges, desktop login requests and codes, and sessions a day after
 * they expired (until then a client presenting one is told "the session expired … sign in again" rather than
 * "unknown session"). Nothing depends on the sweep for correctness: every read checks expiry itself.
 */
import type { Kysely } from 'kysely';
import type { Database } from '../db/schema';

/** How long an expired session is kept so that its owner gets the clearer "expired" answer. */
export const EXPIRED_SESSION_KEPT_MS = 24 * 60 * 60_000;

export async function sweepExpired(db: Kysely<Database>, now: number): Promise<void> {
  await db.deleteFrom('challenges').where('expires_at', '<=', now).execute();
  await db.deleteFrom('desktop_requests').where('expires_at', '<=', now).execute();
  await db.deleteFrom('desktop_codes').where('expires_at', '<=', now).execute();
  await db
    .deleteFrom('sessions')
    .where('expires_at', '<=', now - EXPIRED_SESSION_KEPT_MS)
    .execute();
}
