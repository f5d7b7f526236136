/**
 * What the app says when there is nothing, or something is wrong: the empty state that explains every store,
 * the store cards, a damaged vault file (DATA_CORRUPT) and an error from a call (UNSUPPORTED).
 */
import { writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { expect, test } from './bridge';
import { THREE_SITES, seedVault } from './seed';

test('with no passkeys, the empty state explains each kind of store and what it reported', async ({
  desk,
  page,
}) => {
  await desk.open();
  const empty = page.getByRole('region', { name: 'No passkeys found on this computer yet' });
  await expect(empty).toBeVisible();
  for (const heading of [
    'Passkey Desk vault',
    'Windows Hello',
    'Security keys',
    'Password-manager exports',
    'Stores no program can read',
  ]) {
    await expect(empty.getByRole('heading', { level: 3, name: heading })).toBeVisible();
  }
  await expect(empty).toContainText('Passkey Desk vault: read, 0 passkeys.');
  await expect(empty).toContainText(/Windows Hello: Not available here — .+/);
  await expect(empty).toContainText('Apple Passwords / iCloud Keychain');
  await expect(page.getByRole('listbox')).toHaveCount(0);
  await desk.screenshot('empty-state');

  await empty.getByRole('button', { name: 'See every store and how to manage it' }).click();
  await expect(page.getByRole('heading', { level: 1, name: 'Stores' })).toBeVisible();
  const elsewhere = page.getByRole('region', { name: 'Managed elsewhere' });
  const apple = elsewhere.getByRole('article', { name: 'Apple Passwords / iCloud Keychain' });
  await expect(apple).toContainText('Managed elsewhere');
  await expect(
    apple
      .getByRole('list', { name: /How to manage passkeys in Apple Passwords/ })
      .getByRole('listitem')
      .first(),
  ).toBeVisible();
  await desk.screenshot('stores');
});

test('a damaged vault file shows DATA_CORRUPT on the store card, and the trash shows the error by its code', async ({
  desk,
  page,
}) => {
  await seedVault(desk.services, THREE_SITES);
  await writeFile(join(desk.dataDir, 'vault.json'), '{"format":"passkey-desk-vault","version":1,');
  await desk.open();

  const problems = page.getByRole('alert').filter({ hasText: 'Some stores could not be read' });
  await expect(problems).toContainText(
    /Passkey Desk vault \(Error\):\s*The vault file .*vault\.json is damaged: it is not valid JSON/,
  );
  // The vault may hold passkeys it could not read: the empty state must not claim there are none.
  await expect(page.getByRole('heading', { level: 2, name: 'No passkeys could be read' })).toBeVisible();
  await expect(page.getByText('No passkeys found on this computer yet')).toHaveCount(0);
  await desk.screenshot('vault-corrupt-inventory');

  await problems.getByRole('button', { name: 'Open Stores' }).click();
  const card = page
    .getByRole('region', { name: 'Needs attention' })
    .getByRole('article', { name: 'Passkey Desk vault' });
  await expect(card).toContainText('Error');
  await expect(card).toContainText('is damaged: it is not valid JSON');
  await expect(card).toContainText(
    'It was left untouched; restore it from a backup, or move it away to start a new vault.',
  );
  await desk.screenshot('vault-corrupt-stores');

  // vault.trash fails with DATA_CORRUPT: the screen switches on the code for its heading.
  await page.getByRole('navigation', { name: 'Main' }).getByRole('button', { name: 'Trash' }).click();
  const notice = page.getByRole('alert').filter({ hasText: 'A data file is damaged' });
  await expect(notice).toHaveAttribute('data-error-code', 'DATA_CORRUPT');
  await expect(notice).toContainText('is damaged: it is not valid JSON');
  await expect(notice).toContainText('Error code DATA_CORRUPT');
});

test('a failed call shows its error: opening a store link needs the desktop app (UNSUPPORTED)', async ({
  desk,
  page,
}) => {
  await desk.open();
  await page.getByRole('navigation', { name: 'Main' }).getByRole('button', { name: 'Stores' }).click();
  const hello = page.getByRole('article', { name: 'Windows Hello' });
  await expect(hello).toContainText('Not available here');
  await hello.getByRole('button', { name: 'Open Windows Hello settings' }).click();
  expect(desk.calls).toContain('links.open');
  await expect(page.getByRole('status', { name: 'Notifications' })).toContainText(
    'Not supported here: Opening links needs the desktop app.',
  );
});

test('the bridge refuses calls from any other origin, and the app shows FORBIDDEN_SENDER', async ({
  desk,
  page,
}) => {
  // Same files, same server, but http://localhost instead of http://127.0.0.1: another origin, as a foreign page would be.
  await page.goto(desk.appUrl.replace('//127.0.0.1:', '//localhost:'));
  // Every call the page makes is refused (the inventory, and the unfinished-plan check): each shows the code.
  const notices = page.getByRole('alert').filter({ hasText: 'Request refused' });
  await expect(notices.first()).toBeVisible();
  for (const n of await notices.all()) await expect(n).toHaveAttribute('data-error-code', 'FORBIDDEN_SENDER');
  const notice = notices.first();
  await expect(notice).toContainText("only the app's own page may call");
  expect(desk.calls).toEqual([]);
});
