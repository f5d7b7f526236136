/** Challenges: 32 bytes, the issue time first (so the challenges table fills in order), 26 random bytes after. */
import { describe, expect, it } from 'vitest';
import { newChallenge } from '../../src/server/flows/challenge-of';
import { toBase64url } from '../../src/shared/base64url';

describe('newChallenge', () => {
  it('leads with the issue time and is random after it', () => {
    const now = Date.UTC(2026, 10, 26, 12, 0, 0, 123);
    const a = Buffer.from(newChallenge(now));
    const b = Buffer.from(newChallenge(now));
    expect(a).toHaveLength(32);
    expect(a.readUIntBE(0, 6)).toBe(now);
    expect(a.subarray(0, 6).equals(b.subarray(0, 6))).toBe(true);
    // 26 random bytes: two draws never agree.
    expect(a.subarray(6).equals(b.subarray(6))).toBe(false);
  });

  it('gives challenges issued within 64 ms the same first seven base64url characters', () => {
    const base = Math.floor(Date.UTC(2026, 10, 26, 12) / 64) * 64; // the start of a 64 ms block
    const texts = [0, 17, 40, 63].map((ms) => toBase64url(newChallenge(base + ms)));
    for (const t of texts) expect(t).toMatch(/^[A-Za-z0-9_-]{43}$/);
    expect(new Set(texts.map((t) => t.slice(0, 7))).size).toBe(1);
    expect(new Set(texts).size).toBe(texts.length);
  });
});
