import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { RunningServer } from '../../src/server';
import { startServer } from '../../src/server';
import { SoftAuthenticator } from '../helpers/soft-authenticator';
import {
  addPasskey,
  authOptions,
  call,
  ManualClock,
  signIn,
  signUp,
  snapshot,
  verifyAssertion,
} from './support';

describe('registration and sign-in over HTTP on 127.0.0.1', () => {
  let server: RunningServer;
  const clock = new ManualClock();
  beforeEach(async () => {
    server = await startServer({ port: 0, clock });
  });
  afterEach(async () => server.close());

  it('binds to 127.0.0.1 on a free port and names the browser origin', () => {
    expect(server.url).toMatch(/^http:\/\/127\.0\.0\.1:\d+$/);
    expect(server.origin).toBe(`http://localhost:${server.port}`);
    expect(server.engine).toBe('sqlite');
  });

  it('creates an account with a passkey and signs the user in', async () => {
    const auth = new SoftAuthenticator();
    const { token, userId } = await signUp(server, auth, 'alice');
    const me = await call(server, 'GET', '/api/account/me', { token });
    expect(me.status).toBe(200);
    expect(me.json).toEqual({ rpId: 'localhost', userId, name: 'alice', displayName: 'alice' });
  });

  it('refuses a second account with a taken username', async () => {
    await signUp(server, new SoftAuthenticator(), 'bob');
    const r = await call(server, 'POST', '/api/registration/options', { body: { username: 'bob' } });
    expect(r.status).toBe(409);
    expect(r.json.code).toBe('CONFLICT');
  });

  it('signs in usernameless (discoverable) and username-first', async () => {
    const auth = new SoftAuthenticator();
    const { userId, credentialId } = await signUp(server, auth, 'carol');
    const usernameless = await authOptions(server);
    expect(usernameless.allowCredentials).toEqual([]);
    expect(usernameless.userVerification).toBe('required');
    const a = await verifyAssertion(server, auth.authenticate(usernameless, server.origin));
    expect(a.status).toBe(200);
    expect(a.json.user).toEqual({ id: userId, name: 'carol', displayName: 'carol' });

    const named = await authOptions(server, 'carol');
    expect(named.allowCredentials?.map((c) => c.id)).toEqual([credentialId]);
    const b = await verifyAssertion(server, auth.authenticate(named, server.origin));
    expect(b.status).toBe(200);
    const row = await server.db
      .selectFrom('credentials')
      .selectAll()
      .where('id', '=', credentialId)
      .executeTakeFirstOrThrow();
    expect(row.counter).toBe(2);
    expect(row.last_used_at).toBe(clock.ms);
  });

  it('gives an unknown username ordinary usernameless options (no account enumeration)', async () => {
    const options = await authOptions(server, 'nobody');
    expect(options.allowCredentials).toEqual([]);
  });

  it('adds a passkey when signed in, listing existing ones in excludeCredentials', async () => {
    const phone = new SoftAuthenticator();
    const { token, credentialId } = await signUp(server, phone, 'dave');
    const options = await call<{ excludeCredentials: { id: string }[]; user: { name: string } }>(
      server,
      'POST',
      '/api/registration/options',
      { body: {}, token },
    );
    expect(options.json.excludeCredentials.map((c) => c.id)).toEqual([credentialId]);
    expect(options.json.user.name).toBe('dave');
    // The same authenticator refuses, as a browser would (InvalidStateError), so the page can say so.
    await expect(addPasskey(server, phone, token)).rejects.toMatchObject({ name: 'InvalidStateError' });
    const laptop = new SoftAuthenticator({ algorithm: 'Ed25519' });
    clock.advance(1000);
    const added = await addPasskey(server, laptop, token);
    expect(added.status).toBe(201);
    const list = await call<{ passkeys: { id: string; algorithm: number }[] }>(
      server,
      'GET',
      '/api/account/passkeys',
      { token },
    );
    expect(list.json.passkeys.map((p) => p.algorithm)).toEqual([-7, -8]);
    // The Ed25519 passkey signs in too (fast path for EdDSA).
    const signedIn = await signIn(server, laptop);
    expect(signedIn.credentialId).toBe(added.json.passkey.id);
  });

  it('refuses an already-registered credential with ALREADY_REGISTERED, whatever the client does', async () => {
    const auth = new SoftAuthenticator();
    const { token } = await signUp(server, auth, 'erin');
    const before = await snapshot(server);
    const options = await call<{ challenge: string }>(server, 'POST', '/api/registration/options', {
      body: {},
      token,
    });
    // A client that ignores excludeCredentials and re-attests the existing credential:
    const response = auth.attest(auth.credentials[0]!, options.json.challenge, server.origin);
    const r = await call(server, 'POST', '/api/registration/verify', { body: { response }, token });
    expect(r.status).toBe(409);
    expect(r.json.code).toBe('ALREADY_REGISTERED');
    expect(r.json.message).toMatch(/already have a passkey here/);
    expect(await snapshot(server)).toEqual(before);
  });

  it('adding a passkey needs the session that asked for the challenge', async () => {
    const auth = new SoftAuthenticator();
    const { token } = await signUp(server, auth, 'frank');
    const options = await call<Parameters<SoftAuthenticator['register']>[0]>(
      server,
      'POST',
      '/api/registration/options',
      { body: {}, token },
    );
    const response = new SoftAuthenticator().register(options.json, server.origin);
    const r = await call(server, 'POST', '/api/registration/verify', { body: { response } });
    expect(r.status).toBe(401);
    expect(r.json.code).toBe('NOT_SIGNED_IN');
  });

  it('expires and revokes sessions', async () => {
    const auth = new SoftAuthenticator();
    const { token } = await signUp(server, auth, 'grace');
    const out = await call(server, 'POST', '/api/account/sign-out', { token, body: {} });
    expect(out.status).toBe(204);
    const afterSignOut = await call(server, 'GET', '/api/account/me', { token });
    expect(afterSignOut.status).toBe(401);
    expect(afterSignOut.json.code).toBe('SESSION_EXPIRED');

    const second = await signIn(server, auth);
    clock.advance(12 * 60 * 60_000 + 1);
    const expired = await call(server, 'GET', '/api/account/me', { token: second.token });
    expect(expired.status).toBe(401);
    expect(expired.json.code).toBe('SESSION_EXPIRED');
    const stored = await server.db.selectFrom('sessions').select('token_hash').execute();
    expect(stored.map((s) => s.token_hash)).not.toContain(second.token);
    expect(stored.every((s) => /^[0-9a-f]{64}$/.test(s.token_hash))).toBe(true);
  });
});
