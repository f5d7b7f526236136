import { mkdirSync, mkdtempSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { createAppFileServer, resolveAppPath } from '../../src/main/ipc/app-files';

const HEADERS = { 'Content-Security-Policy': "default-src 'none'", 'X-Content-Type-Options': 'nosniff' };
let base: string;
let root: string;

beforeAll(() => {
  base = mkdtempSync(join(tmpdir(), 'pkd-app-files-'));
  root = join(base, 'renderer');
  mkdirSync(join(root, 'assets'), { recursive: true });
  writeFileSync(join(root, 'index.html'), '<!doctype html><title>Passkey Desk</title>');
  writeFileSync(join(root, 'assets', 'index-abc.js'), 'console.log(1)');
  writeFileSync(join(root, 'assets', 'notes.md'), '# not served');
  writeFileSync(join(base, 'secret.txt'), 'outside the renderer');
  mkdirSync(join(base, 'renderer-evil'));
  writeFileSync(join(base, 'renderer-evil', 'x.js'), 'sibling folder with a shared prefix');
  symlinkSync(join(base, 'secret.txt'), join(root, 'assets', 'link.txt'));
});

describe('app:// file server', () => {
  it('serves index.html for / and files under the renderer folder, with the security headers', async () => {
    const serve = createAppFileServer({ rendererDir: root, headers: HEADERS });
    const index = await serve('GET', 'app://passkey-desk/');
    expect(index.status).toBe(200);
    expect(index.headers).toMatchObject({ ...HEADERS, 'Content-Type': 'text/html; charset=utf-8' });
    expect(Buffer.from(index.body).toString()).toContain('Passkey Desk');
    const js = await serve('GET', 'app://passkey-desk/assets/index-abc.js?v=1#x');
    expect(js).toMatchObject({ status: 200, headers: { 'Content-Type': 'text/javascript; charset=utf-8' } });
  });

  const refused = [
    'app://passkey-desk/../secret.txt',
    'app://passkey-desk/%2e%2e/secret.txt',
    'app://passkey-desk/assets/%2e%2e%2f%2e%2e%2fsecret.txt',
    'app://passkey-desk/..%5csecret.txt',
    'app://passkey-desk/%2e%2e/renderer-evil/x.js',
    'app://passkey-desk/assets/link.txt',
    'app://passkey-desk/assets/notes.md',
    'app://passkey-desk/missing.js',
    'app://passkey-desk/%00.js',
    'app://passkey-desk/%E0%A4%A.js',
    'app://other-host/index.html',
    'app://passkey-desk:1234/index.html',
    'https://passkey-desk/index.html',
    'file:///etc/passwd',
  ];
  it.each(refused)('answers 404 (with the headers) for %s', async (url) => {
    const serve = createAppFileServer({ rendererDir: root, headers: HEADERS });
    const response = await serve('GET', url);
    expect(response.status).toBe(404);
    expect(response.headers).toMatchObject(HEADERS);
    expect(String(response.body)).toBe('Not found');
  });

  it('refuses methods other than GET and HEAD, and sends no body for HEAD', async () => {
    const serve = createAppFileServer({ rendererDir: root, headers: HEADERS });
    expect((await serve('POST', 'app://passkey-desk/index.html')).status).toBe(405);
    expect(await serve('HEAD', 'app://passkey-desk/index.html')).toMatchObject({ status: 200, body: '' });
  });

  it('resolves paths without touching the disk and never outside the root', () => {
    expect(resolveAppPath('/r', 'app://passkey-desk/a/b.js')).toEqual({ ok: true, path: '/r/a/b.js' });
    expect(resolveAppPath('/r', 'app://passkey-desk/a/../../b.js')).toEqual({ ok: true, path: '/r/b.js' });
    expect(resolveAppPath('/r', 'app://passkey-desk/%2F%2Fetc/passwd')).toEqual({
      ok: true,
      path: '/r/etc/passwd',
    });
    expect(resolveAppPath('/r', 'app://passkey-desk/%2e%2e%2fx')).toEqual({ ok: false });
  });
});
