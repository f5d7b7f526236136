/**
 * Memoised sentences. Rows of one account in one store share their words; building them once per (account,
 * store) instead of once per row keeps a 100,000-row reconcile from building, hashing and keeping a fresh
 * explanation for every row. One instance per reconcile call.
 *
 * A sentence is keyed by (owner, sub, tag): `owner` an account, or the "who" string when the passkey's user name
 * is not the account's or no account covers the row (or '' for sentences that name only a store); `sub` a store
 * id, a provider name or '' (its number in the reconcile's StoreTable), or for duplicates the keeper's index;
 * `tag` what the sentence is. The first row to ask for a key words it; every later row with that key shares it.
 *
 * The keys are three small integers (an account's owner number is its index, a "who" string gets the next
 * negative number, a duplicate group GROUP_OWNERS + its leader's index), kept in an open-addressing table over
 * an Int32Array: a key costs the collector nothing.
 * An object per (owner, sub) pair, as before, was mostly one row's worth (an account has one or two passkeys
 * per store), and at 100,000 rows those objects were a fifth of what the scavenger copied.
 * A lookup gives a cell; callers read its value and word it only when it is undefined, so a hit allocates
 * nothing (no callback, no composite key).
 */
import type { Words } from './explain';
import { keepShape } from './shapes';

/* The tags: what a memoised value is. */
export const SYNCED = 0;
export const LOCAL_ORPHAN = 1;
export const UNMANAGED = 2;
export const SERVER_ORPHAN = 3;
/** A Map from the provider name the server gives (or '') to the `elsewhere` words. */
export const ELSEWHERE = 4;
export const DELETE_TEXT = 5;
export const OPEN_TEXT = 6;
export const REVOKE_TEXT = 7;
export const CONNECT_TEXT = 8;
export const RENAME_TEXT = 9;
export const MARK_TEXT = 10;
/** Duplicates: sub is the keeper's index; one tag per "this one is accepted". */
export const DUPLICATE = 11;
export const DUPLICATE_ACCEPTED = 12;
/** Server orphans by a mark: sub is the store's label, and a Map from the mark's date to the words. */
export const MARKED = 13;
/** Server orphans still in the vault's trash (restore first). */
export const TRASHED = 14;
const TAG_BITS = 4;

/**
 * Owner numbers of duplicate groups: GROUP_OWNERS + the leader's index. Below every "who" number (-1 down to
 * minus the number of distinct "who" strings, fewer than 2^30), so the two kinds never meet.
 */
export const GROUP_OWNERS = -0x40000000;
/** No owner chosen yet (not an owner number of any kind). */
export const NO_OWNER = 0x7fffffff;

export class Phrases {
  /** Per cell: owner, sub << TAG_BITS | tag, then the value's index + 1 (0: empty). */
  private cells: Int32Array;
  private mask: number;
  /** The memoised values, by the index a cell holds; undefined until worded. */
  private readonly values: unknown[] = [];
  private readonly byWho = new Map<string, number>();
  /** The owner of sentences that name only a store. */
  readonly blank: number;

  constructor(expected = 0) {
    // Filled to three quarters at most: 12 bytes a cell, and probes stay within a cache line or two.
    let size = 1024;
    while (size * 3 < expected * 4) size *= 2;
    this.cells = new Int32Array(size * 3);
    this.mask = size - 1;
    this.blank = this.of('');
  }

  /** The owner number of a "who" string (accounts use their index, from 0 up). */
  of(who: string): number {
    let owner = this.byWho.get(who);
    if (owner === undefined) this.byWho.set(who, (owner = -1 - this.byWho.size));
    return owner;
  }

  /** The cell of (owner, sub, tag): read it with words/text/value, fill it with put. */
  find(owner: number, sub: number, tag: number): number {
    const key = (sub << TAG_BITS) | tag;
    const cells = this.cells;
    let h = Math.imul(owner ^ Math.imul(key, 0x9e3779b1), 0x85ebca6b);
    h ^= h >>> 15;
    for (let i = h & this.mask; ; i = (i + 1) & this.mask) {
      const at = 3 * i;
      const v = cells[at + 2]!;
      if (v === 0) {
        this.values.push(undefined);
        cells[at] = owner;
        cells[at + 1] = key;
        cells[at + 2] = this.values.length;
        if (this.values.length * 4 > (this.mask + 1) * 3) this.grow();
        return this.values.length - 1;
      }
      if (cells[at] === owner && cells[at + 1] === key) return v - 1;
    }
  }

  words(cell: number): Words | undefined {
    return this.values[cell] as Words | undefined;
  }

  text(cell: number): string | undefined {
    return this.values[cell] as string | undefined;
  }

  value<T>(cell: number): T | undefined {
    return this.values[cell] as T | undefined;
  }

  put<T>(cell: number, value: T): T {
    this.values[cell] = value;
    return value;
  }

  private grow(): void {
    const old = this.cells;
    const mask = this.mask * 2 + 1;
    const cells = new Int32Array((mask + 1) * 3);
    for (let j = 0; j < old.length; j += 3) {
      if (old[j + 2] === 0) continue;
      const owner = old[j]!;
      let h = Math.imul(owner ^ Math.imul(old[j + 1]!, 0x9e3779b1), 0x85ebca6b);
      h ^= h >>> 15;
      let i = h & mask;
      while (cells[3 * i + 2] !== 0) i = (i + 1) & mask;
      cells[3 * i] = owner;
      cells[3 * i + 1] = old[j + 1]!;
      cells[3 * i + 2] = old[j + 2]!;
    }
    this.cells = cells;
    this.mask = mask;
  }
}

keepShape(new Phrases());
