import type { Passkey, StoreInfo, StoreKind } from '../../../shared/model';
import { STORE_KINDS } from '../../../shared/model';
import { providerLabel, userLabel } from '../../format';

/** The store filter: every store, one kind of store, or one store. */
export type StoreFilter = { by: 'all' } | { by: 'kind'; kind: StoreKind } | { by: 'store'; id: string };

export type Row =
  | { kind: 'site'; key: string; rpId: string; count: number }
  | { kind: 'user'; key: string; user: string; count: number }
  | { kind: 'passkey'; key: string; passkey: Passkey; user: string; storeLabel: string; position: number };

export const ROW_HEIGHT: Readonly<Record<Row['kind'], number>> = { site: 44, user: 30, passkey: 60 };

export function passkeyKey(p: Pick<Passkey, 'store' | 'credentialId'>): string {
  return `${p.store}|${p.credentialId}`;
}

export function encodeFilter(f: StoreFilter): string {
  switch (f.by) {
    case 'all':
      return 'all';
    case 'kind':
      return `kind:${f.kind}`;
    case 'store':
      return `store:${f.id}`;
  }
}

export function decodeFilter(value: string): StoreFilter {
  if (value.startsWith('kind:')) {
    const kind = STORE_KINDS.find((k) => `kind:${k}` === value);
    if (kind) return { by: 'kind', kind };
  }
  if (value.startsWith('store:')) return { by: 'store', id: value.slice('store:'.length) };
  return { by: 'all' };
}

/** Lower-cased text a search matches against: site, user, nickname, provider, store and credential ID. */
export function searchText(p: Passkey, storeLabel: string): string {
  return [p.rpId, p.userName, p.userDisplayName, p.nickname, providerLabel(p), storeLabel, p.credentialId]
    .filter((s): s is string => !!s)
    .join('\n')
    .toLowerCase();
}

export interface Indexed {
  passkey: Passkey;
  text: string;
  user: string;
  storeLabel: string;
}

/** Sorted by site, then account, then newest first; computed once per inventory. */
export function indexPasskeys(passkeys: Passkey[], stores: StoreInfo[]): Indexed[] {
  const labels = new Map(stores.map((s) => [s.id, s.label]));
  const indexed = passkeys.map((passkey) => {
    const storeLabel = labels.get(passkey.store) ?? passkey.store;
    return { passkey, storeLabel, user: userLabel(passkey), text: searchText(passkey, storeLabel) };
  });
  return indexed.sort(
    (a, b) =>
      a.passkey.rpId.localeCompare(b.passkey.rpId) ||
      a.user.localeCompare(b.user) ||
      (b.passkey.createdAt ?? '').localeCompare(a.passkey.createdAt ?? '') ||
      a.passkey.credentialId.localeCompare(b.passkey.credentialId),
  );
}

function matchesFilter(p: Passkey, f: StoreFilter): boolean {
  switch (f.by) {
    case 'all':
      return true;
    case 'kind':
      return p.storeKind === f.kind;
    case 'store':
      return p.store === f.id;
  }
}

/** Every word of the query must appear somewhere in the passkey's search text. */
export function filterIndexed(all: Indexed[], query: string, filter: StoreFilter): Indexed[] {
  const words = query.toLowerCase().split(/\s+/).filter(Boolean);
  return all.filter((i) => matchesFilter(i.passkey, filter) && words.every((w) => i.text.includes(w)));
}

/** Flattens sorted passkeys into site headers, account headers and passkey rows for the virtual list. */
export function groupRows(items: Indexed[]): Row[] {
  const rows: Row[] = [];
  let position = 0;
  let i = 0;
  while (i < items.length) {
    const rpId = items[i]!.passkey.rpId;
    const siteRow: Row = { kind: 'site', key: `site|${rpId}`, rpId, count: 0 };
    rows.push(siteRow);
    while (i < items.length && items[i]!.passkey.rpId === rpId) {
      const user = items[i]!.user;
      const userRow: Row = { kind: 'user', key: `user|${rpId}|${user}`, user, count: 0 };
      rows.push(userRow);
      while (i < items.length && items[i]!.passkey.rpId === rpId && items[i]!.user === user) {
        const item = items[i]!;
        rows.push({
          kind: 'passkey',
          key: passkeyKey(item.passkey),
          passkey: item.passkey,
          user,
          storeLabel: item.storeLabel,
          position: position++,
        });
        siteRow.count++;
        userRow.count++;
        i++;
      }
    }
  }
  return rows;
}
