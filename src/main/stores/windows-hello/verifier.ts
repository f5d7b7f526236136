import { createHash, randomBytes } from 'node:crypto';

import { bytesEqual, toBase64url, utf8 } from '../../../shared/base64url';
import { PasskeyDeskError, isPasskeyDeskError } from '../../../shared/errors';
import type { UserVerifier } from '../../verify/user-verifier';
import type { CeremonyContext } from './ceremony-common';
import { toHwnd } from './ceremony-common';
import {
  AUTHENTICATOR_ATTACHMENT_PLATFORM,
  COSE_ES256,
  COSE_RS256,
  MIN_API,
  USER_VERIFICATION_REQUIRED,
} from './constants';
import { getAssertion } from './get-assertion';
import { koffiMemory } from './koffi-memory';
import type { WebAuthnLibrary } from './library';
import { makeCredential } from './make-credential';
import type { WebAuthnLocation } from './open';
import { createOpener } from './open';
import { listPlatformCredentials } from './platform-credentials';
import { isUserVerifyingPlatformAuthenticatorAvailable } from './uvpa';

export interface WindowsHelloVerifierOptions extends WebAuthnLocation {
  /**
   * The window that owns the Windows Security dialog, read at each verify. In Electron pass
   * `() => win.getNativeWindowHandle()` (a Buffer holding the HWND). Null lets Windows use the foreground window.
   */
  windowHandle?: () => Buffer | bigint | null;
  /** RP ID of the app-owned platform credential used only for verification. */
  rpId?: string;
  timeoutMs?: number;
  /** Randomness seam for the challenge. */
  random?: (length: number) => Uint8Array;
}

/** The user handle of the app-owned credential: it marks "ours" in the platform list. */
const APP_USER_ID = utf8('passkey-desk/user-verification');
export const DEFAULT_VERIFIER_RP_ID = 'passkey-desk.local';
const FLAG_UP = 0x01;
const FLAG_UV = 0x04;

/**
 * UserVerifier backed by Windows Hello: an assertion, with userVerification required and the platform attachment,
 * over an app-owned platform passkey (created on first use, which itself verifies the user). Windows shows its own
 * dialog; `reason` is for the app's window and our error messages, since the classic API has no field for it.
 * Trust: the result comes from the local OS API; we check the credential, rpIdHash and the UV flag of the
 * authenticator data, as any native caller of webauthn.dll does.
 */
export function createWindowsHelloVerifier(options: WindowsHelloVerifierOptions = {}): UserVerifier {
  const open = createOpener(options);
  const rpId = options.rpId ?? DEFAULT_VERIFIER_RP_ID;
  const random = options.random ?? ((n: number) => new Uint8Array(randomBytes(n)));

  const ready = (): { lib: WebAuthnLibrary } | { reason: string } => {
    const opened = open();
    if (!opened.ok) return { reason: opened.reason };
    const lib = opened.lib;
    // The list call (API 4) finds our credential without showing any UI; below that we would create one per prompt.
    if (lib.apiVersion < MIN_API.platformCredentials) {
      return {
        reason: `Windows Hello verification needs webauthn.dll API version ${MIN_API.platformCredentials} or later (Windows 11 22H2 with KB5030310); this Windows reports ${lib.apiVersion}.`,
      };
    }
    if (isUserVerifyingPlatformAuthenticatorAvailable(lib) === false) {
      return {
        reason:
          'Windows Hello is not set up on this PC: add a PIN, face or fingerprint in Settings → Accounts → Sign-in options.',
      };
    }
    return { lib };
  };

  const clientDataJSON = (type: 'webauthn.create' | 'webauthn.get'): Uint8Array =>
    // WebAuthn §5.8.1.1 serialization order; nobody but us reads it, but Windows hashes exactly these bytes.
    utf8(
      `{"type":"${type}","challenge":"${toBase64url(random(32))}","origin":"https://${rpId}","crossOrigin":false}`,
    );

  const checkAuthData = (authData: Uint8Array, reason: string): void => {
    const rpIdHash = new Uint8Array(createHash('sha256').update(rpId).digest());
    if (authData.length < 37 || !bytesEqual(authData.subarray(0, 32), rpIdHash)) {
      throw new PasskeyDeskError(
        'USER_VERIFICATION_FAILED',
        `Windows Hello answered for another RP than ${rpId}; ${reason} was not verified.`,
      );
    }
    const flags = authData[32] ?? 0;
    if ((flags & FLAG_UP) === 0 || (flags & FLAG_UV) === 0) {
      throw new PasskeyDeskError(
        'USER_VERIFICATION_FAILED',
        `Windows Hello did not verify you (flags 0x${flags.toString(16)}; expected user present and verified), so ${reason} did not go ahead.`,
      );
    }
  };

  return {
    name: 'Windows Hello',

    async available() {
      const r = ready();
      return 'reason' in r ? { ok: false, reason: r.reason } : { ok: true, reason: null };
    },

    async verify(reason: string): Promise<void> {
      const r = ready();
      if ('reason' in r) throw new PasskeyDeskError('USER_VERIFICATION_UNAVAILABLE', r.reason);
      const lib = r.lib;
      const ctx: CeremonyContext = {
        hwnd: toHwnd(options.windowHandle?.() ?? null),
        timeoutMs: options.timeoutMs ?? 120_000,
      };
      try {
        const ours = listPlatformCredentials(lib, koffiMemory, rpId).filter(
          (c) => c.userId && bytesEqual(c.userId, APP_USER_ID),
        );
        if (ours.length === 0) {
          const created = await makeCredential(lib, koffiMemory, ctx, {
            rp: { id: rpId, name: 'Passkey Desk' },
            user: { id: APP_USER_ID, name: 'Passkey Desk', displayName: 'Passkey Desk (confirms it is you)' },
            algorithms: [COSE_ES256, COSE_RS256],
            clientDataJSON: clientDataJSON('webauthn.create'),
            attachment: AUTHENTICATOR_ATTACHMENT_PLATFORM,
            userVerification: USER_VERIFICATION_REQUIRED,
            residentKey: 'required', // discoverable, so the platform list finds it next time
          });
          checkAuthData(created.authenticatorData, reason);
          return;
        }
        const allow = ours.map((c) => ({ id: c.credentialId, transports: 0x10 /* internal */ }));
        const assertion = await getAssertion(lib, koffiMemory, ctx, {
          rpId,
          clientDataJSON: clientDataJSON('webauthn.get'),
          allowCredentials: allow,
          attachment: AUTHENTICATOR_ATTACHMENT_PLATFORM,
          userVerification: USER_VERIFICATION_REQUIRED,
        });
        if (!allow.some((c) => bytesEqual(c.id, assertion.credentialId))) {
          throw new PasskeyDeskError(
            'USER_VERIFICATION_FAILED',
            `Windows Hello answered with a passkey Passkey Desk did not ask for; ${reason} did not go ahead.`,
          );
        }
        checkAuthData(assertion.authenticatorData, reason);
      } catch (e) {
        if (isPasskeyDeskError(e) && (e.code === 'USER_CANCELLED' || e.code === 'USER_VERIFICATION_FAILED'))
          throw e;
        const why = e instanceof Error ? e.message : String(e);
        throw new PasskeyDeskError(
          'USER_VERIFICATION_FAILED',
          `Windows Hello could not verify you for ${reason}: ${why}`,
          isPasskeyDeskError(e) ? e.details : undefined,
        );
      }
    },
  };
}
