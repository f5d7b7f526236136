import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { isPasskeyDeskError } from '../../src/shared/errors';
import type { CborValue } from '../../src/main/stores/security-key/cbor';
import { encodeCanonical } from '../../src/main/stores/security-key/cbor';
import {
  parseCredentialReply,
  parseMetadata,
  parseRpReply,
} from '../../src/main/stores/security-key/credman-parse';
import { CTAP2_STATUS, CtapStatusError, mapCtapStatus } from '../../src/main/stores/security-key/ctap-status';
import { abilitiesOf, parseGetInfo } from '../../src/main/stores/security-key/get-info';

const parsers: Array<[string, (b: Uint8Array) => unknown]> = [
  ['getInfo', parseGetInfo],
  ['metadata', parseMetadata],
  ['rpBegin', (b) => parseRpReply(b, true)],
  ['rpNext', (b) => parseRpReply(b, false)],
  ['credBegin', (b) => parseCredentialReply(b, true)],
  ['credNext', (b) => parseCredentialReply(b, false)],
];

/** CBOR trees shaped like CTAP replies (integer-keyed maps of plausible values), to get past the decoder. */
const cborLeaf: fc.Arbitrary<CborValue> = fc.oneof(
  fc.integer({ min: -1000, max: 100_000 }),
  fc.string({ maxLength: 20 }),
  fc.boolean(),
  fc.uint8Array({ maxLength: 40 }),
);
const cborTree = fc.letrec<{ value: CborValue }>((tie) => ({
  value: fc.oneof(
    { depthSize: 'small' },
    cborLeaf,
    fc.array(tie('value'), { maxLength: 4 }),
    fc
      .array(
        fc.tuple(
          fc.oneof(
            fc.integer({ min: -3, max: 20 }),
            fc.constantFrom('id', 'name', 'displayName', 'type', 'credMgmt', 'clientPin'),
          ),
          tie('value'),
        ),
        { maxLength: 8 },
      )
      .map((entries) => new Map(entries)),
  ),
})).value;

describe('CTAP reply parsers never crash (only typed errors)', () => {
  for (const [name, parse] of parsers) {
    it(`${name}: random bytes`, () => {
      fc.assert(
        fc.property(fc.uint8Array({ maxLength: 300 }), (bytes) => {
          try {
            parse(bytes);
          } catch (e) {
            expect(isPasskeyDeskError(e)).toBe(true);
          }
        }),
        { numRuns: 400 },
      );
    });
    it(`${name}: random CBOR maps`, () => {
      fc.assert(
        fc.property(cborTree, (tree) => {
          try {
            parse(encodeCanonical(tree));
          } catch (e) {
            expect(isPasskeyDeskError(e)).toBe(true);
          }
        }),
        { numRuns: 400 },
      );
    });
  }
});

describe('CTAP reply parsers read real shapes', () => {
  it('getInfo of a 2.1-PRE key (YubiKey 5.2 style) gives the preview command and legacy token', () => {
    const info = parseGetInfo(
      encodeCanonical(
        new Map<number, CborValue>([
          [1, ['U2F_V2', 'FIDO_2_0', 'FIDO_2_1_PRE']],
          [3, new Uint8Array(16).fill(0xab)],
          [
            4,
            new Map([
              ['rk', true],
              ['clientPin', true],
              ['credentialMgmtPreview', true],
            ]),
          ],
          [6, [1]],
        ]),
      ),
    );
    expect(info.aaguid).toBe('abababab-abab-abab-abab-abababababab');
    expect(abilitiesOf(info)).toEqual({
      level: 'ctap2.1-pre',
      credMgmtCommand: 0x41,
      canUpdateUser: false,
      tokenWithPermissions: false,
      pinSet: true,
      pinProtocol: 1,
    });
  });

  it('prefers credMgmt (0x0A) when a key announces both', () => {
    const info = parseGetInfo(
      encodeCanonical(
        new Map<number, CborValue>([
          [1, ['FIDO_2_0', 'FIDO_2_1']],
          [3, new Uint8Array(16)],
          [
            4,
            new Map([
              ['credMgmt', true],
              ['credentialMgmtPreview', true],
              ['pinUvAuthToken', true],
              ['clientPin', false],
            ]),
          ],
          [6, [2, 1]],
        ]),
      ),
    );
    expect(abilitiesOf(info)).toMatchObject({
      credMgmtCommand: 0x0a,
      canUpdateUser: true,
      tokenWithPermissions: true,
      pinSet: false,
      pinProtocol: 2,
    });
  });

  it('encodes maps canonically: major type, then length, then bytes (CTAP 2.1 §8)', () => {
    const bytes = encodeCanonical(
      new Map<number | string, CborValue>([
        [-1, 1],
        ['id', 1],
        [24, 1],
        [3, 1],
        [1, 1],
      ]),
    );
    // keys: 1 (0x01), 3 (0x03), 24 (0x1818), -1 (0x20), "id" (0x626964)
    expect(Buffer.from(bytes).toString('hex')).toBe('a5' + '0101' + '0301' + '181801' + '2001' + '62696401');
  });
});

