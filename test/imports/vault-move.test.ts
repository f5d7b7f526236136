import { randomBytes } from 'node:crypto';
import { mkdtemp, readFile, stat, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { beforeEach, describe, expect, it, vi } from 'vitest';
import * as lock from '../../src/main/fs/lock';
import type * as LockModule from '../../src/main/fs/lock';
import { ImportedFilesStore } from '../../src/main/stores/exports/imported-files-store';
import { moveIntoVault, planVaultMove } from '../../src/main/stores/exports/to-vault';
import * as vaultFile from '../../src/main/stores/vault/vault-file';
import type * as VaultFileModule from '../../src/main/stores/vault/vault-file';
import { VaultStore } from '../../src/main/stores/vault/vault-store';
import { bytesToUuid, toBase64url } from '../../src/shared/base64url';
import { PasskeyDeskError } from '../../src/shared/errors';
import { TestVerifier } from '../helpers/test-verifier';
import { bitwardenExport, MemorySecrets, TEST_KEYS as keys } from './helpers';

// Counts how often the vault file is read and written and its lock taken, without changing what they do.
vi.mock('../../src/main/stores/vault/vault-file', async (importOriginal) => {
  const actual = await importOriginal<typeof VaultFileModule>();
  return { ...actual, loadVault: vi.fn(actual.loadVault), saveVault: vi.fn(actual.saveVault) };
});
vi.mock('../../src/main/fs/lock', async (importOriginal) => {
  const actual = await importOriginal<typeof LockModule>();
  return { ...actual, withLock: vi.fn(actual.withLock) };
});

describe('moving passkeys from an export into the vault', () => {
  let dataDir: string;
  let secrets: MemorySecrets;
  let verifier: TestVerifier;
  let vault: VaultStore;

  beforeEach(async () => {
    dataDir = await mkdtemp(join(tmpdir(), 'pkd-move-'));
    secrets = new MemorySecrets();
    verifier = new TestVerifier();
    vault = new VaultStore({ dataDir, secrets, verifier });
    vi.mocked(vaultFile.loadVault).mockClear();
    vi.mocked(vaultFile.saveVault).mockClear();
    vi.mocked(lock.withLock).mockClear();
  });

  const importExport = async (text: string, name = 'bw.json') => {
    const path = join(dataDir, name);
    await writeFile(path, text);
    return new ImportedFilesStore({ dataDir }).importFile(path);
  };

  const vaultLocks = () => vi.mocked(lock.withLock).mock.calls.filter((c) => c[1] === 'vault').length;

  it('reads the vault file twice and writes it once, under one lock, with one key fetch, however many passkeys move', async () => {
    for (const count of [1, 60]) {
      const { parsed, record } = await importExport(bitwardenExport(count).text, `bw-${count}.json`);
      vi.mocked(vaultFile.loadVault).mockClear();
      vi.mocked(vaultFile.saveVault).mockClear();
      vi.mocked(lock.withLock).mockClear();
      secrets.gets = 0;
      // A fresh store each time, so its key cache does not hide a second key fetch.
      vault = new VaultStore({ dataDir, secrets, verifier });
      const plan = planVaultMove(
        parsed,
        record.passkeys.map((p) => p.credentialId),
        record.fileName,
      );
      const outcomes = await moveIntoVault(vault, plan);
      expect(outcomes.filter((o) => o.ok)).toHaveLength(count);
      // Once before the lock while the key is not cached yet (the keyring is asked outside the lock), once under it.
      expect(vi.mocked(vaultFile.loadVault)).toHaveBeenCalledTimes(2);
      expect(vi.mocked(vaultFile.saveVault)).toHaveBeenCalledTimes(1);
      expect(vaultLocks()).toBe(1);
      expect(secrets.gets).toBe(1);
    }
    expect(await vault.list()).toHaveLength(61);
  });

  it('asks for user verification once per move, naming how many passkeys and which file', async () => {
    const { parsed, record } = await importExport(bitwardenExport(3).text, 'my export.json');
    const ids = record.passkeys.map((p) => p.credentialId);
    await moveIntoVault(vault, planVaultMove(parsed, ids, record.fileName));
    expect(verifier.requests).toEqual(['move 3 passkeys from "my export.json" into the Passkey Desk vault']);
  });

  it('moves nothing when the user declines, and says so', async () => {
    const { parsed, record } = await importExport(bitwardenExport(5).text);
    const ids = record.passkeys.map((p) => p.credentialId);
    for (const answer of ['cancel', 'fail'] as const) {
      verifier.answer = answer;
      let error: unknown;
      try {
        await moveIntoVault(vault, planVaultMove(parsed, ids, record.fileName));
      } catch (e) {
        error = e;
      }
      expect(error).toBeInstanceOf(PasskeyDeskError);
      const err = error as PasskeyDeskError;
      expect(err.code).toBe(answer === 'cancel' ? 'USER_CANCELLED' : 'USER_VERIFICATION_FAILED');
      expect(err.message).toMatch(
        /^Nothing was moved into the vault from "bw\.json" \(5 passkeys\): The test user/,
      );
    }
    expect(verifier.requests).toHaveLength(2);
    expect(vi.mocked(vaultFile.saveVault)).not.toHaveBeenCalled();
    await expect(stat(join(dataDir, 'vault.json'))).rejects.toMatchObject({ code: 'ENOENT' });
    expect(await vault.list()).toEqual([]);
  });

  it('does not ask when nothing in the selection can move', async () => {
    const { parsed, record } = await importExport(
      bitwardenExport(2, (cred) => {
        delete cred.userHandle;
      }).text,
    );
    const outcomes = await moveIntoVault(
      vault,
      planVaultMove(
        parsed,
        record.passkeys.map((p) => p.credentialId),
        record.fileName,
      ),
    );
    expect(outcomes.map((o) => o.ok)).toEqual([false, false]);
    expect(verifier.requests).toEqual([]);
    expect(vi.mocked(vaultFile.saveVault)).not.toHaveBeenCalled();
  });

  it('refuses passkeys one by one, as before: the rest of the batch still moves', async () => {
    // site1 has an RP ID the parser takes but the vault cannot serve (an underscore); site2 is moved first.
    const { parsed, record } = await importExport(
      bitwardenExport(4, (cred, i) => {
        if (i === 1) cred.rpId = 'bad_name.example';
      }).text,
    );
    const ids = record.passkeys.map((p) => p.credentialId);
    const first = await moveIntoVault(vault, planVaultMove(parsed, [ids[2]!], record.fileName));
    expect(first).toEqual([expect.objectContaining({ credentialId: ids[2], ok: true })]);

    const outcomes = await moveIntoVault(vault, planVaultMove(parsed, ids, record.fileName));
    expect(outcomes.map((o) => [o.credentialId, o.ok, o.ok ? null : o.code])).toEqual([
      [ids[0], true, null],
      [ids[1], false, 'INVALID_INPUT'],
      [ids[2], false, 'CONFLICT'],
      [ids[3], true, null],
    ]);
    const refused = outcomes.filter((o) => !o.ok);
    expect(refused.map((o) => (o.ok ? '' : o.message))).toEqual([
      expect.stringMatching(/"bad_name\.example" is not a valid RP ID/) as string,
      `The vault already holds credential ${ids[2]} (live or in the trash).`,
    ]);
    // The RP ID refusal is known before the lock, so the question counts the three that may move.
    expect(verifier.requests.at(-1)).toBe('move 3 passkeys from "bw.json" into the Passkey Desk vault');
    expect((await vault.list()).map((p) => p.credentialId).sort()).toEqual([ids[0], ids[2], ids[3]].sort());
  });

  it('importPasskeys refuses a credential ID repeated within one batch, keeping the first', async () => {
    const { parsed } = await importExport(bitwardenExport(1).text);
    const input = planVaultMove(parsed, [parsed.passkeys[0]!.credentialId], 'bw.json').ready[0]!.input;
    const results = await vault.importPasskeys([input, input], '"bw.json"');
    expect(results.map((r) => r.ok)).toEqual([true, false]);
    expect(results[1]).toMatchObject({ ok: false, error: { code: 'CONFLICT' } });
    expect(await vault.list()).toHaveLength(1);
  });

  it('keeps what it writes sealed: the vault file holds no private key in the clear', async () => {
    const { parsed, record } = await importExport(bitwardenExport(4).text);
    await moveIntoVault(
      vault,
      planVaultMove(
        parsed,
        record.passkeys.map((p) => p.credentialId),
        record.fileName,
      ),
    );
    const written = await readFile(join(dataDir, 'vault.json'), 'utf8');
    for (const key of keys) expect(written).not.toContain(key.slice(20, 60));
  });
});

describe('--only names a passkey as the file spells it', () => {
  it('accepts a Bitwarden UUID in any case, "b64." + base64url, base64url and standard base64', async () => {
    const dataDir = await mkdtemp(join(tmpdir(), 'pkd-only-'));
    const path = join(dataDir, 'bw.json');
    const { ids, text } = bitwardenExport(2, (cred, i) => {
      // The second passkey was imported into Bitwarden from elsewhere: a 20-byte ID, written "b64." + base64url.
      if (i === 1)
        cred.credentialId = `b64.${toBase64url(Uint8Array.from({ length: 20 }, (_, j) => 250 - j))}`;
    });
    await writeFile(path, text);
    const { parsed } = await new ImportedFilesStore({ dataDir }).importFile(path);
    const [uuidOne, b64One] = parsed.passkeys;
    const uuid = ids[0]!;
    const b64 = parsed.passkeys[1]!.credentialId.replace(/-/g, '+').replace(/_/g, '/');
    for (const spelling of [uuid, uuid.toUpperCase(), uuidOne!.credentialId]) {
      expect(planVaultMove(parsed, [spelling], 'bw.json').ready.map((r) => r.passkey)).toEqual([uuidOne]);
    }
    for (const spelling of [`b64.${b64One!.credentialId}`, b64One!.credentialId, `${b64}=`]) {
      expect(planVaultMove(parsed, [spelling], 'bw.json').ready.map((r) => r.passkey)).toEqual([b64One]);
    }
    // The same passkey named in two spellings moves once.
    expect(planVaultMove(parsed, [uuid, uuidOne!.credentialId], 'bw.json').ready).toHaveLength(1);
  });

  it('says what it looked for when the file holds no such passkey', async () => {
    const dataDir = await mkdtemp(join(tmpdir(), 'pkd-only-'));
    const path = join(dataDir, 'bw.json');
    await writeFile(path, bitwardenExport(1).text);
    const { parsed } = await new ImportedFilesStore({ dataDir }).importFile(path);
    const other = bytesToUuid(randomBytes(16));
    expect(() => planVaultMove(parsed, [other], 'bw.json')).toThrow(
      new RegExp(
        `"bw\\.json" holds no passkey with credential ID ${other}\\. Give the ID as the file shows it`,
      ),
    );
  });
});
