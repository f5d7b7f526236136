/**
 * Delete, undo and the trash against the real vault: the confirmation states the exact effect, the passkey goes
 * to the vault trash (journaled), Undo restores it, and the Trash screen restores and purges.
 */
import type { Page } from '@playwright/test';
import { expect, test } from './bridge';
import { THREE_SITES, seedVault } from './seed';
import type { Desk } from './bridge';
import type { RunningServer } from './support/accounts-server';
import { serverCredentialIds, startReferenceServer } from './support/accounts-server';

const passkeyOptions = (page: Page) => page.getByRole('listbox', { name: /^Passkeys/ }).getByRole('option');

test('delete asks with the exact effect, moves the passkey to the trash, and Undo restores it', async ({
  desk,
  page,
}) => {
  await seedVault(desk.services, THREE_SITES);
  await desk.open();
  await page.getByRole('option', { name: 'bob on example.com' }).click();
  await page.getByRole('button', { name: 'Delete…' }).click();

  const dialog = page.getByRole('dialog', { name: 'Delete passkey?' });
  await expect(dialog).toBeVisible();
  await expect(
    dialog.getByText(
      'Moves the passkey for bob on example.com to the Passkey Desk trash. You can restore it from the trash.',
      { exact: true },
    ),
  ).toBeVisible();
  await expect(dialog).toHaveAccessibleDescription(
    'Moves the passkey for bob on example.com to the Passkey Desk trash. You can restore it from the trash.',
  );
  await expect(dialog.getByRole('button', { name: 'Cancel' })).toBeFocused();
  await desk.screenshot('delete-confirmation');
  await dialog.getByRole('button', { name: 'Move to trash' }).click();
  await expect(dialog).toHaveCount(0);

  await expect(passkeyOptions(page)).toHaveCount(4);
  await expect(page.getByRole('option', { name: 'bob on example.com' })).toHaveCount(0);
  expect((await desk.services.vault.list()).map((p) => p.userName)).not.toContain('bob');
  expect((await desk.services.vault.trash()).map((t) => t.passkey.userName)).toEqual(['bob']);
  const [entry] = await desk.services.journal.entries();
  expect(entry).toMatchObject({ action: 'vault.delete', outcome: 'done', undo: { kind: 'vault-restore' } });

  const toast = page.getByRole('status', { name: 'Notifications' });
  await expect(toast).toContainText('Moved the passkey for bob on example.com to the trash.');
  await desk.screenshot('delete-toast');
  await toast.getByRole('button', { name: 'Undo' }).click();
  await expect(page.getByRole('option', { name: 'bob on example.com' })).toHaveCount(1);
  await expect(toast).toContainText('Restored the passkey for bob on example.com.');
  expect(await desk.services.vault.trash()).toEqual([]);
  expect(
    (await desk.services.journal.entries()).find((e) => e.action === 'vault.delete')?.undoneBy,
  ).toBeTruthy();
});

test('the Trash screen restores one passkey and purges another after confirming', async ({ desk, page }) => {
  const created = await seedVault(desk.services, THREE_SITES);
  const bob = created.find((p) => p.userName === 'bob')!;
  const carol = created.find((p) => p.userName === 'carol@example.org')!;
  await desk.services.handlers['vault.delete']({ credentialId: bob.credentialId });
  await desk.services.handlers['vault.delete']({ credentialId: carol.credentialId });
  await desk.open();
  await expect(passkeyOptions(page)).toHaveCount(3);

  await page.getByRole('navigation', { name: 'Main' }).getByRole('button', { name: 'Trash' }).click();
  await expect(page.getByRole('heading', { level: 1, name: 'Trash' })).toBeFocused();
  const trash = page.getByRole('list', { name: 'Passkeys in the trash' });
  await expect(trash.getByRole('listitem')).toHaveCount(2);
  await desk.screenshot('trash');

  await trash.getByRole('button', { name: 'Restore bob on example.com' }).click();
  await expect(trash.getByRole('listitem')).toHaveCount(1);
  expect((await desk.services.vault.list()).map((p) => p.userName)).toContain('bob');

  await trash.getByRole('button', { name: 'Purge carol@example.org on shop.example.org' }).click();
  const dialog = page.getByRole('dialog', { name: 'Purge passkey for good?' });
  await expect(dialog).toHaveAccessibleDescription(
    'Destroys the private key of the passkey for carol@example.org on shop.example.org for good. You will not be able to sign in with it again, and this cannot be undone.',
  );
  await desk.screenshot('purge-confirmation');
  await dialog.getByRole('button', { name: 'Purge for good' }).click();
  await expect(dialog).toHaveCount(0);
  await expect(page.getByText('The trash is empty.')).toBeVisible();
  expect(await desk.services.vault.trash()).toEqual([]);
  expect((await desk.services.vault.list()).map((p) => p.credentialId)).not.toContain(carol.credentialId);
  expect((await desk.services.journal.entries())[0]).toMatchObject({
    action: 'vault.purge',
    outcome: 'done',
    credentialId: carol.credentialId,
  });

  await page.getByRole('navigation', { name: 'Main' }).getByRole('button', { name: 'Passkeys' }).click();
  await expect(passkeyOptions(page)).toHaveCount(4);
});

