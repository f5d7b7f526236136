import type { InputArena } from './arena';
import { setI32, setPointer, setU32 } from './arena';

/**
 * Encoders for the input structs of MakeCredential / GetAssertion, at the x64 offsets of webauthn.h
 * (os-apis.md §1.7). Each returns a Buffer owned by the arena.
 */

/** WEBAUTHN_CLIENT_DATA (24): the exact clientDataJSON bytes; Windows hashes them with SHA-256 itself (§1.4). */
export function clientData(arena: InputArena, json: Uint8Array): Buffer {
  const b = arena.struct(24);
  setU32(b, 0, 1);
  setU32(b, 4, json.length);
  setPointer(b, 8, arena.bytes(json));
  setPointer(b, 16, arena.utf16('SHA-256'));
  return b;
}

/** WEBAUTHN_RP_ENTITY_INFORMATION (32), dwVersion 1. */
export function rpEntity(arena: InputArena, rp: { id: string; name: string }): Buffer {
  const b = arena.struct(32);
  setU32(b, 0, 1);
  setPointer(b, 8, arena.utf16(rp.id));
  setPointer(b, 16, arena.utf16(rp.name));
  return b;
}

/** WEBAUTHN_USER_ENTITY_INFORMATION (40), dwVersion 1; the user ID is at most 64 bytes (WEBAUTHN_MAX_USER_ID_LENGTH). */
export function userEntity(
  arena: InputArena,
  user: { id: Uint8Array; name: string; displayName: string },
): Buffer {
  const b = arena.struct(40);
  setU32(b, 0, 1);
  setU32(b, 4, user.id.length);
  setPointer(b, 8, arena.bytes(user.id));
  setPointer(b, 16, arena.utf16(user.name));
  setPointer(b, 32, arena.utf16(user.displayName));
  return b;
}

/** WEBAUTHN_COSE_CREDENTIAL_PARAMETERS (16) → an array of 24-byte WEBAUTHN_COSE_CREDENTIAL_PARAMETER *structs*. */
export function coseParameters(arena: InputArena, algorithms: readonly number[]): Buffer {
  const items = arena.struct(24 * algorithms.length);
  const type = arena.utf16('public-key');
  algorithms.forEach((alg, i) => {
    setU32(items, i * 24, 1);
    setPointer(items, i * 24 + 8, type);
    setI32(items, i * 24 + 16, alg);
  });
  const b = arena.struct(16);
  setU32(b, 0, algorithms.length);
  setPointer(b, 8, arena.address(items));
  return b;
}

/** Writes an inline WEBAUTHN_CREDENTIALS (16) at `offset`: an array of 24-byte WEBAUTHN_CREDENTIAL *structs*. */
export function writeCredentials(
  arena: InputArena,
  target: Buffer,
  offset: number,
  ids: readonly Uint8Array[],
): void {
  if (ids.length === 0) return;
  const items = arena.struct(24 * ids.length);
  const type = arena.utf16('public-key');
  ids.forEach((id, i) => {
    setU32(items, i * 24, 1);
    setU32(items, i * 24 + 4, id.length);
    setPointer(items, i * 24 + 8, arena.bytes(id));
    setPointer(items, i * 24 + 16, type);
  });
  setU32(target, offset, ids.length);
  setPointer(target, offset + 8, arena.address(items));
}

/**
 * WEBAUTHN_CREDENTIAL_LIST (16): an array of *pointers* to 32-byte WEBAUTHN_CREDENTIAL_EX (the classic FFI mix-up is
 * to pass structs here, os-apis.md §6 gotcha 2). `transports` are WEBAUTHN_CTAP_TRANSPORT_* flags.
 */
export function credentialList(
  arena: InputArena,
  credentials: readonly { id: Uint8Array; transports: number }[],
): Buffer {
  const type = arena.utf16('public-key');
  const pointers = credentials.map((c) => {
    const ex = arena.struct(32);
    setU32(ex, 0, 1);
    setU32(ex, 4, c.id.length);
    setPointer(ex, 8, arena.bytes(c.id));
    setPointer(ex, 16, type);
    setU32(ex, 24, c.transports);
    return arena.address(ex);
  });
  const b = arena.struct(16);
  setU32(b, 0, credentials.length);
  setPointer(b, 8, arena.pointerArray(pointers));
  return b;
}
