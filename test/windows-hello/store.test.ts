import { beforeAll, beforeEach, describe, expect, it } from 'vitest';

import { toBase64url } from '../../src/shared/base64url';
import type { PasskeyDeskError } from '../../src/shared/errors';
import { createWindowsHelloStore } from '../../src/main/stores/windows-hello';
import type { FakeScenario, FakeWebauthnControl } from '../helpers/fake-webauthn';
import { buildFakeWebauthn, fakeWebauthnControl, writeFakeWebauthnScenario } from '../helpers/fake-webauthn';
import { MIXED, bytes } from './fixtures';

let libraryPath: string;
let fake: FakeWebauthnControl;

beforeAll(async () => {
  libraryPath = await buildFakeWebauthn();
  fake = fakeWebauthnControl(libraryPath);
});
beforeEach(() => fake.reset());

function storeWith(scenario: FakeScenario) {
  fake.useScenario(writeFakeWebauthnScenario(scenario));
  return createWindowsHelloStore({ libraryPath, platform: 'linux' });
}

async function rejection(p: Promise<unknown>): Promise<PasskeyDeskError> {
  try {
    await p;
  } catch (e) {
    return e as PasskeyDeskError;
  }
  throw new Error('expected a rejection');
}

const PROVIDERS = [
  { id: bytes(0x08, 16), name: 'Windows Hello' },
  { id: bytes(0xd0, 16), name: 'Contoso Passkeys', locked: true },
];

describe('Windows Hello store: availability', () => {
  it.each([
    ['linux', 'Linux'],
    ['darwin', 'macOS'],
  ] as const)('is unavailable on %s without a library path, and says why', async (platform, name) => {
    const store = createWindowsHelloStore({ platform });
    const info = await store.info();
    expect(info).toMatchObject({
      id: 'windows-hello',
      kind: 'windows-hello',
      status: 'unavailable',
      count: null,
    });
    expect(info.reason).toContain(`this computer runs ${name}`);
    expect(info.manage?.link).toBe('ms-settings:savedpasskeys');
    await expect(store.list()).rejects.toMatchObject({ code: 'STORE_UNAVAILABLE' });
  });

  it('on Windows loads webauthn.dll from System32 by absolute path, and reports a load failure as the reason', async () => {
    const info = await createWindowsHelloStore({ platform: 'win32', systemRoot: 'X:\\NoWindows' }).info();
    expect(info.status).toBe('unavailable');
    expect(info.reason).toContain('X:\\NoWindows\\System32\\webauthn.dll');
  });

  it.each([1, 2, 3])('is unavailable at API version %i, naming the version it needs', async (apiVersion) => {
    const info = await storeWith({ apiVersion, credentials: MIXED }).info();
    expect(info.status).toBe('unavailable');
    expect(info.reason).toContain(`API version ${apiVersion}`);
    expect(info.reason).toContain('version 4 or later');
    expect(info.facts).toEqual({ apiVersion });
    expect(fake.stats().gateViolations).toBe(0);
  });

  it('treats a DLL without WebAuthNGetApiVersionNumber as API 1', async () => {
    const oldDll = await buildFakeWebauthn({ withoutApiVersionExport: true });
    fakeWebauthnControl(oldDll).useScenario(writeFakeWebauthnScenario({ apiVersion: 9, credentials: MIXED }));
    const info = await createWindowsHelloStore({ libraryPath: oldDll, platform: 'win32' }).info();
    expect(info).toMatchObject({ status: 'unavailable', facts: { apiVersion: 1 } });
  });

  it('at API 4 reports the count, the API version and Windows Hello availability, with the Settings link', async () => {
    const info = await storeWith({
      apiVersion: 4,
      credentials: MIXED.slice(0, 2),
      userVerifyingPlatformAuthenticator: false,
    }).info();
    expect(info).toMatchObject({
      status: 'available',
      reason: null,
      complete: true,
      count: 2,
      capabilities: { list: true, delete: true, rename: false, create: false, sign: false, restore: false },
      facts: { apiVersion: 4, userVerifyingPlatformAuthenticator: false },
      manage: { link: 'ms-settings:savedpasskeys' },
    });
    expect(info.manage?.steps.length).toBeGreaterThan(0);
  });

  it('at API 9 names the providers and says the list may be incomplete while one is locked', async () => {
    const info = await storeWith({ apiVersion: 9, credentials: MIXED, authenticators: PROVIDERS }).info();
    expect(info).toMatchObject({ status: 'available', complete: false, count: 4 });
    expect(info.facts.providers).toBe('Windows Hello, Contoso Passkeys (locked)');
    expect(info.facts.incomplete).toMatch(/Contoso Passkeys is locked: its passkeys may be missing/);
    const s = fake.stats();
    expect([s.authListAllocs, s.authListFrees, s.credListAllocs, s.credListFrees, s.badFrees]).toEqual([
      1, 1, 1, 1, 0,
    ]);
  });

  it('reports status error, not a throw, when listing fails', async () => {
    const info = await storeWith({ failures: { WebAuthNGetPlatformCredentialList: 0x80090027 } }).info();
    expect(info.status).toBe('error');
    expect(info.reason).toContain('0x80090027');
  });
});

