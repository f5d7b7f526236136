import { describe, expect, it } from 'vitest';
import { PASSKEY_DESK_AAGUID } from '../../src/shared/aaguid';
import { credentialKey, isCanonicalBase64url, reconcile, summarise } from '../../src/shared/reconcile';
import type { ReconcileInputs, ReconcileRow, ReconcileStatus } from '../../src/shared/reconcile';
import { HANDLE, STORES, account, cred, gone, id, inputs, mark, passkey, store } from './fixtures';

const ICLOUD = 'fbfc3007-154e-4ecc-8c0b-6e020557d7bd';
const A = id(1);
const B = id(2);
const C = id(3);

function only(input: ReconcileInputs): ReconcileRow {
  const { rows } = reconcile(input);
  expect(rows).toHaveLength(1);
  return rows[0]!;
}

/** The one row for credential A (other credentials in the case only set the scene). */
function rowOfA(input: ReconcileInputs): ReconcileRow {
  const rows = reconcile(input).rows.filter((r) => r.credentialId === A);
  expect(rows).toHaveLength(1);
  return rows[0]!;
}

describe('reconcile: one status per case', () => {
  const cases: {
    name: string;
    input: ReconcileInputs;
    status: ReconcileStatus;
    kinds: string[];
    quote?: string;
  }[] = [
    {
      name: 'on both sides → synced, nothing to do',
      input: inputs({ passkeys: [passkey(A)], accounts: [account([cred(A)])] }),
      status: 'synced',
      kinds: [],
    },
    {
      name: 'synced with an unnamed server credential → rename proposed',
      input: inputs({ passkeys: [passkey(A)], accounts: [account([cred(A, { name: null })])] }),
      status: 'synced',
      kinds: ['rename-server'],
    },
    {
      name: 'local only, account connected → local-orphan, delete',
      input: inputs({ passkeys: [passkey(A)], accounts: [account([cred(B)])] }),
      status: 'local-orphan',
      kinds: ['delete-local'],
      quote: 'This passkey can no longer be used',
    },
    {
      name: 'local-orphan in a store that cannot delete → open the store',
      input: inputs({
        passkeys: [passkey(A, { store: 'export:1', storeKind: 'export' })],
        accounts: [account([cred(B)])],
      }),
      status: 'local-orphan',
      kinds: ['open-store'],
    },
    {
      name: 'no account for the RP → unmanaged, guarded delete',
      input: inputs({ passkeys: [passkey(A, { rpId: 'other.example' })], accounts: [account([cred(B)])] }),
      status: 'unmanaged',
      kinds: ['delete-local'],
    },
    {
      name: 'another user at a connected RP → unmanaged',
      input: inputs({ passkeys: [passkey(A, { userHandle: 'b3RoZXI' })], accounts: [account([cred(B)])] }),
      status: 'unmanaged',
      kinds: ['delete-local'],
    },
    {
      name: 'server only, our AAGUID, held by this vault once, vault complete → server-orphan, revoke',
      input: inputs({
        accounts: [account([cred(A, { aaguid: PASSKEY_DESK_AAGUID }), cred(B)])],
        passkeys: [passkey(B)],
        retired: [gone(A)],
      }),
      status: 'server-orphan',
      kinds: ['revoke-server'],
      quote: "We couldn't use your device to verify your identity",
    },
    {
      name: 'server only, our AAGUID, in the vault trash → server-orphan that says to restore it first',
      input: inputs({
        accounts: [account([cred(A, { aaguid: PASSKEY_DESK_AAGUID }), cred(B)])],
        passkeys: [passkey(B)],
        retired: [gone(A, { inTrash: true })],
      }),
      status: 'server-orphan',
      kinds: ['revoke-server'],
      quote: 'To use it again, restore it (Trash in the app, or passkey-desk vault restore',
    },
    {
      // Every Passkey Desk has the same AAGUID: one this vault never held is another computer's, not an orphan.
      name: 'server only, our AAGUID, never held by this vault → elsewhere (Passkey Desk on another computer)',
      input: inputs({
        accounts: [account([cred(A, { aaguid: PASSKEY_DESK_AAGUID, name: null }), cred(B)])],
        passkeys: [passkey(B)],
      }),
      status: 'elsewhere',
      kinds: ['mark-deleted', 'rename-server'],
      quote: "this computer's vault has never held it",
    },
    {
      name: 'server only, our AAGUID, the vault held that ID at another site only → elsewhere',
      input: inputs({
        accounts: [account([cred(A, { aaguid: PASSKEY_DESK_AAGUID }), cred(B)])],
        passkeys: [passkey(B)],
        retired: [gone(A, { rpId: 'other.example' })],
      }),
      status: 'elsewhere',
      kinds: ['mark-deleted'],
      quote: 'Passkey Desk on another computer',
    },
    {
      name: 'server only, our AAGUID, retired from another store than the vault → elsewhere',
      input: inputs({
        accounts: [account([cred(A, { aaguid: PASSKEY_DESK_AAGUID }), cred(B)])],
        passkeys: [passkey(B)],
        retired: [gone(A, { store: 'windows-hello' })],
      }),
      status: 'elsewhere',
      kinds: ['mark-deleted'],
    },
    {
      name: 'server only, our AAGUID, never held here but marked deleted there → server-orphan',
      input: inputs({
        accounts: [account([cred(A, { aaguid: PASSKEY_DESK_AAGUID }), cred(B)])],
        passkeys: [passkey(B)],
        marks: [mark(A, { store: 'guided:other' })],
      }),
      status: 'server-orphan',
      kinds: ['revoke-server'],
      quote: 'you marked it as deleted',
    },
    {
      name: 'server only, our AAGUID, vault locked → elsewhere',
      input: inputs({
        stores: [store('vault', 'vault', { status: 'locked', complete: false, reason: 'locked' })],
        accounts: [account([cred(A, { aaguid: PASSKEY_DESK_AAGUID })])],
      }),
      status: 'elsewhere',
      kinds: ['open-store', 'mark-deleted'],
    },
    {
      name: 'server only, iCloud AAGUID → elsewhere, named iCloud Keychain',
      input: inputs({ accounts: [account([cred(A, { aaguid: ICLOUD, name: null })])] }),
      status: 'elsewhere',
      kinds: ['open-store', 'mark-deleted', 'rename-server'],
      quote: 'iCloud Keychain',
    },
    {
      name: 'server only, unknown AAGUID → elsewhere, mark only',
      input: inputs({ accounts: [account([cred(A)])] }),
      status: 'elsewhere',
      kinds: ['mark-deleted'],
    },
    {
      name: 'server only, marked deleted by ID → server-orphan',
      input: inputs({ accounts: [account([cred(A, { aaguid: ICLOUD })])], marks: [mark(A)] }),
      status: 'server-orphan',
      kinds: ['revoke-server'],
      quote: 'you marked it as deleted',
    },
    {
      name: 'server only, marked deleted by store (no ID) and created before the mark → server-orphan',
      input: inputs({
        accounts: [account([cred(A, { aaguid: ICLOUD })])],
        marks: [mark(null, { userHandle: HANDLE })],
      }),
      status: 'server-orphan',
      kinds: ['revoke-server'],
    },
    {
      name: 'a store-wide mark does not cover a passkey created after it → elsewhere',
      input: inputs({
        accounts: [account([cred(A, { aaguid: ICLOUD, createdAt: '2025-07-01T00:00:00Z' })])],
        marks: [mark(null)],
      }),
      status: 'elsewhere',
      kinds: ['open-store', 'mark-deleted'],
    },
  ];
  it.each(cases)('$name', ({ input, status, kinds, quote }) => {
    const row = rowOfA(input);
    expect(row.status).toBe(status);
    expect(row.actions.map((a) => a.kind)).toEqual(kinds);
    if (quote) expect(`${row.title} ${row.explanation}`).toContain(quote);
  });
});

