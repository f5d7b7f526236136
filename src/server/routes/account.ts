/** The management API for the signed-in user, under /api/account. See docs/server-api.md. */
import type { FastifyInstance, RouteShorthandOptions } from 'fastify';
import type { ServerContext } from '../context';
import {
  acceptedCredentials,
  currentUserDetails,
  listPasskeys,
  renamePasskey,
  revokePasskey,
  signOutOtherSessions,
} from '../flows/account';
import { requireSession } from '../flows/session-auth';
import { credentialIdParam, emptyBody, parse, renameBody } from '../schemas';
import { revokeSession } from '../store/sessions';

export const ACCOUNT_API_BASE = '/api/account';

/** `opts` carries the per-IP limit of the management API (limits.ts). */
export function registerAccountRoutes(
  app: FastifyInstance,
  ctx: ServerContext,
  opts: RouteShorthandOptions,
): void {
  const base = ACCOUNT_API_BASE;

  app.get(`${base}/passkeys`, opts, async (request) => {
    const session = await requireSession(ctx, request.headers.authorization);
    return { passkeys: await listPasskeys(ctx, session) };
  });

  app.patch(`${base}/passkeys/:id`, opts, async (request) => {
    const session = await requireSession(ctx, request.headers.authorization);
    const { id } = parse(credentialIdParam, request.params, 'path');
    const { name } = parse(renameBody, request.body, 'body');
    return { passkey: await renamePasskey(ctx, session, id, name) };
  });

  app.delete(`${base}/passkeys/:id`, opts, async (request) => {
    const session = await requireSession(ctx, request.headers.authorization);
    const { id } = parse(credentialIdParam, request.params, 'path');
    parse(emptyBody, request.body ?? {}, 'body');
    await revokePasskey(ctx, session, id);
    // The new accepted list comes back so a client can signal it at once. This session lives on, even when it
    // revoked the passkey it signed in with; the passkey's other sessions have ended (flows/account.ts).
    return { revoked: id, accepted: await acceptedCredentials(ctx, session) };
  });

  app.get(`${base}/signal/accepted-credentials`, opts, async (request) => {
    const session = await requireSession(ctx, request.headers.authorization);
    return acceptedCredentials(ctx, session);
  });

  app.get(`${base}/me`, opts, async (request) => {
    const session = await requireSession(ctx, request.headers.authorization);
    return currentUserDetails(ctx, session);
  });

  app.post(`${base}/sign-out`, opts, async (request, reply) => {
    const session = await requireSession(ctx, request.headers.authorization);
    parse(emptyBody, request.body ?? {}, 'body');
    await revokeSession(ctx.db, session.token_hash, ctx.clock.now());
    return reply.code(204).send();
  });

  // "Sign out everywhere else": every other session of the account ends, this one lives on (flows/account.ts).
  app.post(`${base}/sessions/sign-out-others`, opts, async (request) => {
    const session = await requireSession(ctx, request.headers.authorization);
    parse(emptyBody, request.body ?? {}, 'body');
    return { ended: await signOutOtherSessions(ctx, session) };
  });
}
