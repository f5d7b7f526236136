import { createPrivateKey, createPublicKey, generateKeyPairSync, sign, verify } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { PasskeyDeskError } from '../../src/shared/errors';
import type { ImportedPasskey } from '../../src/shared/imports/types';
import { moveIntoVault, planVaultMove, toVaultImport } from '../../src/main/stores/exports/to-vault';
import type { VaultImporter } from '../../src/main/stores/exports/to-vault';
import type { ImportInput } from '../../src/main/stores/vault/vault-store';
import type { Passkey } from '../../src/shared/model';
import { parseFixture } from './helpers';

const SOURCE = { format: 'bitwarden' as const, fileName: 'export.json' };

describe('private keys from every format sign ES256 that node:crypto verifies', () => {
  it.each(['bitwarden.json', 'keepassxc-es256.passkey', 'cxf.json'])('%s', (name) => {
    const es256 = parseFixture(name).passkeys.filter((p) => p.privateKey?.algorithm === -7);
    expect(es256.length).toBeGreaterThan(0);
    for (const p of es256) {
      const key = createPrivateKey({ key: Buffer.from(p.privateKey!.bytes), format: 'der', type: 'pkcs8' });
      // The credential's public key, as the RP stored it at registration, is derived from the private key.
      const publicKey = createPublicKey(key);
      const data = Buffer.from(`authenticatorData || sha256(clientDataJSON) for ${p.rpId}`);
      const signature = sign('sha256', data, key);
      expect(verify('sha256', data, publicKey, signature)).toBe(true);
      expect(verify('sha256', Buffer.from('other data'), publicKey, signature)).toBe(false);
    }
  });
});

describe('toVaultImport', () => {
  const bitwarden = parseFixture('bitwarden.json').passkeys;

  it("hands the vault exactly its input, continuing the exporter's counter", () => {
    const p = bitwarden[1]!;
    const input = toVaultImport(p, SOURCE);
    expect(input).toEqual({
      rpId: 'github.com',
      credentialId: p.credentialId,
      userHandle: p.userHandle,
      userName: 'alice',
      userDisplayName: 'alice',
      privateKeyPkcs8: p.privateKey!.bytes,
      signCount: 17,
      createdAt: '2024-05-01T10:00:00.000Z',
      origin: 'import:bitwarden:export.json',
    });
  });

  it.each([
    ['keepassxc-eddsa.passkey', /EdDSA \(Ed25519\).*ES256 only/],
    ['keepassxc-rs256.passkey', /RS256 \(RSA\).*ES256 only/],
  ])('refuses %s with UNSUPPORTED_ALGORITHM and a reason', (name, reason) => {
    const p = parseFixture(name).passkeys[0]!;
    expect(() => toVaultImport(p, SOURCE)).toThrow(reason);
    try {
      toVaultImport(p, SOURCE);
    } catch (e) {
      expect((e as PasskeyDeskError).code).toBe('UNSUPPORTED_ALGORITHM');
    }
  });

  it('refuses a P-384 key, naming the curve', () => {
    const p384 = parseFixture('cxf.json').passkeys[1]!;
    expect(() => toVaultImport(p384, SOURCE)).toThrow(/P-384/);
  });

  it('does not trust the label: a key claimed ES256 must parse as P-256 in node:crypto', () => {
    const ed = generateKeyPairSync('ed25519').privateKey.export({ format: 'der', type: 'pkcs8' });
    const liar: ImportedPasskey = {
      ...bitwarden[0]!,
      privateKey: { format: 'pkcs8-der', algorithm: -7, bytes: new Uint8Array(ed) },
    };
    expect(() => toVaultImport(liar, SOURCE)).toThrow(/ed25519.*ES256/);
    const garbage: ImportedPasskey = {
      ...bitwarden[0]!,
      privateKey: {
        format: 'pkcs8-der',
        algorithm: -7,
        bytes: new Uint8Array([0x30, 0x03, 0x02, 0x01, 0x00]),
      },
    };
    expect(() => toVaultImport(garbage, SOURCE)).toThrow(/cannot be read/);
  });

  it('refuses a passkey without a user handle (the vault could not answer a discoverable sign-in)', () => {
    expect(() => toVaultImport(bitwarden[2]!, SOURCE)).toThrow(/user handle/);
  });
});

describe('planVaultMove and moveIntoVault', () => {
  const parsed = parseFixture('bitwarden.json');

  it('checks the whole selection first, then imports the ready ones and reports each outcome', async () => {
    const ids = parsed.passkeys.map((p) => p.credentialId);
    const plan = planVaultMove(parsed, ids, 'export.json');
    expect(plan.ready.map((r) => r.passkey.credentialId)).toEqual(ids.slice(0, 2));
    expect(plan.refused).toEqual([
      {
        passkey: parsed.passkeys[2],
        code: 'UNSUPPORTED',
        message: expect.stringMatching(/user handle/) as string,
      },
    ]);

    const imported: ImportInput[] = [];
    const batches: { count: number; source: string }[] = [];
    const vault: VaultImporter = {
      importPasskeys: async (inputs, source) => {
        batches.push({ count: inputs.length, source });
        return inputs.map((input) => {
          if (imported.some((i) => i.credentialId === input.credentialId))
            return { ok: false, error: new PasskeyDeskError('CONFLICT', 'already in the vault') };
          imported.push(input);
          const passkey: Passkey = {
            ...parsed.passkeys[0]!,
            store: 'vault',
            storeKind: 'vault',
            credentialId: input.credentialId,
          };
          return { ok: true, passkey };
        });
      },
    };
    const outcomes = await moveIntoVault(vault, plan);
    expect(outcomes.map((o) => [o.credentialId, o.ok])).toEqual([
      [ids[2], false],
      [ids[0], true],
      [ids[1], true],
    ]);
    const again = await moveIntoVault(vault, planVaultMove(parsed, [ids[0]!], 'export.json'));
    expect(again).toEqual([
      { credentialId: ids[0], ok: false, code: 'CONFLICT', message: 'already in the vault' },
    ]);
    // One batch per move, naming the file; the refused passkey is not handed to the vault at all.
    expect(batches).toEqual([
      { count: 2, source: '"export.json"' },
      { count: 1, source: '"export.json"' },
    ]);
  });

  it('throws NOT_FOUND for a credential ID the file does not hold', () => {
    expect(() => planVaultMove(parsed, ['AAAA'], 'export.json')).toThrow(
      /holds no passkey with credential ID AAAA/,
    );
  });
});
