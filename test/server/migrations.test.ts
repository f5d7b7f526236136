/**
 * 0002_lean_hot_tables on a database that already holds data: every row survives, the two indexes are gone, and
 * on SQLite challenges and sessions are WITHOUT ROWID tables (one b-tree each, fewer pages per sign-in).
 */
import { describe, expect, it } from 'vitest';
import type { Kysely } from 'kysely';
import { Kysely as KyselyClass, Migrator, SqliteDialect, sql } from 'kysely';
import { MIGRATIONS } from '../../src/server/db/migrations';
import type { Database } from '../../src/server/db/schema';
import { openSqlite } from '../../src/server/db/sqlite-database';

const provider = { getMigrations: () => Promise.resolve({ ...MIGRATIONS }) };

describe('migration 0002_lean_hot_tables (SQLite)', () => {
  it('keeps every challenge and session, drops the indexes, and rebuilds both tables WITHOUT ROWID', async () => {
    const db: Kysely<Database> = new KyselyClass<Database>({
      dialect: new SqliteDialect({ database: openSqlite(':memory:') }),
    });
    try {
      const migrator = new Migrator({ db, provider });
      expect((await migrator.migrateTo('0001_initial')).error).toBeUndefined();
      await db
        .insertInto('users')
        .values({ id: 'u1', name: 'alice', display_name: 'Alice', created_at: 1 })
        .execute();
      await db
        .insertInto('challenges')
        .values({ id: 'c1', flow: 'authentication', user_id: 'u1', data: '{"x":1}', expires_at: 5 })
        .execute();
      const session = {
        token_hash: 'h1',
        user_id: 'u1',
        credential_id: 'k1',
        created_at: 1,
        verified_at: 2,
        expires_at: 3,
        revoked_at: 4,
      };
      await db.insertInto('sessions').values(session).execute();

      expect((await migrator.migrateToLatest()).error).toBeUndefined();

      expect(await db.selectFrom('challenges').selectAll().execute()).toEqual([
        { id: 'c1', flow: 'authentication', user_id: 'u1', data: '{"x":1}', expires_at: 5 },
      ]);
      expect(await db.selectFrom('sessions').selectAll().execute()).toEqual([session]);
      const schema = await sql<{ type: string; name: string; sql: string | null }>`
        SELECT type, name, sql FROM sqlite_master WHERE tbl_name IN ('challenges', 'sessions')`.execute(db);
      const tables = schema.rows.filter((r) => r.type === 'table');
      expect(tables.map((t) => t.name).sort()).toEqual(['challenges', 'sessions']);
      for (const t of tables) expect(t.sql).toMatch(/WITHOUT ROWID\s*$/i);
      expect(schema.rows.filter((r) => r.type === 'index' && r.sql !== null)).toEqual([]);
      // The reference to users still holds.
      await expect(
        db
          .insertInto('sessions')
          .values({ ...session, token_hash: 'h2', user_id: 'nobody' })
          .execute(),
      ).rejects.toThrow(/FOREIGN KEY/);
    } finally {
      await db.destroy();
    }
  });
});
