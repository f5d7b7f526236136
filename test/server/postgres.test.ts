/**
 * The scale-out path: two server instances sharing one real PostgreSQL. Challenges and sessions live in the
 * database, so a challenge issued by one instance is verified by the other, a session made on one works on
 * the other, and a challenge used on one cannot be replayed on the other.
 */
import { createHash, randomBytes } from 'node:crypto';
import { sql } from 'kysely';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { RunningServer } from '../../src/server';
import { startServer } from '../../src/server';
import { SoftAuthenticator } from '../helpers/soft-authenticator';
import type { PostgresServer } from '../helpers/postgres';
import { startPostgres } from '../helpers/postgres';
import type { Reply } from './support';
import { addPasskey, authOptions, call, signUp, verifyAssertion } from './support';

const SIGN_OUT_OTHERS = '/api/account/sessions/sign-out-others';

describe('PostgreSQL: several instances share one database', () => {
  let postgres: PostgresServer;
  let a: RunningServer;
  let b: RunningServer;

  beforeAll(async () => {
    postgres = await startPostgres();
    const databaseUrl = await postgres.createDatabase('rp_shared');
    // One origin for both, as behind a load balancer; both migrate at once (the migrator takes a lock).
    const origins = ['http://localhost:8443'];
    [a, b] = await Promise.all([
      startServer({ port: 0, databaseUrl, origins }),
      startServer({ port: 0, databaseUrl, origins }),
    ]);
  }, 60_000);
  afterAll(async () => {
    await a?.close();
    await b?.close();
    await postgres?.stop();
  });

  it('runs on PostgreSQL', () => {
    expect([a.engine, b.engine]).toEqual(['postgres', 'postgres']);
  });

  it('verifies on instance B a challenge issued by instance A, and refuses its replay on A', async () => {
    const auth = new SoftAuthenticator();
    const alice = await signUp(a, auth, 'alice');
    const options = await authOptions(a);
    const response = auth.authenticate(options, a.origin);
    const onB = await verifyAssertion(b, response);
    expect(onB.status).toBe(200);
    expect(onB.json.user.id).toBe(alice.userId);
    const replay = await verifyAssertion(a, response);
    expect(replay.status).toBe(400);
    expect(replay.json.code).toBe('CHALLENGE_INVALID');
    // The session from B works on A.
    const me = await call(a, 'GET', '/api/account/me', { token: onB.json.token });
    expect(me.json.name).toBe('alice');
  });

  it('registers across instances and enforces the last-passkey rule under concurrent revokes', async () => {
    const auth = new SoftAuthenticator();
    const bob = await signUp(b, auth, 'bob');
    const second = await addPasskey(a, new SoftAuthenticator(), bob.token);
    expect(second.status).toBe(201);
    // Revoke both at once, one through each instance: exactly one may succeed.
    const [r1, r2] = await Promise.all([
      call(a, 'DELETE', `/api/account/passkeys/${bob.credentialId}`, { token: bob.token }),
      call(b, 'DELETE', `/api/account/passkeys/${second.json.passkey.id}`, { token: bob.token }),
    ]);
    expect([r1.status, r2.status].sort()).toEqual([200, 409]);
    expect([r1.json.code, r2.json.code]).toContain('LAST_PASSKEY');
    const left = await a.db
      .selectFrom('credentials')
      .select('id')
      .where('user_id', '=', bob.userId)
      .execute();
    expect(left).toHaveLength(1);
    // bob's session made both requests, so it lives on whichever passkey was revoked (its own, or the other).
    for (const server of [a, b])
      expect((await call(server, 'GET', '/api/account/me', { token: bob.token })).status).toBe(200);
  });

  it('revoking on one instance ends, on every instance, the other sessions of the passkey; the requesting one lives on', async () => {
    const phone = new SoftAuthenticator();
    const laptop = new SoftAuthenticator();
    const dana = await signUp(a, phone, 'dana');
    const added = await addPasskey(b, laptop, dana.token);
    expect(added.status).toBe(201);
    // Two sessions of the laptop's passkey, one from each instance; the one on A revokes that passkey.
    const other = await verifyAssertion(b, laptop.authenticate(await authOptions(b), b.origin));
    expect(other.status).toBe(200);
    const current = await verifyAssertion(a, laptop.authenticate(await authOptions(a), a.origin));
    expect(current.status).toBe(200);
    const revoked = await call(a, 'DELETE', `/api/account/passkeys/${added.json.passkey.id}`, {
      token: current.json.token,
    });
    expect(revoked.status).toBe(200);
    for (const server of [a, b]) {
      const me = await call(server, 'GET', '/api/account/me', { token: other.json.token });
      expect([me.status, me.json.code]).toEqual([401, 'SESSION_EXPIRED']);
      for (const token of [current.json.token, dana.token])
        expect((await call(server, 'GET', '/api/account/me', { token })).status).toBe(200);
    }
  });

  it('does not count a flagged passkey as the one left, under the same row locks', async () => {
    const erin = await signUp(a, new SoftAuthenticator(), 'erin');
    const spare = await addPasskey(b, new SoftAuthenticator(), erin.token);
    await a.db
      .updateTable('credentials')
      .set({ flagged_at: Date.now(), flag_reason: 'test' })
      .where('id', '=', spare.json.passkey.id)
      .execute();
    const refused = await call(b, 'DELETE', `/api/account/passkeys/${erin.credentialId}`, {
      token: erin.token,
    });
    expect([refused.status, refused.json.code]).toEqual([409, 'LAST_PASSKEY']);
    const ok = await call(a, 'DELETE', `/api/account/passkeys/${spare.json.passkey.id}`, {
      token: erin.token,
    });
    expect(ok.status).toBe(200);
  });

  it('exchanges a desktop login code across instances, and refuses one whose passkey was revoked since', async () => {
    const phone = new SoftAuthenticator();
    const laptop = new SoftAuthenticator();
    const fay = await signUp(a, phone, 'fay');
    expect((await addPasskey(a, laptop, fay.token)).status).toBe(201);
    const redirectUri = 'http://127.0.0.1:53682/callback';
    const codeFrom = async (): Promise<{ code: string; verifier: string }> => {
      const verifier = randomBytes(32).toString('base64url');
      const query = new URLSearchParams({
        response_type: 'code',
        code_challenge_method: 'S256',
        state: 's',
        redirect_uri: redirectUri,
        code_challenge: createHash('sha256').update(verifier).digest('base64url'),
      });
      const start = await fetch(`${a.url}/desktop/authorize?${query.toString()}`, { redirect: 'manual' });
      const request = new URL(start.headers.get('location')!, a.url).searchParams.get('desktop')!;
      const session = await verifyAssertion(b, laptop.authenticate(await authOptions(b), b.origin));
      const approved = await call<{ redirectTo: string }>(b, 'POST', '/api/desktop/approve', {
        token: session.json.token,
        body: { request },
      });
      return { code: new URL(approved.json.redirectTo).searchParams.get('code')!, verifier };
    };
    const exchange = ({ code, verifier }: { code: string; verifier: string }) =>
      call<{ access_token: string; code?: string }>(a, 'POST', '/api/desktop/token', {
        body: { grant_type: 'authorization_code', code, code_verifier: verifier, redirect_uri: redirectUri },
      });
    const app = await exchange(await codeFrom());
    expect(app.status).toBe(200);
    expect((await call(b, 'GET', '/api/account/me', { token: app.json.access_token })).status).toBe(200);
    const pending = await codeFrom();
    // Put back after the revoke deletes it, as a code approved while the revoke ran would be.
    const row = await a.db.selectFrom('desktop_codes').selectAll().executeTakeFirstOrThrow();
    const owner = await verifyAssertion(a, phone.authenticate(await authOptions(a), a.origin));
    const laptopId = laptop.credentials[0]!.id;
    expect(
      (await call(b, 'DELETE', `/api/account/passkeys/${laptopId}`, { token: owner.json.token })).status,
    ).toBe(200);
    expect(await a.db.selectFrom('desktop_codes').selectAll().execute()).toEqual([]);
    await a.db.insertInto('desktop_codes').values(row).execute();
    const refused = await exchange(pending);
    expect([refused.status, refused.json.code]).toEqual([400, 'INVALID_GRANT']);
    expect((await call(a, 'GET', '/api/account/me', { token: app.json.access_token })).status).toBe(401);
  });

  it("signing out everywhere else on one instance ends, on every instance, the account's other sessions, the one that revoked its own passkey included", async () => {
    const phone = new SoftAuthenticator();
    const laptop = new SoftAuthenticator();
    const gil = await signUp(a, phone, 'gil');
    const added = await addPasskey(b, laptop, gil.token);
    expect(added.status).toBe(201);
    // A thief signs in on B with the laptop's passkey and revokes it from that session, which lives on.
    const thief = await verifyAssertion(b, laptop.authenticate(await authOptions(b), b.origin));
    expect(thief.status).toBe(200);
    const revoked = await call(b, 'DELETE', `/api/account/passkeys/${added.json.passkey.id}`, {
      token: thief.json.token,
    });
    expect(revoked.status).toBe(200);
    expect((await call(a, 'GET', '/api/account/me', { token: thief.json.token })).status).toBe(200);
    const someoneElse = await signUp(b, new SoftAuthenticator(), 'gil-neighbour');
    // The owner signs in on A with the phone's passkey and signs out everywhere else.
    const owner = await verifyAssertion(a, phone.authenticate(await authOptions(a), a.origin));
    expect(owner.status).toBe(200);
    const r = await call(a, 'POST', SIGN_OUT_OTHERS, { token: owner.json.token, body: {} });
    expect([r.status, r.json]).toEqual([200, { ended: 2 }]);
    for (const server of [a, b]) {
      for (const token of [thief.json.token, gil.token]) {
        const me = await call(server, 'GET', '/api/account/me', { token });
        expect([me.status, me.json.code]).toEqual([401, 'SESSION_EXPIRED']);
      }
      for (const token of [owner.json.token, someoneElse.token])
        expect((await call(server, 'GET', '/api/account/me', { token })).status).toBe(200);
    }
  });

  it('two sessions signing out everywhere else at once: one ends the other, which gets 401 and ends nothing', async () => {
    const auth = new SoftAuthenticator();
    const hal = await signUp(a, auth, 'hal');
    const onA = await verifyAssertion(a, auth.authenticate(await authOptions(a), a.origin));
    const onB = await verifyAssertion(b, auth.authenticate(await authOptions(b), b.origin));
    const signOutOthers = (server: RunningServer, token: string) =>
      call<{ ended?: number; code?: string }>(server, 'POST', SIGN_OUT_OTHERS, { token, body: {} });
    // Hold the user's row lock so that both requests are past their session check and wait at it together.
    let replies: Promise<Reply<{ ended?: number; code?: string }>[]> | undefined;
    await a.db.transaction().execute(async (trx) => {
      await trx.selectFrom('users').select('id').where('id', '=', hal.userId).forNoKeyUpdate().execute();
      replies = Promise.all([signOutOthers(a, onA.json.token), signOutOthers(b, onB.json.token)]);
      for (const deadline = Date.now() + 10_000; ;) {
        const { rows } = await sql<{ n: number }>`SELECT count(*)::int AS n FROM pg_stat_activity
          WHERE datname = current_database() AND wait_event_type = 'Lock'`.execute(b.db);
        if (rows[0]!.n === 2) break;
        if (Date.now() > deadline) throw new Error(`${rows[0]!.n} requests wait for the lock, expected 2`);
        await new Promise((resolve) => setTimeout(resolve, 10));
      }
    });
    const outcomes = (await replies!).map((r) => [r.status, r.json.ended ?? r.json.code]);
    // The first ends the sign-up session and the other requester; the second finds itself ended.
    expect(outcomes.sort()).toEqual([
      [200, 2],
      [401, 'SESSION_EXPIRED'],
    ]);
    const live = await a.db
      .selectFrom('sessions')
      .select('token_hash')
      .where('user_id', '=', hal.userId)
      .where('revoked_at', 'is', null)
      .execute();
    expect(live).toHaveLength(1);
  });

  it('answers concurrent sign-ins with one challenge exactly once', async () => {
    const auth = new SoftAuthenticator({ counter: 'zero' });
    await signUp(a, auth, 'carol');
    const response = auth.authenticate(await authOptions(b), a.origin);
    const results = await Promise.all([a, b, a, b].map((s) => verifyAssertion(s, response)));
    expect(results.map((r) => r.status).sort()).toEqual([200, 400, 400, 400]);
  });
});
