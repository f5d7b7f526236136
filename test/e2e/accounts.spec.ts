/**
 * Accounts (#5) through the UI against the real reference server on 127.0.0.1: sign up with a new vault passkey,
 * see the account signed in, refresh, sign out and back in with the vault, remove it after confirming; an
 * unreachable server shows its error by code; passkeys no account covers show the "connect account" hint. The
 * session token stays in the keyring: not in the page, not in any result the page receives.
 */
import type { Page } from '@playwright/test';
import type { PasskeyDeskApi } from '../../src/shared/contract';
import { expect, test } from './bridge';
import { seedVault } from './seed';
import type { RunningServer } from './support/accounts-server';
import { sessionToken, startReferenceServer } from './support/accounts-server';
import { connectThroughUi, goTo } from './support/accounts-ui';

let server: RunningServer;
test.beforeEach(async () => {
  server = await startReferenceServer();
});
test.afterEach(async () => {
  await server.close();
});

/** Every result of the read channels the accounts screens call, as the page receives them. */
async function pageResults(page: Page): Promise<string> {
  return page.evaluate(async () => {
    const desk = (globalThis as unknown as { passkeyDesk: PasskeyDeskApi }).passkeyDesk;
    const all = await Promise.all([
      desk.accounts.list({}),
      desk.accounts.refresh({}),
      desk.reconcile.run({}),
      desk.reconcile.pending({}),
      desk.journal.list({}),
    ]);
    return JSON.stringify(all);
  });
}

test('connect an account with a new vault passkey, refresh, sign out and in, and remove it', async ({
  desk,
  page,
}) => {
  await desk.open();
  await goTo(page, 'Accounts');
  await expect(page.getByText('No account connected yet. Connect one below.')).toBeVisible();
  await desk.screenshot('accounts-empty');

  const card = await connectThroughUi(page, server.url, 'ana', 'Create an account with a new vault passkey');
  await expect(page.getByRole('status', { name: 'Notifications' })).toContainText(
    'Connected ana at localhost.',
  );
  await expect(card).toContainText('Signed in');
  await expect(card).toContainText('with the Passkey Desk vault');
  await expect(card).toContainText(server.url);
  const [account] = await desk.services.handlers['accounts.list']({});
  expect(account).toMatchObject({
    userName: 'ana',
    rpId: 'localhost',
    signedIn: true,
    signedInWith: 'vault',
  });
  expect((await desk.services.vault.list()).map((p) => [p.rpId, p.userName])).toEqual([['localhost', 'ana']]);

  await card.getByRole('button', { name: 'Refresh' }).click();
  await expect(card).toContainText('the server lists 1 passkey');
  await desk.screenshot('accounts-signed-in');

  // The token is in the keyring only: not on the page, not in anything the page was given.
  const token = await sessionToken(desk.services, account!.id);
  expect(token.length).toBeGreaterThan(20);
  expect(await page.content()).not.toContain(token);
  expect(await pageResults(page)).not.toContain(token);

  await card.getByRole('button', { name: 'Sign out' }).click();
  await expect(card).toContainText('Not signed in');
  expect(await desk.services.config.secrets!.get(`session:${account!.id}`)).toBeNull();
  const before = desk.verifier.requests.length;
  await card.getByRole('button', { name: 'Sign in with the vault' }).click();
  await expect(card).toContainText('Signed in');
  expect(desk.verifier.requests.slice(before)).toEqual([
    expect.stringMatching(/^sign in to localhost as ana/),
  ]);
  const fresh = await sessionToken(desk.services, account!.id);
  expect(fresh).not.toBe(token);
  expect(await page.content()).not.toContain(fresh);
  expect(await pageResults(page)).not.toContain(fresh);

  await card.getByRole('button', { name: 'Remove…' }).click();
  const dialog = page.getByRole('dialog', { name: 'Remove this account?' });
  await expect(dialog).toHaveAccessibleDescription(
    `Signs out of ${server.url} and forgets the account ana at localhost on this computer. Passkeys are not touched, here or on the server.`,
  );
  await expect(dialog.getByRole('button', { name: 'Cancel' })).toBeFocused();
  await desk.screenshot('accounts-remove-confirmation');
  await dialog.getByRole('button', { name: 'Remove account' }).click();
  await expect(dialog).toHaveCount(0);
  await expect(page.getByText('No account connected yet. Connect one below.')).toBeVisible();
  expect(await desk.services.handlers['accounts.list']({})).toEqual([]);
  // Passkeys are not touched by removing the account.
  expect(await desk.services.vault.list()).toHaveLength(1);
  const me = await fetch(`${server.url}/api/account/me`, { headers: { authorization: `Bearer ${fresh}` } });
  expect(me.status).toBe(401);
});

test('connecting with the vault signs in with the passkey it already holds', async ({ desk, page }) => {
  // Sign up through the services, then forget the account: the vault keeps its passkey for the site.
  const added = await desk.services.handlers['accounts.add']({
    serverUrl: server.url,
    method: 'create',
    userName: 'ben',
  });
  await desk.services.handlers['accounts.remove']({ accountId: added.id });
  await desk.open();
  await goTo(page, 'Accounts');
  const card = await connectThroughUi(page, server.url, 'ben', 'Sign in with the vault');
  await expect(card).toContainText('Signed in');
  expect((await desk.services.vault.list()).map((p) => p.userName)).toEqual(['ben']);
});

