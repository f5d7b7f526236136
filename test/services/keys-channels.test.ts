import { mkdtemp, readFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { parseRequest } from '../../src/shared/contract/validate';
import { createServices } from '../../src/main/services';
import { createSecurityKeyProvider } from '../../src/main/stores/security-key';
import { MemoryHidBackend } from '../helpers/soft-ctap/memory-hid';
import { newKeyState, seedCredential } from '../helpers/soft-ctap/state';
import { TestVerifier } from '../helpers/test-verifier';
import type { SecretStore } from '../../src/main/keyring';

const PIN = '123456';
const noSecrets: SecretStore = {
  description: 'unused',
  get: () => Promise.reject(new Error('the keys channels never touch the keyring')),
  set: () => Promise.reject(new Error('unused')),
  delete: () => Promise.reject(new Error('unused')),
};

async function setup() {
  const state = newKeyState({});
  seedCredential(state, { rpId: 'example.com', userName: 'alice@example.com', userDisplayName: 'Alice' });
  seedCredential(state, { rpId: 'github.com', userName: 'carol', userDisplayName: 'Carol' });
  const hid = new MemoryHidBackend();
  hid.add(state);
  const dataDir = await mkdtemp(join(tmpdir(), 'pkd-keys-'));
  const services = createServices({
    dataDir,
    shell: 'test-bridge',
    secrets: noSecrets,
    userVerifier: new TestVerifier(),
    securityKeys: createSecurityKeyProvider({
      hid,
      hidOptions: { idleTimeoutMs: 300, totalTimeoutMs: 3_000 },
    }),
  });
  return { services, dataDir, state };
}

describe('security-key IPC channels over the simulated CTAP 2.1 key', () => {
  it('lists keys without a PIN, and credentials, rename and delete with one — journaled, PIN never written', async () => {
    const { services, dataDir } = await setup();
    const h = services.handlers;
    const [key] = await h['keys.list']({});
    expect(key).toMatchObject({ pinSet: true, canList: true });
    const { passkeys } = await h['keys.credentials'](
      parseRequest('keys.credentials', { key: key!.id, pin: PIN }),
    );
    expect(passkeys.map((p) => p.rpId).sort()).toEqual(['example.com', 'github.com']);
    const alice = passkeys.find((p) => p.rpId === 'example.com')!;

    const renamed = await h['keys.rename'](
      parseRequest('keys.rename', {
        key: key!.id,
        credentialId: alice.credentialId,
        pin: PIN,
        userName: 'alice@new.example',
      }),
    );
    expect(renamed.userName).toBe('alice@new.example');
    await h['keys.delete'](
      parseRequest('keys.delete', { key: key!.id, credentialId: alice.credentialId, pin: PIN }),
    );
    const after = await h['keys.credentials'](parseRequest('keys.credentials', { key: key!.id, pin: PIN }));
    expect(after.passkeys.map((p) => p.rpId)).toEqual(['github.com']);

    const journal = await h['journal.list']({});
    expect(journal.map((j) => [j.action, j.outcome])).toEqual([
      ['store.delete', 'done'],
      ['store.rename', 'done'],
    ]);
    expect(await readFile(join(dataDir, 'journal.jsonl'), 'utf8')).not.toContain(PIN);
  });

  it('says how many tries are left after a wrong PIN, and validates the PIN field', async () => {
    const { services } = await setup();
    const [key] = await services.handlers['keys.list']({});
    await expect(
      services.handlers['keys.credentials'](
        parseRequest('keys.credentials', { key: key!.id, pin: '000000' }),
      ),
    ).rejects.toMatchObject({
      code: 'PIN_INVALID',
    });
    expect(() => parseRequest('keys.credentials', { key: key!.id, pin: '12' })).toThrow(/at least 4/);
    expect(() => parseRequest('keys.rename', { key: key!.id, credentialId: 'AAAA', pin: PIN })).toThrow(
      /user name/,
    );
  });

  it('shows the key in the inventory as needing a PIN', async () => {
    const { services } = await setup();
    const inventory = await services.handlers['inventory.get']({});
    const store = inventory.stores.find((s) => s.kind === 'security-key');
    expect(store?.status).toBe('needs-pin');
  });
});
