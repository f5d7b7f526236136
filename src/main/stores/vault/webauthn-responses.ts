import { createHash } from 'node:crypto';
import { encodeCBOR } from '@levischuck/tiny-cbor';
import { concatBytes, toBase64url, utf8 } from '../../../shared/base64url';
import type { AuthenticationResponseJSON, RegistrationResponseJSON } from '../../../shared/model';
import { COSE_ALG } from '../../../shared/webauthn/cose';
import { encodeAuthenticatorData } from '../../../shared/webauthn/authdata';

const sha256 = (data: Uint8Array): Uint8Array => createHash('sha256').update(data).digest();

/** CollectedClientData (WebAuthn L3 §5.8.1), serialised in the spec's field order. */
export function clientDataJSON(
  type: 'webauthn.create' | 'webauthn.get',
  challenge: string,
  origin: string,
): Uint8Array {
  return utf8(JSON.stringify({ type, challenge, origin, crossOrigin: false }));
}

export function registrationResponse(input: {
  rpId: string;
  aaguid: string;
  credentialId: Uint8Array;
  publicKeyCose: Uint8Array;
  clientData: Uint8Array;
  signCount: number;
}): RegistrationResponseJSON {
  const authData = encodeAuthenticatorData({
    rpIdHash: sha256(utf8(input.rpId)),
    // The vault is a device-bound authenticator: it verifies the user, and its keys are not synced (BE = BS = 0).
    flags: {
      userPresent: true,
      userVerified: true,
      backupEligible: false,
      backedUp: false,
      attestedCredentialData: true,
      extensionData: false,
    },
    signCount: input.signCount,
    attestedCredential: {
      aaguid: input.aaguid,
      credentialId: input.credentialId,
      publicKey: input.publicKeyCose,
    },
    extensions: null,
  });
  // Attestation "none" (WebAuthn §8.7): fmt "none", empty attStmt.
  const attestationObject = encodeCBOR(
    new Map<string, string | Map<string, string> | Uint8Array>([
      ['fmt', 'none'],
      ['attStmt', new Map<string, string>()],
      ['authData', authData],
    ]),
  );
  const id = toBase64url(input.credentialId);
  return {
    id,
    rawId: id,
    type: 'public-key',
    response: {
      clientDataJSON: toBase64url(input.clientData),
      attestationObject: toBase64url(attestationObject),
      authenticatorData: toBase64url(authData),
      publicKey: toBase64url(input.publicKeyCose),
      publicKeyAlgorithm: COSE_ALG.ES256,
      transports: ['internal'],
    },
    clientExtensionResults: {},
    authenticatorAttachment: 'platform',
  };
}

/** The bytes an assertion signs (WebAuthn §6.3.3 step 11): authenticatorData ‖ SHA-256(clientDataJSON). */
export function assertionPayload(
  rpId: string,
  signCount: number,
  clientData: Uint8Array,
): { authData: Uint8Array; toSign: Uint8Array } {
  const authData = encodeAuthenticatorData({
    rpIdHash: sha256(utf8(rpId)),
    flags: {
      userPresent: true,
      userVerified: true,
      backupEligible: false,
      backedUp: false,
      attestedCredentialData: false,
      extensionData: false,
    },
    signCount,
    attestedCredential: null,
    extensions: null,
  });
  return { authData, toSign: concatBytes(authData, sha256(clientData)) };
}

export function authenticationResponse(input: {
  credentialId: string;
  authData: Uint8Array;
  clientData: Uint8Array;
  signature: Uint8Array;
  userHandle: string;
}): AuthenticationResponseJSON {
  return {
    id: input.credentialId,
    rawId: input.credentialId,
    type: 'public-key',
    response: {
      clientDataJSON: toBase64url(input.clientData),
      authenticatorData: toBase64url(input.authData),
      signature: toBase64url(input.signature),
      userHandle: input.userHandle,
    },
    clientExtensionResults: {},
    authenticatorAttachment: 'platform',
  };
}
