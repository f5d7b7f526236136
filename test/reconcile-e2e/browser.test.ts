/**
 * (a) Passkeys from two places on one account: one registered from real Chromium (CDP virtual authenticator, a
 * store Passkey Desk cannot read → `elsewhere`), one from the vault (→ `synced`). The account is connected
 * through the desktop login: Passkey Desk's loopback listener + PKCE, with Chromium as the "system browser".
 * Also the CLI's browser sign-in as a process (a stand-in xdg-open), and every way to stop waiting: Cancel in
 * the app, Cancel on the site's page, a newer sign-in, Ctrl-C in the CLI; and a server that does not answer.
 */
import { spawn } from 'node:child_process';
import { chmod, mkdtemp, readFile, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { delimiter, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { chromium } from 'playwright-core';
import type { Browser, CDPSession, Page } from 'playwright-core';
import type { RunningServer } from '../../src/server';
import { startServer } from '../../src/server';
import { makeDesk } from './support';
import { chromiumLaunchOptions } from '../helpers/chromium';
import { buildCli, runCli } from '../helpers/cli';

const CLI_BIN = fileURLToPath(new URL('../../bin/passkey-desk.js', import.meta.url));

/** CDP speaks standard base64; WebAuthn JSON speaks base64url. */
const cdpToB64url = (id: string): string => Buffer.from(id, 'base64').toString('base64url');

/**
 * The CLI's "system browser": an `xdg-open` first on PATH that only writes down the arguments it was given. Returns
 * the environment to run the CLI in (its own data folder) and the argument lists recorded so far.
 */
async function xdgOpenStandIn(): Promise<{ env: NodeJS.ProcessEnv; calls: () => Promise<string[]> }> {
  const bin = await mkdtemp(join(tmpdir(), 'pkd-xdg-'));
  const opened = join(bin, 'opened.txt');
  await writeFile(join(bin, 'xdg-open'), `#!/bin/sh\nprintf '%s|' "$@" >> '${opened}'\n`);
  await chmod(join(bin, 'xdg-open'), 0o755);
  return {
    env: {
      ...process.env,
      PATH: `${bin}${delimiter}${process.env.PATH ?? ''}`,
      PASSKEY_DESK_HOME: await mkdtemp(join(tmpdir(), 'pkd-cli-browser-')),
    },
    calls: async () => (await readFile(opened, 'utf8').catch(() => '')).split('|').filter(Boolean),
  };
}

describe('accounts and reconcile with real Chromium', () => {
  let server: RunningServer;
  let browser: Browser;
  let page: Page;
  let cdp: CDPSession;
  let authenticatorId: string;

  beforeAll(async () => {
    server = await startServer({ port: 0 });
    browser = await chromium.launch({ ...chromiumLaunchOptions() });
    page = await browser.newPage();
    cdp = await page.context().newCDPSession(page);
    await cdp.send('WebAuthn.enable', { enableUI: false });
    ({ authenticatorId } = await cdp.send('WebAuthn.addVirtualAuthenticator', {
      options: {
        protocol: 'ctap2',
        transport: 'internal',
        hasResidentKey: true,
        hasUserVerification: true,
        isUserVerified: true,
        automaticPresenceSimulation: true,
      },
    }));
  });
  afterAll(async () => {
    await browser?.close();
    await server?.close();
  });

  /**
   * The app's "system browser": records each authorize URL and, in Chromium, opens it, presses `buttons` in turn on
   * the site's sign-in page and waits to be sent back to the loopback `redirect`.
   */
  function chromiumStandIn(buttons: string[], redirect: RegExp) {
    const opened: string[] = [];
    let browsing: Promise<void> = Promise.resolve();
    return {
      opened,
      finished: () => browsing,
      openBrowser: async (url: string) => {
        opened.push(url);
        browsing = (async () => {
          await page.goto(url);
          for (const button of buttons) await page.click(button);
          await page.waitForURL(redirect);
        })();
      },
    };
  }

  it('signs in through the browser, adds a vault passkey, and shows the browser passkey as elsewhere and the vault one as synced', async () => {
    // The user signs up on the site in the browser.
    await page.goto(`${server.origin}/signup`);
    await page.fill('#username', 'erin');
    await page.click('#signup-button');
    await page.waitForURL(`${server.origin}/manage`);
    const [cred] = (await cdp.send('WebAuthn.getCredentials', { authenticatorId })).credentials as {
      credentialId: string;
    }[];
    const browserId = cdpToB64url(cred!.credentialId);

    // Passkey Desk connects through the "system browser": the page signs in with the browser's passkey, and the
    // user allows the app in.
    const standIn = chromiumStandIn(
      ['#signin-button', '#desktop-allow'],
      /^http:\/\/127\.0\.0\.1:\d+\/callback/,
    );
    const { opened } = standIn;
    const desk = await makeDesk({ openBrowser: standIn.openBrowser });
    const account = await desk.call('accounts.add', { serverUrl: server.url, method: 'browser' });
    await standIn.finished();
    expect(account).toMatchObject({
      userName: 'erin',
      rpId: 'localhost',
      signedIn: true,
      signedInWith: 'browser',
      manage: `${server.origin}/manage`,
    });
    const authorize = new URL(opened[0]!);
    expect(authorize.origin + authorize.pathname).toBe(`${server.origin}/desktop/authorize`);
    expect(authorize.searchParams.get('code_challenge_method')).toBe('S256');
    expect(authorize.searchParams.get('redirect_uri')).toMatch(/^http:\/\/127\.0\.0\.1:\d+\/callback$/);
    expect(await page.textContent('body')).toContain('Passkey Desk received the sign-in');

    // A vault passkey joins the account through the server's add-passkey flow.
    const added = await desk.call('accounts.addVaultPasskey', { accountId: account.id });
    expect(added.server).toMatchObject({
      credentialId: added.passkey.credentialId,
      name: 'Passkey Desk vault',
    });
    // The vault refuses a second passkey for the same account (excludeCredentials), as an authenticator must.
    await expect(desk.call('accounts.addVaultPasskey', { accountId: account.id })).rejects.toMatchObject({
      code: 'ALREADY_REGISTERED',
    });

    const report = await desk.call('reconcile.run', {});
    const rows = report.accounts.find((a) => a.accountId === account.id)!.rows;
    expect(rows.map((r) => [r.credentialId, r.status]).sort()).toEqual(
      [
        [added.passkey.credentialId, 'synced'],
        [browserId, 'elsewhere'],
      ].sort(),
    );
    expect(rows.find((r) => r.credentialId === browserId)?.store).toBeNull();
    expect(report.accounts[0]?.summary.counts).toMatchObject({ synced: 1, elsewhere: 1 });
    // Nothing to prune: the browser passkey is not ours to judge.
    expect((await desk.call('reconcile.plan', { selection: 'prune' })).steps).toEqual([]);
  });

  it('the CLI hands the authorize page to the system browser as one argument, and connects once it signs in there', async () => {
    buildCli();
    const browser = await xdgOpenStandIn();
    const adding = runCli(['accounts', 'add', server.url, '--browser', '--json'], browser.env);
    let args: string[] = [];
    await expect.poll(async () => (args = await browser.calls()).length).toBe(1);
    expect(new URL(args[0]!).pathname).toBe('/desktop/authorize');
    await page.goto(args[0]!);
    await page.click('#signin-button');
    await page.click('#desktop-allow');
    await page.waitForURL(/^http:\/\/127\.0\.0\.1:\d+\/callback\?code=/);
    const done = await adding;
    expect(done.code, done.stderr).toBe(0);
    expect(JSON.parse(done.stdout)).toMatchObject({
      userName: 'erin',
      signedIn: true,
      signedInWith: 'browser',
    });
    expect(done.stderr).toContain(`open this address: ${args[0]!} (Ctrl-C stops waiting.)`);
  });

  it('a second browser sign-in replaces a waiting one, which says so (not that the user cancelled it)', async () => {
    const opened: string[] = [];
    const desk = await makeDesk({
      openBrowser: async (url) => {
        opened.push(url);
      },
    });
    const first = desk.call('accounts.add', { serverUrl: server.url, method: 'browser' });
    first.catch(() => undefined);
    await expect.poll(() => opened.length).toBe(1);
    const second = desk.call('accounts.add', { serverUrl: server.url, method: 'browser' });
    second.catch(() => undefined);
    await expect(first).rejects.toMatchObject({
      code: 'USER_CANCELLED',
      message: expect.stringContaining('A newer browser sign-in was started'),
    });
    await expect.poll(() => opened.length).toBe(2);
    expect(await desk.call('accounts.cancelBrowserSignIn', {})).toEqual({ cancelled: true });
    await expect(second).rejects.toMatchObject({ message: expect.stringContaining('You stopped waiting') });
  });

  it('Ctrl-C in the CLI while it waits for the browser cancels the sign-in and closes the listener', async () => {
    buildCli();
    const browser = await xdgOpenStandIn();
    const child = spawn(process.execPath, [CLI_BIN, 'accounts', 'add', server.url, '--browser'], {
      env: browser.env,
    });
    let stderr = '';
    child.stderr.on('data', (d: Buffer) => (stderr += d.toString()));
    const exited = new Promise<number | null>((resolve) => child.on('close', (code) => resolve(code)));
    let url = '';
    await expect.poll(async () => (url = (await browser.calls())[0] ?? '')).toMatch(/\/desktop\/authorize\?/);
    child.kill('SIGINT');
    expect(await exited).toBe(1);
    expect(stderr).toContain('You stopped waiting for the browser sign-in');
    await expect(fetch(redirectOf(url))).rejects.toThrow();
  });

  it('signing in again through the browser to a server that does not answer fails at once, opening nothing', async () => {
    const gone = await startServer({ port: 0 });
    const opened: string[] = [];
    const desk = await makeDesk({ openBrowser: async (u) => void opened.push(u) });
    const account = await desk.call('accounts.add', {
      serverUrl: gone.url,
      method: 'create',
      userName: 'gil',
    });
    await gone.close();
    await expect(
      desk.call('accounts.signIn', { accountId: account.id, method: 'browser' }),
    ).rejects.toMatchObject({
      code: 'SERVER_UNREACHABLE',
    });
    expect(opened).toEqual([]);
  });

  /** The loopback listener's address, from the authorize URL Passkey Desk opened. */
  const redirectOf = (url: string): string => new URL(url).searchParams.get('redirect_uri')!;

  it.each([
    ["cancels on the site's sign-in page", ['#desktop-cancel']],
    ["signs in on the site's page but denies the app", ['#signin-button', '#desktop-deny']],
  ])('stops waiting when the user %s, and keeps no account', async (_what, clicks) => {
    const standIn = chromiumStandIn(clicks, /^http:\/\/127\.0\.0\.1:\d+\/callback\?error=access_denied/);
    const { opened } = standIn;
    const desk = await makeDesk({ openBrowser: standIn.openBrowser });
    await expect(
      desk.call('accounts.add', { serverUrl: server.url, method: 'browser' }),
    ).rejects.toMatchObject({
      code: 'USER_CANCELLED',
      message: expect.stringContaining('You cancelled the sign-in on the site’s page'),
    });
    await standIn.finished();
    expect(await page.textContent('body')).toContain('Sign-in cancelled');
    expect(await desk.call('accounts.list', {})).toEqual([]);
    // The listener is gone, not left waiting for a redirect that will never come.
    await expect(fetch(redirectOf(opened[0]!))).rejects.toThrow();
    // No code was ever made for the app, even after a passkey sign-in.
    expect(await server.db.selectFrom('desktop_codes').select('code_hash').execute()).toEqual([]);
  });

  it('stops waiting when the user cancels in Passkey Desk, closing the listener, and a later sign-in still works', async () => {
    const opened: string[] = [];
    let signInOnPage = false;
    let browsing: Promise<void> = Promise.resolve();
    const desk = await makeDesk({
      openBrowser: async (url) => {
        opened.push(url);
        await page.goto(url);
        // The first time the user goes back to the app instead; the second time they sign in.
        if (signInOnPage)
          browsing = (async () => {
            await page.click('#signin-button');
            await page.click('#desktop-allow');
            await page.waitForURL(/^http:\/\/127\.0\.0\.1:\d+\/callback\?code=/);
          })();
      },
    });
    expect(await desk.call('accounts.cancelBrowserSignIn', {})).toEqual({ cancelled: false });
    const adding = desk.call('accounts.add', { serverUrl: server.url, method: 'browser' });
    adding.catch(() => undefined);
    await expect.poll(() => opened.length).toBe(1);
    expect(await desk.call('accounts.cancelBrowserSignIn', {})).toEqual({ cancelled: true });
    await expect(adding).rejects.toMatchObject({
      code: 'USER_CANCELLED',
      message: expect.stringContaining('You stopped waiting for the browser sign-in'),
    });
    await expect(fetch(redirectOf(opened[0]!))).rejects.toThrow();
    expect(await desk.call('accounts.cancelBrowserSignIn', {})).toEqual({ cancelled: false });
    expect(await desk.call('accounts.list', {})).toEqual([]);

    signInOnPage = true;
    const account = await desk.call('accounts.add', { serverUrl: server.url, method: 'browser' });
    await browsing;
    expect(account).toMatchObject({ userName: 'erin', signedIn: true, signedInWith: 'browser' });
    expect(opened).toHaveLength(2);
  });
});
