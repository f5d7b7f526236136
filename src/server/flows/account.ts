/**
 * The management API for the signed-in user: list, rename, revoke, sign out the other sessions, and the two
 * Signal API payloads (https://w3c.github.io/webauthn/#sctn-signal-methods) that let a credential provider hide
 * revoked passkeys and update the names it shows.
 */
import { ApiError } from '../api-error';
import type { ServerContext } from '../context';
import { listCredentialIds, listCredentials, renameCredential, revokeCredential } from '../store/credentials';
import { deleteDesktopCodesOfUser } from '../store/desktop';
import type { SessionRow } from '../store/sessions';
import { endOtherSessionsOfUser, isSessionEnded } from '../store/sessions';
import { findUserById, lockUser } from '../store/users';
import type { PasskeyView } from './passkey-view';
import { toPasskeyView } from './passkey-view';
import { requireRecentSignIn } from './session-auth';
import { missingCase } from '../../shared/errors';

export async function listPasskeys(ctx: ServerContext, session: SessionRow): Promise<PasskeyView[]> {
  return (await listCredentials(ctx.db, session.user_id)).map(toPasskeyView);
}

export async function renamePasskey(
  ctx: ServerContext,
  session: SessionRow,
  id: string,
  name: string,
): Promise<PasskeyView> {
  if (!(await renameCredential(ctx.db, session.user_id, id, name))) throw notYours(id);
  const row = (await listCredentials(ctx.db, session.user_id)).find((c) => c.id === id);
  if (!row) throw notYours(id);
  return toPasskeyView(row);
}

/**
 * Revokes a passkey of the signed-in user. In the same transaction every other session that signed in with it
 * ends and the unspent desktop login codes approved with it are deleted. The session making this request lives
 * on, even when it signed in with that very passkey (a client purging the passkey it signed in with keeps
 * working): store/credentials.ts.
 */
export async function revokePasskey(ctx: ServerContext, session: SessionRow, id: string): Promise<void> {
  requireRecentSignIn(ctx, session, 'revoking');
  const outcome = await revokeCredential(
    ctx.db,
    ctx.engine,
    session.user_id,
    id,
    ctx.clock.now(),
    session.token_hash,
  );
  switch (outcome) {
    case 'revoked':
      ctx.keyCache.forget(id);
      return;
    case 'not-found':
      throw notYours(id);
    case 'last-passkey':
      throw new ApiError(
        409,
        'LAST_PASSKEY',
        'this is the last passkey of the account that can sign in (flagged ones cannot); add another before revoking it',
      );
    default:
      missingCase(outcome);
  }
}

/**
 * "Sign out everywhere else": ends every live session of the signed-in user but this one, whatever passkey they
 * signed in with (browser and desktop app sessions alike), and deletes the user's unspent desktop login codes
 * (store/desktop.ts: codes do not record which session approved them, so this session's go too). Returns how many
 * sessions it ended. It is how a user ends a session that revoked its own passkey, which the revoke spares.
 *
 * One transaction, after the user's row lock (PostgreSQL; the revoke takes it too): two sessions of one account
 * asking at once run one after the other, and the second, ended by the first, gets 401 and ends nothing.
 */
export async function signOutOtherSessions(ctx: ServerContext, session: SessionRow): Promise<number> {
  requireRecentSignIn(ctx, session, 'signing out the other sessions');
  const now = ctx.clock.now();
  const ended = await ctx.db.transaction().execute(async (trx) => {
    await lockUser(trx, ctx.engine, session.user_id);
    if (await isSessionEnded(trx, session.token_hash)) return undefined;
    const count = await endOtherSessionsOfUser(trx, session.user_id, session.token_hash, now);
    await deleteDesktopCodesOfUser(trx, session.user_id);
    return count;
  });
  if (ended === undefined)
    throw new ApiError(
      401,
      'SESSION_EXPIRED',
      'the session was signed out by another session of the account while this request ran; sign in again',
    );
  return ended;
}

export async function acceptedCredentials(
  ctx: ServerContext,
  session: SessionRow,
): Promise<{ rpId: string; userId: string; allAcceptedCredentialIds: string[] }> {
  return {
    rpId: ctx.rpId,
    userId: session.user_id,
    allAcceptedCredentialIds: await listCredentialIds(ctx.db, session.user_id),
  };
}

export async function currentUserDetails(
  ctx: ServerContext,
  session: SessionRow,
): Promise<{ rpId: string; userId: string; name: string; displayName: string }> {
  const user = await findUserById(ctx.db, session.user_id);
  if (!user) throw new ApiError(401, 'NOT_SIGNED_IN', 'the signed-in account no longer exists');
  return { rpId: ctx.rpId, userId: user.id, name: user.name, displayName: user.display_name };
}

/** Someone else's passkey and a missing one look the same: a user learns nothing about other accounts. */
const notYours = (id: string): ApiError =>
  new ApiError(404, 'NOT_FOUND', `no passkey with ID ${id.slice(0, 16)} in this account`);
