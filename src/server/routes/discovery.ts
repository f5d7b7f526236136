/**
 * Discovery: `/.well-known/passkey-endpoints` (W3C "A Well-Known URL for Passkey Endpoints": `enroll` and
 * `manage` page URLs) and `/api`, which names every JSON endpoint so a client needs only the server's URL.
 */
import type { FastifyInstance } from 'fastify';
import type { ServerContext } from '../context';
import { publicOrigin } from '../context';
import { ACCOUNT_API_BASE } from './account';

export function registerDiscoveryRoutes(app: FastifyInstance, ctx: ServerContext): void {
  app.get('/.well-known/passkey-endpoints', async (_request, reply) => {
    reply.header('cache-control', 'public, max-age=300');
    return { enroll: `${publicOrigin(ctx)}/signup`, manage: `${publicOrigin(ctx)}/manage` };
  });

  app.get('/api', async () => ({
    rpId: ctx.rpId,
    rpName: ctx.rpName,
    origins: ctx.origins,
    passkeyEndpoints: '/.well-known/passkey-endpoints',
    registration: { options: '/api/registration/options', verify: '/api/registration/verify' },
    authentication: { options: '/api/authentication/options', verify: '/api/authentication/verify' },
    account: {
      base: ACCOUNT_API_BASE,
      passkeys: `${ACCOUNT_API_BASE}/passkeys`,
      acceptedCredentials: `${ACCOUNT_API_BASE}/signal/accepted-credentials`,
      currentUser: `${ACCOUNT_API_BASE}/me`,
      signOut: `${ACCOUNT_API_BASE}/sign-out`,
      // Optional for clients (servers before it do not list it); Passkey Desk's parser ignores members it does
      // not know (src/main/accounts/discovery.ts).
      signOutOthers: `${ACCOUNT_API_BASE}/sessions/sign-out-others`,
    },
    desktop: {
      authorize: '/desktop/authorize',
      token: '/api/desktop/token',
      request: '/api/desktop/request',
      approve: '/api/desktop/approve',
      deny: '/api/desktop/deny',
    },
  }));
}
