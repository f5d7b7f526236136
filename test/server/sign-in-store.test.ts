/**
 * The sign-in's database work (store/sign-in.ts) on both engines: the read consumes the challenge, the write
 * records the outcome; a failed decision spends the challenge and writes nothing; a delegated (asynchronous)
 * decision commits the read first. Sign-ins started together are batched on both engines without losing single
 * use, order (counters and flags carry over from one to the next, across batches) or isolation from each other's
 * failures. On SQLite the sign-in must also wait for a Kysely transaction in flight on the shared connection, and
 * WAL checkpoints must run in the background worker.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Kysely } from 'kysely';
import type { OpenedDatabase } from '../../src/server/db/open-database';
import { openDatabase } from '../../src/server/db/open-database';
import { migrateToLatest } from '../../src/server/db/migrations';
import type { Database } from '../../src/server/db/schema';
import { openSqlite } from '../../src/server/db/sqlite-database';
import type { SignInDecision, SignInRead, SignInStore } from '../../src/server/store/sign-in';
import { postgresSignIns, sqliteSignIns } from '../../src/server/store/sign-in';
import type { PostgresServer } from '../helpers/postgres';
import { startPostgres } from '../helpers/postgres';
import { Kysely as KyselyClass, SqliteDialect } from 'kysely';

const NOW = 1_000_000;

async function seed(db: Kysely<Database>): Promise<void> {
  await db
    .insertInto('users')
    .values({ id: 'user-1', name: 'alice', display_name: 'Alice', created_at: NOW })
    .execute();
  await addCredential(db, 'cred-1');
}

let nextChallenge = 0;
async function issue(db: Kysely<Database>): Promise<string> {
  const id = `challenge-${nextChallenge++}-aaaaaaaaaaaaaaaa`;
  await db
    .insertInto('challenges')
    .values({ id, flow: 'authentication', user_id: null, data: '{}', expires_at: NOW + 60_000 })
    .execute();
  return id;
}

const sessionWrite = (read: SignInRead, token: string): SignInDecision<string> => ({
  write: {
    kind: 'session',
    credentialId: read.credential!.id,
    counter: 9,
    backedUp: true,
    session: {
      token_hash: token,
      user_id: read.credential!.user_id,
      credential_id: read.credential!.id,
      created_at: NOW,
      verified_at: NOW,
      expires_at: NOW + 1000,
      revoked_at: null,
    },
  },
  outcome: 'ok',
});

let nextCredential = 0;
/** A credential of user-1 (counter 5); a fresh one per batch test, so that it does not see other tests' writes. */
async function addCredential(db: Kysely<Database>, id = `cred-batch-${nextCredential++}`): Promise<string> {
  await db
    .insertInto('credentials')
    .values({
      id,
      user_id: 'user-1',
      public_key: 'pk',
      algorithm: -7,
      counter: 5,
      transports: '[]',
      aaguid: '00000000-0000-0000-0000-000000000000',
      device_type: 'multiDevice',
      backup_eligible: 1,
      backed_up: 0,
      name: 'Key',
      created_at: NOW,
      last_used_at: null,
      flagged_at: null,
      flag_reason: null,
    })
    .execute();
  return id;
}

const sessionsOf = async (db: Kysely<Database>, credentialId: string): Promise<string[]> =>
  (
    await db
      .selectFrom('sessions')
      .select('token_hash')
      .where('credential_id', '=', credentialId)
      .orderBy('token_hash')
      .execute()
  ).map((s) => s.token_hash);

const challengeExists = async (db: Kysely<Database>, id: string): Promise<boolean> =>
  (await db.selectFrom('challenges').select('id').where('id', '=', id).executeTakeFirst()) !== undefined;

