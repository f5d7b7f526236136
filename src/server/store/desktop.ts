/**
 * Desktop login (RFC 8252 with PKCE, RFC 7636): a pending request made when the system browser opens the
 * authorize URL, and the one-time codes handed to the loopback redirect. Codes are stored hashed and consumed
 * with DELETE ... RETURNING, so each works once even across instances.
 */
import type { Kysely } from 'kysely';
import type { Database, DesktopCodesTable, DesktopRequestsTable } from '../db/schema';
import { hashSecret } from './sessions';

export type DesktopRequestRow = DesktopRequestsTable;
export type DesktopCodeRow = DesktopCodesTable;

export async function insertDesktopRequest(db: Kysely<Database>, row: DesktopRequestRow): Promise<void> {
  await db.insertInto('desktop_requests').values(row).execute();
}

export async function findDesktopRequest(
  db: Kysely<Database>,
  id: string,
): Promise<DesktopRequestRow | undefined> {
  return db.selectFrom('desktop_requests').selectAll().where('id', '=', id).executeTakeFirst();
}

export async function takeDesktopRequest(
  db: Kysely<Database>,
  id: string,
): Promise<DesktopRequestRow | undefined> {
  return db.deleteFrom('desktop_requests').where('id', '=', id).returningAll().executeTakeFirst();
}

export async function insertDesktopCode(
  db: Kysely<Database>,
  code: string,
  row: Omit<DesktopCodeRow, 'code_hash'>,
): Promise<void> {
  await db
    .insertInto('desktop_codes')
    .values({ ...row, code_hash: hashSecret(code) })
    .execute();
}

export async function takeDesktopCode(
  db: Kysely<Database>,
  code: string,
): Promise<DesktopCodeRow | undefined> {
  return db
    .deleteFrom('desktop_codes')
    .where('code_hash', '=', hashSecret(code))
    .returningAll()
    .executeTakeFirst();
}

/** Deletes the unspent codes approved by a session of one of these passkeys (revoked or flagged). */
export async function deleteDesktopCodesOfCredentials(
  db: Kysely<Database>,
  credentialIds: readonly string[],
  userId?: string,
): Promise<void> {
  if (credentialIds.length === 0) return;
  let query = db.deleteFrom('desktop_codes').where('credential_id', 'in', credentialIds);
  if (userId !== undefined) query = query.where('user_id', '=', userId);
  await query.execute();
}

/**
 * Deletes every unspent code of this user. Codes record the passkey and sign-in time of the session that approved
 * them, not the session itself, so "sign out everywhere else" cannot tell the asking session's codes from the
 * others' and deletes them all (a code lives a minute: at most one desktop login to start again).
 */
export async function deleteDesktopCodesOfUser(db: Kysely<Database>, userId: string): Promise<void> {
  await db.deleteFrom('desktop_codes').where('user_id', '=', userId).execute();
}
