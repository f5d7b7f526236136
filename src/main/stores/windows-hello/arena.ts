import koffi from 'koffi';

/**
 * Memory for input structs, laid out by hand at the offsets of webauthn.h (x64). Each struct is a zero-filled
 * Buffer, so fields a given dwVersion does not use stay zero, and nested pointers are the addresses of other Buffers
 * kept alive here until the call returns (Node Buffers do not move). Keep the arena referenced until the call,
 * including an async one, has finished.
 */
export class InputArena {
  private readonly kept: Buffer[] = [];

  struct(size: number): Buffer {
    const buffer = Buffer.alloc(size);
    this.kept.push(buffer);
    return buffer;
  }

  address(buffer: Buffer): bigint {
    return koffi.address(buffer);
  }

  /** A copy of `data`; at least one byte is allocated so that the address is never NULL. */
  bytes(data: Uint8Array): bigint {
    const buffer = this.struct(Math.max(1, data.length));
    buffer.set(data);
    return this.address(buffer);
  }

  /** A NUL-terminated UTF-16LE string (PCWSTR). */
  utf16(text: string): bigint {
    const buffer = this.struct((text.length + 1) * 2);
    buffer.write(text, 0, 'utf16le');
    return this.address(buffer);
  }

  /** An array of pointers (e.g. WEBAUTHN_CREDENTIAL_LIST.ppCredentials). */
  pointerArray(addresses: readonly bigint[]): bigint {
    const buffer = this.struct(Math.max(8, addresses.length * 8));
    addresses.forEach((a, i) => buffer.writeBigUInt64LE(a, i * 8));
    return this.address(buffer);
  }
}

export function setU32(buffer: Buffer, offset: number, value: number): void {
  buffer.writeUInt32LE(value >>> 0, offset);
}

export function setI32(buffer: Buffer, offset: number, value: number): void {
  buffer.writeInt32LE(value | 0, offset);
}

export function setPointer(buffer: Buffer, offset: number, address: bigint): void {
  buffer.writeBigUInt64LE(address, offset);
}