function storeContract(
  name: string,
  open: () => Promise<{ db: Kysely<Database>; store: SignInStore; close(): Promise<void> }>,
): void {
  describe(`sign-in store: ${name}`, () => {
    let db: Kysely<Database>;
    let store: SignInStore;
    let close: () => Promise<void>;
    beforeAll(async () => {
      ({ db, store, close } = await open());
      await seed(db);
    }, 60_000);
    afterAll(async () => close?.());

    it('a synchronous decision: reads the challenge and credential, writes counter and session, spends the challenge', async () => {
      const challenge = await issue(db);
      let seen: SignInRead | undefined;
      const outcome = await store.signIn(challenge, 'cred-1', (read) => {
        seen = read;
        return sessionWrite(read, `sync-${name}`);
      });
      expect(outcome).toBe('ok');
      expect(seen?.challenge).toMatchObject({
        id: challenge,
        flow: 'authentication',
        user_id: null,
        expires_at: NOW + 60_000,
      });
      expect(seen?.credential).toMatchObject({
        id: 'cred-1',
        user_id: 'user-1',
        public_key: 'pk',
        counter: 5,
        flagged_at: null,
        user_name: 'alice',
        user_display_name: 'Alice',
      });
      expect(await challengeExists(db, challenge)).toBe(false);
      const cred = await db
        .selectFrom('credentials')
        .select(['counter', 'backed_up', 'last_used_at'])
        .where('id', '=', 'cred-1')
        .executeTakeFirstOrThrow();
      expect(cred).toEqual({ counter: 9, backed_up: 1, last_used_at: NOW });
      expect(
        await db
          .selectFrom('sessions')
          .select('user_id')
          .where('token_hash', '=', `sync-${name}`)
          .executeTakeFirst(),
      ).toEqual({ user_id: 'user-1' });
    });

    it('a used or unknown challenge reads as undefined, and the same challenge cannot be read twice', async () => {
      const challenge = await issue(db);
      const reads: SignInRead[] = [];
      const decide = (read: SignInRead): SignInDecision<null> => (
        reads.push(read),
        { write: { kind: 'none' }, outcome: null }
      );
      await store.signIn(challenge, 'cred-1', decide);
      await store.signIn(challenge, 'cred-1', decide);
      expect(reads[0]?.challenge?.id).toBe(challenge);
      expect(reads[1]?.challenge).toBeUndefined();
    });

    it('an unknown credential reads as undefined', async () => {
      const challenge = await issue(db);
      let seen: SignInRead | undefined;
      await store.signIn(
        challenge,
        'nope',
        (read) => ((seen = read), { write: { kind: 'none' }, outcome: null }),
      );
      expect(seen?.challenge?.id).toBe(challenge);
      expect(seen?.credential).toBeUndefined();
    });

    it('a decision that throws: the error surfaces, nothing is written, and the challenge is still spent', async () => {
      const challenge = await issue(db);
      const before = await db.selectFrom('sessions').select('token_hash').execute();
      await expect(
        store.signIn(challenge, 'cred-1', () => {
          throw new Error('boom');
        }),
      ).rejects.toThrow('boom');
      expect(await challengeExists(db, challenge)).toBe(false);
      expect(await db.selectFrom('sessions').select('token_hash').execute()).toEqual(before);
    });

    it('an asynchronous (delegated) decision: the challenge is spent before it settles, the session written after', async () => {
      const challenge = await issue(db);
      let release!: () => void;
      const gate = new Promise<void>((resolve) => (release = resolve));
      const pending = store.signIn(challenge, 'cred-1', async (read) => {
        await gate;
        return sessionWrite(read, `async-${name}`);
      });
      // The connection is free while the decision is pending: other queries run, and see the challenge gone.
      await new Promise((resolve) => setTimeout(resolve, 20));
      const readDuring = await challengeExists(db, challenge);
      release();
      expect(await pending).toBe('ok');
      expect(readDuring).toBe(false);
      expect(
        await db
          .selectFrom('sessions')
          .select('user_id')
          .where('token_hash', '=', `async-${name}`)
          .executeTakeFirst(),
      ).toEqual({ user_id: 'user-1' });
    });

    it('sign-ins started together keep single use: one challenge, two attempts, one session', async () => {
      const cred = await addCredential(db);
      const shared = await issue(db);
      const other = await issue(db);
      const seen: (string | undefined)[] = [];
      const attempt = (challenge: string, token: string) =>
        store.signIn(challenge, cred, (read) => {
          seen.push(read.challenge?.id);
          return read.challenge
            ? sessionWrite(read, token)
            : { write: { kind: 'none' as const }, outcome: 'refused' };
        });
      // Started in the same turn of the event loop: one batch.
      const results = await Promise.all([
        attempt(shared, `${cred}-first`),
        attempt(shared, `${cred}-replay`),
        attempt(other, `${cred}-other`),
      ]);
      expect(results).toEqual(['ok', 'refused', 'ok']);
      expect(seen).toEqual([shared, undefined, other]);
      expect(await sessionsOf(db, cred)).toEqual([`${cred}-first`, `${cred}-other`]);
      expect(await challengeExists(db, shared)).toBe(false);
      expect(await challengeExists(db, other)).toBe(false);
    });

    it('sign-ins started together see each other in order: counters carry over, a flag holds for the rest, past one statement batch', async () => {
      const cred = await addCredential(db);
      const n = 150; // more than one batch (64)
      const challenges: string[] = [];
      for (let i = 0; i < n; i++) challenges.push(await issue(db));
      const seen: { counter: number; flagged: boolean }[] = [];
      const results = await Promise.all(
        challenges.map((challenge, i) =>
          store.signIn(challenge, cred, (read): SignInDecision<string> => {
            const c = read.credential!;
            seen.push({ counter: c.counter, flagged: c.flagged_at !== null });
            if (i === 100)
              return {
                write: { kind: 'flag', credentialId: c.id, reason: 'test', now: NOW },
                outcome: 'flagged',
              };
            const decision = sessionWrite(read, `${cred}-${i}`);
            return decision.write.kind === 'session'
              ? { ...decision, write: { ...decision.write, counter: c.counter + 1 } }
              : decision;
          }),
        ),
      );
      expect(results.filter((r) => r === 'ok')).toHaveLength(n - 1);
      // Each sign-in read the counter the previous one wrote, across batches; the flag stays set.
      expect(seen.map((x) => x.counter)).toEqual(
        Array.from({ length: n }, (_, i) => 5 + (i <= 100 ? i : i - 1)),
      );
      expect(seen.map((x) => x.flagged)).toEqual(Array.from({ length: n }, (_, i) => i > 100));
      const row = await db
        .selectFrom('credentials')
        .select(['counter', 'flagged_at', 'flag_reason', 'backed_up', 'last_used_at'])
        .where('id', '=', cred)
        .executeTakeFirstOrThrow();
      expect({
        ...row,
        counter: Number(row.counter),
        flagged_at: Number(row.flagged_at),
        last_used_at: Number(row.last_used_at),
      }).toEqual({
        counter: 5 + n - 1,
        flagged_at: NOW,
        flag_reason: 'test',
        backed_up: 1,
        last_used_at: NOW,
      });
      expect(await sessionsOf(db, cred)).toHaveLength(n - 1);
      for (const c of challenges) expect(await challengeExists(db, c)).toBe(false);
    });

    it('one failing sign-in in a batch spends its challenge and does not undo the others', async () => {
      const cred = await addCredential(db);
      const [a, b, c] = [await issue(db), await issue(db), await issue(db)];
      const results = await Promise.allSettled([
        store.signIn(a, cred, (read) => sessionWrite(read, `${cred}-a`)),
        store.signIn(b, cred, () => {
          throw new Error('bug in the decision');
        }),
        store.signIn(c, cred, (read) => sessionWrite(read, `${cred}-c`)),
      ]);
      expect(results.map((r) => r.status)).toEqual(['fulfilled', 'rejected', 'fulfilled']);
      expect(await sessionsOf(db, cred)).toEqual([`${cred}-a`, `${cred}-c`]);
      // Every challenge is spent, the failed one included.
      for (const id of [a, b, c]) expect(await challengeExists(db, id)).toBe(false);
    });

    it('a flag decision marks the credential', async () => {
      const challenge = await issue(db);
      await store.signIn(challenge, 'cred-1', () => ({
        write: { kind: 'flag', credentialId: 'cred-1', reason: 'counter went back', now: NOW },
        outcome: null,
      }));
      expect(
        await db
          .selectFrom('credentials')
          .select(['flagged_at', 'flag_reason'])
          .where('id', '=', 'cred-1')
          .executeTakeFirstOrThrow(),
      ).toEqual({
        flagged_at: NOW,
        flag_reason: 'counter went back',
      });
    });
  });
}

