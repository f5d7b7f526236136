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
 *
 * A decision is made on rows read before it is written: the asynchronous ones (SimpleWebAuthn) and, on PostgreSQL,
 * every one (the read and the write are separate round trips, and other instances write in between). So a session
 * write is judged again when it is written, against the credential as it is then: the session is recorded only if
 * the credential still exists, is not flagged, and the sign counter still goes forward by the same rule the
 * decision used (`counterRegressed`). Otherwise the sign-in gets its decision's `lost` outcome instead: a
 * credential revoked meanwhile gets no session, and a counter overtaken meanwhile (another sign-in recorded the
 * same or a higher one first) is the regression it would have been had the two arrived one after the other: the
 * credential is flagged. The stored counter never goes backwards. On SQLite a synchronous decision needs no second
 * look: its read, decision and write are one transaction that nothing else interleaves with.
 *
 * This is what keeps a revoke from missing a session: a session whose passkey is gone is not refused on use (the
 * one that revoked its own passkey lives on, store/sessions.ts), so the revoke must end every other one. A sign-in
 * racing it either writes first (on PostgreSQL the revoke's FOR UPDATE of the credential waits for this write's,
 * and its later statement that ends the sessions sees this one) or finds the credential gone and records nothing.
 *
 * Flagging a credential also ends the sessions that signed in with it and deletes the desktop login codes they
 * approved (a possible clone may hold one of them); flags are rare, so that is an extra statement only then.
 */
import type { Kysely } from 'kysely';
import { CompiledQuery } from 'kysely';
import type { Database, SessionsTable } from '../db/schema';
import type { EmbeddedDatabase } from '../db/sqlite-database';
import { counterRegressed } from '../webauthn/fast-verify';
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

type SessionWrite = Extract<SignInWrite, { kind: 'session' }>;

/**
 * Why a session write was not recorded (see the file comment): the credential was revoked, or flagged, after the
 * decision read it; or its counter was overtaken meanwhile, and the credential is now flagged for it.
 */
export type LostSignIn = { why: 'revoked' } | { why: 'flagged' } | { why: 'regressed'; reason: string };

export interface SignInDecision<T> {
  write: SignInWrite;
  outcome: T;
  /** The outcome instead of `outcome` when a session write is not recorded. A session write without it fails. */
  lost?: (lost: LostSignIn) => T;
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
    return { step: 'done', outcome: decision.outcome, decision };
  });
  return { steps, writes };
}

const NO_WRITE: SignInWrite = { kind: 'none' };

const regressionReason = (counter: number, stored: number): string =>
  `sign counter ${counter} is not above the stored ${stored}`;

/**
 * A session write judged again against the credential as it is now (undefined: gone): what to write instead, and
 * why the session is lost, if it is. The same rule as PG_WRITE's `judged`.
 */
export function judgeSessionWrite(
  write: SessionWrite,
  current: { counter: number; flagged_at: number | null } | undefined,
): { write: SignInWrite; lost?: LostSignIn } {
  if (!current) return { write: NO_WRITE, lost: { why: 'revoked' } };
  if (current.flagged_at !== null) return { write: NO_WRITE, lost: { why: 'flagged' } };
  if (counterRegressed(write.counter, current.counter)) {
    const reason = regressionReason(write.counter, current.counter);
    return {
      write: { kind: 'flag', credentialId: write.credentialId, reason, now: write.session.created_at },
      lost: { why: 'regressed', reason },
    };
  }
  return { write };
}

/** A decision's outcome once its write is known to be recorded (`lost` undefined) or not. */
function settled<T>(decision: SignInDecision<T>, lost: LostSignIn | undefined): T {
  if (lost === undefined) return decision.outcome;
  if (!decision.lost)
    throw new Error(`the sign-in's session was not recorded (${lost.why}) and it has no lost outcome`);
  return decision.lost(lost);
}

