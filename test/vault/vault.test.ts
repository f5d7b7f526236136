import { generateKeyPairSync, randomBytes } from 'node:crypto';
import { existsSync } from 'node:fs';
import { mkdtemp, readFile, rename, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { verifyAuthenticationResponse, verifyRegistrationResponse } from '@simplewebauthn/server';
import { beforeEach, describe, expect, it } from 'vitest';
import { fromBase64url, toBase64url } from '../../src/shared/base64url';
import { PASSKEY_DESK_AAGUID } from '../../src/shared/aaguid';
import { createOsSecretStore } from '../../src/main/keyring';
import { VaultStore } from '../../src/main/stores/vault/vault-store';
import { es256PublicFromPkcs8, open } from '../../src/main/stores/vault/vault-crypto';
import { realKeyring } from '../helpers/keyring';
import { TestVerifier } from '../helpers/test-verifier';

const RP = 'example.com';
const ORIGIN = 'https://example.com';

async function setup() {
  const dataDir = await mkdtemp(join(tmpdir(), 'pkd-vault-'));
  const secrets = realKeyring();
  const verifier = new TestVerifier();
  return { dataDir, secrets, verifier, vault: new VaultStore({ dataDir, secrets, verifier }) };
}

describe('vault store (real Secret Service)', () => {
  let ctx: Awaited<ReturnType<typeof setup>>;
  beforeEach(async () => {
    ctx = await setup();
  });

  it('creates a passkey whose registration SimpleWebAuthn verifies, with our AAGUID and honest flags', async () => {
    const challenge = toBase64url(new Uint8Array(32).fill(7));
    const { passkey, registration } = await ctx.vault.create({
      rpId: RP,
      userName: 'alice',
      challenge,
      origin: ORIGIN,
    });
    const result = await verifyRegistrationResponse({
      response: registration,
      expectedChallenge: challenge,
      expectedOrigin: ORIGIN,
      expectedRPID: RP,
      requireUserVerification: true,
    });
    expect(result.verified).toBe(true);
    expect(result.registrationInfo?.aaguid).toBe(PASSKEY_DESK_AAGUID);
    expect(result.registrationInfo?.credentialDeviceType).toBe('singleDevice');
    expect(result.registrationInfo?.credentialBackedUp).toBe(false);
    expect(result.registrationInfo?.credential.id).toBe(passkey.credentialId);
    expect(ctx.verifier.requests).toEqual(['create a passkey for alice on example.com']);
  });

  /** Signs `times` times, each from a fresh store (the counter must come from disk), and verifies each. */
  async function signInTurns(
    credential: { id: string; publicKey: Uint8Array<ArrayBuffer>; counter: number },
    times: number,
  ): Promise<number[]> {
    const counters: number[] = [];
    let counter = credential.counter;
    for (let i = 0; i < times; i++) {
      const challenge = toBase64url(new Uint8Array(32).fill(i + 1));
      const vault = new VaultStore({ dataDir: ctx.dataDir, secrets: ctx.secrets, verifier: ctx.verifier });
      const { response } = await vault.sign({
        rpId: RP,
        origin: ORIGIN,
        challenge,
        allowCredentialIds: [credential.id],
      });
      const check = await verifyAuthenticationResponse({
        response,
        expectedChallenge: challenge,
        expectedOrigin: ORIGIN,
        expectedRPID: RP,
        credential: { ...credential, counter },
        requireUserVerification: true,
      });
      expect(check.verified).toBe(true);
      counter = check.authenticationInfo.newCounter;
      counters.push(counter);
    }
    return counters;
  }

  it('signs assertions SimpleWebAuthn verifies; a passkey made here keeps a zero counter, so a restored backup is no clone', async () => {
    const { registration } = await ctx.vault.create({ rpId: RP, userName: 'alice', origin: ORIGIN });
    const reg = await verifyRegistrationResponse({
      response: registration,
      expectedChallenge: () => true,
      expectedOrigin: ORIGIN,
      expectedRPID: RP,
    });
    const credential = reg.registrationInfo!.credential;
    expect(credential.counter).toBe(0);
    // A copy of the data folder taken now, restored after three sign-ins: the server still accepts it.
    const backup = await readFile(join(ctx.dataDir, 'vault.json'), 'utf8');
    expect(await signInTurns(credential, 3)).toEqual([0, 0, 0]);
    await writeFile(join(ctx.dataDir, 'vault.json'), backup);
    expect(await signInTurns(credential, 1)).toEqual([0]);
  });

  it("a passkey that arrived counting (imported with its exporter's counter) goes on counting, persisted", async () => {
    const { privateKey } = generateKeyPairSync('ec', { namedCurve: 'P-256' });
    const pkcs8 = new Uint8Array(privateKey.export({ format: 'der', type: 'pkcs8' }));
    const credentialId = toBase64url(randomBytes(16));
    const [moved] = await ctx.vault.importPasskeys(
      [
        {
          rpId: RP,
          credentialId,
          userHandle: toBase64url(randomBytes(16)),
          userName: 'alice',
          userDisplayName: 'alice',
          privateKeyPkcs8: pkcs8.slice(),
          signCount: 17,
          createdAt: null,
          origin: 'imported',
        },
      ],
      'a test export',
    );
    expect(moved).toMatchObject({ ok: true });
    const credential = {
      id: credentialId,
      publicKey: new Uint8Array(es256PublicFromPkcs8(pkcs8)),
      counter: 17,
    };
    expect(await signInTurns(credential, 3)).toEqual([18, 19, 20]);
  });

  it('keeps private keys sealed: the file holds no key bytes and the key lives in the keyring', async () => {
    await ctx.vault.create({ rpId: RP, userName: 'alice', origin: ORIGIN });
    const text = await readFile(join(ctx.dataDir, 'vault.json'), 'utf8');
    const file = JSON.parse(text) as {
      keyId: string;
      passkeys: { credentialId: string; rpId: string; privateKey: { iv: string; ct: string; tag: string } }[];
    };
    const stored = await ctx.secrets.get(`vault-key:${file.keyId}`);
    expect(stored).toBeTruthy();
    const rec = file.passkeys[0]!;
    const pkcs8 = open(
      Buffer.from(fromBase64url(stored!)),
      rec.privateKey,
      `passkey-desk/v1|${rec.rpId}|${rec.credentialId}`,
    );
    expect(pkcs8.length).toBeGreaterThan(60);
    for (const encoding of ['base64', 'base64url', 'hex'] as const) {
      expect(text).not.toContain(pkcs8.subarray(8, 40).toString(encoding).slice(0, 24));
    }
  });

  it('refuses an origin that does not belong to the RP ID, and an excluded authenticator', async () => {
    await expect(
      ctx.vault.create({ rpId: RP, userName: 'a', origin: 'https://evil.test' }),
    ).rejects.toMatchObject({ code: 'INVALID_INPUT' });
    const { passkey } = await ctx.vault.create({ rpId: RP, userName: 'a', origin: ORIGIN });
    await expect(
      ctx.vault.sign({ rpId: RP, origin: 'http://example.com', challenge: 'AAAA' }),
    ).rejects.toMatchObject({ code: 'INVALID_INPUT' });
    await expect(
      ctx.vault.create({
        rpId: RP,
        userName: 'a',
        origin: ORIGIN,
        excludeCredentialIds: [passkey.credentialId],
      }),
    ).rejects.toMatchObject({
      code: 'ALREADY_REGISTERED',
    });
  });

  it('asks the user before every signature and signs nothing when they cancel', async () => {
    await ctx.vault.create({ rpId: RP, userName: 'a', origin: ORIGIN });
    ctx.verifier.answer = 'cancel';
    await expect(ctx.vault.sign({ rpId: RP, origin: ORIGIN, challenge: 'AAAA' })).rejects.toMatchObject({
      code: 'USER_CANCELLED',
    });
    const [p] = await ctx.vault.list();
    expect(p!.lastUsedAt).toBeNull();
  });

  it('renames, deletes to the trash, restores, and purges only from the trash', async () => {
    const { passkey } = await ctx.vault.create({ rpId: RP, userName: 'a', origin: ORIGIN });
    expect((await ctx.vault.rename(passkey.credentialId, { nickname: '  Work laptop ' })).nickname).toBe(
      'Work laptop',
    );
    await expect(ctx.vault.purge(passkey.credentialId)).rejects.toMatchObject({ code: 'NOT_FOUND' });
    await ctx.vault.delete(passkey.credentialId);
    expect(await ctx.vault.list()).toHaveLength(0);
    expect((await ctx.vault.trash()).map((t) => t.passkey.credentialId)).toEqual([passkey.credentialId]);
    await ctx.vault.restore(passkey.credentialId);
    expect((await ctx.vault.list())[0]?.nickname).toBe('Work laptop');
    await ctx.vault.delete(passkey.credentialId);
    const retired = { store: 'vault', rpId: RP, credentialId: passkey.credentialId };
    expect(await ctx.vault.retired()).toEqual([{ ...retired, inTrash: true }]);
    await ctx.vault.purge(passkey.credentialId);
    expect(await ctx.vault.trash()).toHaveLength(0);
    await expect(ctx.vault.restore(passkey.credentialId)).rejects.toMatchObject({ code: 'NOT_FOUND' });
    // The purged passkey's ID (and only that: no key) stays, so reconciliation knows this vault held it.
    expect(await ctx.vault.retired()).toEqual([retired]);
    const file = JSON.parse(await readFile(join(ctx.dataDir, 'vault.json'), 'utf8')) as {
      purged: Record<string, unknown>[];
    };
    expect(Object.keys(file.purged[0]!).sort()).toEqual(['credentialId', 'purgedAt', 'rpId']);
  });

  it('a vault file started anew while the store is open gets a key of its own, which a fresh process can use', async () => {
    await ctx.vault.create({ rpId: RP, userName: 'old', origin: ORIGIN });
    // The user moves the vault aside (as the damaged-file message suggests); the running app makes a new one.
    await rename(join(ctx.dataDir, 'vault.json'), join(ctx.dataDir, 'vault.old.json'));
    const { passkey } = await ctx.vault.create({ rpId: RP, userName: 'new', origin: ORIGIN });
    const fresh = new VaultStore({ dataDir: ctx.dataDir, secrets: ctx.secrets, verifier: ctx.verifier });
    const { response } = await fresh.sign({
      rpId: RP,
      origin: ORIGIN,
      challenge: toBase64url(new Uint8Array(32).fill(9)),
      allowCredentialIds: [passkey.credentialId],
    });
    expect(response.id).toBe(passkey.credentialId);
  });

  it('asks the keyring for the vault key before taking the vault lock, so a prompt blocks no other process', async () => {
    const { passkey } = await ctx.vault.create({ rpId: RP, userName: 'a', origin: ORIGIN });
    const lockHeld: boolean[] = [];
    const secrets = {
      ...ctx.secrets,
      description: ctx.secrets.description,
      get: async (account: string) => {
        lockHeld.push(existsSync(join(ctx.dataDir, 'vault.lock')));
        return ctx.secrets.get(account);
      },
    };
    const fresh = new VaultStore({ dataDir: ctx.dataDir, secrets, verifier: ctx.verifier });
    await fresh.sign({
      rpId: RP,
      origin: ORIGIN,
      challenge: toBase64url(new Uint8Array(32).fill(3)),
      allowCredentialIds: [passkey.credentialId],
    });
    expect(lockHeld).toEqual([false]);
  });

  it('reads a vault written before purged IDs were kept as having none', async () => {
    await ctx.vault.create({ rpId: RP, userName: 'a', origin: ORIGIN });
    const path = join(ctx.dataDir, 'vault.json');
    const file = JSON.parse(await readFile(path, 'utf8')) as Record<string, unknown>;
    delete file.purged;
    await writeFile(path, JSON.stringify(file));
    expect(await ctx.vault.retired()).toEqual([]);
    expect(await ctx.vault.list()).toHaveLength(1);
  });

  it('leaves a corrupt or newer vault file untouched and says where it is', async () => {
    const path = join(ctx.dataDir, 'vault.json');
    await writeFile(path, '{"format":"passkey-desk-vault","version":1,');
    await expect(ctx.vault.list()).rejects.toMatchObject({ code: 'DATA_CORRUPT', details: { path } });
    await expect(ctx.vault.create({ rpId: RP, userName: 'a', origin: ORIGIN })).rejects.toMatchObject({
      code: 'DATA_CORRUPT',
    });
    expect(await readFile(path, 'utf8')).toBe('{"format":"passkey-desk-vault","version":1,');
    await writeFile(
      path,
      JSON.stringify({ format: 'passkey-desk-vault', version: 99, keyId: 'x', passkeys: [] }),
    );
    await expect(ctx.vault.list()).rejects.toMatchObject({ code: 'DATA_TOO_NEW' });
    expect((await ctx.vault.info()).status).toBe('error');
  });

  it('says the key is missing from the keyring instead of making a new one', async () => {
    await ctx.vault.create({ rpId: RP, userName: 'a', origin: ORIGIN });
    const file = JSON.parse(await readFile(join(ctx.dataDir, 'vault.json'), 'utf8')) as { keyId: string };
    await ctx.secrets.delete(`vault-key:${file.keyId}`);
    const fresh = new VaultStore({ dataDir: ctx.dataDir, secrets: ctx.secrets, verifier: ctx.verifier });
    await expect(fresh.sign({ rpId: RP, origin: ORIGIN, challenge: 'AAAA' })).rejects.toMatchObject({
      code: 'KEY_MISSING',
    });
  });

  it('names the missing Secret Service when there is no D-Bus session', async () => {
    const secrets = createOsSecretStore('Passkey Desk test', {}, 'linux');
    const vault = new VaultStore({ dataDir: ctx.dataDir, secrets, verifier: ctx.verifier });
    await expect(vault.create({ rpId: RP, userName: 'a', origin: ORIGIN })).rejects.toMatchObject({
      code: 'KEYRING_UNAVAILABLE',
      message: expect.stringContaining('DBUS_SESSION_BUS_ADDRESS') as unknown,
    });
  });
});
