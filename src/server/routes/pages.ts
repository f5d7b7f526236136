/**
 * The minimal HTML pages (sign up, sign in, manage). Read once at start-up; served with the strict CSP from
 * http/security-headers.ts, which is why the pages have no inline script or style.
 */
import { readFileSync } from 'node:fs';
import type { FastifyInstance } from 'fastify';

// The bundle (scripts/build-server.mjs) defines SERVER_PAGES_DIR as './pages/' next to dist/server/main.js;
// run from the sources, this module sits in src/server/routes/ and the pages in src/server/pages/.
declare const SERVER_PAGES_DIR: string | undefined;
const PAGES_DIR = new URL(
  typeof SERVER_PAGES_DIR === 'string' ? SERVER_PAGES_DIR : '../pages/',
  import.meta.url,
);

const read = (name: string): string => readFileSync(new URL(name, PAGES_DIR), 'utf8');

export function registerPageRoutes(app: FastifyInstance): void {
  const html = { signup: read('signup.html'), signin: read('signin.html'), manage: read('manage.html') };
  const assets: Record<string, { body: string; type: string }> = {
    'app.js': { body: read('app.js'), type: 'text/javascript; charset=utf-8' },
    'style.css': { body: read('style.css'), type: 'text/css; charset=utf-8' },
  };

  app.get('/', async (_request, reply) => reply.redirect('/signin', 302));
  for (const [name, body] of Object.entries(html)) {
    app.get(`/${name}`, async (_request, reply) => reply.type('text/html; charset=utf-8').send(body));
  }
  app.get('/assets/:file', async (request, reply) => {
    const { file } = request.params as { file: string };
    const asset = Object.hasOwn(assets, file) ? assets[file] : undefined;
    if (!asset) return reply.callNotFound();
    return reply.type(asset.type).header('cache-control', 'no-cache').send(asset.body);
  });
}