/** A credential's columns after a batch's writes; `undefined` where the batch did not set them. */
interface CredentialUpdate {
  id: string;
  /** The counter of the batch's first session for this credential: the one to judge against the stored counter. */
  firstCounter?: number;
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
      const u = of(w.credentialId);
      u.firstCounter ??= w.counter;
      Object.assign(u, {
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
  // MAX: the stored counter never goes backwards, whatever a decision computed it from.
  const useAll = bySize(
    (n) =>
      'UPDATE credentials SET counter = MAX(credentials.counter, v.column2), backed_up = v.column3, last_used_at = v.column4 ' +
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
  // What flagging a credential also does: its sessions end and its desktop codes go (store/sessions.ts).
  const endSessionsOf = bySize(
    (n) =>
      'UPDATE sessions SET revoked_at = v.column2 ' +
      `FROM (VALUES ${marks(n, 2)}) AS v WHERE sessions.credential_id = v.column1 AND sessions.revoked_at IS NULL`,
  );
  const deleteCodesOf = bySize((n) => `DELETE FROM desktop_codes WHERE credential_id IN ${marks(1, n)}`);

  /**
   * Writes what sign-ins decided: one statement per kind of write for the whole batch. Flags last, after the
   * sessions, so that a session decided before a flag in the same batch ends with the flag, as one after another.
   */
  const writeAll = (writes: readonly SignInWrite[]): void => {
    const { updates, sessions } = foldWrites(writes);
    const used = updates.filter((u) => u.counter !== undefined);
    const flagged = updates.filter((u) => u.flaggedAt !== undefined);
    if (used.length)
      useAll(used.length).run(used.flatMap((u) => [u.id, u.counter!, u.backedUp!, u.lastUsedAt!]));
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
    if (flagged.length) {
      flagAll(flagged.length).run(flagged.flatMap((u) => [u.id, u.flaggedAt!, u.flagReason!]));
      endSessionsOf(flagged.length).run(flagged.flatMap((u) => [u.id, u.flaggedAt!]));
      deleteCodesOf(flagged.length).run(flagged.map((u) => u.id));
    }
  };

  /**
   * The write of a decision that settled after its batch (SimpleWebAuthn): the credential is read again in the
   * write's transaction and the session judged against it. Returns why the session was lost, if it was.
   */
  const writeLate = (write: SignInWrite): LostSignIn | undefined => {
    if (write.kind !== 'session') {
      writeAll([write]);
      return undefined;
    }
    const current = (readAll(1).all([write.credentialId]) as CredentialWithUser[])[0];
    const judged = judgeSessionWrite(write, current);
    writeAll([judged.write]);
    return judged.lost;
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
      // Decided and written in the transaction that read the rows: nothing can have changed them in between.
      if (first.step === 'done') return first.outcome;
      const decision = await first.decision;
      if (decision.write.kind === 'none') return decision.outcome;
      const lost = await exclusive(() => transaction(() => writeLate(decision.write)));
      return settled(decision, lost);
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
  | { step: 'done'; outcome: T; decision?: SignInDecision<T> }
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
// statement), then every new session. The credentials are locked and read as they are now (`cur`; FOR UPDATE waits
// for another instance's write or revoke of the same row and then sees its outcome, or finds the row gone), and
// each credential's sessions are judged on that (`judged`, the rule of judgeSessionWrite, applied to the batch's
// first session of the credential: the later ones' counters only grow from it). Only 'used' credentials get their
// counter (never lowered: GREATEST), backup state, last use and sessions; a 'regressed' one is flagged. The reply
// names every credential that is not simply 'used', which on the hot path is none.
const PG_WRITE = `WITH v AS (
  SELECT * FROM unnest($1::text[], $2::bigint[], $3::bigint[], $4::int[], $5::bigint[], $6::bigint[], $7::text[])
    AS v(id, counter, first_counter, backed_up, last_used_at, flagged_at, flag_reason)
), cur AS MATERIALIZED (
  SELECT c.id, c.counter, c.flagged_at FROM credentials c WHERE c.id = ANY($1::text[]) ORDER BY c.id FOR UPDATE
), judged AS (
  SELECT v.*, cur.counter AS stored,
    CASE WHEN v.counter IS NULL THEN 'flag'
         WHEN cur.flagged_at IS NOT NULL THEN 'flagged'
         WHEN v.first_counter > cur.counter OR (v.first_counter = 0 AND cur.counter = 0) THEN 'used'
         ELSE 'regressed' END AS status,
    'sign counter ' || v.first_counter || ' is not above the stored ' || cur.counter AS regress_reason
  FROM v JOIN cur ON cur.id = v.id
), updated AS (
  UPDATE credentials c SET
    counter = CASE WHEN j.status = 'used' THEN GREATEST(c.counter, j.counter) ELSE c.counter END,
    backed_up = CASE WHEN j.status = 'used' THEN j.backed_up ELSE c.backed_up END,
    last_used_at = CASE WHEN j.status = 'used' THEN j.last_used_at ELSE c.last_used_at END,
    flagged_at = CASE WHEN j.flagged_at IS NOT NULL THEN j.flagged_at
                      WHEN j.status = 'regressed' THEN j.last_used_at ELSE c.flagged_at END,
    flag_reason = CASE WHEN j.flagged_at IS NOT NULL THEN j.flag_reason
                       WHEN j.status = 'regressed' THEN j.regress_reason ELSE c.flag_reason END
  FROM judged j WHERE c.id = j.id AND (j.status IN ('used', 'regressed') OR j.flagged_at IS NOT NULL)
), inserted AS (
  INSERT INTO sessions (token_hash, user_id, credential_id, created_at, verified_at, expires_at, revoked_at)
  SELECT * FROM unnest($8::text[], $9::text[], $10::text[], $11::bigint[], $12::bigint[], $13::bigint[], $14::bigint[])
    AS s(token_hash, user_id, credential_id, created_at, verified_at, expires_at, revoked_at)
  WHERE s.credential_id IN (SELECT id FROM judged WHERE status = 'used')
)
SELECT v.id, COALESCE(j.status, 'gone') AS status, j.regress_reason,
  j.id IS NOT NULL AND (j.status = 'regressed' OR v.flagged_at IS NOT NULL) AS flagged_now,
  COALESCE(v.flagged_at, v.last_used_at) AS flagged_at
FROM v LEFT JOIN judged j ON j.id = v.id
WHERE j.status IS DISTINCT FROM 'used' OR v.flagged_at IS NOT NULL`;

/** A credential PG_WRITE did not simply use: why, and whether this write flagged it. */
interface WriteVerdict {
  id: string;
  status: 'flag' | 'flagged' | 'regressed' | 'gone';
  regress_reason: string | null;
  flagged_now: boolean;
  flagged_at: string | number;
}

// After a write that flagged credentials: their sessions end and their desktop codes go. A statement of its own,
// so that its snapshot includes the sessions another instance committed while PG_WRITE waited for the row lock.
const PG_END_FLAGGED = `WITH f AS (
  SELECT * FROM unnest($1::text[], $2::bigint[]) AS f(id, at)
), ended AS (
  UPDATE sessions s SET revoked_at = f.at FROM f WHERE s.credential_id = f.id AND s.revoked_at IS NULL
)
DELETE FROM desktop_codes d USING f WHERE d.credential_id = f.id`;

const num = (v: string | number | null): number | null => (v === null ? null : Number(v));

/**
 * PostgreSQL, grouped like the embedded store: the sign-ins that arrive in one turn of the event loop share one
 * read (one round trip) and one write (one round trip), instead of two round trips each. No transaction stays
 * open across the decisions: the read commits at once (every challenge it names is spent, whatever happens), the
 * write is one atomic statement, and no reply leaves before it. Instances sharing the database each batch their
 * own sign-ins; the database keeps every challenge single-use across them.
 */
export function postgresSignIns(db: Kysely<Database>): SignInStore {
  /** Writes a batch's decisions; returns, per credential whose sessions were not recorded, why. */
  const writeAll = async (writes: readonly SignInWrite[]): Promise<Map<string, LostSignIn>> => {
    const lost = new Map<string, LostSignIn>();
    const { updates, sessions } = foldWrites(writes);
    if (!updates.length && !sessions.length) return lost;
    const column = <T>(rows: readonly T[], f: (row: T) => unknown): unknown[] => rows.map(f);
    const { rows } = await db.executeQuery<WriteVerdict>(
      CompiledQuery.raw(PG_WRITE, [
        column(updates, (u) => u.id),
        column(updates, (u) => u.counter ?? null),
        column(updates, (u) => u.firstCounter ?? null),
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
    const flagged = rows.filter((r) => r.flagged_now);
    if (flagged.length) {
      await db.executeQuery(
        CompiledQuery.raw(PG_END_FLAGGED, [
          flagged.map((r) => r.id),
          flagged.map((r) => Number(r.flagged_at)),
        ]),
      );
    }
    for (const r of rows) {
      if (r.status === 'gone') lost.set(r.id, { why: 'revoked' });
      else if (r.status === 'flagged') lost.set(r.id, { why: 'flagged' });
      else if (r.status === 'regressed') lost.set(r.id, { why: 'regressed', reason: r.regress_reason ?? '' });
    }
    return lost;
  };

  /** A decided sign-in's outcome, once its batch's write said whether its session was recorded. */
  const outcomeAfter = (step: FirstStep<unknown>, lost: Map<string, LostSignIn>): FirstStep<unknown> => {
    if (step.step !== 'done' || !step.decision || step.decision.write.kind !== 'session') return step;
    const why = lost.get(step.decision.write.credentialId);
    if (why === undefined) return step;
    try {
      return { step: 'done', outcome: settled(step.decision, why) };
    } catch (error) {
      return { step: 'failed', error };
    }
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
    const lost = await writeAll(writes);
    return steps.map((step) => outcomeAfter(step, lost));
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
      if (decision.write.kind === 'none') return decision.outcome;
      const lost = await writeAll([decision.write]);
      return settled(
        decision,
        decision.write.kind === 'session' ? lost.get(decision.write.credentialId) : undefined,
      );
    },
  };
}