describe('Windows Hello store: inventory', () => {
  it('lists passkeys with provider names, AAGUIDs of known providers and removability', async () => {
    const passkeys = await storeWith({ apiVersion: 9, credentials: MIXED, authenticators: PROVIDERS }).list();
    expect(passkeys).toHaveLength(4);
    expect(passkeys[0]).toEqual({
      store: 'windows-hello',
      storeKind: 'windows-hello',
      credentialId: toBase64url(bytes(1)),
      rpId: 'example.com',
      userHandle: toBase64url(bytes(100, 8)),
      userName: 'ada@example.com',
      userDisplayName: 'Ada',
      nickname: null,
      createdAt: null,
      lastUsedAt: null,
      algorithm: null,
      aaguid: '08090a0b-0c0d-0e0f-1011-121314151617',
      providerName: 'Windows Hello',
      backupEligible: null,
      backedUp: null,
      discoverable: null,
      removable: true,
    });
    expect(passkeys[1]).toMatchObject({
      userDisplayName: 'Jürgen Müller 🔑',
      backedUp: true,
      removable: false,
    });
    expect(passkeys[3]).toMatchObject({
      providerName: 'Contoso Passkeys',
      aaguid: 'd0d1d2d3-d4d5-d6d7-d8d9-dadbdcdddedf',
      removable: false,
    });
  });

  it('filters by RP ID', async () => {
    const passkeys = await storeWith({ credentials: MIXED }).listForRp('example.com');
    expect(passkeys.map((p) => p.credentialId)).toEqual([toBase64url(bytes(1)), toBase64url(bytes(4))]);
  });

  it('lists an empty Windows Hello as no passkeys', async () => {
    const store = storeWith({ credentials: [] });
    expect(await store.list()).toEqual([]);
    expect((await store.info()).count).toBe(0);
  });

  it('lists the provider list as null before API 9, and decodes it at API 9', async () => {
    expect(await storeWith({ apiVersion: 8, credentials: MIXED }).authenticators()).toBeNull();
    const providers = await storeWith({ apiVersion: 9, authenticators: PROVIDERS }).authenticators();
    expect(providers?.map((p) => [p.name, p.locked])).toEqual([
      ['Windows Hello', false],
      ['Contoso Passkeys', true],
    ]);
  });
});

describe('Windows Hello store: delete', () => {
  it('deletes a removable passkey; the next list no longer has it', async () => {
    const store = storeWith({ credentials: MIXED });
    await store.delete(toBase64url(bytes(1)));
    expect((await store.list()).map((p) => p.credentialId)).not.toContain(toBase64url(bytes(1)));
    expect(fake.trace()).toContain('DeletePlatformCredential cb=16');
    const s = fake.stats();
    expect(s.credListAllocs).toBe(s.credListFrees);
  });

  it('refuses a passkey Windows marks as not removable, and says where to manage it', async () => {
    const store = storeWith({ credentials: MIXED });
    const e = await rejection(store.delete(toBase64url(bytes(4))));
    expect(e.code).toBe('NOT_REMOVABLE');
    expect(e.message).toContain('Contoso Passkeys');
    expect(e.details?.manage).toMatchObject({ link: 'ms-settings:savedpasskeys' });
    const hello = await rejection(store.delete(toBase64url(bytes(2))));
    expect(hello.message).toContain('Settings → Accounts → Passkeys');
    expect(fake.trace().some((l) => l.startsWith('DeletePlatformCredential'))).toBe(false);
  });

  it('answers NOT_FOUND for an unknown ID and INVALID_INPUT for a malformed one', async () => {
    const store = storeWith({ credentials: MIXED });
    expect((await rejection(store.delete(toBase64url(bytes(77))))).code).toBe('NOT_FOUND');
    expect((await rejection(store.delete('not base64url!'))).code).toBe('INVALID_INPUT');
  });

  it('maps a refused delete to the shared code and keeps the HRESULT in the details', async () => {
    const store = storeWith({
      credentials: MIXED,
      failures: { WebAuthNDeletePlatformCredential: 0x80070005 },
    });
    const e = await rejection(store.delete(toBase64url(bytes(1))));
    expect(e.code).toBe('OPERATION_DENIED');
    expect(e.details).toMatchObject({ function: 'WebAuthNDeletePlatformCredential', hresult: '0x80070005' });
  });

  it('reports a passkey deleted elsewhere between list and delete as NOT_FOUND', async () => {
    const store = storeWith({
      credentials: MIXED,
      failures: { WebAuthNDeletePlatformCredential: 0x80090011 },
    });
    expect((await rejection(store.delete(toBase64url(bytes(1))))).code).toBe('NOT_FOUND');
  });
});

describe('loading the stand-in the way a CLI child process does', () => {
  it('reads the scenario named by FAKE_WEBAUTHN_SCENARIO when no path was set in process', async () => {
    const path = writeFakeWebauthnScenario({ apiVersion: 4, credentials: MIXED.slice(0, 1) });
    fake.useScenario(null);
    process.env.FAKE_WEBAUTHN_SCENARIO = path;
    try {
      expect((await createWindowsHelloStore({ libraryPath }).list()).map((p) => p.rpId)).toEqual([
        'example.com',
      ]);
    } finally {
      delete process.env.FAKE_WEBAUTHN_SCENARIO;
    }
  });
});
