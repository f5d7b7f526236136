/**
 * The database side of sign-ins, shaped for the hot path. Sign-ins that arrive together are grouped: one batch
 * reads every challenge it names (consuming them) and every credential with its owner, decides each sign-in in
 * order on that state, and writes what they decided, with one statement per step for the whole batch instead of
 * four statements per sign-in.
 *
 * - Embedded SQLite: prepared statements run synchronously, so they never interleave with anything; when a
 *   Kysely transaction is open on the same connection they wait for Kysely's connection mutex instead of joining
 *   it. A batch (the sign-ins of one event-loop turn) is one transaction (group commit). When every decision is
 *   synchronous (the fast path), read, decisions and writes are in that transaction. A decision that is not (the
 *   input went to SimpleWebAuthn) writes in a second transaction of its own; its challenge is consumed with the
 *   batch whatever happens.
 * - PostgreSQL: one round trip reads a batch (a data-modifying CTE), one writes it; one batch in flight at a time,
 *   so no transaction stays open across the decisions.
 *
 * A challenge is deleted by the read whatever the outcome (WebAuthn §13.4.3: a challenge is used once).
 */
import type { Kysely } from 'kysely';
import { CompiledQuery } from 'kysely';
import type { Database, SessionsTable } from '../db/schema';
import type { EmbeddedDatabase } from '../db/sqlite-database';
import type { ChallengeRow } from './challenges';
import type { CredentialWithUser } from './credentials';

type Statement = ReturnType<EmbeddedDatabase['raw']['prepare']>;

export interface SignInRead {
  /** The challenge row, already deleted; undefined when it was unknown or already used. */
  challenge: ChallengeRow | undefined;
  credential: CredentialWithUser | undefined;
}

export type SignInWrite =
  | { kind: 'session'; credentialId: string; counter: number; backedUp: boolean; session: SessionsTable }
  | { kind: 'flag'; credentialId: string; reason: string; now: number }
  | { kind: 'none' };

export interface SignInDecision<T> {
  write: SignInWrite;
  outcome: T;
}

export type Decide<T> = (read: SignInRead) => SignInDecision<T> | Promise<SignInDecision<T>>;

export interface SignInStore {
  /** Consumes the challenge, reads the credential, lets `decide` verify, writes what it decided; returns its outcome. */
  signIn<T>(challengeId: string, credentialId: string, decide: Decide<T>): Promise<T>;
  /**
   * The stored COSE key (base64url) of a credential, outside any transaction, where that is cheap (embedded
   * store: one indexed read, no round trip). Only a hint for checking the signature ahead: the sign-in reads
   * the row again in its transaction and decides on that.
   */
  storedPublicKey?(credentialId: string): string | undefined;
}

const CHALLENGE_COLUMNS = 'id, flow, user_id, data, expires_at';

/** Sign-ins per group-commit transaction at most (and so per statement: 64 × 7 session values). */
const MAX_BATCH = 64;

/**
 * Decides a batch of sign-ins one after the other on what the batch read, each seeing the state the ones before
 * it left, exactly as if they ran one by one: a challenge goes to the first sign-in that names it only, and a
 * credential's counter and flag carry over. Returns each sign-in's first step and the synchronous decisions'
 * writes. With `isolate`, a decision that throws fails only its own sign-in (its challenge is spent all the
 * same); without, the throw ends the batch (SQLite then rolls it back and runs each sign-in alone).
 */
function decideInOrder(
  batch: readonly Queued[],
  taken: Map<string, ChallengeRow>,
  credentials: Map<string, CredentialWithUser>,
  isolate: boolean,
): { steps: FirstStep<unknown>[]; writes: SignInWrite[] } {
  const writes: SignInWrite[] = [];
  const steps = batch.map((q): FirstStep<unknown> => {
    const challenge = taken.get(q.challengeId);
    taken.delete(q.challengeId);
    const current = challenge ? credentials.get(q.credentialId) : undefined;
    let decision: SignInDecision<unknown> | Promise<SignInDecision<unknown>>;
    try {
      // A copy: a decision left pending (SimpleWebAuthn) must not see later sign-ins' changes.
      decision = q.decide({ challenge, credential: current && { ...current } });
    } catch (error) {
      if (!isolate) throw error;
      return { step: 'failed', error };
    }
    if (decision instanceof Promise) return { step: 'pending', decision };
    const w = decision.write;
    const row = w.kind === 'none' ? undefined : credentials.get(w.credentialId);
    if (w.kind === 'session' && row) row.counter = w.counter;
    if (w.kind === 'flag' && row) row.flagged_at = w.now;
    writes.push(w);
    return { step: 'done', outcome: decision.outcome };
  });
  return { steps, writes };
}