describe('CTAP status → shared error codes, with words', () => {
  const cases: Array<[number, string, RegExp]> = [
    [CTAP2_STATUS.PIN_INVALID, 'PIN_INVALID', /Wrong PIN/],
    [CTAP2_STATUS.PIN_AUTH_BLOCKED, 'PIN_INVALID', /unplug/i],
    [CTAP2_STATUS.PIN_BLOCKED, 'PIN_BLOCKED', /reset/],
    [CTAP2_STATUS.PIN_NOT_SET, 'PIN_NOT_SET', /no PIN/],
    [CTAP2_STATUS.PUAT_REQUIRED, 'PIN_REQUIRED', /PIN/],
    [CTAP2_STATUS.KEY_STORE_FULL, 'KEY_FULL', /no free slot/],
    [CTAP2_STATUS.OPERATION_DENIED, 'OPERATION_DENIED', /refused/],
    [CTAP2_STATUS.NO_CREDENTIALS, 'NOT_FOUND', /no longer/],
    [CTAP2_STATUS.KEEPALIVE_CANCEL, 'USER_CANCELLED', /cancelled/],
    [CTAP2_STATUS.USER_ACTION_TIMEOUT, 'DEVICE_TIMEOUT', /touch/],
    [CTAP2_STATUS.INVALID_COMMAND, 'UNSUPPORTED', /does not support/],
    [0x7f, 'INTERNAL', /UNKNOWN \(0x7f\)/],
  ];
  for (const [status, code, words] of cases) {
    it(`0x${status.toString(16)} → ${code}`, () => {
      const e = mapCtapStatus(new CtapStatusError(status, 'test'));
      expect(e.code).toBe(code);
      expect(e.message).toMatch(words);
      expect(e.details).toMatchObject({ ctapStatus: status });
    });
  }
  it('wrong PIN says how many tries remain, and warns on the last one', () => {
    expect(mapCtapStatus(new CtapStatusError(0x31, 't'), { retriesLeft: 5 }).message).toMatch(/5 tries left/);
    expect(mapCtapStatus(new CtapStatusError(0x31, 't'), { retriesLeft: 1 }).message).toMatch(/One try left/);
  });
});

describe('canonical encoder', () => {
  it('property: canonical output is stable under decode and re-encode, whatever the insertion order', async () => {
    const { decodeCbor } = await import('../../src/main/stores/security-key/cbor');
    const { toCbor } = await import('../helpers/soft-ctap/authenticator');
    fc.assert(
      fc.property(cborTree, (tree) => {
        const once = encodeCanonical(tree);
        const twice = encodeCanonical(toCbor(decodeCbor(once, 'test')));
        expect(Buffer.from(twice).equals(Buffer.from(once))).toBe(true);
      }),
      { numRuns: 300 },
    );
  });
});
