/**
 * The engine's internal structures that trade a plain Map or a whole sentence for speed (issue #5 benchmark):
 * each must behave exactly like the simple version it replaced, including in the cases the benchmark never
 * reaches (hash collisions, table growth, a user or RP spelled differently from the account's).
 */
import { createHash } from 'node:crypto';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { makeInputs } from '../../bench/reconcile';
import {
  DELETE_LEAD,
  deleteEffect,
  deleteFromStorePiece,
  deleteStorePiece,
  deleteWhoPiece,
  renameEffect,
  renameNamePiece,
  renameRpPiece,
} from '../../src/shared/reconcile/actions';
import {
  localOrphanStorePiece,
  localOrphanWhoPiece,
  localOrphanWords,
  syncedStorePiece,
  syncedWhoPiece,
  syncedWords,
} from '../../src/shared/reconcile/explain';
import { KeyTable, hashedKey, keyHash, lastKeyHash } from '../../src/shared/reconcile/keyTable';
import { credentialKey } from '../../src/shared/reconcile';
import { RowKeys } from '../../src/shared/reconcile/rowKeys';
import { Phrases } from '../../src/shared/reconcile/phrases';
import { buildPlan, reconcile } from '../../src/shared/reconcile';
import { normaliseBase64url } from '../../src/shared/base64url';
import { PASSKEY_DESK_AAGUID } from '../../src/shared/aaguid';
import type { ReconcileRow } from '../../src/shared/reconcile';
import { account, cred, gone, id, inputs, passkey } from './fixtures';

describe('KeyTable', () => {
  it('finds, replaces and keeps first-insertion order through growth and colliding hashes', () => {
    const table = new KeyTable<{ key: string; v: number }>(0);
    const keys = Array.from({ length: 500 }, (_, i) => `k${i}`);
    // Every third key gets the same forced hash: the probe must compare the key, not only the hash.
    const hash = (k: string, i: number): number => (i % 3 === 0 ? 12345 : keyHash(k));
    keys.forEach((k, i) => table.set({ key: k, v: i }, hash(k, i)));
    keys.forEach((k, i) => expect(table.get(k, hash(k, i))?.v).toBe(i));
    expect(table.get('absent', 12345)).toBeUndefined();
    table.set({ key: 'k3', v: -3 }, hash('k3', 3));
    expect(table.get('k3', hash('k3', 3))?.v).toBe(-3);
    expect(table.heads.map((h) => h.key)).toEqual(keys);
  });
});

describe('hashedKey', () => {
  it('is credentialKey with its keyHash, for every spelling', () => {
    const bytes = Buffer.from(Array.from({ length: 16 }, (_, i) => i * 17));
    const ids = [
      '',
      bytes.toString('base64url'),
      bytes.toString('base64'),
      bytes.toString('base64').replace(/=+$/, ''),
      Buffer.alloc(32, 7).toString('base64url'),
      Buffer.alloc(33, 7).toString('base64url'),
      Buffer.alloc(27, 250).toString('base64url'),
      '0f1e2d3c-4b5a-6978-8796-a5b4c3d2e1f0',
      'A'.repeat(36),
      'AB',
      'AQ',
      'AAB',
      'AAE',
      'A',
      'not valid!',
      'pässkey',
      'a+b/c=',
    ];
    for (const raw of ids) {
      const key = hashedKey(raw);
      expect([raw, key]).toEqual([raw, credentialKey(raw)]);
      expect([raw, lastKeyHash]).toEqual([raw, keyHash(key)]);
    }
  });
});

describe('credentialKey', () => {
  it('spells standard base64 the way decoding and re-encoding does, and keeps what that rejects raw', () => {
    const reference = (text: string): string => {
      try {
        return normaliseBase64url(text);
      } catch {
        return text;
      }
    };
    const bytes = fc.uint8Array({ maxLength: 40 }).map((b) => Buffer.from(b));
    const spelled = fc
      .tuple(bytes, fc.boolean(), fc.nat(3), fc.option(fc.tuple(fc.nat(60), fc.constantFrom(...'+/=-_!é A'))))
      .map(([b, std, pad, poke]) => {
        let text =
          (std ? b.toString('base64') : b.toString('base64url')).replace(/=+$/, '') + '='.repeat(pad);
        if (poke && text.length > 0) {
          const at = poke[0] % text.length;
          text = text.slice(0, at) + poke[1] + text.slice(at + 1);
        }
        return text;
      });
    fc.assert(
      fc.property(fc.oneof(spelled, fc.string({ maxLength: 12 })), (text) => {
        expect(credentialKey(text)).toBe(reference(text));
      }),
      { numRuns: 3000 },
    );
  });
});

