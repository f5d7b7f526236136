/**
 * Importing password-manager exports (#8) against the real services and the real fixture files: the OS file
 * dialog (desk.control.pickedFile) and drag-and-drop (the bridge's pathForFile stand-in for webUtils), the
 * summary, a confirmed move into the vault, errors by code, and removing an imported store from its card.
 */
import { readFile, stat } from 'node:fs/promises';
import { join } from 'node:path';
import type { Page } from '@playwright/test';
import { IMPORT_FIXTURES, expect, test } from './bridge';

const fixture = (name: string) => join(IMPORT_FIXTURES, name);
const passkeysWord = (n: number) => `${n} ${n === 1 ? 'passkey' : 'passkeys'}`;
const nav = (page: Page, name: string) =>
  page.getByRole('navigation', { name: 'Main' }).getByRole('button', { name, exact: true });

/** Drops a real fixture file on the drop zone, as the OS would: a File with the file's name and bytes. */
async function dropFile(page: Page, name: string): Promise<void> {
  const bytes = [...(await readFile(fixture(name)))];
  const dataTransfer = await page.evaluateHandle(
    ({ name, bytes }) => {
      // Runs in the page; the test's own types (Node's) have no DataTransfer.
      const page = globalThis as unknown as {
        DataTransfer: new () => { items: { add(file: File): void } };
      };
      const dt = new page.DataTransfer();
      dt.items.add(new File([new Uint8Array(bytes)], name, { type: 'application/json' }));
      return dt;
    },
    { name, bytes },
  );
  const zone = page.getByTestId('drop-zone');
  await zone.dispatchEvent('dragenter', { dataTransfer });
  await expect(zone).toHaveClass(/is-over/);
  await zone.dispatchEvent('drop', { dataTransfer });
}

test('Choose a file… imports a Bitwarden export: the summary, per-passkey selection, and a confirmed move into the vault', async ({
  desk,
  page,
}) => {
  await desk.open();
  await nav(page, 'Import').click();
  await expect(page.getByRole('heading', { level: 1, name: 'Import' })).toBeVisible();

  // The dialog cancelled: nothing is imported.
  desk.control.pickedFile = null;
  await page.getByRole('button', { name: 'Choose a file…' }).click();
  await expect.poll(() => desk.calls.filter((c) => c === 'imports.pickFile').length).toBe(1);
  expect(desk.calls).not.toContain('imports.add');

  desk.control.pickedFile = fixture('bitwarden.json');
  await page.getByRole('button', { name: 'Choose a file…' }).click();
  const result = page.getByRole('region', { name: 'Imported “bitwarden.json”' });
  await expect(result).toBeVisible();

  // What main parsed is what the page shows.
  const [record] = await desk.services.imports.records();
  expect(record).toBeDefined();
  const passkeys = record!.passkeys;
  await expect(result.locator('.field', { hasText: 'Format' }).locator('dd')).toHaveText('Bitwarden export');
  await expect(result.locator('.field', { hasText: /^Passkeys/ }).locator('dd')).toHaveText(
    String(passkeys.length),
  );
  const list = result.getByRole('list', { name: 'Passkeys in bitwarden.json' });
  await expect(list.getByRole('listitem')).toHaveCount(passkeys.length);
  await expect(result.getByRole('note', { name: 'Delete the export file' })).toContainText(
    'An export holds private keys in plain text',
  );
  await expect(result).toContainText('read-only store, “Bitwarden export (bitwarden.json)”');

  const movable = list.getByRole('checkbox');
  const movableCount = await movable.count();
  expect(movableCount).toBeGreaterThan(1);
  const cannot = list.getByText(/^Cannot move: /);
  expect(movableCount + (await cannot.count())).toBe(passkeys.length);
  await expect(cannot.first()).toBeVisible();
  await desk.screenshot('import-summary');

  // Leave the first one in the file: the button counts what is chosen.
  await movable.first().uncheck();
  const moveButton = result.getByRole('button', { name: `Move ${movableCount - 1} into the vault…` });
  await moveButton.click();
  const moving = passkeysWord(movableCount - 1);
  const dialog = page.getByRole('dialog', { name: `Move ${moving} into the vault?` });
  await expect(dialog).toHaveAccessibleDescription(
    `Copies the private keys of ${moving} from “bitwarden.json” into the Passkey Desk vault, sealed with the vault key in your system keyring. The export file is not changed: delete it yourself afterwards.`,
  );
  await desk.screenshot('import-move-confirmation');
  await dialog.getByRole('button', { name: `Move ${movableCount - 1} into the vault` }).click();
  await expect(dialog).toHaveCount(0);
  await expect(list.getByText('Moved into the vault')).toHaveCount(movableCount - 1);
  await expect(page.getByRole('status', { name: 'Notifications' })).toContainText(
    `Moved ${moving} into the vault.`,
  );
  await desk.screenshot('import-moved');

  const vault = await desk.services.vault.list();
  expect(vault).toHaveLength(movableCount - 1);
  // The same credentials, now in the vault (the one left unchecked stayed in the file only).
  const exported = new Set(passkeys.map((p) => p.credentialId));
  for (const p of vault) expect(exported.has(p.credentialId)).toBe(true);

  // The moved passkeys are vault passkeys in the inventory now, beside the export's read-only copies.
  await result.getByRole('button', { name: 'Show them in Passkeys' }).click();
  await page.getByLabel('Store', { exact: true }).selectOption({ label: 'Vault' });
  const options = page.getByRole('listbox', { name: /^Passkeys/ }).getByRole('option');
  await expect(options).toHaveCount(movableCount - 1);
  for (const p of vault) {
    await expect(
      page.getByRole('option', { name: `${p.userName ?? ''} on ${p.rpId}, Passkey Desk vault` }),
    ).toHaveCount(1);
  }
  await page.getByLabel('Store', { exact: true }).selectOption({ label: 'Export file' });
  await expect(options).toHaveCount(passkeys.length);
});

