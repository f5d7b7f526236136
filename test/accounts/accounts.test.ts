/**
 * Accounts against the real reference server: discovery, sign-up and sign-in with the vault, sign-out and
 * removal, per-account refresh errors, and errors that say what went wrong (unreachable, not a passkey server).
 */
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { discover } from '../../src/main/accounts/discovery';
import { parseOverride } from '../../src/cli/commands/reconcile';
import type { RunningServer } from '../../src/server';
import { startServer } from '../../src/server';
import { makeDesk } from '../reconcile-e2e/support';
import type { SecretStore } from '../../src/main/keyring';
import { PasskeyDeskError } from '../../src/shared/errors';
import { realKeyring } from '../helpers/keyring';
import { ManualClock } from '../server/support';
import type { Desk } from '../reconcile-e2e/support';

describe('accounts', () => {
  let server: RunningServer;
  let desk: Desk;

  beforeEach(async () => {
    server = await startServer({ port: 0 });
    desk = await makeDesk();
  });
  afterEach(async () => server.close());

  it('discovers the endpoints from the server address alone', async () => {
    const d = await discover(`${server.url}/some/page?x=1`);
    expect(d).toMatchObject({
      serverUrl: server.url,
      rpId: 'localhost',
      origin: server.origin,
      enroll: `${server.origin}/signup`,
      manage: `${server.origin}/manage`,
    });
    expect(d.endpoints).toMatchObject({
      passkeys: '/api/account/passkeys',
      desktopAuthorize: '/desktop/authorize',
      desktopToken: '/api/desktop/token',
    });
  });

  it('signs up with a new vault passkey, then signs in with it after being removed, and signs out', async () => {
    const created = await desk.call('accounts.add', {
      serverUrl: server.url,
      method: 'create',
      userName: 'fay',
      displayName: 'Fay',
    });
    expect(created).toMatchObject({
      userName: 'fay',
      userDisplayName: 'Fay',
      signedIn: true,
      signedInWith: 'vault',
      connector: 'reference-server',
    });
    expect(desk.verifier.requests).toEqual([expect.stringMatching(/^create a passkey for fay on localhost/)]);
    expect(await desk.call('accounts.list', {})).toEqual([created]);

    const removed = await desk.call('accounts.remove', { accountId: created.id });
    expect(removed).toEqual({ accountId: created.id, signedOut: true, sessionLeftOpen: false });
    expect(await desk.call('accounts.list', {})).toEqual([]);
    expect(await desk.secrets.get(`session:${created.id}`)).toBeNull();

    const again = await desk.call('accounts.add', {
      serverUrl: server.url,
      method: 'vault',
      userName: 'fay',
    });
    expect(again).toMatchObject({ userName: 'fay', userHandle: created.userHandle, signedIn: true });
    // Adding the same account again keeps one record.
    const same = await desk.call('accounts.add', { serverUrl: server.url, method: 'vault', userName: 'fay' });
    expect(same.id).toBe(again.id);
    expect(await desk.call('accounts.list', {})).toHaveLength(1);
    // The same server by another address (localhost for 127.0.0.1) is still the same account, now at that address.
    const byName = server.url.replace('127.0.0.1', 'localhost');
    const sameByName = await desk.call('accounts.add', {
      serverUrl: byName,
      method: 'vault',
      userName: 'fay',
    });
    expect(sameByName).toMatchObject({ id: again.id, serverUrl: byName });
    expect(await desk.call('accounts.list', {})).toHaveLength(1);

    const out = await desk.call('accounts.signOut', { accountId: again.id });
    expect(out.signedIn).toBe(false);
    const refreshed = await desk.call('accounts.refresh', {});
    expect(refreshed[0]?.error?.code).toBe('NOT_SIGNED_IN');
    expect(refreshed[0]?.error?.message).toContain(`passkey-desk accounts signin ${again.id}`);
    expect((await desk.call('accounts.signIn', { accountId: again.id, method: 'vault' })).signedIn).toBe(
      true,
    );
    expect((await desk.call('accounts.refresh', { accountId: again.id }))[0]).toMatchObject({
      credentials: 1,
      error: null,
    });
  });

  it('says what is wrong: unknown user, taken name, unreachable server, not a passkey server, bad input, unknown account', async () => {
    await expect(
      desk.call('accounts.add', { serverUrl: server.url, method: 'vault', userName: 'nobody' }),
    ).rejects.toMatchObject({
      code: 'NOT_FOUND',
      message: expect.stringMatching(/--browser.*sign up with a new vault passkey \(--create\)/),
    });
    // Signing up with a name the server has: maybe the user's own account, so say how to sign in to it.
    await desk.call('accounts.add', { serverUrl: server.url, method: 'create', userName: 'ida' });
    await expect(
      desk.call('accounts.add', { serverUrl: server.url, method: 'create', userName: 'ida' }),
    ).rejects.toMatchObject({
      code: 'CONFLICT',
      message: expect.stringContaining(
        `already has an account named "ida". If it is yours, connect it by signing in instead of signing up: with its passkey in this vault (passkey-desk accounts add ${server.url} --user ida)`,
      ),
    });
    await expect(desk.call('accounts.add', { serverUrl: server.url, method: 'vault' })).rejects.toMatchObject(
      { code: 'INVALID_INPUT', message: expect.stringContaining('--user') },
    );
    // A user name the server does not allow: its refusal is bad input (exit 2), in its own words.
    await expect(
      desk.call('accounts.add', { serverUrl: server.url, method: 'create', userName: 'bad name' }),
    ).rejects.toMatchObject({
      code: 'INVALID_INPUT',
      message: expect.stringMatching(
        /refused \(400 INVALID_INPUT\): ".*username.*"\. The server refused a value/,
      ),
    });
    // An https address for a server that speaks http: said in those words, not OpenSSL's.
    await expect(
      desk.call('accounts.add', {
        serverUrl: server.url.replace('http:', 'https:'),
        method: 'create',
        userName: 'x',
      }),
    ).rejects.toMatchObject({
      code: 'SERVER_UNREACHABLE',
      message: expect.stringContaining(
        `it does not speak https on that port; a server on this machine started with npm run server takes http://`,
      ),
    });

    const closed = createServer();
    await new Promise<void>((r) => closed.listen(0, '127.0.0.1', r));
    const port = (closed.address() as AddressInfo).port;
    await new Promise<void>((r) => closed.close(() => r()));
    await expect(
      desk.call('accounts.add', { serverUrl: `http://127.0.0.1:${port}`, method: 'create', userName: 'x' }),
    ).rejects.toMatchObject({ code: 'SERVER_UNREACHABLE' });

    const plain = createServer((_req, res) =>
      res.writeHead(404, { 'content-type': 'text/plain' }).end('nope'),
    );
    await new Promise<void>((r) => plain.listen(0, '127.0.0.1', r));
    try {
      await expect(
        desk.call('accounts.add', {
          serverUrl: `http://127.0.0.1:${(plain.address() as AddressInfo).port}`,
          method: 'create',
          userName: 'x',
        }),
      ).rejects.toMatchObject({
        code: 'UNSUPPORTED',
        message: expect.stringContaining('/api'),
      });
    } finally {
      plain.close();
    }
    await expect(
      desk.call('accounts.add', { serverUrl: 'ftp://example.com', method: 'create', userName: 'x' }),
    ).rejects.toMatchObject({ code: 'INVALID_INPUT' });
    await expect(
      desk.call('accounts.signIn', { accountId: 'acct-0000000000', method: 'vault' }),
    ).rejects.toMatchObject({ code: 'NOT_FOUND' });
    await expect(desk.call('reconcile.apply', { planId: 'nope', confirm: true })).rejects.toMatchObject({
      code: 'NOT_FOUND',
    });
  });

  it('reports a server that went away per account, without failing the reconcile', async () => {
    const a = await desk.call('accounts.add', { serverUrl: server.url, method: 'create', userName: 'gus' });
    await server.close();
    const report = await desk.call('reconcile.run', {});
    expect(report.accounts).toEqual([
      expect.objectContaining({
        accountId: a.id,
        ok: false,
        error: expect.objectContaining({ code: 'SERVER_UNREACHABLE' }),
      }),
    ]);
    // Its vault passkey is shown with the account, unmanaged (so nothing offers to delete it unguarded).
    expect(report.accounts[0]?.rows.map((r) => r.status)).toEqual(['unmanaged']);
    await expect(desk.call('reconcile.plan', { accountId: a.id, selection: 'prune' })).rejects.toMatchObject({
      code: 'SERVER_UNREACHABLE',
    });
    server = await startServer({ port: 0 }); // for afterEach
  });

  it('removing an account says whether its server session was left open', async () => {
    // The session already ended on the server (signed out elsewhere): nothing is left open.
    const a = await desk.call('accounts.add', { serverUrl: server.url, method: 'create', userName: 'hal' });
    const { token } = JSON.parse((await desk.secrets.get(`session:${a.id}`))!) as { token: string };
    const ended = await fetch(`${server.url}/api/account/sign-out`, {
      method: 'POST',
      headers: { authorization: `Bearer ${token}`, 'content-type': 'application/json' },
      body: '{}',
    });
    expect(ended.status).toBe(204);
    expect(await desk.call('accounts.remove', { accountId: a.id })).toEqual({
      accountId: a.id,
      signedOut: false,
      sessionLeftOpen: false,
    });

    // The server is down: the account and its token go, and the answer says the session there lives on.
    const b = await desk.call('accounts.add', { serverUrl: server.url, method: 'vault', userName: 'hal' });
    await server.close();
    // Signing out says so too (the token is forgotten here either way).
    expect(await desk.call('accounts.signOut', { accountId: b.id })).toMatchObject({
      signedIn: false,
      sessionLeftOpen: true,
    });
    await desk.secrets.set(
      `session:${b.id}`,
      JSON.stringify({ token: 'still-here', expiresAt: null, method: 'vault' }),
    );
    expect(await desk.call('accounts.remove', { accountId: b.id })).toEqual({
      accountId: b.id,
      signedOut: false,
      sessionLeftOpen: true,
    });
    expect(await desk.call('accounts.list', {})).toEqual([]);
    expect(await desk.secrets.get(`session:${b.id}`)).toBeNull();
    server = await startServer({ port: 0 }); // for afterEach
  });

  it('a session Passkey Desk replaces (signing in again, adding the account again) is signed out on the server', async () => {
    const account = await desk.call('accounts.add', {
      serverUrl: server.url,
      method: 'create',
      userName: 'gus',
    });
    const tokenNow = async () =>
      (JSON.parse((await desk.secrets.get(`session:${account.id}`)) ?? '{}') as { token: string }).token;
    const live = async (token: string) =>
      (await fetch(`${server.url}/api/account/me`, { headers: { authorization: `Bearer ${token}` } })).status;
    const first = await tokenNow();
    expect(await live(first)).toBe(200);

    await desk.call('accounts.signIn', { accountId: account.id, method: 'vault' });
    const second = await tokenNow();
    expect(second).not.toBe(first);
    expect(await live(first)).toBe(401);
    expect(await live(second)).toBe(200);

    await desk.call('accounts.add', { serverUrl: server.url, method: 'vault', userName: 'gus' });
    expect(await live(second)).toBe(401);
    expect(await live(await tokenNow())).toBe(200);
  });

  it('adding a passkey with a session older than the recent-sign-in window says to sign in again first', async () => {
    const clock = new ManualClock(Date.now());
    const timed = await startServer({ port: 0, clock });
    try {
      const account = await desk.call('accounts.add', {
        serverUrl: timed.url,
        method: 'create',
        userName: 'hana',
      });
      clock.advance(6 * 60_000);
      await expect(desk.call('accounts.addVaultPasskey', { accountId: account.id })).rejects.toMatchObject({
        code: 'RECENT_SIGN_IN_REQUIRED',
        message: expect.stringContaining(
          'Revoking or adding a passkey needs a recent sign-in: sign in again with a passkey',
        ),
      });
      // Nothing was made: the vault still holds only the account's first passkey.
      expect(await desk.services.vault.list()).toHaveLength(1);
      expect(await desk.services.vault.trash()).toEqual([]);
    } finally {
      await timed.close();
    }
  });

  it('a sign-up whose session cannot be kept (keyring refuses) says the account exists and how to connect it', async () => {
    const real = realKeyring();
    let refuse = true;
    const flaky: SecretStore = {
      description: real.description,
      get: (k) => real.get(k),
      delete: (k) => real.delete(k),
      set: async (k, v) => {
        if (refuse && k.startsWith('session:'))
          throw new PasskeyDeskError('KEYRING_LOCKED', 'The keyring is locked. Unlock it and try again.');
        return real.set(k, v);
      },
    };
    const d = await makeDesk({}, flaky);
    await expect(
      d.call('accounts.add', { serverUrl: server.url, method: 'create', userName: 'ivo' }),
    ).rejects.toMatchObject({
      code: 'KEYRING_LOCKED',
      message: expect.stringContaining(
        `The account ivo was created at ${server.url} and its passkey is in the vault, but it is not connected here yet; once that is fixed, connect it with: passkey-desk accounts add ${server.url} --user ivo`,
      ),
    });
    expect(await d.call('accounts.list', {})).toEqual([]);
    // The advice works once the keyring does.
    refuse = false;
    const connected = await d.call('accounts.add', {
      serverUrl: server.url,
      method: 'vault',
      userName: 'ivo',
    });
    expect(connected).toMatchObject({ userName: 'ivo', signedIn: true });
  });

  it('parses --override ACTION_ID:GUARD, where action ids contain colons', () => {
    expect(parseOverride('revoke-server:acct-1:AbC:last-passkey')).toEqual({
      actionId: 'revoke-server:acct-1:AbC',
      guard: 'last-passkey',
    });
    expect(() => parseOverride('revoke-server:acct-1:AbC')).toThrow(/GUARD/);
    expect(parseOverride('delete-local:vault:AbC:still-accepted')).toEqual({
      actionId: 'delete-local:vault:AbC',
      guard: 'still-accepted',
    });
    // A guard that never stops that kind of action would lift nothing: refused, saying so.
    expect(() => parseOverride('revoke-server:acct-1:AbC:still-accepted')).toThrow(
      /the still-accepted guard only ever stops delete-local actions, and this is a revoke-server action/,
    );
    expect(() => parseOverride('delete-local:vault:AbC:last-passkey')).toThrow(
      /only ever stops revoke-server/,
    );
  });
});
