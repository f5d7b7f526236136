import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { PasskeyDeskError } from '../../src/shared/errors';
import { parseImport } from '../../src/shared/imports/parse';
import { readPkcs8 } from '../../src/shared/imports/pkcs8';
import { fixtureBytes, fixtureJson } from './helpers';

/**
 * No input crashes a parser: every outcome is a parsed result or a PasskeyDeskError with an import code.
 * Inputs: random bytes and text, random JSON, and the real fixtures with random parts replaced or removed
 * (the inputs most likely to reach deep code paths).
 */

const IMPORT_CODES = new Set(['IMPORT_INVALID', 'IMPORT_ENCRYPTED', 'IMPORT_TOO_LARGE']);

function outcome(input: string | Uint8Array): 'ok' | 'error' {
  try {
    const parsed = parseImport(input, { fileName: 'fuzz.json', storeId: 'export:fuzz' });
    expect(parsed.passkeys.length).toBeGreaterThan(0);
    return 'ok';
  } catch (e) {
    if (!(e instanceof PasskeyDeskError)) throw e;
    expect(IMPORT_CODES.has(e.code), e.message).toBe(true);
    expect(e.message).toContain('fuzz.json');
    return 'error';
  }
}

/** Replaces or deletes one value somewhere in a document, at a path chosen by `choices`. */
function mutate(doc: unknown, choices: number[], replacement: unknown, remove: boolean): unknown {
  if (choices.length === 0 || doc === null || typeof doc !== 'object') return replacement;
  const [choice, ...rest] = choices as [number, ...number[]];
  if (Array.isArray(doc)) {
    if (doc.length === 0) return doc;
    const i = choice % doc.length;
    const copy: unknown[] = [...doc];
    if (remove && rest.length === 0) copy.splice(i, 1);
    else copy[i] = mutate(copy[i], rest, replacement, remove);
    return copy;
  }
  const copy: Record<string, unknown> = { ...(doc as Record<string, unknown>) };
  const keys = Object.keys(copy);
  if (keys.length === 0) return copy;
  const key = keys[choice % keys.length]!;
  if (remove && rest.length === 0) delete copy[key];
  else copy[key] = mutate(copy[key], rest, replacement, remove);
  return copy;
}

const FIXTURES = [
  'bitwarden.json',
  'cxf.json',
  'keepassxc-es256.passkey',
  'keepassxc-eddsa.passkey',
  'keepassxc-rs256.passkey',
];
const docs: unknown[] = FIXTURES.map((name) => fixtureJson(name));

describe('parsers never crash (fast-check)', () => {
  it('on random bytes', () => {
    fc.assert(
      fc.property(fc.uint8Array({ maxLength: 512 }), (bytes) => void outcome(bytes)),
      { numRuns: 500 },
    );
  });

  it('on random text', () => {
    fc.assert(
      fc.property(fc.string({ unit: 'grapheme', maxLength: 300 }), (text) => void outcome(text)),
      { numRuns: 500 },
    );
  });

  it('on random JSON documents', () => {
    fc.assert(
      fc.property(fc.jsonValue({ maxDepth: 6 }), (value) => void outcome(JSON.stringify(value))),
      { numRuns: 500 },
    );
  });

  it('on random JSON shaped like each format', () => {
    const small = fc.oneof(
      fc.jsonValue({ maxDepth: 1 }),
      fc.constantFrom('passkey', 'example.com', 'AAAA', 'b64.AAAA', '0', 'true', '2024-01-01T00:00:00Z'),
    );
    const shaped = fc.oneof(
      fc.record({
        items: fc.array(
          fc.record({
            type: small,
            login: fc.record({
              fido2Credentials: fc.array(
                fc.dictionary(
                  fc.constantFrom(
                    'credentialId',
                    'rpId',
                    'keyValue',
                    'counter',
                    'userHandle',
                    'discoverable',
                    'creationDate',
                  ),
                  small,
                ),
                { maxLength: 4 },
              ),
            }),
          }),
          { maxLength: 4 },
        ),
      }),
      fc.record({
        accounts: fc.array(
          fc.record({
            items: fc.array(
              fc.record({
                creationAt: small,
                credentials: fc.array(
                  fc.dictionary(
                    fc.constantFrom('type', 'credentialId', 'rpId', 'key', 'userHandle', 'username'),
                    small,
                  ),
                  { maxLength: 4 },
                ),
              }),
              { maxLength: 4 },
            ),
          }),
          { maxLength: 3 },
        ),
      }),
      fc.dictionary(
        fc.constantFrom('relyingParty', 'credentialId', 'privateKey', 'userHandle', 'username', 'url'),
        small,
      ),
    );
    fc.assert(
      fc.property(shaped, (doc) => void outcome(JSON.stringify(doc))),
      { numRuns: 500 },
    );
  });

  it('on real fixtures with one value replaced or removed', () => {
    const replacement = fc.oneof(
      fc.jsonValue({ maxDepth: 2 }),
      fc.constantFrom<unknown>(
        '',
        'b64.',
        'b64.!!',
        '-----BEGIN PRIVATE KEY-----\n-----END PRIVATE KEY-----',
        '2.a|b|c',
        'AAAA',
        -1,
        1e300,
        'true',
      ),
    );
    fc.assert(
      fc.property(
        fc.nat(docs.length - 1),
        fc.array(fc.nat(), { minLength: 1, maxLength: 8 }),
        replacement,
        fc.boolean(),
        (d, path, value, remove) => {
          void outcome(JSON.stringify(mutate(docs[d], path, value, remove)));
        },
      ),
      { numRuns: 2000 },
    );
  });

  it('on real fixtures cut at any point', () => {
    const files = FIXTURES.map(fixtureBytes);
    fc.assert(
      fc.property(fc.nat(files.length - 1), fc.nat(), (f, at) => {
        const bytes = files[f]!;
        void outcome(bytes.subarray(0, at % bytes.length));
      }),
      { numRuns: 500 },
    );
  });

  it('readPkcs8 never throws on random DER-ish bytes', () => {
    const derish = fc.oneof(
      fc.uint8Array({ maxLength: 200 }),
      fc.uint8Array({ maxLength: 200 }).map((b) => Uint8Array.from([0x30, 0x81, b.length, ...b])),
    );
    fc.assert(
      fc.property(derish, (bytes) => void readPkcs8(bytes)),
      { numRuns: 2000 },
    );
  });
});
