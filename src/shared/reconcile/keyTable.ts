/**
 * Credential key → the chain of server entries with that key, as an open-addressing hash table over typed
 * arrays. A `Map` with 100,000 string keys spends most of a lookup on cache misses (bucket, entry, key string,
 * its hash); here a probe reads two adjacent ints, and the key string is compared only when the full 32-bit
 * hashes agree. Heads are numbered in the order their key was first inserted, so iterating them gives the
 * same order a `Map` would.
 */

import { credentialKey } from './credentialKey';
import { keepShape } from './shapes';

/** FNV-1a over the whole key: IDs are random bytes in practice, but raw (invalid) IDs may share long prefixes. */
export function keyHash(key: string): number {
  let h = 0x811c9dc5;
  for (let j = 0; j < key.length; j++) h = Math.imul(h ^ key.charCodeAt(j), 0x01000193);
  return h | 0;
}

interface Keyed {
  key: string;
}

export class KeyTable<T extends Keyed> {
  /** Per slot: the hash, then the head's number + 1 (0: empty). */
  private cells: Int32Array;
  private mask: number;
  /** Heads by number, in first-insertion order. */
  readonly heads: T[] = [];

  constructor(expected: number) {
    // Filled to four fifths at most: 1 MB at 100,000 keys rather than 2, so the table stays in the processor's
    // cache; a probe sequence, even for a key that is absent, stays within a cache line or two.
    let size = 16;
    while (size * 4 < expected * 5) size *= 2;
    this.cells = new Int32Array(size * 2);
    this.mask = size - 1;
  }

  get(key: string, hash: number): T | undefined {
    const cells = this.cells;
    for (let i = hash & this.mask; ; i = (i + 1) & this.mask) {
      const n = cells[2 * i + 1]!;
      if (n === 0) return undefined;
      if (cells[2 * i] === hash) {
        const head = this.heads[n - 1]!;
        if (head.key === key) return head;
      }
    }
  }

  /** Makes `head` the head for its key: replaces the current head, or adds the key. */
  set(head: T, hash: number): void {
    const cells = this.cells;
    for (let i = hash & this.mask; ; i = (i + 1) & this.mask) {
      const n = cells[2 * i + 1]!;
      if (n === 0) {
        this.heads.push(head);
        cells[2 * i] = hash;
        cells[2 * i + 1] = this.heads.length;
        if (this.heads.length * 5 > (this.mask + 1) * 4) this.grow();
        return;
      }
      if (cells[2 * i] === hash && this.heads[n - 1]!.key === head.key) {
        this.heads[n - 1] = head;
        return;
      }
    }
  }

  private grow(): void {
    const old = this.cells;
    this.cells = new Int32Array(old.length * 2);
    this.mask = this.mask * 2 + 1;
    for (let j = 0; j < old.length; j += 2) {
      const n = old[j + 1]!;
      if (n === 0) continue;
      let i = old[j]! & this.mask;
      while (this.cells[2 * i + 1] !== 0) i = (i + 1) & this.mask;
      this.cells[2 * i] = old[j]!;
      this.cells[2 * i + 1] = n;
    }
  }
}

keepShape(new KeyTable(0));

// Each base64url character's 6-bit value, -1 for any other character.
const VALUE = new Int8Array(128).fill(-1);
const ALPHABET = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_';
for (let i = 0; i < ALPHABET.length; i++) VALUE[ALPHABET.charCodeAt(i)] = i;

/** The hash of the key last returned by hashedKey: read it right after the call (no object per call). */
export let lastKeyHash = 0;

/**
 * credentialKey(id), with its keyHash left in `lastKeyHash`. Nearly every ID is canonical base64url and is its
 * own key: one pass then hashes it while checking it (the same test as isCanonicalBase64url), instead of one
 * pass for each. A UUID's length, or anything not canonical, goes the long way: credentialKey, then keyHash.
 */
export function hashedKey(id: string): string {
  const n = id.length;
  const rest = n & 3;
  if (n !== 36 && rest !== 1) {
    let h = 0x811c9dc5;
    let last = 0;
    let i = 0;
    for (; i < n; i++) {
      const c = id.charCodeAt(i);
      const v = c < 128 ? VALUE[c]! : -1;
      if (v < 0) break;
      last = v;
      h = Math.imul(h ^ c, 0x01000193);
    }
    // 2 chars carry 1 byte (4 spare bits), 3 chars carry 2 bytes (2 spare bits): spare bits must be zero.
    if (
      i === n &&
      (rest === 0 || (rest === 2 && (last & 0x0f) === 0) || (rest === 3 && (last & 0x03) === 0))
    ) {
      lastKeyHash = h | 0;
      return id;
    }
  }
  const key = credentialKey(id);
  lastKeyHash = keyHash(key);
  return key;
}
