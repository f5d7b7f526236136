/**
 * `npm run bench:server` — one run, four figures:
 *   (a) raw node:crypto ECDSA P-256 verify per second, one core;
 *   (b) @simplewebauthn/server verifyAuthenticationResponse per second, in process;
 *   (c) sign-in verifications per second over HTTP on loopback, embedded SQLite store, 10,000 users, load from a
 *       separate process (autocannon);
 *   (d) the same on a throwaway PostgreSQL server.
 * Plus start-up time and resident memory of the embedded server. Results go to stdout as a Markdown table.
 */
import { execFileSync, spawn } from 'node:child_process';
import { createHash, generateKeyPairSync, sign, verify } from 'node:crypto';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { verifyAuthenticationResponse } from '@simplewebauthn/server';
import { openDatabase } from '../src/server/db/open-database';
import { startPostgres } from '../test/helpers/postgres';
import { serverNodeFlags } from '../test/helpers/server-node-flags';
import { newCredential, signAssertion } from '../test/helpers/soft-authenticator';
import { seedUsers } from './server-seed';

const SERVER_BUNDLE = new URL('../dist/server/main.js', import.meta.url).pathname;
const USERS = 10_000;
/** Enough sign-ins for several full collections, so that the peak memory reported is a steady state's. */
const AMOUNT = Number(process.env.BENCH_AMOUNT ?? 60_000);
const CONNECTIONS = Number(process.env.BENCH_CONNECTIONS ?? 32);
const PIPELINING = Number(process.env.BENCH_PIPELINING ?? 1);
const SECONDS = 3;
/**
 * Which HTTP figures to run: `c` embedded, `d` PostgreSQL, `m` embedded again with VERIFY_IN_THREAD_POOL=0
 * (signatures checked on the main thread, for comparison).
 * `BENCH_PARTS=c` skips the rest while working on the embedded store.
 */
const PARTS = process.env.BENCH_PARTS ?? 'cdm';
/**
 * The Node flags `npm run server` starts the bundle with (read from package.json, so the benchmark runs exactly
 * that), plus any from BENCH_NODE_FLAGS, e.g. `BENCH_NODE_FLAGS='--cpu-prof --cpu-prof-dir=prof'`.
 */
const NODE_FLAGS = [...serverNodeFlags(), ...(process.env.BENCH_NODE_FLAGS ?? '').split(' ').filter(Boolean)];

function perSecond(run: () => void): number {
  for (let i = 0; i < 200; i++) run();
  let n = 0;
  const start = performance.now();
  while (performance.now() - start < SECONDS * 1000) {
    for (let i = 0; i < 100; i++) run();
    n += 100;
  }
  return n / ((performance.now() - start) / 1000);
}

async function perSecondAsync(run: () => Promise<void>): Promise<number> {
  for (let i = 0; i < 100; i++) await run();
  let n = 0;
  const start = performance.now();
  while (performance.now() - start < SECONDS * 1000) {
    await run();
    n++;
  }
  return n / ((performance.now() - start) / 1000);
}

function rawVerify(): number {
  const { privateKey, publicKey } = generateKeyPairSync('ec', { namedCurve: 'P-256' });
  const data = createHash('sha256').update('bench').digest();
  const signature = sign('sha256', data, privateKey);
  return perSecond(() => {
    if (!verify('sha256', data, publicKey, signature)) throw new Error('raw verify failed');
  });
}

async function simpleWebAuthnVerify(): Promise<number> {
  const credential = newCredential('localhost', 'dXNlcg');
  const challenge = Buffer.alloc(32, 1).toString('base64url');
  const response = signAssertion(credential, challenge, 'http://localhost:8787', { counter: 0 });
  const publicKey = Uint8Array.from(credential.cosePublicKey);
  return perSecondAsync(async () => {
    const r = await verifyAuthenticationResponse({
      response,
      expectedChallenge: challenge,
      expectedOrigin: 'http://localhost:8787',
      expectedRPID: 'localhost',
      credential: { id: credential.id, publicKey, counter: 0 },
      requireUserVerification: true,
    });
    if (!r.verified) throw new Error('SimpleWebAuthn verify failed');
  });
}

/** CPU seconds (user + system) of a process and of its main thread, from /proc (Linux only). */
function cpuOf(pid: number): { process: number; mainThread: number } | undefined {
  const seconds = (stat: string): number => {
    // Fields after the command name (which is in parentheses): utime and stime are the 12th and 13th.
    const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
    return (Number(fields[11]) + Number(fields[12])) / CLOCK_TICKS;
  };
  try {
    return {
      process: seconds(readFileSync(`/proc/${pid}/stat`, 'utf8')),
      mainThread: seconds(readFileSync(`/proc/${pid}/task/${pid}/stat`, 'utf8')),
    };
  } catch {
    return undefined;
  }
}
const CLOCK_TICKS = 100;

