/**
 * The renderer CSP in a real browser (Debian Chromium, the engine Electron embeds): a Vite-style page hardened by
 * hardenRendererHtml and served by the app:// file server's logic (here over http://127.0.0.1, as the renderer
 * e2e server does) runs its hashed bundle, and nothing else runs. This is the one part of the shell's security
 * that can be exercised at run time without an Electron binary.
 */
import { mkdirSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { createServer } from 'node:http';
import type { Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { chromium } from 'playwright-core';
import type { Browser } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { hardenRendererHtml, policyForBuiltHtml, securityHeaders } from '../../src/main/csp';
import { APP_ORIGIN } from '../../src/main/ipc/app-origin';
import { createAppFileServer } from '../../src/main/ipc/app-files';
import { chromiumLaunchOptions } from '../helpers/chromium';

const BUNDLE = `
const out = (id, text) => { const p = document.createElement('p'); p.id = id; p.textContent = text; document.body.append(p); };
out('bundle', 'ran');
try { document.body.insertAdjacentHTML('beforeend', '<b>x</b>'); out('html-sink', 'allowed'); } catch { out('html-sink', 'blocked'); }
try { (0, eval)('1'); out('eval', 'allowed'); } catch { out('eval', 'blocked'); }
fetch('/index.html').then(() => out('fetch', 'allowed'), () => out('fetch', 'blocked'));
`;
const PAGE = `<!doctype html><html><head><meta charset="UTF-8"><title>t</title>
<script type="module" crossorigin src="/assets/index-abc.js"></script>
<link rel="stylesheet" crossorigin href="/assets/index-abc.css"></head><body></body></html>`;

describe('renderer CSP in Chromium', () => {
  let server: Server;
  let browser: Browser;
  let base: string;

  beforeAll(async () => {
    const root = mkdtempSync(join(tmpdir(), 'pkd-csp-'));
    mkdirSync(join(root, 'assets'));
    writeFileSync(join(root, 'assets', 'index-abc.js'), BUNDLE);
    writeFileSync(join(root, 'assets', 'index-abc.css'), 'body { background: rgb(1, 2, 3); }');
    writeFileSync(join(root, 'assets', 'evil.js'), "document.title = 'evil ran';");
    const html = hardenRendererHtml(PAGE, (src) => readFileSync(join(root, src)));
    writeFileSync(join(root, 'index.html'), html);
    // A page altered after the build: an extra same-origin script and an inline one.
    writeFileSync(
      join(root, 'tampered.html'),
      html.replace(
        '</body>',
        '<script src="/assets/evil.js"></script><script>document.title=\'inline ran\'</script></body>',
      ),
    );
    const policy = policyForBuiltHtml(html, (src) => readFileSync(join(root, src)));
    const serve = createAppFileServer({ rendererDir: root, headers: securityHeaders(policy) });
    server = createServer((req, res) => {
      void serve(req.method ?? 'GET', `${APP_ORIGIN}${req.url ?? '/'}`).then((r) => {
        res.writeHead(r.status, r.headers).end(r.body);
      });
    });
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
    browser = await chromium.launch({ ...chromiumLaunchOptions() });
  });
  afterAll(async () => {
    await browser?.close();
    server?.close();
  });

  it('runs the hashed bundle and its stylesheet; blocks HTML sinks, eval and fetch', async () => {
    const page = await browser.newPage();
    await page.goto(`${base}/index.html`);
    await page.locator('#fetch').waitFor({ timeout: 10_000 });
    const text = async (id: string) => page.locator(`#${id}`).textContent();
    expect(await text('bundle')).toBe('ran');
    expect(await text('html-sink')).toBe('blocked');
    expect(await text('eval')).toBe('blocked');
    expect(await text('fetch')).toBe('blocked');
    expect(await page.evaluate('getComputedStyle(document.body).backgroundColor')).toBe('rgb(1, 2, 3)');
    await page.close();
  });

  it('does not run a script added after the build, same-origin or inline', async () => {
    const page = await browser.newPage();
    const violations: string[] = [];
    page.on('console', (m) => {
      if (/Content Security Policy/.test(m.text())) violations.push(m.text());
    });
    await page.goto(`${base}/tampered.html`);
    await page.locator('#bundle').waitFor({ timeout: 10_000 });
    expect(await page.title()).toBe('t');
    expect(violations.length).toBeGreaterThanOrEqual(2);
    await page.close();
  });
});
