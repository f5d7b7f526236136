/**
 * The server's JSON error: `{ code, message }` with an HTTP status. Codes reuse the shared ErrorCode names where
 * they fit and add a few that only the relying party has. Messages state what was received and what was expected.
 */
import type { ErrorCode } from '../shared/errors';

export type ServerErrorCode =
  | Extract<
      ErrorCode,
      | 'INVALID_INPUT'
      | 'NOT_FOUND'
      | 'CONFLICT'
      | 'INTERNAL'
      | 'NOT_SIGNED_IN'
      | 'SESSION_EXPIRED'
      | 'LAST_PASSKEY'
      | 'RECENT_SIGN_IN_REQUIRED'
      | 'RATE_LIMITED'
      | 'ALREADY_REGISTERED'
      | 'USER_VERIFICATION_FAILED'
    >
  /** The challenge named by clientDataJSON is unknown, already used, expired or from another ceremony. */
  | 'CHALLENGE_INVALID'
  /** The response failed WebAuthn verification (origin, RP ID, signature, flags...). */
  | 'VERIFICATION_FAILED'
  /** Sign-in with a credential ID this server does not accept (the page then signals it as unknown). */
  | 'UNKNOWN_CREDENTIAL'
  /** The sign counter went backwards: the credential is flagged as possibly cloned. */
  | 'COUNTER_REGRESSION'
  | 'PAYLOAD_TOO_LARGE'
  | 'UNSUPPORTED_MEDIA_TYPE'
  /** A browser request from an origin that is not configured. */
  | 'FORBIDDEN_ORIGIN'
  /** Desktop login: the code is unknown, used, expired, or the verifier / redirect URI does not match. */
  | 'INVALID_GRANT';

export class ApiError extends Error {
  override readonly name = 'ApiError';
  constructor(
    readonly status: number,
    readonly code: ServerErrorCode,
    message: string,
    readonly details?: Record<string, unknown>,
  ) {
    super(message);
  }

  toJSON(): { code: ServerErrorCode; message: string; details?: Record<string, unknown> } {
    return this.details
      ? { code: this.code, message: this.message, details: this.details }
      : { code: this.code, message: this.message };
  }
}

export const badInput = (message: string, details?: Record<string, unknown>): ApiError =>
  new ApiError(400, 'INVALID_INPUT', message, details);
