import koffi from 'koffi';

import type { NativeMemory } from './memory';

/**
 * NativeMemory over koffi 3 (pointers are BigInt). `koffi.decode(…, 'uint8_t', n)` copies; `koffi.view` would
 * not, but Electron forbids external ArrayBuffers, so the copy is the portable choice.
 */
export const koffiMemory: NativeMemory = {
  u32: (address, offset) => koffi.decode(address, offset, 'uint32_t') as number,
  i32: (address, offset) => koffi.decode(address, offset, 'int32_t') as number,
  pointer: (address, offset) => toAddress(koffi.decode(address, offset, 'void *')),
  bytes: (address, length) => Uint8Array.from(koffi.decode(address, 'uint8_t', length) as ArrayLike<number>),
  utf16: (address) => koffi.decode.string16(address),
};

/** koffi returns NULL pointers as null or 0n depending on the path; the binding only ever sees bigint. */
export function toAddress(value: unknown): bigint {
  if (typeof value === 'bigint') return value;
  if (value === null || value === undefined) return 0n;
  if (typeof value === 'number') return BigInt(value);
  throw new TypeError(`expected a pointer, got ${typeof value}`);
}
