/**
 * How many keys fall in each hash bucket, capped at 2: enough to tell a key that is alone (most of them) from
 * one that might repeat, without a map over every key. Two bits a bucket, sixteen buckets to a word: sized at
 * about 16 buckets per key, that is 4 bytes a key, so the table stays in the processor's cache (a byte per
 * bucket made it 16 bytes a key, and each look-up a cache miss). Equal keys always share a bucket, so a key
 * whose bucket counts 1 is certainly alone; a count of 2 only says "perhaps not", for an exact check.
 */
import { keepShape } from './shapes';

const MAX_BITS = 24;

export class BucketCounts {
  private readonly words: Uint32Array;
  private readonly mask: number;

  constructor(keys: number) {
    let bits = 4;
    while (bits < MAX_BITS && 1 << bits < keys * 16) bits++;
    this.mask = (1 << bits) - 1;
    this.words = new Uint32Array(1 << (bits - 4));
  }

  /** Counts a key by its hash; returns its bucket. */
  add(hash: number): number {
    const b = hash & this.mask;
    const w = b >>> 4;
    const shift = (b & 15) << 1;
    const word = this.words[w]!;
    if (((word >>> shift) & 3) < 2) this.words[w] = word + (1 << shift);
    return b;
  }

  bucket(hash: number): number {
    return hash & this.mask;
  }

  /** More than one key fell in this bucket: a key there may repeat. */
  shared(b: number): boolean {
    return ((this.words[b >>> 4]! >>> ((b & 15) << 1)) & 3) === 2;
  }
}

keepShape(new BucketCounts(0));
