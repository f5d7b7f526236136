/** The four WebAuthn ceremony endpoints (JSON in, JSON out). See docs/server-api.md. */
import type { FastifyInstance, RouteShorthandOptions } from 'fastify';
import type { AuthenticationResponseJSON, RegistrationResponseJSON } from '@simplewebauthn/server';
import type { ServerContext } from '../context';
import { authenticationOptions, authenticationVerify } from '../flows/authentication';
import { registrationOptions, registrationVerify } from '../flows/registration';
import { challengeNamedIn } from '../flows/challenge-of';
import { optionalSession } from '../flows/session-auth';
import {
  authenticationOptionsBody,
  authenticationVerifyBody,
  parse,
  registrationOptionsBody,
  registrationVerifyBody,
} from '../schemas';
import { deleteChallenge } from '../store/challenges';
import { decodeClientData } from '../webauthn/client-data';

const string = { type: 'string' } as const;
/** The 200 reply of POST /api/authentication/verify (SignInResult): every member required, nothing else sent. */
const SIGN_IN_REPLY = {
  type: 'object',
  required: ['token', 'expiresAt', 'user', 'credentialId'],
  additionalProperties: false,
  properties: {
    token: string,
    expiresAt: string,
    user: {
      type: 'object',
      required: ['id', 'name', 'displayName'],
      additionalProperties: false,
      properties: { id: string, name: string, displayName: string },
    },
    credentialId: string,
  },
} as const;

/**
 * A challenge is spent by its first use, whatever the outcome: a verify request refused before its ceremony runs
 * (a bad `name`, an unknown member, a bad session) spends the challenge its clientDataJSON names, if it names one.
 */
async function spendNamedChallenge(ctx: ServerContext, body: unknown): Promise<void> {
  const challenge = challengeNamedIn(body);
  if (challenge !== undefined) await deleteChallenge(ctx.db, challenge);
}

/** `opts` carries the per-IP limit these routes share with the desktop login routes (limits.ts). */
export function registerCeremonyRoutes(
  app: FastifyInstance,
  ctx: ServerContext,
  opts: RouteShorthandOptions,
): void {
  app.post('/api/registration/options', opts, async (request) => {
    const body = parse(registrationOptionsBody, request.body ?? {}, 'body');
    const session = await optionalSession(ctx, request.headers.authorization);
    return registrationOptions(ctx, { session, username: body.username, displayName: body.displayName });
  });

  app.post('/api/registration/verify', opts, async (request, reply) => {
    let body, session;
    try {
      body = parse(registrationVerifyBody, request.body, 'body');
      session = await optionalSession(ctx, request.headers.authorization);
    } catch (e) {
      await spendNamedChallenge(ctx, request.body);
      throw e;
    }
    const result = await registrationVerify(ctx, {
      session,
      response: body.response as unknown as RegistrationResponseJSON,
      name: body.name,
    });
    return reply.code(201).send(result);
  });

  app.post('/api/authentication/options', opts, async (request) => {
    const body = parse(authenticationOptionsBody, request.body ?? {}, 'body');
    return authenticationOptions(ctx, { username: body.username });
  });

  // The sign-in reply is the hot path's only response: serialized by a compiled serializer, not JSON.stringify.
  app.post(
    '/api/authentication/verify',
    { ...opts, schema: { response: { 200: SIGN_IN_REPLY } } },
    async (request) => {
      let body;
      try {
        body = parse(authenticationVerifyBody, request.body, 'body');
      } catch (e) {
        await spendNamedChallenge(ctx, request.body);
        throw e;
      }
      const r = body.response;
      // Browsers send `userHandle: null` for credentials without one; WebAuthn JSON treats that as absent.
      const response = {
        ...r,
        response: { ...r.response, userHandle: r.response.userHandle ?? undefined },
      } as unknown as AuthenticationResponseJSON;
      // Decoded once here; the challenge lookup and the fast path both use it.
      return authenticationVerify(ctx, response, decodeClientData(r.response.clientDataJSON));
    },
  );
}