interface LoadResult {
  optionsPerSecond: number;
  verified: number;
  non2xx: number;
  errors: number;
  timeouts: number;
  verificationsPerSecond: number;
  loadGeneratorCpu: number;
  latencyMs: { p50: number; p99: number };
  /** Server CPU per sign-in while sending, in µs: the whole process and its main (JavaScript) thread. */
  serverCpuUs?: { process: number; mainThread: number };
  /** The server's memory when sending starts: challenges issued, key cache warmed. */
  memoryBeforeSending?: Memory;
}

async function load(
  server: { url: string; origin: string; rpId: string; pid: number },
  keyFile: string,
): Promise<LoadResult> {
  const child = spawn(
    process.execPath,
    [
      '--import',
      'tsx',
      new URL('./server-load.ts', import.meta.url).pathname,
      server.url,
      server.origin,
      server.rpId,
      keyFile,
      String(AMOUNT),
      String(CONNECTIONS),
      String(PIPELINING),
    ],
    {
      stdio: ['ignore', 'pipe', 'inherit'],
    },
  );
  let out = '';
  let cpuAtStart: ReturnType<typeof cpuOf>;
  let memoryBeforeSending: Memory | undefined;
  let cpuAtEnd: ReturnType<typeof cpuOf>;
  child.stdout.on('data', (chunk: Buffer) => {
    const text = chunk.toString();
    if (text.includes('phase: sending')) {
      cpuAtStart = cpuOf(server.pid);
      memoryBeforeSending = memoryOf(server.pid);
    }
    if (text.includes('phase: sent')) cpuAtEnd = cpuOf(server.pid);
    out += text;
  });
  const code = await new Promise<number | null>((resolve) => child.once('exit', resolve));
  if (code !== 0) throw new Error(`load generator exited with ${code}`);
  const result = JSON.parse(out.trim().split('\n').at(-1)!) as LoadResult;
  if (memoryBeforeSending) result.memoryBeforeSending = memoryBeforeSending;
  if (cpuAtStart && cpuAtEnd) {
    result.serverCpuUs = {
      process: ((cpuAtEnd.process - cpuAtStart.process) * 1e6) / AMOUNT,
      mainThread: ((cpuAtEnd.mainThread - cpuAtStart.mainThread) * 1e6) / AMOUNT,
    };
  }
  if (result.non2xx || result.errors || result.timeouts || result.verified !== AMOUNT) {
    throw new Error(`not every sign-in verified: ${JSON.stringify(result)}`);
  }
  return result;
}

interface ServerProcess {
  url: string;
  origin: string;
  rpId: string;
  pid: number;
  /** Time from spawn to "listening", including Node start-up. */
  startMs: number;
  stop(): Promise<void>;
}

/** `npm run server` as its own process (the esbuild bundle, plain Node), configured only through its environment. */
async function serverProcess(env: Record<string, string>): Promise<ServerProcess> {
  const start = performance.now();
  const child = spawn(process.execPath, [...NODE_FLAGS, SERVER_BUNDLE], {
    // A high ceremony rate limit: the load comes from one IP. The limit stays on (main.ts cannot disable it).
    env: { ...process.env, PORT: '0', RATE_LIMIT_PER_MINUTE: '100000000', ...env },
    stdio: ['ignore', 'pipe', 'inherit'],
  });
  const line = await new Promise<string>((resolve, reject) => {
    let out = '';
    child.stdout.on('data', (chunk: Buffer) => {
      out += chunk.toString();
      if (out.includes('\n')) resolve(out);
    });
    child.once('exit', (c) => reject(new Error(`server exited with ${c}`)));
  });
  const match = /listening on (\S+); open (\S+)\/signup/.exec(line);
  if (!match || child.pid === undefined) throw new Error(`unexpected server output: ${line}`);
  return {
    url: match[1]!,
    origin: match[2]!,
    rpId: new URL(match[2]!).hostname,
    pid: child.pid,
    startMs: performance.now() - start,
    async stop() {
      // A server that already exited (or exits before the listener is attached) must not hang the benchmark.
      if (child.exitCode !== null || child.signalCode !== null) return;
      const exited = new Promise((resolve) => child.once('exit', resolve));
      child.kill('SIGTERM');
      const timeout = setTimeout(() => child.kill('SIGKILL'), 5_000);
      await exited;
      clearTimeout(timeout);
    },
  };
}

