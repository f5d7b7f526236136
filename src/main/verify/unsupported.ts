import { PasskeyDeskError } from '../../shared/errors';
import type { UserVerifier } from './user-verifier';

/** Where no verifier exists for this shell and OS, signing is refused — never silently allowed. */
export function unsupportedVerifier(platform: NodeJS.Platform): UserVerifier {
  const reason =
    platform === 'darwin'
      ? 'Touch ID is available in the Passkey Desk app, not in the command-line tool.'
      : platform === 'win32'
        ? 'Windows Hello could not be reached for user verification.'
        : `No user verification method is known on ${platform}.`;
  return {
    name: 'unsupported',
    available: async () => ({ ok: false, reason }),
    verify: async () => {
      throw new PasskeyDeskError('USER_VERIFICATION_UNAVAILABLE', reason);
    },
  };
}
