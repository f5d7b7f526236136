/**
 * Credential rows: the registered passkeys. Every query that acts for a signed-in user is scoped by user_id,
 * so a user can never read, rename or revoke someone else's passkey (it is simply NOT_FOUND for them).
 */
import type { Kysely } from 'kysely';
import type { CredentialsTable, Database } from '../db/schema';
import type { Engine } from '../db/open-database';

export type CredentialRow = CredentialsTable;

export async function insertCredential(db: Kysely<Database>, row: CredentialRow): Promise<void> {
  await db.insertInto('credentials').values(row).execute();
}

export async function findCredential(db: Kysely<Database>, id: string): Promise<CredentialRow | undefined> {
  return db.selectFrom('credentials').selectAll().where('id', '=', id).executeTakeFirst();
}

export async function listCredentials(db: Kysely<Database>, userId: string): Promise<CredentialRow[]> {
  return db
    .selectFrom('credentials')
    .selectAll()
    .where('user_id', '=', userId)
    .orderBy('created_at')
    .orderBy('id')
    .execute();
}

export async function listCredentialIds(db: Kysely<Database>, userId: string): Promise<string[]> {
  const rows = await db
    .selectFrom('credentials')
    .select('id')
    .where('user_id', '=', userId)
    .orderBy('created_at')
    .execute();
  return rows.map((r) => r.id);
}

/** After a verified sign-in: the new counter, backup state and last-used time (WebAuthn §7.2 step 21-22). */
export async function recordUse(
  db: Kysely<Database>,
  id: string,
  update: { counter: number; backedUp: boolean; now: number },
): Promise<void> {
  await db
    .updateTable('credentials')
    .set({ counter: update.counter, backed_up: update.backedUp ? 1 : 0, last_used_at: update.now })
    .where('id', '=', id)
    .execute();
}

export async function flagCredential(
  db: Kysely<Database>,
  id: string,
  reason: string,
  now: number,
): Promise<void> {
  await db
    .updateTable('credentials')
    .set({ flagged_at: now, flag_reason: reason })
    .where('id', '=', id)
    .execute();
}

export async function renameCredential(
  db: Kysely<Database>,
  userId: string,
  id: string,
  name: string,
): Promise<boolean> {
  const result = await db
    .updateTable('credentials')
    .set({ name })
    .where('id', '=', id)
    .where('user_id', '=', userId)
    .executeTakeFirst();
  return result.numUpdatedRows > 0n;
}

export type RevokeOutcome = 'revoked' | 'not-found' | 'last-passkey';

/**
 * Deletes one passkey unless it is the user's last. The count and the delete run in one transaction; on
 * PostgreSQL the user's row is locked first so that two instances revoking the last two passkeys at once
 * cannot both pass the check. (SQLite serialises writers on its own.)
 */
export async function revokeCredential(
  db: Kysely<Database>,
  engine: Engine,
  userId: string,
  id: string,
): Promise<RevokeOutcome> {
  return db.transaction().execute(async (trx) => {
    const lockUser = trx.selectFrom('users').select('id').where('id', '=', userId);
    await (engine === 'postgres' ? lockUser.forUpdate() : lockUser).execute();
    const owned = await trx.selectFrom('credentials').select('id').where('user_id', '=', userId).execute();
    if (!owned.some((r) => r.id === id)) return 'not-found';
    if (owned.length <= 1) return 'last-passkey';
    await trx.deleteFrom('credentials').where('id', '=', id).where('user_id', '=', userId).execute();
    return 'revoked';
  });
}

export interface CredentialWithUser {
  id: string;
  user_id: string;
  public_key: string;
  counter: number;
  flagged_at: number | null;
  user_name: string;
  user_display_name: string;
}

/** The one read of a sign-in: the credential and its owner together. */
export async function findCredentialWithUser(
  db: Kysely<Database>,
  id: string,
): Promise<CredentialWithUser | undefined> {
  return db
    .selectFrom('credentials')
    .innerJoin('users', 'users.id', 'credentials.user_id')
    .select([
      'credentials.id',
      'credentials.user_id',
      'credentials.public_key',
      'credentials.counter',
      'credentials.flagged_at',
      'users.name as user_name',
      'users.display_name as user_display_name',
    ])
    .where('credentials.id', '=', id)
    .executeTakeFirst();
}
