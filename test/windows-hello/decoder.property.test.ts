import fc from 'fast-check';
import { describe, expect, it } from 'vitest';

import { isPasskeyDeskError } from '../../src/shared/errors';
import { decodeAssertion } from '../../src/main/stores/windows-hello/get-assertion';
import {
  decodeCredentialDetails,
  decodeCredentialDetailsList,
} from '../../src/main/stores/windows-hello/decode-credentials';
import { decodeAuthenticatorList } from '../../src/main/stores/windows-hello/decode-authenticators';
import { FakeMemory, OutOfBounds, setPtr } from './fake-memory';

/** CREDENTIAL_DETAILS bytes per dwVersion as the DLL allocates them (v1–2: 40, v3–4: 72; "v5+" a longer future block). */
const sizeOf = (v: number): number => (v <= 2 ? 40 : v <= 4 ? 72 : 80);
const text = fc.string({ unit: 'binary', maxLength: 40 }).filter((s) => !s.includes('\0'));
const optionalText = fc.option(text, { nil: null });

const entry = fc.record({
  version: fc.integer({ min: 1, max: 9 }),
  credentialId: fc.uint8Array({ minLength: 1, maxLength: 128 }),
  rpId: text.filter((s) => s.length > 0),
  rpName: optionalText,
  user: fc.option(
    fc.record({ id: fc.uint8Array({ maxLength: 64 }), name: optionalText, displayName: optionalText }),
    { nil: null },
  ),
  removable: fc.boolean(),
  backedUp: fc.boolean(),
  authenticatorName: optionalText,
  logo: fc.option(fc.uint8Array({ maxLength: 64 }), { nil: null }),
  thirdParty: fc.boolean(),
  transports: fc.integer({ min: 0, max: 0x7f }),
});
type Entry = typeof entry extends fc.Arbitrary<infer T> ? T : never;

/** Lays an entry out as the DLL would: a details block of exactly its version's size, fields of that version only. */
function place(memory: FakeMemory, e: Entry): bigint {
  const d = memory.alloc(sizeOf(e.version));
  d.view.setUint32(0, e.version, true);
  d.view.setUint32(4, e.credentialId.length, true);
  setPtr(d.view, 8, memory.bytesBlock(e.credentialId));
  const rp = memory.alloc(32);
  rp.view.setUint32(0, 1, true);
  setPtr(rp.view, 8, memory.stringBlock(e.rpId));
  if (e.rpName !== null) setPtr(rp.view, 16, memory.stringBlock(e.rpName));
  setPtr(d.view, 16, rp.address);
  if (e.user) {
    const u = memory.alloc(40);
    u.view.setUint32(0, 1, true);
    u.view.setUint32(4, e.user.id.length, true);
    setPtr(u.view, 8, memory.bytesBlock(e.user.id));
    if (e.user.name !== null) setPtr(u.view, 16, memory.stringBlock(e.user.name));
    if (e.user.displayName !== null) setPtr(u.view, 32, memory.stringBlock(e.user.displayName));
    setPtr(d.view, 24, u.address);
  }
  d.view.setInt32(32, e.removable ? 1 : 0, true);
  if (e.version >= 2) d.view.setInt32(36, e.backedUp ? 1 : 0, true);
  if (e.version >= 3) {
    if (e.authenticatorName !== null) setPtr(d.view, 40, memory.stringBlock(e.authenticatorName));
    if (e.logo) {
      d.view.setUint32(48, e.logo.length, true);
      setPtr(d.view, 56, memory.bytesBlock(e.logo));
    }
    d.view.setInt32(64, e.thirdParty ? 1 : 0, true);
  }
  if (e.version >= 4) d.view.setUint32(68, e.transports, true);
  return d.address;
}

