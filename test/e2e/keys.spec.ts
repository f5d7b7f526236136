/**
 * The Security keys screen (#7) against a simulated FIDO2 key (test/helpers/soft-ctap) on the in-memory USB bus,
 * through the real CTAP 2.1 client and credential management: the key's facts, the PIN dialog (a wrong PIN
 * shows the tries left), passkeys grouped by site with free slots, delete and rename, and keys that cannot list.
 */
import type { Page } from '@playwright/test';
import { newKeyState, seedCredential } from '../helpers/soft-ctap/state';
import type { SoftKeyState } from '../helpers/soft-ctap/state';
import { expect, test } from './bridge';

const PIN = '246810';

function seededKey(): SoftKeyState {
  const state = newKeyState({ pin: PIN, maxSlots: 25 });
  seedCredential(state, { rpId: 'example.com', userName: 'alice', userDisplayName: 'Alice Liddell' });
  seedCredential(state, { rpId: 'example.com', userName: 'bob', userDisplayName: 'Bob Builder' });
  seedCredential(state, { rpId: 'github.com', userName: 'alice-gh', userDisplayName: 'Alice' });
  return state;
}

async function openKeys(page: Page) {
  await page.getByRole('navigation', { name: 'Main' }).getByRole('button', { name: 'Security keys' }).click();
  await expect(page.getByRole('heading', { level: 1, name: 'Security keys' })).toBeVisible();
}

test('Show passkeys asks for the PIN; a wrong PIN shows the tries left; the list is grouped by site with free slots', async ({
  desk,
  page,
}) => {
  const state = seededKey();
  desk.plugSecurityKey(state);
  const [facts] = await desk.services.handlers['keys.list']({});
  await desk.open();
  await openKeys(page);

  const card = page.getByRole('article', { name: facts!.label });
  await expect(card).toContainText(facts!.aaguid);
  await expect(card).toContainText('CTAP 2.1');
  await expect(card.locator('.field', { hasText: /^PIN/ })).toContainText('Set · 8 tries left');
  await expect(card.locator('.field', { hasText: 'Free passkey slots' })).toContainText('22');
  await desk.screenshot('keys-card');

  await card.getByRole('button', { name: 'Show passkeys…' }).click();
  const dialog = page.getByRole('dialog', { name: `Show passkeys on ${facts!.label}` });
  const pin = dialog.getByLabel(`PIN of ${facts!.label}`);
  await expect(pin).toBeFocused();
  await expect(pin).toHaveAttribute('type', 'password');
  await expect(pin).toHaveAttribute('autocomplete', 'off');

  await pin.fill('000000');
  await dialog.getByRole('button', { name: 'Show passkeys' }).click();
  await expect(dialog.getByRole('alert')).toHaveAttribute('data-error-code', 'PIN_INVALID');
  await expect(dialog.getByTestId('key-problem-advice')).toContainText('Tries left: 7.');
  // The field was emptied as soon as the PIN was sent; nothing keeps it.
  await expect(pin).toHaveValue('');
  expect(state.pinRetries).toBe(7);
  await desk.screenshot('keys-wrong-pin');

  await pin.fill(PIN);
  await dialog.getByRole('button', { name: 'Show passkeys' }).click();
  await expect(dialog).toHaveCount(0);
  expect(state.pinRetries).toBe(8);

  const listing = page.getByRole('region', { name: `Passkeys on ${facts!.label}` });
  await expect(listing.getByTestId('key-slots')).toHaveText('3 passkeys on 2 sites · 22 free slots');
  const example = listing.getByRole('region', { name: 'example.com' });
  await expect(example.getByRole('listitem')).toHaveCount(2);
  await expect(example.getByRole('listitem').first()).toHaveAccessibleName('alice on example.com');
  await expect(listing.getByRole('region', { name: 'github.com' }).getByRole('listitem')).toHaveCount(1);
  await desk.screenshot('keys-passkeys');

  // The PIN is nowhere in the page, its URL, or the notifications.
  expect(await page.content()).not.toContain(PIN);
  expect(page.url()).not.toContain(PIN);
});