describe('RowKeys', () => {
  it('numbers repeats per (store, key) by their contents, not input order, whatever shares a hash bucket', () => {
    const entries: [string, string, string][] = [
      ['export:1', 'A', 'b.example'],
      ['export:1', 'B', 'a.example'],
      ['vault', 'A', 'a.example'],
      ['export:1', 'A', 'a.example'],
      ['export:1', 'A', 'c.example'],
      ['vault', 'A', 'c.example'],
      ['vault', 'C', 'a.example'],
    ];
    const suffixes = (order: number[]): string[] => {
      const picked = order.map((j) => entries[j]!);
      const passkeys = picked.map(([store, key, rpId]) => passkey(key, { store, rpId }));
      const keys = picked.map(([, key]) => key);
      // Hash 0 for every key: all land in one bucket and go through the exact bookkeeping.
      const s = new RowKeys(picked.length, picked.length);
      picked.forEach((_, i) => s.addLocal(i, 0));
      keys.forEach((k, i) => s.settleLocal(i, k));
      s.numberRepeats(passkeys, keys);
      const out: string[] = [];
      order.forEach((j, i) => (out[j] = s.suffix(i)));
      return out;
    };
    // Per (store, key), ordered by contents (here the RP): a, b, c.
    const expected = ['#2', '', '', '', '#3', '#2', ''];
    expect(suffixes([0, 1, 2, 3, 4, 5, 6])).toEqual(expected);
    expect(suffixes([6, 5, 4, 3, 2, 1, 0])).toEqual(expected);
    // Distinct hashes: a key alone in its bucket is never suffixed.
    const t = new RowKeys(2, 2);
    t.addLocal(0, keyHash('A'));
    t.addLocal(1, keyHash('B'));
    t.settleLocal(0, 'A');
    t.settleLocal(1, 'B');
    t.numberRepeats([passkey('A'), passkey('B')], ['A', 'B']);
    expect([t.suffix(0), t.suffix(1)]).toEqual(['', '']);
  });

  it('leaves a key bare only when no other row has it, counted exactly when buckets are shared', () => {
    // Every key in one bucket: the exact counts decide. Locals A, B, A; server rows B, C.
    const keys = ['A', 'B', 'A'];
    const s = new RowKeys(keys.length, keys.length + 2);
    keys.forEach((_, i) => s.addLocal(i, 0));
    s.addServer(0);
    s.addServer(0);
    keys.forEach((k, i) => s.settleLocal(i, k));
    s.settleServer('B', 0);
    s.settleServer('C', 0);
    expect(keys.map((k, i) => s.bareLocal(i, k))).toEqual([false, false, false]);
    expect([s.bareServer('B', 0), s.bareServer('C', 0)]).toEqual([false, true]);
    // Alone in its bucket: bare without an exact count, unless it reads like a qualified key.
    const t = new RowKeys(3, 3);
    const alone = ['QUFB', 'local:x', 'server:y'];
    alone.forEach((k, i) => t.addLocal(i, keyHash(k)));
    alone.forEach((k, i) => t.settleLocal(i, k));
    expect(alone.map((k, i) => t.bareLocal(i, k))).toEqual([true, false, false]);
  });

  it('gives a reconcile result bare keys for lone credentials and qualified ones for shared IDs', () => {
    const [lone, copied, twoRps, raw] = [id(1), id(2), id(3), 'server:not-base64'];
    const result = reconcile(
      inputs({
        passkeys: [
          passkey(lone),
          passkey(copied),
          passkey(copied, { store: 'export:1', storeKind: 'export' }),
          // The same ID at another RP than the server's: two rows, one local and one server-only.
          passkey(twoRps, { rpId: 'other.example' }),
          passkey(raw),
        ],
        accounts: [account([cred(lone), cred(twoRps), cred(id(4))])],
      }),
    );
    const keyOf = (credentialId: string, local: boolean): string[] =>
      result.rows
        .filter((r) => r.credentialId === credentialId && (r.local !== null) === local)
        .map((r) => r.key)
        .sort();
    expect(keyOf(lone, true)).toEqual([lone]);
    expect(keyOf(id(4), false)).toEqual([id(4)]);
    expect(keyOf(copied, true)).toEqual([`local:export:1:${copied}`, `local:vault:${copied}`]);
    expect(keyOf(twoRps, true)).toEqual([`local:vault:${twoRps}`]);
    expect(keyOf(twoRps, false)).toEqual([`server:acct-1:${twoRps}`]);
    expect(keyOf(raw, true)).toEqual([`local:vault:${raw}`]);
    expect(new Set(result.rows.map((r) => r.key)).size).toBe(result.rows.length);
  });
});

