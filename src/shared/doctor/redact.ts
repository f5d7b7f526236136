/**
 * What a support report may carry: findings and evidence, with credential IDs shortened and nothing secret.
 * Findings are built without secrets in the first place; this is the second line, applied to the final text.
 */
import { shortId } from '../model';

/**
 * Credential IDs, user handles and any other long base64/base64url/hex run: shortened like the app shows them.
 * Identifiers made of words (message keys, variable names) are not such runs and are kept (see `isWords`).
 */
const LONG_TOKEN = /[A-Za-z0-9_\-+/]{20,}={0,2}/g;
const PEM = /-----BEGIN [A-Z ]+-----[\s\S]*?-----END [A-Z ]+-----/g;
const BEARER = /\bBearer\s+\S+/gi;
const SECRET_FIELD =
  /(\b"?(?:token|access_token|session_token|secret|password|pin|privateKey|private_key|authorization|code_verifier)"?\s*[:=]\s*)("[^"]*"|[^\s,;}]+)/gi;

export const REDACTED = '[redacted]';

/**
 * Redacts a report: the given secret values (session tokens the caller knows of) disappear entirely, as do PEM
 * blocks, bearer headers and `token=`/`"pin":` style fields; long IDs are shortened to `abcdef…wxyz`.
 * URL paths are left alone unless they carry a long run (a token in a query string is then shortened away).
 */
export function redactReport(text: string, secrets: readonly string[] = []): string {
  let out = text;
  for (const s of secrets) if (s.length >= 6) out = out.split(s).join(REDACTED);
  return out
    .replace(PEM, REDACTED)
    .replace(BEARER, `Bearer ${REDACTED}`)
    .replace(SECRET_FIELD, (_m, name: string) => `${name}${REDACTED}`)
    .replace(LONG_TOKEN, (run) => (isUrlPathPiece(run) || isWords(run) ? run : shortId(run)));
}

/**
 * `already-have-passkey`, `gnome-keyring-daemon`, `DBUS_SESSION_BUS_ADDRESS`: words of one case joined by `-` or
 * `_` — message keys, check names, commands and variables, fixed by the program. An ID or token is random bytes
 * in base64url or hex, which practically never is letters of a single case split into words (a 20-character
 * base64url run of only lowercase letters, `-` and `_` has odds of about 1 in 10⁷), so these stay whole.
 */
const WORDS = /^(?:[a-z]+(?:[-_][a-z]+)+|[A-Z]+(?:[-_][A-Z]+)+)$/;
function isWords(run: string): boolean {
  return WORDS.test(run);
}

/** `/api/account/passkeys` style runs contain slashes between short words: not an identifier. */
function isUrlPathPiece(run: string): boolean {
  return run.includes('/') && run.split('/').every((part) => part.length < 20);
}
