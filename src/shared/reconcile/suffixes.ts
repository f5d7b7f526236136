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
  private readonly hashes: Int32Array;
  /** Passkeys per hash bucket, capped at 2: a bucket holding one cannot hold a repeat. */
  private readonly buckets: Uint8Array;
  private readonly mask: number;
  private firstStore: Map<string, string> | null = null;
  private counts: Map<string, number> | null = null;

  constructor(n: number) {
    // About 16 buckets per passkey: a few percent of the keys share a bucket with another key.
    let bits = 4;
    while (bits < MAX_BITS && 1 << bits < n * 16) bits++;
    this.mask = (1 << bits) - 1;
    this.buckets = new Uint8Array(1 << bits);
    this.hashes = new Int32Array(n);
  }

  /** First pass, any order: counts passkey `i`'s key by its keyHash. */
  add(i: number, hash: number): void {
    const h = hash & this.mask;
    this.hashes[i] = h;
    if (this.buckets[h]! < 2) this.buckets[h]!++;
  }

  /** Second pass, in input order: the suffix of passkey `i`. */
  of(i: number, store: string, key: string): string {
    if (this.buckets[this.hashes[i]!]! < 2) return '';
    const firstStore = (this.firstStore ??= new Map<string, string>());
    const had = firstStore.get(key);
    if (had === undefined) {
      firstStore.set(key, store);
      return '';
    }
    // The key was seen before: count per (store, key); the first occurrence in each store keeps the bare key.
    const counts = (this.counts ??= new Map<string, number>());
    const k = store + SEP + key;
    const n = (counts.get(k) ?? (had === store ? 1 : 0)) + 1;
    counts.set(k, n);
    return n === 1 ? '' : `#${n}`;
  }
}

keepShape(new Suffixes(0));
