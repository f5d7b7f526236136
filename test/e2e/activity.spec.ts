/**
 * Activity (#5): the journal newest first with outcome badges and effects, Undo of a vault deletion a plan made,
 * and a plan a crash left half-applied (plan file `applying` by a dead process, one step begun in the journal):
 * the "Unfinished plan" banner, Finish (reconcile.resume with confirm) running the step once, or Abandon.
 */
import type { PlanView } from '../../src/shared/contract/accounts';
import type { Services } from '../../src/main/services';
import { expect, test } from './bridge';
import type { RunningServer } from './support/accounts-server';
import {
  addPasskeyElsewhere,
  createAccount,
  deadPid,
  purgeLocally,
  revokeOnServer,
  serverCredentialIds,
  startReferenceServer,
} from './support/accounts-server';
import { goTo } from './support/accounts-ui';

let server: RunningServer;
test.beforeEach(async () => {
  server = await startReferenceServer();
});
test.afterEach(async () => {
  await server.close();
});

/** ana's vault passkey revoked on the site (a local orphan); bo's purged here (a server orphan). */
async function twoOrphans(services: Services) {
  const ana = await createAccount(services, server, 'ana');
  await addPasskeyElsewhere(server, services, ana.account);
  const bo = await createAccount(services, server, 'bo');
  const bosPhone = await addPasskeyElsewhere(server, services, bo.account);
  await revokeOnServer(services, ana.account.id, ana.vault);
  await purgeLocally(services, bo.vault);
  return { ana, bo, bosPhone };
}

test('the journal lists every step newest first with its outcome and effect, and Undo restores a vault deletion', async ({
  desk,
  page,
}) => {
  const { ana, bo, bosPhone } = await twoOrphans(desk.services);
  const plan = await desk.services.handlers['reconcile.plan']({ selection: 'prune' });
  expect(plan.steps.map((s) => s.kind)).toEqual(['delete-local', 'revoke-server']);
  expect(
    (await desk.services.handlers['reconcile.apply']({ planId: plan.planId, confirm: true })).status,
  ).toBe('done');
  expect(await serverCredentialIds(desk.services, bo.account.id)).toEqual([bosPhone]);

  await desk.open();
  await goTo(page, 'Activity');
  const list = page.getByRole('list', { name: 'Activity' });
  const items = list.getByRole('listitem');
  // Newest first: the plan's revoke, the plan's delete, then the purge and the delete that broke bo's side.
  await expect(items).toHaveCount(4);
  await expect(items.nth(0)).toHaveAccessibleName('Revoked on the server: Done');
  await expect(items.nth(1)).toHaveAccessibleName('Deleted from the vault: Done');
  await expect(items.nth(2)).toHaveAccessibleName('Purged from the vault trash: Done');
  await expect(items.nth(3)).toHaveAccessibleName('Deleted from the vault: Done');
  await expect(items.nth(0)).toContainText(plan.steps[1]!.effect);
  await expect(items.nth(0)).toContainText('cannot be undone');
  await expect(items.nth(0).getByRole('button', { name: /^Undo/ })).toHaveCount(0);
  await expect(items.nth(1)).toContainText(plan.steps[0]!.effect);
  // bo's passkey was purged after its deletion: nothing is left to restore, so no Undo there.
  await expect(items.nth(3).getByRole('button', { name: /^Undo/ })).toHaveCount(0);
  await desk.screenshot('activity');

  await items
    .nth(1)
    .getByRole('button', { name: `Undo: ${plan.steps[0]!.effect}` })
    .click();
  await expect(page.getByRole('status', { name: 'Notifications' })).toContainText(
    'Restored the passkey for ana on localhost.',
  );
  await expect(items.nth(1)).toHaveAccessibleName('Deleted from the vault: Undone');
  await expect(items.nth(1).getByRole('button', { name: /^Undo/ })).toHaveCount(0);
  expect((await desk.services.vault.list()).map((p) => p.credentialId)).toEqual([ana.vault]);
  expect(await desk.services.vault.trash()).toEqual([]);
  await desk.screenshot('activity-undone');
  await goTo(page, 'Passkeys');
  await expect(page.getByRole('option', { name: 'ana on localhost' })).toHaveCount(1);
});

