import type { SystemPreferences } from 'electron';
import { PasskeyDeskError } from '../../shared/errors';
import type { UserVerifier } from '../verify/user-verifier';

/**
 * macOS user verification: Touch ID through Electron's `systemPreferences` (LocalAuthentication underneath).
 * Takes the two methods it uses rather than importing electron's value, so tests pass a fake and this file
 * needs no Electron runtime (`import type` is erased).
 */
export function createTouchIdVerifier(
  prefs: Pick<SystemPreferences, 'canPromptTouchID' | 'promptTouchID'>,
): UserVerifier {
  const unavailable =
    'Touch ID is not available: this Mac has no Touch ID sensor, no enrolled finger, or it is closed in clamshell mode.';
  return {
    name: 'touch-id',
    available: async () =>
      prefs.canPromptTouchID() ? { ok: true, reason: null } : { ok: false, reason: unavailable },
    async verify(reason) {
      if (!prefs.canPromptTouchID()) throw new PasskeyDeskError('USER_VERIFICATION_UNAVAILABLE', unavailable);
      try {
        // macOS shows "Passkey Desk is trying to <reason>."; the reason comes from our own code, never the renderer.
        await prefs.promptTouchID(reason);
      } catch (e) {
        throw touchIdError(e);
      }
    },
  };
}

/**
 * `promptTouchID` rejects with LocalAuthentication's message. Cancel (user, app or system) and fallback are not
 * failures of the finger; anything else is.
 */
export function touchIdError(e: unknown): PasskeyDeskError {
  const message = e instanceof Error ? e.message : String(e);
  if (/cancel/i.test(message)) return new PasskeyDeskError('USER_CANCELLED', 'Touch ID was cancelled.');
  if (/fallback|password/i.test(message))
    return new PasskeyDeskError(
      'USER_CANCELLED',
      'Touch ID was dismissed for a password; Passkey Desk needs Touch ID here.',
    );
  if (/lockout|locked/i.test(message))
    return new PasskeyDeskError(
      'USER_VERIFICATION_UNAVAILABLE',
      'Touch ID is locked after too many tries: unlock the Mac with its password, then try again.',
    );
  return new PasskeyDeskError('USER_VERIFICATION_FAILED', `Touch ID did not verify you (${message}).`);
}
