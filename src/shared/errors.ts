/**
 * The closed set of error codes that cross every boundary (IPC, CLI exit, server JSON). The UI and the CLI
 * switch on `code`; `message` is for people and says what was wrong and what to do.
 */
export const ERROR_CODES = [
  // input and contract
  'INVALID_INPUT',
  'NOT_FOUND',
  'CONFLICT',
  'FORBIDDEN_SENDER',
  'UNSUPPORTED',
  'INTERNAL',
  // user and confirmation
  'USER_CANCELLED',
  'CONFIRMATION_REQUIRED',
  'USER_VERIFICATION_FAILED',
  'USER_VERIFICATION_UNAVAILABLE',
  // keyring and data folder
  'KEYRING_UNAVAILABLE',
  'KEYRING_LOCKED',
  'KEY_MISSING',
  'DATA_CORRUPT',
  'DATA_TOO_NEW',
  'LOCKED_BY_OTHER_PROCESS',
  /** The data folder cannot be read or written: permissions, a full disk, a read-only mount. */
  'DATA_UNAVAILABLE',
  // stores
  'STORE_UNAVAILABLE',
  'STORE_LOCKED',
  'STORE_READ_ONLY',
  'NOT_REMOVABLE',
  'NEEDS_ADMIN',
  'DEVICE_REMOVED',
  'DEVICE_TIMEOUT',
  'PIN_REQUIRED',
  'PIN_INVALID',
  'PIN_BLOCKED',
  'PIN_NOT_SET',
  'KEY_FULL',
  'OPERATION_DENIED',
  'UNSUPPORTED_ALGORITHM',
  // import
  'IMPORT_ENCRYPTED',
  'IMPORT_INVALID',
  'IMPORT_TOO_LARGE',
  // accounts and servers
  'SERVER_UNREACHABLE',
  'SERVER_ERROR',
  'NOT_SIGNED_IN',
  'SESSION_EXPIRED',
  'LAST_PASSKEY',
  'STILL_ACCEPTED',
  'RECENT_SIGN_IN_REQUIRED',
  'RATE_LIMITED',
  'ALREADY_REGISTERED',
  'JOURNAL_PENDING',
] as const;

export type ErrorCode = (typeof ERROR_CODES)[number];

export interface ErrorInfo {
  code: ErrorCode;
  message: string;
  /** Optional structured hints (a path, retries left, the store's manual steps). Never secrets. */
  details?: Record<string, unknown>;
}

/** The one error type the core throws on purpose. Anything else is a bug and maps to INTERNAL. */
export class PasskeyDeskError extends Error {
  override readonly name = 'PasskeyDeskError';
  constructor(
    readonly code: ErrorCode,
    message: string,
    readonly details?: Record<string, unknown>,
  ) {
    super(message);
  }

  toInfo(): ErrorInfo {
    return this.details
      ? { code: this.code, message: this.message, details: this.details }
      : { code: this.code, message: this.message };
  }
}

export function isPasskeyDeskError(e: unknown): e is PasskeyDeskError {
  return e instanceof PasskeyDeskError;
}

export function isErrorCode(value: unknown): value is ErrorCode {
  return typeof value === 'string' && (ERROR_CODES as readonly string[]).includes(value);
}

/** Converts anything thrown into ErrorInfo. Unknown errors keep a short message but never a stack. */
export function toErrorInfo(e: unknown): ErrorInfo {
  if (isPasskeyDeskError(e)) return e.toInfo();
  const message = e instanceof Error ? e.message : String(e);
  return { code: 'INTERNAL', message: `Unexpected error: ${message}` };
}

/** For `switch` statements over closed unions: a compile error when a case is missing. */
export function missingCase(value: never): never {
  throw new Error(`missing case: ${JSON.stringify(value)}`);
}

export function assert(condition: unknown, message: string): asserts condition {
  if (!condition) throw new Error(`assertion failed: ${message}`);
}
