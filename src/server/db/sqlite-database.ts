/**
 * The embedded store: SQLite through libsql, handed to Kysely's SqliteDialect. libsql has the better-sqlite3
 * API that the dialect expects; the one thing this adapter adds is a prepared-statement cache, because the
 * dialect prepares every query afresh and preparing costs about as much as running a small statement.
 */
import Libsql from 'libsql';
import type { SqliteDatabase, SqliteStatement } from 'kysely';
import type { Checkpointer, CheckpointerOptions } from './checkpointer';
import { FALLBACK_AUTOCHECKPOINT_PAGES, startCheckpointer } from './checkpointer';

const MAX_CACHED_STATEMENTS = 256;

export interface EmbeddedDatabase extends SqliteDatabase {
  /** The raw connection, for pragmas in tests. */
  readonly raw: Libsql.Database;
}

export interface SqliteOptions {
  /** Default true for a file: WAL checkpoints run in a worker thread instead of inside a request's COMMIT. */
  backgroundCheckpoints?: boolean;
  checkpoints?: CheckpointerOptions;
}

export function openSqlite(path: string, options: SqliteOptions = {}): EmbeddedDatabase {
  const raw = new Libsql(path);
  // WAL lets readers proceed during a write. synchronous=NORMAL in WAL mode: a committed sign-in survives a crash
  // of this process, but the last transactions before a power loss or OS crash may be lost (never corrupted: the
  // WAL is fsynced at each checkpoint). A lost session means signing in again; the usual trade for this store.
  // Foreign keys make revoking a user cascade.
  const onDisk = path !== ':memory:' && path !== '';
  if (onDisk) raw.exec('PRAGMA journal_mode = WAL');
  raw.exec('PRAGMA synchronous = NORMAL');
  raw.exec('PRAGMA foreign_keys = ON');
  raw.exec('PRAGMA busy_timeout = 5000');
  // Checkpoints (the only fsyncs under synchronous=NORMAL) move to a worker thread: see checkpointer.ts.
  let checkpointer: Checkpointer | undefined;
  if (onDisk && options.backgroundCheckpoints !== false) {
    raw.exec(`PRAGMA wal_autocheckpoint = ${FALLBACK_AUTOCHECKPOINT_PAGES}`);
    checkpointer = startCheckpointer(path, options.checkpoints);
  }
  const cache = new Map<string, SqliteStatement>();
  return {
    raw,
    close: () => {
      checkpointer?.stop();
      raw.close();
    },
    prepare(sql: string): SqliteStatement {
      let statement = cache.get(sql);
      if (statement === undefined) {
        if (cache.size >= MAX_CACHED_STATEMENTS) cache.clear();
        statement = raw.prepare(sql);
        cache.set(sql, statement);
      }
      return statement;
    },
  };
}
