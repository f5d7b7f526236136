/**
 * "Can't sign in?" (#9) through the UI against the real reference server: each message's situation is built for
 * real (a vault passkey revoked on the site, a duplicate a site let in, an account left with no passkey, passkeys
 * on an old iPhone and an old PC), the troubleshooter is opened from an account, from the inventory and from the
 * sidebar, and its fixes run only through a confirmed plan. The copied report is read back from the clipboard.
 */
import type { Page } from '@playwright/test';
import { expect, test } from './bridge';
import type { RunningServer } from './support/accounts-server';
import {
  addPasskeyElsewhere,
  createAccount,
  revokeOnServer,
  serverCredentialIds,
  sessionToken,
  startReferenceServer,
} from './support/accounts-server';
import { goTo } from './support/accounts-ui';
import {
  addDuplicateVaultPasskey,
  addFromOtherDevice,
  ICLOUD,
  removeEveryPasskey,
  WINDOWS_HELLO,
} from './support/doctor-scenarios';
import { expectTroubleshooter, runFor, troubleshootAccount } from './support/doctor-ui';

let server: RunningServer;
test.beforeEach(async () => {
  server = await startReferenceServer();
});
test.afterEach(async () => {
  await server.close();
});

const short = (id: string) => `${id.slice(0, 6)}…${id.slice(-4)}`;

async function openSidebarEntry(page: Page): Promise<void> {
  await page
    .getByRole('navigation', { name: 'Main' })
    .getByRole('button', { name: "Can't sign in?", exact: true })
    .click();
  await expectTroubleshooter(page);
}

test('"This passkey can no longer be used": the revoked vault passkey is the top finding, its plan fix moves it to the trash, and the copied report is redacted', async ({
  desk,
  page,
}) => {
  const { account, vault } = await createAccount(desk.services, server, 'ana');
  const phone = await addPasskeyElsewhere(server, desk.services, account);
  await revokeOnServer(desk.services, account.id, vault);
  await desk.open();
  await goTo(page, 'Accounts');
  await desk.screenshot('doctor-entry-accounts');
  await troubleshootAccount(page, 'ana');
  await expect(page.getByRole('combobox', { name: 'Account' })).toHaveValue(account.id);
  // The messages read as users saw them.
  const form = page.getByRole('form', { name: 'What went wrong' });
  await expect(form.getByRole('radio', { name: '"You already have a passkey"' })).toBeVisible();
  await expect(form.getByRole('radio', { name: '"We couldn\'t sign you in"' })).toBeVisible();

  const findings = await runFor(page, 'This passkey can no longer be used');
  await expect(page.getByRole('status').filter({ hasText: 'Most likely:' })).toContainText(
    'Most likely: A passkey here was removed from the account.',
  );
  const top = findings.getByRole('listitem').first();
  await expect(top).toHaveAccessibleName('A passkey here was removed from the account');
  await expect(top).toContainText('Most likely');
  await expect(top).toContainText('Problem');
  await expect(top).toContainText('This passkey can no longer be used');
  // Ordered by likelihood: nothing ruled out comes before the problems.
  const verdicts = await Promise.all(
    (await findings.locator(':scope > li').all()).map(async (li) =>
      ((await li.getAttribute('class')) ?? '').replace(/.*doctor-finding-/, ''),
    ),
  );
  expect(verdicts[0]).toBe('problem');
  expect(verdicts.indexOf('ok') === -1 || verdicts.lastIndexOf('problem') < verdicts.indexOf('ok')).toBe(
    true,
  );

  // The evidence is folded until asked for, and names the passkey by its shortened ID.
  const evidence = top.getByText('What was looked at');
  await expect(top.getByText('Passkeys the server accepts')).toBeHidden();
  await evidence.click();
  await expect(top.getByText('Passkeys the server accepts')).toBeVisible();
  await expect(top.locator('dl')).toContainText(short(vault));
  await desk.screenshot('doctor-no-longer-usable');

  const fix = top.getByRole('region', {
    name: 'Fix: Delete the passkeys the server no longer accepts from this computer',
  });
  await expect(fix.getByRole('list', { name: 'What the fix does' })).toContainText(
    'Deletes this passkey for ana at localhost from Passkey Desk vault',
  );

  // The report: what is copied is what is shown, without the token or a full credential ID.
  await page.getByRole('button', { name: 'Copy report' }).click();
  await expect(page.getByRole('status').filter({ hasText: 'Copied the report below' })).toBeVisible();
  const copied = await page.evaluate(() =>
    (
      globalThis as unknown as { navigator: { clipboard: { readText(): Promise<string> } } }
    ).navigator.clipboard.readText(),
  );
  await expect(page.getByLabel('Support report text')).toBeVisible();
  expect(copied).toBe(await page.getByLabel('Support report text').textContent());
  expect(copied).toContain('Message seen: "This passkey can no longer be used"');
  expect(copied).toContain(short(vault));
  for (const secret of ['Bearer', await sessionToken(desk.services, account.id), vault, phone, desk.dataDir])
    expect(copied).not.toContain(secret);
  await page.getByLabel('Support report text').scrollIntoViewIfNeeded();
  await desk.screenshot('doctor-report-copied');

  // Fix: the plan dialog lists the exact effect; reconcile applies it only on confirmation.
  await fix.getByRole('button', { name: 'Fix…' }).click();
  const dialog = page.getByRole('dialog', {
    name: 'Fix: Delete the passkeys the server no longer accepts from this computer',
  });
  const steps = dialog.getByRole('list', { name: 'Steps' }).getByRole('listitem');
  await expect(steps).toHaveCount(1);
  await expect(steps.first()).toContainText(
    'Deletes this passkey for ana at localhost from Passkey Desk vault; it goes to the trash and can be restored.',
  );
  await expect(dialog.getByRole('button', { name: 'Cancel' })).toBeFocused();
  expect((await desk.services.vault.list()).map((p) => p.credentialId)).toEqual([vault]);
  await desk.screenshot('doctor-fix-dialog');
  await dialog.getByRole('button', { name: 'Apply 1 step' }).click();
  await expect(dialog.getByRole('region', { name: 'Outcome' })).toContainText('Every step is done.');
  await dialog.getByRole('button', { name: 'Close' }).click();
  await expect(dialog).toHaveCount(0);
  await expect(page.getByText('The fix ran. Running the checks again…')).toBeVisible();

  // The checks ran again: the stale passkey is gone; what is left is that none here is accepted.
  await expect(
    findings.getByRole('listitem', { name: 'A passkey here was removed from the account' }),
  ).toHaveCount(0);
  await expect(findings.getByRole('listitem').first()).toHaveAccessibleName(
    'None of the passkeys this account accepts is on this computer',
  );
  expect((await desk.services.vault.trash()).map((t) => t.passkey.credentialId)).toEqual([vault]);
  expect(await serverCredentialIds(desk.services, account.id)).toEqual([phone]);
  await desk.screenshot('doctor-after-fix');
});

