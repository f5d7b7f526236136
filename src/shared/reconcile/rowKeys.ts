/**
 * Row keys. A row's key is its credential key alone when no other row of the result has that credential key
 * (nearly every row): the key is then the ID string the inputs already hold, and a 100,000-row result builds no
 * string for it. Otherwise it is qualified as before: `local:<store>:<credential key>` (plus `#2`, `#3`… for a
 * store that lists one credential twice, an export) or `server:<account id>:<credential key>`. Either way it
 * depends only on the inventory as a whole, never on the order of the inputs.
 *
 * Whether a key repeats is found without a map over every key (100,000 entries at the benchmark size): hash
 * counts (BucketCounts) find the few keys that might repeat, and only those go through the exact count. A hash
 * collision only costs a map entry, never a wrong key.
 */
import { BucketCounts } from './bucketCounts';
import { SEP } from './indexes';
import { keepShape } from './shapes';

const COLON = 58;

export class RowKeys {
  /** Per passkey, its bucket. */
  private readonly buckets: Int32Array;
  /** Rows per bucket: a key alone in its bucket needs no exact count. */
  private readonly counts: BucketCounts;
  /** Rows per credential key, for the keys whose bucket holds more than one row. */
  private readonly exact = new Map<string, number>();
  private firstStore: Map<string, string> | null = null;
  private repeats: Map<string, number> | null = null;

  /** `locals`: the passkeys; `rows`: every row the result will have (locals and server-only ones). */
  constructor(locals: number, rows: number) {
    this.counts = new BucketCounts(rows);
    this.buckets = new Int32Array(locals);
  }

  /** First pass, any order: passkey `i`'s row, by its key's keyHash. */
  addLocal(i: number, hash: number): void {
    this.buckets[i] = this.counts.add(hash);
  }

  /** A server credential that gets a row of its own (no passkey here matched it), by its key's keyHash. */
  addServer(hash: number): void {
    this.counts.add(hash);
  }

  /** Second pass, once every row is added: the exact count of passkey `i`'s key if its bucket is shared. */
  settleLocal(i: number, key: string): void {
    if (this.counts.shared(this.buckets[i]!)) this.exact.set(key, (this.exact.get(key) ?? 0) + 1);
  }

  settleServer(key: string, hash: number): void {
    if (this.counts.shared(this.counts.bucket(hash))) this.exact.set(key, (this.exact.get(key) ?? 0) + 1);
  }

  /**
   * The key alone names the row: no other row has it, and it cannot be mistaken for a qualified key (those have
   * `:` as their sixth or seventh character; a canonical ID never has a `:`, an invalid one kept raw might).
   */
  private alone(b: number, key: string): boolean {
    return (
      (!this.counts.shared(b) || this.exact.get(key) === 1) &&
      key.charCodeAt(5) !== COLON &&
      key.charCodeAt(6) !== COLON
    );
  }

  bareLocal(i: number, key: string): boolean {
    return this.alone(this.buckets[i]!, key);
  }

  bareServer(key: string, hash: number): boolean {
    return this.alone(this.counts.bucket(hash), key);
  }

  /**
   * In input order, for a passkey whose key is qualified: its suffix. The first occurrence of a key in each
   * store has none; later ones in the same store are numbered `#2`, `#3`…
   */
  suffix(i: number, store: string, key: string): string {
    if (!this.counts.shared(this.buckets[i]!)) return '';
    const firstStore = (this.firstStore ??= new Map<string, string>());
    const had = firstStore.get(key);
    if (had === undefined) {
      firstStore.set(key, store);
      return '';
    }
    // The key was seen before: count per (store, key); the first occurrence in each store has no suffix.
    const repeats = (this.repeats ??= new Map<string, number>());
    const k = store + SEP + key;
    const n = (repeats.get(k) ?? (had === store ? 1 : 0)) + 1;
    repeats.set(k, n);
    return n === 1 ? '' : `#${n}`;
  }
}

keepShape(new RowKeys(0, 0));