/** A credential's columns after a batch's writes; `undefined` where the batch did not set them. */
interface CredentialUpdate {
  id: string;
  counter?: number;
  backedUp?: 0 | 1;
  lastUsedAt?: number;
  flaggedAt?: number;
  flagReason?: string;
}

/** A batch's writes folded per credential (the last use and the last flag win, as one UPDATE after another). */
function foldWrites(writes: readonly SignInWrite[]): {
  updates: CredentialUpdate[];
  sessions: SessionsTable[];
} {
  const updates = new Map<string, CredentialUpdate>();
  const sessions: SessionsTable[] = [];
  const of = (id: string): CredentialUpdate => {
    let u = updates.get(id);
    if (!u) updates.set(id, (u = { id }));
    return u;
  };
  for (const w of writes) {
    if (w.kind === 'session') {
      Object.assign(of(w.credentialId), {
        counter: w.counter,
        backedUp: w.backedUp ? 1 : 0,
        lastUsedAt: w.session.created_at,
      });
      sessions.push(w.session);
    } else if (w.kind === 'flag') {
      Object.assign(of(w.credentialId), { flaggedAt: w.now, flagReason: w.reason });
    }
  }
  return { updates: [...updates.values()], sessions };
}

export function sqliteSignIns(db: Kysely<Database>, sqlite: EmbeddedDatabase): SignInStore {
  const raw = sqlite.raw;
  // Prepared once (per batch size for the set-based ones): preparing costs about as much as running one of these
  // small statements, and libsql's per-call cost (about 7 µs) is most of a sign-in's database time.
  const begin = raw.prepare('BEGIN IMMEDIATE');
  const commit = raw.prepare('COMMIT');
  const rollback = raw.prepare('ROLLBACK');
  const take = raw.prepare('DELETE FROM challenges WHERE id = ?');
  const publicKey = raw.prepare('SELECT public_key FROM credentials WHERE id = ?');
  const marks = (n: number, width: number): string =>
    Array.from({ length: n }, () => `(${Array.from({ length: width }, () => '?').join(', ')})`).join(', ');
  const bySize = (sql: (n: number) => string): ((n: number) => Statement) => {
    const prepared = new Map<number, Statement>();
    return (n) => {
      let statement = prepared.get(n);
      if (!statement) prepared.set(n, (statement = raw.prepare(sql(n))));
      return statement;
    };
  };
  const takeAll = bySize(
    (n) => `DELETE FROM challenges WHERE id IN ${marks(1, n)} RETURNING ${CHALLENGE_COLUMNS}`,
  );
  const readAll = bySize(
    (n) =>
      'SELECT c.id, c.user_id, c.public_key, c.counter, c.flagged_at, u.name AS user_name, u.display_name AS user_display_name ' +
      `FROM credentials c JOIN users u ON u.id = c.user_id WHERE c.id IN ${marks(1, n)}`,
  );
  const useAll = bySize(
    (n) =>
      'UPDATE credentials SET counter = v.column2, backed_up = v.column3, last_used_at = v.column4 ' +
      `FROM (VALUES ${marks(n, 4)}) AS v WHERE credentials.id = v.column1`,
  );
  const flagAll = bySize(
    (n) =>
      'UPDATE credentials SET flagged_at = v.column2, flag_reason = v.column3 ' +
      `FROM (VALUES ${marks(n, 3)}) AS v WHERE credentials.id = v.column1`,
  );
  const insertSessions = bySize(
    (n) =>
      'INSERT INTO sessions (token_hash, user_id, credential_id, created_at, verified_at, expires_at, revoked_at) ' +
      `VALUES ${marks(n, 7)}`,
  );

  /** Writes what sign-ins decided: one statement per kind of write for the whole batch. */
  const writeAll = (writes: readonly SignInWrite[]): void => {
    const { updates, sessions } = foldWrites(writes);
    const used = updates.filter((u) => u.counter !== undefined);
    const flagged = updates.filter((u) => u.flaggedAt !== undefined);
    if (used.length)
      useAll(used.length).run(used.flatMap((u) => [u.id, u.counter!, u.backedUp!, u.lastUsedAt!]));
    if (flagged.length)
      flagAll(flagged.length).run(flagged.flatMap((u) => [u.id, u.flaggedAt!, u.flagReason!]));
    if (sessions.length) {
      insertSessions(sessions.length).run(
        sessions.flatMap((s) => [
          s.token_hash,
          s.user_id,
          s.credential_id,
          s.created_at,
          s.verified_at,
          s.expires_at,
          s.revoked_at,
        ]),
      );
    }
  };

  /** Runs `body` in one transaction; on any error it rolls back and rethrows. Synchronous on purpose. */
  const transaction = <R>(body: () => R): R => {
    begin.run();
    try {
      const result = body();
      commit.run();
      return result;
    } catch (e) {
      if (raw.inTransaction) rollback.run();
      throw e;
    }
  };

  // Kysely's SQLite driver guards its single connection with a mutex; taking it keeps these statements out of
  // any Kysely transaction in flight (a revoke, a registration) on the same connection.
  const exclusive = <R>(body: () => R): Promise<R> => db.connection().execute(() => Promise.resolve(body()));

  /**
   * Reads, decides and (when the decision is synchronous) writes a batch of sign-ins inside an open transaction,
   * with one statement per step for the whole batch. Each sign-in sees the state the ones before it left, as if
   * they ran one after the other: a challenge is handed to the first sign-in that names it only, and a
   * credential's counter and flag carry over from one sign-in to the next.
   */
  const stepAll = (batch: readonly Queued[]): FirstStep<unknown>[] => {
    const challengeIds = [...new Set(batch.map((q) => q.challengeId))];
    const taken = new Map<string, ChallengeRow>();
    // all(), not get(): it steps each statement to the end and resets it, so no statement is left open
    // (libsql's get() can leave one mid-step, which misbehaved on reuse after a ROLLBACK).
    for (const row of takeAll(challengeIds.length).all(challengeIds) as ChallengeRow[])
      taken.set(row.id, row);
    const credentialIds = [
      ...new Set(batch.filter((q) => taken.has(q.challengeId)).map((q) => q.credentialId)),
    ];
    const credentials = new Map<string, CredentialWithUser>();
    if (credentialIds.length) {
      for (const row of readAll(credentialIds.length).all(credentialIds) as CredentialWithUser[])
        credentials.set(row.id, row);
    }
    const { steps, writes } = decideInOrder(batch, taken, credentials, false);
    writeAll(writes);
    return steps;
  };

  /** One sign-in in its own transaction; if that fails (a bug or a database error), the challenge is still spent. */
  const runOne = (q: Queued): FirstStep<unknown> => {
    try {
      return transaction(() => stepAll([q])[0]!);
    } catch (error) {
      try {
        take.run([q.challengeId]);
      } catch {
        // The database itself is failing: the sign-in fails with the first error; the challenge still expires.
      }
      return { step: 'failed', error };
    }
  };

  /**
   * Group commit: the sign-ins that arrive in one turn of the event loop share one transaction (COMMIT writes
   * every touched page to the WAL and is the largest database cost of a sign-in) and one statement per step.
   * No reply leaves before the COMMIT. If anything in the batch throws, the whole batch rolls back (nothing was
   * answered yet) and each sign-in is run again in its own transaction, so one failure cannot affect the others.
   */
  const runBatch = (batch: Queued[]): FirstStep<unknown>[] => {
    if (batch.length === 1) return [runOne(batch[0]!)];
    let steps: FirstStep<unknown>[] = [];
    try {
      return transaction(() => (steps = stepAll(batch)));
    } catch {
      // Decisions left pending by the rolled-back attempt are dropped (they are decided again below).
      for (const s of steps) if (s.step === 'pending') s.decision.catch(() => undefined);
      return batch.map(runOne);
    }
  };

  let queue: Queued[] = [];
  const flush = (): void => {
    const all = queue;
    queue = [];
    for (let i = 0; i < all.length; i += MAX_BATCH) {
      const batch = all.slice(i, i + MAX_BATCH);
      const settle = (steps: FirstStep<unknown>[]): void => batch.forEach((q, j) => q.settle(steps[j]!));
      if (!raw.inTransaction) {
        let steps: FirstStep<unknown>[];
        try {
          steps = runBatch(batch);
        } catch (error) {
          // Never leave a request unanswered (this runs from setImmediate, where a throw would end the process).
          steps = batch.map(() => ({ step: 'failed', error }));
        }
        settle(steps);
        continue;
      }
      exclusive(() => runBatch(batch)).then(settle, (error: unknown) =>
        settle(batch.map(() => ({ step: 'failed', error }))),
      );
    }
  };

  return {
    storedPublicKey(credentialId: string): string | undefined {
      return (publicKey.all([credentialId]) as { public_key: string }[])[0]?.public_key;
    },
    async signIn<T>(challengeId: string, credentialId: string, decide: Decide<T>): Promise<T> {
      const first = (await new Promise<FirstStep<unknown>>((settle) => {
        if (queue.length === 0) setImmediate(flush);
        queue.push({ challengeId, credentialId, decide, settle });
      })) as FirstStep<T>;
      if (first.step === 'failed') throw first.error;
      if (first.step === 'done') return first.outcome;
      const decision = await first.decision;
      if (decision.write.kind !== 'none')
        await exclusive(() => transaction(() => writeAll([decision.write])));
      return decision.outcome;
    },
  };
}

