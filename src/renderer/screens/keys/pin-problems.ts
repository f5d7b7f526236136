import type { ErrorInfo } from '../../../shared/errors';

/**
 * What a security-key error means for the person holding the key, beyond main's message: how many PIN tries are
 * left, what a blocked or missing PIN means, and why USB access may need an administrator. Null: the message says it.
 */
export function keyProblemAdvice(error: ErrorInfo): string | null {
  switch (error.code) {
    case 'PIN_INVALID': {
      const left = error.details?.retriesLeft;
      if (error.details?.powerCycleRequired === true)
        return 'The key stopped taking PINs until it is unplugged. Unplug it, plug it back in, then try again.';
      const hint = 'The PIN is the one chosen for this key, not a computer or account password.';
      if (typeof left !== 'number') return `Check the PIN and try again. ${hint}`;
      if (left === 1)
        return `Tries left: 1. One more wrong PIN blocks the key, and unblocking it erases every passkey on it. ${hint}`;
      return `Tries left: ${left}. ${hint}`;
    }
    case 'PIN_BLOCKED':
      return 'After too many wrong PINs the key blocked its PIN. Only a reset unblocks it, and a reset erases every passkey on the key: sign in to your accounts another way first, and register the key again afterwards.';
    case 'PIN_NOT_SET':
      return 'Reading the passkeys on a key needs a PIN, and this key has none. Set one with the key maker’s tool (for example Yubico Authenticator) or in Chrome: Settings → Privacy and security → Security → Manage security keys.';
    case 'PIN_REQUIRED':
      return 'Enter the key’s PIN (the one you chose for the key, not a Windows or computer password).';
    case 'NEEDS_ADMIN':
      return 'On Windows, programs may talk to a security key over USB only when they run as administrator. Close Passkey Desk, right-click it and choose “Run as administrator”, or manage the key in Settings → Accounts → Sign-in options → Security key.';
    case 'STORE_UNAVAILABLE':
    case 'DEVICE_REMOVED':
    case 'DEVICE_TIMEOUT':
      return 'Check that the key is plugged in (a USB hub or a loose port can drop it), touch it if it blinks, then try again. On Linux, USB access for FIDO keys needs the udev rules that come with libfido2 (package libfido2-1 or fido2-tools).';
    default:
      return null;
  }
}
