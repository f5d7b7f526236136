/**
 * A software WebAuthn authenticator for tests and benchmarks without a browser: node:crypto keys (ES256 or
 * Ed25519), "none" attestation objects built with cbor-x, and assertions signed over
 * authenticatorData || SHA-256(clientDataJSON) exactly as WebAuthn §6.3.3 / §7.2 describe. It plays the client
 * too (it writes clientDataJSON), so tests can also forge what a browser never would: wrong origin, wrong RP ID,
 * tampered bytes.
 */
import { createHash, randomBytes, sign } from 'node:crypto';
import type { KeyObject } from 'node:crypto';
import { Encoder } from 'cbor-x';
import type {
  AuthenticationResponseJSON,
  PublicKeyCredentialCreationOptionsJSON,
  PublicKeyCredentialRequestOptionsJSON,
  RegistrationResponseJSON,
} from '@simplewebauthn/server';
import { generateDetachedKeyPair } from '../../src/main/crypto/generate-key-pair';

export type SoftAlgorithm = 'ES256' | 'Ed25519';

export interface SoftCredential {
  /** Credential ID, base64url. */
  id: string;
  rpId: string;
  /** user.id from the creation options, base64url. */
  userHandle: string;
  algorithm: SoftAlgorithm;
  privateKey: KeyObject;
  /** COSE_Key of the public key. */
  cosePublicKey: Uint8Array;
  signCount: number;
}

export interface SoftAuthenticatorOptions {
  algorithm?: SoftAlgorithm;
  /** 16 bytes; default all zero (what most passkey providers send with "none" attestation). */
  aaguid?: Uint8Array;
  /** 'increment' (security-key style) or 'zero' (synced passkeys keep 0). Default 'increment'. */
  counter?: 'increment' | 'zero';
  backupEligible?: boolean;
  backedUp?: boolean;
}

/** What a test may change about one assertion or registration. */
export interface Overrides {
  origin?: string;
  rpId?: string;
  type?: string;
  challenge?: string;
  /** Replaces the flags byte (UP 0x01, UV 0x04, BE 0x08, BS 0x10). */
  flags?: number;
  counter?: number;
  /** Extra members for clientDataJSON (crossOrigin, topOrigin...). */
  clientData?: Record<string, unknown>;
}

const cbor = new Encoder({ mapsAsObjects: false, useRecords: false, variableMapSize: true });
const b64url = (bytes: Uint8Array): string =>
  Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength).toString('base64url');
const sha256 = (data: Uint8Array | string): Buffer => createHash('sha256').update(data).digest();

export const FLAG_UP = 0x01;
export const FLAG_UV = 0x04;
export const FLAG_BE = 0x08;
export const FLAG_BS = 0x10;
export const FLAG_AT = 0x40;

export class DOMExceptionLike extends Error {
  constructor(
    override readonly name: 'InvalidStateError' | 'NotAllowedError',
    message: string,
  ) {
    super(message);
  }
}

export function coseFromKey(publicKey: KeyObject, algorithm: SoftAlgorithm): Uint8Array {
  const jwk = publicKey.export({ format: 'jwk' });
  const x = Buffer.from(jwk.x ?? '', 'base64url');
  if (algorithm === 'ES256') {
    const y = Buffer.from(jwk.y ?? '', 'base64url');
    return cbor.encode(
      new Map<number, number | Buffer>([
        [1, 2],
        [3, -7],
        [-1, 1],
        [-2, x],
        [-3, y],
      ]),
    );
  }
  return cbor.encode(
    new Map<number, number | Buffer>([
      [1, 1],
      [3, -8],
      [-1, 6],
      [-2, x],
    ]),
  );
}

export function newCredential(
  rpId: string,
  userHandle: string,
  algorithm: SoftAlgorithm = 'ES256',
): SoftCredential {
  const { privateKey, publicKey } = generateDetachedKeyPair(algorithm === 'ES256' ? 'P-256' : 'Ed25519');
  return {
    id: b64url(randomBytes(16)),
    rpId,
    userHandle,
    algorithm,
    privateKey,
    cosePublicKey: coseFromKey(publicKey, algorithm),
    signCount: 0,
  };
}

export function clientDataJSON(
  type: string,
  challenge: string,
  origin: string,
  extra: Record<string, unknown> = {},
): Buffer {
  return Buffer.from(JSON.stringify({ type, challenge, origin, crossOrigin: false, ...extra }));
}

export function authenticatorData(
  rpId: string,
  flags: number,
  counter: number,
  attested?: Uint8Array,
): Buffer {
  const head = Buffer.alloc(37);
  sha256(rpId).copy(head, 0);
  head[32] = flags;
  head.writeUInt32BE(counter >>> 0, 33);
  return attested ? Buffer.concat([head, attested]) : head;
}

export function signWith(credential: SoftCredential, data: Uint8Array): Buffer {
  return credential.algorithm === 'ES256'
    ? sign('sha256', data, credential.privateKey)
    : sign(null, data, credential.privateKey);
}

