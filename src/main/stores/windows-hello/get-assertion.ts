import { setPointer, setU32 } from './arena';
import type { CeremonyContext } from './ceremony-common';
import { InputArena, cancellation, runCeremony } from './ceremony-common';
import { ASSERTION_SIZE, LIMITS, getAssertionOptionsVersion, transportsFromFlags } from './constants';
import type { WebAuthnLibrary } from './library';
import type { NativeMemory } from './memory';
import { StructView, corrupt } from './memory';
import { clientData, credentialList, writeCredentials } from './structs';

export interface GetAssertionRequest {
  rpId: string;
  /** The exact clientDataJSON bytes (type "webauthn.get"). */
  clientDataJSON: Uint8Array;
  /** Empty: any discoverable credential of the RP. */
  allowCredentials: readonly { id: Uint8Array; transports: number }[];
  attachment: number;
  userVerification: number;
}

export interface GetAssertionResult {
  assertionVersion: number;
  credentialId: Uint8Array;
  authenticatorData: Uint8Array;
  signature: Uint8Array;
  userHandle: Uint8Array | null;
  /** ASSERTION v4+. */
  usedTransport: string[] | null;
  /** ASSERTION v6: the clientDataJSON Windows used. */
  clientDataJSON: Uint8Array | null;
}

// WEBAUTHN_AUTHENTICATOR_GET_ASSERTION_OPTIONS, 200 bytes at v9 (os-apis.md §1.7).
const O = {
  size: 200,
  dwVersion: 0,
  dwTimeoutMilliseconds: 4,
  CredentialList: 8,
  dwAuthenticatorAttachment: 40,
  dwUserVerificationRequirement: 44,
  pCancellationId: 72 /* v3 */,
  pAllowCredentialList: 80 /* v4 */,
} as const;

/**
 * WebAuthNAuthenticatorGetAssertion with the options version this DLL understands (API 1–2 → 4, 3 → 5, 4–6 → 6,
 * then equal to the API version). From options v4 the allow list goes in pAllowCredentialList (with transports),
 * which webauthn.h says wins over CredentialList; older DLLs get CredentialList.
 */
export function getAssertion(
  lib: WebAuthnLibrary,
  memory: NativeMemory,
  ctx: CeremonyContext,
  req: GetAssertionRequest,
): Promise<GetAssertionResult> {
  const arena = new InputArena();
  const version = getAssertionOptionsVersion(lib.apiVersion);
  const options = arena.struct(O.size);
  setU32(options, O.dwVersion, version);
  setU32(options, O.dwTimeoutMilliseconds, ctx.timeoutMs);
  setU32(options, O.dwAuthenticatorAttachment, req.attachment);
  setU32(options, O.dwUserVerificationRequirement, req.userVerification);
  const cancel = cancellation(lib, arena, ctx.signal);
  if (cancel && version >= 3) setPointer(options, O.pCancellationId, arena.address(cancel.guid));
  if (req.allowCredentials.length > 0) {
    if (version >= 4)
      setPointer(options, O.pAllowCredentialList, arena.address(credentialList(arena, req.allowCredentials)));
    else
      writeCredentials(
        arena,
        options,
        O.CredentialList,
        req.allowCredentials.map((c) => c.id),
      );
  }
  const args = [ctx.hwnd, req.rpId, clientData(arena, req.clientDataJSON), options];
  return runCeremony(
    lib,
    {
      name: 'WebAuthNAuthenticatorGetAssertion',
      free: 'WebAuthNFreeAssertion',
      action: `sign in to ${req.rpId} with a passkey`,
      args,
    },
    ctx.signal,
    (ptr) => decodeAssertion(memory, ptr),
  ).finally(() => {
    cancel?.detach();
    void arena; // the arena must outlive the async call
  });
}

// WEBAUTHN_ASSERTION offsets; Credential is an inline 24-byte WEBAUTHN_CREDENTIAL at 32.
const A = {
  cbAuthenticatorData: 4,
  pbAuthenticatorData: 8,
  cbSignature: 16,
  pbSignature: 24,
  credentialCbId: 36,
  credentialPbId: 40,
  cbUserId: 56,
  pbUserId: 64,
  dwUsedTransport: 120 /* v4 */,
  cbClientDataJSON: 136 /* v6 */,
  pbClientDataJSON: 144,
} as const;

export function decodeAssertion(memory: NativeMemory, address: bigint): GetAssertionResult {
  const version = new StructView(memory, address, 4, 'WEBAUTHN_ASSERTION').u32(0);
  if (version < 1) throw corrupt(`WEBAUTHN_ASSERTION.dwVersion is ${version}`);
  const known = Math.min(version, 6) as keyof typeof ASSERTION_SIZE;
  const a = new StructView(memory, address, ASSERTION_SIZE[known], `WEBAUTHN_ASSERTION v${version}`);
  const credentialId = a.byteField(
    A.credentialCbId,
    A.credentialPbId,
    LIMITS.maxCredentialIdBytes,
    'Credential.pbId',
  );
  const authenticatorData = a.byteField(
    A.cbAuthenticatorData,
    A.pbAuthenticatorData,
    LIMITS.maxAuthDataBytes,
    'pbAuthenticatorData',
  );
  const signature = a.byteField(A.cbSignature, A.pbSignature, LIMITS.maxAuthDataBytes, 'pbSignature');
  if (!credentialId || credentialId.length === 0 || !authenticatorData || !signature)
    throw corrupt('the assertion lacks a credential ID, authenticator data or signature');
  const userHandle = a.byteField(A.cbUserId, A.pbUserId, LIMITS.maxUserIdBytes, 'pbUserId');
  return {
    assertionVersion: version,
    credentialId,
    authenticatorData,
    signature,
    userHandle: userHandle && userHandle.length > 0 ? userHandle : null,
    usedTransport: known >= 4 ? transportsFromFlags(a.u32(A.dwUsedTransport)) : null,
    clientDataJSON:
      known >= 6
        ? a.byteField(A.cbClientDataJSON, A.pbClientDataJSON, LIMITS.maxAuthDataBytes, 'pbClientDataJSON')
        : null,
  };
}
