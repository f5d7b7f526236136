import { fromBase64url, toBase64url, bytesEqual } from '../../../shared/base64url';
import { PasskeyDeskError, isPasskeyDeskError } from '../../../shared/errors';
import type { Passkey, StoreInfo } from '../../../shared/model';
import type { PasskeyStore } from '../store';
import { unavailableInfo } from '../store';
import { HRESULT, MIN_API } from './constants';
import type { AuthenticatorDetails } from './decode-authenticators';
import type { PlatformCredential } from './decode-credentials';
import { hresultHex } from './hresult';
import { koffiMemory } from './koffi-memory';
import type { WebAuthnLibrary } from './library';
import { MANAGE_IN_SETTINGS, WINDOWS_HELLO_LABEL, manageStepsFor } from './manage';
import type { WebAuthnLocation } from './open';
import { createOpener } from './open';
import {
  deletePlatformCredential,
  listAuthenticators,
  listPlatformCredentials,
} from './platform-credentials';
import { isUserVerifyingPlatformAuthenticatorAvailable } from './uvpa';

export type WindowsHelloStoreOptions = WebAuthnLocation;

export interface WindowsHelloStore extends PasskeyStore {
  delete(credentialId: string): Promise<void>;
  /** The passkeys of one RP only (WebAuthNGetPlatformCredentialList's pwszRpId filter). */
  listForRp(rpId: string): Promise<Passkey[]>;
  /** Passkey providers Windows knows (API 9); null on older Windows. */
  authenticators(): Promise<AuthenticatorDetails[] | null>;
}

const BASE = { id: 'windows-hello', kind: 'windows-hello', label: WINDOWS_HELLO_LABEL } as const;