describe('reconcile: matching', () => {
  it('matches standard base64 with padding against base64url', () => {
    const std = Buffer.from(A, 'base64url').toString('base64');
    expect(std).toMatch(/[+/=]/);
    const row = only(inputs({ passkeys: [passkey(A)], accounts: [account([cred(std)])] }));
    expect(row.status).toBe('synced');
    expect(row.credentialId).toBe(A);
  });

  it('matches a Bitwarden UUID credential ID against its base64url bytes', () => {
    const uuid = '6f1c2a3b-4d5e-4f60-8a7b-9c0d1e2f3a4b';
    const bytes = Buffer.from(uuid.replace(/-/g, ''), 'hex').toString('base64url');
    expect(only(inputs({ passkeys: [passkey(uuid)], accounts: [account([cred(bytes)])] })).status).toBe(
      'synced',
    );
  });

  it('does not crash on invalid IDs and matches them to themselves', () => {
    const bad = 'not base64!';
    const { rows } = reconcile(
      inputs({
        passkeys: [passkey(bad), passkey('abcde', { store: 'windows-hello', storeKind: 'windows-hello' })],
        accounts: [account([cred(bad), cred('A')])],
      }),
    );
    expect(rows.find((r) => r.credentialId === bad)?.status).toBe('synced');
    expect(rows.find((r) => r.credentialId === 'abcde')?.status).toBe('local-orphan');
    expect(rows.find((r) => r.credentialId === 'A')?.status).toBe('elsewhere');
  });

  it('normalises user handles and RP IDs (case, trailing dot)', () => {
    const std = Buffer.from('user-1').toString('base64'); // "dXNlci0x", same in both alphabets
    const row = rowOfA(
      inputs({
        passkeys: [passkey(A, { userHandle: std, rpId: 'Example.COM.' })],
        accounts: [account([cred(B)])],
      }),
    );
    expect(row.status).toBe('local-orphan');
    expect(row.accountId).toBe('acct-1');
  });

  it('links a passkey without a user handle by user name', () => {
    const row = rowOfA(
      inputs({ passkeys: [passkey(A, { userHandle: null })], accounts: [account([cred(B)])] }),
    );
    expect(row.status).toBe('local-orphan');
  });

  it('needs the same RP: an equal ID at another RP does not match', () => {
    const { rows } = reconcile(
      inputs({ passkeys: [passkey(A, { rpId: 'other.example' })], accounts: [account([cred(A)])] }),
    );
    expect(rows.map((r) => r.status).sort()).toEqual(['elsewhere', 'unmanaged']);
  });

  it('canonical check: fast path accepts canonical base64url only', () => {
    expect(isCanonicalBase64url(A)).toBe(true);
    expect(isCanonicalBase64url('AB')).toBe(false); // non-zero trailing bits
    expect(isCanonicalBase64url('abcde')).toBe(false);
    expect(credentialKey('AQ==')).toBe('AQ');
  });
});

