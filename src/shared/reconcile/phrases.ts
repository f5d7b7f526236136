/**
 * Memoised sentences. Rows of one account in one store share their words; building them once per (account,
 * store) instead of once per row keeps a 100,000-row reconcile from building, hashing and keeping a fresh
 * explanation for every row. Keys are the input objects and strings themselves (an account object, a store id,
 * a constant tag), whose hashes V8 caches, so a hit allocates nothing. One instance per reconcile call.
 */
import type { Words } from './explain';

type Owner = object | string;

export class Phrases {
  private readonly words = new Map<Owner, Map<string, Map<string, Words>>>();
  private readonly texts = new Map<Owner, Map<string, Map<string, string>>>();

  /** `owner`: an account, or the "who" string when no account covers the row; `sub`: a store id or ''. */
  word(owner: Owner, sub: string, tag: string, make: () => Words): Words {
    return memo(this.words, owner, sub, tag, make);
  }

  text(owner: Owner, sub: string, tag: string, make: () => string): string {
    return memo(this.texts, owner, sub, tag, make);
  }
}

function memo<T>(root: Map<Owner, Map<string, Map<string, T>>>, owner: Owner, sub: string, tag: string, make: () => T): T {
  let bySub = root.get(owner);
  if (bySub === undefined) root.set(owner, (bySub = new Map()));
  let byTag = bySub.get(sub);
  if (byTag === undefined) bySub.set(sub, (byTag = new Map()));
  let value = byTag.get(tag);
  if (value === undefined) byTag.set(tag, (value = make()));
  return value;
}
