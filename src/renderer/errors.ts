import type { ErrorCode, ErrorInfo } from '../shared/errors';
import { missingCase } from '../shared/errors';

export interface ErrorView {
  title: string;
  /** What the person can do next; null when the message already says it. */
  advice: string | null;
}

/** A heading and next step for every error code. The message from main is always shown under it. */
export function describeError(error: ErrorInfo): ErrorView {
  return { title: titleFor(error.code), advice: adviceFor(error.code) };
}

function titleFor(code: ErrorCode): string {
  switch (code) {
    case 'INVALID_INPUT':
      return 'That input was not accepted';
    case 'NOT_FOUND':
      return 'Not found';
    case 'CONFLICT':
      return 'That conflicts with what is already there';
    case 'FORBIDDEN_SENDER':
      return 'Request refused';
    case 'UNSUPPORTED':
      return 'Not supported here';
    case 'INTERNAL':
      return 'Something went wrong inside Passkey Desk';
    case 'USER_CANCELLED':
      return 'Cancelled';
    case 'CONFIRMATION_REQUIRED':
      return 'Confirmation needed';
    case 'USER_VERIFICATION_FAILED':
      return 'Your identity could not be verified';
    case 'USER_VERIFICATION_UNAVAILABLE':
      return 'No way to verify your identity on this computer';
    case 'KEYRING_UNAVAILABLE':
      return 'The system keyring is not available';
    case 'KEYRING_LOCKED':
      return 'The system keyring is locked';
    case 'KEY_MISSING':
      return 'The vault key is missing';
    case 'DATA_CORRUPT':
      return 'A data file is damaged';
    case 'DATA_TOO_NEW':
      return 'Written by a newer Passkey Desk';
    case 'LOCKED_BY_OTHER_PROCESS':
      return 'Busy in another Passkey Desk process';
    case 'DATA_UNAVAILABLE':
      return 'Passkey Desk cannot use its data folder';
    case 'STORE_UNAVAILABLE':
      return 'This store is not available';
    case 'STORE_LOCKED':
      return 'This store is locked';
    case 'STORE_READ_ONLY':
      return 'This store is read-only here';
    case 'NOT_REMOVABLE':
      return 'This passkey cannot be removed from here';
    case 'NEEDS_ADMIN':
      return 'Administrator rights needed';
    case 'DEVICE_REMOVED':
      return 'The security key was removed';
    case 'DEVICE_TIMEOUT':
      return 'The security key did not answer in time';
    case 'PIN_REQUIRED':
      return 'PIN required';
    case 'PIN_INVALID':
      return 'Wrong PIN';
    case 'PIN_BLOCKED':
      return 'PIN blocked';
    case 'PIN_NOT_SET':
      return 'No PIN set on this key';
    case 'KEY_FULL':
      return 'The security key is full';
    case 'OPERATION_DENIED':
      return 'The device refused';
    case 'UNSUPPORTED_ALGORITHM':
      return 'Unsupported algorithm';
    case 'IMPORT_ENCRYPTED':
      return 'This export is encrypted';
    case 'IMPORT_INVALID':
      return 'This file is not an export Passkey Desk can read';
    case 'IMPORT_TOO_LARGE':
      return 'This file is too large';
    case 'SERVER_UNREACHABLE':
      return 'The server cannot be reached';
    case 'SERVER_ERROR':
      return 'The server reported an error';
    case 'NOT_SIGNED_IN':
      return 'Not signed in';
    case 'SESSION_EXPIRED':
      return 'Session expired';
    case 'LAST_PASSKEY':
      return 'This is the last passkey for the account';
    case 'STILL_ACCEPTED':
      return 'The server still accepts this passkey';
    case 'RECENT_SIGN_IN_REQUIRED':
      return 'Sign in again first';
    case 'RATE_LIMITED':
      return 'Too many attempts';
    case 'ALREADY_REGISTERED':
      return 'Already registered';
    case 'JOURNAL_PENDING':
      return 'An earlier operation did not finish';
    default:
      return missingCase(code);
  }
}

function adviceFor(code: ErrorCode): string | null {
  switch (code) {
    case 'KEYRING_LOCKED':
      return 'Unlock your login keyring, then try again.';
    case 'LOCKED_BY_OTHER_PROCESS':
      return 'Wait for the other operation (for example the passkey-desk command line) to finish, then try again.';
    case 'DEVICE_REMOVED':
    case 'DEVICE_TIMEOUT':
      return 'Insert the key, touch it when it blinks, and try again.';
    case 'SERVER_UNREACHABLE':
      return 'Check the network connection, then try again.';
    case 'SESSION_EXPIRED':
    case 'NOT_SIGNED_IN':
    case 'RECENT_SIGN_IN_REQUIRED':
      return 'Sign in to the account again.';
    case 'RATE_LIMITED':
      return 'Wait a minute before trying again.';
    case 'INTERNAL':
      return 'Try again; if it happens again, the journal (passkey-desk journal) shows what ran.';
    case 'INVALID_INPUT':
    case 'NOT_FOUND':
    case 'CONFLICT':
    case 'FORBIDDEN_SENDER':
    case 'UNSUPPORTED':
    case 'USER_CANCELLED':
    case 'CONFIRMATION_REQUIRED':
    case 'USER_VERIFICATION_FAILED':
    case 'USER_VERIFICATION_UNAVAILABLE':
    case 'KEYRING_UNAVAILABLE':
    case 'KEY_MISSING':
    case 'DATA_CORRUPT':
    case 'DATA_TOO_NEW':
    case 'DATA_UNAVAILABLE':
    case 'STORE_UNAVAILABLE':
    case 'STORE_LOCKED':
    case 'STORE_READ_ONLY':
    case 'NOT_REMOVABLE':
    case 'NEEDS_ADMIN':
    case 'PIN_REQUIRED':
    case 'PIN_INVALID':
    case 'PIN_BLOCKED':
    case 'PIN_NOT_SET':
    case 'KEY_FULL':
    case 'OPERATION_DENIED':
    case 'UNSUPPORTED_ALGORITHM':
    case 'IMPORT_ENCRYPTED':
    case 'IMPORT_INVALID':
    case 'IMPORT_TOO_LARGE':
    case 'SERVER_ERROR':
    case 'LAST_PASSKEY':
    case 'STILL_ACCEPTED':
    case 'ALREADY_REGISTERED':
    case 'JOURNAL_PENDING':
      // The message from main already says what to do for these.
      return null;
    default:
      return missingCase(code);
  }
}
