import type { ErrorCode } from '../../../shared/errors';
import { PasskeyDeskError } from '../../../shared/errors';
import { HRESULT } from './constants';

export function hresultHex(hr: number): string {
  return `0x${(hr >>> 0).toString(16).padStart(8, '0').toUpperCase()}`;
}

/** HRESULT → the shared error code and a plain-words cause (values from winerror.h; DOM names per webauthn.h). */
function classify(hr: number): { code: ErrorCode; cause: string } {
  switch (hr >>> 0) {
    case HRESULT.NTE_USER_CANCELLED:
    case HRESULT.ERROR_CANCELLED:
      return { code: 'USER_CANCELLED', cause: 'the Windows Security dialog was cancelled' };
    case HRESULT.ERROR_TIMEOUT:
      return { code: 'USER_CANCELLED', cause: 'the Windows Security dialog timed out' };
    case HRESULT.NTE_NOT_FOUND:
      return { code: 'NOT_FOUND', cause: 'Windows found no matching passkey' };
    case HRESULT.NTE_EXISTS:
      return { code: 'CONFLICT', cause: 'a passkey for this account already exists on this device' };
    case HRESULT.NTE_TOKEN_KEYSET_STORAGE_FULL:
      return { code: 'KEY_FULL', cause: 'the authenticator has no room for another passkey' };
    case HRESULT.NTE_DEVICE_NOT_FOUND:
      return { code: 'STORE_UNAVAILABLE', cause: 'no authenticator answered (is Windows Hello set up?)' };
    case HRESULT.E_ACCESSDENIED:
      return { code: 'OPERATION_DENIED', cause: 'Windows denied access' };
    case HRESULT.NTE_NOT_SUPPORTED:
    case HRESULT.ERROR_NOT_SUPPORTED:
    case HRESULT.E_NOTIMPL:
      return { code: 'UNSUPPORTED', cause: 'this Windows does not support the request' };
    case HRESULT.NTE_INVALID_PARAMETER:
      return {
        code: 'INTERNAL',
        cause: 'Windows rejected a parameter Passkey Desk sent (a bug: please report it)',
      };
    default:
      return { code: 'INTERNAL', cause: 'Windows reported an unexpected error' };
  }
}

/**
 * The error for a failed webauthn.dll call: what we did, what Windows said (HRESULT and its name), and the shared
 * code the UI and CLI switch on.
 */
export function hresultError(
  fn: string,
  hr: number,
  action: string,
  errorName: string | null = null,
): PasskeyDeskError {
  const { code, cause } = classify(hr);
  const named = errorName ? ` (${errorName})` : '';
  return new PasskeyDeskError(
    code,
    `Could not ${action}: ${cause}. ${fn} returned ${hresultHex(hr)}${named}; expected S_OK.`,
    {
      function: fn,
      hresult: hresultHex(hr),
      ...(errorName ? { errorName } : {}),
    },
  );
}
