import { beforeAll, beforeEach, describe, expect, it } from 'vitest';

import { createWindowsHelloStore, createWindowsHelloVerifier } from '../../src/main/stores/windows-hello';
import type { WindowsHelloVerifierOptions } from '../../src/main/stores/windows-hello';
import type { FakeScenario, FakeWebauthnControl } from '../helpers/fake-webauthn';
import { buildFakeWebauthn, fakeWebauthnControl, writeFakeWebauthnScenario } from '../helpers/fake-webauthn';

let libraryPath: string;
let fake: FakeWebauthnControl;

beforeAll(async () => {
  libraryPath = await buildFakeWebauthn();
  fake = fakeWebauthnControl(libraryPath);
});
beforeEach(() => fake.reset());

function verifierWith(scenario: FakeScenario, options: WindowsHelloVerifierOptions = {}) {
  const path = writeFakeWebauthnScenario(scenario);
  fake.useScenario(path);
  return { verifier: createWindowsHelloVerifier({ libraryPath, ...options }), path };
}

describe('Windows Hello as the vault’s UserVerifier', () => {
  it('creates an app-owned platform passkey on first use, then verifies with an assertion over it', async () => {
    const hwnd = Buffer.alloc(8);
    hwnd.writeBigInt64LE(0x5150n);
    const { verifier, path } = verifierWith({ apiVersion: 9 }, { windowHandle: () => hwnd });
    expect(verifier.name).toBe('Windows Hello');
    expect(await verifier.available()).toEqual({ ok: true, reason: null });

    await verifier.verify('signing in to example.com');
    expect(fake.trace()).toContainEqual(
      expect.stringMatching(
        /^MakeCredential hwnd=20816 rpId=passkey-desk\.local options=9 attach=1 uv=1 rk=1/,
      ),
    );

    fake.reset();
    await verifier.verify('signing in to example.com');
    const trace = fake.trace();
    expect(trace.some((l) => l.startsWith('MakeCredential'))).toBe(false);
    expect(trace).toContainEqual(
      expect.stringMatching(
        /^GetAssertion hwnd=20816 rpId=passkey-desk\.local options=9 attach=1 uv=1 allow=1 allowEx=1/,
      ),
    );
    expect(fake.stats()).toMatchObject({ assertionAllocs: 1, assertionFrees: 1, badFrees: 0 });

    // The app-owned passkey is a real Windows Hello passkey: the store lists it too.
    const listed = await createWindowsHelloStore({ libraryPath }).listForRp('passkey-desk.local');
    expect(listed).toHaveLength(1);
    expect(path).toBeTruthy();
  });

  it('throws USER_CANCELLED when the Windows Security dialog is cancelled', async () => {
    const { verifier } = verifierWith({ failures: { WebAuthNAuthenticatorMakeCredential: 0x800704c7 } });
    await expect(verifier.verify('deleting a passkey')).rejects.toMatchObject({ code: 'USER_CANCELLED' });
  });

  it('throws USER_VERIFICATION_FAILED when Windows answers without the UV flag', async () => {
    const { verifier } = verifierWith({ userVerified: false });
    await expect(verifier.verify('deleting a passkey')).rejects.toMatchObject({
      code: 'USER_VERIFICATION_FAILED',
      message: expect.stringContaining('deleting a passkey did not go ahead'),
    });
  });

  it('throws USER_VERIFICATION_FAILED for other Windows errors, keeping the HRESULT', async () => {
    const ours = {
      credentialId: new Uint8Array(16).fill(9),
      rpId: 'passkey-desk.local',
      userId: new TextEncoder().encode('passkey-desk/user-verification'),
    };
    const { verifier } = verifierWith({
      credentials: [ours],
      failures: { WebAuthNAuthenticatorGetAssertion: 0x80090027 },
    });
    await expect(verifier.verify('x')).rejects.toMatchObject({
      code: 'USER_VERIFICATION_FAILED',
      details: { function: 'WebAuthNAuthenticatorGetAssertion', hresult: '0x80090027' },
    });
    expect(fake.trace().some((l) => l.startsWith('MakeCredential'))).toBe(false);
  });

  it('is unavailable, with a reason, when Windows Hello is not set up, on API 3, or off Windows', async () => {
    const notSetUp = verifierWith({ userVerifyingPlatformAuthenticator: false }).verifier;
    expect(await notSetUp.available()).toEqual({
      ok: false,
      reason: expect.stringContaining('Sign-in options'),
    });
    await expect(notSetUp.verify('x')).rejects.toMatchObject({ code: 'USER_VERIFICATION_UNAVAILABLE' });

    const old = verifierWith({ apiVersion: 3 }).verifier;
    expect((await old.available()).reason).toContain('reports 3');

    const linux = createWindowsHelloVerifier({ platform: 'linux' });
    expect(await linux.available()).toEqual({ ok: false, reason: expect.stringContaining('Linux') });
    await expect(linux.verify('x')).rejects.toMatchObject({ code: 'USER_VERIFICATION_UNAVAILABLE' });
  });
});
