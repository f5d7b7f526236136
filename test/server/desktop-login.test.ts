/**
 * Desktop login (RFC 8252 + PKCE): a native client's loopback listener receives the code; the code works once,
 * within its lifetime, with the right verifier and redirect URI.
 */
import { createHash, randomBytes } from 'node:crypto';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { RunningServer } from '../../src/server';
import { startServer } from '../../src/server';
import { SoftAuthenticator } from '../helpers/soft-authenticator';
import { addPasskey, call, ManualClock, signIn, signUp, snapshot } from './support';

function pkce(): { verifier: string; challenge: string } {
  const verifier = randomBytes(32).toString('base64url');
  return { verifier, challenge: createHash('sha256').update(verifier).digest('base64url') };
}

describe('desktop login for native clients', () => {
  let server: RunningServer;
  let auth: SoftAuthenticator;
  const clock = new ManualClock();
  const redirectUri = 'http://127.0.0.1:53682/callback';

  beforeEach(async () => {
    server = await startServer({ port: 0, clock });
    auth = new SoftAuthenticator();
    await signUp(server, auth, 'alice');
  });
  afterEach(async () => server.close());

  async function authorize(params: Record<string, string>) {
    const query = new URLSearchParams({
      response_type: 'code',
      code_challenge_method: 'S256',
      state: 'st-123',
      redirect_uri: redirectUri,
      ...params,
    });
    return fetch(`${server.url}/desktop/authorize?${query.toString()}`, { redirect: 'manual' });
  }

  /** What the sign-in page does: authorize → passkey sign-in → approve. Returns the loopback redirect URL. */
  async function loginInBrowser(challenge: string): Promise<URL> {
    const start = await authorize({ code_challenge: challenge });
    expect(start.status).toBe(303);
    const location = start.headers.get('location') ?? '';
    expect(location).toMatch(/^\/signin\?desktop=/);
    const request = new URL(location, server.url).searchParams.get('desktop')!;
    const session = await signIn(server, auth);
    const approved = await call<{ redirectTo: string }>(server, 'POST', '/api/desktop/approve', {
      token: session.token,
      body: { request },
    });
    expect(approved.status).toBe(200);
    return new URL(approved.json.redirectTo);
  }

  it('redirects to the loopback URI with code and state, and exchanges code + verifier for a session', async () => {
    const { verifier, challenge } = pkce();
    const back = await loginInBrowser(challenge);
    expect(back.origin + back.pathname).toBe(redirectUri);
    expect(back.searchParams.get('state')).toBe('st-123');
    const code = back.searchParams.get('code')!;
    // Form-encoded, as RFC 6749 §4.1.3 sends it.
    const form = new URLSearchParams({
      grant_type: 'authorization_code',
      code,
      code_verifier: verifier,
      redirect_uri: redirectUri,
    });
    const res = await fetch(`${server.url}/api/desktop/token`, {
      method: 'POST',
      headers: { 'content-type': 'application/x-www-form-urlencoded' },
      body: form,
    });
    const token = (await res.json()) as { access_token: string; token_type: string; expires_in: number };
    expect(res.status).toBe(200);
    expect(token.token_type).toBe('Bearer');
    expect(token.expires_in).toBe(12 * 60 * 60);
    const me = await call(server, 'GET', '/api/account/me', { token: token.access_token });
    expect(me.json.name).toBe('alice');
    // Single use: the same code again is refused.
    const again = await call(server, 'POST', '/api/desktop/token', {
      body: { grant_type: 'authorization_code', code, code_verifier: verifier, redirect_uri: redirectUri },
    });
    expect(again.status).toBe(400);
    expect(again.json.code).toBe('INVALID_GRANT');
  });

  it('refuses a wrong verifier, a different redirect URI and an expired code, creating no session', async () => {
    const cases: [string, (code: string, verifier: string) => Record<string, string>, () => void][] = [
      [
        'wrong verifier',
        (code) => ({ code, code_verifier: pkce().verifier, redirect_uri: redirectUri }),
        () => undefined,
      ],
      [
        'other redirect',
        (code, verifier) => ({ code, code_verifier: verifier, redirect_uri: 'http://127.0.0.1:1/callback' }),
        () => undefined,
      ],
      [
        'expired',
        (code, verifier) => ({ code, code_verifier: verifier, redirect_uri: redirectUri }),
        () => clock.advance(60_001),
      ],
    ];
    for (const [label, body, before] of cases) {
      const { verifier, challenge } = pkce();
      const code = (await loginInBrowser(challenge)).searchParams.get('code')!;
      before();
      const state = ((await snapshot(server)) as { sessions: unknown }).sessions;
      const r = await call(server, 'POST', '/api/desktop/token', {
        body: { grant_type: 'authorization_code', ...body(code, verifier) },
      });
      expect({ label, status: r.status, code: r.json.code }).toEqual({
        label,
        status: 400,
        code: 'INVALID_GRANT',
      });
      expect(((await snapshot(server)) as { sessions: unknown }).sessions).toEqual(state);
      // Spent by the failed attempt: the right values no longer work either.
      const retry = await call(server, 'POST', '/api/desktop/token', {
        body: { grant_type: 'authorization_code', code, code_verifier: verifier, redirect_uri: redirectUri },
      });
      expect(retry.json.code).toBe('INVALID_GRANT');
    }
  });

  it('spends the code named by a token request that is refused before the exchange (wrong grant_type, unknown member)', async () => {
    for (const [label, refused] of [
      ['grant_type=password', { grant_type: 'password' }],
      ['unknown member', { scope: 'all' }],
      ['no verifier', { code_verifier: undefined }],
    ] as const) {
      const { verifier, challenge } = pkce();
      const code = (await loginInBrowser(challenge)).searchParams.get('code')!;
      const right = {
        grant_type: 'authorization_code',
        code,
        code_verifier: verifier,
        redirect_uri: redirectUri,
      };
      // Form-encoded, as RFC 6749 §4.1.3 sends it.
      const form = new URLSearchParams(
        Object.entries({ ...right, ...refused }).filter((e): e is [string, string] => e[1] !== undefined),
      );
      const res = await fetch(`${server.url}/api/desktop/token`, {
        method: 'POST',
        headers: { 'content-type': 'application/x-www-form-urlencoded' },
        body: form,
      });
      expect({ label, status: res.status }).toEqual({ label, status: 400 });
      const retry = await call(server, 'POST', '/api/desktop/token', { body: right });
      expect({ label, status: retry.status, code: retry.json.code }).toEqual({
        label,
        status: 400,
        code: 'INVALID_GRANT',
      });
      expect(retry.json.message).toBe('the code is unknown or was already used');
    }
  });

  it('accepts only http://127.0.0.1:PORT redirect URIs and S256', async () => {
    const { challenge } = pkce();
    // Each refusal says what exactly is wrong (and never repeats a password).
    for (const [bad, why] of [
      ['https://127.0.0.1:4000/cb', /its scheme is https, not http\./],
      ['http://localhost:4000/cb', /its host is localhost, not 127\.0\.0\.1\./],
      ['http://127.0.0.1/cb', /it names no port/],
      ['http://127.0.0.1:0/cb', /its port is 0, which no app listens on\./],
      ['http://evil.example:4000/cb', /its host is evil\.example, not 127\.0\.0\.1\./],
      [
        'http://user:pw@127.0.0.1:4000/cb',
        /^redirect_uri http:\/\/127\.0\.0\.1:4000\/cb is refused: it has a user name or password\./,
      ],
      [
        'http://127.0.0.1:4000/cb#frag',
        /^redirect_uri http:\/\/127\.0\.0\.1:4000\/cb is refused: it has a fragment/,
      ],
    ] as const) {
      const r = await authorize({ code_challenge: challenge, redirect_uri: bad });
      const json = (await r.json()) as { code: string; message: string };
      expect({ bad, status: r.status, code: json.code }).toEqual({ bad, status: 400, code: 'INVALID_INPUT' });
      expect(json.message).toMatch(why);
      expect(json.message).not.toContain('pw');
      expect(r.headers.get('location')).toBeNull();
    }
    const plain = await authorize({ code_challenge: challenge, code_challenge_method: 'plain' });
    expect(plain.status).toBe(400);
  });

  it('approving needs a fresh sign-in, and a request works once', async () => {
    const { challenge } = pkce();
    const start = await authorize({ code_challenge: challenge });
    const request = new URL(start.headers.get('location')!, server.url).searchParams.get('desktop')!;
    const session = await signIn(server, auth);
    clock.advance(5 * 60_000 + 1);
    const stale = await call(server, 'POST', '/api/desktop/approve', {
      token: session.token,
      body: { request },
    });
    expect(stale.json.code).toBe('RECENT_SIGN_IN_REQUIRED');
    const fresh = await signIn(server, auth);
    expect(
      (await call(server, 'POST', '/api/desktop/approve', { token: fresh.token, body: { request } })).status,
    ).toBe(200);
    const twice = await call(server, 'POST', '/api/desktop/approve', {
      token: fresh.token,
      body: { request },
    });
    expect(twice.json.code).toBe('INVALID_GRANT');
  });

  it('tells the sign-in page where the app waits, from the stored request, without spending it', async () => {
    const { challenge } = pkce();
    const start = await authorize({ code_challenge: challenge });
    const request = new URL(start.headers.get('location')!, server.url).searchParams.get('desktop')!;
    const described = await call(server, 'POST', '/api/desktop/request', { body: { request } });
    expect([described.status, described.json]).toEqual([
      200,
      { app: '127.0.0.1:53682', expiresAt: new Date(clock.ms + 10 * 60_000).toISOString() },
    ]);
    // Still there for the Allow that follows.
    const session = await signIn(server, auth);
    const approved = await call(server, 'POST', '/api/desktop/approve', {
      token: session.token,
      body: { request },
    });
    expect(approved.status).toBe(200);
    const spent = await call(server, 'POST', '/api/desktop/request', { body: { request } });
    expect([spent.status, spent.json.code]).toEqual([400, 'INVALID_GRANT']);
    const api = await call<{ desktop: Record<string, string> }>(server, 'GET', '/api');
    expect(api.json.desktop.request).toBe('/api/desktop/request');
  });

  it("the page's Cancel sends the browser back with access_denied and the state, and spends the request", async () => {
    const { challenge } = pkce();
    const start = await authorize({ code_challenge: challenge });
    const request = new URL(start.headers.get('location')!, server.url).searchParams.get('desktop')!;
    const denied = await call<{ redirectTo: string }>(server, 'POST', '/api/desktop/deny', {
      body: { request },
    });
    expect(denied.status).toBe(200);
    const back = new URL(denied.json.redirectTo);
    expect(back.origin + back.pathname).toBe(redirectUri);
    expect(Object.fromEntries(back.searchParams)).toEqual({ error: 'access_denied', state: 'st-123' });
    // Declined means no code, ever: approving it afterwards fails, and so does declining it again.
    const session = await signIn(server, auth);
    const approve = await call(server, 'POST', '/api/desktop/approve', {
      token: session.token,
      body: { request },
    });
    expect(approve.json.code).toBe('INVALID_GRANT');
    const again = await call(server, 'POST', '/api/desktop/deny', { body: { request } });
    expect([again.status, again.json.code]).toEqual([400, 'INVALID_GRANT']);
    const bad = await call(server, 'POST', '/api/desktop/deny', { body: { request: 'x' } });
    expect(bad.status).toBe(400);
  });

  it('revoking the passkey that approved a desktop login ends the app session and spends its unspent codes', async () => {
    // The lost laptop: its passkey signed in the browser and approved two desktop logins, one exchanged.
    const phone = new SoftAuthenticator();
    const owner = await signIn(server, auth);
    expect((await addPasskey(server, phone, owner.token)).status).toBe(201);
    const used = pkce();
    const usedCode = (await loginInBrowser(used.challenge)).searchParams.get('code')!;
    const app = await exchange(usedCode, used.verifier);
    expect(app.status).toBe(200);
    const unspent = pkce();
    const unspentCode = (await loginInBrowser(unspent.challenge)).searchParams.get('code')!;

    // The owner revokes the laptop's passkey from the phone.
    const fromPhone = await signIn(server, phone);
    const laptopId = auth.credentials[0]!.id;
    const revoked = await call(server, 'DELETE', `/api/account/passkeys/${laptopId}`, {
      token: fromPhone.token,
    });
    expect(revoked.status).toBe(200);

    const appMe = await call(server, 'GET', '/api/account/me', { token: app.json.access_token });
    expect([appMe.status, appMe.json.code]).toEqual([401, 'SESSION_EXPIRED']);
    expect((await server.db.selectFrom('desktop_codes').select('code_hash').execute()).length).toBe(0);
    const late = await exchange(unspentCode, unspent.verifier);
    expect([late.status, late.json.code]).toEqual([400, 'INVALID_GRANT']);
    // The phone's session is untouched.
    expect((await call(server, 'GET', '/api/account/me', { token: fromPhone.token })).status).toBe(200);
  });

  it('the app revokes the passkey its session signed in with and keeps working; the browser session that approved it ends', async () => {
    // Passkey Desk's own case: signed in through the browser with a vault passkey, it then purges that passkey.
    const phone = new SoftAuthenticator();
    expect((await addPasskey(server, phone, (await signIn(server, auth)).token)).status).toBe(201);
    const browser = await signIn(server, auth);
    const login = pkce();
    const app = await exchange(await approveWith(browser.token, login.challenge), login.verifier);
    expect(app.status).toBe(200);
    const unspent = pkce();
    const unspentCode = await approveWith(browser.token, unspent.challenge);

    const revoked = await call(server, 'DELETE', `/api/account/passkeys/${browser.credentialId}`, {
      token: app.json.access_token,
    });
    expect(revoked.status).toBe(200);
    clock.advance(30_000);
    const me = await call(server, 'GET', '/api/account/me', { token: app.json.access_token });
    expect([me.status, me.json.name]).toEqual([200, 'alice']);
    const list = await call<{ passkeys: { id: string }[] }>(server, 'GET', '/api/account/passkeys', {
      token: app.json.access_token,
    });
    expect(list.json.passkeys.map((p) => p.id)).toEqual([phone.credentials[0]!.id]);
    // The browser's session of that passkey ended, and the code it approved is gone.
    const browserMe = await call(server, 'GET', '/api/account/me', { token: browser.token });
    expect([browserMe.status, browserMe.json.code]).toEqual([401, 'SESSION_EXPIRED']);
    const late = await exchange(unspentCode, unspent.verifier);
    expect([late.status, late.json.code]).toEqual([400, 'INVALID_GRANT']);
  });

  it("signing out everywhere else ends the app sessions and deletes the account's unspent codes, the asking session's too", async () => {
    // Same passkey throughout: what ends the app's session is the request, not a revoke.
    const browser = await signIn(server, auth);
    const login = pkce();
    const app = await exchange(await approveWith(browser.token, login.challenge), login.verifier);
    expect(app.status).toBe(200);
    const unspent = pkce();
    const unspentCode = await approveWith(browser.token, unspent.challenge);
    const current = await signIn(server, auth);
    const own = pkce();
    const ownCode = await approveWith(current.token, own.challenge);
    expect(await server.db.selectFrom('desktop_codes').select('code_hash').execute()).toHaveLength(2);

    const r = await call(server, 'POST', '/api/account/sessions/sign-out-others', {
      token: current.token,
      body: {},
    });
    // The sign-up session of beforeEach, the browser's and the app's.
    expect([r.status, r.json]).toEqual([200, { ended: 3 }]);
    for (const token of [app.json.access_token, browser.token]) {
      const me = await call(server, 'GET', '/api/account/me', { token });
      expect([me.status, me.json.code]).toEqual([401, 'SESSION_EXPIRED']);
    }
    expect(await server.db.selectFrom('desktop_codes').select('code_hash').execute()).toEqual([]);
    const late = await exchange(unspentCode, unspent.verifier);
    expect([late.status, late.json.code]).toEqual([400, 'INVALID_GRANT']);
    // Codes do not record the session that approved them, so the asking session's own goes too (documented).
    const mine = await exchange(ownCode, own.verifier);
    expect([mine.status, mine.json.code]).toEqual([400, 'INVALID_GRANT']);
    expect((await call(server, 'GET', '/api/account/me', { token: current.token })).status).toBe(200);
  });

  it('a session that revoked its own passkey lives on, but a code it approves after that does not exchange', async () => {
    const phone = new SoftAuthenticator();
    expect((await addPasskey(server, phone, (await signIn(server, auth)).token)).status).toBe(201);
    const browser = await signIn(server, auth);
    const revoked = await call(server, 'DELETE', `/api/account/passkeys/${browser.credentialId}`, {
      token: browser.token,
    });
    expect(revoked.status).toBe(200);
    // The approval itself succeeds (the session is live and its sign-in recent)...
    const { verifier, challenge } = pkce();
    const code = await approveWith(browser.token, challenge);
    const sessions = ((await snapshot(server)) as { sessions: unknown }).sessions;
    // ...but the app's session would inherit a passkey that is gone: refused, as documented (codes live 60 s).
    const r = await exchange(code, verifier);
    expect([r.status, r.json.code]).toEqual([400, 'INVALID_GRANT']);
    expect(r.json.message).toMatch(/revoked or flagged/);
    expect(((await snapshot(server)) as { sessions: unknown }).sessions).toEqual(sessions);
  });

  it('a code whose passkey was revoked or flagged after approving does not exchange (a revoke racing the approval)', async () => {
    for (const change of ['revoked', 'flagged'] as const) {
      const other = new SoftAuthenticator();
      expect((await addPasskey(server, other, (await signIn(server, auth)).token)).status).toBe(201);
      const { verifier, challenge } = pkce();
      const approver = await signIn(server, other);
      const code = await approveWith(approver.token, challenge);
      // Changed behind the code's back, as when the revoke or flag commits between the approval's check and its
      // insert: the row is put back after the passkey changed.
      const row = await server.db
        .selectFrom('desktop_codes')
        .selectAll()
        .where('credential_id', '=', approver.credentialId)
        .executeTakeFirstOrThrow();
      if (change === 'revoked')
        await server.db.deleteFrom('credentials').where('id', '=', approver.credentialId).execute();
      else
        await server.db
          .updateTable('credentials')
          .set({ flagged_at: clock.ms, flag_reason: 'test' })
          .where('id', '=', approver.credentialId)
          .execute();
      await server.db
        .insertInto('desktop_codes')
        .values(row)
        .onConflict((c) => c.doNothing())
        .execute();
      const sessions = ((await snapshot(server)) as { sessions: unknown }).sessions;
      const r = await exchange(code, verifier);
      expect({ change, status: r.status, code: r.json.code }).toEqual({
        change,
        status: 400,
        code: 'INVALID_GRANT',
      });
      expect(r.json.message).toMatch(/revoked or flagged/);
      expect(((await snapshot(server)) as { sessions: unknown }).sessions).toEqual(sessions);
    }
  });

  /** Authorize and approve with `token` (the sign-in page's steps after its sign-in); returns the code. */
  async function approveWith(token: string, challenge: string): Promise<string> {
    const start = await authorize({ code_challenge: challenge });
    const request = new URL(start.headers.get('location')!, server.url).searchParams.get('desktop')!;
    const approved = await call<{ redirectTo: string }>(server, 'POST', '/api/desktop/approve', {
      token,
      body: { request },
    });
    expect(approved.status).toBe(200);
    return new URL(approved.json.redirectTo).searchParams.get('code')!;
  }

  function exchange(code: string, verifier: string) {
    return call<{ access_token: string; code: string; message: string }>(
      server,
      'POST',
      '/api/desktop/token',
      {
        body: { grant_type: 'authorization_code', code, code_verifier: verifier, redirect_uri: redirectUri },
      },
    );
  }

  it('declining an expired request says the app has stopped waiting', async () => {
    const { challenge } = pkce();
    const start = await authorize({ code_challenge: challenge });
    const request = new URL(start.headers.get('location')!, server.url).searchParams.get('desktop')!;
    clock.advance(10 * 60_000 + 1);
    const late = await call(server, 'POST', '/api/desktop/deny', { body: { request } });
    expect(late.json.code).toBe('INVALID_GRANT');
    expect(late.json.message).toContain('stopped waiting');
  });
});
