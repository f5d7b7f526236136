/**
 * `npm run server` runs the esbuild bundle (scripts/build-server.mjs → dist/server/main.js) with plain Node. The
 * bundle must work on its own: it finds its pages next to itself, serves them, and answers the API.
 */
import { execFileSync, spawn, spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';

const root = new URL('../../', import.meta.url).pathname;

/** The Node flags `npm run server` starts the bundle with (package.json), so the test runs that very command. */
function serverNodeFlags(): string[] {
  const pkg = JSON.parse(readFileSync(join(root, 'package.json'), 'utf8')) as { scripts: { server: string } };
  const match = /\bnode((?: --\S+)*) dist\/server\/main\.js/.exec(pkg.scripts.server);
  if (!match) throw new Error('package.json scripts.server does not run `node … dist/server/main.js`');
  return match[1]!.split(' ').filter(Boolean);
}

describe('the bundled server (dist/server/main.js)', () => {
  let dir: string;
  let stop: () => Promise<void>;
  let url: string;

  beforeAll(async () => {
    execFileSync(process.execPath, [join(root, 'scripts/build-server.mjs')], { stdio: 'inherit' });
    dir = mkdtempSync(join(tmpdir(), 'pkd-bundle-'));
    // Started from another directory, so nothing resolves relative to the working directory by accident.
    const child = spawn(process.execPath, [...serverNodeFlags(), join(root, 'dist/server/main.js')], {
      cwd: dir,
      env: { ...process.env, PORT: '0', SQLITE_PATH: join(dir, 'db.sqlite') },
      stdio: ['ignore', 'pipe', 'inherit'],
    });
    stop = async () => {
      child.kill('SIGTERM');
      if (child.exitCode === null) await new Promise((resolve) => child.once('exit', resolve));
    };
    const line = await new Promise<string>((resolve, reject) => {
      let out = '';
      child.stdout.on('data', (chunk: Buffer) => {
        out += chunk.toString();
        if (out.includes('\n')) resolve(out);
      });
      child.once('exit', (code) => reject(new Error(`server exited with ${code}`)));
    });
    url = /listening on (\S+);/.exec(line)![1]!;
  }, 60_000);
  afterAll(async () => {
    await stop?.();
    rmSync(dir, { recursive: true, force: true });
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
});
