/**
 * JSON over HTTP to a relying party, with a timeout, and every failure turned into a PasskeyDeskError that says
 * what the server answered and what to do. The bearer token is sent, never echoed into a message.
 */
import type { ErrorCode } from '../../shared/errors';
import { PasskeyDeskError } from '../../shared/errors';

export const DEFAULT_TIMEOUT_MS = 15_000;

export interface HttpOptions {
  method?: 'GET' | 'POST' | 'PATCH' | 'DELETE';
  body?: unknown;
  token?: string | null;
  timeoutMs?: number;
  /**
   * Server codes passed through as ours for this request only: INVALID_INPUT where the request carries what the
   * user typed (a sign-up's user name), so the refusal is bad input; elsewhere it would blame the user for ours.
   */
  passThrough?: readonly ErrorCode[];
}

/** Server codes passed through as ours; anything else becomes SERVER_ERROR with the server's code in details. */
const PASS_THROUGH: ReadonlySet<ErrorCode> = new Set<ErrorCode>([
  'NOT_SIGNED_IN',
  'SESSION_EXPIRED',
  'LAST_PASSKEY',
  'RECENT_SIGN_IN_REQUIRED',
  'RATE_LIMITED',
  'NOT_FOUND',
  'CONFLICT',
  'ALREADY_REGISTERED',
]);

const ADVICE: Partial<Record<ErrorCode, string>> = {
  INVALID_INPUT:
    'The server refused a value given to it (a user name it does not allow, say): change it and try again.',
  NOT_SIGNED_IN: 'Sign in to the account again (passkey-desk accounts signin).',
  SESSION_EXPIRED: 'The session ended; sign in to the account again (passkey-desk accounts signin).',
  RECENT_SIGN_IN_REQUIRED:
    'Revoking or adding a passkey needs a recent sign-in: sign in again with a passkey (passkey-desk accounts signin ACCOUNT_ID, adding --browser when its passkey is not in this vault), then retry within 5 minutes.',
  RATE_LIMITED: 'Wait a minute and try again.',
  LAST_PASSKEY: 'Add another passkey to the account before removing this one.',
};

export async function requestJson<T>(url: string, options: HttpOptions = {}): Promise<T> {
  const headers: Record<string, string> = { accept: 'application/json' };
  if (options.body !== undefined) headers['content-type'] = 'application/json';
  if (options.token) headers.authorization = `Bearer ${options.token}`;
  let res: Response;
  try {
    res = await fetch(url, {
      method: options.method ?? 'GET',
      headers,
      redirect: 'error',
      signal: AbortSignal.timeout(options.timeoutMs ?? DEFAULT_TIMEOUT_MS),
      ...(options.body === undefined ? {} : { body: JSON.stringify(options.body) }),
    });
  } catch (e) {
    throw unreachable(url, e, options.timeoutMs ?? DEFAULT_TIMEOUT_MS);
  }
  const text = await res.text().catch(() => '');
  if (res.ok) {
    if (!text) return undefined as T;
    try {
      return JSON.parse(text) as T;
    } catch {
      throw new PasskeyDeskError(
        'SERVER_ERROR',
        `${describe(url)} answered ${res.status} with something that is not JSON; expected a JSON reply. Is this the right address?`,
      );
    }
  }
  throw serverError(url, res.status, text, options.passThrough);
}

function describe(url: string): string {
  const u = new URL(url);
  return `The server at ${u.origin} (${u.pathname})`;
}

function unreachable(url: string, e: unknown, timeoutMs: number): PasskeyDeskError {
  const name = e instanceof Error ? e.name : '';
  const cause =
    e instanceof Error && e.cause instanceof Error
      ? e.cause.message
      : e instanceof Error
        ? e.message
        : String(e);
  const why =
    name === 'TimeoutError' || name === 'AbortError'
      ? `no answer within ${Math.round(timeoutMs / 1000)} s`
      : // OpenSSL's words for a reply that is not TLS: an http server at an https address.
        /wrong version number|packet length too long|http request/i.test(cause)
        ? plainHttpHint(new URL(url))
        : cause;
  return new PasskeyDeskError(
    'SERVER_UNREACHABLE',
    `Could not reach ${new URL(url).origin} (${why}). Check the address and your network, and that the server is running.`,
    {
      url: new URL(url).origin,
    },
  );
}

/** An https address answered in plain http: say which address to use, if plain http is allowed for it at all. */
function plainHttpHint(url: URL): string {
  const port = url.port ? `:${url.port}` : '';
  if (['localhost', '127.0.0.1', '[::1]'].includes(url.hostname))
    return `it does not speak https on that port; a server on this machine started with npm run server takes http://${url.host}`;
  if (url.hostname.endsWith('.localhost'))
    return `it does not speak https on that port; a server on this machine started with npm run server takes http://127.0.0.1${port}`;
  return 'it does not speak https on that port; Passkey Desk connects to servers on other machines over https only, so the server must serve https there';
}

export function serverError(
  url: string,
  status: number,
  text: string,
  passThrough: readonly ErrorCode[] = [],
): PasskeyDeskError {
  let code: string | null = null;
  let message: string | null = null;
  try {
    const body = JSON.parse(text) as { code?: unknown; message?: unknown };
    code = typeof body.code === 'string' ? body.code : null;
    message = typeof body.message === 'string' ? body.message : null;
  } catch {
    // not JSON: report the status alone
  }
  const said = message ? `: "${message}"` : '';
  if (code !== null && (PASS_THROUGH.has(code as ErrorCode) || passThrough.includes(code as ErrorCode))) {
    const ours = code as ErrorCode;
    return new PasskeyDeskError(
      ours,
      `${describe(url)} refused (${status} ${code})${said}. ${ADVICE[ours] ?? ''}`.trim(),
      { status, serverCode: code },
    );
  }
  if (status === 401)
    return new PasskeyDeskError(
      'NOT_SIGNED_IN',
      `${describe(url)} answered 401${said}. ${ADVICE.NOT_SIGNED_IN}`,
      { status, serverCode: code },
    );
  if (status === 429)
    return new PasskeyDeskError(
      'RATE_LIMITED',
      `${describe(url)} answered 429${said}. ${ADVICE.RATE_LIMITED}`,
      { status, serverCode: code },
    );
  return new PasskeyDeskError(
    'SERVER_ERROR',
    `${describe(url)} answered ${status}${code ? ` ${code}` : ''}${said}; expected a success reply.`,
    { status, serverCode: code },
  );
}