test('delete asks again for the PIN and says it cannot be undone; rename changes the names on the key', async ({
  desk,
  page,
}) => {
  const state = seededKey();
  desk.plugSecurityKey(state);
  await desk.open();
  await openKeys(page);
  await page.getByRole('button', { name: 'Show passkeys…' }).click();
  await page
    .getByRole('dialog')
    .getByLabel(/^PIN of /)
    .fill(PIN);
  await page.getByRole('dialog').getByRole('button', { name: 'Show passkeys' }).click();
  const listing = page.getByRole('region', { name: /^Passkeys on / });
  await expect(listing.getByRole('listitem')).toHaveCount(3);

  await listing.getByRole('button', { name: 'Delete bob on example.com' }).click();
  const confirm = page.getByRole('dialog', { name: 'Delete passkey from the security key?' });
  await expect(confirm).toHaveAccessibleDescription(
    /^Deletes the passkey for bob on example\.com from .+\. This cannot be undone: a security key has no trash/,
  );
  await confirm.getByLabel(/^PIN of /).fill(PIN);
  await desk.screenshot('keys-delete-confirmation');
  await confirm.getByRole('button', { name: 'Delete for good' }).click();
  await expect(confirm).toHaveCount(0);
  await expect(listing.getByRole('listitem', { name: 'bob on example.com' })).toHaveCount(0);
  await expect(listing.getByTestId('key-slots')).toHaveText('2 passkeys on 2 sites · 23 free slots');
  await expect(page.getByRole('article').locator('.field', { hasText: 'Passkeys on the key' })).toContainText(
    '2',
  );
  expect(state.credentials.map((c) => c.userName).sort()).toEqual(['alice', 'alice-gh']);
  expect((await desk.services.journal.entries())[0]).toMatchObject({
    action: 'store.delete',
    outcome: 'done',
  });

  await listing.getByRole('button', { name: 'Rename alice-gh on github.com' }).click();
  const rename = page.getByRole('dialog', { name: 'Rename passkey on the security key' });
  await rename.getByLabel('User name').fill('alice-work');
  await rename.getByLabel('Display name').fill('Alice at work');
  await rename.getByLabel(/^PIN of /).fill(PIN);
  await rename.getByRole('button', { name: 'Save on the key' }).click();
  await expect(rename).toHaveCount(0);
  await expect(listing.getByRole('listitem', { name: 'alice-work on github.com' })).toContainText(
    'Alice at work',
  );
  expect(state.credentials.find((c) => c.rpId === 'github.com')).toMatchObject({
    userName: 'alice-work',
    userDisplayName: 'Alice at work',
  });
  await desk.screenshot('keys-renamed');
});

test('a key without a PIN and a key whose PIN is blocked say why they cannot list, and what to do', async ({
  desk,
  page,
}) => {
  desk.plugSecurityKey(newKeyState({ pin: null, product: 'No-PIN key', serialNumber: 'A1' }));
  desk.plugSecurityKey(newKeyState({ pinRetries: 0, product: 'Blocked key', serialNumber: 'B2' }));
  await desk.open();
  await openKeys(page);
  const cards = page.getByRole('article');
  await expect(cards).toHaveCount(2);
  const noPin = cards.filter({ hasText: 'PIN not set' });
  await expect(noPin).toContainText('No PIN is set on this key');
  await expect(noPin.getByRole('button', { name: 'Show passkeys…' })).toBeDisabled();
  await expect(noPin.getByRole('button', { name: 'Show passkeys…' })).toHaveAccessibleDescription(
    /^Set a PIN first/,
  );
  const blocked = cards.filter({ hasText: 'PIN blocked' });
  await expect(blocked).toContainText('The PIN is blocked');
  await expect(blocked.getByRole('button', { name: 'Show passkeys…' })).toBeDisabled();
  await expect(blocked.getByRole('button', { name: 'Show passkeys…' })).toHaveAccessibleDescription(
    /^To use the key again, reset it .* A reset erases every passkey on it/,
  );
  await desk.screenshot('keys-cannot-list');
});

test('with no key plugged in, the screen says so', async ({ desk, page }) => {
  await desk.open();
  await openKeys(page);
  await expect(page.getByRole('heading', { level: 2, name: 'No security key is plugged in' })).toBeVisible();
});
