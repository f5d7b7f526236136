/**
 * Reconcile (#5) through the UI against the real reference server: an account signed up with a new vault passkey
 * in the UI, plus a 1Password passkey registered over the server's API (kept elsewhere). Each test breaks one side
 * the way users do, then fixes it from the reconcile view: a local orphan deleted to the trash, a server orphan
 * revoked with "Fix all safe ones", the last-passkey guard shown, blocked, and lifted only per action, and a
 * failed step retried from the outcome.
 */
import type { Page } from '@playwright/test';
import type { PasskeyDeskApi, ProgressEvent } from '../../src/shared/contract';
import type { AccountView } from '../../src/shared/contract/accounts';
import { PASSKEY_DESK_AAGUID } from '../../src/shared/reconcile';
import { expect, test } from './bridge';
import type { Desk } from './bridge';
import type { RunningServer } from './support/accounts-server';
import {
  addPasskeyElsewhere,
  purgeLocally,
  revokeOnServer,
  serverCredentialIds,
  startReferenceServer,
} from './support/accounts-server';
import { connectThroughUi, goTo, openReconcile, rowWith } from './support/accounts-ui';
import { startProxy } from '../reconcile-e2e/proxy';

let server: RunningServer;
test.beforeEach(async () => {
  server = await startReferenceServer();
});
test.afterEach(async () => {
  await server.close();
});

interface Setup {
  account: AccountView;
  /** The vault passkey the account was created with. */
  vault: string;
  /** The 1Password passkey on the same account. */
  phone: string;
}

/** Signs up as ana through the UI, then registers a second passkey made by 1Password. */
async function setUp(desk: Desk, page: Page): Promise<Setup> {
  await desk.open();
  await goTo(page, 'Accounts');
  await connectThroughUi(page, server.url, 'ana', 'Create an account with a new vault passkey');
  const [account] = await desk.services.handlers['accounts.list']({});
  const vault = (await desk.services.vault.list())[0]!.credentialId;
  const phone = await addPasskeyElsewhere(server, desk.services, account!);
  return { account: account!, vault, phone };
}

test('both sides side by side: the vault passkey is synced, the 1Password one kept elsewhere', async ({
  desk,
  page,
}) => {
  await setUp(desk, page);
  const rows = await openReconcile(page, 'ana');
  await expect(rows.getByRole('listitem')).toHaveCount(2);
  const synced = rowWith(rows, 'Synced');
  await expect(synced).toContainText('Works: on this device and on the server');
  await expect(synced).toContainText('This machine');
  await expect(synced).toContainText('Passkey Desk vault');
  const elsewhere = rowWith(rows, 'Kept elsewhere');
  await expect(elsewhere).toContainText('On the server, kept in 1Password');
  await expect(elsewhere).toContainText('Not on this machine: kept in 1Password');
  await expect(page.getByLabel('Summary')).toContainText('the server accepts 2');
  await desk.screenshot('reconcile-synced-elsewhere');
});

test("a passkey from Passkey Desk on another computer is kept elsewhere, and 'fix all safe' leaves it", async ({
  desk,
  page,
}) => {
  const { account } = await setUp(desk, page);
  const ours = Uint8Array.from(Buffer.from(PASSKEY_DESK_AAGUID.replace(/-/g, ''), 'hex'));
  const other = await addPasskeyElsewhere(server, desk.services, account, ours);
  const rows = await openReconcile(page, 'ana');
  await expect(rows.getByRole('listitem')).toHaveCount(3);
  const row = rows.getByRole('listitem').filter({ hasText: 'Passkey Desk on another computer' });
  await expect(row).toContainText('Not on this machine: kept in Passkey Desk on another computer');
  await expect(row).toContainText("this computer's vault has never held it");
  const plan = await desk.services.handlers['reconcile.plan']({
    accountId: account.id,
    selection: 'all-safe',
  });
  expect(plan.steps.map((s) => s.target.credentialId)).not.toContain(other);
});

