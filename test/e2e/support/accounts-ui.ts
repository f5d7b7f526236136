/** Steps through the UI shared by the accounts, reconcile and activity e2e tests. */
import type { Locator, Page } from '@playwright/test';
import { expect } from '../bridge';

export async function goTo(page: Page, label: 'Accounts' | 'Activity' | 'Trash' | 'Passkeys'): Promise<void> {
  await page
    .getByRole('navigation', { name: 'Main' })
    .getByRole('button', { name: label, exact: true })
    .click();
  const heading = label === 'Passkeys' ? 'Passkeys' : label;
  await expect(page.getByRole('heading', { level: 1, name: heading })).toBeVisible();
}

/** Fills the Connect form and waits for the account's card. */
export async function connectThroughUi(
  page: Page,
  serverUrl: string,
  userName: string,
  method: 'Sign in with the vault' | 'Create an account with a new vault passkey',
): Promise<Locator> {
  const form = page.getByRole('form', { name: 'Connect an account' });
  await form.getByLabel('Server address').fill(serverUrl);
  // The method first: with "Sign in with the browser" picked, the user name field is disabled.
  await form.getByRole('radio', { name: method }).check();
  await form.getByLabel('User name').fill(userName);
  await form
    .getByRole('button', { name: method.startsWith('Create') ? 'Create account' : 'Sign in and connect' })
    .click();
  const card = page
    .getByRole('list', { name: 'Connected accounts' })
    .getByRole('listitem', { name: `${userName} at localhost` });
  await expect(card).toBeVisible();
  return card;
}

/** From the Accounts screen, opens the reconcile view of one account and waits for its rows. */
export async function openReconcile(page: Page, userName: string): Promise<Locator> {
  await page
    .getByRole('list', { name: 'Connected accounts' })
    .getByRole('listitem', { name: `${userName} at localhost` })
    .getByRole('button', { name: 'Reconcile' })
    .click();
  await expect(
    page.getByRole('heading', { level: 1, name: `Reconcile ${userName} at localhost` }),
  ).toBeVisible();
  const rows = page.getByRole('list', { name: `Passkeys of ${userName} at localhost` });
  await expect(rows).toBeVisible();
  return rows;
}

/** The reconcile row whose status badge reads `status` (e.g. "Only on this machine"). */
export function rowWith(rows: Locator, status: string): Locator {
  return rows.getByRole('listitem', { name: new RegExp(`^${status}`) });
}