test('a file dropped on the window is imported by its path: KeePassXC, one passkey that moves into the vault', async ({
  desk,
  page,
}) => {
  await desk.open();
  await nav(page, 'Import').click();
  await dropFile(page, 'keepassxc-es256.passkey');

  const result = page.getByRole('region', { name: 'Imported “keepassxc-es256.passkey”' });
  await expect(result).toBeVisible();
  await expect(result.locator('.field', { hasText: 'Format' }).locator('dd')).toHaveText('KeePassXC passkey');
  const item = result.getByRole('listitem', { name: 'bob on example.org' });
  await expect(item).toContainText('ES256 (ECDSA P-256, -7)');
  await expect(item).toContainText('Can move');
  // Drag-and-drop never used the file dialog: the page handed main the dropped file's path.
  expect(desk.calls).toContain('imports.add');
  expect(desk.calls).not.toContain('imports.pickFile');
  const [record] = await desk.services.imports.records();
  expect(record?.path).toBe(fixture('keepassxc-es256.passkey'));
  await desk.screenshot('import-dropped');

  await result.getByRole('button', { name: 'Move 1 into the vault…' }).click();
  await page.getByRole('dialog').getByRole('button', { name: 'Move 1 into the vault' }).click();
  await expect(item).toContainText('Moved into the vault');
  const [moved] = await desk.services.vault.list();
  expect(moved).toMatchObject({ rpId: 'example.org', userName: 'bob', storeKind: 'vault' });

  await nav(page, 'Passkeys').click();
  await expect(page.getByRole('option', { name: 'bob on example.org, Passkey Desk vault' })).toHaveCount(1);

  // Dropping a second file the same way: EdDSA cannot move, and the reason says why.
  await nav(page, 'Import').click();
  await dropFile(page, 'keepassxc-eddsa.passkey');
  const eddsa = page.getByRole('region', { name: 'Imported “keepassxc-eddsa.passkey”' });
  await expect(eddsa.getByText(/^Cannot move: /)).toHaveCount(1);
  await expect(eddsa.getByRole('checkbox')).toHaveCount(0);
  await expect(eddsa.getByRole('button', { name: 'Move 0 into the vault…' })).toBeDisabled();
});

test('errors by code: an encrypted export says how to export it again, a damaged one lists its problems; nothing is imported', async ({
  desk,
  page,
}) => {
  await desk.open();
  await nav(page, 'Import').click();

  desk.control.pickedFile = fixture('bitwarden-encrypted.json');
  await page.getByRole('button', { name: 'Choose a file…' }).click();
  const encrypted = page.getByRole('region', { name: 'Could not import bitwarden-encrypted.json' });
  await expect(encrypted.getByRole('alert')).toHaveAttribute('data-error-code', 'IMPORT_ENCRYPTED');
  await expect(encrypted).toContainText('This export is encrypted');
  await expect(encrypted).toContainText('Export again without encryption');
  await desk.screenshot('import-encrypted');

  // Dropped this time: the same error path.
  await dropFile(page, 'bitwarden-wrong-types.json');
  const invalid = page.getByRole('region', { name: 'Could not import bitwarden-wrong-types.json' });
  await expect(invalid.getByRole('alert')).toHaveAttribute('data-error-code', 'IMPORT_INVALID');
  const problems = invalid.getByRole('list', { name: 'Problems in the file' }).getByRole('listitem');
  expect(await problems.count()).toBeGreaterThan(1);
  await expect(problems.first()).toContainText(/items\[\d+\]/);
  await desk.screenshot('import-invalid');

  expect(await desk.services.imports.records()).toEqual([]);
  expect(await desk.services.vault.list()).toEqual([]);
});

test('an imported store is removed from its card; the file itself stays', async ({ desk, page }) => {
  await desk.services.imports.importFile(fixture('bitwarden.json'));
  await desk.open();
  await nav(page, 'Stores').click();
  const card = page.getByRole('article', { name: 'Bitwarden export (bitwarden.json)' });
  await expect(card).toContainText('Read');
  await card.getByRole('button', { name: 'Remove from Passkey Desk…' }).click();
  const dialog = page.getByRole('dialog', { name: 'Remove imported file?' });
  await expect(dialog).toHaveAccessibleDescription(
    /^Removes “Bitwarden export \(bitwarden\.json\)” and \d+ passkeys from the inventory\. Passkeys already moved into the vault stay there\. The file itself is not deleted/,
  );
  await dialog.getByRole('button', { name: 'Remove' }).click();
  await expect(card).toHaveCount(0);
  expect(await desk.services.imports.records()).toEqual([]);
  expect((await stat(fixture('bitwarden.json'))).isFile()).toBe(true);
  await nav(page, 'Passkeys').click();
  await expect(page.getByText('No passkeys found on this computer yet')).toBeVisible();
});
