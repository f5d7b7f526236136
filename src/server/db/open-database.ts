/**
 * Chooses the engine: PostgreSQL when a database URL is given (several instances can share it), else the
 * embedded SQLite file (or memory). Both run the same migrations and the same Kysely queries.
 */
import { Kysely, PostgresDialect, SqliteDialect } from 'kysely';
import pg from 'pg';
import type { Database } from './schema';
import { migrateToLatest } from './migrations';
import type { EmbeddedDatabase } from './sqlite-database';
import { openSqlite } from './sqlite-database';

export type Engine = 'sqlite' | 'postgres';

export interface OpenedDatabase {
  db: Kysely<Database>;
  engine: Engine;
  /** The embedded connection itself (SQLite only), for the sign-in store's prepared statements. */
  sqlite?: EmbeddedDatabase;
  close(): Promise<void>;
}

const INT8_OID = 20;

export async function openDatabase(options: {
  databaseUrl?: string | undefined;
  sqlitePath?: string | undefined;
}): Promise<OpenedDatabase> {
  let db: Kysely<Database>;
  let engine: Engine;
  let sqlite: EmbeddedDatabase | undefined;
  if (options.databaseUrl) {
    const pool = new pg.Pool({
      connectionString: options.databaseUrl,
      max: 10,
      // Times are bigint columns; they always fit a JS number, and the schema promises numbers.
      types: {
        getTypeParser: ((oid: number, format?: 'text' | 'binary'): unknown =>
          oid === INT8_OID
            ? (value: string) => Number(value)
            : (pg.types.getTypeParser(oid, format ?? 'text') as unknown)) as typeof pg.types.getTypeParser,
      },
    });
    db = new Kysely<Database>({ dialect: new PostgresDialect({ pool }) });
    engine = 'postgres';
  } else {
    sqlite = openSqlite(options.sqlitePath ?? ':memory:');
    db = new Kysely<Database>({ dialect: new SqliteDialect({ database: sqlite }) });
    engine = 'sqlite';
  }
  try {
    await migrateToLatest(db as unknown as Kysely<unknown>);
  } catch (e) {
    await db.destroy();
    throw e;
  }
  return { db, engine, ...(sqlite ? { sqlite } : {}), close: () => db.destroy() };
}
