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
