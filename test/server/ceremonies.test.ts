import { createHash } from 'node:crypto';
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

  it('gives an unknown username ordinary usernameless options; a known one lists its passkeys (username-first tells who has an account)', async () => {
    const options = await authOptions(server, 'nobody');
    expect(options.allowCredentials).toEqual([]);
    // The trade-off of username-first sign-in, as docs/server-api.md says: the reply differs for a known name.
    const { credentialId } = await signUp(server, new SoftAuthenticator(), 'somebody');
    expect((await authOptions(server, 'somebody')).allowCredentials?.map((c) => c.id)).toEqual([
      credentialId,
    ]);
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

  it('adding a passkey needs a recent sign-in, like revoking: an hour-old token can neither add nor then revoke', async () => {
    const owner = new SoftAuthenticator();
    const { token: leaked, credentialId: ownerId } = await signUp(server, owner, 'heidi');
    await addPasskey(server, new SoftAuthenticator(), leaked);
    clock.advance(60 * 60_000); // the leaked token is an hour old
    const before = await snapshot(server);
    const attacker = new SoftAuthenticator();
    // The options call is refused with the revoke's error shape...
    const options = await call(server, 'POST', '/api/registration/options', { body: {}, token: leaked });
    expect(options.status).toBe(403);
    expect(options.json.code).toBe('RECENT_SIGN_IN_REQUIRED');
    expect(options.json.message).toBe(
      "adding a passkey needs a user-verified sign-in in the last 300 s; this session's was 3600 s ago",
    );
    const revoke = await call(server, 'DELETE', `/api/account/passkeys/${ownerId}`, { token: leaked });
    expect([revoke.status, revoke.json.code]).toEqual([403, 'RECENT_SIGN_IN_REQUIRED']);
    expect(revoke.json.message).toBe(
      "revoking needs a user-verified sign-in in the last 300 s; this session's was 3600 s ago",
    );
    expect(await snapshot(server)).toEqual(before);
    // ...and so is the verify step, when the sign-in aged past the limit after the options were issued.
    const fresh = await signIn(server, owner);
    clock.advance(4 * 60_000);
    const issued = await call<Parameters<SoftAuthenticator['register']>[0]>(
      server,
      'POST',
      '/api/registration/options',
      { body: {}, token: fresh.token },
    );
    expect(issued.status).toBe(200);
    clock.advance(2 * 60_000); // the challenge is 2 minutes old, the sign-in 6
    const credentialsBefore = await server.db.selectFrom('credentials').selectAll().orderBy('id').execute();
    const late = await call(server, 'POST', '/api/registration/verify', {
      body: { response: attacker.register(issued.json, server.origin) },
      token: fresh.token,
    });
    expect([late.status, late.json.code]).toEqual([403, 'RECENT_SIGN_IN_REQUIRED']);
    expect(late.json.message).toMatch(/^adding a passkey needs a user-verified sign-in in the last 300 s/);
    expect(await server.db.selectFrom('credentials').selectAll().orderBy('id').execute()).toEqual(
      credentialsBefore,
    );
    // A fresh sign-in adds one; signing up (no session) needs none.
    const again = await signIn(server, owner);
    expect((await addPasskey(server, new SoftAuthenticator(), again.token)).status).toBe(201);
    clock.advance(60 * 60_000);
    await signUp(server, new SoftAuthenticator(), 'ivy');
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

  it('spends a challenge on its first use even when the request is refused before the ceremony runs', async () => {
    const auth = new SoftAuthenticator();
    const { token } = await signUp(server, auth, 'judy');
    const challenges = () => server.db.selectFrom('challenges').select('id').execute();
    const registration = async () => {
      const options = await call<Parameters<SoftAuthenticator['register']>[0]>(
        server,
        'POST',
        '/api/registration/options',
        { body: {}, token },
      );
      return new SoftAuthenticator().register(options.json, server.origin);
    };
    // A bad name, an unknown member, a token that is not a session: each refused, each spends the challenge.
    const cases: [
      string,
      (response: unknown) => Promise<{ status: number; json: Record<string, unknown> }>,
    ][] = [
      [
        'bad name',
        (response) =>
          call(server, 'POST', '/api/registration/verify', { body: { response, name: '' }, token }),
      ],
      [
        'unknown member',
        (response) =>
          call(server, 'POST', '/api/registration/verify', { body: { response, admin: true }, token }),
      ],
      [
        'unknown session',
        (response) =>
          call(server, 'POST', '/api/registration/verify', { body: { response }, token: 'A'.repeat(43) }),
      ],
    ];
    for (const [label, refused] of cases) {
      const response = await registration();
      expect((await challenges()).length).toBe(1);
      expect({ label, status: (await refused(response)).status }).toEqual({
        label,
        status: label === 'unknown session' ? 401 : 400,
      });
      expect(await challenges()).toEqual([]);
      const retry = await call(server, 'POST', '/api/registration/verify', { body: { response }, token });
      expect({ label, code: retry.json.code }).toEqual({ label, code: 'CHALLENGE_INVALID' });
    }
    // The same for a sign-in whose body has an unknown member.
    const assertion = auth.authenticate(await authOptions(server), server.origin);
    const odd = await call(server, 'POST', '/api/authentication/verify', {
      body: { response: assertion, extra: 1 },
    });
    expect([odd.status, odd.json.code]).toEqual([400, 'INVALID_INPUT']);
    expect((await verifyAssertion(server, assertion)).json.code).toBe('CHALLENGE_INVALID');
  });

  it('signs in username-first without a userHandle (the user was named before the ceremony)', async () => {
    const auth = new SoftAuthenticator();
    const { userId } = await signUp(server, auth, 'kim');
    const response = auth.authenticate(await authOptions(server, 'kim'), server.origin);
    delete response.response.userHandle;
    const r = await verifyAssertion(server, response);
    expect([r.status, r.json.user.id]).toEqual([200, userId]);
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
    const secret = second.token.split('.')[1]!;
    expect(stored.some((s) => s.token_hash.includes(secret))).toBe(false);
    expect(stored.every((s) => /^[0-9a-f]{12}:[0-9a-f]{64}$/.test(s.token_hash))).toBe(true);
  });

  it('keys sessions in issue order, finds tokens of the older format, and refuses an altered time prefix', async () => {
    const auth = new SoftAuthenticator();
    const { token, userId } = await signUp(server, auth, 'ivan');
    const { token: later } = await signIn(server, auth);
    expect(token).toMatch(/^[0-9a-f]{12}\.[A-Za-z0-9_-]{43}$/);
    const keys = (
      await server.db.selectFrom('sessions').select('token_hash').where('user_id', '=', userId).execute()
    ).map((s) => s.token_hash);
    expect(keys.map((k) => k.slice(0, 12))).toEqual([token.slice(0, 12), later.slice(0, 12)].sort());
    expect(token.slice(0, 12) <= later.slice(0, 12)).toBe(true);

    // A token issued before the time prefix: 32 random bytes, stored under its bare SHA-256.
    const legacy = Buffer.alloc(32, 9).toString('base64url');
    const row = await server.db
      .selectFrom('sessions')
      .selectAll()
      .where('token_hash', '=', keys[0]!)
      .executeTakeFirstOrThrow();
    await server.db
      .insertInto('sessions')
      .values({ ...row, token_hash: createHash('sha256').update(legacy).digest('hex') })
      .execute();
    const me = await call(server, 'GET', '/api/account/me', { token: legacy });
    expect(me.status).toBe(200);

    // The prefix is part of what is hashed: another time with the same secret is not a session.
    const altered = `${'0'.repeat(12)}${token.slice(12)}`;
    const refused = await call(server, 'GET', '/api/account/me', { token: altered });
    expect(refused.status).toBe(401);
    expect(refused.json.code).toBe('NOT_SIGNED_IN');
  });
});