interface Queued {
  challengeId: string;
  credentialId: string;
  decide: Decide<unknown>;
  settle: (first: FirstStep<unknown>) => void;
}

type FirstStep<T> =
  | { step: 'done'; outcome: T }
  | { step: 'pending'; decision: Promise<SignInDecision<T>> }
  | { step: 'failed'; error: unknown };

interface BatchRow {
  kind: 'challenge' | 'credential';
  id: string;
  flow: string | null;
  user_id: string | null;
  data: string | null;
  expires_at: string | number | null;
  public_key: string | null;
  counter: string | number | null;
  flagged_at: string | number | null;
  user_name: string | null;
  user_display_name: string | null;
}

// One round trip reads a whole batch: the DELETE spends every named challenge (and returns the ones that
// existed), the second part reads every named credential with its owner.
const PG_READ = `WITH taken AS (DELETE FROM challenges WHERE id = ANY($1::text[]) RETURNING ${CHALLENGE_COLUMNS})
SELECT 'challenge' AS kind, id, flow, user_id, data, expires_at,
       NULL AS public_key, NULL::bigint AS counter, NULL::bigint AS flagged_at, NULL AS user_name, NULL AS user_display_name
FROM taken
UNION ALL
SELECT 'credential', c.id, NULL, c.user_id, NULL, NULL, c.public_key, c.counter, c.flagged_at, u.name, u.display_name
FROM credentials c JOIN users u ON u.id = c.user_id WHERE c.id = ANY($2::text[])`;

