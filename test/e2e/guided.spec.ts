/**
 * The guided stores on the Stores screen (#8): one card per store no program can read, the steps for this
 * computer first (here Windows, so the Windows Settings deep link is kept), other devices folded away, the link
 * opened through the shell's allow-list, and "Mark as deleted there" with its exact effect, a journal entry and Undo.
 */
import type { Page } from '@playwright/test';
import { expect, test } from './bridge';

test.use({ machine: { platform: 'win32', systemBrowser: true } });

const CREDENTIAL = 'q1w2e3r4t5y6u7i8o9p0AbCdEfGh';

async function openElsewhere(page: Page) {
  await page.getByRole('navigation', { name: 'Main' }).getByRole('button', { name: 'Stores' }).click();
  return page.getByRole('region', { name: 'Managed elsewhere' });
}

test('each guided card shows what, why and this platform’s steps first; the deep link opens, linkNote where there is none', async ({
  desk,
  page,
}) => {
  const cards = await desk.services.handlers['guided.cards']({});
  await desk.open();
  const elsewhere = await openElsewhere(page);
  await expect(elsewhere.getByRole('article')).toHaveCount(cards.length);

  const windows = elsewhere.getByRole('article', { name: 'Windows Settings (synced and provider passkeys)' });
  await expect(windows).toContainText('Managed elsewhere');
  await expect(windows).toContainText('marks them as not removable');
  const steps = windows.getByRole('list', {
    name: /^How to manage passkeys in Windows Settings .*: Windows 11$/,
  });
  await expect(steps.getByRole('listitem').first()).toHaveText('Open Settings → Accounts → Passkeys.');
  await windows.getByRole('button', { name: 'Open the passkeys page for Windows 11' }).click();
  await expect.poll(() => desk.openedLinks).toEqual(['ms-settings:savedpasskeys']);
  expect(desk.calls).toContain('links.open');

  // On Windows the iPhone steps come first for Apple; the Mac ones are folded under "Other devices".
  const apple = elsewhere.getByRole('article', { name: 'Apple Passwords / iCloud Keychain' });
  const lists = apple.getByRole('list', { name: /^How to manage passkeys in Apple Passwords/ });
  await expect(lists.first()).toHaveAccessibleName(/: iPhone or iPad/);
  const macOs15 = apple.getByRole('list', { name: /Mac, macOS 15 or later$/ });
  await expect(macOs15).toBeHidden();
  await apple.getByText('Other devices (2)').click();
  await expect(macOs15).toBeVisible();
  // No link a program may open: the card says how to get there instead.
  await expect(apple.getByText(/^Apple documents no link that opens the Passwords app/)).toBeVisible();
  await expect(apple.getByRole('button', { name: /Open the passkeys page/ })).toHaveCount(0);

  const google = elsewhere.getByRole('article', { name: 'Google Password Manager / Chrome' });
  await expect(google.getByText(/paste chrome:\/\/password-manager\/passwords/)).toBeVisible();
  await apple.scrollIntoViewIfNeeded();
  await desk.screenshot('guided-cards');
});

test('Mark as deleted there from a card: site and credential, the exact effect, journaled, listed, and undone', async ({
  desk,
  page,
}) => {
  await desk.open();
  const elsewhere = await openElsewhere(page);
  const apple = elsewhere.getByRole('article', { name: 'Apple Passwords / iCloud Keychain' });
  await apple.getByRole('button', { name: 'Mark as deleted there…' }).click();

  const dialog = page.getByRole('dialog', { name: 'Mark as deleted in Apple Passwords / iCloud Keychain?' });
  await expect(dialog.getByLabel('Site (RP ID)')).toBeFocused();
  // A site that is not a domain: main refuses it and the dialog shows why, by code.
  await dialog.getByLabel('Site (RP ID)').fill('Not a domain!');
  await dialog.getByRole('button', { name: 'Mark as deleted' }).click();
  await expect(dialog.getByRole('alert')).toHaveAttribute('data-error-code', 'INVALID_INPUT');
  expect(await desk.services.marks.list()).toEqual([]);

  await dialog.getByLabel('Site (RP ID)').fill('example.com');
  await dialog.getByLabel('Credential ID (optional)').fill(CREDENTIAL);
  await expect(dialog).toHaveAccessibleDescription(
    "Records in the journal that you deleted the passkey q1w2e3…EfGh for example.com in Apple Passwords / iCloud Keychain. Nothing is deleted by this: the next reconciliation offers to revoke it on example.com's server too. You can undo the mark.",
  );
  await desk.screenshot('guided-mark-dialog');
  await dialog.getByRole('button', { name: 'Mark as deleted' }).click();
  await expect(dialog).toHaveCount(0);

  const marks = apple.getByRole('list', { name: 'Marked as deleted in Apple Passwords / iCloud Keychain' });
  await expect(marks.getByRole('listitem')).toHaveCount(1);
  await expect(marks.getByRole('listitem')).toContainText('example.com · passkey q1w2e3…EfGh');
  const [mark] = await desk.services.marks.list();
  expect(mark).toMatchObject({ store: 'guided:apple', rpId: 'example.com', credentialId: CREDENTIAL });
  expect((await desk.services.journal.entries())[0]).toMatchObject({
    action: 'guided.mark-deleted',
    outcome: 'done',
    store: 'guided:apple',
  });

  // A second mark, for every passkey of a site, from another card.
  const google = elsewhere.getByRole('article', { name: 'Google Password Manager / Chrome' });
  await google.getByRole('button', { name: 'Mark as deleted there…' }).click();
  await page.getByRole('dialog').getByLabel('Site (RP ID)').fill('github.com');
  await expect(page.getByRole('dialog')).toHaveAccessibleDescription(
    /deleted your passkeys for github\.com in Google/,
  );
  await page.getByRole('dialog').getByRole('button', { name: 'Mark as deleted' }).click();
  await expect(google.getByRole('listitem').filter({ hasText: 'github.com' })).toContainText(
    'every passkey for the site',
  );
  await apple.scrollIntoViewIfNeeded();
  await desk.screenshot('guided-marks');

  await apple.getByRole('button', { name: 'Undo the mark for example.com (passkey q1w2e3…EfGh)' }).click();
  await expect(marks).toHaveCount(0);
  await expect(page.getByRole('status', { name: 'Notifications' })).toContainText(
    'Removed the mark for example.com.',
  );
  expect((await desk.services.marks.list()).map((m) => m.rpId)).toEqual(['github.com']);

  // The toast's Undo after marking removes that mark too.
  await google.getByRole('button', { name: 'Mark as deleted there…' }).click();
  await page.getByRole('dialog').getByLabel('Site (RP ID)').fill('shop.example.org');
  await page.getByRole('dialog').getByRole('button', { name: 'Mark as deleted' }).click();
  const toast = page
    .getByRole('status', { name: 'Notifications' })
    .locator('.toast', { hasText: 'Marked the passkeys for shop.example.org' });
  await toast.getByRole('button', { name: 'Undo' }).click();
  await expect(google.getByRole('listitem').filter({ hasText: 'shop.example.org' })).toHaveCount(0);
  expect((await desk.services.marks.list()).map((m) => m.rpId)).toEqual(['github.com']);
});
