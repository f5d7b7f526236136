import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { RunningServer } from '../../src/server';
import { startServer } from '../../src/server';
import { discover } from '../../src/main/accounts/discovery';
import { sessionKey } from '../../src/server/store/sessions';
import { SoftAuthenticator } from '../helpers/soft-authenticator';
import { addPasskey, call, ManualClock, signIn, signUp, snapshot } from './support';

// AAGUID of "Google Password Manager" in the community list the server uses for provider names.
const GPM_AAGUID = Buffer.from('ea9b8d664d011d213ce4b6b48cb575d4', 'hex');

interface PasskeyJSON {
  id: string;
  name: string;
  createdAt: string;
  lastUsedAt: string | null;
  aaguid: string;
  providerName: string | null;
  transports: string[];
  backupEligible: boolean;
  backedUp: boolean;
  deviceType: string;
  flagged: unknown;
}

describe('management API for the signed-in user', () => {
  let server: RunningServer;
  const clock = new ManualClock();
  beforeEach(async () => {
    server = await startServer({ port: 0, clock });
  });
  afterEach(async () => server.close());

  it('lists passkeys with their metadata', async () => {
    const auth = new SoftAuthenticator({ aaguid: GPM_AAGUID });
    const { token, credentialId } = await signUp(server, auth, 'alice');
    clock.advance(5000);
    await signIn(server, auth);
    const r = await call<{ passkeys: PasskeyJSON[] }>(server, 'GET', '/api/account/passkeys', { token });
    expect(r.status).toBe(200);
    expect(r.json.passkeys).toEqual([
      {
        id: credentialId,
        name: 'Google Password Manager',
        createdAt: new Date(clock.ms - 5000).toISOString(),
        lastUsedAt: new Date(clock.ms).toISOString(),
        aaguid: 'ea9b8d66-4d01-1d21-3ce4-b6b48cb575d4',
        providerName: 'Google Password Manager',
        transports: ['internal', 'hybrid'],
        backupEligible: true,
        backedUp: true,
        deviceType: 'multiDevice',
        algorithm: -7,
        flagged: null,
      },
    ]);
  });

  it('renames a passkey and validates the name', async () => {
    const { token, credentialId } = await signUp(server, new SoftAuthenticator(), 'bob');
    const r = await call<{ passkey: PasskeyJSON }>(server, 'PATCH', `/api/account/passkeys/${credentialId}`, {
      token,
      body: { name: '  Work laptop ' },
    });
    expect(r.status).toBe(200);
    expect(r.json.passkey.name).toBe('Work laptop');
    const bad = await call(server, 'PATCH', `/api/account/passkeys/${credentialId}`, {
      token,
      body: { name: '' },
    });
    expect(bad.status).toBe(400);
    expect(bad.json.code).toBe('INVALID_INPUT');
  });

  it('returns the Signal API payloads', async () => {
    const auth = new SoftAuthenticator();
    const { token, userId, credentialId } = await signUp(server, auth, 'carol');
    const accepted = await call(server, 'GET', '/api/account/signal/accepted-credentials', { token });
    expect(accepted.json).toEqual({ rpId: 'localhost', userId, allAcceptedCredentialIds: [credentialId] });
    const me = await call(server, 'GET', '/api/account/me', { token });
    expect(me.json).toEqual({ rpId: 'localhost', userId, name: 'carol', displayName: 'carol' });
  });

  it('revokes a passkey after a recent user-verified sign-in and returns the new accepted list', async () => {
    const phone = new SoftAuthenticator();
    const { token, credentialId } = await signUp(server, phone, 'dave');
    const laptop = new SoftAuthenticator();
    const added = await addPasskey(server, laptop, token);
    const r = await call<{ revoked: string; accepted: { allAcceptedCredentialIds: string[] } }>(
      server,
      'DELETE',
      `/api/account/passkeys/${credentialId}`,
      { token },
    );
    expect(r.status).toBe(200);
    expect(r.json.accepted.allAcceptedCredentialIds).toEqual([added.json.passkey.id]);
    // The revoked passkey can no longer sign in, and says so with UNKNOWN_CREDENTIAL.
    await expect(signIn(server, phone)).rejects.toThrow(/UNKNOWN_CREDENTIAL/);
  });

  it('refuses to revoke without a recent sign-in (RECENT_SIGN_IN_REQUIRED), then allows it after one', async () => {
    const phone = new SoftAuthenticator();
    const { token, credentialId } = await signUp(server, phone, 'erin');
    await addPasskey(server, new SoftAuthenticator(), token);
    clock.advance(5 * 60_000 + 1);
    const before = await snapshot(server);
    const r = await call(server, 'DELETE', `/api/account/passkeys/${credentialId}`, { token });
    expect(r.status).toBe(403);
    expect(r.json.code).toBe('RECENT_SIGN_IN_REQUIRED');
    expect(await snapshot(server)).toEqual(before);
    const fresh = await signIn(server, phone, 'erin');
    const ok = await call(server, 'DELETE', `/api/account/passkeys/${credentialId}`, { token: fresh.token });
    expect(ok.status).toBe(200);
  });

  it('revoking a passkey from another device ends the sessions that signed in with it (the lost laptop)', async () => {
    // A lost laptop: the thief holds sessions from its passkey; the owner revokes it from the phone.
    const phone = new SoftAuthenticator();
    const laptop = new SoftAuthenticator();
    const { token: signUpToken, credentialId: phoneId } = await signUp(server, phone, 'lost-laptop');
    const added = await addPasskey(server, laptop, signUpToken);
    const thief = await signIn(server, laptop);
    const thiefEarlier = await signIn(server, laptop);
    const owner = await signIn(server, phone);
    const r = await call(server, 'DELETE', `/api/account/passkeys/${added.json.passkey.id}`, {
      token: owner.token,
    });
    expect(r.status).toBe(200);
    expect(r.json).toEqual({
      revoked: added.json.passkey.id,
      accepted: { rpId: 'localhost', userId: expect.any(String), allAcceptedCredentialIds: [phoneId] },
    });
    for (const token of [thief.token, thiefEarlier.token]) {
      const me = await call(server, 'GET', '/api/account/me', { token });
      expect([me.status, me.json.code]).toEqual([401, 'SESSION_EXPIRED']);
      expect(me.json.message).toMatch(/passkey it signed in with was revoked/);
    }
    // Sessions from the phone, the revoking one included, are untouched.
    for (const token of [owner.token, signUpToken])
      expect((await call(server, 'GET', '/api/account/me', { token })).status).toBe(200);
    const laptopSessions = await server.db
      .selectFrom('sessions')
      .select('revoked_at')
      .where('credential_id', '=', added.json.passkey.id)
      .execute();
    expect(laptopSessions).toEqual([{ revoked_at: clock.ms }, { revoked_at: clock.ms }]);
  });

  it('revoking the passkey of the current session: the other sessions of that passkey end, the current one keeps working', async () => {
    // A client signed in with the laptop's passkey revokes that very passkey (the user purged it locally).
    const phone = new SoftAuthenticator();
    const laptop = new SoftAuthenticator();
    const { token: phoneToken, credentialId: phoneId } = await signUp(server, phone, 'self-revoke');
    const added = await addPasskey(server, laptop, phoneToken);
    const laptopId = added.json.passkey.id;
    const other = await signIn(server, laptop); // say, a browser tab left open elsewhere
    const current = await signIn(server, laptop);
    expect(current.credentialId).toBe(laptopId);
    const r = await call(server, 'DELETE', `/api/account/passkeys/${laptopId}`, { token: current.token });
    expect(r.status).toBe(200);
    // The same reply as any revoke: nothing says the session ended, because it did not.
    expect(r.json).toEqual({
      revoked: laptopId,
      accepted: { rpId: 'localhost', userId: expect.any(String), allAcceptedCredentialIds: [phoneId] },
    });
    // The other session of the revoked passkey ended...
    const ended = await call(server, 'GET', '/api/account/me', { token: other.token });
    expect([ended.status, ended.json.code]).toEqual([401, 'SESSION_EXPIRED']);
    // ...and the requesting one keeps reading and changing the account, as a client purging orphans does.
    clock.advance(60_000);
    expect((await call(server, 'GET', '/api/account/me', { token: current.token })).status).toBe(200);
    const list = await call<{ passkeys: PasskeyJSON[] }>(server, 'GET', '/api/account/passkeys', {
      token: current.token,
    });
    expect([list.status, list.json.passkeys.map((p) => p.id)]).toEqual([200, [phoneId]]);
    const spare = await addPasskey(server, new SoftAuthenticator(), current.token);
    expect(spare.status).toBe(201);
    const again = await call(server, 'DELETE', `/api/account/passkeys/${spare.json.passkey.id}`, {
      token: current.token,
    });
    expect(again.status).toBe(200);
    expect((await call(server, 'GET', '/api/account/me', { token: phoneToken })).status).toBe(200);
    const revokedAt = async (token: string) =>
      (
        await server.db
          .selectFrom('sessions')
          .select('revoked_at')
          .where('token_hash', '=', sessionKey(token))
          .executeTakeFirstOrThrow()
      ).revoked_at;
    expect([await revokedAt(other.token), await revokedAt(current.token)]).toEqual([clock.ms - 60_000, null]);
    // It ends like any session: by signing out.
    expect(
      (await call(server, 'POST', '/api/account/sign-out', { token: current.token, body: {} })).status,
    ).toBe(204);
    expect((await call(server, 'GET', '/api/account/me', { token: current.token })).status).toBe(401);
  });

  it('refuses a session whose passkey is flagged even if the flag did not end it', async () => {
    const phone = new SoftAuthenticator();
    const laptop = new SoftAuthenticator();
    const { token } = await signUp(server, phone, 'stale-session');
    const added = await addPasskey(server, laptop, token);
    const stale = await signIn(server, laptop);
    // Flagged without ending its sessions (as a write that stopped between the two would leave it).
    await server.db
      .updateTable('credentials')
      .set({ flagged_at: clock.ms, flag_reason: 'sign counter 1 is not above the stored 2' })
      .where('id', '=', added.json.passkey.id)
      .execute();
    const me = await call(server, 'GET', '/api/account/me', { token: stale.token });
    expect([me.status, me.json.code]).toEqual([401, 'SESSION_EXPIRED']);
    expect(me.json.message).toMatch(/flagged as possibly cloned/);
    expect((await call(server, 'GET', '/api/account/me', { token })).status).toBe(200);
  });

  it('does not count flagged passkeys as the one left: the last good passkey cannot be revoked, a flagged one can', async () => {
    const good = new SoftAuthenticator();
    const { token, credentialId: goodId } = await signUp(server, good, 'flagged-spare');
    const flagged = await addPasskey(server, new SoftAuthenticator(), token);
    await server.db
      .updateTable('credentials')
      .set({ flagged_at: clock.ms, flag_reason: 'sign counter 1 is not above the stored 2' })
      .where('id', '=', flagged.json.passkey.id)
      .execute();
    const before = await snapshot(server);
    const refused = await call(server, 'DELETE', `/api/account/passkeys/${goodId}`, { token });
    expect([refused.status, refused.json.code]).toEqual([409, 'LAST_PASSKEY']);
    expect(refused.json.message).toMatch(/last passkey/);
    expect(await snapshot(server)).toEqual(before);
    const ok = await call<{ accepted: { allAcceptedCredentialIds: string[] } }>(
      server,
      'DELETE',
      `/api/account/passkeys/${flagged.json.passkey.id}`,
      { token },
    );
    expect(ok.status).toBe(200);
    expect(ok.json.accepted.allAcceptedCredentialIds).toEqual([goodId]);
    const last = await call(server, 'DELETE', `/api/account/passkeys/${goodId}`, { token });
    expect(last.json.code).toBe('LAST_PASSKEY');
  });

  it('refuses to revoke the last passkey with LAST_PASSKEY', async () => {
    const { token, credentialId } = await signUp(server, new SoftAuthenticator(), 'frank');
    const before = await snapshot(server);
    const r = await call(server, 'DELETE', `/api/account/passkeys/${credentialId}`, { token });
    expect(r.status).toBe(409);
    expect(r.json.code).toBe('LAST_PASSKEY');
    expect(await snapshot(server)).toEqual(before);
  });

  it("cannot see, rename or revoke someone else's passkey", async () => {
    const victim = await signUp(server, new SoftAuthenticator(), 'victim');
    const attacker = await signUp(server, new SoftAuthenticator(), 'attacker');
    await addPasskey(server, new SoftAuthenticator(), victim.token);
    await addPasskey(server, new SoftAuthenticator(), attacker.token);
    const before = await snapshot(server);
    const del = await call(server, 'DELETE', `/api/account/passkeys/${victim.credentialId}`, {
      token: attacker.token,
    });
    expect(del.status).toBe(404);
    expect(del.json.code).toBe('NOT_FOUND');
    const ren = await call(server, 'PATCH', `/api/account/passkeys/${victim.credentialId}`, {
      token: attacker.token,
      body: { name: 'pwned' },
    });
    expect(ren.status).toBe(404);
    const list = await call<{ passkeys: PasskeyJSON[] }>(server, 'GET', '/api/account/passkeys', {
      token: attacker.token,
    });
    expect(list.json.passkeys.map((p) => p.id)).not.toContain(victim.credentialId);
    expect(await snapshot(server)).toEqual(before);
  });

  it('needs a bearer session for every management route', async () => {
    for (const [method, path] of [
      ['GET', '/api/account/passkeys'],
      ['GET', '/api/account/me'],
      ['GET', '/api/account/signal/accepted-credentials'],
      ['DELETE', '/api/account/passkeys/AAAAAAAAAAAAAAAAAAAAAA'],
      ['POST', '/api/account/sessions/sign-out-others'],
    ] as const) {
      const r = await call(server, method, path);
      expect(r.status, `${method} ${path}`).toBe(401);
      expect(r.json.code).toBe('NOT_SIGNED_IN');
    }
    const forged = await call(server, 'GET', '/api/account/me', { token: 'A'.repeat(43) });
    expect(forged.json.code).toBe('NOT_SIGNED_IN');
  });

  it('takes the Bearer scheme in any case, and tells a token it does not know from a missing header', async () => {
    const { token } = await signUp(server, new SoftAuthenticator(), 'casey');
    // RFC 7235 §2.1: auth schemes are case-insensitive.
    for (const authorization of [`bearer ${token}`, `BEARER ${token}`, `Bearer  ${token}`]) {
      const me = await call(server, 'GET', '/api/account/me', { headers: { authorization } });
      expect({ authorization, status: me.status }).toEqual({ authorization, status: 200 });
    }
    const said = async (headers: Record<string, string>) => {
      const r = await call(server, 'GET', '/api/account/me', { headers });
      expect(r.json.code).toBe('NOT_SIGNED_IN');
      return r.json.message as string;
    };
    expect(await said({})).toMatch(/expected an "Authorization: Bearer <token>" header/);
    // A bearer token that is not a session here, whatever its shape, is told so.
    for (const unknown of ['A'.repeat(43), 'short', `${token.slice(0, -2)}!!`, 'x'.repeat(300)]) {
      expect(await said({ authorization: `Bearer ${unknown}` })).toBe(
        'the bearer token is not a session of this server',
      );
    }
    expect(await said({ authorization: 'Basic dXNlcjpwYXNz' })).toMatch(
      /has the "Basic" scheme, expected "Bearer <token>"/,
    );
    expect(await said({ authorization: 'Bearer' })).toMatch(/no token after "Bearer"/);
  });

  it('refuses unknown members in the sign-out, sign-out-others and revoke bodies, changing nothing', async () => {
    const auth = new SoftAuthenticator();
    const { token, credentialId } = await signUp(server, auth, 'strict');
    await addPasskey(server, new SoftAuthenticator(), token);
    const other = await signIn(server, auth);
    const before = await snapshot(server);
    for (const [method, path] of [
      ['POST', '/api/account/sign-out'],
      ['POST', '/api/account/sessions/sign-out-others'],
      ['DELETE', `/api/account/passkeys/${credentialId}`],
    ] as const) {
      const r = await call(server, method, path, { token, body: { x: 1 } });
      expect({ path, status: r.status, code: r.json.code }).toEqual({
        path,
        status: 400,
        code: 'INVALID_INPUT',
      });
      expect(r.json.message).toMatch(/body: Unrecognized key: "x"/);
    }
    expect(await snapshot(server)).toEqual(before);
    expect((await call(server, 'GET', '/api/account/me', { token: other.token })).status).toBe(200);
    // Sign-out-others takes no body as well as {}.
    for (const body of [undefined, {}]) {
      const r = await call(server, 'POST', '/api/account/sessions/sign-out-others', { token, body });
      expect([r.status, r.json]).toEqual([200, { ended: body === undefined ? 1 : 0 }]);
    }
    // What Passkey Desk's client sends: a revoke with no body, and sign-out with {}.
    expect((await call(server, 'DELETE', `/api/account/passkeys/${credentialId}`, { token })).status).toBe(
      200,
    );
    expect((await call(server, 'POST', '/api/account/sign-out', { token, body: {} })).status).toBe(204);
  });

  it('publishes /.well-known/passkey-endpoints and an /api discovery document', async () => {
    const wk = await call(server, 'GET', '/.well-known/passkey-endpoints');
    expect(wk.json).toEqual({ enroll: `${server.origin}/signup`, manage: `${server.origin}/manage` });
    const api = await call<{ account: { base: string; passkeys: string; signOutOthers: string } }>(
      server,
      'GET',
      '/api',
    );
    expect(api.json.account.base).toBe('/api/account');
    expect(api.json.account.passkeys).toBe('/api/account/passkeys');
    expect(api.json.account.signOutOthers).toBe('/api/account/sessions/sign-out-others');
    // Passkey Desk's client still reads the description (its parser ignores members it does not know).
    await expect(discover(server.url)).resolves.toMatchObject({
      endpoints: { signOut: '/api/account/sign-out', passkeys: '/api/account/passkeys' },
    });
  });

  describe('sign out everywhere else (POST /api/account/sessions/sign-out-others)', () => {
    const SIGN_OUT_OTHERS = '/api/account/sessions/sign-out-others';
    const meStatus = async (token: string) => {
      const me = await call(server, 'GET', '/api/account/me', { token });
      return me.status === 200 ? 200 : `${me.status} ${String(me.json.code)}`;
    };

    it("ends every other live session of the account, whatever its passkey, keeps the requester's, and no one else's", async () => {
      const phone = new SoftAuthenticator();
      const laptop = new SoftAuthenticator();
      const signUpSession = await signUp(server, phone, 'many-sessions');
      expect((await addPasskey(server, laptop, signUpSession.token)).status).toBe(201);
      const onLaptop = await signIn(server, laptop);
      const signedOut = await signIn(server, laptop);
      expect(
        (await call(server, 'POST', '/api/account/sign-out', { token: signedOut.token, body: {} })).status,
      ).toBe(204);
      const someoneElse = await signUp(server, new SoftAuthenticator(), 'someone-else');
      clock.advance(60_000);
      const current = await signIn(server, phone);
      const before = clock.ms;
      clock.advance(1000);
      const r = await call(server, 'POST', SIGN_OUT_OTHERS, { token: current.token, body: {} });
      // The sign-up session and the laptop's; not the one already signed out, not this one.
      expect([r.status, r.json]).toEqual([200, { ended: 2 }]);
      for (const token of [signUpSession.token, onLaptop.token, signedOut.token])
        expect(await meStatus(token)).toBe('401 SESSION_EXPIRED');
      const ended = await call(server, 'GET', '/api/account/me', { token: onLaptop.token });
      expect(ended.json.message).toMatch(/signed out, by itself or by another session of the account/);
      expect(await meStatus(current.token)).toBe(200);
      expect(await meStatus(someoneElse.token)).toBe(200);
      const rows = await server.db
        .selectFrom('sessions')
        .select(['token_hash', 'revoked_at'])
        .where('user_id', '=', current.userId)
        .execute();
      const revokedAt = new Map(rows.map((row) => [row.token_hash, row.revoked_at]));
      expect(
        [signUpSession, onLaptop, signedOut, current].map((s) => revokedAt.get(sessionKey(s.token))),
      ).toEqual([before + 1000, before + 1000, before - 60_000, null]);
      // The passkeys are untouched, and nothing is left to end.
      expect(
        (
          await call<{ passkeys: PasskeyJSON[] }>(server, 'GET', '/api/account/passkeys', {
            token: current.token,
          })
        ).json.passkeys,
      ).toHaveLength(2);
      const again = await call(server, 'POST', SIGN_OUT_OTHERS, { token: current.token });
      expect([again.status, again.json]).toEqual([200, { ended: 0 }]);
    });

    it('does not count sessions that expired on their own', async () => {
      const auth = new SoftAuthenticator();
      const old = await signUp(server, auth, 'expired-other');
      clock.advance(12 * 60 * 60_000);
      expect(await meStatus(old.token)).toBe('401 SESSION_EXPIRED');
      const current = await signIn(server, auth);
      const r = await call(server, 'POST', SIGN_OUT_OTHERS, { token: current.token, body: {} });
      expect([r.status, r.json]).toEqual([200, { ended: 0 }]);
    });

    it('needs a recent user-verified sign-in (RECENT_SIGN_IN_REQUIRED), changing nothing, then works after one', async () => {
      const auth = new SoftAuthenticator();
      const first = await signUp(server, auth, 'stale-sign-out');
      const second = await signIn(server, auth);
      clock.advance(5 * 60_000 + 1);
      const before = await snapshot(server);
      const r = await call(server, 'POST', SIGN_OUT_OTHERS, { token: second.token, body: {} });
      expect([r.status, r.json.code]).toEqual([403, 'RECENT_SIGN_IN_REQUIRED']);
      expect(r.json.message).toMatch(
        /^signing out the other sessions needs a user-verified sign-in in the last 300 s; this session's was 300 s ago$/,
      );
      expect(await snapshot(server)).toEqual(before);
      expect(await meStatus(first.token)).toBe(200);
      const fresh = await signIn(server, auth, 'stale-sign-out');
      const ok = await call(server, 'POST', SIGN_OUT_OTHERS, { token: fresh.token, body: {} });
      expect([ok.status, ok.json]).toEqual([200, { ended: 2 }]);
      expect(await meStatus(first.token)).toBe('401 SESSION_EXPIRED');
      expect(await meStatus(second.token)).toBe('401 SESSION_EXPIRED');
    });

    it('ends the session of a stolen passkey that revoked that passkey from itself (the revoke spares it)', async () => {
      // The owner has a phone passkey and a laptop passkey; a thief holds the laptop's (a stolen laptop, or a
      // copied synced passkey). The thief signs in with it and revokes it from that same session: the passkey is
      // gone, so the owner cannot revoke it, and the revoke spared the thief's session.
      const phone = new SoftAuthenticator();
      const laptop = new SoftAuthenticator();
      const owner = await signUp(server, phone, 'stolen-passkey');
      const added = await addPasskey(server, laptop, owner.token);
      const stolenId = added.json.passkey.id;
      const thief = await signIn(server, laptop);
      expect(thief.credentialId).toBe(stolenId);
      const revoked = await call(server, 'DELETE', `/api/account/passkeys/${stolenId}`, {
        token: thief.token,
      });
      expect(revoked.status).toBe(200);
      clock.advance(30 * 60_000);
      expect(await meStatus(thief.token)).toBe(200);
      const list = await call<{ passkeys: PasskeyJSON[] }>(server, 'GET', '/api/account/passkeys', {
        token: thief.token,
      });
      expect(list.json.passkeys.map((p) => p.id)).toEqual([owner.credentialId]);
      // The owner signs in with the phone's passkey and signs out everywhere else.
      const fresh = await signIn(server, phone, 'stolen-passkey');
      const r = await call(server, 'POST', SIGN_OUT_OTHERS, { token: fresh.token, body: {} });
      expect([r.status, r.json]).toEqual([200, { ended: 2 }]);
      const refused = await call(server, 'GET', '/api/account/passkeys', { token: thief.token });
      expect([refused.status, refused.json.code]).toEqual([401, 'SESSION_EXPIRED']);
      expect(refused.json.message).toMatch(/passkey it signed in with was revoked/);
      expect(await meStatus(owner.token)).toBe('401 SESSION_EXPIRED');
      expect(await meStatus(fresh.token)).toBe(200);
      // And the thief cannot sign in again with the revoked passkey.
      await expect(signIn(server, laptop)).rejects.toThrow(/UNKNOWN_CREDENTIAL/);
    });
  });
});
