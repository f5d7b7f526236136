import { describe, expect, it } from 'vitest';
import { createSecurityKeyProvider } from '../../src/main/stores/security-key';
import { MemoryHidBackend } from '../helpers/soft-ctap/memory-hid';
import { newKeyState, seedCredential } from '../helpers/soft-ctap/state';

describe('security-key store over the software authenticator', () => {
  it('lists every discoverable passkey with the PIN', async () => {
    const hid = new MemoryHidBackend();
    const state = newKeyState();
    seedCredential(state, { rpId: 'example.com', userName: 'alice' });
    seedCredential(state, { rpId: 'example.com', userName: 'bob' });
    seedCredential(state, { rpId: 'github.com', userName: 'carol' });
    hid.add(state);
    const provider = createSecurityKeyProvider({ hid });
    const [store] = await provider.stores();
    const list = await store!.list({ pin: '123456' });
    expect(list.map((p) => `${p.rpId}/${p.userName}`).sort()).toEqual(['example.com/alice', 'example.com/bob', 'github.com/carol']);
    const keys = await provider.listKeys({ pin: '123456' });
    expect(keys[0]).toMatchObject({ label: 'YubiKey 5 Series with NFC', existingCredentials: 3, remainingSlots: 22, pinRetries: 8 });
  });
});
