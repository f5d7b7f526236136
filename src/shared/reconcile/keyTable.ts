/**
 * Credential key → the chain of server entries with that key, as an open-addressing hash table over typed
 * arrays. A `Map` with 100,000 string keys spends most of a lookup on cache misses (bucket, entry, key string,
 * its hash); here a probe reads two adjacent ints, and the key string is compared only when the full 32-bit
 * hashes agree. Heads are numbered in the order their key was first inserted, so iterating them gives the
 * same order a `Map` would.
 */

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
    let size = 16;
    while (size < expected * 2) size *= 2;
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
        if (this.heads.length * 2 > this.mask + 1) this.grow();
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