describe('CREDENTIAL_DETAILS decoder bounds (property)', () => {
  it('never reads past the block its dwVersion implies, and round-trips every field that version has', () => {
    fc.assert(
      fc.property(entry, (e) => {
        const memory = new FakeMemory();
        const got = decodeCredentialDetails(memory, place(memory, e));
        expect(got.detailsVersion).toBe(e.version);
        expect(Array.from(got.credentialId)).toEqual(Array.from(e.credentialId));
        expect(got.rpId).toBe(e.rpId);
        expect(got.rpName).toBe(e.rpName);
        expect(got.userName).toBe(e.user?.name ?? null);
        expect(got.userDisplayName).toBe(e.user?.displayName ?? null);
        expect(got.removable).toBe(e.removable);
        expect(got.backedUp).toBe(e.version >= 2 ? e.backedUp : null);
        expect(got.authenticatorName).toBe(e.version >= 3 ? e.authenticatorName : null);
        expect(got.thirdPartyPayment).toBe(e.version >= 3 ? e.thirdParty : null);
        expect(got.transports === null).toBe(e.version < 4);
      }),
      { numRuns: 500 },
    );
  });

  it('decodes lists of mixed versions (an array of pointers), whatever the count', () => {
    fc.assert(
      fc.property(fc.array(entry, { maxLength: 24 }), (entries) => {
        const memory = new FakeMemory();
        const pointers = memory.alloc(Math.max(1, entries.length * 8)); // exactly count pointers
        entries.forEach((e, i) => setPtr(pointers.view, i * 8, place(memory, e)));
        const list = memory.alloc(16);
        list.view.setUint32(0, entries.length, true);
        setPtr(list.view, 8, pointers.address);
        expect(decodeCredentialDetailsList(memory, list.address).map((c) => c.rpId)).toEqual(
          entries.map((e) => e.rpId),
        );
      }),
      { numRuns: 200 },
    );
  });

  it('turns any garbage in a details block into a PasskeyDeskError or a result — never a read past the block', () => {
    fc.assert(
      fc.property(
        fc.integer({ min: 0, max: 12 }),
        fc.uint8Array({ minLength: 80, maxLength: 80 }),
        (version, garbage) => {
          const memory = new FakeMemory();
          const d = memory.alloc(sizeOf(version));
          d.data.set(garbage.subarray(0, d.data.length));
          d.view.setUint32(0, version, true);
          try {
            decodeCredentialDetails(memory, d.address);
          } catch (e) {
            if (isPasskeyDeskError(e)) {
              expect(e.details?.bug).toBeUndefined(); // StructView caught the binding reading past a block
              return;
            }
            // Garbage pointers lead elsewhere; what must never happen is reading the details block itself out of bounds.
            expect(e).toBeInstanceOf(OutOfBounds);
            expect((e as OutOfBounds).overrun).toBe(false);
          }
        },
      ),
      { numRuns: 500 },
    );
  });

  it('rejects impossible lengths and counts before reading them', () => {
    fc.assert(
      fc.property(fc.integer({ min: 1024, max: 0xffffffff }), (length) => {
        const memory = new FakeMemory();
        const d = memory.alloc(40);
        d.view.setUint32(0, 1, true);
        d.view.setUint32(4, length, true);
        setPtr(d.view, 8, memory.bytesBlock(new Uint8Array(4)));
        expect(() => decodeCredentialDetails(memory, d.address)).toThrow(/at most 1023 are expected/);
      }),
    );
    const memory = new FakeMemory();
    const list = memory.alloc(16);
    list.view.setUint32(0, 0xffffffff, true);
    expect(() => decodeCredentialDetailsList(memory, list.address)).toThrow(/claims 4294967295 entries/);
    const auth = memory.alloc(16);
    auth.view.setUint32(0, 5000, true);
    expect(() => decodeAuthenticatorList(memory, auth.address)).toThrow(/claims 5000/);
  });
});

describe('WEBAUTHN_ASSERTION decoder bounds (property)', () => {
  const ASSERTION_SIZES = [0, 72, 112, 120, 128, 136, 168];
  it('reads only the fields of the version it is given', () => {
    fc.assert(
      fc.property(
        fc.integer({ min: 1, max: 6 }),
        fc.uint8Array({ minLength: 1, maxLength: 64 }),
        fc.uint8Array({ minLength: 37, maxLength: 64 }),
        (version, id, authData) => {
          const memory = new FakeMemory();
          const a = memory.alloc(ASSERTION_SIZES[version]!);
          a.view.setUint32(0, version, true);
          a.view.setUint32(4, authData.length, true);
          setPtr(a.view, 8, memory.bytesBlock(authData));
          a.view.setUint32(16, 3, true);
          setPtr(a.view, 24, memory.bytesBlock(new Uint8Array([1, 2, 3])));
          a.view.setUint32(36, id.length, true);
          setPtr(a.view, 40, memory.bytesBlock(id));
          const got = decodeAssertion(memory, a.address);
          expect(Array.from(got.credentialId)).toEqual(Array.from(id));
          expect(got.usedTransport === null).toBe(version < 4);
          expect(got.clientDataJSON).toBeNull();
        },
      ),
      { numRuns: 300 },
    );
  });
});