/** One assertion over `challenge`, signed by `credential` (counter handling is the caller's: see SoftAuthenticator). */
export function signAssertion(
  credential: SoftCredential,
  challenge: string,
  origin: string,
  o: Overrides & { withUserHandle?: boolean } = {},
): AuthenticationResponseJSON {
  const cd = clientDataJSON(
    o.type ?? 'webauthn.get',
    o.challenge ?? challenge,
    o.origin ?? origin,
    o.clientData,
  );
  const ad = authenticatorData(
    o.rpId ?? credential.rpId,
    o.flags ?? FLAG_UP | FLAG_UV | FLAG_BE | FLAG_BS,
    o.counter ?? credential.signCount,
  );
  const sig = signWith(credential, Buffer.concat([ad, sha256(cd)]));
  return {
    id: credential.id,
    rawId: credential.id,
    type: 'public-key',
    response: {
      clientDataJSON: b64url(cd),
      authenticatorData: b64url(ad),
      signature: b64url(sig),
      ...(o.withUserHandle === false ? {} : { userHandle: credential.userHandle }),
    },
    clientExtensionResults: {},
    authenticatorAttachment: 'platform',
  };
}

export class SoftAuthenticator {
  readonly credentials: SoftCredential[] = [];
  private readonly options: Required<SoftAuthenticatorOptions>;

  constructor(options: SoftAuthenticatorOptions = {}) {
    this.options = {
      algorithm: options.algorithm ?? 'ES256',
      aaguid: options.aaguid ?? new Uint8Array(16),
      counter: options.counter ?? 'increment',
      backupEligible: options.backupEligible ?? true,
      backedUp: options.backedUp ?? true,
    };
  }

  private baseFlags(): number {
    return (
      FLAG_UP | FLAG_UV | (this.options.backupEligible ? FLAG_BE : 0) | (this.options.backedUp ? FLAG_BS : 0)
    );
  }

  /** navigator.credentials.create(): honours excludeCredentials like a real authenticator (InvalidStateError). */
  register(
    options: PublicKeyCredentialCreationOptionsJSON,
    origin: string,
    o: Overrides = {},
  ): RegistrationResponseJSON {
    const rpId = options.rp.id ?? new URL(origin).hostname;
    const mine = new Set(this.credentials.filter((c) => c.rpId === rpId).map((c) => c.id));
    if ((options.excludeCredentials ?? []).some((c) => mine.has(c.id))) {
      throw new DOMExceptionLike(
        'InvalidStateError',
        'this authenticator already holds a credential in excludeCredentials',
      );
    }
    const credential = newCredential(rpId, options.user.id, this.options.algorithm);
    return this.attest(credential, options.challenge, origin, o);
  }

  /** A registration response for a given credential (e.g. one this authenticator already holds). */
  attest(
    credential: SoftCredential,
    challenge: string,
    origin: string,
    o: Overrides = {},
  ): RegistrationResponseJSON {
    if (!this.credentials.includes(credential)) this.credentials.push(credential);
    const id = Buffer.from(credential.id, 'base64url');
    const idLength = Buffer.alloc(2);
    idLength.writeUInt16BE(id.length);
    const attested = Buffer.concat([this.options.aaguid, idLength, id, credential.cosePublicKey]);
    const ad = authenticatorData(
      o.rpId ?? credential.rpId,
      (o.flags ?? this.baseFlags()) | FLAG_AT,
      o.counter ?? credential.signCount,
      attested,
    );
    const cd = clientDataJSON(
      o.type ?? 'webauthn.create',
      o.challenge ?? challenge,
      o.origin ?? origin,
      o.clientData,
    );
    const attestationObject = cbor.encode(
      new Map<string, unknown>([
        ['fmt', 'none'],
        ['attStmt', new Map()],
        ['authData', ad],
      ]),
    );
    return {
      id: credential.id,
      rawId: credential.id,
      type: 'public-key',
      response: {
        clientDataJSON: b64url(cd),
        attestationObject: b64url(attestationObject),
        transports: ['internal', 'hybrid'],
        publicKeyAlgorithm: credential.algorithm === 'ES256' ? -7 : -8,
      },
      clientExtensionResults: {},
      authenticatorAttachment: 'platform',
    };
  }

  /** navigator.credentials.get(): picks a credential from allowCredentials, or any for the RP when empty. */
  authenticate(
    options: PublicKeyCredentialRequestOptionsJSON,
    origin: string,
    o: Overrides & { credentialId?: string } = {},
  ): AuthenticationResponseJSON {
    const rpId = options.rpId ?? new URL(origin).hostname;
    const allowed = new Set((options.allowCredentials ?? []).map((c) => c.id));
    const credential = this.credentials.find(
      (c) =>
        c.rpId === rpId &&
        (o.credentialId === undefined || c.id === o.credentialId) &&
        (allowed.size === 0 || allowed.has(c.id)),
    );
    if (!credential)
      throw new DOMExceptionLike(
        'NotAllowedError',
        `no credential for ${rpId} among ${allowed.size} allowed`,
      );
    if (this.options.counter === 'increment') credential.signCount++;
    return signAssertion(credential, options.challenge, origin, { flags: this.baseFlags(), ...o });
  }

  /** PKCS#8 DER of a credential's private key (CDP WebAuthn.addCredential takes it base64-encoded). */
  static pkcs8(credential: SoftCredential): Buffer {
    return credential.privateKey.export({ format: 'der', type: 'pkcs8' });
  }
}
