/**
 * The pages in a real browser: Debian Chromium driven by playwright-core, with a CDP virtual authenticator
 * doing real WebAuthn ceremonies against the server — sign up, "already have a passkey here", add a second
 * passkey, sign in, revoke, and the Signal API calls around them.
 */
import { createHash, randomBytes } from 'node:crypto';
import { createServer } from 'node:http';
import type { Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { chromium } from 'playwright-core';
import type { Browser, CDPSession, Page } from 'playwright-core';
import type { RunningServer } from '../../src/server';
import { startServer } from '../../src/server';
import { chromiumLaunchOptions } from '../helpers/chromium';
import { ManualClock } from './support';

interface CdpCredential {
  credentialId: string;
  isResidentCredential: boolean;
  rpId?: string;
  privateKey: string;
  userHandle?: string;
  signCount: number;
}

/** CDP speaks standard base64; WebAuthn JSON speaks base64url. */
const cdpToB64url = (id: string): string => Buffer.from(id, 'base64').toString('base64url');

async function addAuthenticator(cdp: CDPSession): Promise<string> {
  const { authenticatorId } = await cdp.send('WebAuthn.addVirtualAuthenticator', {
    options: {
      protocol: 'ctap2',
      transport: 'internal',
      hasResidentKey: true,
      hasUserVerification: true,
      isUserVerified: true,
      automaticPresenceSimulation: true,
    },
  });
  return authenticatorId;
}

async function statusText(page: Page, pattern: RegExp): Promise<string> {
  await page.locator('#status', { hasText: pattern }).waitFor({ timeout: 15_000 });
  return (await page.textContent('#status')) ?? '';
}

/** What the page passed to the Signal API (app.js records each call it made). */
const signals = (page: Page) =>
  page.evaluate<{ kind: string; ids?: string[]; credentialId?: string }[]>('window.__passkeyDeskSignals');

describe('pages in real Chromium with a virtual authenticator', () => {
  let server: RunningServer;
  let browser: Browser;
  let page: Page;
  let cdp: CDPSession;
  let loopback: Server | undefined;

  beforeAll(async () => {
    server = await startServer({ port: 0 });
    browser = await chromium.launch({ ...chromiumLaunchOptions() });
    page = await browser.newPage();
    cdp = await page.context().newCDPSession(page);
    await cdp.send('WebAuthn.enable', { enableUI: false });
  });
  afterAll(async () => {
    loopback?.close();
    await browser?.close();
    await server?.close();
  });

  it('signs up, refuses a duplicate, adds a second passkey, signs in, revokes, and signals', async () => {
    const first = await addAuthenticator(cdp);

    // Sign up on the enroll page named by the well-known document.
    const wellKnown = (await (await fetch(`${server.url}/.well-known/passkey-endpoints`)).json()) as {
      enroll: string;
      manage: string;
    };
    await page.goto(wellKnown.enroll);
    await page.fill('#username', 'alice');
    await page.fill('#display-name', 'Alice Liddell');
    await page.click('#signup-button');
    await page.waitForURL(wellKnown.manage);
    await page.waitForSelector('#passkeys tr');
    expect(await page.textContent('#who')).toBe('Signed in as Alice Liddell (alice).');
    const [cred1] = (await cdp.send('WebAuthn.getCredentials', { authenticatorId: first }))
      .credentials as CdpCredential[];
    const cred1Id = cdpToB64url(cred1!.credentialId);
    expect(cred1!.isResidentCredential).toBe(true);
    expect(
      await page.$$eval('#passkeys tr', (rows: { getAttribute(name: string): string | null }[]) =>
        rows.map((r) => r.getAttribute('data-id')),
      ),
    ).toEqual([cred1Id]);

    // The same authenticator again: excludeCredentials makes the browser refuse, and the page says why.
    await page.click('#add-button');
    expect(await statusText(page, /already have a passkey/)).toMatch(/You already have a passkey here/);

    // A second authenticator (the first one is set aside) adds a second passkey.
    await cdp.send('WebAuthn.removeVirtualAuthenticator', { authenticatorId: first });
    const second = await addAuthenticator(cdp);
    await page.click('#add-button');
    await statusText(page, /Passkey added/);
    expect(await page.$$eval('#passkeys tr', (rows) => rows.length)).toBe(2);
    const [cred2] = (await cdp.send('WebAuthn.getCredentials', { authenticatorId: second }))
      .credentials as CdpCredential[];
    const cred2Id = cdpToB64url(cred2!.credentialId);

    // Rename through the page.
    await page.fill(`#passkeys tr[data-id="${cred2Id}"] input.name`, 'Laptop');
    await page.click(`#passkeys tr[data-id="${cred2Id}"] button.rename`);
    await statusText(page, /Renamed/);

    // Sign out, then sign in usernameless with the second passkey.
    await page.click('#signout-button');
    await page.waitForURL(`${server.origin}/signin`);
    await page.click('#signin-button');
    await page.waitForURL(`${server.origin}/manage`);
    await page.waitForSelector('#passkeys tr');
    const afterSignIn = await signals(page);
    const accepted = afterSignIn.filter((s) => s.kind === 'accepted').at(-1);
    expect(accepted?.ids?.sort()).toEqual([cred1Id, cred2Id].sort());
    expect(afterSignIn.some((s) => s.kind === 'user')).toBe(true);

    // Revoke the first passkey (the sign-in was just now, so it counts as recent).
    await page.click(`#passkeys tr[data-id="${cred1Id}"] button.revoke`);
    await statusText(page, /Passkey revoked/);
    expect(
      await page.$$eval('#passkeys tr', (rows: { getAttribute(name: string): string | null }[]) =>
        rows.map((r) => r.getAttribute('data-id')),
      ),
    ).toEqual([cred2Id]);
    expect((await signals(page)).filter((s) => s.kind === 'accepted').at(-1)?.ids).toEqual([cred2Id]);
    const names = await fetchNames();
    expect(names).toEqual(['Laptop']);

    // The last passkey cannot be revoked.
    await page.click(`#passkeys tr[data-id="${cred2Id}"] button.revoke`);
    expect(await statusText(page, /LAST_PASSKEY/)).toMatch(/last passkey/);

    // An authenticator that still holds the revoked passkey: sign-in fails and the page signals it unknown.
    await cdp.send('WebAuthn.removeCredential', {
      authenticatorId: second,
      credentialId: cred2!.credentialId,
    });
    await cdp.send('WebAuthn.addCredential', {
      authenticatorId: second,
      credential: { ...cred1!, signCount: cred1!.signCount + 10 },
    });
    await page.goto(`${server.origin}/signin`);
    await page.click('#signin-button');
    expect(await statusText(page, /UNKNOWN_CREDENTIAL/)).toMatch(/not registered here/);
    expect((await signals(page)).some((s) => s.kind === 'unknown' && s.credentialId === cred1Id)).toBe(true);
  });

  /**
   * A desktop login as far as the page's Allow / Deny: a fresh browser with a signed-up user, the native client's
   * loopback listener (RFC 8252 §7.3), the authorize page, and the passkey sign-in. Returns at the consent step.
   */
  async function desktopLoginUntilConsent(username: string) {
    const context = await browser.newContext();
    const tab = await context.newPage();
    const session = await context.newCDPSession(tab);
    await session.send('WebAuthn.enable', { enableUI: false });
    await addAuthenticator(session);
    await tab.goto(`${server.origin}/signup`);
    await tab.fill('#username', username);
    await tab.click('#signup-button');
    await tab.waitForURL(`${server.origin}/manage`);

    const received = new Promise<URL>((resolve) => {
      loopback = createServer((req, res) => {
        res.end('You can close this window.');
        resolve(new URL(req.url ?? '/', 'http://127.0.0.1'));
      });
    });
    await new Promise<void>((resolve) => loopback!.listen(0, '127.0.0.1', resolve));
    const port = (loopback!.address() as AddressInfo).port;
    const redirectUri = `http://127.0.0.1:${port}/callback`;
    const verifier = randomBytes(32).toString('base64url');
    const challenge = createHash('sha256').update(verifier).digest('base64url');
    const query = new URLSearchParams({
      response_type: 'code',
      redirect_uri: redirectUri,
      code_challenge: challenge,
      code_challenge_method: 'S256',
      state: 'xyz',
    });
    await tab.goto(`${server.origin}/desktop/authorize?${query.toString()}`);
    expect(await tab.isVisible('#desktop-note')).toBe(true);
    // The note names where the app waits, as the server stored it.
    await tab
      .locator('#desktop-note', { hasText: `It waits for the answer at 127.0.0.1:${port}.` })
      .waitFor();
    await tab.click('#signin-button');
    // Signed in, but nothing is sent to the app until the user chooses: which account, which app, Allow or Deny.
    await tab.locator('#desktop-consent').waitFor({ state: 'visible', timeout: 15_000 });
    expect(await tab.textContent('#desktop-consent-text')).toBe(
      `You are signed in as ${username} (${username}). An app on this computer, at 127.0.0.1:${port}, asks to be signed in to this account: it would be able to list, rename, add and revoke its passkeys.`,
    );
    expect(await tab.isHidden('#signin-button')).toBe(true);
    expect(await server.db.selectFrom('desktop_codes').select('code_hash').execute()).toEqual([]);
    const request = new URL(tab.url()).searchParams.get('desktop')!;
    return { context, tab, received, verifier, redirectUri, request };
  }

  it('completes a desktop login: system browser → passkey sign-in → Allow → loopback redirect → token', async () => {
    const { context, tab, received, verifier, redirectUri } = await desktopLoginUntilConsent('desktop-user');
    await tab.click('#desktop-allow');
    const callback = await received;
    loopback!.close();
    expect(callback.searchParams.get('state')).toBe('xyz');
    const res = await fetch(`${server.url}/api/desktop/token`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({
        grant_type: 'authorization_code',
        code: callback.searchParams.get('code'),
        code_verifier: verifier,
        redirect_uri: redirectUri,
      }),
    });
    const token = (await res.json()) as { access_token: string };
    const me = await fetch(`${server.url}/api/account/me`, {
      headers: { authorization: `Bearer ${token.access_token}` },
    });
    expect(((await me.json()) as { name: string }).name).toBe('desktop-user');
    await context.close();
  });

  it('Deny after signing in sends the app access_denied and no code', async () => {
    const { context, tab, received, request } = await desktopLoginUntilConsent('denier');
    await tab.click('#desktop-deny');
    const callback = await received;
    loopback!.close();
    expect(Object.fromEntries(callback.searchParams)).toEqual({ error: 'access_denied', state: 'xyz' });
    // No code was made, and the request is spent: nothing can approve it afterwards.
    expect(await server.db.selectFrom('desktop_codes').select('code_hash').execute()).toEqual([]);
    expect(
      await server.db.selectFrom('desktop_requests').select('id').where('id', '=', request).execute(),
    ).toEqual([]);
    await context.close();
  });

  it('revoking the passkey this page signed in with: revoked, and the page stays signed in', async () => {
    const context = await browser.newContext();
    const tab = await context.newPage();
    const session = await context.newCDPSession(tab);
    await session.send('WebAuthn.enable', { enableUI: false });
    const first = await addAuthenticator(session);
    await tab.goto(`${server.origin}/signup`);
    await tab.fill('#username', 'self-revoker');
    await tab.click('#signup-button');
    await tab.waitForURL(`${server.origin}/manage`);
    await tab.waitForSelector('#passkeys tr');
    const [own] = (await session.send('WebAuthn.getCredentials', { authenticatorId: first }))
      .credentials as CdpCredential[];
    const ownId = cdpToB64url(own!.credentialId);
    // A second passkey from another authenticator, so the first is not the last.
    await session.send('WebAuthn.removeVirtualAuthenticator', { authenticatorId: first });
    const second = await addAuthenticator(session);
    await tab.click('#add-button');
    await statusText(tab, /Passkey added/);
    const [other] = (await session.send('WebAuthn.getCredentials', { authenticatorId: second }))
      .credentials as CdpCredential[];

    const otherId = cdpToB64url(other!.credentialId);
    const token = await tab.evaluate<string | null>(`sessionStorage.getItem('passkey-desk-session')`);
    expect(token).toMatch(/\./);

    // This page's session came from signing up, with the first passkey: it lives on after revoking it.
    await tab.click(`#passkeys tr[data-id="${ownId}"] button.revoke`);
    await statusText(tab, /Passkey revoked/);
    expect(await tab.isVisible('#signed-in')).toBe(true);
    expect(await tab.isHidden('#signed-out')).toBe(true);
    // The list was fetched again with this session, and the provider was told the new accepted list.
    expect(
      await tab.evaluate<string[]>(
        `[...document.querySelectorAll('#passkeys tr[data-id]')].map((r) => r.getAttribute('data-id'))`,
      ),
    ).toEqual([otherId]);
    expect((await signals(tab)).filter((s) => s.kind === 'accepted').at(-1)?.ids).toEqual([otherId]);
    expect(await tab.evaluate(`sessionStorage.getItem('passkey-desk-session')`)).toBe(token);
    const me = await tab.evaluate<number>(`fetch('/api/account/me', {
      headers: { authorization: 'Bearer ' + sessionStorage.getItem('passkey-desk-session') },
    }).then((r) => r.status)`);
    expect(me).toBe(200);
    await context.close();
  });

  it('"Sign out everywhere else": asks first, needs a recent sign-in like revoke, then ends the other sessions', async () => {
    // A server of its own, whose clock the test moves past the recent-sign-in limit.
    const clock = new ManualClock();
    const own = await startServer({ port: 0, clock });
    const context = await browser.newContext();
    try {
      const tab = await context.newPage();
      const session = await context.newCDPSession(tab);
      await session.send('WebAuthn.enable', { enableUI: false });
      await addAuthenticator(session);
      await tab.goto(`${own.origin}/signup`);
      await tab.fill('#username', 'everywhere');
      await tab.click('#signup-button');
      await tab.waitForURL(`${own.origin}/manage`);
      await tab.waitForSelector('#passkeys tr');
      const pageToken = () => tab.evaluate<string | null>(`sessionStorage.getItem('passkey-desk-session')`);
      const meStatus = async (token: string | null) =>
        (await fetch(`${own.url}/api/account/me`, { headers: { authorization: `Bearer ${token}` } })).status;
      const signUpToken = await pageToken();

      // The button asks on a line of its own; Cancel ends nothing.
      expect(await tab.isHidden('#signout-others-confirm')).toBe(true);
      await tab.click('#signout-others-button');
      expect(await tab.textContent('#signout-others-confirm')).toMatch(
        /Sign out every other browser and app signed in to this account\? This page stays signed in\./,
      );
      await tab.click('#signout-others-cancel');
      expect(await tab.isHidden('#signout-others-confirm')).toBe(true);

      // Past the recent-sign-in limit the server refuses, and the page says so, as it does for revoke.
      clock.advance(5 * 60_000 + 1);
      await tab.click('#signout-others-button');
      await tab.click('#signout-others-yes');
      expect(await statusText(tab, /RECENT_SIGN_IN_REQUIRED/)).toMatch(
        /^signing out the other sessions needs a user-verified sign-in in the last 300 s; .*\(RECENT_SIGN_IN_REQUIRED\)$/,
      );
      expect(await tab.getAttribute('#status', 'class')).toBe('error');
      expect(await tab.isHidden('#signout-others-confirm')).toBe(true);
      expect(await meStatus(signUpToken)).toBe(200);

      // "Confirm it's you" twice: each is a new session, and the earlier ones stay live (other tabs, say).
      await tab.click('#reauth-button');
      await statusText(tab, /Confirmed/);
      const secondToken = await pageToken();
      await tab.evaluate(`document.getElementById('status').textContent = ''`);
      await tab.click('#reauth-button');
      await statusText(tab, /Confirmed/);
      const pageNow = await pageToken();
      expect(new Set([signUpToken, secondToken, pageNow]).size).toBe(3);
      for (const token of [signUpToken, secondToken, pageNow]) expect(await meStatus(token)).toBe(200);

      await tab.click('#signout-others-button');
      await tab.click('#signout-others-yes');
      expect(await statusText(tab, /Ended/)).toBe('Ended 2 other sessions.');
      expect(await tab.getAttribute('#status', 'class')).toBe('ok');
      for (const token of [signUpToken, secondToken]) expect(await meStatus(token)).toBe(401);
      // This page stays signed in with the same session.
      expect(await pageToken()).toBe(pageNow);
      expect(await meStatus(pageNow)).toBe(200);
      expect(await tab.isVisible('#signed-in')).toBe(true);
      await tab.click('#signout-others-button');
      await tab.click('#signout-others-yes');
      await tab.locator('#status', { hasText: 'Ended 0 other sessions.' }).waitFor({ timeout: 15_000 });
    } finally {
      await context.close();
      await own.close();
    }
  });

  async function fetchNames(): Promise<string[]> {
    return page.evaluate<string[]>(`(async () => {
      const token = sessionStorage.getItem('passkey-desk-session');
      const res = await fetch('/api/account/passkeys', { headers: { authorization: 'Bearer ' + token } });
      return (await res.json()).passkeys.map((p) => p.name);
    })()`);
  }
});