describe('Phrases', () => {
  it('gives one cell per (owner, sub, tag), kept through growth, for account and "who" owners alike', () => {
    const phrases = new Phrases();
    const owners = [
      0,
      1,
      7,
      phrases.blank,
      phrases.of('ana at example.com'),
      phrases.of('bob at example.com'),
    ];
    expect(phrases.of('ana at example.com')).toBe(owners[4]);
    expect(new Set(owners).size).toBe(owners.length);
    const keys: [number, number, number][] = [];
    for (const owner of owners)
      for (let sub = 0; sub < 300; sub++) for (const tag of [0, 5, 12]) keys.push([owner, sub, tag]);
    const cells = keys.map(([o, s, t]) => phrases.find(o, s, t));
    expect(new Set(cells).size).toBe(keys.length);
    cells.forEach((cell, i) => {
      expect(phrases.text(cell)).toBeUndefined();
      phrases.put(cell, `v${i}`);
    });
    // Asked again after the table grew many times: the same cells, holding what was put.
    keys.forEach(([o, s, t], i) => expect(phrases.text(phrases.find(o, s, t))).toBe(`v${i}`));
  });
});

describe('sentence pieces', () => {
  it('join to the whole sentences', () => {
    const who = 'ana@example.com at example.com';
    expect(syncedStorePiece('Vault') + syncedWhoPiece(who)).toBe(syncedWords('Vault', who).explanation);
    expect(localOrphanWhoPiece(who, 'Example.com') + localOrphanStorePiece('Vault')).toBe(
      localOrphanWords('Vault', who, 'Example.com').explanation,
    );
    expect(deleteWhoPiece(who) + deleteStorePiece('Vault', true)).toBe(deleteEffect(who, 'Vault', true));
    expect(DELETE_LEAD + who + deleteFromStorePiece('Vault', false)).toBe(deleteEffect(who, 'Vault', false));
    expect(renameNamePiece('Vault') + renameRpPiece('example.com')).toBe(
      renameEffect('Vault', 'example.com'),
    );
    expect(syncedWords('Vault', who).explanation).toBe(
      `Both Vault and the server for ${who} have this passkey, so signing in with it works.`,
    );
    expect(deleteEffect(who, 'Vault', false)).toBe(
      `Deletes this passkey for ${who} from Vault; this cannot be undone.`,
    );
  });

  it('a passkey spelling the RP or user differently from the account is worded with its own spelling', () => {
    const A = id(1);
    const B = id(2);
    const C = id(3);
    const { rows } = reconcile(
      inputs({
        // B in another store, spelled as the account: its words are the account's own.
        passkeys: [
          passkey(A, { rpId: 'Example.COM.' }),
          passkey(B, { store: 'windows-hello', storeKind: 'windows-hello' }),
        ],
        accounts: [account([cred(id(9))])],
      }),
    );
    const a = rows.find((r) => r.credentialId === A)!;
    const b = rows.find((r) => r.credentialId === B)!;
    // Alone in its store: two passkeys of one user in one store would be duplicates.
    const c = reconcile(
      inputs({ passkeys: [passkey(C, { userName: 'ana (work)' })], accounts: [account([cred(id(9))])] }),
    ).rows[0]!;
    expect(a.status).toBe('local-orphan');
    expect(
      a.explanation.startsWith(
        'Example.COM. no longer accepts this passkey for ana@example.com at Example.COM.:',
      ),
    ).toBe(true);
    expect(a.actions[0]!.effect).toBe(
      'Deletes this passkey for ana@example.com at Example.COM. from Passkey Desk vault; it goes to the trash and can be restored.',
    );
    expect(
      b.explanation.startsWith(
        'example.com no longer accepts this passkey for ana@example.com at example.com:',
      ),
    ).toBe(true);
    expect(c.explanation).toContain('for ana (work) at example.com:');
    expect(c.actions[0]!.effect).toContain('for ana (work) at example.com from');
  });

  it('rows owned by their duplicate group share words only when they name the user as its leader does', () => {
    // No connected account at other.example: each row is owned by its group (same handle, store and RP).
    const [A, B, C, D, E] = [id(1), id(2), id(3), id(4), id(5)];
    const other = { rpId: 'other.example', userHandle: 'b3RoZXI' };
    const { rows } = reconcile(
      inputs({
        passkeys: [
          // One group: the leader, a member spelled like it, and one with another user name and RP spelling
          // (the most recently used, so it is the keeper and gets the unmanaged words).
          passkey(A, other),
          passkey(B, other),
          passkey(C, { ...other, rpId: 'Other.Example', userName: 'ana (old)', lastUsedAt: '2025-06-01' }),
          // The same user in another store: a group of its own, worded alike.
          passkey(D, { ...other, store: 'windows-hello', storeKind: 'windows-hello' }),
          // Another user alone at another site.
          passkey(E, { rpId: 'third.example', userHandle: 'dGhpcmQ', userName: 'bo' }),
        ],
        accounts: [account([cred(id(9))])],
      }),
    );
    const row = (k: string): ReconcileRow => rows.find((r) => r.credentialId === k)!;
    expect([A, B, C, D, E].map((k) => row(k).status)).toEqual([
      'duplicate',
      'duplicate',
      'unmanaged',
      'unmanaged',
      'unmanaged',
    ]);
    expect(row(C).explanation).toContain('No account at Other.Example is connected');
    expect(row(C).actions[0]!.effect).toBe(
      'Deletes this passkey for ana (old) at Other.Example from Passkey Desk vault; it goes to the trash and can be restored.',
    );
    expect(row(D).explanation).toContain('No account at other.example is connected');
    expect(row(D).actions[0]!.effect).toContain('for ana@example.com at other.example from windows-hello');
    expect(row(E).actions[0]!.effect).toContain('for bo at third.example from');
    for (const k of [A, B]) {
      expect(row(k).explanation).toContain(
        'Passkey Desk vault holds 3 passkeys for ana@example.com at other.example',
      );
      expect(
        row(k)
          .actions.map((x) => x.effect)
          .join(),
      ).toContain('for ana@example.com at other.example from');
    }
  });
});