test('a local orphan (revoked on the site) is fixed from its row: dry run, apply with progress, row gone, passkey in the trash', async ({
  desk,
  page,
}) => {
  const { account, vault } = await setUp(desk, page);
  await revokeOnServer(desk.services, account.id, vault);
  const rows = await openReconcile(page, 'ana');
  const orphan = rowWith(rows, 'Only on this machine');
  await expect(orphan.getByRole('heading', { level: 3 })).toContainText(
    '"This passkey can no longer be used"',
  );
  await expect(orphan).toContainText('Not accepted: removed from the account');
  await expect(orphan).toContainText('localhost no longer accepts this passkey for ana at localhost');
  await desk.screenshot('reconcile-local-orphan');

  await orphan.getByRole('button', { name: 'Fix…' }).click();
  const dialog = page.getByRole('dialog', { name: 'Fix: "This passkey can no longer be used"' });
  await expect(dialog).toHaveAccessibleDescription(
    'Passkey Desk will run 1 step, in this order, and nothing else.',
  );
  const steps = dialog.getByRole('list', { name: 'Steps' }).getByRole('listitem');
  await expect(steps).toHaveCount(1);
  await expect(steps.first()).toContainText(
    'Deletes this passkey for ana at localhost from Passkey Desk vault; it goes to the trash and can be restored.',
  );
  await expect(steps.first()).toContainText('Can be undone');
  await expect(dialog.getByRole('button', { name: 'Cancel' })).toBeFocused();

  await dialog.getByRole('button', { name: 'Preview (dry run)' }).click();
  await expect(steps.first()).toContainText('Would run');
  await expect(dialog).toContainText('Dry run: nothing was changed.');
  expect((await desk.services.vault.list()).map((p) => p.credentialId)).toEqual([vault]);
  await desk.screenshot('reconcile-fix-dry-run');

  // A listener of the page's own, next to the dialog's: what window.passkeyDesk.onProgress delivers.
  await page.evaluate(() => {
    const scope = globalThis as unknown as { passkeyDesk: PasskeyDeskApi; seenProgress: ProgressEvent[] };
    scope.seenProgress = [];
    scope.passkeyDesk.onProgress((e) => scope.seenProgress.push(e));
  });
  await dialog.getByRole('button', { name: 'Apply 1 step' }).click();
  const outcome = dialog.getByRole('region', { name: 'Outcome' });
  await expect(outcome).toContainText('Every step is done.');
  await expect
    .poll(() =>
      page.evaluate(() => (globalThis as unknown as { seenProgress: ProgressEvent[] }).seenProgress),
    )
    .toEqual([expect.objectContaining({ operation: 'reconcile.apply', done: 1, total: 1 })]);
  await expect(outcome.getByRole('listitem')).toContainText('Done');
  await desk.screenshot('reconcile-fix-outcome');
  // Progress came from the services over the bridge, one event per step.
  expect(desk.progress.filter((e) => e.operation === 'reconcile.apply')).toEqual([
    expect.objectContaining({ done: 1, total: 1, message: expect.stringMatching(/^done: /) }),
  ]);
  await dialog.getByRole('button', { name: 'Close' }).click();
  await expect(dialog).toHaveCount(0);

  await expect(rowWith(rows, 'Only on this machine')).toHaveCount(0);
  await expect(rows.getByRole('listitem')).toHaveCount(1);
  await expect(rowWith(rows, 'Kept elsewhere')).toBeVisible();
  expect((await desk.services.vault.trash()).map((t) => t.passkey.credentialId)).toEqual([vault]);
  await goTo(page, 'Trash');
  await expect(
    page
      .getByRole('list', { name: 'Passkeys in the trash' })
      .getByRole('listitem', { name: 'ana on localhost' }),
  ).toBeVisible();
});

