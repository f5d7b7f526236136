/**
 * The inventory screen against real services: grouping by site and account, badges, search and the store
 * filter, the detail pane, rename, and keyboard use of the list.
 */
import { fileURLToPath } from 'node:url';
import { expect, test } from './bridge';
import { THREE_SITES, seedVault } from './seed';

import type { Locator, Page } from '@playwright/test';

/** The passkey options only (the store filter's <option>s are options too). */
const passkeyOptions = (page: Page) => page.getByRole('listbox', { name: /^Passkeys/ }).getByRole('option');
const selectedOption = (page: Page) =>
  page.getByRole('listbox', { name: /^Passkeys/ }).getByRole('option', { selected: true });

async function labelsOf(options: Locator): Promise<string[]> {
  const labels: string[] = [];
  for (const option of await options.all()) labels.push((await option.getAttribute('aria-label')) ?? '');
  return labels;
}

const BITWARDEN = fileURLToPath(new URL('../fixtures/imports/bitwarden.json', import.meta.url));

test('groups passkeys by site, then account, with store badges and dates', async ({ desk, page }) => {
  await seedVault(desk.services, THREE_SITES);
  await desk.open();

  const list = page.getByRole('listbox', { name: /Passkeys, 5 passkeys/ });
  await expect(list).toBeVisible();
  const options = list.getByRole('option');
  await expect(options).toHaveCount(5);
  // Sorted by site, then account: example.com (alice ×2, bob), github.com, shop.example.org.
  const names = await labelsOf(options);
  expect(names).toEqual([
    'alice on example.com, Passkey Desk vault',
    'alice on example.com, Passkey Desk vault',
    'bob on example.com, Passkey Desk vault',
    'alice-gh on github.com, Passkey Desk vault',
    'carol@example.org on shop.example.org, Passkey Desk vault',
  ]);
  await expect(list.locator('.group-site')).toHaveText([
    /example\.com\s*3 passkeys/,
    /github\.com\s*1 passkey/,
    /shop\.example\.org\s*1 passkey/,
  ]);
  await expect(list.locator('.group-user')).toHaveText([
    'alice· 2 passkeys',
    'bob',
    'alice-gh',
    'carol@example.org',
  ]);
  const first = options.first();
  await expect(first).toContainText('Alice Liddell');
  await expect(first).toContainText('Vault');
  await expect(first).toContainText(/Created \w{3} \d{1,2}, \d{4}/);
  await expect(first).toContainText('Last used never');
  await expect(page.getByText('5 passkeys in 1 readable store')).toBeVisible();
  await expect(page.getByRole('navigation', { name: 'Main' })).toContainText('test bridge');
  await desk.screenshot('inventory-grouped');
});

test('search matches site, account, provider and credential ID; the filter narrows by store kind and store', async ({
  desk,
  page,
}) => {
  const [alice] = await seedVault(desk.services, THREE_SITES);
  await desk.services.imports.importFile(BITWARDEN);
  await desk.open();
  const list = page.getByRole('listbox');
  const options = list.getByRole('option');
  const all = await options.count();
  expect(all).toBeGreaterThan(5);

  const search = page.getByLabel('Search');
  await search.fill('github');
  await expect(options).not.toHaveCount(all);
  for (const label of await labelsOf(options)) expect(label).toContain('github.com');

  await search.fill(alice!.credentialId);
  await expect(options).toHaveCount(1);
  await expect(options.first()).toHaveAttribute('aria-label', 'alice on example.com, Passkey Desk vault');

  await search.fill('bob example');
  await expect(options).toHaveCount(1);

  await search.fill('no-such-passkey');
  await expect(options).toHaveCount(0);
  await expect(page.getByText('No passkeys match “no-such-passkey”')).toBeVisible();
  await page.getByRole('button', { name: 'Clear search and filter' }).click();
  await expect(options).toHaveCount(all);

  const filter = page.getByLabel('Store', { exact: true });
  await filter.selectOption({ label: 'Export file' });
  const exportCount = await options.count();
  expect(exportCount).toBe(all - 5);
  for (const label of await labelsOf(options)) expect(label).not.toContain('Passkey Desk vault');
  await expect(page.getByText(`${exportCount} of ${all} passkeys`)).toBeVisible();
  await desk.screenshot('inventory-filter-export');

  await filter.selectOption({ label: 'Vault' });
  await expect(options).toHaveCount(5);
  await search.fill('alice');
  await expect(options).toHaveCount(3);
});