describe('memoised sentences are shared only by rows that would word them alike', () => {
  const other = { rpId: 'other.example', userHandle: 'b3RoZXI', userName: 'bo' };
  const deleteOf = (rows: ReconcileRow[], k: string): string =>
    rows.find((r) => r.credentialId === k)!.actions.find((a) => a.kind === 'delete-local')!.effect;

  it('a group member spelling the RP differently from the leader gets its own words', () => {
    const { rows } = reconcile(
      inputs({ passkeys: [passkey(id(1), other), passkey(id(2), { ...other, rpId: 'Other.Example' })] }),
    );
    expect(deleteOf(rows, id(1))).toContain('for bo at other.example from');
    expect(deleteOf(rows, id(2))).toContain('for bo at Other.Example from');
  });

  it('a group member naming the user differently from the leader gets its own words', () => {
    const { rows } = reconcile(
      inputs({ passkeys: [passkey(id(1), other), passkey(id(2), { ...other, userName: 'bo (old)' })] }),
    );
    expect(deleteOf(rows, id(1))).toContain('for bo at other.example from');
    expect(deleteOf(rows, id(2))).toContain('for bo (old) at other.example from');
  });

  it('passkeys without a handle are grouped by user name', () => {
    const noHandle = { ...other, userHandle: null };
    const { rows } = reconcile(
      inputs({
        passkeys: [passkey(id(1), noHandle), passkey(id(2), { ...noHandle, lastUsedAt: '2025-05-01' })],
      }),
    );
    expect(rows.map((r) => r.status).sort()).toEqual(['duplicate', 'unmanaged']);
    expect(rows.find((r) => r.status === 'duplicate')!.credentialId).toBe(id(1));
  });

  it("a revoke names the account's user, whichever row words it first", () => {
    // A duplicate whose passkey names its user differently is worded first; the server orphan's revoke shares it.
    const { rows } = reconcile(
      inputs({
        passkeys: [passkey(id(1), { lastUsedAt: '2025-05-01' }), passkey(id(2), { userName: 'ana (work)' })],
        accounts: [account([cred(id(1)), cred(id(2)), cred(id(3), { aaguid: PASSKEY_DESK_AAGUID })])],
        retired: [gone(id(3))],
      }),
    );
    const revokes = rows.flatMap((r) => r.actions.filter((a) => a.kind === 'revoke-server'));
    expect(revokes).toHaveLength(2);
    for (const a of revokes)
      expect(a.effect).toMatch(/^Removes this passkey from ana@example.com at example.com on /);
  });

  it('open and mark sentences follow the provider the server names, not only the store', () => {
    // No AAGUID: no store is known, and one credential's provider name is the server's own.
    const result = reconcile(
      inputs({
        accounts: [account([cred(id(1)), cred(id(2), { providerName: 'Prov' })])],
      }),
    );
    const markOf = (k: string): string =>
      result.rows.find((r) => r.credentialId === k)!.actions.find((a) => a.kind === 'mark-deleted')!.effect;
    expect(markOf(id(1))).toContain('in the store that held it');
    expect(markOf(id(2))).toContain('in Prov');
  });
});

