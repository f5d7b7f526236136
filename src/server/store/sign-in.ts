/**
 * The database side of one sign-in, shaped for the hot path: one read (consume the challenge and read the
 * credential with its owner) and one write (new counter and session, or a flag), instead of four separate
 * statements through the query builder.
 *
 * - Embedded SQLite: prepared statements run synchronously, so they never interleave with anything; when a
 *   Kysely transaction is open on the same connection they wait for Kysely's connection mutex instead of joining
 *   it. The sign-ins that arrive in one turn of the event loop share one transaction (group commit, see
 *   runBatch). When the decision is synchronous (the fast path), read, decision and write are in that
 *   transaction. When it is not (the input went to SimpleWebAuthn), the read commits first, so the challenge is
 *   consumed whatever happens, and the write is a second transaction.
 * - PostgreSQL: one statement per side (a data-modifying CTE each), so a sign-in is two round trips and holds no
 *   transaction open across the verification.
 *
 * The challenge is deleted by the read whatever the outcome (WebAuthn §13.4.3: a challenge is used once).
 */
import type { Kysely } from 'kysely';
import { CompiledQuery } from 'kysely';
import type { Database, SessionsTable } from '../db/schema';
import type { EmbeddedDatabase } from '../db/sqlite-database';

type Statement = ReturnType<EmbeddedDatabase['raw']['prepare']>;
import type { ChallengeRow } from './challenges';
import type { CredentialWithUser } from './credentials';

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
    // Per credential the last use and the last flag win, exactly as one UPDATE after the other would leave it.
    const used = new Map<string, [string, number, number, number]>();
    const flagged = new Map<string, [string, number, string]>();
    const sessions: (string | number | null)[] = [];
    for (const w of writes) {
      if (w.kind === 'session') {
        used.set(w.credentialId, [w.credentialId, w.counter, w.backedUp ? 1 : 0, w.session.created_at]);
        const s = w.session;
        sessions.push(
          s.token_hash,
          s.user_id,
          s.credential_id,
          s.created_at,
          s.verified_at,
          s.expires_at,
          s.revoked_at,
        );
      } else if (w.kind === 'flag') {
        flagged.set(w.credentialId, [w.credentialId, w.now, w.reason]);
      }
    }
    if (used.size) useAll(used.size).run([...used.values()].flat());
    if (flagged.size) flagAll(flagged.size).run([...flagged.values()].flat());
    if (sessions.length) insertSessions(sessions.length / 7).run(sessions);
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
    const writes: SignInWrite[] = [];
    const steps = batch.map((q): FirstStep<unknown> => {
      const challenge = taken.get(q.challengeId);
      taken.delete(q.challengeId);
      const current = challenge ? credentials.get(q.credentialId) : undefined;
      // A copy: a decision left pending (SimpleWebAuthn) must not see later sign-ins' changes.
      const decision = q.decide({ challenge, credential: current && { ...current } });
      if (decision instanceof Promise) return { step: 'pending', decision };
      const w = decision.write;
      const row = w.kind === 'none' ? undefined : credentials.get(w.credentialId);
      if (w.kind === 'session' && row) row.counter = w.counter;
      if (w.kind === 'flag' && row) row.flagged_at = w.now;
      writes.push(w);
      return { step: 'done', outcome: decision.outcome };
    });
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

interface ReadRow {
  challenge_id: string | null;
  challenge_flow: string | null;
  challenge_user_id: string | null;
  challenge_data: string | null;
  challenge_expires_at: number | null;
  id: string | null;
  user_id: string | null;
  public_key: string | null;
  counter: number | null;
  flagged_at: number | null;
  user_name: string | null;
  user_display_name: string | null;
}

// One row always comes back (the one-row source on the left); the DELETE in the CTE runs exactly once whether or
// not the credential exists.
const PG_READ = `WITH taken AS (DELETE FROM challenges WHERE id = $1 RETURNING ${CHALLENGE_COLUMNS})
SELECT t.id AS challenge_id, t.flow AS challenge_flow, t.user_id AS challenge_user_id, t.data AS challenge_data,
       t.expires_at AS challenge_expires_at,
       c.id, c.user_id, c.public_key, c.counter, c.flagged_at, u.name AS user_name, u.display_name AS user_display_name
FROM (SELECT 1) AS one
LEFT JOIN taken t ON true
LEFT JOIN credentials c ON c.id = $2
LEFT JOIN users u ON u.id = c.user_id`;

const PG_USE = `WITH used AS (UPDATE credentials SET counter = $1, backed_up = $2, last_used_at = $3 WHERE id = $4)
INSERT INTO sessions (token_hash, user_id, credential_id, created_at, verified_at, expires_at, revoked_at)
VALUES ($5, $6, $4, $3, $7, $8, NULL)`;

const PG_FLAG = 'UPDATE credentials SET flagged_at = $1, flag_reason = $2 WHERE id = $3';

export function postgresSignIns(db: Kysely<Database>): SignInStore {
  return {
    async signIn<T>(challengeId: string, credentialId: string, decide: Decide<T>): Promise<T> {
      const { rows } = await db.executeQuery<ReadRow>(
        CompiledQuery.raw(PG_READ, [challengeId, credentialId]),
      );
      const r = rows[0];
      const challenge: ChallengeRow | undefined =
        r !== undefined && r.challenge_id !== null
          ? {
              id: r.challenge_id,
              flow: r.challenge_flow ?? '',
              user_id: r.challenge_user_id,
              data: r.challenge_data ?? '{}',
              expires_at: Number(r.challenge_expires_at),
            }
          : undefined;
      const credential: CredentialWithUser | undefined =
        challenge &&
        r !== undefined &&
        r.id !== null &&
        r.user_id !== null &&
        r.public_key !== null &&
        r.user_name !== null
          ? {
              id: r.id,
              user_id: r.user_id,
              public_key: r.public_key,
              counter: Number(r.counter),
              flagged_at: r.flagged_at === null ? null : Number(r.flagged_at),
              user_name: r.user_name,
              user_display_name: r.user_display_name ?? '',
            }
          : undefined;
      const decision = await decide({ challenge, credential });
      const w = decision.write;
      if (w.kind === 'session') {
        const s = w.session;
        await db.executeQuery(
          CompiledQuery.raw(PG_USE, [
            w.counter,
            w.backedUp ? 1 : 0,
            s.created_at,
            w.credentialId,
            s.token_hash,
            s.user_id,
            s.verified_at,
            s.expires_at,
          ]),
        );
      } else if (w.kind === 'flag') {
        await db.executeQuery(CompiledQuery.raw(PG_FLAG, [w.now, w.reason, w.credentialId]));
      }
      return decision.outcome;
    },
  };
}