/** A plan whose applier died after journaling its first step's begin line, before the step ran. */
async function crashedPlan(services: Services): Promise<{ plan: PlanView; orphan: string }> {
  const ana = await createAccount(services, server, 'ana');
  await addPasskeyElsewhere(server, services, ana.account);
  await revokeOnServer(services, ana.account.id, ana.vault);
  const plan = await services.handlers['reconcile.plan']({ accountId: ana.account.id, selection: 'prune' });
  const step = plan.steps[0]!;
  expect(step.kind).toBe('delete-local');
  const files = services.accounts.reconciler.plans;
  await files.save({ ...(await files.load(plan.planId)), status: 'applying', applyingPid: await deadPid() });
  await services.journal.begin({
    action: 'vault.delete',
    effect: step.effect,
    store: 'vault',
    credentialId: ana.vault,
    accountId: ana.account.id,
    snapshot: { actionId: step.actionId },
    undo: { kind: 'vault-restore', credentialId: ana.vault },
    planId: plan.planId,
  });
  return { plan, orphan: ana.vault };
}

test('an unfinished plan shows the banner on start, and Finish runs its begun step once', async ({
  desk,
  page,
}) => {
  const { plan, orphan } = await crashedPlan(desk.services);
  await desk.open();
  // The screen the app opens on shows it first.
  await expect(page.getByRole('region', { name: 'Unfinished plan' })).toContainText(
    'was interrupted while it was applied',
  );
  await goTo(page, 'Activity');
  const banner = page.getByRole('region', { name: 'Unfinished plan' });
  await expect(banner).toContainText('A plan of 1 step');
  await expect(banner).toContainText('was interrupted while it was applied');
  const items = page.getByRole('list', { name: 'Activity' }).getByRole('listitem');
  await expect(items.first()).toHaveAccessibleName('Deleted from the vault: Pending');
  await desk.screenshot('activity-unfinished-plan');

  await banner.getByRole('button', { name: 'Finish…' }).click();
  const dialog = page.getByRole('dialog', { name: 'Finish the unfinished plan?' });
  await expect(dialog.getByRole('list', { name: 'Steps' })).toContainText(plan.steps[0]!.effect);
  await expect(dialog.getByRole('button', { name: 'Cancel' })).toBeFocused();
  await dialog.getByRole('button', { name: 'Finish the plan' }).click();
  const outcome = dialog.getByRole('region', { name: 'Outcome' });
  await expect(outcome).toContainText('Every step is done.');
  await desk.screenshot('activity-finished');
  await dialog.getByRole('button', { name: 'Close' }).click();

  await expect(banner).toHaveCount(0);
  await expect(items).toHaveCount(1);
  await expect(items.first()).toHaveAccessibleName('Deleted from the vault: Done');
  expect(await desk.services.handlers['reconcile.pending']({})).toEqual([]);
  expect((await desk.services.vault.trash()).map((t) => t.passkey.credentialId)).toEqual([orphan]);
  // One journal entry for the step: it ran under the entry begun before the crash.
  const entries = (await desk.services.journal.entries()).filter((e) => e.planId === plan.planId);
  expect(entries.map((e) => [e.action, e.outcome])).toEqual([['vault.delete', 'done']]);
});

test('an unfinished plan can be abandoned instead: nothing runs and the begun step is closed as not run', async ({
  desk,
  page,
}) => {
  const { plan, orphan } = await crashedPlan(desk.services);
  await desk.open();
  await goTo(page, 'Accounts');
  // The accounts screen shows it too: no other plan can be applied until it is settled.
  const banner = page.getByRole('region', { name: 'Unfinished plan' });
  await banner.getByRole('button', { name: 'Abandon…' }).click();
  const dialog = page.getByRole('dialog', { name: 'Abandon the unfinished plan?' });
  await dialog.getByRole('button', { name: 'Abandon the plan' }).click();
  const outcome = dialog.getByRole('region', { name: 'Outcome' });
  await expect(outcome).toContainText('Abandoned: nothing more was run.');
  await expect(outcome).toContainText('Abandoned: interrupted before it took effect.');
  await dialog.getByRole('button', { name: 'Close' }).click();
  await expect(banner).toHaveCount(0);
  expect((await desk.services.vault.list()).map((p) => p.credentialId)).toEqual([orphan]);
  const entries = (await desk.services.journal.entries()).filter((e) => e.planId === plan.planId);
  expect(entries.map((e) => [e.action, e.outcome])).toEqual([['vault.delete', 'failed']]);

  await goTo(page, 'Activity');
  await expect(page.getByRole('region', { name: 'Unfinished plan' })).toHaveCount(0);
  const item = page.getByRole('list', { name: 'Activity' }).getByRole('listitem').first();
  await expect(item).toHaveAccessibleName('Deleted from the vault: Failed');
  await expect(item).toContainText('Abandoned: interrupted before it took effect. (USER_CANCELLED)');
});
