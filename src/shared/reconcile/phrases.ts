/**
 * Memoised sentences. Rows of one account in one store share their words; building them once per (account,
 * store) instead of once per row keeps a 100,000-row reconcile from building, hashing and keeping a fresh
 * explanation for every row. One instance per reconcile call.
 *
 * A sentence is keyed by (owner, sub, tag): `owner` an account object, or the "who" string when the passkey's
 * user name is not the account's or no account covers the row (or '' for sentences that name only a store);
 * `sub` a store id, a provider name or ''; `tag` what the sentence is. The first row to ask for a key words it;
 * every later row with that key shares it. The tags are a fixed set, so each (owner, sub) pair holds one `Slots`
 * object with a field per tag: a row finds its pair once and then reads fields, and callers test a field before
 * wording it, so a hit allocates nothing (no callback, no composite key).
 */
import type { Words } from './explain';

/** The sentences of one (owner, sub) pair; undefined until the first row that needs one words it. */
export class Slots {
  synced: Words | undefined = undefined;
  localOrphan: Words | undefined = undefined;
  unmanaged: Words | undefined = undefined;
  serverOrphan: Words | undefined = undefined;
  /** `elsewhere` words differ by the provider name the server gives (or ''). */
  elsewhere: Map<string, Words> | undefined = undefined;
  deleteText: string | undefined = undefined;
  openText: string | undefined = undefined;
  revokeText: string | undefined = undefined;
  connectText: string | undefined = undefined;
  renameText: string | undefined = undefined;
  markText: string | undefined = undefined;
}

/**
 * One owner's slots, found by the sub's number in the reconcile's StoreTable (a registry of every store id,
 * provider name and '' that serves as a sub): an array read instead of a map lookup per row. Most "who"
 * owners (a passkey no account covers) use one or two subs, so the first two are held inline; an array indexed
 * by sub number would cost them a slot per store.
 */
export class SlotRow {
  private i0 = -1;
  private s0: Slots | null = null;
  private i1 = -1;
  private s1: Slots | null = null;
  private more: (Slots | undefined)[] | null = null;

  at(sub: { index: number }): Slots {
    const i = sub.index;
    if (i === this.i0) return this.s0!;
    if (i === this.i1) return this.s1!;
    if (this.i0 < 0) {
      this.i0 = i;
      return (this.s0 = new Slots());
    }
    if (this.i1 < 0) {
      this.i1 = i;
      return (this.s1 = new Slots());
    }
    const more = (this.more ??= []);
    let slots = more[i];
    if (slots === undefined) more[i] = slots = new Slots();
    return slots;
  }
}

export function slotAt(row: SlotRow, sub: { index: number }): Slots {
  return row.at(sub);
}

/**
 * The slot rows of string owners ("who" strings, and '' for sentences that name only a store). An account's
 * slot row lives on its AccountEntry, one per account object as before.
 */
export class Phrases {
  private readonly byWho = new Map<string, SlotRow>();
  /** Duplicate groups word per keeper (a passkey index), per user and per "this one is accepted". */
  private readonly dups = new Map<number, Map<string, Words>>();

  of(owner: string): SlotRow {
    let row = this.byWho.get(owner);
    if (row === undefined) this.byWho.set(owner, (row = new SlotRow()));
    return row;
  }

  duplicate(keeper: number, who: string, accepted: boolean, make: () => Words): Words {
    let byWho = this.dups.get(keeper);
    if (byWho === undefined) this.dups.set(keeper, (byWho = new Map<string, Words>()));
    // A tag without \0 in front, so the composite key cannot be confused across the two tags.
    const k = (accepted ? 'dup-accepted\u0000' : 'dup\u0000') + who;
    let words = byWho.get(k);
    if (words === undefined) byWho.set(k, (words = make()));
    return words;
  }
}