// And one writes it: each credential's final state (one row per credential, so no row is updated twice in one
// statement), then every new session.
const PG_WRITE = `WITH v AS (
  SELECT * FROM unnest($1::text[], $2::bigint[], $3::int[], $4::bigint[], $5::bigint[], $6::text[])
    AS v(id, counter, backed_up, last_used_at, flagged_at, flag_reason)
), updated AS (
  UPDATE credentials c SET counter = COALESCE(v.counter, c.counter), backed_up = COALESCE(v.backed_up, c.backed_up),
    last_used_at = COALESCE(v.last_used_at, c.last_used_at), flagged_at = COALESCE(v.flagged_at, c.flagged_at),
    flag_reason = COALESCE(v.flag_reason, c.flag_reason)
  FROM v WHERE c.id = v.id
)
INSERT INTO sessions (token_hash, user_id, credential_id, created_at, verified_at, expires_at, revoked_at)
SELECT * FROM unnest($7::text[], $8::text[], $9::text[], $10::bigint[], $11::bigint[], $12::bigint[], $13::bigint[])`;

const num = (v: string | number | null): number | null => (v === null ? null : Number(v));

/**
 * PostgreSQL, grouped like the embedded store: the sign-ins that arrive in one turn of the event loop share one
 * read (one round trip) and one write (one round trip), instead of two round trips each. No transaction stays
 * open across the decisions: the read commits at once (every challenge it names is spent, whatever happens), the
 * write is one atomic statement, and no reply leaves before it. Instances sharing the database each batch their
 * own sign-ins; the database keeps every challenge single-use across them.
 */