interface Memory {
  rssMb: number;
  /** Linux: the private part (heap, stacks) and the file-backed part (mostly the node binary's code, shared). */
  anonMb?: number;
  fileMb?: number;
  /** Linux: the highest resident set size the process ever had (VmHWM), so a peak between samples counts too. */
  peakMb?: number;
}

/** Resident set size of a process: /proc on Linux (split into anonymous and file-backed), else ps. */
function memoryOf(pid: number): Memory {
  const mb = (kb: string | undefined): number => Math.round(Number(kb) / 1024);
  try {
    const status = readFileSync(`/proc/${pid}/status`, 'utf8');
    const field = (name: string): string | undefined =>
      new RegExp(`^${name}:\\s+(\\d+) kB`, 'm').exec(status)?.[1];
    return {
      rssMb: mb(field('VmRSS')),
      anonMb: mb(field('RssAnon')),
      fileMb: mb(field('RssFile')),
      peakMb: mb(field('VmHWM')),
    };
  } catch {
    return {
      rssMb: mb(
        execFileSync('ps', ['-o', 'rss=', '-p', String(pid)])
          .toString()
          .trim(),
      ),
    };
  }
}

function memoryText(m: Memory, withPeak = false): string {
  const parts = m.anonMb === undefined ? [] : [`${m.anonMb} MB anonymous`, `${m.fileMb} MB file-backed`];
  if (withPeak && m.peakMb !== undefined) parts.push(`peak so far ${m.peakMb} MB`);
  return parts.length ? `${m.rssMb} MB (${parts.join(', ')})` : `${m.rssMb} MB`;
}

/** Seeds a database the way the server will open it (same migrations), then closes it. */
/**
 * The load generator counts 200s; the database must agree: one new session and one used credential per
 * sign-in, which only a verified assertion produces.
 */
async function checkSessions(
  options: { sqlitePath?: string; databaseUrl?: string },
  expected: number,
): Promise<void> {
  const database = await openDatabase(options);
  try {
    const { n } = await database.db
      .selectFrom('sessions')
      .select((eb) => eb.fn.countAll<number>().as('n'))
      .executeTakeFirstOrThrow();
    if (Number(n) !== expected)
      throw new Error(`the database holds ${n} sessions after the run, expected ${expected}`);
  } finally {
    await database.close();
  }
}

async function seed(options: { sqlitePath?: string; databaseUrl?: string }, keyFile: string): Promise<void> {
  const database = await openDatabase(options);
  try {
    await seedUsers(database.db, USERS, keyFile);
  } finally {
    await database.close();
  }
}

console.error('building the server bundle (scripts/build-server.mjs)…');
execFileSync(process.execPath, [new URL('../scripts/build-server.mjs', import.meta.url).pathname], {
  stdio: 'inherit',
});

