/**
 * `npm run server`: the reference relying party on its own. Configuration from the environment:
 *   RP_ID (localhost), RP_NAME, ORIGINS (comma-separated; default http://RP_ID:PORT), PORT (8787),
 *   HOST (127.0.0.1), DATABASE_URL (PostgreSQL; else embedded SQLite), SQLITE_PATH (passkey-desk-server.sqlite),
 *   RATE_LIMIT_PER_MINUTE (120: ceremony and desktop login requests per client IP per minute, together; there is
 *   no way to turn it off here), ACCOUNT_RATE_LIMIT_PER_MINUTE (300: /api/account requests per client IP per minute),
 *   KEY_CACHE_ENTRIES (20,000 parsed public keys kept in memory, about 4 KB each),
 *   VERIFY_IN_THREAD_POOL (1, the default: check signatures in libuv's thread pool; 0: on the main thread),
 *   UV_THREADPOOL_SIZE (libuv's own setting; 1 unless set, see runtime-settings.ts).
 * A variable set to an empty value counts as unset (PORT= is 8787, not 0; HOST= is 127.0.0.1, not every address).
 * Run it with the Node flag of `npm run server` (package.json) that caps the young generation; with it and the
 * old generation's bound set in runtime-settings.ts the resident size stays under 150 MB with 10,000 users.
 */
// First: sets the thread pool's size before anything can start the pool, and the heap's growth.
import { youngGenerationNotice } from './runtime-settings';
import { accessSync, constants, statSync } from 'node:fs';
import { dirname, resolve } from 'node:path';
import { startServer } from './start-server';

// Empty counts as unset: `PORT=` must not become port 0 (a random one), nor `HOST=` every address.
const env: Record<string, string | undefined> = Object.fromEntries(
  Object.entries(process.env).filter(([, value]) => value !== undefined && value.trim() !== ''),
);
const port = env.PORT === undefined ? 8787 : /^\d+$/.test(env.PORT.trim()) ? Number(env.PORT) : NaN;
if (!Number.isInteger(port) || port < 0 || port > 65535) {
  console.error(`PORT is ${JSON.stringify(env.PORT)}, expected an integer from 0 to 65535`);
  process.exit(2);
}

const perMinute = Number(env.RATE_LIMIT_PER_MINUTE ?? 120);
if (!Number.isInteger(perMinute) || perMinute < 1) {
  console.error(
    `RATE_LIMIT_PER_MINUTE is ${JSON.stringify(env.RATE_LIMIT_PER_MINUTE)}, expected a positive integer`,
  );
  process.exit(2);
}

const accountPerMinute = Number(env.ACCOUNT_RATE_LIMIT_PER_MINUTE ?? 300);
if (!Number.isInteger(accountPerMinute) || accountPerMinute < 1) {
  console.error(
    `ACCOUNT_RATE_LIMIT_PER_MINUTE is ${JSON.stringify(env.ACCOUNT_RATE_LIMIT_PER_MINUTE)}, expected a positive integer`,
  );
  process.exit(2);
}

const keyCacheEntries = Number(env.KEY_CACHE_ENTRIES ?? 20_000);
if (!Number.isInteger(keyCacheEntries) || keyCacheEntries < 1) {
  console.error(
    `KEY_CACHE_ENTRIES is ${JSON.stringify(env.KEY_CACHE_ENTRIES)}, expected a positive integer (parsed keys kept in memory, about 4 KB each)`,
  );
  process.exit(2);
}

if (env.VERIFY_IN_THREAD_POOL !== undefined && !['0', '1'].includes(env.VERIFY_IN_THREAD_POOL)) {
  console.error(
    `VERIFY_IN_THREAD_POOL is ${JSON.stringify(env.VERIFY_IN_THREAD_POOL)}, expected 1 (check signatures in the thread pool, the default) or 0 (on the main thread)`,
  );
  process.exit(2);
}

// A WebAuthn RP ID is a lowercase domain name; origins are scheme://host[:port] with nothing after.
const rpId = env.RP_ID ?? 'localhost';
if (!/^(?=.{1,253}$)[a-z0-9]([a-z0-9-]*[a-z0-9])?(\.[a-z0-9]([a-z0-9-]*[a-z0-9])?)*$/.test(rpId)) {
  console.error(
    `RP_ID is ${JSON.stringify(env.RP_ID)}, expected a lowercase domain name such as example.com (or localhost)`,
  );
  process.exit(2);
}
const origins = env.ORIGINS?.split(',')
  .map((o) => o.trim())
  .filter(Boolean);
