import { PasskeyDeskError } from '../../../shared/errors';

/**
 * Reading memory the DLL owns. The decoders take this interface instead of calling koffi directly, so their
 * bounds can be property-tested against a fake memory that rejects every read outside an allocated block.
 */
export interface NativeMemory {
  u32(address: bigint, offset: number): number;
  i32(address: bigint, offset: number): number;
  /** A pointer-sized value; 0n for NULL. */
  pointer(address: bigint, offset: number): bigint;
  /** Copies `length` bytes (the DLL frees the original). */
  bytes(address: bigint, length: number): Uint8Array;
  /** A NUL-terminated UTF-16LE string (PCWSTR). */
  utf16(address: bigint): string;
}

/**
 * One struct in DLL memory, bounded by the size its dwVersion implies. Every read checks the bound: a field the
 * version does not have is never read, because a v1 block is only 40 bytes and the bytes after it belong to
 * someone else (os-apis.md §1.0 "Versioned structs (output)").
 */
export class StructView {
  constructor(
    private readonly memory: NativeMemory,
    readonly address: bigint,
    readonly size: number,
    readonly name: string,
  ) {
    if (address === 0n) throw corrupt(`${name} pointer is NULL`);
  }

  private check(offset: number, width: number): void {
    if (offset < 0 || offset + width > this.size) {
      throw new PasskeyDeskError(
        'INTERNAL',
        `Reading ${this.name} at offset ${offset} (+${width}) would pass its ${this.size}-byte block; this is a bug in the binding.`,
        { bug: 'out-of-bounds read', struct: this.name, offset, size: this.size },
      );
    }
  }

  u32(offset: number): number {
    this.check(offset, 4);
    return this.memory.u32(this.address, offset);
  }

  bool(offset: number): boolean {
    this.check(offset, 4);
    return this.memory.i32(this.address, offset) !== 0;
  }

  pointer(offset: number): bigint {
    this.check(offset, 8);
    return this.memory.pointer(this.address, offset);
  }

  /** A cbX/pbX pair: the length at `lengthOffset`, the pointer at `pointerOffset`. Null when the pointer is NULL. */
  byteField(lengthOffset: number, pointerOffset: number, max: number, field: string): Uint8Array | null {
    const length = this.u32(lengthOffset);
    const ptr = this.pointer(pointerOffset);
    if (ptr === 0n) {
      if (length !== 0) throw corrupt(`${this.name}.${field} is NULL but its length is ${length}`);
      return null;
    }
    if (length > max) throw corrupt(`${this.name}.${field} is ${length} bytes; at most ${max} are expected`);
    return length === 0 ? new Uint8Array(0) : this.memory.bytes(ptr, length);
  }

  /** A PCWSTR field; null when NULL. */
  string(offset: number): string | null {
    const ptr = this.pointer(offset);
    return ptr === 0n ? null : this.memory.utf16(ptr);
  }
}

export function corrupt(what: string): PasskeyDeskError {
  return new PasskeyDeskError(
    'INTERNAL',
    `webauthn.dll returned data this version of Passkey Desk cannot read: ${what}. Please report it with your Windows version (winver).`,
  );
}
