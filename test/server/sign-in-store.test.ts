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
import { revokeCredential } from '../../src/server/store/credentials';
import type { PostgresServer } from '../helpers/postgres';
import { startPostgres } from '../helpers/postgres';
import { Kysely as KyselyClass, sql, SqliteDialect } from 'kysely';

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

/**
 * A verified sign-in, as the flow decides it: a session, the counter one above the one read (or `counter`), and
 * the outcome 'ok', or `lost:<why>` when the store cannot record the session.
 */
const sessionWrite = (read: SignInRead, token: string, counter?: number): SignInDecision<string> => ({
  lost: (lost) => `lost:${lost.why}`,
  write: {
    kind: 'session',
    credentialId: read.credential!.id,
    counter: counter ?? read.credential!.counter + 1,
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
async function addCredential(
  db: Kysely<Database>,
  id = `cred-batch-${nextCredential++}`,
  counter = 5,
): Promise<string> {
  await db
    .insertInto('credentials')
    .values({
      id,
      user_id: 'user-1',
      public_key: 'pk',
      algorithm: -7,
      counter,
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

const liveSessionsOf = async (db: Kysely<Database>, credentialId: string): Promise<string[]> =>
  (
    await db
      .selectFrom('sessions')
      .select('token_hash')
      .where('credential_id', '=', credentialId)
      .where('revoked_at', 'is', null)
      .orderBy('token_hash')
      .execute()
  ).map((s) => s.token_hash);

const challengeExists = async (db: Kysely<Database>, id: string): Promise<boolean> =>
  (await db.selectFrom('challenges').select('id').where('id', '=', id).executeTakeFirst()) !== undefined;

const credentialState = async (db: Kysely<Database>, id: string) => {
  const row = await db
    .selectFrom('credentials')
    .select(['counter', 'flagged_at', 'flag_reason'])
    .where('id', '=', id)
    .executeTakeFirstOrThrow();
  return {
    ...row,
    counter: Number(row.counter),
    flagged_at: row.flagged_at === null ? null : Number(row.flagged_at),
  };
};

/**
 * A delegated (asynchronous) decision held open: `read` resolves once it has read the rows, `release` lets it
 * decide with `decision`.
 */
function heldDecision(decision: (read: SignInRead) => SignInDecision<string>) {
  let reached!: () => void;
  let release!: () => void;
  const read = new Promise<void>((resolve) => (reached = resolve));
  const gate = new Promise<void>((resolve) => (release = resolve));
  return {
    read,
    release,
    decide: async (r: SignInRead): Promise<SignInDecision<string>> => {
      reached();
      await gate;
      return decision(r);
    },
  };
}

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
      expect(cred).toEqual({ counter: 6, backed_up: 1, last_used_at: NOW });
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
            // As the flow decides: a flagged credential is refused.
            if (c.flagged_at !== null) return { write: { kind: 'none' }, outcome: 'refused' };
            if (i === 100)
              return {
                write: { kind: 'flag', credentialId: c.id, reason: 'test', now: NOW },
                outcome: 'flagged',
              };
            return sessionWrite(read, `${cred}-${i}`);
          }),
        ),
      );
      expect(results).toEqual(
        Array.from({ length: n }, (_, i) => (i < 100 ? 'ok' : i === 100 ? 'flagged' : 'refused')),
      );
      // Each sign-in read the counter the previous one wrote, across batches; the flag stays set.
      expect(seen.map((x) => x.counter)).toEqual(Array.from({ length: n }, (_, i) => 5 + Math.min(i, 100)));
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
        counter: 5 + 100,
        flagged_at: NOW,
        flag_reason: 'test',
        backed_up: 1,
        last_used_at: NOW,
      });
      expect(await sessionsOf(db, cred)).toHaveLength(100);
      // The flag ended every session the credential had signed in.
      expect(await liveSessionsOf(db, cred)).toEqual([]);
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

    it('a delegated decision for a credential revoked meanwhile records no session: its lost outcome instead', async () => {
      const cred = await addCredential(db);
      const held = heldDecision((read) => sessionWrite(read, `${cred}-late`));
      const pending = store.signIn(await issue(db), cred, held.decide);
      await held.read;
      await db.deleteFrom('credentials').where('id', '=', cred).execute();
      held.release();
      expect(await pending).toBe('lost:revoked');
      expect(await sessionsOf(db, cred)).toEqual([]);
    });

    it('a delegated decision for a credential flagged meanwhile records no session', async () => {
      const cred = await addCredential(db);
      const held = heldDecision((read) => sessionWrite(read, `${cred}-late`));
      const pending = store.signIn(await issue(db), cred, held.decide);
      await held.read;
      await store.signIn(await issue(db), cred, () => ({
        write: { kind: 'flag', credentialId: cred, reason: 'cloned', now: NOW },
        outcome: 'flagged',
      }));
      held.release();
      expect(await pending).toBe('lost:flagged');
      expect(await sessionsOf(db, cred)).toEqual([]);
      expect(await credentialState(db, cred)).toEqual({ counter: 5, flagged_at: NOW, flag_reason: 'cloned' });
    });

    it('a delegated decision overtaken by a later sign-in: the counter never goes back, and the late one is the regression it is', async () => {
      const cred = await addCredential(db); // counter 5
      const held = heldDecision((read) => sessionWrite(read, `${cred}-late`, 6));
      const pending = store.signIn(await issue(db), cred, held.decide);
      await held.read;
      // Meanwhile the authenticator's next sign-in (counter 7) is decided and written first.
      expect(
        await store.signIn(await issue(db), cred, (read) => sessionWrite(read, `${cred}-early`, 7)),
      ).toBe('ok');
      held.release();
      expect(await pending).toBe('lost:regressed');
      expect(await credentialState(db, cred)).toEqual({
        counter: 7,
        flagged_at: NOW,
        flag_reason: 'sign counter 6 is not above the stored 7',
      });
      // No session for the late one, and the flag ended the early one's (a clone may hold it).
      expect(await sessionsOf(db, cred)).toEqual([`${cred}-early`]);
      expect(await liveSessionsOf(db, cred)).toEqual([]);
    });

    it('authenticators without a counter (always 0) keep working when their sign-ins race', async () => {
      const cred = await addCredential(db, undefined, 0);
      const held = heldDecision((read) => sessionWrite(read, `${cred}-late`, 0));
      const pending = store.signIn(await issue(db), cred, held.decide);
      await held.read;
      expect(
        await store.signIn(await issue(db), cred, (read) => sessionWrite(read, `${cred}-early`, 0)),
      ).toBe('ok');
      held.release();
      expect(await pending).toBe('ok');
      expect(await credentialState(db, cred)).toEqual({ counter: 0, flagged_at: null, flag_reason: null });
      expect(await liveSessionsOf(db, cred)).toEqual([`${cred}-early`, `${cred}-late`]);
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

describe('sign-in store: PostgreSQL, another instance writes between a batch read and its write', () => {
  let server: PostgresServer | undefined;
  let database: OpenedDatabase;
  let store: SignInStore;
  beforeAll(async () => {
    server = await startPostgres();
    database = await openDatabase({ databaseUrl: await server.createDatabase('sign_in_race') });
    store = postgresSignIns(database.db);
    await seed(database.db);
  }, 60_000);
  afterAll(async () => {
    await database?.close();
    await server?.stop();
  });

  /**
   * `change` runs in a transaction that keeps the credential's row locked (as another instance's sign-in or revoke
   * does) while `signIn` reads the row as it was, decides, and comes to write (or, the other way round, while a
   * revoke comes to lock the row); once that waits for a lock, `meanwhile` runs in the same transaction, which then
   * commits. Returns the outcome of `signIn`.
   */
  async function raced(
    change: (trx: Kysely<Database>) => Promise<unknown>,
    signIn: () => Promise<string>,
    meanwhile?: (trx: Kysely<Database>) => Promise<unknown>,
  ): Promise<string> {
    let outcome!: Promise<string>;
    await database.db.transaction().execute(async (trx) => {
      await change(trx);
      outcome = signIn();
      outcome.catch(() => undefined);
      // Asked outside the transaction: inside it, PostgreSQL would answer from the statistics snapshot it took first.
      for (let i = 0; ; i++) {
        const { rows } = await sql<{ n: number }>`SELECT count(*)::int AS n FROM pg_stat_activity
          WHERE wait_event_type = 'Lock' AND datname = current_database()`.execute(database.db);
        if (rows[0]!.n > 0) break;
        if (i > 500) throw new Error('the raced write never waited for the row lock');
        await new Promise((resolve) => setTimeout(resolve, 10));
      }
      await meanwhile?.(trx);
    });
    return outcome;
  }

  it('a credential revoked meanwhile gets no session', async () => {
    const db = database.db;
    const cred = await addCredential(db);
    const challenge = await issue(db);
    const outcome = await raced(
      (trx) => trx.deleteFrom('credentials').where('id', '=', cred).execute(),
      () => store.signIn(challenge, cred, (read) => sessionWrite(read, `${cred}-raced`)),
    );
    expect(outcome).toBe('lost:revoked');
    expect(await sessionsOf(db, cred)).toEqual([]);
  });

  it('a sign-in that wrote first: the revoke waits for it to commit, then ends its session, all but the requester’s', async () => {
    const db = database.db;
    const cred = await addCredential(db);
    const session = (token_hash: string) => ({
      token_hash,
      user_id: 'user-1',
      credential_id: cred,
      created_at: NOW,
      verified_at: NOW,
      expires_at: NOW + 60_000,
      revoked_at: null,
    });
    // The session making the revoke request signed in with this very credential, as did another one earlier.
    await db
      .insertInto('sessions')
      .values([session(`${cred}-requester`), session(`${cred}-other`)])
      .execute();
    // What PG_WRITE does for a sign-in with this credential: lock its row, then insert the session. The revoke
    // comes in between: it locks the user's row, then waits for the credential's. The session insert must not wait
    // for the revoke in turn (its foreign key takes a key-share lock on the user's row: a deadlock, had the revoke
    // locked that row FOR UPDATE), and the revoke must end the sessions only after its wait, when it sees this one.
    const outcome = await raced(
      (trx) => sql`SELECT id FROM credentials WHERE id = ${cred} FOR UPDATE`.execute(trx),
      () => revokeCredential(db, 'postgres', 'user-1', cred, NOW + 1, `${cred}-requester`),
      (trx) =>
        trx
          .insertInto('sessions')
          .values(session(`${cred}-raced`))
          .execute(),
    );
    expect(outcome).toBe('revoked');
    const rows = await db
      .selectFrom('sessions')
      .select(['token_hash', 'revoked_at'])
      .where('credential_id', '=', cred)
      .orderBy('token_hash')
      .execute();
    expect(rows.map((r) => [r.token_hash, r.revoked_at === null ? null : Number(r.revoked_at)])).toEqual([
      [`${cred}-other`, NOW + 1],
      [`${cred}-raced`, NOW + 1],
      [`${cred}-requester`, null],
    ]);
  });

  it('a counter recorded meanwhile at or above this sign-in’s: never written back, and flagged as the regression it is', async () => {
    const db = database.db;
    const cred = await addCredential(db); // counter 5: the sign-in reads 5 and decides 6
    const challenge = await issue(db);
    const outcome = await raced(
      (trx) => trx.updateTable('credentials').set({ counter: 50 }).where('id', '=', cred).execute(),
      () => store.signIn(challenge, cred, (read) => sessionWrite(read, `${cred}-raced`)),
    );
    expect(outcome).toBe('lost:regressed');
    expect(await credentialState(db, cred)).toEqual({
      counter: 50,
      flagged_at: NOW,
      flag_reason: 'sign counter 6 is not above the stored 50',
    });
    expect(await sessionsOf(db, cred)).toEqual([]);
  });

  it('a counter recorded meanwhile below this sign-in’s: the sign-in still goes forward', async () => {
    const db = database.db;
    const cred = await addCredential(db);
    const challenge = await issue(db);
    const outcome = await raced(
      (trx) => trx.updateTable('credentials').set({ counter: 7 }).where('id', '=', cred).execute(),
      () => store.signIn(challenge, cred, (read) => sessionWrite(read, `${cred}-raced`, 9)),
    );
    expect(outcome).toBe('ok');
    expect(await credentialState(db, cred)).toEqual({ counter: 9, flagged_at: null, flag_reason: null });
    expect(await liveSessionsOf(db, cred)).toEqual([`${cred}-raced`]);
  });
});
