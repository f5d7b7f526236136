import { beforeAll, beforeEach, describe, expect, it } from 'vitest';

import { utf8 } from '../../src/shared/base64url';
import {
  getAssertionOptionsVersion,
  makeCredentialOptionsVersion,
} from '../../src/main/stores/windows-hello/constants';
import {
  getAssertion,
  koffiMemory,
  makeCredential,
  openWebAuthn,
  toHwnd,
} from '../../src/main/stores/windows-hello';
import type { FakeScenario, FakeWebauthnControl } from '../helpers/fake-webauthn';
import { buildFakeWebauthn, fakeWebauthnControl, writeFakeWebauthnScenario } from '../helpers/fake-webauthn';
import { bytes } from './fixtures';

let libraryPath: string;
let fake: FakeWebauthnControl;

beforeAll(async () => {
  libraryPath = await buildFakeWebauthn();
  fake = fakeWebauthnControl(libraryPath);
});
beforeEach(() => fake.reset());

const OURS = { version: 1, credentialId: bytes(40), rpId: 'rp.example', userId: bytes(7, 8), userName: 'ü' };

function libWith(scenario: FakeScenario) {
  fake.useScenario(writeFakeWebauthnScenario(scenario));
  return openWebAuthn(libraryPath);
}

const mcRequest = {
  rp: { id: 'rp.example', name: 'RP Ünïcode' },
  user: { id: bytes(1, 16), name: 'ada', displayName: 'Ada 🔑' },
  algorithms: [-7, -257],
  clientDataJSON: utf8(
    '{"type":"webauthn.create","challenge":"AAAA","origin":"https://rp.example","crossOrigin":false}',
  ),
  attachment: 1,
  userVerification: 1,
  residentKey: 'required' as const,
};
const gaRequest = (allow: Uint8Array[]) => ({
  rpId: 'rp.example',
  clientDataJSON: utf8(
    '{"type":"webauthn.get","challenge":"AAAA","origin":"https://rp.example","crossOrigin":false}',
  ),
  allowCredentials: allow.map((id) => ({ id, transports: 0x10 })),
  attachment: 1,
  userVerification: 1,
});
const ctx = { hwnd: 0x1234n, timeoutMs: 60_000 };

describe('MakeCredential / GetAssertion bindings', () => {
  it.each([1, 2, 3, 4, 5, 6, 7, 8, 9])(
    'at API %i send the options version the DLL understands and decode the result by its version',
    async (api) => {
      const lib = libWith({ apiVersion: api, credentials: [OURS] });
      const made = await makeCredential(lib, koffiMemory, ctx, mcRequest);
      expect(made.credentialId).toHaveLength(16);
      expect(made.authenticatorData).toHaveLength(37);
      expect(made.formatType).toBe('none');
      const got = await getAssertion(lib, koffiMemory, ctx, gaRequest([OURS.credentialId]));
      expect(Array.from(got.credentialId)).toEqual(Array.from(OURS.credentialId));
      expect(Array.from(got.userHandle ?? [])).toEqual(Array.from(OURS.userId));
      expect(got.usedTransport).toEqual(got.assertionVersion >= 4 ? ['internal'] : null);
      expect(got.clientDataJSON === null).toBe(got.assertionVersion < 6);

      const trace = fake.trace();
      expect(trace.some((l) => l.includes('REJECTED'))).toBe(false);
      expect(trace).toContainEqual(
        expect.stringContaining(
          `MakeCredential hwnd=4660 rpId=rp.example options=${makeCredentialOptionsVersion(api)} attach=1 uv=1 rk=1`,
        ),
      );
      const allowEx = getAssertionOptionsVersion(api) >= 4 ? 1 : 0;
      expect(trace).toContainEqual(
        expect.stringContaining(
          `GetAssertion hwnd=4660 rpId=rp.example options=${getAssertionOptionsVersion(api)} attach=1 uv=1 allow=1 allowEx=${allowEx}`,
        ),
      );
      const s = fake.stats();
      expect([
        s.attestationAllocs,
        s.attestationFrees,
        s.assertionAllocs,
        s.assertionFrees,
        s.badFrees,
      ]).toEqual([1, 1, 1, 1, 0]);
    },
  );

  it('returns the exact clientDataJSON bytes Windows hashed (ASSERTION v6)', async () => {
    const lib = libWith({ apiVersion: 9, credentials: [OURS] });
    const request = gaRequest([]);
    const got = await getAssertion(lib, koffiMemory, ctx, request);
    expect(new TextDecoder().decode(got.clientDataJSON)).toBe(
      new TextDecoder().decode(request.clientDataJSON),
    );
    expect(fake.trace()).toContainEqual(expect.stringContaining('allow=0 allowEx=0'));
  });

  it('maps a cancelled dialog to USER_CANCELLED, with nothing to free', async () => {
    const lib = libWith({ credentials: [OURS], failures: { WebAuthNAuthenticatorGetAssertion: 0x80090036 } });
    await expect(getAssertion(lib, koffiMemory, ctx, gaRequest([OURS.credentialId]))).rejects.toMatchObject({
      code: 'USER_CANCELLED',
    });
    expect(fake.stats()).toMatchObject({ assertionAllocs: 0, assertionFrees: 0, badFrees: 0 });
  });

  it('maps an excluded credential (NTE_EXISTS) to CONFLICT', async () => {
    const lib = libWith({ credentials: [OURS] });
    const request = { ...mcRequest, excludeCredentials: [{ id: OURS.credentialId, transports: 0x10 }] };
    await expect(makeCredential(lib, koffiMemory, ctx, request)).rejects.toMatchObject({ code: 'CONFLICT' });
  });

  it('passes a cancellation ID when given a signal, and does not call at all once aborted', async () => {
    const lib = libWith({ credentials: [OURS] });
    await getAssertion(lib, koffiMemory, { ...ctx, signal: new AbortController().signal }, gaRequest([]));
    expect(fake.trace()).toContainEqual(expect.stringContaining('cancel=1'));
    const aborted = new AbortController();
    aborted.abort();
    fake.reset();
    await expect(
      getAssertion(lib, koffiMemory, { ...ctx, signal: aborted.signal }, gaRequest([])),
    ).rejects.toMatchObject({ code: 'USER_CANCELLED' });
    expect(fake.trace().some((l) => l.startsWith('GetAssertion'))).toBe(false);
  });

  it('reads an HWND from the Buffer Electron returns, not the Buffer address', () => {
    const handle = Buffer.alloc(8);
    handle.writeBigInt64LE(0x00000000000a0b0cn);
    expect(toHwnd(handle)).toBe(0xa0b0cn);
    const small = Buffer.alloc(4);
    small.writeInt32LE(0x1234);
    expect(toHwnd(small)).toBe(0x1234n);
    expect(toHwnd(null)).toBe(0n);
    expect(() => toHwnd(Buffer.alloc(3))).toThrow(/4 or 8 bytes/);
  });
});
