/**
 * Signing in through the system browser (RFC 8252): a loopback listener on 127.0.0.1 and a free port, PKCE with
 * S256 (RFC 7636) and a state check. The browser signs in with whatever passkey the user has (a phone, a
 * password manager), the server redirects to the listener with a one-time code, and the code plus the verifier
 * becomes a session token. The listener lives for one sign-in and always closes.
 */
import { createHash, randomBytes, timingSafeEqual } from 'node:crypto';
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { z } from 'zod';
import { PasskeyDeskError } from '../../shared/errors';
import { requestJson } from './http';
import type { Discovery } from './types';

export const DESKTOP_LOGIN_TIMEOUT_MS = 5 * 60_000;

const tokenReply = z.object({
  access_token: z.string().min(1),
  token_type: z.string(),
  expires_at: z.string().optional(),
  expires_in: z.number().optional(),
});

export interface DesktopLoginOptions {
  /** Opens the URL in the system browser (Electron: the allow-listed shell; CLI: xdg-open/open/start; tests: Chromium). */
  openBrowser: (url: string) => Promise<void>;
  timeoutMs?: number;
  now?: () => Date;
  /** Aborting it (the user's Cancel in Passkey Desk) stops the wait and closes the listener at once. */
  signal?: AbortSignal;
}

/** Passed to AbortController.abort when a newer browser sign-in takes this one's place. */
export const REPLACED = 'replaced by a newer browser sign-in';

/** The user gave up on the browser sign-in in the app (or started another): nothing to retry until they ask. */
export function cancelledInApp(signal?: AbortSignal): PasskeyDeskError {
  return new PasskeyDeskError(
    'USER_CANCELLED',
    signal?.reason === REPLACED
      ? 'A newer browser sign-in was started, so Passkey Desk stopped waiting for this one.'
      : 'You stopped waiting for the browser sign-in. Start it again when you are ready.',
  );
}

function endedWithout(error: string | null): PasskeyDeskError {
  // RFC 6749 §4.1.2.1: access_denied is the site's page saying the user declined (its Cancel button).
  if (error === 'access_denied')
    return new PasskeyDeskError(
      'USER_CANCELLED',
      'You cancelled the sign-in on the site’s page (or denied this app there). Start it again when you are ready.',
    );
  return new PasskeyDeskError(
    'USER_CANCELLED',
    `The browser sign-in ended without a code (${error ?? 'no code'}). Try again.`,
  );
}

const b64url = (bytes: Buffer): string => bytes.toString('base64url');

function sameText(a: string, b: string): boolean {
  const x = Buffer.from(a);
  const y = Buffer.from(b);
  return x.length === y.length && timingSafeEqual(x, y);
}

const PAGE = (text: string): string =>
  `<!doctype html><meta charset="utf-8"><title>Passkey Desk</title><p style="font:16px system-ui;margin:3em">${text}</p>`;

