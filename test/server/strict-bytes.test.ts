/**
 * isCanonicalBase64url (src/shared/base64url.ts, also the reconcile engine's test) decides without decoding what
 * the fast path used to decide by decoding and re-encoding: the two must agree on every text, or the fast path
 * could decide an input SimpleWebAuthn reads differently.
 */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { isCanonicalBase64url } from '../../src/shared/base64url';
import { canonicalBase64url } from '../../src/server/webauthn/strict-bytes';

const byReencoding = (text: string): boolean =>
  text.length % 4 !== 1 &&
  /^[A-Za-z0-9_-]*$/.test(text) &&
  Buffer.from(text, 'base64url').toString('base64url') === text;

const chars = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_=+/. '.split('');

describe('isCanonicalBase64url', () => {
  it('agrees with decoding and re-encoding on encodings, altered last characters and arbitrary text', () => {
    const encoded = fc.uint8Array({ maxLength: 40 }).map((b) => Buffer.from(b).toString('base64url'));
    const altered = fc
      .tuple(encoded, fc.constantFrom(...chars))
      .map(([t, c]) => (t.length ? t.slice(0, -1) + c : c));
    const arbitrary = fc.array(fc.constantFrom(...chars), { maxLength: 12 }).map((a) => a.join(''));
    fc.assert(
      fc.property(fc.oneof(encoded, altered, arbitrary), (text) => {
        expect(isCanonicalBase64url(text)).toBe(byReencoding(text));
        expect(canonicalBase64url(text) !== null).toBe(byReencoding(text));
      }),
      { numRuns: 20_000 },
    );
  });

  it('refuses padding, standard-alphabet characters and non-zero trailing bits', () => {
    expect(isCanonicalBase64url('AQ')).toBe(true); // 0x01
    expect(isCanonicalBase64url('AR')).toBe(false); // trailing bits set
    expect(isCanonicalBase64url('AQ==')).toBe(false);
    expect(isCanonicalBase64url('+/8')).toBe(false);
    expect(isCanonicalBase64url('_-8')).toBe(true);
    expect(isCanonicalBase64url('A')).toBe(false);
    expect(isCanonicalBase64url('')).toBe(true);
  });
});
