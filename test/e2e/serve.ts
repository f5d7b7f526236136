import { createReadStream } from 'node:fs';
import { stat } from 'node:fs/promises';
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { extname, join, normalize, sep } from 'node:path';

import { readFileSync } from 'node:fs';
import { policyForBuiltHtml, securityHeaders } from '../../src/main/csp';

const TYPES: Readonly<Record<string, string>> = {
  '.html': 'text/html; charset=utf-8',
  '.js': 'text/javascript; charset=utf-8',
  '.css': 'text/css; charset=utf-8',
  '.map': 'application/json; charset=utf-8',
  '.svg': 'image/svg+xml',
  '.png': 'image/png',
  '.woff2': 'font/woff2',
};

export interface StaticServer {
  url: string;
  origin: string;
  close(): Promise<void>;
}

/** Serves a built folder on 127.0.0.1 (a port the OS picks), GET only, never outside the folder. */
export async function serveFolder(folder: string): Promise<StaticServer> {
  const root = normalize(folder + sep);
  // The policy the Electron protocol serves: recomputed from the built files, refusing a page that does not match.
  const headers = securityHeaders(
    policyForBuiltHtml(readFileSync(join(root, 'index.html'), 'utf8'), (src) =>
      readFileSync(join(root, src)),
    ),
  );
  const server = createServer((req, res) => {
    void (async () => {
      const path = decodeURIComponent(new URL(req.url ?? '/', 'http://127.0.0.1').pathname);
      const file = normalize(join(root, path.endsWith('/') ? `${path}index.html` : path));
      const type = TYPES[extname(file)];
      if (
        req.method !== 'GET' ||
        !file.startsWith(root) ||
        !type ||
        !(await stat(file)
          .then((s) => s.isFile())
          .catch(() => false))
      ) {
        res.writeHead(404, { 'content-type': 'text/plain' }).end('not found');
        return;
      }
      res.writeHead(200, { ...headers, 'content-type': type });
      createReadStream(file).pipe(res);
    })();
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  const origin = `http://127.0.0.1:${port}`;
  return {
    url: `${origin}/index.html`,
    origin,
    close: () => new Promise<void>((resolve, reject) => server.close((e) => (e ? reject(e) : resolve()))),
  };
}