test('"You already have a passkey": opened from the inventory for the selected passkey, the duplicate is found and its fix is only proposed', async ({
  desk,
  page,
}) => {
  const { account, vault } = await createAccount(desk.services, server, 'ana');
  const second = await addDuplicateVaultPasskey(server, desk.services, account);
  await desk.open();
  await page.getByRole('option', { name: 'ana on localhost' }).first().click();
  await desk.screenshot('doctor-entry-inventory');
  await page.getByRole('search').getByRole('button', { name: "Can't sign in?" }).click();
  await expectTroubleshooter(page);
  await expect(page.getByRole('combobox', { name: 'Account' })).toHaveValue(account.id);

  const findings = await runFor(page, 'You already have a passkey');
  const top = findings.getByRole('listitem').first();
  await expect(top).toHaveAccessibleName('More than one passkey for this account in Passkey Desk vault');
  await expect(top).toContainText('you already have a passkey');
  const fix = top.getByRole('region', { name: 'Fix: Keep one passkey, remove the extra copies' });
  await expect(fix.getByRole('list', { name: 'What the fix does' }).getByRole('listitem')).not.toHaveCount(0);
  await desk.screenshot('doctor-duplicate');

  // Proposed, not done: cancelling the dialog leaves both passkeys on both sides.
  await fix.getByRole('button', { name: 'Fix…' }).click();
  const dialog = page.getByRole('dialog', { name: 'Fix: Keep one passkey, remove the extra copies' });
  await expect(dialog.getByRole('list', { name: 'Steps' })).toBeVisible();
  await dialog.getByRole('button', { name: 'Cancel' }).click();
  await expect(dialog).toHaveCount(0);
  expect((await desk.services.vault.list()).map((p) => p.credentialId).sort()).toEqual(
    [vault, second].sort(),
  );
  expect(await serverCredentialIds(desk.services, account.id)).toEqual([vault, second].sort());
});