export function createWindowsHelloStore(options: WindowsHelloStoreOptions = {}): WindowsHelloStore {
  const open = createOpener(options);

  /** The library when list/delete can work, or the plain-words reason they cannot. */
  const usable = (): { lib: WebAuthnLibrary } | { reason: string; apiVersion: number | null } => {
    const opened = open();
    if (!opened.ok) return { reason: opened.reason, apiVersion: null };
    const api = opened.lib.apiVersion;
    if (api < MIN_API.platformCredentials) {
      return {
        apiVersion: api,
        reason:
          `This Windows reports webauthn.dll API version ${api}; reading and deleting Windows Hello passkeys needs version ` +
          `${MIN_API.platformCredentials} or later (Windows 11 22H2 with the September 2023 update, KB5030310, or newer). ` +
          'Update Windows, or manage passkeys in Windows Settings.',
      };
    }
    return { lib: opened.lib };
  };

  const requireLib = (): WebAuthnLibrary => {
    const u = usable();
    if ('reason' in u)
      throw new PasskeyDeskError('STORE_UNAVAILABLE', u.reason, {
        store: BASE.id,
        manage: MANAGE_IN_SETTINGS,
      });
    return u.lib;
  };

  const toPasskey = (c: PlatformCredential, providers: AuthenticatorDetails[] | null): Passkey => {
    // Before CREDENTIAL_DETAILS v3 there is no provider name, and before API 9 only Windows Hello's own passkeys are listed.
    const providerName = c.authenticatorName ?? WINDOWS_HELLO_LABEL;
    const provider = providers?.find((p) => p.name === providerName) ?? null;
    return {
      store: BASE.id,
      storeKind: BASE.kind,
      credentialId: toBase64url(c.credentialId),
      rpId: c.rpId,
      userHandle: c.userId ? toBase64url(c.userId) : null,
      userName: c.userName,
      userDisplayName: c.userDisplayName,
      nickname: null,
      createdAt: null,
      lastUsedAt: null,
      algorithm: null,
      aaguid: provider?.aaguid ?? null,
      providerName,
      backupEligible: null,
      backedUp: c.backedUp,
      discoverable: null,
      removable: c.removable,
    };
  };

  const read = (rpId: string | null): Passkey[] => {
    const lib = requireLib();
    const providers = safeProviders(lib);
    return listPlatformCredentials(lib, koffiMemory, rpId).map((c) => toPasskey(c, providers));
  };

  return {
    ...BASE,

    manageFor: (passkey: Passkey) => manageStepsFor(passkey.providerName),

    async info(): Promise<StoreInfo> {
      const u = usable();
      if ('reason' in u) {
        const facts: StoreInfo['facts'] = u.apiVersion === null ? {} : { apiVersion: u.apiVersion };
        return unavailableInfo(BASE, u.reason, MANAGE_IN_SETTINGS, facts);
      }
      const lib = u.lib;
      const facts: StoreInfo['facts'] = { apiVersion: lib.apiVersion };
      const uvpa = isUserVerifyingPlatformAuthenticatorAvailable(lib);
      if (uvpa !== null) facts.userVerifyingPlatformAuthenticator = uvpa;
      const providers = safeProviders(lib);
      const locked = (providers ?? []).filter((p) => p.locked).map((p) => p.name ?? p.id);
      if (providers)
        facts.providers = providers.map((p) => `${p.name ?? p.id}${p.locked ? ' (locked)' : ''}`).join(', ');
      if (locked.length > 0) {
        facts.incomplete = `${locked.join(', ')} ${locked.length === 1 ? 'is' : 'are'} locked: its passkeys may be missing from this list until you unlock ${locked.length === 1 ? 'it' : 'them'}.`;
      }
      const base = {
        ...BASE,
        capabilities: { list: true, delete: true, rename: false, create: false, sign: false, restore: false },
        manage: MANAGE_IN_SETTINGS,
        facts,
      };
      try {
        const count = listPlatformCredentials(lib, koffiMemory, null).length;
        return { ...base, status: 'available', reason: null, complete: locked.length === 0, count };
      } catch (e) {
        const message = isPasskeyDeskError(e) ? e.message : String(e);
        return { ...base, status: 'error', reason: message, complete: false, count: null };
      }
    },

    async list(): Promise<Passkey[]> {
      return read(null);
    },

    async listForRp(rpId: string): Promise<Passkey[]> {
      if (rpId.length === 0)
        throw new PasskeyDeskError(
          'INVALID_INPUT',
          'The RP ID is empty; expected a domain such as example.com.',
        );
      return read(rpId);
    },

    async authenticators(): Promise<AuthenticatorDetails[] | null> {
      return listAuthenticators(requireLib(), koffiMemory);
    },

    async delete(credentialId: string): Promise<void> {
      let id: Uint8Array;
      try {
        id = fromBase64url(credentialId);
      } catch {
        throw new PasskeyDeskError('INVALID_INPUT', `"${credentialId}" is not a base64url credential ID.`);
      }
      const lib = requireLib();
      // Look it up first: Windows says per passkey whether it may be removed (bRemovable), and a clear NOT_REMOVABLE
      // with the place to manage it beats whatever HRESULT a refused delete would return.
      const found = listPlatformCredentials(lib, koffiMemory, null).find((c) =>
        bytesEqual(c.credentialId, id),
      );
      if (!found) {
        throw new PasskeyDeskError(
          'NOT_FOUND',
          `Windows holds no passkey with credential ID ${credentialId}; it may already be deleted. Refresh the list.`,
        );
      }
      const provider = found.authenticatorName ?? WINDOWS_HELLO_LABEL;
      if (!found.removable) {
        throw new PasskeyDeskError(
          'NOT_REMOVABLE',
          `Windows says the passkey for ${found.rpId} cannot be removed from here (it is held by ${provider}). Remove it where it is managed: ${provider === WINDOWS_HELLO_LABEL ? 'Settings → Accounts → Passkeys' : provider}.`,
          { manage: manageStepsFor(provider), rpId: found.rpId, provider },
        );
      }
      try {
        deletePlatformCredential(lib, id);
      } catch (e) {
        if (isPasskeyDeskError(e) && e.details?.hresult === hresultHex(HRESULT.NTE_NOT_FOUND)) {
          throw new PasskeyDeskError(
            'NOT_FOUND',
            `Windows no longer holds the passkey for ${found.rpId}; it was deleted elsewhere. Refresh the list.`,
            e.details,
          );
        }
        throw e;
      }
    },
  };
}

/** The provider list is extra information: if reading it fails, the passkeys are still worth showing. */
function safeProviders(lib: WebAuthnLibrary): AuthenticatorDetails[] | null {
  try {
    return listAuthenticators(lib, koffiMemory);
  } catch {
    return null;
  }
}