test('the detail pane shows every field, and the credential ID copies exactly', async ({ desk, page }) => {
  const [alice] = await seedVault(desk.services, THREE_SITES);
  await desk.open();
  await page.getByRole('option', { name: 'alice on example.com' }).first().click();

  const detail = page.getByRole('region', { name: 'alice on example.com' });
  await expect(detail).toBeVisible();
  for (const field of [
    'Site (RP ID)',
    'User name',
    'Display name',
    'Nickname',
    'Store',
    'Store kind',
    'Provider',
    'Created',
    'Last used',
    'Credential ID',
    'User handle',
    'Algorithm',
    'AAGUID',
    'Backup eligible',
    'Backed up',
    'Discoverable',
    'Removable from here',
  ]) {
    await expect(
      detail.locator('dt', { hasText: new RegExp(`^${field.replace(/[()]/g, '\\$&')}$`) }),
    ).toHaveCount(1);
  }
  const shown = (await detail.getByTestId('credential-id').textContent()) ?? '';
  const sameAlice = (await desk.services.vault.list())
    .filter((p) => p.userName === 'alice')
    .map((p) => p.credentialId);
  expect(sameAlice).toContain(shown);
  await expect(detail).toContainText('ES256 (ECDSA P-256, -7)');
  await expect(detail).toContainText('Passkey Desk vault');

  await detail.getByRole('button', { name: 'Copy credential ID' }).click();
  await expect(detail.getByRole('button', { name: 'Copy credential ID' })).toHaveText('Copied');
  // Paste into the search box: what the clipboard holds is exactly the credential ID.
  const search = page.getByLabel('Search');
  await search.focus();
  await page.keyboard.press('ControlOrMeta+V');
  await expect(search).toHaveValue(shown);
  await expect(passkeyOptions(page)).toHaveCount(1);
  expect(alice).toBeDefined();
  await desk.screenshot('inventory-detail');

  // The OS asking for a dark theme switches the colours (prefers-color-scheme), nothing else changes.
  await page.emulateMedia({ colorScheme: 'dark' });
  await expect(page.locator('html')).toHaveCSS('background-color', 'rgb(21, 24, 28)');
  await desk.screenshot('inventory-detail-dark');
  await page.setViewportSize({ width: 900, height: 900 });
  await desk.screenshot('inventory-narrow-dark');
});

test('rename sets the vault nickname, shows it, and clears it', async ({ desk, page }) => {
  await seedVault(desk.services, THREE_SITES);
  await desk.open();
  await page.getByRole('option', { name: 'bob on example.com' }).click();
  await page.getByRole('button', { name: 'Rename…' }).click();

  const dialog = page.getByRole('dialog', { name: 'Rename passkey' });
  await expect(dialog).toBeVisible();
  const input = dialog.getByLabel('Nickname');
  await expect(input).toBeFocused();
  await input.fill('Work laptop');
  await desk.screenshot('rename-dialog');
  await dialog.getByRole('button', { name: 'Save' }).click();
  await expect(dialog).toHaveCount(0);

  await expect(page.getByRole('option', { name: 'bob on example.com' })).toContainText('Work laptop');
  expect((await desk.services.vault.list()).find((p) => p.userName === 'bob')?.nickname).toBe('Work laptop');

  await page.getByRole('button', { name: 'Rename…' }).click();
  await page.getByRole('dialog').getByLabel('Nickname').fill('');
  await page.getByRole('dialog').getByRole('button', { name: 'Save' }).click();
  await expect(page.getByRole('option', { name: 'bob on example.com' })).toContainText('Bob Builder');
  expect((await desk.services.vault.list()).find((p) => p.userName === 'bob')?.nickname).toBeNull();
});

test('the list works from the keyboard: arrows, Home/End, Enter to details, Delete to confirm', async ({
  desk,
  page,
}) => {
  await seedVault(desk.services, THREE_SITES);
  await desk.open();
  const list = page.getByRole('listbox');
  await list.focus();
  await page.keyboard.press('ArrowDown');
  await expect(selectedOption(page)).toHaveAttribute('aria-posinset', '1');
  await page.keyboard.press('ArrowDown');
  await page.keyboard.press('ArrowDown');
  await expect(selectedOption(page)).toHaveAttribute('aria-label', 'bob on example.com, Passkey Desk vault');
  await expect(list).toHaveAttribute('aria-activedescendant', 'passkey-option-2');
  await page.keyboard.press('End');
  await expect(selectedOption(page)).toHaveAttribute('aria-label', /shop\.example\.org/);
  await page.keyboard.press('Home');
  await expect(selectedOption(page)).toHaveAttribute('aria-posinset', '1');

  await page.keyboard.press('Delete');
  const dialog = page.getByRole('dialog', { name: 'Delete passkey?' });
  await expect(dialog).toBeVisible();
  await expect(dialog.getByRole('button', { name: 'Cancel' })).toBeFocused();
  await page.keyboard.press('Escape');
  await expect(dialog).toHaveCount(0);
  await expect(list).toBeFocused();
  expect(await desk.services.vault.list()).toHaveLength(5);

  await page.keyboard.press('Enter');
  await expect(page.getByRole('heading', { level: 2, name: 'alice on example.com' })).toBeFocused();
});