const dir = mkdtempSync(join(tmpdir(), 'pkd-bench-'));
try {
  console.error('(a) raw ECDSA P-256 verify…');
  const a = rawVerify();
  console.error('(b) SimpleWebAuthn verifyAuthenticationResponse…');
  const b = await simpleWebAuthnVerify();
  console.error(`    (a) ${Math.round(a)}/s, (b) ${Math.round(b)}/s`);

  /** Seeds a fresh embedded database, starts the bundled server on it with `env`, and loads it. */
  const embeddedRun = async (name: string, env: Record<string, string>) => {
    const sqlitePath = join(dir, `${name}.sqlite`);
    await seed({ sqlitePath }, join(dir, `keys-${name}.json`));
    const server = await serverProcess({ SQLITE_PATH: sqlitePath, ...env });
    const memIdle = memoryOf(server.pid);
    let result: LoadResult;
    let memAfter: Memory;
    try {
      result = await load(server, join(dir, `keys-${name}.json`));
      memAfter = memoryOf(server.pid);
    } finally {
      await server.stop();
    }
    // Only after a load that succeeded: a failed one's own error is the one worth reading.
    await checkSessions({ sqlitePath }, AMOUNT);
    return { result, memIdle, memAfter, startMs: server.startMs };
  };

  console.error(`(c) seeding ${USERS} users, then loading a separate embedded server process…`);
  const embedded = await embeddedRun('c', {});
  const c = embedded.result;
  const { memIdle, memAfter: memAfterC } = embedded;
  console.error(`    (c) ${Math.round(c.verificationsPerSecond)}/s`);

  let t: LoadResult | undefined;
  let memAfterT: Memory | undefined;
  if (PARTS.includes('m')) {
    console.error('(c) again with VERIFY_IN_THREAD_POOL=0…');
    const run = await embeddedRun('m', { VERIFY_IN_THREAD_POOL: '0' });
    t = run.result;
    memAfterT = run.memAfter;
    console.error(`    (c, main thread) ${Math.round(t.verificationsPerSecond)}/s`);
  }

  let d: LoadResult | undefined;
  let pgStartMs: number | undefined;
  if (PARTS.includes('d')) {
    console.error('(d) PostgreSQL…');
    const postgres = await startPostgres({ profile: 'bench' });
    try {
      const databaseUrl = await postgres.createDatabase('bench');
      await seed({ databaseUrl }, join(dir, 'keys-pg.json'));
      console.error('    seeded; starting the server on PostgreSQL…');
      const pgServer = await serverProcess({ DATABASE_URL: databaseUrl });
      console.error('    loading…');
      pgStartMs = pgServer.startMs;
      try {
        d = await load(pgServer, join(dir, 'keys-pg.json'));
      } finally {
        await pgServer.stop();
      }
      await checkSessions({ databaseUrl }, AMOUNT);
    } finally {
      await postgres.stop();
    }
  }

  const pct = (x: number): string => `${((x / a) * 100).toFixed(1)}% of (a), ${(x / b).toFixed(2)}× (b)`;
  const fmt = (x: number): string => Math.round(x).toLocaleString('en-US');
  const dRow = d
    ? `${fmt(d.verificationsPerSecond)} | ${pct(d.verificationsPerSecond)}`
    : 'not run (BENCH_PARTS) | ';
  const both = (f: (r: LoadResult) => string): string => `${f(c)} (c)${d ? `, ${f(d)} (d)` : ''}`;
  console.log(`| Figure | Per second | Ratios |
|---|---:|---|
| (a) node:crypto ECDSA P-256 verify, one core | ${fmt(a)} | |
| (b) SimpleWebAuthn verifyAuthenticationResponse, in process | ${fmt(b)} | ${((b / a) * 100).toFixed(1)}% of (a) |
| (c) HTTP sign-in verifications, embedded SQLite, ${USERS} users | ${fmt(c.verificationsPerSecond)} | ${pct(c.verificationsPerSecond)} |
| (d) HTTP sign-in verifications, PostgreSQL, ${USERS} users | ${dRow} |
${t ? `| (c) with VERIFY_IN_THREAD_POOL=0 (signatures checked on the main thread) | ${fmt(t.verificationsPerSecond)} | ${pct(t.verificationsPerSecond)} |\n` : ''}
- Server process: node ${NODE_FLAGS.join(' ')} dist/server/main.js (the flags of npm run server).
- Load: ${AMOUNT} pre-signed assertions over ${AMOUNT} real single-use challenges, ${CONNECTIONS} connections, pipelining ${PIPELINING}, autocannon in a separate process; every one answered 200 and the database holds exactly ${AMOUNT} new sessions.
- Load generator CPU while sending (share of one core): ${both((r) => r.loadGeneratorCpu.toFixed(2))}.
- Server CPU per sign-in while sending, whole process / main thread: ${both((r) => (r.serverCpuUs ? `${Math.round(r.serverCpuUs.process)} / ${Math.round(r.serverCpuUs.mainThread)} µs` : 'not measured (no /proc)'))}${t?.serverCpuUs ? `; with VERIFY_IN_THREAD_POOL=0 ${Math.round(t.serverCpuUs.process)} / ${Math.round(t.serverCpuUs.mainThread)} µs` : ''}.
- Latency p50 / p99: ${both((r) => `${r.latencyMs.p50} / ${r.latencyMs.p99} ms`)}.
- Challenge issuance (POST /api/authentication/options, 32 concurrent fetches from the load process): ${both((r) => `${fmt(r.optionsPerSecond)}/s`)}.
- Start-up of the bundled server process (spawn to "listening", including Node): ${Math.round(embedded.startMs)} ms embedded with ${USERS} users${pgStartMs === undefined ? '' : `, ${Math.round(pgStartMs)} ms PostgreSQL`}.
- Resident memory of the embedded server process with ${USERS} users: ${memoryText(memIdle)} after start; ${c.memoryBeforeSending ? `${memoryText(c.memoryBeforeSending)} once the key cache is warm and the challenges issued; ` : ''}${memoryText(memAfterC, true)} after ${AMOUNT} sign-ins (every user's key cached)${memAfterT ? `; with VERIFY_IN_THREAD_POOL=0 ${memoryText(memAfterT, true)} after the sign-ins` : ''}.`);
} finally {
  rmSync(dir, { recursive: true, force: true });
}
