import type { Problems } from './problems';
import { readPkcs8 } from './pkcs8';
import type { ImportedPasskey, ImportedPrivateKey, KeyAlgorithm, ParseOptions } from './types';
import { MAX_CREDENTIAL_ID_BYTES, decodeBase64Field } from './fields';

/** What every format yields for one passkey before it becomes an ImportedPasskey. */
export interface PasskeyFields {
  credentialId: string;
  rpId: string;
  userHandle: string | null;
  userName: string | null;
  userDisplayName: string | null;
  createdAt: string | null;
  aaguid: string | null;
  providerName: string | null;
  discoverable: boolean | null;
  signCount: number;
  sourcePath: string;
}

export interface KeyReading {
  privateKey: ImportedPrivateKey | null;
  keyProblem: string | null;
  algorithm: KeyAlgorithm | null;
}

/**
 * A malformed key makes the file invalid (it is damaged); a sound key of an algorithm passkeys here cannot use
 * only means this passkey cannot move into the vault, so it is still listed.
 */
export function readKey(p: Problems, der: Uint8Array, at: string): KeyReading | null {
  const reading = readPkcs8(der);
  if (!reading.ok) {
    p.add(at, `the private key cannot be read: ${reading.reason}`);
    return null;
  }
  if (reading.algorithm === null) {
    return { privateKey: null, keyProblem: `The private key is ${reading.unsupported}.`, algorithm: null };
  }
  return {
    privateKey: { format: 'pkcs8-der', algorithm: reading.algorithm, bytes: der },
    keyProblem: null,
    algorithm: reading.algorithm,
  };
}

/** Decodes a credential ID given as base64url/base64 text; records a problem when it is not one. */
export function credentialIdFromBase64(p: Problems, text: string, at: string): string | null {
  const decoded = decodeBase64Field(p, text, at, 'the credential ID');
  if (!decoded) return null;
  if (decoded.bytes.length > MAX_CREDENTIAL_ID_BYTES) {
    p.add(
      at,
      `the credential ID is ${decoded.bytes.length} bytes; WebAuthn allows at most ${MAX_CREDENTIAL_ID_BYTES}`,
    );
    return null;
  }
  return decoded.canonical;
}

/** Duplicate credential IDs in one file mean a damaged or hand-edited export: which copy is right is unknowable. */
export class SeenCredentialIds {
  private readonly seen = new Map<string, string>();

  check(p: Problems, credentialId: string, at: string): boolean {
    const earlier = this.seen.get(credentialId);
    if (earlier !== undefined) {
      p.add(
        at,
        `the credential ID ${credentialId.slice(0, 16)}… appears twice (also at ${earlier}); each passkey must be in the file once`,
      );
      return false;
    }
    this.seen.set(credentialId, at);
    return true;
  }
}

export function buildPasskey(options: ParseOptions, f: PasskeyFields, key: KeyReading): ImportedPasskey {
  return {
    store: options.storeId,
    storeKind: 'export',
    credentialId: f.credentialId,
    rpId: f.rpId,
    userHandle: f.userHandle,
    userName: f.userName,
    userDisplayName: f.userDisplayName,
    nickname: null,
    createdAt: f.createdAt,
    lastUsedAt: null,
    algorithm: key.algorithm,
    aaguid: f.aaguid,
    providerName: f.providerName,
    // Exports do not record the backup flags; guessing would mislead reconciliation.
    backupEligible: null,
    backedUp: null,
    discoverable: f.discoverable,
    // An export file is a copy: deleting from it changes nothing anywhere.
    removable: false,
    privateKey: key.privateKey,
    keyProblem: key.keyProblem,
    signCount: f.signCount,
    sourcePath: f.sourcePath,
  };
}
