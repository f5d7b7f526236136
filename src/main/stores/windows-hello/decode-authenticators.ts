import { bytesToUuid } from '../../../shared/base64url';
import { LIMITS } from './constants';
import type { NativeMemory } from './memory';
import { StructView, corrupt } from './memory';

/** One entry of WebAuthNGetAuthenticatorList (API 9): Windows Hello itself or a plugin passkey provider. */
export interface AuthenticatorDetails {
  /** pbAuthenticatorId as lowercase hex. */
  id: string;
  /** The id as an AAGUID when it is 16 bytes long, else null. */
  aaguid: string | null;
  name: string | null;
  logo: Uint8Array | null;
  /** webauthn.h: "When locked, this authenticator's credentials might not be present or updated in WebAuthNGetPlatformCredentialList". */
  locked: boolean;
}

// WEBAUTHN_AUTHENTICATOR_DETAILS v1, 48 bytes (os-apis.md §1.6).
const A = {
  size: 48,
  dwVersion: 0,
  cbId: 4,
  pbId: 8,
  pwszName: 16,
  cbLogo: 24,
  pbLogo: 32,
  bLocked: 40,
} as const;
const LIST = { size: 16, count: 0, items: 8 } as const;

export function decodeAuthenticatorDetails(memory: NativeMemory, address: bigint): AuthenticatorDetails {
  const version = new StructView(memory, address, 4, 'WEBAUTHN_AUTHENTICATOR_DETAILS').u32(A.dwVersion);
  if (version < 1) throw corrupt(`WEBAUTHN_AUTHENTICATOR_DETAILS.dwVersion is ${version}; expected 1`);
  const a = new StructView(memory, address, A.size, `WEBAUTHN_AUTHENTICATOR_DETAILS v${version}`);
  const id =
    a.byteField(A.cbId, A.pbId, LIMITS.maxAuthenticatorIdBytes, 'pbAuthenticatorId') ?? new Uint8Array(0);
  return {
    id: Array.from(id, (b) => b.toString(16).padStart(2, '0')).join(''),
    aaguid: id.length === 16 ? bytesToUuid(id) : null,
    name: a.string(A.pwszName),
    logo: a.byteField(A.cbLogo, A.pbLogo, LIMITS.maxLogoBytes, 'pbAuthenticatorLogo'),
    locked: a.bool(A.bLocked),
  };
}

export function decodeAuthenticatorList(memory: NativeMemory, address: bigint): AuthenticatorDetails[] {
  const list = new StructView(memory, address, LIST.size, 'WEBAUTHN_AUTHENTICATOR_DETAILS_LIST');
  const count = list.u32(LIST.count);
  if (count > 1000) throw corrupt(`the authenticator list claims ${count} entries`);
  if (count === 0) return [];
  const items = new StructView(memory, list.pointer(LIST.items), count * 8, 'ppAuthenticatorDetails');
  const out: AuthenticatorDetails[] = [];
  for (let i = 0; i < count; i++) out.push(decodeAuthenticatorDetails(memory, items.pointer(i * 8)));
  return out;
}
