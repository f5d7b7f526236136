import type { Kysely } from 'kysely';
import type { Database, UsersTable } from '../db/schema';
import type { Engine } from '../db/open-database';

export type UserRow = UsersTable;

export async function insertUser(db: Kysely<Database>, user: UserRow): Promise<void> {
  await db.insertInto('users').values(user).execute();
}

export async function findUserByName(db: Kysely<Database>, name: string): Promise<UserRow | undefined> {
  return db.selectFrom('users').selectAll().where('name', '=', name).executeTakeFirst();
}

export async function findUserById(db: Kysely<Database>, id: string): Promise<UserRow | undefined> {
  return db.selectFrom('users').selectAll().where('id', '=', id).executeTakeFirst();
}

/**
 * In a transaction: on PostgreSQL, locks the user's row until it ends, so that the account-wide writes that take
 * this lock first (revoking a passkey, store/credentials.ts; signing out the other sessions) run one after the
 * other for one user, across instances. FOR NO KEY UPDATE, as the revoke's: it does not hold up inserting a
 * session (its foreign key takes a key-share lock on this row). On SQLite, which runs one writer at a time, a
 * plain read.
 */
export async function lockUser(db: Kysely<Database>, engine: Engine, userId: string): Promise<void> {
  const query = db.selectFrom('users').select('id').where('id', '=', userId);
  await (engine === 'postgres' ? query.forNoKeyUpdate() : query).execute();
}