describe('benchmark inventory', () => {
  it('reconciles to exactly what the engine gave before the speed-ups (rows, order, words, ids, plan)', () => {
    // 6,000 rows of the benchmark's shape; the hash was taken from the engine as it was before issue #5's tuning.
    const input = JSON.parse(JSON.stringify(makeInputs(40, 7))) as ReturnType<typeof makeInputs>;
    const result = reconcile(input);
    const plan = buildPlan(result, 'all-safe');
    // Row keys were always qualified then; a key now stands alone when no other row has it (rowKeys.ts).
    // Qualified again, the result must be what it was, byte for byte.
    const legacy = new Map(
      result.rows.map((r) => [
        r.key,
        r.key !== r.credentialId
          ? r.key
          : r.local !== null
            ? `local:${r.local.store}:${r.key}`
            : `server:${r.accountId}:${r.key}`,
      ]),
    );
    expect(new Set(legacy.values()).size).toBe(result.rows.length);
    for (const r of result.rows) r.key = legacy.get(r.key)!;
    for (const s of plan.steps) s.rowKey = legacy.get(s.rowKey)!;
    // Steps gained `premise` later (what a server orphan's revoke rests on): checked here, then left out of the
    // digest, which predates it. Every server-orphan revoke has one, naming the row's store; no other step does.
    const rowOf = new Map(result.rows.map((r) => [r.key, r]));
    for (const s of plan.steps) {
      const row = rowOf.get(s.rowKey)!;
      expect(s.premise).toEqual(
        s.kind === 'revoke-server' && row.status === 'server-orphan' ? { goneFrom: row.store } : null,
      );
    }
    expect(plan.steps.some((s) => s.premise !== null)).toBe(true);
    const steps = plan.steps.map(({ premise: _premise, ...rest }) => rest);
    const digest = createHash('sha256')
      .update(JSON.stringify([result, { ...plan, steps }]))
      .digest('hex');
    expect(result.rows).toHaveLength(6000);
    expect(digest).toBe('8448368dc52e20e5f0d50b5e19732381e7c7f05334cc0fe250d12d4bcf0bb20a');
  });
});
