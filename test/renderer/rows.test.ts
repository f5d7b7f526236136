import { describe, expect, it } from 'vitest';
import type { Passkey, StoreInfo } from '../../src/shared/model';
import {
  decodeFilter,
  encodeFilter,
  filterIndexed,
  groupRows,
  indexPasskeys,
} from '../../src/renderer/screens/inventory/rows';

const passkey = (over: Partial<Passkey>): Passkey => ({
  store: 'vault',
  storeKind: 'vault',
  credentialId: 'AAAA',
  rpId: 'example.com',
  userHandle: null,
  userName: 'alice',
  userDisplayName: null,
  nickname: null,
  createdAt: '2025-01-01T00:00:00.000Z',
  lastUsedAt: null,
  algorithm: -7,
  aaguid: null,
  providerName: null,
  backupEligible: null,
  backedUp: null,
  discoverable: null,
  removable: true,
  ...over,
});

const store = (id: string, label: string, kind: StoreInfo['kind']): StoreInfo => ({
  id,
  kind,
  label,
  status: 'available',
  reason: null,
  capabilities: { list: true, delete: false, rename: false, create: false, sign: false, restore: false },
  complete: true,
  count: null,
  manage: null,
  facts: {},
});

const stores = [
  store('vault', 'Passkey Desk vault', 'vault'),
  store('export:1', 'Bitwarden export', 'export'),
];
const all = [
  passkey({ credentialId: 'c1', rpId: 'github.com', userName: 'bob' }),
  passkey({
    credentialId: 'c2',
    rpId: 'example.com',
    userName: 'bob',
    providerName: 'Bitwarden',
    store: 'export:1',
    storeKind: 'export',
  }),
  passkey({
    credentialId: 'c3',
    rpId: 'example.com',
    userName: 'alice',
    createdAt: '2024-01-01T00:00:00.000Z',
  }),
  passkey({
    credentialId: 'c4',
    rpId: 'example.com',
    userName: 'alice',
    createdAt: '2025-06-01T00:00:00.000Z',
  }),
];

describe('inventory rows', () => {
  it('groups by site, then account, newest passkey first, numbering options in order', () => {
    const rows = groupRows(indexPasskeys(all, stores));
    expect(
      rows.map((r) =>
        r.kind === 'passkey'
          ? `${r.position}:${r.passkey.credentialId}`
          : `${r.kind}:${r.kind === 'site' ? r.rpId : r.user}:${r.count}`,
      ),
    ).toEqual([
      'site:example.com:3',
      'user:alice:2',
      '0:c4',
      '1:c3',
      'user:bob:1',
      '2:c2',
      'site:github.com:1',
      'user:bob:1',
      '3:c1',
    ]);
  });

  it('matches every word against site, account, provider, store and credential ID', () => {
    const indexed = indexPasskeys(all, stores);
    const ids = (q: string, f = decodeFilter('all')) =>
      filterIndexed(indexed, q, f).map((i) => i.passkey.credentialId);
    expect(ids('github')).toEqual(['c1']);
    expect(ids('BITWARDEN')).toEqual(['c2']);
    expect(ids('bob example')).toEqual(['c2']);
    expect(ids('c3')).toEqual(['c3']);
    expect(ids('', decodeFilter('kind:export'))).toEqual(['c2']);
    expect(ids('', decodeFilter('store:vault'))).toEqual(['c4', 'c3', 'c1']);
    expect(ids('nothing-like-this')).toEqual([]);
  });

  it('round-trips the store filter and falls back to all stores for anything unknown', () => {
    for (const f of [
      { by: 'all' },
      { by: 'kind', kind: 'security-key' },
      { by: 'store', id: 'export:abc' },
    ] as const) {
      expect(decodeFilter(encodeFilter(f))).toEqual(f);
    }
    expect(decodeFilter('kind:floppy')).toEqual({ by: 'all' });
  });
});