test('a server that cannot be reached shows its error by code, and nothing is added', async ({
  desk,
  page,
}) => {
  await desk.open();
  await goTo(page, 'Accounts');
  const closed = await startReferenceServer();
  await closed.close();
  const form = page.getByRole('form', { name: 'Connect an account' });
  await form.getByLabel('Server address').fill(closed.url);
  await form.getByLabel('User name').fill('ana');
  await form.getByRole('button', { name: 'Sign in and connect' }).click();
  const notice = form.getByRole('alert');
  await expect(notice).toHaveAttribute('data-error-code', 'SERVER_UNREACHABLE');
  await expect(notice).toContainText('The server cannot be reached');
  await desk.screenshot('accounts-unreachable');
  expect(await desk.services.handlers['accounts.list']({})).toEqual([]);
});

test('passkeys for sites with no connected account show the "connect account" hint', async ({
  desk,
  page,
}) => {
  await seedVault(desk.services, [
    { rpId: 'example.org', userName: 'bob' },
    { rpId: 'example.org', userName: 'bob.work' },
  ]);
  await desk.open();
  await goTo(page, 'Accounts');
  const section = page.getByRole('region', { name: 'Passkeys with no connected account' });
  const site = section.getByRole('listitem', { name: 'example.org' });
  await expect(site).toContainText('bob · Passkey Desk vault');
  await expect(site).toContainText('bob.work · Passkey Desk vault');
  await expect(site).toContainText('Connect your account at example.org');
  await desk.screenshot('accounts-unassigned');
  await site.getByRole('button', { name: 'Connect an account at example.org' }).click();
  const url = page.getByRole('form', { name: 'Connect an account' }).getByLabel('Server address');
  await expect(url).toHaveValue('https://example.org');
  await expect(url).toBeFocused();
});

test.describe('signing in through the browser', () => {
  test.use({ machine: { systemBrowser: true } });

  /** The loopback address Passkey Desk waits on, from the authorize page it asked the browser to open. */
  const redirectOf = (url: string): string => new URL(url).searchParams.get('redirect_uri')!;

  test('the wait can be cancelled from the form and from an account card; a Cancel on the site is explained', async ({
    desk,
    page,
  }) => {
    await desk.open();
    await goTo(page, 'Accounts');
    const form = page.getByRole('form', { name: 'Connect an account' });
    await form.getByLabel('Server address').fill(server.url);
    await form.getByRole('radio', { name: 'Sign in with the browser' }).check();
    await form.getByRole('button', { name: 'Open the browser' }).click();
    await expect(form.getByRole('status')).toHaveText('Waiting for the sign-in in your browser…');
    await expect.poll(() => desk.openedLinks.length).toBe(1);
    expect(new URL(desk.openedLinks[0]!).pathname).toBe('/desktop/authorize');
    await desk.screenshot('accounts-browser-wait');

    // Cancel in the app: the form is usable again at once, with no error for what the user asked for.
    await form.getByRole('button', { name: 'Cancel' }).click();
    await expect(form.getByRole('button', { name: 'Open the browser' })).toBeEnabled();
    await expect(form.getByRole('status')).toHaveCount(0);
    await expect(form.getByRole('alert')).toHaveCount(0);
    await expect(fetch(redirectOf(desk.openedLinks[0]!))).rejects.toThrow();
    expect(await desk.services.handlers['accounts.list']({})).toEqual([]);

    // Cancel on the site's own sign-in page (a real page of the reference server, in another tab).
    await form.getByRole('button', { name: 'Open the browser' }).click();
    await expect.poll(() => desk.openedLinks.length).toBe(2);
    // Its own browser context, closed below: Chromium keeps connections (preconnects) per context, and one left
    // open to the server holds up the server's close for a minute and a half.
    const siteContext = await page.context().browser()!.newContext();
    const site = await siteContext.newPage();
    await site.goto(desk.openedLinks[1]!);
    await expect(site.getByText('An app on this computer asked you to sign in.')).toBeVisible();
    await site.getByRole('button', { name: 'Cancel and tell the app' }).click();
    await expect(site.getByText('Sign-in cancelled. You can close this window.')).toBeVisible();
    await siteContext.close();
    const notice = form.getByRole('alert');
    await expect(notice).toHaveAttribute('data-error-code', 'USER_CANCELLED');
    await expect(notice).toContainText('You cancelled the sign-in on the site’s page');
    await expect(form.getByRole('button', { name: 'Open the browser' })).toBeEnabled();

    // An account card's "Sign in with the browser" waits the same way, and cancels the same way.
    const card = await connectThroughUi(
      page,
      server.url,
      'ana',
      'Create an account with a new vault passkey',
    );
    await card.getByRole('button', { name: 'Sign out' }).click();
    await expect(card).toContainText('Not signed in');
    await card.getByRole('button', { name: 'Sign in with the browser' }).click();
    await expect(card.getByRole('status')).toHaveText('Waiting for the sign-in in your browser…');
    await expect.poll(() => desk.openedLinks.length).toBe(3);
    await card.getByRole('button', { name: 'Cancel' }).click();
    await expect(card.getByRole('status')).toHaveCount(0);
    await expect(card.getByRole('button', { name: 'Sign in with the browser' })).toBeEnabled();
    await expect(fetch(redirectOf(desk.openedLinks[2]!))).rejects.toThrow();
    await expect(page.getByRole('status', { name: 'Notifications' })).not.toContainText('Cancelled');
    await expect(card).toContainText('Not signed in');
  });
});
