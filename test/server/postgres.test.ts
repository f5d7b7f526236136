/**
 * The scale-out path: two server instances sharing one real PostgreSQL. Challenges and sessions live in the
 * database, so a challenge issued by one instance is verified by the other, a session made on one works on
 * the other, and a challenge used on one cannot be replayed on the other.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { RunningServer } from '../../src/server';
import { startServer } from '../../src/server';
import { SoftAuthenticator } from '../helpers/soft-authenticator';
import type { PostgresServer } from '../helpers/postgres';
import { startPostgres } from '../helpers/postgres';
import { addPasskey, authOptions, call, signUp, verifyAssertion } from './support';

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
    const list = await call<{ passkeys: unknown[] }>(a, 'GET', '/api/account/passkeys', { token: bob.token });
    expect(list.json.passkeys).toHaveLength(1);
  });

  it('answers concurrent sign-ins with one challenge exactly once', async () => {
    const auth = new SoftAuthenticator({ counter: 'zero' });
    await signUp(a, auth, 'carol');
    const response = auth.authenticate(await authOptions(b), a.origin);
    const results = await Promise.all([a, b, a, b].map((s) => verifyAssertion(s, response)));
    expect(results.map((r) => r.status).sort()).toEqual([200, 400, 400, 400]);
  });
});
