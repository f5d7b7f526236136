import { beforeAll, beforeEach, describe, expect, it } from 'vitest';

import { toBase64url } from '../../src/shared/base64url';
import { PasskeyDeskError } from '../../src/shared/errors';
import { koffiMemory } from '../../src/main/stores/windows-hello/koffi-memory';
import { openWebAuthn } from '../../src/main/stores/windows-hello/library';
import { listPlatformCredentials } from '../../src/main/stores/windows-hello/platform-credentials';
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

function list(scenario: FakeScenario, rpId: string | null = null) {
  fake.useScenario(writeFakeWebauthnScenario(scenario));
  return listPlatformCredentials(openWebAuthn(libraryPath), koffiMemory, rpId);
}

function expectFreedOnce(lists: number): void {
  const s = fake.stats();
  expect({
    allocs: s.credListAllocs,
    frees: s.credListFrees,
    bad: s.badFrees,
    gate: s.gateViolations,
  }).toEqual({
    allocs: lists,
    frees: lists,
    bad: 0,
    gate: 0,
  });
}

describe('WebAuthNGetPlatformCredentialList through the real binding', () => {
  it('decodes each entry by its own dwVersion (v1–v4), including non-ASCII UTF-16 names', () => {
    const got = list({ apiVersion: 9, credentials: MIXED });
    expect(got.map((c) => c.detailsVersion)).toEqual([1, 2, 3, 4]);
    const [v1, v2, v3, v4] = got;
    expect(v1).toMatchObject({
      rpId: 'example.com',
      rpName: 'Example',
      userName: 'ada@example.com',
      removable: true,
      backedUp: null,
      authenticatorName: null,
      transports: null,
      thirdPartyPayment: null,
    });
    expect(v2).toMatchObject({
      rpId: 'bücher.example',
      userDisplayName: 'Jürgen Müller 🔑',
      backedUp: true,
      removable: false,
      authenticatorName: null,
    });
    expect(v3).toMatchObject({
      rpName: '例え',
      userName: '山田',
      userDisplayName: '山田 太郎',
      authenticatorName: 'Windows Hello',
      thirdPartyPayment: true,
      transports: null,
    });
    expect(new TextDecoder().decode(v3!.authenticatorLogo)).toBe('<svg/>');
    expect(v4).toMatchObject({
      authenticatorName: 'Contoso Passkeys',
      transports: ['internal', 'hybrid'],
      removable: false,
    });
    expect(got.map((c) => toBase64url(c.credentialId))).toEqual(
      MIXED.map((c) => toBase64url(c.credentialId)),
    );
    expect(Array.from(v3!.userId!)).toEqual(Array.from(bytes(120, 64)));
    expectFreedOnce(1);
  });

  it('passes the RP ID filter as UTF-16 and returns only that RP', () => {
    const got = list({ credentials: MIXED }, 'bücher.example');
    expect(got.map((c) => c.rpId)).toEqual(['bücher.example']);
    expect(fake.trace()).toContain('GetPlatformCredentialList version=1 rpId=bücher.example private=0');
    expectFreedOnce(1);
  });

  it('treats NTE_NOT_FOUND as an empty list, with nothing to free', () => {
    expect(list({ credentials: [] })).toEqual([]);
    expect(list({ credentials: MIXED }, 'nobody.example')).toEqual([]);
    expectFreedOnce(0);
  });

  it('maps a failing call to a shared error that names the function and the HRESULT', () => {
    let error: unknown;
    try {
      list({ failures: { WebAuthNGetPlatformCredentialList: 0x80070005 } });
    } catch (e) {
      error = e;
    }
    expect(error).toBeInstanceOf(PasskeyDeskError);
    expect((error as PasskeyDeskError).code).toBe('OPERATION_DENIED');
    expect((error as PasskeyDeskError).message).toContain(
      'WebAuthNGetPlatformCredentialList returned 0x80070005',
    );
    expectFreedOnce(0);
  });

  it('frees the list exactly once when an entry cannot be decoded', () => {
    const broken = [...MIXED, { version: 0, credentialId: bytes(9), rpId: 'broken.example' }];
    expect(() => list({ credentials: broken })).toThrow(/dwVersion is 0/);
    expectFreedOnce(1);
  });

  it('reads only the v4 prefix of a newer entry version (the fake allocates 80 bytes for a "v5")', () => {
    const got = list({
      credentials: [
        {
          version: 5,
          credentialId: bytes(5),
          rpId: 'future.example',
          authenticatorName: 'Windows Hello',
          transports: 0x10,
        },
      ],
    });
    expect(got[0]).toMatchObject({
      detailsVersion: 5,
      transports: ['internal'],
      authenticatorName: 'Windows Hello',
    });
    expectFreedOnce(1);
  });

  it('frees every list of a thousand entries once, over repeated reads', () => {
    const many = Array.from({ length: 1000 }, (_, i) => ({
      version: 1 + (i % 4),
      credentialId: bytes(i, 32),
      rpId: `rp${i}.example`,
      userName: `ü${i}`,
    }));
    fake.useScenario(writeFakeWebauthnScenario({ credentials: many }));
    const lib = openWebAuthn(libraryPath);
    for (let i = 0; i < 5; i++) expect(listPlatformCredentials(lib, koffiMemory, null)).toHaveLength(1000);
    expectFreedOnce(5);
  });

  it('never calls the list export below API 4', () => {
    fake.useScenario(writeFakeWebauthnScenario({ apiVersion: 3, credentials: MIXED }));
    const lib = openWebAuthn(libraryPath);
    expect(lib.apiVersion).toBe(3);
    expect(() => listPlatformCredentials(lib, koffiMemory, null)).toThrow(
      /needs webauthn.dll API version 4 or later; this Windows reports 3/,
    );
    expect(fake.stats().gateViolations).toBe(0);
    expect(fake.trace().some((l) => l.startsWith('GetPlatformCredentialList'))).toBe(false);
  });
});
