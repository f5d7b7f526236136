import { createServer } from 'node:net';
import type { AddressInfo, Server, Socket } from 'node:net';
import { HID_REPORT_SIZE } from '../../../src/main/stores/security-key/hid';
import { SoftCtapHidDevice } from './hid-endpoint';
import type { EndpointOptions } from './hid-endpoint';
import type { SoftKeyState } from './state';

export interface SoftKeyServer {
  /** `127.0.0.1:PORT`, the value for PASSKEY_DESK_FAKE_SECURITY_KEY and for the python bridge. */
  address: string;
  port: number;
  device: SoftCtapHidDevice;
  /** Drops every open connection, as pulling the key out would. */
  unplug(): void;
  close(): Promise<void>;
}

/**
 * Serves a simulated key's HID reports on 127.0.0.1 (protocol in src/main/stores/security-key/socket-backend.ts):
 * 'D' → one JSON line describing the device; 'O' → raw 64-byte reports both ways.
 * The TS socket backend and the python-fido2 bridge both talk to it, so both drive the same model.
 */
export async function startSoftKeyServer(
  state: SoftKeyState,
  opts: EndpointOptions & { onChange?: (state: SoftKeyState) => void } = {},
): Promise<SoftKeyServer> {
  const device = new SoftCtapHidDevice(state, opts);
  const open = new Set<Socket>();
  device.onReport = (r) => {
    for (const s of open) s.write(r);
  };
  const server: Server = createServer((socket) => {
    let mode: 'D' | 'O' | null = null;
    let pending = Buffer.alloc(0);
    socket.on('error', () => socket.destroy());
    socket.on('close', () => {
      if (open.delete(socket)) opts.onChange?.(device.state);
    });
    socket.on('data', (chunk: Buffer) => {
      pending = Buffer.concat([pending, chunk]);
      if (mode === null) {
        const first = String.fromCharCode(pending[0] ?? 0);
        pending = pending.subarray(1);
        if (first === 'D') {
          mode = 'D';
          const s = device.state;
          socket.end(
            `${JSON.stringify({ vendorId: s.vendorId, productId: s.productId, manufacturer: s.manufacturer, product: s.product, serialNumber: s.serialNumber })}\n`,
          );
          return;
        }
        if (first !== 'O') return void socket.destroy();
        mode = 'O';
        open.add(socket);
      }
      while (pending.length >= HID_REPORT_SIZE) {
        device.receive(new Uint8Array(pending.subarray(0, HID_REPORT_SIZE)));
        pending = pending.subarray(HID_REPORT_SIZE);
      }
    });
  });
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => resolve());
  });
  const port = (server.address() as AddressInfo).port;
  return {
    address: `127.0.0.1:${port}`,
    port,
    device,
    unplug() {
      for (const s of open) s.destroy();
      open.clear();
      device.authenticator.powerCycle();
    },
    close: () =>
      new Promise<void>((resolve) => {
        for (const s of open) s.destroy();
        server.close(() => resolve());
      }),
  };
}