export function postgresSignIns(db: Kysely<Database>): SignInStore {
  const writeAll = async (writes: readonly SignInWrite[]): Promise<void> => {
    const { updates, sessions } = foldWrites(writes);
    if (!updates.length && !sessions.length) return;
    const column = <T>(rows: readonly T[], f: (row: T) => unknown): unknown[] => rows.map(f);
    await db.executeQuery(
      CompiledQuery.raw(PG_WRITE, [
        column(updates, (u) => u.id),
        column(updates, (u) => u.counter ?? null),
        column(updates, (u) => u.backedUp ?? null),
        column(updates, (u) => u.lastUsedAt ?? null),
        column(updates, (u) => u.flaggedAt ?? null),
        column(updates, (u) => u.flagReason ?? null),
        column(sessions, (s) => s.token_hash),
        column(sessions, (s) => s.user_id),
        column(sessions, (s) => s.credential_id),
        column(sessions, (s) => s.created_at),
        column(sessions, (s) => s.verified_at),
        column(sessions, (s) => s.expires_at),
        column(sessions, (s) => s.revoked_at),
      ]),
    );
  };

  const runBatch = async (batch: readonly Queued[]): Promise<FirstStep<unknown>[]> => {
    const { rows } = await db.executeQuery<BatchRow>(
      CompiledQuery.raw(PG_READ, [
        [...new Set(batch.map((q) => q.challengeId))],
        [...new Set(batch.map((q) => q.credentialId))],
      ]),
    );
    const taken = new Map<string, ChallengeRow>();
    const credentials = new Map<string, CredentialWithUser>();
    for (const r of rows) {
      if (r.kind === 'challenge') {
        taken.set(r.id, {
          id: r.id,
          flow: r.flow ?? '',
          user_id: r.user_id,
          data: r.data ?? '{}',
          expires_at: Number(r.expires_at),
        });
      } else if (r.user_id !== null && r.public_key !== null && r.user_name !== null) {
        credentials.set(r.id, {
          id: r.id,
          user_id: r.user_id,
          public_key: r.public_key,
          counter: Number(r.counter),
          flagged_at: num(r.flagged_at),
          user_name: r.user_name,
          user_display_name: r.user_display_name ?? '',
        });
      }
    }
    const { steps, writes } = decideInOrder(batch, taken, credentials, true);
    await writeAll(writes);
    return steps;
  };

  // One batch in flight at a time: a batch reads what the previous one wrote, so a credential's counter carries
  // over between batches as it does within one. Sign-ins arriving meanwhile wait and form the next batch.
  const queue: Queued[] = [];
  let running = false;
  const pump = (): void => {
    if (running || queue.length === 0) return;
    running = true;
    const batch = queue.splice(0, MAX_BATCH);
    runBatch(batch)
      .then(
        (steps) => batch.forEach((q, j) => q.settle(steps[j]!)),
        (error: unknown) => batch.forEach((q) => q.settle({ step: 'failed', error })),
      )
      .finally(() => {
        running = false;
        pump();
      });
  };

  return {
    async signIn<T>(challengeId: string, credentialId: string, decide: Decide<T>): Promise<T> {
      const first = (await new Promise<FirstStep<unknown>>((settle) => {
        queue.push({ challengeId, credentialId, decide, settle });
        if (queue.length === 1) setImmediate(pump);
      })) as FirstStep<T>;
      if (first.step === 'failed') throw first.error;
      if (first.step === 'done') return first.outcome;
      const decision = await first.decision;
      if (decision.write.kind !== 'none') await writeAll([decision.write]);
      return decision.outcome;
    },
  };
}
