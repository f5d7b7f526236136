/**
 * The database side of one sign-in, shaped for the hot path: one read (consume the challenge and read the
 * credential with its owner) and one write (new counter and session, or a flag), instead of four separate
 * statements through the query builder.
 *
 * - Embedded SQLite: a single transaction on prepared statements, run synchronously while holding Kysely's
 *   connection mutex (so it never interleaves with a Kysely transaction on the same connection). When the
 *   decision is synchronous (the fast path), read, decision and write are one transaction. When it is not (the
 *   input went to SimpleWebAuthn), the read commits first, so the challenge is consumed whatever happens, and the
 *   write is a second transaction.
 * - PostgreSQL: one statement per side (a data-modifying CTE each), so a sign-in is two round trips and holds no
 *   transaction open across the verification.
 *
 * The challenge is deleted by the read whatever the outcome (WebAuthn §13.4.3: a challenge is used once).
 */
import type { Kysely } from 'kysely';
import { CompiledQuery } from 'kysely';
import type { Database, SessionsTable } from '../db/schema';
import type { EmbeddedDatabase } from '../db/sqlite-database';
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
}

const CHALLENGE_COLUMNS = 'id, flow, user_id, data, expires_at';

export function sqliteSignIns(db: Kysely<Database>, sqlite: EmbeddedDatabase): SignInStore {
  const raw = sqlite.raw;
  // Prepared once: preparing costs about as much as running one of these small statements.
  const begin = raw.prepare('BEGIN IMMEDIATE');
  const commit = raw.prepare('COMMIT');
  const rollback = raw.prepare('ROLLBACK');
  const take = raw.prepare(`DELETE FROM challenges WHERE id = ? RETURNING ${CHALLENGE_COLUMNS}`);
  const read = raw.prepare(
    'SELECT c.id, c.user_id, c.public_key, c.counter, c.flagged_at, u.name AS user_name, u.display_name AS user_display_name ' +
      'FROM credentials c JOIN users u ON u.id = c.user_id WHERE c.id = ?',
  );
  const use = raw.prepare('UPDATE credentials SET counter = ?, backed_up = ?, last_used_at = ? WHERE id = ?');
  const flag = raw.prepare('UPDATE credentials SET flagged_at = ?, flag_reason = ? WHERE id = ?');
  const insertSession = raw.prepare(
    'INSERT INTO sessions (token_hash, user_id, credential_id, created_at, verified_at, expires_at, revoked_at) VALUES (?, ?, ?, ?, ?, ?, ?)',
  );

  const write = (w: SignInWrite): void => {
    if (w.kind === 'session') {
      use.run([w.counter, w.backedUp ? 1 : 0, w.session.created_at, w.credentialId]);
      const s = w.session;
      insertSession.run([
        s.token_hash,
        s.user_id,
        s.credential_id,
        s.created_at,
        s.verified_at,
        s.expires_at,
        s.revoked_at,
      ]);
    } else if (w.kind === 'flag') {
      flag.run([w.now, w.reason, w.credentialId]);
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
  // A synchronous body can skip the mutex when the connection has no transaction open: nothing can run between
  // its first and last statement (one thread), and Kysely's queries outside a transaction leave no state on the
  // connection between statements. With a Kysely transaction open (BEGIN issued, awaiting), it queues as before.
  const exclusiveSync = <R>(body: () => R): R | Promise<R> => (raw.inTransaction ? exclusive(body) : body());

  return {
    async signIn<T>(challengeId: string, credentialId: string, decide: Decide<T>): Promise<T> {
      // Boxed: a bare promise returned from the callback would be adopted, i.e. awaited while holding the mutex.
      const started = exclusiveSync((): FirstStep<T> => {
        try {
          return transaction((): FirstStep<T> => {
            // all(), not get(): it steps each statement to the end and resets it, so no statement is left open
            // (libsql's get() can leave one mid-step, which misbehaved on reuse after a ROLLBACK).
            const challenge = (take.all([challengeId]) as ChallengeRow[])[0];
            const credential = challenge ? (read.all([credentialId]) as CredentialWithUser[])[0] : undefined;
            const decision = decide({ challenge, credential });
            if (decision instanceof Promise) return { step: 'pending', decision };
            write(decision.write);
            return { step: 'done', outcome: decision.outcome };
          });
        } catch (error) {
          // The transaction rolled back (a bug or a database error): the challenge must still be spent.
          take.run([challengeId]);
          return { step: 'failed', error };
        }
      });
      const first = started instanceof Promise ? await started : started;
      if (first.step === 'failed') throw first.error;
      if (first.step === 'done') return first.outcome;
      const decision = await first.decision;
      if (decision.write.kind !== 'none') await exclusive(() => transaction(() => write(decision.write)));
      return decision.outcome;
    },
  };
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
