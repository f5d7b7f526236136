import { copyFile, mkdtemp, readFile, truncate, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { beforeEach, describe, expect, it } from 'vitest';
import { ImportedFilesStore } from '../../src/main/stores/exports/imported-files-store';
import { IMPORTS_FILE } from '../../src/main/stores/exports/records';
import { StoreRegistry, readInventory } from '../../src/main/inventory';
import { MAX_IMPORT_BYTES } from '../../src/shared/imports/types';
import { FIXTURES, fixtureJson, rejection } from './helpers';

describe('ImportedFilesStore', () => {
  let dataDir: string;
  let work: string;
  let store: ImportedFilesStore;
  const now = new Date('2026-01-02T03:04:05.000Z');

  beforeEach(async () => {
    dataDir = await mkdtemp(join(tmpdir(), 'pkd-imports-data-'));
    work = await mkdtemp(join(tmpdir(), 'pkd-imports-files-'));
    store = new ImportedFilesStore({ dataDir, now: () => now });
  });

  const place = async (fixture: string, as = fixture): Promise<string> => {
    const path = join(work, as);
    await copyFile(join(FIXTURES, fixture), path);
    return path;
  };

  it('imports a file as one read-only, complete store that persists across instances', async () => {
    const result = await store.importFile(await place('bitwarden.json', 'my vault.json'));
    expect(result.alreadyImported).toBe(false);
    expect(result.record.id).toMatch(/^export:[0-9a-f]{12}$/);
    expect(result.parsed.passkeys[0]!.privateKey).not.toBeNull();

    const [exportStore] = await new ImportedFilesStore({ dataDir }).stores();
    expect(exportStore!.id).toBe(result.record.id);
    expect(exportStore!.label).toBe('Bitwarden export (my vault.json)');
    const info = await exportStore!.info();
    expect(info).toMatchObject({
      kind: 'export',
      status: 'available',
      complete: true,
      count: 3,
      capabilities: { list: true, delete: false, rename: false, create: false, sign: false, restore: false },
      facts: { file: 'my vault.json', format: 'bitwarden', importedAt: now.toISOString(), movableToVault: 3 },
    });
    expect(info.manage?.steps.join(' ')).toMatch(/Delete the export file/);
    const passkeys = await exportStore!.list();
    expect(passkeys).toHaveLength(3);
    expect(
      passkeys.every((p) => p.store === result.record.id && p.storeKind === 'export' && !p.removable),
    ).toBe(true);
    expect(passkeys[0]!.providerName).toBe('Bitwarden');
    expect(Object.keys(passkeys[0]!)).not.toContain('privateKey');
  });

  it('never writes private key material to the data folder', async () => {
    await store.importFile(await place('bitwarden.json'));
    await store.importFile(await place('keepassxc-es256.passkey'));
    const written = await readFile(join(dataDir, IMPORTS_FILE), 'utf8');
    const bw = fixtureJson('bitwarden.json') as {
      items: { login?: { fido2Credentials: { keyValue: string }[] | null } }[];
    };
    for (const cred of bw.items.flatMap((i) => i.login?.fido2Credentials ?? []))
      expect(written).not.toContain(cred.keyValue.slice(8, 48));
    expect(written).not.toMatch(/PRIVATE KEY|privateKey|keyValue/);
    const pem = (fixtureJson('keepassxc-es256.passkey') as { privateKey: string }).privateKey.split('\n')[1]!;
    expect(written).not.toContain(pem.slice(0, 40));
  });

  it('treats the same content imported again as the same store', async () => {
    const first = await store.importFile(await place('cxf.json', 'a.json'));
    const again = await store.importFile(await place('cxf.json', 'b.json'));
    expect(again.alreadyImported).toBe(true);
    expect(again.record.id).toBe(first.record.id);
    const stores = await store.stores();
    expect(stores).toHaveLength(1);
    expect(stores[0]!.label).toBe('Credential Exchange file (b.json)');
  });

  it('records nothing when a file is invalid', async () => {
    await store.importFile(await place('keepassxc-es256.passkey'));
    const err = await rejection(store.importFile(await place('bitwarden-wrong-types.json')));
    expect(err.code).toBe('IMPORT_INVALID');
    expect(await store.stores()).toHaveLength(1);
  });

  it('refuses a file over 10 MB from its size, before reading it', async () => {
    const path = join(work, 'huge.json');
    await writeFile(path, '');
    await truncate(path, MAX_IMPORT_BYTES + 1); // sparse: nothing is actually written or read
    const err = await rejection(store.importFile(path));
    expect(err.code).toBe('IMPORT_TOO_LARGE');
    expect(err.message).toContain('"huge.json"');
  });

  it('says when the file is missing or a folder', async () => {
    expect((await rejection(store.importFile(join(work, 'nope.json')))).message).toMatch(
      /"nope\.json": the file does not exist/,
    );
    expect((await rejection(store.importFile(work))).message).toMatch(/a folder, not a file/);
  });

  it('removes an imported file from the inventory, leaving the file alone', async () => {
    const path = await place('keepassxc-es256.passkey');
    const { record } = await store.importFile(path);
    await store.remove(record.id);
    expect(await store.stores()).toHaveLength(0);
    expect(await readFile(path, 'utf8')).toContain('relyingParty');
    expect((await rejection(store.remove(record.id))).code).toBe('NOT_FOUND');
  });

  it('re-reads a recorded file for a later move into the vault, and notices when it changed', async () => {
    const path = await place('keepassxc-es256.passkey');
    const { record } = await store.importFile(path);
    expect((await store.reread(record.id)).passkeys[0]!.privateKey?.algorithm).toBe(-7);
    await copyFile(join(FIXTURES, 'keepassxc-eddsa.passkey'), path);
    expect((await rejection(store.reread(record.id))).code).toBe('CONFLICT');
  });

  it('reports a damaged imported-files list as DATA_CORRUPT with what to do', async () => {
    await writeFile(
      join(dataDir, IMPORTS_FILE),
      '{"format":"passkey-desk-imported-files","version":1,"files":[{"id":1}]}',
    );
    const err = await rejection(store.stores());
    expect(err.code).toBe('DATA_CORRUPT');
    expect(err.message).toMatch(/Delete that file and import your exports again/);
    // The inventory names it instead of leaving the imported stores out without a word.
    const inventory = await readInventory(
      new StoreRegistry([], [store]),
      (p) => p,
      () => now,
    );
    expect(inventory.stores).toEqual([
      expect.objectContaining({
        id: 'export',
        label: 'Imported exports',
        status: 'error',
        complete: false,
        reason: expect.stringMatching(/Delete that file and import your exports again/),
      }),
    ]);
  });
});
