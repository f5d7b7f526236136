import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { protocol } from 'electron';
import type { Session } from 'electron';
import { policyForBuiltHtml, securityHeaders } from '../csp';
import { APP_ENTRY_URL, APP_SCHEME } from '../ipc/app-origin';
import { createAppFileServer, resolveAppPath } from '../ipc/app-files';

/**
 * Must run before `app` is ready. `standard` gives the scheme real origins and relative URLs; `secure` makes
 * its pages secure contexts (WebAuthn, crypto.subtle). Nothing else: no `bypassCSP`, no `corsEnabled`, no
 * `supportFetchAPI` (the renderer fetches nothing; it talks to main only through window.passkeyDesk),
 * no service workers.
 */
export function registerAppScheme(): void {
  protocol.registerSchemesAsPrivileged([
    { scheme: APP_SCHEME, privileges: { standard: true, secure: true } },
  ]);
}

/**
 * Serves `app://passkey-desk/*` from the built renderer with the CSP and other security headers. The policy is
 * computed once from the built index.html and the script files it names (and checked against them): a renderer
 * that was not built with its integrity hashes refuses to start here rather than showing a blank window later.
 */
export function handleAppProtocol(session: Session, rendererDir: string): void {
  const indexHtml = readFileSync(join(rendererDir, 'index.html'), 'utf8');
  const policy = policyForBuiltHtml(indexHtml, (src) => {
    const target = resolveAppPath(rendererDir, new URL(src, APP_ENTRY_URL).href);
    if (!target.ok) throw new Error(`index.html names a script outside the renderer folder: ${src}`);
    return readFileSync(target.path);
  });
  const serve = createAppFileServer({ rendererDir, headers: securityHeaders(policy) });
  session.protocol.handle(APP_SCHEME, async (request) => {
    const response = await serve(request.method, request.url);
    return new Response(response.body, { status: response.status, headers: response.headers });
  });
}
