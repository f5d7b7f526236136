import type { NativeMemory } from '../../src/main/stores/windows-hello/memory';

/** A read that leaves every allocated block: the bug the property tests hunt for. */
export class OutOfBounds extends Error {
  override readonly name = 'OutOfBounds';
  constructor(
    message: string,
    /** The read started inside a block, or in the gap just after one: it ran past that block's end. */
    readonly overrun: boolean,
  ) {
    super(message);
  }
}

/**
 * Pure-JS memory for the decoders: blocks at spaced-out addresses, and every read must lie entirely inside one.
 * Unlike the C stand-in's guard pages this also catches reads *before* a block and reports instead of crashing.
 */
export class FakeMemory implements NativeMemory {
  private readonly blocks: { base: bigint; data: Uint8Array }[] = [];
  private next = 0x10000n;

  alloc(size: number): { address: bigint; view: DataView; data: Uint8Array } {
    const data = new Uint8Array(size);
    const address = this.next;
    this.next += BigInt(size) + 0x1000n; // a gap: a read past the end never lands in the next block
    this.blocks.push({ base: address, data });
    return { address, view: new DataView(data.buffer), data };
  }

  bytesBlock(bytes: Uint8Array): bigint {
    const b = this.alloc(bytes.length);
    b.data.set(bytes);
    return b.address;
  }

  stringBlock(text: string): bigint {
    const b = this.alloc((text.length + 1) * 2);
    for (let i = 0; i < text.length; i++) b.view.setUint16(i * 2, text.charCodeAt(i), true);
    return b.address;
  }

  private locate(address: bigint, offset: number, width: number): { data: Uint8Array; at: number } {
    const start = address + BigInt(offset);
    for (const b of this.blocks) {
      if (start >= b.base && start + BigInt(width) <= b.base + BigInt(b.data.length))
        return { data: b.data, at: Number(start - b.base) };
    }
    const overrun = this.blocks.some(
      (b) => start >= b.base && start < b.base + BigInt(b.data.length) + 0x1000n,
    );
    throw new OutOfBounds(
      `read of ${width} bytes at 0x${start.toString(16)} is outside every block`,
      overrun,
    );
  }

  u32(address: bigint, offset: number): number {
    const { data, at } = this.locate(address, offset, 4);
    return new DataView(data.buffer).getUint32(at, true);
  }

  i32(address: bigint, offset: number): number {
    const { data, at } = this.locate(address, offset, 4);
    return new DataView(data.buffer).getInt32(at, true);
  }

  pointer(address: bigint, offset: number): bigint {
    const { data, at } = this.locate(address, offset, 8);
    return new DataView(data.buffer).getBigUint64(at, true);
  }

  bytes(address: bigint, length: number): Uint8Array {
    const { data, at } = this.locate(address, 0, length);
    return data.slice(at, at + length);
  }

  utf16(address: bigint): string {
    let out = '';
    for (let i = 0; ; i += 2) {
      const { data, at } = this.locate(address, i, 2);
      const unit = data[at]! | (data[at + 1]! << 8);
      if (unit === 0) return out;
      out += String.fromCharCode(unit);
    }
  }
}

export function setPtr(view: DataView, offset: number, address: bigint): void {
  view.setBigUint64(offset, address, true);
}
