/**
 * The Node flags `npm run server` starts the server bundle with (package.json `scripts.server`), so that the
 * benchmark and the bundle test run exactly that command.
 */
import { readFileSync } from 'node:fs';

export function serverNodeFlags(): string[] {
  const pkg = JSON.parse(readFileSync(new URL('../../package.json', import.meta.url), 'utf8')) as {
    scripts: Record<string, string>;
  };
  const match = /\bnode((?: --\S+)*) dist\/server\/main\.js/.exec(pkg.scripts.server ?? '');
  if (!match) throw new Error('package.json scripts.server does not run `node … dist/server/main.js`');
  return match[1]!.split(' ').filter(Boolean);
}
