/**
 * Row keys must be unique: `local:<store>:<credential key>`, and only a store that lists one credential twice
 * (an export) needs a suffix (`#2`, `#3`, in input order). Nearly every key is unique, so rather than a map over
 * every key (100,000 entries at the benchmark size) a table of hash counts finds the few keys that might repeat;
 * only those go through the exact bookkeeping. A hash collision only costs a map entry, never a wrong suffix:
 * equal keys always land in one bucket, so every key that repeats is seen by the exact pass.
 */
import { SEP } from './indexes';
import { keepShape } from './shapes';

const MAX_BITS = 24;

export class Suffixes {
  /** Per passkey, its bucket. */
  private readonly buckets: Int32Array;
  /**
   * Passkeys per bucket, capped at 2 (a bucket holding one cannot hold a repeat): two bits per bucket, sixteen
   * buckets to a word. A byte per bucket made the table 16 bytes per passkey (2 MB at 100,000), and each look-up
   * a cache miss; at 4 bytes per passkey it stays in the processor's cache.
   */
  private readonly counts: Uint32Array;
  private readonly mask: number;
  private firstStore: Map<string, string> | null = null;
  private repeats: Map<string, number> | null = null;

  constructor(n: number) {
    // About 16 buckets per passkey: a few percent of the keys share a bucket with another key.
    let bits = 4;
    while (bits < MAX_BITS && 1 << bits < n * 16) bits++;
    this.mask = (1 << bits) - 1;
    this.counts = new Uint32Array(1 << (bits - 4));
    this.buckets = new Int32Array(n);
  }

  /** First pass, any order: counts passkey `i`'s key by its keyHash. */
  add(i: number, hash: number): void {
    const b = hash & this.mask;
    this.buckets[i] = b;
    const w = b >>> 4;
    const shift = (b & 15) << 1;
    const word = this.counts[w]!;
    const count = (word >>> shift) & 3;
    if (count < 2) this.counts[w] = word + (1 << shift);
  }

  /** Second pass, in input order: the suffix of passkey `i`. */
  of(i: number, store: string, key: string): string {
    const b = this.buckets[i]!;
    if (((this.counts[b >>> 4]! >>> ((b & 15) << 1)) & 3) < 2) return '';
    const firstStore = (this.firstStore ??= new Map<string, string>());
    const had = firstStore.get(key);
    if (had === undefined) {
      firstStore.set(key, store);
      return '';
    }
    // The key was seen before: count per (store, key); the first occurrence in each store keeps the bare key.
    const repeats = (this.repeats ??= new Map<string, number>());
    const k = store + SEP + key;
    const n = (repeats.get(k) ?? (had === store ? 1 : 0)) + 1;
    repeats.set(k, n);
    return n === 1 ? '' : `#${n}`;
  }
}

keepShape(new Suffixes(0));