test('a server orphan (purged here) is revoked with "Fix all safe ones"', async ({ desk, page }) => {
  const { account, vault, phone } = await setUp(desk, page);
  await purgeLocally(desk.services, vault);
  const rows = await openReconcile(page, 'ana');
  const orphan = rowWith(rows, 'Only on the server');
  await expect(orphan).toContainText('Gone from Passkey Desk vault, still on the server');
  await expect(orphan).toContainText("We couldn't use your device to verify your identity");

  await page.getByRole('button', { name: 'Fix all safe ones (1)' }).click();
  const dialog = page.getByRole('dialog', { name: 'Fix all safe ones for ana at localhost' });
  const step = dialog.getByRole('list', { name: 'Steps' }).getByRole('listitem');
  await expect(step).toHaveCount(1);
  await expect(step).toContainText('Revoke on the server');
  await expect(step).toContainText('Cannot be undone');
  await desk.screenshot('reconcile-fix-all-safe');
  await dialog.getByRole('button', { name: 'Apply 1 step' }).click();
  await expect(dialog.getByRole('region', { name: 'Outcome' })).toContainText('Every step is done.');
  await dialog.getByRole('button', { name: 'Close' }).click();

  await expect(rowWith(rows, 'Only on the server')).toHaveCount(0);
  expect(await serverCredentialIds(desk.services, account.id)).toEqual([phone]);
  const entry = (await desk.services.journal.entries()).find((e) => e.action === 'server.revoke');
  expect(entry).toMatchObject({ outcome: 'done', credentialId: vault, undo: null });
  await expect(page.getByRole('button', { name: 'Fix all safe ones (0)' })).toBeDisabled();
});

test('the last-passkey guard: shown on the row, blocked in the plan, lifted only by its own checkbox, and the server still refuses', async ({
  desk,
  page,
}) => {
  const { account, vault, phone } = await setUp(desk, page);
  await revokeOnServer(desk.services, account.id, phone);
  await purgeLocally(desk.services, vault);
  const rows = await openReconcile(page, 'ana');
  const orphan = rowWith(rows, 'Only on the server');
  await expect(orphan).toContainText('Guard: Last passkey');
  await expect(page.getByRole('button', { name: 'Fix all safe ones (0)' })).toBeDisabled();

  await orphan.getByRole('button', { name: 'Fix…' }).click();
  const dialog = page.getByRole('dialog', { name: /^Fix: Gone from Passkey Desk vault/ });
  await expect(dialog).toHaveAccessibleDescription('Nothing will run. 1 action is blocked by a guard.');
  await expect(dialog).toContainText('Nothing to run');
  const blocked = dialog.getByRole('region', { name: 'Blocked by a guard' });
  await expect(blocked).toContainText('Guard: Last passkey');
  await expect(blocked).toContainText(/last/i);
  await expect(dialog.getByRole('button', { name: /^Apply/ })).toBeDisabled();
  const override = dialog.getByRole('checkbox', { name: /removes the last passkey the account accepts/ });
  await expect(override).not.toBeChecked();
  await desk.screenshot('reconcile-guard-blocked');

  // Checking it builds the plan again with this one override, listed under "Guards you overrode".
  await override.click();
  // The plan is built again around the same checkbox: keyboard focus stays on it.
  await expect(override).toBeFocused();
  const step = dialog.getByRole('list', { name: 'Steps' }).getByRole('listitem');
  await expect(step).toContainText('Guard overridden: Last passkey');
  await expect(
    dialog.getByRole('region', { name: 'Guards you overrode' }).getByRole('checkbox'),
  ).toBeChecked();
  await desk.screenshot('reconcile-guard-overridden');
  await dialog.getByRole('button', { name: 'Apply 1 step' }).click();
  const outcome = dialog.getByRole('region', { name: 'Outcome' });
  await expect(outcome).toContainText('Not every step succeeded.');
  await expect(outcome).toContainText('Failed');
  await expect(outcome).toContainText('LAST_PASSKEY');
  await desk.screenshot('reconcile-guard-server-refused');
  await dialog.getByRole('button', { name: 'Close' }).click();
  expect(await serverCredentialIds(desk.services, account.id)).toEqual([vault]);
  await expect(rowWith(rows, 'Only on the server')).toBeVisible();
});

/** Like setUp, with the account talking to the server through `proxyUrl`, and without the UI. */
async function setUpThroughProxy(desk: Desk, proxyUrl: string) {
  const ana = await desk.services.handlers['accounts.add']({
    serverUrl: proxyUrl,
    method: 'create',
    userName: 'ana',
  });
  const vault = (await desk.services.vault.list())[0]!.credentialId;
  const phone = await addPasskeyElsewhere(server, desk.services, ana);
  return { ana, vault, phone };
}

