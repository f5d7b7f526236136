/**
 * The running server deletes rows that can never be used again: expired challenges, desktop login requests and
 * codes, and sessions a day after they expired. Live rows stay, and an expired session that is still kept gets
 * the clearer "expired" answer.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { RunningServer } from '../../src/server/start-server';
import { startServer } from '../../src/server/start-server';
import { EXPIRED_SESSION_KEPT_MS } from '../../src/server/store/sweep';
import { SoftAuthenticator } from '../helpers/soft-authenticator';
import { call, ManualClock, signUp } from './support';

const HOUR = 60 * 60_000;

describe('sweeping spent rows', () => {
  const clock = new ManualClock();
  let server: RunningServer;
  beforeAll(async () => {
    server = await startServer({ clock, rateLimit: false, sweepIntervalMs: 20 });
  });
  afterAll(async () => server?.close());

  const ids = async (table: 'challenges' | 'desktop_requests'): Promise<string[]> =>
    (await server.db.selectFrom(table).select('id').orderBy('id').execute()).map((r) => r.id);

  it('deletes expired challenges, requests, codes and long-expired sessions, and keeps the rest', async () => {
    const alice = await signUp(server, new SoftAuthenticator(), 'alice');
    const now = clock.now();
    const rows = (id: string, expires_at: number) => ({ id, expires_at });
    await server.db
      .insertInto('challenges')
      .values([
        { ...rows('challenge-expired', now - 1), flow: 'authentication', user_id: null, data: '{}' },
        { ...rows('challenge-live', now + HOUR), flow: 'authentication', user_id: null, data: '{}' },
      ])
      .execute();
    const request = { redirect_uri: 'http://127.0.0.1:1/cb', code_challenge: 'x', state: 's' };
    await server.db
      .insertInto('desktop_requests')
      .values([
        { ...rows('request-expired', now - 1), ...request },
        { ...rows('request-live', now + HOUR), ...request },
      ])
      .execute();
    const code = {
      user_id: alice.userId,
      credential_id: alice.credentialId,
      verified_at: now,
      redirect_uri: request.redirect_uri,
      code_challenge: request.code_challenge,
    };
    await server.db
      .insertInto('desktop_codes')
      .values([
        { code_hash: 'code-expired', expires_at: now - 1, ...code },
        { code_hash: 'code-live', expires_at: now + HOUR, ...code },
      ])
      .execute();
    const session = {
      user_id: alice.userId,
      credential_id: alice.credentialId,
      created_at: now,
      verified_at: now,
    };
    await server.db
      .insertInto('sessions')
      .values([
        {
          token_hash: 'session-long-expired',
          expires_at: now - EXPIRED_SESSION_KEPT_MS - 1,
          revoked_at: null,
          ...session,
        },
        { token_hash: 'session-just-expired', expires_at: now - 1, revoked_at: null, ...session },
      ])
      .execute();

    await expect.poll(() => ids('challenges'), { timeout: 5_000 }).not.toContain('challenge-expired');
    await expect.poll(() => ids('desktop_requests'), { timeout: 5_000 }).toEqual(['request-live']);
    expect(await ids('challenges')).toContain('challenge-live');
    const codes = await server.db.selectFrom('desktop_codes').select('code_hash').execute();
    expect(codes.map((c) => c.code_hash)).toEqual(['code-live']);
    const sessions = (await server.db.selectFrom('sessions').select('token_hash').execute()).map(
      (s) => s.token_hash,
    );
    expect(sessions).not.toContain('session-long-expired');
    expect(sessions).toContain('session-just-expired');
    // alice's own session from signing up is live and still works.
    const me = await call(server, 'GET', '/api/account/me', { token: alice.token });
    expect(me.status).toBe(200);
  });

  it('an expired session that is still kept is answered "expired", then it is swept', async () => {
    const bob = await signUp(server, new SoftAuthenticator(), 'bob');
    clock.advance(13 * HOUR); // past the 12-hour session lifetime
    const expired = await call(server, 'GET', '/api/account/me', { token: bob.token });
    expect(expired.status).toBe(401);
    expect(expired.json).toMatchObject({ message: expect.stringContaining('expired') });
    clock.advance(EXPIRED_SESSION_KEPT_MS);
    await expect
      .poll(
        async () =>
          (
            await server.db
              .selectFrom('sessions')
              .select('user_id')
              .where('user_id', '=', bob.userId)
              .execute()
          ).length,
        {
          timeout: 5_000,
        },
      )
      .toBe(0);
  });
});