describe('reconcile: duplicates', () => {
  it('keeps the one the server accepts; an accepted extra is revoked then deleted', () => {
    const { rows } = reconcile(
      inputs({
        passkeys: [passkey(A), passkey(B, { lastUsedAt: '2025-09-01T00:00:00Z' }), passkey(C)],
        accounts: [account([cred(A), cred(C)])],
      }),
    );
    const by = new Map(rows.map((r) => [r.credentialId, r]));
    // A and C are both accepted; neither used, so the ID breaks the tie; B is not accepted.
    const keeper = [A, C].sort()[0]!;
    const other = keeper === A ? C : A;
    expect(by.get(keeper)?.status).toBe('synced');
    expect(by.get(B)?.status).toBe('duplicate');
    expect(by.get(B)?.explanation).toContain('you already have a passkey');
    expect(by.get(B)?.actions.map((a) => [a.kind, a.guard])).toEqual([['delete-local', null]]);
    expect(by.get(other)?.status).toBe('duplicate');
    expect(by.get(other)?.actions.map((a) => [a.kind, a.guard])).toEqual([
      ['revoke-server', null],
      ['delete-local', 'still-accepted'],
    ]);
  });

  it('without an accepted one keeps the most recently used', () => {
    const { rows } = reconcile(
      inputs({
        passkeys: [
          passkey(A, { lastUsedAt: '2025-01-02T00:00:00Z' }),
          passkey(B, { lastUsedAt: '2025-03-01T00:00:00Z' }),
        ],
      }),
    );
    const by = new Map(rows.map((r) => [r.credentialId, r]));
    expect(by.get(B)?.status).toBe('unmanaged');
    expect(by.get(A)?.status).toBe('duplicate');
    expect(by.get(A)?.explanation).toContain('used most recently (2025-03-01)');
  });

  it('passkeys for one account in different stores are not duplicates', () => {
    const { rows } = reconcile(
      inputs({
        passkeys: [passkey(A), passkey(B, { store: 'windows-hello', storeKind: 'windows-hello' })],
        accounts: [account([cred(A), cred(B)])],
      }),
    );
    expect(rows.map((r) => r.status)).toEqual(['synced', 'synced']);
  });

  it('gives unique row keys when one store lists a credential twice', () => {
    const { rows } = reconcile(
      inputs({
        passkeys: [
          passkey(A, { store: 'export:1', storeKind: 'export' }),
          passkey(A, { store: 'export:1', storeKind: 'export' }),
        ],
      }),
    );
    expect(new Set(rows.map((r) => r.key)).size).toBe(2);
  });
});