test('while a plan applies, the dialog shows its progress; a revoke the server never answers ends as failed, with why', async ({
  desk,
  page,
}) => {
  // The account talks to the server through a proxy that holds its revoke (DELETE) request.
  const proxy = await startProxy(server.url);
  try {
    const { ana, vault, phone } = await setUpThroughProxy(desk, proxy.url);
    // A second vault passkey the server never registered (deleted here), and the first purged (revoked there).
    const extra = await desk.services.vault.create({
      rpId: 'localhost',
      userName: 'ana',
      userHandle: ana.userHandle,
    });
    await purgeLocally(desk.services, vault);
    await desk.open();
    await goTo(page, 'Accounts');
    await openReconcile(page, 'ana');
    await page.getByRole('button', { name: 'Fix all safe ones (2)' }).click();
    const dialog = page.getByRole('dialog', { name: 'Fix all safe ones for ana at localhost' });
    const steps = dialog.getByRole('list', { name: 'Steps' }).getByRole('listitem');
    await expect(steps).toHaveCount(2);
    await expect(steps.nth(0)).toContainText('Delete here');
    await expect(steps.nth(1)).toContainText('Revoke on the server');

    proxy.mode = 'hold-before-forward';
    await dialog.getByRole('button', { name: 'Apply 2 steps' }).click();
    await proxy.held();
    const progress = dialog.getByRole('progressbar', { name: 'Applying the plan' });
    await expect(progress).toHaveAttribute('value', '1');
    await expect(progress).toHaveAttribute('max', '2');
    await expect(dialog).toContainText('Step 1 of 2: done: ');
    await expect(dialog.getByRole('button', { name: 'Applying…' })).toBeDisabled();
    await expect(dialog.getByRole('button', { name: 'Cancel' })).toBeDisabled();
    await desk.screenshot('reconcile-applying-progress');

    // The server never answers: the held request is dropped.
    await proxy.close();
    const outcome = dialog.getByRole('region', { name: 'Outcome' });
    await expect(outcome).toContainText('Not every step succeeded.');
    const results = outcome.getByRole('listitem');
    await expect(results.nth(0)).toContainText('Done');
    await expect(results.nth(1)).toContainText('Failed');
    await expect(results.nth(1)).toContainText('SERVER_UNREACHABLE');
    await desk.screenshot('reconcile-apply-failed-step');
    expect(proxy.deletesForwarded).toEqual([]);
    expect((await desk.services.vault.trash()).map((t) => t.passkey.credentialId)).toEqual([
      extra.passkey.credentialId,
    ]);
    const revoke = (await desk.services.journal.entries()).find((e) => e.action === 'server.revoke');
    expect(revoke).toMatchObject({ outcome: 'failed', credentialId: vault });
    expect(phone).not.toBe(vault);
  } finally {
    await proxy.close().catch(() => undefined);
  }
});

test('a step the server refused can be retried from the outcome once the server is fine again, and runs once', async ({
  desk,
  page,
}) => {
  const proxy = await startProxy(server.url);
  try {
    const { ana, vault, phone } = await setUpThroughProxy(desk, proxy.url);
    await purgeLocally(desk.services, vault);
    await desk.open();
    await goTo(page, 'Accounts');
    await openReconcile(page, 'ana');
    await page.getByRole('button', { name: 'Fix all safe ones (1)' }).click();
    const dialog = page.getByRole('dialog', { name: 'Fix all safe ones for ana at localhost' });

    proxy.mode = 'fail-delete';
    await dialog.getByRole('button', { name: 'Apply 1 step' }).click();
    const outcome = dialog.getByRole('region', { name: 'Outcome' });
    await expect(outcome).toContainText('Not every step succeeded.');
    await expect(outcome.getByRole('listitem')).toContainText('Failed');
    await desk.screenshot('reconcile-retry-offered');

    proxy.mode = 'pass';
    await dialog.getByRole('button', { name: 'Retry failed steps' }).click();
    await expect(outcome).toContainText('Every step is done.');
    await expect(dialog.getByRole('button', { name: 'Retry failed steps' })).toHaveCount(0);
    expect(await serverCredentialIds(desk.services, ana.id)).toEqual([phone]);
    expect(proxy.deletesForwarded).toHaveLength(1);
    const revokes = (await desk.services.journal.entries()).filter((e) => e.action === 'server.revoke');
    expect(revokes.map((e) => e.outcome)).toEqual(['done', 'failed']);
  } finally {
    await proxy.close().catch(() => undefined);
  }
});