/**
 * An account signed up with a vault passkey (signed out first when `signedOut`), that passkey deleted to the
 * trash, and its Purge asked for and confirmed once on the Trash screen: the app's second question is up.
 */
async function purgeAccountPasskey(
  desk: Desk,
  page: Page,
  server: RunningServer,
  userName: string,
  signedOut: boolean,
): Promise<{ accountId: string; credentialId: string }> {
  const account = await desk.services.handlers['accounts.add']({
    serverUrl: server.url,
    method: 'create',
    userName,
  });
  if (signedOut) await desk.services.handlers['accounts.signOut']({ accountId: account.id });
  const [own] = await desk.services.vault.list();
  await desk.services.handlers['vault.delete']({ credentialId: own!.credentialId });
  await desk.open();
  await page.getByRole('navigation', { name: 'Main' }).getByRole('button', { name: 'Trash' }).click();
  await page
    .getByRole('list', { name: 'Passkeys in the trash' })
    .getByRole('button', { name: `Purge ${userName} on localhost` })
    .click();
  await page
    .getByRole('dialog', { name: 'Purge passkey for good?' })
    .getByRole('button', { name: 'Purge for good' })
    .click();
  return { accountId: account.id, credentialId: own!.credentialId };
}

test('purging a passkey its connected account still accepts asks again, in those words, and purges only then', async ({
  desk,
  page,
}) => {
  const server = await startReferenceServer();
  try {
    const own = await purgeAccountPasskey(desk, page, server, 'ana', false);
    const anyway = page.getByRole('dialog', { name: 'The server still accepts it: purge anyway?' });
    await expect(anyway).toHaveAccessibleDescription(
      `ana at ${server.url} still accepts this passkey and no other: purging its key leaves no way to sign in there. Restore it to keep using it, or add another passkey to the account and then revoke this one (Reconcile). Purging anyway destroys the key of the passkey for ana on localhost for good.`,
    );
    await expect(anyway.getByRole('button', { name: 'Cancel' })).toBeFocused();
    await desk.screenshot('purge-still-accepted');
    // Nothing was purged by the first answer.
    expect((await desk.services.vault.trash()).map((t) => t.passkey.credentialId)).toEqual([
      own.credentialId,
    ]);
    await anyway.getByRole('button', { name: 'Purge anyway' }).click();
    await expect(anyway).toHaveCount(0);
    await expect(page.getByText('The trash is empty.')).toBeVisible();
    expect(await serverCredentialIds(desk.services, own.accountId)).toEqual([own.credentialId]);
  } finally {
    await server.close();
  }
});

test('purging when the account cannot be asked (signed out) says so, and purges only when told to anyway', async ({
  desk,
  page,
}) => {
  const server = await startReferenceServer();
  try {
    await purgeAccountPasskey(desk, page, server, 'bo', true);
    const anyway = page.getByRole('dialog', { name: 'The server could not be asked: purge anyway?' });
    await expect(anyway).toHaveAccessibleDescription(
      `Passkey Desk could not ask bo at ${server.url} whether it still accepts this passkey. Passkey Desk is not signed in to it (sign in on the Accounts screen, then purge again). If it does, purging leaves the account with a passkey no device can use. Purging anyway destroys the key of the passkey for bo on localhost for good.`,
    );
    expect(await desk.services.vault.trash()).toHaveLength(1);
    await anyway.getByRole('button', { name: 'Purge anyway' }).click();
    await expect(page.getByText('The trash is empty.')).toBeVisible();
    expect((await desk.services.journal.entries())[0]).toMatchObject({
      action: 'vault.purge',
      outcome: 'done',
    });
  } finally {
    await server.close();
  }
});
