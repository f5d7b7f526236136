/**
 * `npm run server` runs the esbuild bundle (scripts/build-server.mjs → dist/server/main.js) with plain Node. The
 * bundle must work on its own: it finds its pages next to itself, serves them, and answers the API.
 */
import { execFileSync, spawn, spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { serverNodeFlags } from '../helpers/server-node-flags';

const root = new URL('../../', import.meta.url).pathname;

interface Bundle {
  url: string;
  /** What the server wrote to stderr so far. */
  stderr(): string;
  stop(): Promise<void>;
}

/** Starts the bundle with these Node flags from `cwd` and waits for its "listening" line. */
async function startBundle(flags: string[], cwd: string): Promise<Bundle> {
  const child = spawn(process.execPath, [...flags, join(root, 'dist/server/main.js')], {
    cwd,
    env: { ...process.env, PORT: '0', SQLITE_PATH: join(cwd, 'db.sqlite') },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let stderr = '';
  child.stderr.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
  const line = await new Promise<string>((resolve, reject) => {
    let out = '';
    child.stdout.on('data', (chunk: Buffer) => {
      out += chunk.toString();
      if (out.includes('\n')) resolve(out);
    });
    child.once('exit', (code) => reject(new Error(`server exited with ${code}: ${stderr}`)));
  });
  return {
    url: /listening on (\S+);/.exec(line)![1]!,
    stderr: () => stderr,
    async stop() {
      child.kill('SIGTERM');
      if (child.exitCode === null) await new Promise((resolve) => child.once('exit', resolve));
    },
  };
}

describe('the bundled server (dist/server/main.js)', () => {
  let dir: string;
  let bundle: Bundle | undefined;
  let url: string;

  beforeAll(async () => {
    execFileSync(process.execPath, [join(root, 'scripts/build-server.mjs')], { stdio: 'inherit' });
    dir = mkdtempSync(join(tmpdir(), 'pkd-bundle-'));
    // Started from another directory, so nothing resolves relative to the working directory by accident.
    bundle = await startBundle(serverNodeFlags(), dir);
    url = bundle.url;
  }, 60_000);
  afterAll(async () => {
    await bundle?.stop();
    rmSync(dir, { recursive: true, force: true });
  });

  it('starts quietly with the flags of npm run server, and says which flag is missing without it', async () => {
    expect(bundle!.stderr()).toBe('');
    const bare = mkdtempSync(join(tmpdir(), 'pkd-bundle-bare-'));
    const plain = await startBundle([], bare);
    try {
      // stderr and stdout are separate pipes: the notice may arrive just after the "listening" line.
      await vi.waitFor(() =>
        expect(plain.stderr()).toMatch(
          /started without --max-semi-space-size=2 \(npm run server passes it\)/,
        ),
      );
    } finally {
      await plain.stop();
      rmSync(bare, { recursive: true, force: true });
    }
  });

  it('serves the pages and their script and style from next to the bundle', async () => {
    for (const [path, type] of [
      ['/signin', 'text/html'],
      ['/signup', 'text/html'],
      ['/manage', 'text/html'],
      ['/assets/app.js', 'text/javascript'],
      ['/assets/style.css', 'text/css'],
    ] as const) {
      const res = await fetch(url + path);
      expect(res.status, path).toBe(200);
      expect(res.headers.get('content-type'), path).toContain(type);
      expect((await res.text()).length, path).toBeGreaterThan(100);
    }
  });

  it('answers the API on the embedded store', async () => {
    const res = await fetch(`${url}/api/authentication/options`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: '{}',
    });
    expect(res.status).toBe(200);
    expect(((await res.json()) as { challenge: string }).challenge).toMatch(/^[A-Za-z0-9_-]{43}$/);
  });
});

describe('npm run server: bad settings', () => {
  it.each([
    ['PORT', 'eighty', /PORT is "eighty", expected an integer from 0 to 65535/],
    ['RATE_LIMIT_PER_MINUTE', '0', /RATE_LIMIT_PER_MINUTE is "0", expected a positive integer/],
    ['KEY_CACHE_ENTRIES', '-5', /KEY_CACHE_ENTRIES is "-5", expected a positive integer/],
    ['VERIFY_IN_THREAD_POOL', 'yes', /VERIFY_IN_THREAD_POOL is "yes", expected 1 .* or 0/],
    ['RP_ID', 'Bad_Host', /RP_ID is "Bad_Host", expected a lowercase domain name/],
    ['ORIGINS', 'notaurl', /ORIGINS has "notaurl", expected web origins such as https:\/\/example\.com/],
    ['ORIGINS', 'https://example.com/signin', /ORIGINS has "https:\/\/example\.com\/signin"/],
    [
      'ORIGINS',
      'http://evil.example:1',
      /ORIGINS has http:\/\/evil\.example:1, whose host evil\.example is neither the RP ID localhost nor within it/,
    ],
    [
      'ACCOUNT_RATE_LIMIT_PER_MINUTE',
      'lots',
      /ACCOUNT_RATE_LIMIT_PER_MINUTE is "lots", expected a positive integer/,
    ],
  ])('%s=%s exits with code 2 and says what is wrong', (name, value, message) => {
    const run = spawnSync(process.execPath, [join(root, 'dist/server/main.js')], {
      env: { ...process.env, PORT: '0', SQLITE_PATH: ':memory:', [name]: value },
      encoding: 'utf8',
      timeout: 30_000,
    });
    expect(run.status).toBe(2);
    expect(run.stderr).toMatch(message);
    expect(run.stderr).not.toMatch(/\n\s+at /); // no stack trace
  });

  it('an empty PORT or HOST counts as unset: 8787 on 127.0.0.1, not a random port on every address', async () => {
    const child = spawn(process.execPath, [join(root, 'dist/server/main.js')], {
      env: { ...process.env, PORT: '', HOST: '', SQLITE_PATH: ':memory:' },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let output = '';
    child.stdout.on('data', (chunk: Buffer) => (output += chunk.toString()));
    child.stderr.on('data', (chunk: Buffer) => (output += chunk.toString()));
    const exited = new Promise((resolve) => child.once('exit', resolve));
    try {
      // Listening there, or told that something else already is: either way, it went for 127.0.0.1:8787.
      await vi.waitFor(
        () =>
          expect(output).toMatch(
            /listening on http:\/\/127\.0\.0\.1:8787;|Port 8787 is already in use on 127\.0\.0\.1:8787/,
          ),
        {
          timeout: 15_000,
        },
      );
    } finally {
      child.kill('SIGTERM');
      await exited;
    }
  });

  it.each([
    [
      'a folder that does not exist',
      () => join(tmpdir(), 'pkd-no-such-folder', 'db.sqlite'),
      /the folder \S+pkd-no-such-folder does not exist/,
    ],
    ['a folder', () => mkdtempSync(join(tmpdir(), 'pkd-folder-')), /is a folder, not a database file/],
  ])('SQLITE_PATH naming %s: exits with code 1 and says which path and why', (_label, path, why) => {
    const sqlitePath = path();
    const run = spawnSync(process.execPath, [join(root, 'dist/server/main.js')], {
      env: { ...process.env, PORT: '0', SQLITE_PATH: sqlitePath },
      encoding: 'utf8',
      timeout: 30_000,
    });
    expect(run.status).toBe(1);
    expect(run.stderr).toContain(`Could not open the SQLite database ${sqlitePath} (SQLITE_PATH): `);
    expect(run.stderr).toMatch(why);
    expect(run.stderr).not.toMatch(/ConnectionFailed/);
  });
});