storeContract('SQLite', async () => {
  const database = await openDatabase({ sqlitePath: ':memory:' });
  return {
    db: database.db,
    store: sqliteSignIns(database.db, database.sqlite!),
    close: () => database.close(),
  };
});

let postgres: PostgresServer | undefined;
storeContract('PostgreSQL', async () => {
  postgres = await startPostgres();
  const database: OpenedDatabase = await openDatabase({
    databaseUrl: await postgres.createDatabase('sign_in_store'),
  });
  return {
    db: database.db,
    store: postgresSignIns(database.db),
    close: async () => {
      await database.close();
      await postgres?.stop();
    },
  };
});

describe('sign-in store: SQLite specifics', () => {
  it('waits for a Kysely transaction in flight on the same connection instead of joining it', async () => {
    const database = await openDatabase({ sqlitePath: ':memory:' });
    try {
      await seed(database.db);
      const store = sqliteSignIns(database.db, database.sqlite!);
      const challenge = await issue(database.db);
      const order: string[] = [];
      // A transaction that yields between its statements and then rolls back: had the sign-in joined it, its
      // writes would be rolled back with it. The sign-in starts once the transaction is open (BEGIN issued and a
      // write done); a sign-in started while no transaction is open runs at once, which cannot join anything.
      let opened!: () => void;
      const isOpen = new Promise<void>((resolve) => (opened = resolve));
      const trx = database.db
        .transaction()
        .execute(async (t) => {
          await t
            .insertInto('users')
            .values({ id: 'user-2', name: 'bob', display_name: 'Bob', created_at: NOW })
            .execute();
          opened();
          await new Promise((resolve) => setTimeout(resolve, 30));
          order.push('transaction');
          throw new Error('roll back');
        })
        .catch(() => undefined);
      await isOpen;
      expect(database.sqlite!.raw.inTransaction).toBe(true);
      const signIn = store.signIn(
        challenge,
        'cred-1',
        (read) => (order.push('sign-in'), sessionWrite(read, 'after-trx')),
      );
      await Promise.all([trx, signIn]);
      expect(order).toEqual(['transaction', 'sign-in']);
      expect(
        await database.db
          .selectFrom('sessions')
          .select('user_id')
          .where('token_hash', '=', 'after-trx')
          .executeTakeFirst(),
      ).toEqual({ user_id: 'user-1' });
      expect(
        await database.db.selectFrom('users').select('id').where('id', '=', 'user-2').executeTakeFirst(),
      ).toBeUndefined();
    } finally {
      await database.close();
    }
  });

  it('checkpoints the WAL from the background worker, not inside a commit', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'pkd-checkpoint-'));
    const frames: number[] = [];
    const sqlite = openSqlite(join(dir, 'db.sqlite'), {
      checkpoints: { intervalMs: 20, onCheckpoint: (n) => frames.push(n) },
    });
    const db = new KyselyClass<Database>({ dialect: new SqliteDialect({ database: sqlite }) });
    try {
      expect(
        (sqlite.raw.prepare('PRAGMA wal_autocheckpoint').get() as { wal_autocheckpoint: number })
          .wal_autocheckpoint,
      ).toBeGreaterThanOrEqual(10_000);
      await migrateToLatest(db as unknown as Kysely<unknown>);
      await seed(db);
      for (let i = 0; i < 50; i++) await issue(db);
      for (let i = 0; i < 100 && frames.length === 0; i++)
        await new Promise((resolve) => setTimeout(resolve, 20));
      expect(frames.some((n) => n > 0)).toBe(true);
    } finally {
      await db.destroy();
      rmSync(dir, { recursive: true, force: true });
    }
  });
});
