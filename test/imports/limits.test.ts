import { mkdtemp, readFile, stat, truncate, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { beforeEach, describe, expect, it } from 'vitest';
import { ImportedFilesStore } from '../../src/main/stores/exports/imported-files-store';
import { IMPORT_LIMITS } from '../../src/main/stores/exports/limits';
import { IMPORTS_FILE } from '../../src/main/stores/exports/records';
import { MAX_IMPORT_BYTES } from '../../src/shared/imports/types';
import { fixtureJson, problems, rejection } from './helpers';

type BitwardenDoc = { items: { login?: { fido2Credentials: Record<string, unknown>[] | null } }[] };
type CxfDoc = Record<string, unknown> & {
  accounts: { items: { credentials: Record<string, unknown>[] }[] }[];
};

describe('imported text is held to the vault’s own length limits', () => {
  let dataDir: string;
  let store: ImportedFilesStore;
  beforeEach(async () => {
    dataDir = await mkdtemp(join(tmpdir(), 'pkd-limits-'));
    store = new ImportedFilesStore({ dataDir });
  });

  const importDoc = async (doc: unknown, name = 'export.json') => {
    const path = join(dataDir, name);
    await writeFile(path, JSON.stringify(doc));
    return store.importFile(path);
  };

  it('uses the limits of vault create (user and display name 256, RP ID 253)', () => {
    expect(IMPORT_LIMITS).toMatchObject({ userName: 256, userDisplayName: 256, rpId: 253 });
  });

  it('refuses a Bitwarden export with a 5 MB user name, naming the field, and records nothing', async () => {
    const doc = fixtureJson('bitwarden.json') as BitwardenDoc;
    doc.items[1]!.login!.fido2Credentials![0]!.userName = 'a'.repeat(5 * 1024 * 1024);
    const err = await rejection(importDoc(doc, 'bw.json'));
    expect(err.code).toBe('IMPORT_INVALID');
    expect(problems(err)).toEqual([
      {
        path: 'items[1].login.fido2Credentials[0].userName',
        message:
          'is 5,242,880 characters long, and Passkey Desk keeps user names of at most 256 characters, as its vault does',
      },
    ]);
    expect(err.message).toMatch(
      /^Cannot import "bw\.json": items\[1\]\.login\.fido2Credentials\[0\]\.userName: is 5,242,880 characters long.*Nothing was imported\. .*export it again/,
    );
    await expect(stat(join(dataDir, IMPORTS_FILE))).rejects.toMatchObject({ code: 'ENOENT' });
  });

  it('takes 256 characters and refuses 257, as vault create does; lists every field that is too long', async () => {
    const doc = fixtureJson('bitwarden.json') as BitwardenDoc;
    const cred = doc.items[0]!.login!.fido2Credentials![0]!;
    cred.userName = 'u'.repeat(256);
    cred.userDisplayName = 'd'.repeat(256);
    const { parsed } = await importDoc(doc);
    expect(parsed.passkeys[0]!.userName).toHaveLength(256);

    cred.userName = 'u'.repeat(257);
    cred.userDisplayName = 'd'.repeat(300);
    const err = await rejection(importDoc(doc));
    expect(problems(err).map((p) => p.path)).toEqual([
      'items[0].login.fido2Credentials[0].userName',
      'items[0].login.fido2Credentials[0].userDisplayName',
    ]);
    expect(problems(err)[1]!.message).toMatch(/is 300 characters long.*display names of at most 256/);
    expect(err.message).toMatch(/and 1 more problem\b/);
  });

  it('refuses an RP ID longer than a domain name may be (253)', async () => {
    const doc = fixtureJson('bitwarden.json') as BitwardenDoc;
    doc.items[0]!.login!.fido2Credentials![0]!.rpId = `${'a'.repeat(60)}.`.repeat(5) + 'example';
    const err = await rejection(importDoc(doc));
    expect(err.code).toBe('IMPORT_INVALID');
    expect(problems(err)[0]!.path).toBe('items[0].login.fido2Credentials[0].rpId');
  });

  it('names KeePassXC and CXF fields by their own member names', async () => {
    const kp = fixtureJson('keepassxc-es256.passkey');
    kp.username = 'k'.repeat(1000);
    const kpErr = await rejection(importDoc(kp, 'k.passkey'));
    expect(problems(kpErr)).toEqual([
      { path: 'username', message: expect.stringMatching(/is 1,000 characters/) },
    ]);

    const cxf = fixtureJson('cxf.json') as CxfDoc;
    cxf.accounts[0]!.items[0]!.credentials[1]!.username = 'c'.repeat(257);
    const cxfErr = await rejection(importDoc(cxf, 'c.json'));
    expect(problems(cxfErr).map((p) => p.path)).toEqual(['accounts[0].items[0].credentials[1].username']);
  });

  it('refuses a CXF exporter name over 256 characters, naming the header member it came from', async () => {
    const cxf = fixtureJson('cxf.json') as CxfDoc;
    cxf.exporterDisplayName = 'E'.repeat(10_000);
    expect(problems(await rejection(importDoc(cxf, 'c.json')))).toEqual([
      { path: 'exporterDisplayName', message: expect.stringMatching(/10,000 characters.*exporter's name/) },
    ]);
    delete cxf.exporterDisplayName;
    cxf.exporter = 'E'.repeat(300); // the member's name in drafts before 2025
    expect(problems(await rejection(importDoc(cxf, 'c.json')))[0]!.path).toBe('exporter');
  });
});

describe('the size limit says how big the file is, and the limit, in numbers that differ', () => {
  it('gives the exact size in bytes when the file is over the limit', async () => {
    const dir = await mkdtemp(join(tmpdir(), 'pkd-size-'));
    const path = join(dir, 'huge.json');
    await writeFile(path, '');
    await truncate(path, MAX_IMPORT_BYTES + 1); // sparse: nothing is actually written or read
    const err = await rejection(new ImportedFilesStore({ dataDir: dir }).importFile(path));
    expect(err.code).toBe('IMPORT_TOO_LARGE');
    expect(err.message).toMatch(
      /^Cannot import "huge\.json": it is 10,485,761 bytes, and import files may be at most 10,485,760 bytes \(10 MiB\)\. Check that this is a passkey export/,
    );
    expect(err.details).toMatchObject({ size: MAX_IMPORT_BYTES + 1, limit: MAX_IMPORT_BYTES });
    await expect(readFile(join(dir, IMPORTS_FILE))).rejects.toMatchObject({ code: 'ENOENT' });
  });

  it.skipIf(process.platform !== 'linux')(
    'says "more than" the limit for a device with no size, such as /dev/zero',
    async () => {
      const dir = await mkdtemp(join(tmpdir(), 'pkd-size-'));
      const err = await rejection(new ImportedFilesStore({ dataDir: dir }).importFile('/dev/zero'));
      expect(err.code).toBe('IMPORT_TOO_LARGE');
      expect(err.message).toMatch(
        /^Cannot import "zero": it holds more than 10,485,760 bytes \(10 MiB\), the most an import file may hold\./,
      );
      expect(err.details).toMatchObject({ moreThan: MAX_IMPORT_BYTES });
    },
  );
});
