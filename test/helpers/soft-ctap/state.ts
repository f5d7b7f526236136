import { createHash, randomBytes } from 'node:crypto';
import type { JsonWebKey } from 'node:crypto';
import { readFileSync, writeFileSync } from 'node:fs';
import { generateDetachedKeyPair } from '../../../src/main/crypto/generate-key-pair';
import { fromBase64url, toBase64url } from '../../../src/shared/base64url';

/**
 * The state of a simulated FIDO2 key, as plain JSON so that a test can write it to a file, point the simulator
 * (serve.ts) at it and read it back after the CLI ran. Secrets here are test secrets only.
 */
export type SoftMode = '2.1' | '2.1-pre' | '2.0';

export interface SoftCredential {
  rpId: string;
  rpName: string | null;
  /** base64url */
  credentialId: string;
  /** base64url */
  userId: string;
  userName: string | null;
  userDisplayName: string | null;
  /** ES256 private key as JWK (to derive the COSE public key and to sign). */
  privateJwk: JsonWebKey;
  credProtect: number;
}

export interface SoftKeyState {
  mode: SoftMode;
  aaguid: string;
  product: string;
  manufacturer: string;
  serialNumber: string | null;
  vendorId: number;
  productId: number;
  /** The PIN in clear (test state); null = no PIN set. */
  pin: string | null;
  pinRetries: number;
  /** Discoverable credential slots in total. */
  maxSlots: number;
  credentials: SoftCredential[];
  /** Keepalive UPNEEDED packets sent before answering commands that need a touch. */
  touchKeepalives: number;
  /** CTAP command bytes that wait for a touch (default makeCredential; some keys also want one for 0x0A). */
  touchFor: number[];
  /** Also send this many PROCESSING keepalives before every CBOR reply (slow keys). */
  processingKeepalives: number;
}

export const YUBIKEY_5_NFC_AAGUID = 'fa2b99dc-9e39-4257-8f92-4a30d23c4118';

export function newKeyState(over: Partial<SoftKeyState> = {}): SoftKeyState {
  return {
    mode: '2.1',
    aaguid: YUBIKEY_5_NFC_AAGUID,
    product: 'Soft FIDO2 key',
    manufacturer: 'Passkey Desk tests',
    serialNumber: null,
    vendorId: 0x1050,
    productId: 0x0407,
    pin: '123456',
    pinRetries: 8,
    maxSlots: 25,
    credentials: [],
    touchKeepalives: 0,
    touchFor: [0x01],
    processingKeepalives: 0,
    ...over,
  };
}

export interface SeedInput {
  rpId: string;
  rpName?: string | null;
  userName?: string | null;
  userDisplayName?: string | null;
  userId?: Uint8Array;
  credentialIdLength?: number;
}

export function seedCredential(state: SoftKeyState, input: SeedInput): SoftCredential {
  const { privateKey } = generateDetachedKeyPair('P-256');
  const cred: SoftCredential = {
    rpId: input.rpId,
    rpName: input.rpName === undefined ? input.rpId : input.rpName,
    credentialId: toBase64url(randomBytes(input.credentialIdLength ?? 48)),
    userId: toBase64url(input.userId ?? randomBytes(16)),
    userName: input.userName === undefined ? 'alice@example.com' : input.userName,
    userDisplayName: input.userDisplayName === undefined ? 'Alice' : input.userDisplayName,
    privateJwk: privateKey.export({ format: 'jwk' }),
    credProtect: 1,
  };
  state.credentials.push(cred);
  return cred;
}

export function rpHash(rpId: string): Buffer {
  return createHash('sha256').update(rpId, 'utf8').digest();
}

export function credIdBytes(c: SoftCredential): Uint8Array {
  return fromBase64url(c.credentialId);
}

export function loadState(path: string): SoftKeyState {
  return { ...newKeyState(), ...(JSON.parse(readFileSync(path, 'utf8')) as Partial<SoftKeyState>) };
}

export function saveState(path: string, state: SoftKeyState): void {
  // It holds the simulated key's private keys and PIN: readable by its owner only.
  writeFileSync(path, `${JSON.stringify(state, null, 2)}\n`, { mode: 0o600 });
}
