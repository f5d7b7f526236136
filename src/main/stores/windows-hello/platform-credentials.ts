import { HRESULT } from './constants';
import type { AuthenticatorDetails } from './decode-authenticators';
import { decodeAuthenticatorList } from './decode-authenticators';
import type { PlatformCredential } from './decode-credentials';
import { decodeCredentialDetailsList } from './decode-credentials';
import { InputArena, setPointer, setU32 } from './arena';
import { hresultError } from './hresult';
import { toAddress } from './koffi-memory';
import type { WebAuthnLibrary } from './library';
import type { NativeMemory } from './memory';

/**
 * WebAuthNGetPlatformCredentialList (API 4). `rpId` null lists every RP. The list the DLL allocates is freed with
 * WebAuthNFreePlatformCredentialList exactly once, also when decoding fails.
 */
export function listPlatformCredentials(
  lib: WebAuthnLibrary,
  memory: NativeMemory,
  rpId: string | null,
): PlatformCredential[] {
  const arena = new InputArena();
  // WEBAUTHN_GET_CREDENTIALS_OPTIONS (24 bytes): dwVersion 1 (the only one), pwszRpId @8, bBrowserInPrivateMode @16 = FALSE.
  const options = arena.struct(24);
  setU32(options, 0, 1);
  if (rpId !== null) setPointer(options, 8, arena.utf16(rpId));
  const out: unknown[] = [null];
  const hr = Number(lib.call('WebAuthNGetPlatformCredentialList', options, out));
  const list = toAddress(out[0]);
  if (hr !== 0) {
    // webauthn.h: "returns NTE_NOT_FOUND when credentials are not found", i.e. an empty list. On any failure the DLL
    // hands nothing over, so there is nothing to free (freeing a pointer it did not give us would be worse).
    if (hr >>> 0 === HRESULT.NTE_NOT_FOUND) return [];
    throw hresultError(
      'WebAuthNGetPlatformCredentialList',
      hr,
      'list the passkeys Windows holds',
      lib.errorName(hr),
    );
  }
  if (list === 0n) return [];
  try {
    return decodeCredentialDetailsList(memory, list);
  } finally {
    lib.call('WebAuthNFreePlatformCredentialList', list);
  }
}

/** WebAuthNDeletePlatformCredential (API 4). Windows cannot undo this. */
export function deletePlatformCredential(lib: WebAuthnLibrary, credentialId: Uint8Array): void {
  const arena = new InputArena();
  const id = arena.struct(Math.max(1, credentialId.length));
  id.set(credentialId);
  const hr = Number(lib.call('WebAuthNDeletePlatformCredential', credentialId.length, id));
  if (hr !== 0)
    throw hresultError(
      'WebAuthNDeletePlatformCredential',
      hr,
      'delete the passkey from Windows',
      lib.errorName(hr),
    );
}

/** WebAuthNGetAuthenticatorList (API 9); null when this Windows is older. Freed exactly once, as above. */
export function listAuthenticators(
  lib: WebAuthnLibrary,
  memory: NativeMemory,
): AuthenticatorDetails[] | null {
  if (!lib.supports('WebAuthNGetAuthenticatorList')) return null;
  const arena = new InputArena();
  const options = arena.struct(4); // WEBAUTHN_AUTHENTICATOR_DETAILS_OPTIONS { DWORD dwVersion = 1 }
  setU32(options, 0, 1);
  const out: unknown[] = [null];
  const hr = Number(lib.call('WebAuthNGetAuthenticatorList', options, out));
  const list = toAddress(out[0]);
  if (hr !== 0) {
    if (hr >>> 0 === HRESULT.NTE_NOT_FOUND) return [];
    throw hresultError(
      'WebAuthNGetAuthenticatorList',
      hr,
      'list the passkey providers Windows knows',
      lib.errorName(hr),
    );
  }
  if (list === 0n) return [];
  try {
    return decodeAuthenticatorList(memory, list);
  } finally {
    lib.call('WebAuthNFreeAuthenticatorList', list);
  }
}
