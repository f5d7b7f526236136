/**
 * Credential rows: the registered passkeys. Every query that acts for a signed-in user is scoped by user_id,
 * so a user can never read, rename or revoke someone else's passkey (it is simply NOT_FOUND for them).
 */
import type { Kysely } from 'kysely';
import type { CredentialsTable, Database } from '../db/schema';
import type { Engine } from '../db/open-database';
import { deleteDesktopCodesOfCredentials } from './desktop';
import { endSessionsOfCredentials } from './sessions';

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
 * Deletes one passkey unless no usable one would remain: a flagged passkey (its sign counter went backwards) is
 * refused at sign-in, so it does not count, and the last unflagged passkey is kept even when flagged ones remain.
 * In the same transaction it ends every other session that signed in with the passkey, all but `requester` (the
 * token_hash of the session making the request, which lives on: the user is acting now, with the recent
 * user-verified sign-in revoking needs), and deletes the unspent desktop login codes approved with the passkey
 * (by any session, the requester's included: the exchange refuses a code whose passkey is gone anyway). The check
 * and the writes run in one transaction; on PostgreSQL the user's row is locked first so that two instances
 * revoking the last two passkeys at once cannot both pass the check. (SQLite serialises writers on its own.)
 * `requester` keeps its session even though its passkey may be the one revoked: a session is not refused for a
 * missing passkey (store/sessions.ts), only for being ended.
 */
export async function revokeCredential(
  db: Kysely<Database>,
  engine: Engine,
  userId: string,
  id: string,
  now: number,
  requester: string,
): Promise<RevokeOutcome> {
  return db.transaction().execute(async (trx) => {
    const lockUser = trx.selectFrom('users').select('id').where('id', '=', userId);
    // NO KEY UPDATE, not UPDATE: it excludes another revoke's lock all the same, but not the key-share lock that
    // inserting a session (its foreign key to the user) takes. A sign-in or desktop code exchange that holds this
    // user's passkey row and then inserts its session would otherwise wait for this transaction while this one
    // waits for that row: a deadlock, which PostgreSQL breaks by failing one of them.
    await (engine === 'postgres' ? lockUser.forNoKeyUpdate() : lockUser).execute();
    // Locked on PostgreSQL too (in ID order, as sign-ins lock them), so that a sign-in flagging the passkey that
    // would remain waits for this check or is seen by it.
    const ownedQuery = trx
      .selectFrom('credentials')
      .select(['id', 'flagged_at'])
      .where('user_id', '=', userId)
      .orderBy('id');
    const owned = await (engine === 'postgres' ? ownedQuery.forUpdate() : ownedQuery).execute();
    if (!owned.some((r) => r.id === id)) return 'not-found';
    if (!owned.some((r) => r.id !== id && r.flagged_at === null)) return 'last-passkey';
    await trx.deleteFrom('credentials').where('id', '=', id).where('user_id', '=', userId).execute();
    // After the locks: on PostgreSQL a sign-in or desktop code exchange of this passkey that was writing held the
    // passkey's row until it committed its session, so it has committed by now, and this statement (a new
    // snapshot) sees its session; one that comes later finds no passkey and makes no session. So only
    // `requester` is left.
    await endSessionsOfCredentials(trx, [id], now, { userId, keep: requester });
    await deleteDesktopCodesOfCredentials(trx, [id], userId);
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
