/**
 * Challenges live in the database, not in process memory, so that one instance can issue a challenge and
 * another verify it. Consuming is a single DELETE ... RETURNING: of two racing verifications, exactly one
 * gets the row (WebAuthn §13.4.3: a challenge is used once).
 */
import type { Kysely } from 'kysely';
import type { ChallengesTable, Database } from '../db/schema';

export type Flow = 'registration' | 'authentication';
export type ChallengeRow = ChallengesTable;

export async function insertChallenge(db: Kysely<Database>, row: ChallengeRow): Promise<void> {
  await db.insertInto('challenges').values(row).execute();
}

/** Removes the challenge whatever the outcome of the ceremony, and returns it only if it fits the flow and is fresh. */
export async function consumeChallenge(
  db: Kysely<Database>,
  id: string,
  flow: Flow,
  now: number,
): Promise<{ ok: true; row: ChallengeRow } | { ok: false; why: string }> {
  const row = await db.deleteFrom('challenges').where('id', '=', id).returningAll().executeTakeFirst();
  return checkChallenge(row, flow, now);
}

/** Spends a challenge unread: a verify request refused before its ceremony ran (routes/ceremonies.ts). */
export async function deleteChallenge(db: Kysely<Database>, id: string): Promise<void> {
  await db.deleteFrom('challenges').where('id', '=', id).execute();
}

/** Whether a consumed challenge row answers this flow and is still fresh. */
export function checkChallenge(
  row: ChallengeRow | undefined,
  flow: Flow,
  now: number,
): { ok: true; row: ChallengeRow } | { ok: false; why: string } {
  if (!row) return { ok: false, why: 'the challenge is unknown or was already used' };
  if (row.flow !== flow) return { ok: false, why: `the challenge was issued for ${row.flow}, not ${flow}` };
  if (row.expires_at <= now)
    return { ok: false, why: `the challenge expired ${now - row.expires_at} ms ago` };
  return { ok: true, row };
}
