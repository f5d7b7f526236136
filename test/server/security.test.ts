/** Transport-level protections: headers, closed CORS, rate limits, and counter-regression flagging. */
import { afterEach, describe, expect, it } from 'vitest';
import type { RunningServer } from '../../src/server';
import { startServer } from '../../src/server';
import { SoftAuthenticator } from '../helpers/soft-authenticator';
import { addPasskey, authOptions, call, signIn, signUp, verifyAssertion } from './support';

describe('server security', () => {
  let server: RunningServer;
  afterEach(async () => server.close());

  it('serves pages with a strict CSP and security headers, and no inline script', async () => {
    server = await startServer({ port: 0 });
    for (const page of ['/signup', '/signin', '/manage']) {
      const res = await fetch(server.url + page);
      const html = await res.text();
      expect(res.headers.get('content-type')).toMatch(/^text\/html/);
      expect(res.headers.get('content-security-policy')).toMatch(/default-src 'none'; script-src 'self'/);
      expect(res.headers.get('x-frame-options')).toBe('DENY');
      expect(res.headers.get('x-content-type-options')).toBe('nosniff');
      expect(res.headers.get('referrer-policy')).toBe('no-referrer');
      expect(html).not.toMatch(/<script(?![^>]*\bsrc=)[^>]*>/); // every script has a src
      expect(html).not.toMatch(/\son[a-z]+=/); // no inline event handlers
    }
  });

  it('keeps CORS closed: foreign origins are refused and no CORS header is ever sent', async () => {
    server = await startServer({ port: 0 });
    const foreign = await call(server, 'POST', '/api/authentication/options', {
      body: {},
      headers: { origin: 'https://evil.example' },
    });
    expect(foreign.status).toBe(403);
    expect(foreign.json.code).toBe('FORBIDDEN_ORIGIN');
    expect(foreign.headers.get('access-control-allow-origin')).toBeNull();
    const preflight = await fetch(`${server.url}/api/account/me`, {
      method: 'OPTIONS',
      headers: { origin: 'https://evil.example', 'access-control-request-method': 'GET' },
    });
    expect(preflight.headers.get('access-control-allow-origin')).toBeNull();
    const own = await call(server, 'POST', '/api/authentication/options', {
      body: {},
      headers: { origin: server.origin },
    });
    expect(own.status).toBe(200);
    expect(own.headers.get('access-control-allow-origin')).toBeNull();
  });

  it('rate-limits ceremony endpoints with 429 RATE_LIMITED', async () => {
    server = await startServer({ port: 0, rateLimit: { max: 3, timeWindowMs: 60_000 } });
    const statuses: number[] = [];
    let last: Record<string, unknown> = {};
    for (let i = 0; i < 5; i++) {
      const r = await call(server, 'POST', '/api/authentication/options', { body: {} });
      statuses.push(r.status);
      last = r.json;
    }
    expect(statuses).toEqual([200, 200, 200, 429, 429]);
    expect(last.code).toBe('RATE_LIMITED');
    // Management routes are not ceremony endpoints and are not limited by this.
    expect((await call(server, 'GET', '/.well-known/passkey-endpoints')).status).toBe(200);
  });

  it('gives each client IP one budget for all the ceremony and desktop login endpoints together, not one per route', async () => {
    server = await startServer({ port: 0, rateLimit: { max: 3, timeWindowMs: 60_000 } });
    // Three requests, each to another route, spend the budget (whatever they answer)...
    expect((await call(server, 'POST', '/api/registration/options', { body: {} })).status).toBe(400);
    expect((await call(server, 'POST', '/api/authentication/options', { body: {} })).status).toBe(200);
    expect((await call(server, 'POST', '/api/desktop/deny', { body: { request: 'x' } })).status).toBe(400);
    // ...so every other one of them is refused now, each seen for the first time.
    for (const [method, path] of [
      ['POST', '/api/registration/verify'],
      ['POST', '/api/authentication/verify'],
      ['POST', '/api/authentication/options'],
      ['GET', '/desktop/authorize'],
      ['POST', '/api/desktop/request'],
      ['POST', '/api/desktop/approve'],
      ['POST', '/api/desktop/token'],
    ] as const) {
      const r = await call(server, method, path, method === 'POST' ? { body: {} } : {});
      expect({ path, status: r.status, code: r.json.code }).toEqual({
        path,
        status: 429,
        code: 'RATE_LIMITED',
      });
      expect(r.json.message).toMatch(/ceremony and desktop login endpoints allow 3 together per 60 s/);
    }
    // The management API has a budget of its own.
    expect((await call(server, 'GET', '/api/account/me')).json.code).toBe('NOT_SIGNED_IN');
  });

  it('rate-limits the management API per client IP, one budget for all of /api/account', async () => {
    server = await startServer({ port: 0, accountRateLimit: { max: 2, timeWindowMs: 60_000 } });
    const auth = new SoftAuthenticator();
    const { token, credentialId } = await signUp(server, auth, 'busy');
    expect((await call(server, 'GET', '/api/account/me', { token })).status).toBe(200);
    expect((await call(server, 'GET', '/api/account/passkeys', { token })).status).toBe(200);
    for (const [method, path] of [
      ['GET', '/api/account/me'],
      ['GET', '/api/account/signal/accepted-credentials'],
      ['PATCH', `/api/account/passkeys/${credentialId}`],
      ['POST', '/api/account/sign-out'],
      ['POST', '/api/account/sessions/sign-out-others'],
    ] as const) {
      const r = await call(server, method, path, { token, ...(method === 'GET' ? {} : { body: {} }) });
      expect({ path, status: r.status, code: r.json.code }).toEqual({
        path,
        status: 429,
        code: 'RATE_LIMITED',
      });
    }
    // Sign-in is not held up by it.
    expect((await call(server, 'POST', '/api/authentication/options', { body: {} })).status).toBe(200);
  });

  it('flags a credential whose sign counter goes backwards, refuses it from then on, and ends its sessions', async () => {
    server = await startServer({ port: 0 });
    const auth = new SoftAuthenticator();
    const { token, credentialId } = await signUp(server, auth, 'clone');
    const other = new SoftAuthenticator();
    expect((await addPasskey(server, other, token)).status).toBe(201);
    const earlier = await signIn(server, auth);
    await signIn(server, auth); // stored counter is now 2
    const cloned = auth.authenticate(await authOptions(server), server.origin, { counter: 1 });
    const r = await verifyAssertion(server, cloned);
    expect(r.status).toBe(403);
    expect(r.json.code).toBe('COUNTER_REGRESSION');
    // Whoever signed in with it before (the owner or the clone) is signed out: its sessions ended with the flag.
    for (const t of [token, earlier.token]) {
      const me = await call(server, 'GET', '/api/account/me', { token: t });
      expect([me.status, me.json.code]).toEqual([401, 'SESSION_EXPIRED']);
      expect(me.json.message).toMatch(/flagged as possibly cloned/);
    }
    const fresh = await signIn(server, other);
    const list = await call<{ passkeys: { id: string; flagged: { reason: string } | null }[] }>(
      server,
      'GET',
      '/api/account/passkeys',
      { token: fresh.token },
    );
    expect(list.json.passkeys.find((p) => p.id === credentialId)?.flagged?.reason).toMatch(
      /counter 1 is not above the stored 2/,
    );
    const next = await verifyAssertion(server, auth.authenticate(await authOptions(server), server.origin));
    expect(next.json.code).toBe('COUNTER_REGRESSION');
    const sessions = await server.db
      .selectFrom('sessions')
      .select(['credential_id', 'revoked_at'])
      .where('credential_id', '=', credentialId)
      .execute();
    // sign-up + two good sign-ins, none for the refused ones; all three ended.
    expect(sessions).toHaveLength(3);
    expect(sessions.every((s) => s.revoked_at !== null)).toBe(true);
  });

  it('does not flag on a counter regression with a bad signature (no denial of service by forgery)', async () => {
    server = await startServer({ port: 0 });
    const auth = new SoftAuthenticator();
    const { credentialId } = await signUp(server, auth, 'solid');
    await signIn(server, auth);
    const forged = auth.authenticate(await authOptions(server), server.origin, { counter: 0 });
    forged.response.signature = Buffer.alloc(70, 1).toString('base64url');
    const r = await verifyAssertion(server, forged);
    expect(r.json.code).toBe('VERIFICATION_FAILED');
    const row = await server.db
      .selectFrom('credentials')
      .select('flagged_at')
      .where('id', '=', credentialId)
      .executeTakeFirstOrThrow();
    expect(row.flagged_at).toBeNull();
  });
});
