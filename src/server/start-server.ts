/**
 * The programmatic entry: `startServer(options)` opens the database, migrates it, listens on 127.0.0.1 (port 0
 * picks a free one) and returns the URL and a `close()`. Tests and other engineers' code use this directly.
 */
import type { Kysely } from 'kysely';
import type { Clock } from './clock';
import { systemClock } from './clock';
import type { Lifetimes } from './context';
import { createContext, DEFAULT_LIFETIMES } from './context';
import type { Database } from './db/schema';
import type { Engine } from './db/open-database';
import { openDatabase } from './db/open-database';
import { buildApp } from './http/build-app';
import type { RateLimitSetting } from './routes/limits';
import { sweepExpired } from './store/sweep';
import { warmKeyCache } from './webauthn/warm-keys';
import { postgresSignIns, sqliteSignIns } from './store/sign-in';

export interface StartServerOptions {
  /** WebAuthn RP ID. Default `localhost`. */
  rpId?: string;
  rpName?: string;
  /** Allowed origins; the first is where the pages live. Default `http://localhost:<bound port>`. */
  origins?: string[];
  /** Default 0 (any free port). */
  port?: number;
  /** Default 127.0.0.1. */
  host?: string;
  /** PostgreSQL connection string; when absent the embedded SQLite store is used. */
  databaseUrl?: string;
  /** SQLite file for the embedded store. Default `:memory:`. */
  sqlitePath?: string;
  clock?: Clock;
  lifetimes?: Partial<Lifetimes>;
  /**
   * Per-IP limit on the ceremony and desktop login endpoints, one budget for them all. Default 120 per minute;
   * `false` only for benchmarks.
   */
  rateLimit?: RateLimitSetting | false;
  /** Per-IP limit on the management API (/api/account/*), one budget for all of it. Default 300 per minute. */
  accountRateLimit?: RateLimitSetting | false;
  /** Default 64 KiB. */
  bodyLimit?: number;
  logger?: boolean;
  /** Check sign-in signatures in libuv's thread pool (see ServerContext). Default true. */
  verifyInThreadPool?: boolean;
  /** Parsed public keys kept in memory (about 4 KB each, OpenSSL's share included). Default 20,000. */
  keyCacheEntries?: number;
  /** Parse the most recently used credentials' keys in the background after start (warm-keys.ts). Default true. */
  warmKeyCache?: boolean;
  /** How often spent rows are deleted (store/sweep.ts). Default one minute. */
  sweepIntervalMs?: number;
}

export interface RunningServer {
  /** http://127.0.0.1:PORT — for HTTP clients. */
  url: string;
  /** The first allowed origin — what a browser should open (RP ID must match its host). */
  origin: string;
  port: number;
  rpId: string;
  engine: Engine;
  /** For tests: direct access to the database. */
  db: Kysely<Database>;
  close(): Promise<void>;
}

export const DEFAULT_RATE_LIMIT: RateLimitSetting = { max: 120, timeWindowMs: 60_000 };
export const DEFAULT_ACCOUNT_RATE_LIMIT: RateLimitSetting = { max: 300, timeWindowMs: 60_000 };

export async function startServer(options: StartServerOptions = {}): Promise<RunningServer> {
  const host = options.host ?? '127.0.0.1';
  const database = await openDatabase({ databaseUrl: options.databaseUrl, sqlitePath: options.sqlitePath });
  const ctx = createContext(
    {
      db: database.db,
      engine: database.engine,
      rpId: options.rpId ?? 'localhost',
      rpName: options.rpName ?? 'Passkey Desk reference server',
      origins: options.origins ? [...options.origins] : [],
      clock: options.clock ?? systemClock,
      lifetimes: { ...DEFAULT_LIFETIMES, ...options.lifetimes },
      signIns: database.sqlite ? sqliteSignIns(database.db, database.sqlite) : postgresSignIns(database.db),
      verifyInThreadPool: options.verifyInThreadPool ?? true,
    },
    options.keyCacheEntries,
  );
  const app = await buildApp(ctx, {
    bodyLimit: options.bodyLimit ?? 64 * 1024,
    rateLimit: options.rateLimit ?? DEFAULT_RATE_LIMIT,
    accountRateLimit: options.accountRateLimit ?? DEFAULT_ACCOUNT_RATE_LIMIT,
    logger: options.logger ?? false,
  });
  try {
    await app.listen({ host, port: options.port ?? 0 });
  } catch (e) {
    await database.close();
    throw e;
  }
  const address = app.server.address();
  const port = typeof address === 'object' && address !== null ? address.port : Number(options.port);
  if (!options.origins) ctx.origins.push(`http://${ctx.rpId}:${port}`);
  // Spent rows (expired challenges, desktop requests and codes, long-expired sessions) are swept once a minute;
  // no check ever depends on this.
  const sweep = setInterval(() => {
    sweepExpired(ctx.db, ctx.clock.now()).catch((e: unknown) => app.log.warn({ err: e }, 'sweep failed'));
  }, options.sweepIntervalMs ?? 60_000);
  sweep.unref();
  const warming =
    options.warmKeyCache === false ? null : warmKeyCache(ctx.db, ctx.keyCache, ctx.keyCache.capacity);
  warming?.done.catch((e: unknown) => app.log.warn({ err: e }, 'warming the key cache failed'));
  return {
    url: `http://${host.includes(':') ? `[${host}]` : host}:${port}`,
    origin: ctx.origins[0]!,
    port,
    rpId: ctx.rpId,
    engine: database.engine,
    db: database.db,
    async close() {
      clearInterval(sweep);
      warming?.stop();
      await warming?.done.catch(() => undefined);
      await app.close();
      await database.close();
    },
  };
}