for (const origin of origins ?? []) {
  let ok = false;
  try {
    const u = new URL(origin);
    ok = (u.protocol === 'https:' || u.protocol === 'http:') && u.origin === origin;
  } catch {
    // reported below
  }
  if (!ok) {
    console.error(
      `ORIGINS has ${JSON.stringify(origin)}, expected web origins such as https://example.com or http://localhost:8787 (scheme, host and port only), comma-separated`,
    );
    process.exit(2);
  }
  // WebAuthn: the RP ID is the origin's host or a registrable suffix of it; browsers refuse any other pairing.
  const host = new URL(origin).hostname;
  if (host !== rpId && !host.endsWith(`.${rpId}`)) {
    console.error(
      `ORIGINS has ${origin}, whose host ${host} is neither the RP ID ${rpId} nor within it (a subdomain of it): browsers would refuse every ceremony there. Set RP_ID to that host (or a parent domain of it), or ORIGINS to origins on ${rpId}.`,
    );
    process.exit(2);
  }
}

const sqlitePath = env.SQLITE_PATH ?? 'passkey-desk-server.sqlite';

/** Why SQLite cannot open `path` read-write, as the file system says (libsql itself gives an error code only). */
function sqlitePathProblem(path: string): string | null {
  if (path === ':memory:') return null;
  const file = resolve(path);
  const folder = dirname(file);
  try {
    if (!statSync(folder).isDirectory()) return `${folder} is not a folder`;
  } catch {
    return `the folder ${folder} does not exist`;
  }
  try {
    if (statSync(file).isDirectory()) return `${file} is a folder, not a database file`;
    accessSync(file, constants.R_OK | constants.W_OK);
  } catch (e) {
    if ((e as NodeJS.ErrnoException).code !== 'ENOENT')
      return `${file} cannot be read and written by this user`;
  }
  try {
    // SQLite creates the file, and its -wal and -shm files beside it.
    accessSync(folder, constants.W_OK);
  } catch {
    return `the folder ${folder} is not writable by this user (SQLite writes the file and its -wal and -shm files there)`;
  }
  return null;
}

let server: Awaited<ReturnType<typeof startServer>>;
try {
  server = await startServer({
    rpId,
    ...(env.RP_NAME ? { rpName: env.RP_NAME } : {}),
    ...(origins?.length ? { origins } : {}),
    port,
    host: env.HOST ?? '127.0.0.1',
    ...(env.DATABASE_URL ? { databaseUrl: env.DATABASE_URL } : { sqlitePath }),
    rateLimit: { max: perMinute, timeWindowMs: 60_000 },
    accountRateLimit: { max: accountPerMinute, timeWindowMs: 60_000 },
    keyCacheEntries,
    verifyInThreadPool: env.VERIFY_IN_THREAD_POOL !== '0',
    logger: env.LOG === '1',
  });
} catch (e) {
  // Start-up failures are configuration problems: say which and what to do, without a stack trace.
  const err = e as NodeJS.ErrnoException;
  const where = `${env.HOST ?? '127.0.0.1'}:${port}`;
  if (err.code === 'EADDRINUSE')
    console.error(`Port ${port} is already in use on ${where}: stop the other server or set PORT.`);
  else if (err.code === 'EACCES')
    console.error(`Not allowed to listen on ${where}: pick a port above 1023 with PORT.`);
  else if (err.syscall === 'listen')
    console.error(`Could not listen on ${where}: ${err.message}. Check HOST and PORT.`);
  else if (env.DATABASE_URL)
    console.error(
      `Could not start on PostgreSQL (DATABASE_URL): ${err.message}. Check the URL and that the server is running.`,
    );
  // libsql's errors carry no syscall; one that does came from listening (HOST not found, say).
  else if (err.syscall !== undefined)
    console.error(`Could not listen on ${where}: ${err.message}. Check HOST and PORT.`);
  else
    console.error(
      `Could not open the SQLite database ${sqlitePath === ':memory:' ? 'in memory' : resolve(sqlitePath)} (SQLITE_PATH): ${sqlitePathProblem(sqlitePath) ?? err.message}.`,
    );
  process.exit(1);
}

if (youngGenerationNotice) console.error(youngGenerationNotice);
// stdout, one line: scripts and the benchmark wait for it to know the server is up and where.
process.stdout.write(
  `Passkey Desk reference server (${server.engine}) listening on ${server.url}; open ${server.origin}/signup\n`,
);

const stop = (): void => {
  server.close().then(
    () => process.exit(0),
    (e: unknown) => {
      console.error(e);
      process.exit(1);
    },
  );
};
process.once('SIGINT', stop);
process.once('SIGTERM', stop);
