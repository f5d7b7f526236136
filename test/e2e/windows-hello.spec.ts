/**
 * Windows Hello passkeys (#6) through the webauthn.dll stand-in (test/helpers/fake-webauthn.ts, loaded by the real
 * store over koffi): a removable passkey is deleted from the details after a confirmation that says Windows cannot
 * undo it; a synced one Windows will not let programs delete shows the store's steps and "Mark as deleted" there.
 */
import { toBase64url } from '../../src/shared/base64url';
import { expect, test } from './bridge';

const REMOVABLE = new Uint8Array(32).fill(0x11);
const SYNCED = new Uint8Array(32).fill(0x22);

test.use({
  machine: {
    windowsHello: {
      apiVersion: 9,
      credentials: [
        {
          credentialId: REMOVABLE,
          rpId: 'example.com',
          userName: 'alice',
          userDisplayName: 'Alice Liddell',
          userId: new Uint8Array(16).fill(1),
          removable: true,
        },
        {
          credentialId: SYNCED,
          rpId: 'github.com',
          userName: 'alice-gh',
          userDisplayName: 'Alice',
          userId: new Uint8Array(16).fill(2),
          removable: false,
          backedUp: true,
        },
      ],
    },
  },
});

test('a removable Windows Hello passkey is deleted from its details after a confirmation that Windows cannot undo it', async ({
  desk,
  page,
}) => {
  await desk.open();
  const option = page.getByRole('option', { name: 'alice on example.com, Windows Hello' });
  await option.click();
  const detail = page.getByRole('region', { name: 'alice on example.com' });
  await expect(detail.locator('.field', { hasText: 'Removable from here' }).locator('dd')).toHaveText('Yes');
  await detail.getByRole('button', { name: 'Delete from Windows Hello…' }).click();

  const dialog = page.getByRole('dialog', { name: 'Delete passkey from Windows Hello?' });
  await expect(dialog).toHaveAccessibleDescription(
    'Deletes the passkey for alice on example.com from Windows Hello. Windows cannot undo this: the passkey is gone from this PC for good. The account on example.com still lists it until you remove it there too (or reconcile).',
  );
  await expect(dialog.getByRole('button', { name: 'Cancel' })).toBeFocused();
  await desk.screenshot('windows-hello-delete-confirmation');
  await dialog.getByRole('button', { name: 'Delete from Windows Hello' }).click();
  await expect(dialog).toHaveCount(0);

  await expect(option).toHaveCount(0);
  await expect(page.getByRole('status', { name: 'Notifications' })).toContainText(
    'Deleted the passkey for alice on example.com from Windows Hello.',
  );
  // The stand-in no longer lists it: the delete reached webauthn.dll's WebAuthNDeletePlatformCredential.
  const left = (await desk.services.handlers['inventory.get']({})).passkeys.filter(
    (p) => p.store === 'windows-hello',
  );
  expect(left.map((p) => p.credentialId)).toEqual([toBase64url(SYNCED)]);
  expect((await desk.services.journal.entries())[0]).toMatchObject({
    action: 'store.delete',
    outcome: 'done',
    store: 'windows-hello',
    credentialId: toBase64url(REMOVABLE),
  });
  expect(desk.calls).toContain('stores.deletePasskey');
});

test('a synced passkey Windows will not let programs delete shows the steps, and can be marked as deleted in Windows Settings', async ({
  desk,
  page,
}) => {
  await desk.open();
  await page.getByRole('option', { name: 'alice-gh on github.com, Windows Hello' }).click();
  const detail = page.getByRole('region', { name: 'alice-gh on github.com' });
  await expect(detail.locator('.field', { hasText: 'Removable from here' }).locator('dd')).toHaveText('No');
  await expect(detail.getByRole('button', { name: /^Delete/ })).toHaveCount(0);
  await expect(detail).toContainText('Windows does not let programs delete this passkey');
  await expect(
    detail
      .getByRole('list', { name: 'How to manage passkeys in Windows Hello' })
      .getByRole('listitem')
      .first(),
  ).toContainText('Settings → Accounts → Passkeys');
  await desk.screenshot('windows-hello-not-removable');

  await expect(detail).toContainText(
    'Deleted it in Windows Settings (synced and provider passkeys)? Mark it here',
  );
  await detail.getByRole('button', { name: 'Mark as deleted there…' }).click();
  const dialog = page.getByRole('dialog', { name: 'Mark alice-gh on github.com as deleted?' });
  await expect(dialog.getByLabel('Site (RP ID)')).toHaveValue('github.com');
  await expect(dialog.getByLabel('Credential ID (optional)')).toHaveValue(toBase64url(SYNCED));
  await expect(dialog).toHaveAccessibleDescription(
    /^Records in the journal that you deleted the passkey .+ for github\.com in Windows Settings/,
  );
  await dialog.getByRole('button', { name: 'Mark as deleted' }).click();
  await expect(dialog).toHaveCount(0);
  const [mark] = await desk.services.marks.list();
  expect(mark).toMatchObject({
    store: 'guided:windows-settings',
    rpId: 'github.com',
    credentialId: toBase64url(SYNCED),
    userHandle: toBase64url(new Uint8Array(16).fill(2)),
  });

  // The mark is listed on the Windows Settings card, with Undo.
  await page.getByRole('navigation', { name: 'Main' }).getByRole('button', { name: 'Stores' }).click();
  const card = page.getByRole('article', { name: 'Windows Settings (synced and provider passkeys)' });
  await card.getByRole('button', { name: /^Undo the mark for github\.com/ }).click();
  await expect(card.getByRole('list', { name: /^Marked as deleted/ })).toHaveCount(0);
  expect(await desk.services.marks.list()).toEqual([]);
});