/** Waits for the one redirect that carries our state; anything else is answered and ignored. */
function listen(
  state: string,
  timeoutMs: number,
  signal: AbortSignal | undefined,
): Promise<{ redirectUri: string; code: Promise<string>; close: () => void }> {
  return new Promise((resolveListening, rejectListening) => {
    let settle: { resolve: (code: string) => void; reject: (e: Error) => void } | null = null;
    const code = new Promise<string>((resolve, reject) => (settle = { resolve, reject }));
    code.catch(() => undefined); // observed by the caller; never an unhandled rejection
    const server = createServer((req, res) => {
      const url = new URL(req.url ?? '/', 'http://127.0.0.1');
      if (url.pathname !== '/callback') {
        res.writeHead(404, { 'content-type': 'text/html; charset=utf-8' }).end(PAGE('Not found.'));
        return;
      }
      const gotState = url.searchParams.get('state') ?? '';
      if (!sameText(gotState, state)) {
        // Not our sign-in (a stale tab or another program): refuse it and keep waiting for ours.
        res
          .writeHead(400, { 'content-type': 'text/html; charset=utf-8' })
          .end(PAGE('This sign-in does not belong to the request Passkey Desk is waiting for.'));
        return;
      }
      const error = url.searchParams.get('error');
      const got = url.searchParams.get('code');
      res.writeHead(200, { 'content-type': 'text/html; charset=utf-8', 'cache-control': 'no-store' });
      if (error || !got) {
        res.end(
          PAGE(
            error === 'access_denied'
              ? 'Sign-in cancelled. You can close this window.'
              : 'Sign-in did not complete. You can close this window and try again in Passkey Desk.',
          ),
        );
        settle?.reject(endedWithout(error));
      } else {
        res.end(
          PAGE(
            'Passkey Desk received the sign-in. You can close this window; Passkey Desk says whether the account is connected.',
          ),
        );
        settle?.resolve(got);
      }
    });
    const timer = setTimeout(() => {
      settle?.reject(
        new PasskeyDeskError(
          'USER_CANCELLED',
          `No sign-in came back from the browser within ${Math.round(timeoutMs / 60_000)} minutes. Try again.`,
        ),
      );
    }, timeoutMs);
    timer.unref();
    const abort = () => settle?.reject(cancelledInApp(signal));
    signal?.addEventListener('abort', abort, { once: true });
    const close = () => {
      clearTimeout(timer);
      signal?.removeEventListener('abort', abort);
      server.close();
      server.closeAllConnections();
    };
    server.once('error', (e) =>
      rejectListening(
        new PasskeyDeskError('INTERNAL', `Could not open a loopback listener on 127.0.0.1: ${e.message}`),
      ),
    );
    server.listen(0, '127.0.0.1', () => {
      const { port } = server.address() as AddressInfo;
      resolveListening({ redirectUri: `http://127.0.0.1:${port}/callback`, code, close });
    });
  });
}

export async function desktopLogin(
  server: Discovery,
  options: DesktopLoginOptions,
): Promise<{ token: string; expiresAt: string | null }> {
  const { desktopAuthorize, desktopToken } = server.endpoints;
  if (!desktopAuthorize || !desktopToken) {
    throw new PasskeyDeskError(
      'UNSUPPORTED',
      `${server.serverUrl} offers no desktop login (its API description names no desktop endpoints). Sign in with a vault passkey instead.`,
    );
  }
  const verifier = b64url(randomBytes(32));
  const challenge = b64url(createHash('sha256').update(verifier).digest());
  const state = b64url(randomBytes(16));
  if (options.signal?.aborted) throw cancelledInApp(options.signal);
  const listener = await listen(state, options.timeoutMs ?? DESKTOP_LOGIN_TIMEOUT_MS, options.signal);
  try {
    const query = new URLSearchParams({
      response_type: 'code',
      redirect_uri: listener.redirectUri,
      code_challenge: challenge,
      code_challenge_method: 'S256',
      state,
    });
    // The page lives at the server's web origin (its host is the RP ID the browser's passkeys are bound to).
    await options.openBrowser(`${server.origin}${desktopAuthorize}?${query.toString()}`);
    const code = await listener.code;
    // A Cancel that lands after the code arrived still wins: the user asked for no sign-in.
    if (options.signal?.aborted) throw cancelledInApp(options.signal);
    const reply = tokenReply.safeParse(
      await requestJson(server.serverUrl + desktopToken, {
        method: 'POST',
        body: {
          grant_type: 'authorization_code',
          code,
          code_verifier: verifier,
          redirect_uri: listener.redirectUri,
        },
      }),
    );
    if (!reply.success)
      throw new PasskeyDeskError(
        'SERVER_ERROR',
        `${server.serverUrl} answered the token request in an unexpected shape; expected an OAuth token reply.`,
      );
    // The same for a Cancel during the exchange: the token is dropped, never stored (the caller stores it only
    // after this returns, and cancelling is no longer possible then).
    if (options.signal?.aborted) throw cancelledInApp(options.signal);
    const now = (options.now ?? (() => new Date()))();
    const expiresAt =
      reply.data.expires_at ??
      (reply.data.expires_in ? new Date(now.getTime() + reply.data.expires_in * 1000).toISOString() : null);
    return { token: reply.data.access_token, expiresAt };
  } finally {
    listener.close();
  }
}
