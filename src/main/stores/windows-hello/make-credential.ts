import { PasskeyDeskError } from '../../../shared/errors';
import { setI32, setPointer, setU32 } from './arena';
import type { CeremonyContext } from './ceremony-common';
import { InputArena, cancellation, runCeremony } from './ceremony-common';
import {
  ATTESTATION_CONVEYANCE_NONE,
  ATTESTATION_SIZE,
  LIMITS,
  makeCredentialOptionsVersion,
  transportsFromFlags,
} from './constants';
import type { WebAuthnLibrary } from './library';
import type { NativeMemory } from './memory';
import { StructView, corrupt } from './memory';
import { clientData, coseParameters, credentialList, rpEntity, userEntity } from './structs';

export interface MakeCredentialRequest {
  rp: { id: string; name: string };
  user: { id: Uint8Array; name: string; displayName: string };
  /** COSE algorithm identifiers in order of preference, e.g. [-7, -257]. */
  algorithms: readonly number[];
  /** The exact clientDataJSON bytes (type "webauthn.create"); the RP receives these same bytes. */
  clientDataJSON: Uint8Array;
  /** WEBAUTHN_AUTHENTICATOR_ATTACHMENT_*: 0 any, 1 platform (Windows Hello), 2 cross-platform. */
  attachment: number;
  /** WEBAUTHN_USER_VERIFICATION_REQUIREMENT_*: 1 required, 2 preferred, 3 discouraged. */
  userVerification: number;
  residentKey: 'required' | 'preferred' | 'discouraged';
  excludeCredentials?: readonly { id: Uint8Array; transports: number }[];
}

export interface MakeCredentialResult {
  attestationVersion: number;
  credentialId: Uint8Array;
  authenticatorData: Uint8Array;
  attestationObject: Uint8Array | null;
  formatType: string | null;
  /** ATTESTATION v3+. */
  usedTransport: string[] | null;
  /** ATTESTATION v4+. */
  residentKey: boolean | null;
}

// WEBAUTHN_AUTHENTICATOR_MAKE_CREDENTIAL_OPTIONS, 200 bytes at v9 (os-apis.md §1.7).
const O = {
  size: 200,
  dwVersion: 0,
  dwTimeoutMilliseconds: 4,
  dwAuthenticatorAttachment: 40,
  bRequireResidentKey: 44,
  dwUserVerificationRequirement: 48,
  dwAttestationConveyancePreference: 52,
  pCancellationId: 64 /* v2 */,
  pExcludeCredentialList: 72 /* v3 */,
  bPreferResidentKey: 88 /* v4 */,
} as const;

/**
 * WebAuthNAuthenticatorMakeCredential with the options version this DLL understands (API 1–2 → 3, 3 → 4, 4–5 → 5,
 * 6 → 6, then equal to the API version): fields newer than that version stay zero and are not relied upon.
 */
export function makeCredential(
  lib: WebAuthnLibrary,
  memory: NativeMemory,
  ctx: CeremonyContext,
  req: MakeCredentialRequest,
): Promise<MakeCredentialResult> {
  if (req.user.id.length === 0 || req.user.id.length > LIMITS.maxUserIdBytes) {
    throw new PasskeyDeskError('INVALID_INPUT', `A user ID has 1 to 64 bytes; got ${req.user.id.length}.`);
  }
  const arena = new InputArena();
  const version = makeCredentialOptionsVersion(lib.apiVersion);
  const options = arena.struct(O.size);
  setU32(options, O.dwVersion, version);
  setU32(options, O.dwTimeoutMilliseconds, ctx.timeoutMs);
  setU32(options, O.dwAuthenticatorAttachment, req.attachment);
  setI32(options, O.bRequireResidentKey, req.residentKey === 'required' ? 1 : 0);
  setU32(options, O.dwUserVerificationRequirement, req.userVerification);
  setU32(options, O.dwAttestationConveyancePreference, ATTESTATION_CONVEYANCE_NONE);
  const cancel = cancellation(lib, arena, ctx.signal);
  if (cancel && version >= 2) setPointer(options, O.pCancellationId, arena.address(cancel.guid));
  const exclude = req.excludeCredentials ?? [];
  if (exclude.length > 0)
    setPointer(options, O.pExcludeCredentialList, arena.address(credentialList(arena, exclude)));
  if (version >= 4) setI32(options, O.bPreferResidentKey, req.residentKey === 'preferred' ? 1 : 0);

  const args = [
    ctx.hwnd,
    rpEntity(arena, req.rp),
    userEntity(arena, req.user),
    coseParameters(arena, req.algorithms),
    clientData(arena, req.clientDataJSON),
    options,
  ];
  return runCeremony(
    lib,
    {
      name: 'WebAuthNAuthenticatorMakeCredential',
      free: 'WebAuthNFreeCredentialAttestation',
      action: `create a passkey for ${req.rp.id}`,
      args,
    },
    ctx.signal,
    (ptr) => decodeAttestation(memory, ptr),
  ).finally(() => {
    cancel?.detach();
    void arena; // the arena must outlive the async call
  });
}

// WEBAUTHN_CREDENTIAL_ATTESTATION offsets.
const A = {
  pwszFormatType: 8,
  cbAuthenticatorData: 16,
  pbAuthenticatorData: 24,
  cbAttestationObject: 64,
  pbAttestationObject: 72,
  cbCredentialId: 80,
  pbCredentialId: 88,
  dwUsedTransport: 112 /* v3 */,
  bResidentKey: 124 /* v4 */,
} as const;

export function decodeAttestation(memory: NativeMemory, address: bigint): MakeCredentialResult {
  const version = new StructView(memory, address, 4, 'WEBAUTHN_CREDENTIAL_ATTESTATION').u32(0);
  if (version < 1) throw corrupt(`WEBAUTHN_CREDENTIAL_ATTESTATION.dwVersion is ${version}`);
  const known = Math.min(version, 8) as keyof typeof ATTESTATION_SIZE;
  const a = new StructView(
    memory,
    address,
    ATTESTATION_SIZE[known],
    `WEBAUTHN_CREDENTIAL_ATTESTATION v${version}`,
  );
  const credentialId = a.byteField(
    A.cbCredentialId,
    A.pbCredentialId,
    LIMITS.maxCredentialIdBytes,
    'pbCredentialId',
  );
  const authenticatorData = a.byteField(
    A.cbAuthenticatorData,
    A.pbAuthenticatorData,
    LIMITS.maxAuthDataBytes,
    'pbAuthenticatorData',
  );
  if (!credentialId || credentialId.length === 0 || !authenticatorData)
    throw corrupt('the attestation has no credential ID or authenticator data');
  return {
    attestationVersion: version,
    credentialId,
    authenticatorData,
    attestationObject: a.byteField(
      A.cbAttestationObject,
      A.pbAttestationObject,
      LIMITS.maxAuthDataBytes,
      'pbAttestationObject',
    ),
    formatType: a.string(A.pwszFormatType),
    usedTransport: known >= 3 ? transportsFromFlags(a.u32(A.dwUsedTransport)) : null,
    residentKey: known >= 4 ? a.bool(A.bResidentKey) : null,
  };
}
