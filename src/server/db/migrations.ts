/**
 * One set of migrations for both engines. Only portable types are used (text, integer, bigint), so the same
 * Kysely schema builder calls produce valid DDL for SQLite and PostgreSQL.
 */
import type { Kysely, Migration, MigrationProvider } from 'kysely';
import { Migrator, sql, SqliteAdapter } from 'kysely';

const initial: Migration = {
  async up(db: Kysely<unknown>): Promise<void> {
    await db.schema
      .createTable('users')
      .addColumn('id', 'text', (c) => c.primaryKey())
      .addColumn('name', 'text', (c) => c.notNull().unique())
      .addColumn('display_name', 'text', (c) => c.notNull())
      .addColumn('created_at', 'bigint', (c) => c.notNull())
      .execute();
    await db.schema
      .createTable('credentials')
      .addColumn('id', 'text', (c) => c.primaryKey())
      .addColumn('user_id', 'text', (c) => c.notNull().references('users.id').onDelete('cascade'))
      .addColumn('public_key', 'text', (c) => c.notNull())
      .addColumn('algorithm', 'integer', (c) => c.notNull())
      .addColumn('counter', 'bigint', (c) => c.notNull())
      .addColumn('transports', 'text', (c) => c.notNull())
      .addColumn('aaguid', 'text', (c) => c.notNull())
      .addColumn('device_type', 'text', (c) => c.notNull())
      .addColumn('backup_eligible', 'integer', (c) => c.notNull())
      .addColumn('backed_up', 'integer', (c) => c.notNull())
      .addColumn('name', 'text', (c) => c.notNull())
      .addColumn('created_at', 'bigint', (c) => c.notNull())
      .addColumn('last_used_at', 'bigint')
      .addColumn('flagged_at', 'bigint')
      .addColumn('flag_reason', 'text')
      .execute();
    await db.schema.createIndex('credentials_user_id').on('credentials').column('user_id').execute();
    await db.schema
      .createTable('challenges')
      .addColumn('id', 'text', (c) => c.primaryKey())
      .addColumn('flow', 'text', (c) => c.notNull())
      .addColumn('user_id', 'text')
      .addColumn('data', 'text', (c) => c.notNull())
      .addColumn('expires_at', 'bigint', (c) => c.notNull())
      .execute();
    await db.schema.createIndex('challenges_expires_at').on('challenges').column('expires_at').execute();
    await db.schema
      .createTable('sessions')
      .addColumn('token_hash', 'text', (c) => c.primaryKey())
      .addColumn('user_id', 'text', (c) => c.notNull().references('users.id').onDelete('cascade'))
      .addColumn('credential_id', 'text', (c) => c.notNull())
      .addColumn('created_at', 'bigint', (c) => c.notNull())
      .addColumn('verified_at', 'bigint', (c) => c.notNull())
      .addColumn('expires_at', 'bigint', (c) => c.notNull())
      .addColumn('revoked_at', 'bigint')
      .execute();
    await db.schema.createIndex('sessions_user_id').on('sessions').column('user_id').execute();
    await db.schema
      .createTable('desktop_requests')
      .addColumn('id', 'text', (c) => c.primaryKey())
      .addColumn('redirect_uri', 'text', (c) => c.notNull())
      .addColumn('code_challenge', 'text', (c) => c.notNull())
      .addColumn('state', 'text', (c) => c.notNull())
      .addColumn('expires_at', 'bigint', (c) => c.notNull())
      .execute();
    await db.schema
      .createTable('desktop_codes')
      .addColumn('code_hash', 'text', (c) => c.primaryKey())
      .addColumn('user_id', 'text', (c) => c.notNull().references('users.id').onDelete('cascade'))
      .addColumn('credential_id', 'text', (c) => c.notNull())
      .addColumn('verified_at', 'bigint', (c) => c.notNull())
      .addColumn('redirect_uri', 'text', (c) => c.notNull())
      .addColumn('code_challenge', 'text', (c) => c.notNull())
      .addColumn('expires_at', 'bigint', (c) => c.notNull())
      .execute();
  },
};

/**
 * Fewer pages written per sign-in. Every sign-in deletes a challenge and inserts a session under random keys, so
 * each b-tree those rows live in costs one more dirty page per sign-in in the WAL (and again at the checkpoint):
 * seven pages before this, three after.
 * - Both engines: no index on challenges.expires_at or sessions.user_id. The only readers were the once-a-minute
 *   sweep (a scan of the small challenges table, and of sessions; see store/sweep.ts) and a user deletion's
 *   cascade, which nothing in the server does; lookups are by primary key.
 * - SQLite: challenges and sessions become WITHOUT ROWID tables, so the primary key is the table (one b-tree
 *   instead of table plus key index). SQLite cannot change that in place: new table, copy, drop, rename.
 * The logical schema (columns, keys, references) is unchanged, so both engines still share every query.
 */
const leanHotTables: Migration = {
  async up(db: Kysely<unknown>): Promise<void> {
    await db.schema.dropIndex('challenges_expires_at').execute();
    await db.schema.dropIndex('sessions_user_id').execute();
    if (!(db.getExecutor().adapter instanceof SqliteAdapter)) return;
    await sql`CREATE TABLE challenges_lean (
      id text PRIMARY KEY, flow text NOT NULL, user_id text, data text NOT NULL, expires_at bigint NOT NULL
    ) WITHOUT ROWID`.execute(db);
    await sql`INSERT INTO challenges_lean SELECT id, flow, user_id, data, expires_at FROM challenges`.execute(
      db,
    );
    await sql`DROP TABLE challenges`.execute(db);
    await sql`ALTER TABLE challenges_lean RENAME TO challenges`.execute(db);
    await sql`CREATE TABLE sessions_lean (
      token_hash text PRIMARY KEY,
      user_id text NOT NULL REFERENCES users (id) ON DELETE CASCADE,
      credential_id text NOT NULL,
      created_at bigint NOT NULL,
      verified_at bigint NOT NULL,
      expires_at bigint NOT NULL,
      revoked_at bigint
    ) WITHOUT ROWID`.execute(db);
    await sql`INSERT INTO sessions_lean
      SELECT token_hash, user_id, credential_id, created_at, verified_at, expires_at, revoked_at FROM sessions`.execute(
      db,
    );
    await sql`DROP TABLE sessions`.execute(db);
    await sql`ALTER TABLE sessions_lean RENAME TO sessions`.execute(db);
  },
};

/** Every migration by name, in order. */
export const MIGRATIONS: Readonly<Record<string, Migration>> = {
  '0001_initial': initial,
  '0002_lean_hot_tables': leanHotTables,
};

const provider: MigrationProvider = { getMigrations: () => Promise.resolve({ ...MIGRATIONS }) };

/** Brings the schema up to date. Kysely's migrator takes a lock, so several instances may start at once. */
export async function migrateToLatest(db: Kysely<unknown>): Promise<void> {
  const { error, results } = await new Migrator({ db, provider }).migrateToLatest();
  const failed = results?.find((r) => r.status === 'Error');
  if (error !== undefined || failed) {
    const why =
      error instanceof Error
        ? error.message
        : error !== undefined
          ? JSON.stringify(error)
          : (failed?.migrationName ?? 'unknown');
    throw new Error(`database migration failed: ${why}`);
  }
}
