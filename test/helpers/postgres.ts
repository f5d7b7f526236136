/**
 * A throwaway PostgreSQL server for a test run: initdb + pg_ctl in a temporary folder, listening on 127.0.0.1
 * at a free port (and a Unix socket inside that folder, so nothing system-wide is touched).
 *
 * Never skips: when the server binaries are missing it throws, naming the package to install. PostgreSQL
 * refuses to run as root, so under root (CI) every command runs as the `postgres` user through runuser.
 *
 *   const pg = await startPostgres();
 *   const url = await pg.createDatabase('t1'); // postgres://postgres@127.0.0.1:PORT/t1
 *   ...
 *   await pg.stop();
 */
import { execFile } from 'node:child_process';
import { chownSync, existsSync, mkdtempSync, readdirSync, rmSync } from 'node:fs';
import { createServer } from 'node:net';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { delimiter, join } from 'node:path';
import { promisify } from 'node:util';
import pg from 'pg';

const run = promisify(execFile);

export interface PostgresOptions {
  /** Folder holding initdb and pg_ctl. Default: $PG_BIN, then Debian's /usr/lib/postgresql/<newest>/bin, then PATH. */
  binDir?: string;
  /**
   * 'test' (default): fsync off, for speed. 'bench': fsync on with synchronous_commit off, the same durability
   * class as SQLite WAL with synchronous=NORMAL, so benchmark figures compare like with like.
   */
  profile?: 'test' | 'bench';
}

export interface PostgresServer {
  /** postgres://postgres@127.0.0.1:PORT/postgres */
  url: string;
  port: number;
  dataDir: string;
  /** Creates a fresh database and returns its URL. */
  createDatabase(name: string): Promise<string>;
  stop(): Promise<void>;
}

function findBinDir(explicit?: string): string {
  const candidates: string[] = [];
  if (explicit) candidates.push(explicit);
  if (process.env.PG_BIN) candidates.push(process.env.PG_BIN);
  const debian = '/usr/lib/postgresql';
  if (existsSync(debian)) {
    const versions = readdirSync(debian)
      .filter((v) => /^\d+$/.test(v))
      .sort((a, b) => Number(b) - Number(a));
    candidates.push(...versions.map((v) => join(debian, v, 'bin')));
  }
  candidates.push(...(process.env.PATH ?? '').split(delimiter).filter(Boolean));
  const found = candidates.find((dir) => existsSync(join(dir, 'initdb')) && existsSync(join(dir, 'pg_ctl')));
  if (!found) {
    throw new Error(
      `PostgreSQL server binaries (initdb, pg_ctl) not found in ${candidates.length} places (PG_BIN, /usr/lib/postgresql/*/bin, PATH). ` +
        'Install them (Debian: apt-get install -y postgresql) or set PG_BIN. This test does not skip without them.',
    );
  }
  return found;
}

async function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const probe = createServer();
    probe.once('error', reject);
    probe.listen(0, '127.0.0.1', () => {
      const { port } = probe.address() as AddressInfo;
      probe.close(() => resolve(port));
    });
  });
}

async function postgresUserIds(): Promise<{ uid: number; gid: number }> {
  const uid = Number((await run('id', ['-u', 'postgres'])).stdout.trim());
  const gid = Number((await run('id', ['-g', 'postgres'])).stdout.trim());
  if (!Number.isInteger(uid) || !Number.isInteger(gid))
    throw new Error('running as root needs a "postgres" system user to run PostgreSQL as');
  return { uid, gid };
}

export async function startPostgres(options: PostgresOptions = {}): Promise<PostgresServer> {
  const bin = findBinDir(options.binDir);
  const asRoot = process.getuid?.() === 0;
  const dataDir = mkdtempSync(join(tmpdir(), 'pkd-pg-'));
  if (asRoot) {
    const { uid, gid } = await postgresUserIds();
    chownSync(dataDir, uid, gid);
  }
  const exec = async (tool: string, args: string[]): Promise<void> => {
    const file = join(bin, tool);
    try {
      if (asRoot) await run('runuser', ['-u', 'postgres', '--', file, ...args], { cwd: tmpdir() });
      else await run(file, args);
    } catch (e) {
      const err = e as { stderr?: string; message: string };
      throw new Error(`${tool} ${args.slice(0, 3).join(' ')} failed: ${err.stderr?.trim() || err.message}`, {
        cause: e,
      });
    }
  };
  const pgdata = join(dataDir, 'data');
  await exec('initdb', [
    '-D',
    pgdata,
    '-U',
    'postgres',
    '--auth=trust',
    '-E',
    'UTF8',
    '--no-sync',
    '--locale=C',
  ]);
  const settings =
    options.profile === 'bench'
      ? ['-c', 'synchronous_commit=off', '-c', 'shared_buffers=128MB', '-c', 'max_connections=100']
      : [
          '-c',
          'fsync=off',
          '-c',
          'synchronous_commit=off',
          '-c',
          'full_page_writes=off',
          '-c',
          'max_connections=100',
        ];
  let port = 0;
  let lastError: unknown;
  for (let attempt = 0; attempt < 3 && port === 0; attempt++) {
    const candidate = await freePort();
    const serverOptions = ['-p', String(candidate), '-h', '127.0.0.1', '-k', dataDir, ...settings].join(' ');
    try {
      await exec('pg_ctl', [
        '-D',
        pgdata,
        '-o',
        serverOptions,
        '-l',
        join(dataDir, 'server.log'),
        '-w',
        '-t',
        '30',
        'start',
      ]);
      port = candidate;
    } catch (e) {
      lastError = e; // the port may have been taken between probe and start; try another
    }
  }
  if (port === 0) {
    rmSync(dataDir, { recursive: true, force: true });
    throw lastError instanceof Error ? lastError : new Error(String(lastError));
  }
  const url = `postgres://postgres@127.0.0.1:${port}/postgres`;
  return {
    url,
    port,
    dataDir,
    async createDatabase(name: string): Promise<string> {
      if (!/^[a-z_][a-z0-9_]{0,62}$/.test(name))
        throw new Error(`database name ${JSON.stringify(name)} is not a plain lowercase identifier`);
      const client = new pg.Client({ connectionString: url });
      await client.connect();
      try {
        await client.query(`CREATE DATABASE ${name}`);
      } finally {
        await client.end();
      }
      return `postgres://postgres@127.0.0.1:${port}/${name}`;
    },
    async stop(): Promise<void> {
      try {
        await exec('pg_ctl', ['-D', pgdata, '-m', 'immediate', '-w', 'stop']);
      } finally {
        rmSync(dataDir, { recursive: true, force: true });
      }
    },
  };
}
