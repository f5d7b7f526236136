import { PasskeyDeskError } from '../../../shared/errors';

/** CTAP 2.1 §8.2 status codes (the subset a credential manager meets, plus the ones tests exercise). */
export const CTAP2_STATUS = {
  OK: 0x00,
  INVALID_COMMAND: 0x01,
  INVALID_PARAMETER: 0x02,
  INVALID_LENGTH: 0x03,
  CBOR_UNEXPECTED_TYPE: 0x11,
  INVALID_CBOR: 0x12,
  MISSING_PARAMETER: 0x14,
  LIMIT_EXCEEDED: 0x15,
  CREDENTIAL_EXCLUDED: 0x19,
  UNSUPPORTED_ALGORITHM: 0x26,
  OPERATION_DENIED: 0x27,
  KEY_STORE_FULL: 0x28,
  UNSUPPORTED_OPTION: 0x2b,
  KEEPALIVE_CANCEL: 0x2d,
  NO_CREDENTIALS: 0x2e,
  USER_ACTION_TIMEOUT: 0x2f,
  NOT_ALLOWED: 0x30,
  PIN_INVALID: 0x31,
  PIN_BLOCKED: 0x32,
  PIN_AUTH_INVALID: 0x33,
  PIN_AUTH_BLOCKED: 0x34,
  PIN_NOT_SET: 0x35,
  PUAT_REQUIRED: 0x36,
  PIN_POLICY_VIOLATION: 0x37,
  REQUEST_TOO_LARGE: 0x39,
  ACTION_TIMEOUT: 0x3a,
  UP_REQUIRED: 0x3b,
  UV_BLOCKED: 0x3c,
  UV_INVALID: 0x3f,
  UNAUTHORIZED_PERMISSION: 0x40,
} as const;

export type Ctap2StatusName = keyof typeof CTAP2_STATUS;

const NAMES = new Map<number, string>(Object.entries(CTAP2_STATUS).map(([k, v]) => [v, k]));

export function statusName(status: number): string {
  return `${NAMES.get(status) ?? 'UNKNOWN'} (0x${status.toString(16).padStart(2, '0')})`;
}

/** A non-zero CTAP2 status, kept raw so that callers can react (NO_CREDENTIALS → empty list) before mapping. */
export class CtapStatusError extends Error {
  override readonly name = 'CtapStatusError';
  constructor(
    readonly status: number,
    readonly command: string,
  ) {
    super(`${command} failed with CTAP status ${statusName(status)}`);
  }
}

export interface MapContext {
  /** PIN retries left, when the caller asked the key after a wrong PIN. */
  retriesLeft?: number | null;
}

/** Maps a CTAP2 status to the shared error codes, with words a person can act on. */
export function mapCtapStatus(err: CtapStatusError, ctx: MapContext = {}): PasskeyDeskError {
  const details = { ctapStatus: err.status, ctapStatusName: statusName(err.status), command: err.command };
  const S = CTAP2_STATUS;
  switch (err.status) {
    case S.PIN_INVALID: {
      const left = ctx.retriesLeft;
      const tail =
        left === undefined || left === null
          ? 'Check it and try again.'
          : left === 1
            ? 'One try left: one more wrong PIN blocks the key, and unblocking it means resetting it, which erases every passkey on it.'
            : `${left} tries left before the key blocks its PIN.`;
      return new PasskeyDeskError('PIN_INVALID', `Wrong PIN for the security key. ${tail}`, {
        ...details,
        retriesLeft: left ?? null,
      });
    }
    case S.PIN_AUTH_BLOCKED:
      return new PasskeyDeskError(
        'PIN_INVALID',
        'Too many wrong PINs in a row: the key refuses more attempts until it is unplugged. Unplug it, plug it back in, and enter the PIN again.',
        { ...details, powerCycleRequired: true },
      );
    case S.PIN_BLOCKED:
      return new PasskeyDeskError(
        'PIN_BLOCKED',
        "The security key's PIN is blocked after too many wrong attempts. Only a reset of the key unblocks it, and a reset erases every passkey on it (use the maker's tool or your browser's security-key settings).",
        details,
      );
    case S.PIN_NOT_SET:
      return new PasskeyDeskError(
        'PIN_NOT_SET',
        "This security key has no PIN yet, and keys only show their passkeys after a PIN is entered. Set a PIN in your browser's security-key settings or the maker's tool, then try again.",
        details,
      );
    case S.PUAT_REQUIRED:
      return new PasskeyDeskError(
        'PIN_REQUIRED',
        'The security key needs its PIN for this. Enter the PIN and try again.',
        details,
      );
    case S.UV_BLOCKED:
    case S.UV_INVALID:
      return new PasskeyDeskError(
        'USER_VERIFICATION_FAILED',
        'The security key could not verify you (fingerprint not recognised or blocked). Use the PIN instead.',
        details,
      );
    case S.OPERATION_DENIED:
    case S.NOT_ALLOWED:
    case S.UNAUTHORIZED_PERMISSION:
      return new PasskeyDeskError(
        'OPERATION_DENIED',
        'The security key refused the operation. Nothing was changed on it.',
        details,
      );
    case S.KEY_STORE_FULL:
      return new PasskeyDeskError(
        'KEY_FULL',
        'The security key has no free slot for another passkey. Delete a passkey you no longer use from it first.',
        details,
      );
    case S.NO_CREDENTIALS:
      return new PasskeyDeskError(
        'NOT_FOUND',
        'That passkey is no longer on the security key (it may have been deleted elsewhere). Refresh the list.',
        details,
      );
    case S.KEEPALIVE_CANCEL:
      return new PasskeyDeskError(
        'USER_CANCELLED',
        'The operation on the security key was cancelled.',
        details,
      );
    case S.USER_ACTION_TIMEOUT:
    case S.ACTION_TIMEOUT:
      return new PasskeyDeskError(
        'DEVICE_TIMEOUT',
        'The security key waited too long for a touch. Try again and touch the key when it blinks.',
        details,
      );
    case S.INVALID_COMMAND:
    case S.UNSUPPORTED_OPTION:
      return new PasskeyDeskError(
        'UNSUPPORTED',
        'The security key does not support this operation (its firmware is older than CTAP 2.1).',
        details,
      );
    case S.PIN_AUTH_INVALID:
      return new PasskeyDeskError(
        'PIN_REQUIRED',
        'The security key no longer accepts the PIN session (it expired or the key was used elsewhere). Enter the PIN again.',
        details,
      );
    default:
      return new PasskeyDeskError(
        'INTERNAL',
        `The security key answered ${err.command} with ${statusName(err.status)}. Unplug it, plug it back in and try again.`,
        details,
      );
  }
}