describe('reconcile: actions', () => {
  it('vault deletes are undoable, Windows Hello deletes are not', () => {
    const { rows } = reconcile(
      inputs({
        passkeys: [passkey(A), passkey(B, { store: 'windows-hello', storeKind: 'windows-hello' })],
        accounts: [account([cred(C), cred(id(9))])],
      }),
    );
    const del = new Map(rows.map((r) => [r.credentialId, r.actions[0]!]));
    expect(del.get(A)).toMatchObject({ kind: 'delete-local', undoable: true, safe: true, guard: null });
    expect(del.get(B)).toMatchObject({ kind: 'delete-local', undoable: false, safe: true, guard: null });
  });

  it('revoking the only credential of an account is guarded', () => {
    const row = only(
      inputs({ accounts: [account([cred(A, { aaguid: PASSKEY_DESK_AAGUID })])], retired: [gone(A)] }),
    );
    expect(row.status).toBe('server-orphan');
    expect(row.actions[0]).toMatchObject({
      kind: 'revoke-server',
      guard: 'last-passkey',
      safe: false,
      undoable: false,
    });
  });

  it('action ids are deterministic and unique', () => {
    const input = inputs({
      passkeys: [passkey(A), passkey(B)],
      accounts: [account([cred(C, { aaguid: PASSKEY_DESK_AAGUID }), cred(A)])],
    });
    const ids = reconcile(input).rows.flatMap((r) => r.actions.map((a) => a.id));
    expect(reconcile(input).rows.flatMap((r) => r.actions.map((a) => a.id))).toEqual(ids);
    expect(new Set(ids).size).toBe(ids.length);
  });
});

describe('summarise', () => {
  it('counts rows per status per account, unmanaged last', () => {
    const result = reconcile(
      inputs({
        passkeys: [passkey(A), passkey(B, { rpId: 'other.example' })],
        accounts: [account([cred(A), cred(C, { aaguid: PASSKEY_DESK_AAGUID })])],
        retired: [gone(C)],
      }),
    );
    const s = summarise(result);
    expect(s.map((x) => x.accountId)).toEqual(['acct-1', null]);
    expect(s[0]!.counts).toMatchObject({ synced: 1, 'server-orphan': 1 });
    expect(s[0]!.fixable).toBe(1);
    expect(s[1]!.counts.unmanaged).toBe(1);
  });

  it('stores list in the fixtures are what the cases assume', () => {
    expect(STORES.map((s) => s.id)).toEqual(['vault', 'windows-hello', 'export:1']);
  });
});
