/**
 * What a support report may carry: findings and evidence, with credential IDs shortened and nothing secret.
 * Findings are built without secrets in the first place; this is the second line, applied to the final text.
 */
import { shortId } from '../model';

/** Credential IDs, user handles and any other long base64/base64url/hex run: shortened like the app shows them. */
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
    .replace(LONG_TOKEN, (run) => (isUrlPathPiece(run) ? run : shortId(run)));
}

/** `/api/account/passkeys` style runs contain slashes between short words: not an identifier. */
function isUrlPathPiece(run: string): boolean {
  return run.includes('/') && run.split('/').every((part) => part.length < 20);
}