test('a QR code although no passkey exists: the account has none registered, and the fix is the steps to create the first', async ({
  desk,
  page,
}) => {
  await createAccount(desk.services, server, 'ana');
  await removeEveryPasskey(server, desk.services);
  await desk.open();
  await openSidebarEntry(page);
  const findings = await runFor(page, 'A QR code appears although no passkey was ever created');
  const top = findings.getByRole('listitem').first();
  await expect(top).toHaveAccessibleName('No passkey is registered for this account');
  await expect(top).toContainText('QR code');
  const fix = top.getByRole('region', { name: 'Fix: Create the first passkey' });
  await expect(fix.getByRole('listitem')).toHaveText([
    'Sign in to the site another way (password or a code sent to you).',
    'Open its security settings and add a passkey — or use "I got a new device" in Passkey Desk.',
  ]);
  await desk.screenshot('doctor-qr-without-passkey');
});

test('new device: old passkeys cannot be planned away first; the new passkey is created and signs in, then the chosen old ones are revoked after confirmation', async ({
  desk,
  page,
}) => {
  const { account, vault } = await createAccount(desk.services, server, 'ana');
  const iphone = await addFromOtherDevice(server, desk.services, account, ICLOUD);
  const pc = await addFromOtherDevice(server, desk.services, account, WINDOWS_HELLO);
  // The old computer's vault is gone: this one starts without a passkey for the account (the session remains).
  await desk.services.deletePasskey('vault', vault);
  await desk.services.vault.purge(vault);

  await desk.open();
  await goTo(page, 'Accounts');
  await troubleshootAccount(page, 'ana');
  await page.getByRole('button', { name: 'I got a new device' }).click();
  const flow = page.getByRole('region', { name: 'New device' });

  // Choosing old passkeys before a new one signs in here is refused: that could lock ana out.
  await flow.getByRole('button', { name: 'I already set it up: choose the old ones' }).click();
  const others = flow.getByRole('list', { name: "The account's other passkeys" });
  await expect(others.getByRole('listitem')).toHaveCount(3);
  await others.getByRole('checkbox', { name: /iCloud Keychain/ }).check();
  await flow.getByRole('button', { name: 'Plan removing 1 passkey…' }).click();
  await expect(flow.getByRole('alert')).toContainText('This is the last passkey for the account');
  await expect(flow.getByRole('alert')).toContainText('Set up the new passkey first');
  expect(await serverCredentialIds(desk.services, account.id)).toEqual([vault, iphone, pc].sort());

  await flow.getByRole('button', { name: 'Create a passkey on this computer' }).click();
  const created = flow.getByRole('status').filter({ hasText: 'Created passkey' });
  await expect(created).toContainText('Signs in');
  await expect(created).toContainText('A sign-in that only this passkey could answer succeeded.');
  const fresh = (await desk.services.vault.list())[0]!.credentialId;
  await expect(created).toContainText(short(fresh));
  await expect(others.getByRole('listitem')).toHaveCount(3);
  await expect(others).toContainText('Windows Hello');
  await expect(others).not.toContainText(short(fresh));
  for (const box of await others.getByRole('checkbox').all()) await box.check();
  await desk.screenshot('doctor-new-device-choose');

  await flow.getByRole('button', { name: 'Plan removing 3 passkeys…' }).click();
  const dialog = page.getByRole('dialog', { name: "Remove the old devices' passkeys" });
  await expect(dialog).toHaveAccessibleDescription(
    'Passkey Desk will run 3 steps, in this order, and nothing else.',
  );
  await expect(dialog.getByRole('list', { name: 'Steps' }).getByRole('listitem')).toHaveCount(3);
  await expect(dialog.getByRole('list', { name: 'Steps' })).toContainText('Revoke on the server');
  await expect(dialog).toContainText('Recorded as deleted on their old device');
  // Planned, not done.
  expect(await serverCredentialIds(desk.services, account.id)).toHaveLength(4);
  await desk.screenshot('doctor-new-device-plan');
  await dialog.getByRole('button', { name: 'Revoke 3 passkeys' }).click();
  await expect(dialog.getByRole('region', { name: 'Outcome' })).toContainText('Every step is done.');
  await dialog.getByRole('button', { name: 'Close' }).click();

  await expect(flow.getByRole('status').filter({ hasText: 'Removed' })).toHaveText(
    "Removed 3 old devices' passkeys.",
  );
  await expect(flow).toContainText('The account has no other passkey: nothing old to remove.');
  expect(await serverCredentialIds(desk.services, account.id)).toEqual([fresh]);
  await desk.screenshot('doctor-new-device-done');
});
