import { readFile, realpath } from 'node:fs/promises';
import { extname, resolve, sep } from 'node:path';
import { APP_HOST, APP_SCHEME } from './app-origin';

/** The response the `app:` protocol gives; the Electron adapter turns it into a fetch `Response`. */
export interface AppFileResponse {
  status: number;
  headers: Record<string, string>;
  body: Uint8Array | string;
}

const CONTENT_TYPES: Readonly<Record<string, string>> = Object.freeze({
  '.html': 'text/html; charset=utf-8',
  '.js': 'text/javascript; charset=utf-8',
  '.mjs': 'text/javascript; charset=utf-8',
  '.css': 'text/css; charset=utf-8',
  '.json': 'application/json; charset=utf-8',
  '.svg': 'image/svg+xml',
  '.png': 'image/png',
  '.ico': 'image/x-icon',
  '.webp': 'image/webp',
  '.woff2': 'font/woff2',
  '.txt': 'text/plain; charset=utf-8',
});

/**
 * Serves `app://passkey-desk/<path>` from the built renderer folder and nothing else.
 * - Only GET/HEAD on our exact host; any other host, port or credentials is 404.
 * - The decoded path is resolved inside `rendererDir` and must stay inside it, after symlinks too (`realpath`),
 *   so `..`, `%2e%2e`, encoded separators and absolute paths cannot reach other files.
 * - Only known file types are served (a `nosniff` response needs a correct type; unknown types are not ours).
 * - `headers` (the CSP and friends) go on every response, errors included.
 */
export function createAppFileServer(options: {
  rendererDir: string;
  headers: Readonly<Record<string, string>>;
}) {
  const root = resolve(options.rendererDir);
  let realRoot: Promise<string> | null = null;
  const refuse = (status: number, message: string): AppFileResponse => ({
    status,
    headers: { ...options.headers, 'Content-Type': 'text/plain; charset=utf-8' },
    body: message,
  });

  return async function serve(method: string, rawUrl: string): Promise<AppFileResponse> {
    if (method !== 'GET' && method !== 'HEAD') return refuse(405, 'Method not allowed');
    const target = resolveAppPath(root, rawUrl);
    if (!target.ok) return refuse(404, 'Not found');
    const type = CONTENT_TYPES[extname(target.path).toLowerCase()];
    if (!type) return refuse(404, 'Not found');
    try {
      realRoot ??= realpath(root);
      const real = await realpath(target.path);
      if (!isInside(await realRoot, real)) return refuse(404, 'Not found');
      const body = await readFile(real);
      return {
        status: 200,
        headers: { ...options.headers, 'Content-Type': type },
        body: method === 'HEAD' ? '' : new Uint8Array(body),
      };
    } catch {
      return refuse(404, 'Not found');
    }
  };
}

/** Maps a URL of ours to a file path inside `root`, or refuses. Pure: no file system access. */
export function resolveAppPath(root: string, rawUrl: string): { ok: true; path: string } | { ok: false } {
  let url: URL;
  try {
    url = new URL(rawUrl);
  } catch {
    return { ok: false };
  }
  if (
    url.protocol !== `${APP_SCHEME}:` ||
    url.hostname !== APP_HOST ||
    url.port !== '' ||
    url.username !== '' ||
    url.password !== ''
  )
    return { ok: false };
  let pathname: string;
  try {
    pathname = decodeURIComponent(url.pathname);
  } catch {
    return { ok: false };
  }
  // A decoded backslash or NUL has no business in a URL path of ours (Windows treats `\` as a separator).
  if (pathname.includes('\\') || pathname.includes('\0')) return { ok: false };
  const relative = pathname === '/' || pathname === '' ? 'index.html' : pathname.replace(/^\/+/, '');
  const path = resolve(root, relative);
  return isInside(root, path) ? { ok: true, path } : { ok: false };
}

function isInside(root: string, path: string): boolean {
  return path.startsWith(root.endsWith(sep) ? root : root + sep);
}
