import type { FakeCredential } from '../helpers/fake-webauthn';

/** Deterministic test bytes: `n` bytes starting at `seed`. */
export function bytes(seed: number, n = 16): Uint8Array {
  return Uint8Array.from({ length: n }, (_, i) => (seed + i) & 0xff);
}

/** One entry at each CREDENTIAL_DETAILS version, with names outside ASCII (and outside the BMP). */
export const MIXED: FakeCredential[] = [
  {
    version: 1,
    credentialId: bytes(1),
    rpId: 'example.com',
    rpName: 'Example',
    userId: bytes(100, 8),
    userName: 'ada@example.com',
    userDisplayName: 'Ada',
  },
  {
    version: 2,
    credentialId: bytes(2),
    rpId: 'bücher.example',
    rpName: 'Bücher',
    userId: bytes(110, 32),
    userName: 'jürgen',
    userDisplayName: 'Jürgen Müller 🔑',
    backedUp: true,
    removable: false,
  },
  {
    version: 3,
    credentialId: bytes(3, 64),
    rpId: 'example.jp',
    rpName: '例え',
    userId: bytes(120, 64),
    userName: '山田',
    userDisplayName: '山田 太郎',
    authenticatorName: 'Windows Hello',
    logo: new TextEncoder().encode('<svg/>'),
    thirdPartyPayment: true,
  },
  {
    version: 4,
    credentialId: bytes(4),
    rpId: 'example.com',
    rpName: 'Example',
    userId: bytes(130, 16),
    userName: 'grace',
    userDisplayName: 'Grace Hopper',
    authenticatorName: 'Contoso Passkeys',
    backedUp: true,
    removable: false,
    transports: 0x10 | 0x20,
  },
];
