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
import type { Passkey } from '../model';
import { BucketCounts } from './bucketCounts';
import { canonicalJson } from './hash';
import { SEP } from './indexes';
import type { ServerEntry } from './indexes';
import { keepShape } from './shapes';

const COLON = 58;

export class RowKeys {
  /** Per passkey, its bucket. */
  private readonly buckets: Int32Array;
  /** Rows per bucket: a key alone in its bucket needs no exact count. */
  private readonly counts: BucketCounts;
  /** Rows per credential key, for the keys whose bucket holds more than one row. */
  private readonly exact = new Map<string, number>();
  /** The passkeys whose bucket is shared: the only ones that can repeat a key. */
  private readonly sharedLocals: number[] = [];
  /** `#2`, `#3`… by passkey, for a store that lists one credential more than once (an export). */
  private suffixes: Map<number, string> | null = null;

  /** `locals`: the passkeys; `rows`: every row the result will have (locals and server-only ones). */
  constructor(locals: number, rows: number) {
    this.counts = new BucketCounts(rows);
    this.buckets = new Int32Array(locals);
  }

  /** First pass, any order: passkey `i`'s row, by its key's keyHash. */
  addLocal(i: number, hash: number): void {
    this.buckets[i] = this.counts.add(hash);
  }

  /**
   * Once every passkey is added: counts the server credentials that get rows of their own (no passkey here
   * matched them), counts exactly the keys that share a bucket, and numbers repeats within a store.
   */
  settle(passkeys: readonly Passkey[], keys: readonly string[], server: readonly ServerEntry[]): void {
    for (let i = 0; i < server.length; i++) this.addServer(server[i]!.hash);
    for (let i = 0; i < keys.length; i++) this.settleLocal(i, keys[i]!);
    for (let i = 0; i < server.length; i++) this.settleServer(server[i]!.key, server[i]!.hash);
    this.numberRepeats(passkeys, keys);
  }

  /** A server credential that gets a row of its own, by its key's keyHash. */
  addServer(hash: number): void {
    this.counts.add(hash);
  }

  /** Once every row is added: the exact count of passkey `i`'s key if its bucket is shared. */
  settleLocal(i: number, key: string): void {
    if (!this.counts.shared(this.buckets[i]!)) return;
    this.exact.set(key, (this.exact.get(key) ?? 0) + 1);
    this.sharedLocals.push(i);
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
   * Once settled: numbers the passkeys that repeat a key within one store. The first keeps the plain qualified
   * key, the others get `#2`, `#3`… in the order of their contents, not of the input, so that the same inventory
   * always gives each row the same key (passkeys with equal contents give equal rows, whichever is which).
   */
  numberRepeats(passkeys: readonly Passkey[], keys: readonly string[]): void {
    let byStore: Map<string, number[]> | null = null;
    for (const i of this.sharedLocals) {
      const key = keys[i]!;
      if (this.exact.get(key)! < 2) continue;
      const k = passkeys[i]!.store + SEP + key;
      const list = (byStore ??= new Map<string, number[]>()).get(k);
      if (list === undefined) byStore.set(k, [i]);
      else list.push(i);
    }
    if (byStore === null) return;
    for (const list of byStore.values()) {
      if (list.length < 2) continue;
      const contents = new Map(list.map((i) => [i, canonicalJson(passkeys[i]!)]));
      list.sort((a, b) =>
        contents.get(a)! < contents.get(b)! ? -1 : contents.get(a)! > contents.get(b)! ? 1 : 0,
      );
      for (let n = 1; n < list.length; n++)
        (this.suffixes ??= new Map<number, string>()).set(list[n]!, `#${n + 1}`);
    }
  }

  /** Passkey `i`'s suffix (see numberRepeats): '' but for a repeat within one store. */
  suffix(i: number): string {
    return this.suffixes === null ? '' : (this.suffixes.get(i) ?? '');
  }
}

keepShape(new RowKeys(0, 0));
