import { PasskeyDeskError } from '../../../src/shared/errors';
import type { HidBackend, HidConnection, HidDeviceInfo } from '../../../src/main/stores/security-key/hid';
import { HID_REPORT_SIZE } from '../../../src/main/stores/security-key/hid';
import { SoftCtapHidDevice } from './hid-endpoint';
import type { EndpointOptions } from './hid-endpoint';
import type { SoftKeyState } from './state';

/** One simulated key "plugged in" to the in-memory HID bus. */
export class MemoryKey {
  readonly device: SoftCtapHidDevice;
  readonly info: HidDeviceInfo;
  plugged = true;
  private readonly open = new Set<MemoryConnection>();
  /** Every report written by the host, for framing assertions. */
  readonly written: Uint8Array[] = [];

  constructor(state: SoftKeyState, path: string, options: EndpointOptions = {}) {
    this.device = new SoftCtapHidDevice(state, options);
    this.info = {
      path,
      vendorId: state.vendorId,
      productId: state.productId,
      manufacturer: state.manufacturer,
      product: state.product,
      serialNumber: state.serialNumber,
    };
    this.device.onReport = (r) => {
      for (const c of this.open) c.deliver(r);
    };
  }

  /** Pulls the key out: open handles fail with DEVICE_REMOVED, and it disappears from enumeration. */
  unplug(): void {
    this.plugged = false;
    for (const c of this.open) c.fail();
    this.open.clear();
  }

  replug(): void {
    this.plugged = true;
    this.device.authenticator.powerCycle();
  }

  connect(): HidConnection {
    if (!this.plugged) throw new PasskeyDeskError('DEVICE_REMOVED', 'The security key is not plugged in.');
    const c = new MemoryConnection(this);
    this.open.add(c);
    return c;
  }

  detach(c: MemoryConnection): void {
    this.open.delete(c);
  }
}

class MemoryConnection implements HidConnection {
  private readonly queue: Uint8Array[] = [];
  private removed = false;
  private closed = false;
  private wake: (() => void) | null = null;

  constructor(private readonly key: MemoryKey) {}

  deliver(r: Uint8Array): void {
    this.queue.push(r);
    this.wake?.();
  }

  fail(): void {
    this.removed = true;
    this.wake?.();
  }

  async write(report: Uint8Array): Promise<void> {
    if (this.removed) throw removedError();
    if (this.closed) throw new Error('write after close');
    if (report.length !== HID_REPORT_SIZE) throw new Error(`report of ${report.length} bytes`);
    this.key.written.push(new Uint8Array(report));
    // Deliver asynchronously, as a USB round trip would, so the host's read loop really waits.
    await Promise.resolve();
    queueMicrotask(() => {
      if (!this.removed) this.key.device.receive(report);
    });
  }

  async read(timeoutMs: number): Promise<Uint8Array | null> {
    const deadline = Date.now() + timeoutMs;
    for (;;) {
      if (this.removed) throw removedError();
      const next = this.queue.shift();
      if (next) return next;
      const left = deadline - Date.now();
      if (left <= 0) return null;
      await new Promise<void>((resolve) => {
        const t = setTimeout(() => {
          this.wake = null;
          resolve();
        }, left);
        this.wake = () => {
          clearTimeout(t);
          this.wake = null;
          resolve();
        };
      });
    }
  }

  async close(): Promise<void> {
    this.closed = true;
    this.key.detach(this);
  }
}

function removedError(): PasskeyDeskError {
  return new PasskeyDeskError(
    'DEVICE_REMOVED',
    'The security key was unplugged in the middle of an operation. Plug it back in and try again.',
  );
}

/** A HidBackend over simulated keys, for in-process tests of the real transport, client and store. */
export class MemoryHidBackend implements HidBackend {
  readonly keys: MemoryKey[] = [];

  add(state: SoftKeyState, options: EndpointOptions = {}): MemoryKey {
    const key = new MemoryKey(state, `memory:${this.keys.length + 1}`, options);
    this.keys.push(key);
    return key;
  }

  async enumerate(): Promise<HidDeviceInfo[]> {
    return this.keys.filter((k) => k.plugged).map((k) => k.info);
  }

  async open(path: string): Promise<HidConnection> {
    const key = this.keys.find((k) => k.info.path === path);
    if (!key) throw new PasskeyDeskError('DEVICE_REMOVED', `No simulated key at ${path}.`);
    return key.connect();
  }
}
