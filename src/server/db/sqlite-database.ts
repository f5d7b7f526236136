/**
 * The embedded store: SQLite through libsql, handed to Kysely's SqliteDialect. libsql has the better-sqlite3
 * API that the dialect expects; the one thing this adapter adds is a prepared-statement cache, because the
 * dialect prepares every query afresh and preparing costs about as much as running a small statement.
 */
import Libsql from 'libsql';
import type { SqliteDatabase, SqliteStatement } from 'kysely';

const MAX_CACHED_STATEMENTS = 256;

export interface EmbeddedDatabase extends SqliteDatabase {
  /** The raw connection, for pragmas in tests. */
  readonly raw: Libsql.Database;
}

export function openSqlite(path: string): EmbeddedDatabase {
  const raw = new Libsql(path);
  // WAL lets readers proceed during a write; NORMAL sync is durable across process crashes (not power loss),
  // the usual trade for a sign-in store. Foreign keys make revoking a user cascade.
  if (path !== ':memory:') raw.exec('PRAGMA journal_mode = WAL');
  raw.exec('PRAGMA synchronous = NORMAL');
  raw.exec('PRAGMA foreign_keys = ON');
  raw.exec('PRAGMA busy_timeout = 5000');
  const cache = new Map<string, SqliteStatement>();
  return {
    raw,
    close: () => raw.close(),
    prepare(sql: string): SqliteStatement {
      let statement = cache.get(sql);
      if (statement === undefined) {
        if (cache.size >= MAX_CACHED_STATEMENTS) cache.clear();
        statement = raw.prepare(sql) as unknown as SqliteStatement;
        cache.set(sql, statement);
      }
      return statement;
    },
  };
}
