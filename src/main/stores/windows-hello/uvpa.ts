import type { WebAuthnLibrary } from './library';

/**
 * WebAuthNIsUserVerifyingPlatformAuthenticatorAvailable (API 1): whether Windows Hello can verify the user here
 * (face, fingerprint or PIN set up). Null when the call fails: "unknown" is not "no".
 */
export function isUserVerifyingPlatformAuthenticatorAvailable(lib: WebAuthnLibrary): boolean | null {
  if (!lib.supports('WebAuthNIsUserVerifyingPlatformAuthenticatorAvailable')) return null;
  const out = [0];
  const hr = Number(lib.call('WebAuthNIsUserVerifyingPlatformAuthenticatorAvailable', out));
  return hr === 0 ? out[0] !== 0 : null;
}
