import { connect } from 'node:net';
import type { Socket } from 'node:net';
import { PasskeyDeskError } from '../../../shared/errors';
import { HID_REPORT_SIZE } from './hid';
import type { HidBackend, HidConnection, HidDeviceInfo } from './hid';

/**
 * A HID backend whose "devices" are HID-report endpoints on 127.0.0.1 (a simulated key, or a bridge to one).
 * Wire protocol, one TCP connection per use:
 *   client sends 'D' → server answers one JSON line (a HidDeviceInfo without `path`) and closes;
 *   client sends 'O' → both sides then exchange raw 64-byte reports; the server closing = key unplugged.
 * It exists so the CLI and the renderer end-to-end tests can point the real provider at a simulated key through
 * configuration (PASSKEY_DESK_FAKE_SECURITY_KEY) while the framing and CTAP code above run unchanged.
 */
export function createSocketHidBackend(addresses: string[]): HidBackend {
  // Parsed on use, not here: a provider is built at start-up and must not throw there (a bad address shows
  // up as INVALID_INPUT from `keys list` instead).
  const endpoints = (): Endpoint[] => addresses.map(parseAddress);
  return {
    async enumerate() {
      const out: HidDeviceInfo[] = [];
      for (const ep of endpoints()) {
        const info = await describe(ep).catch(() => null); // a simulator that is not running = a key not plugged in
        if (info) out.push(info);
      }
      return out;
    },
    async open(path) {
      const ep = endpoints().find((e) => e.path === path) ?? parseAddress(path);
      const socket = await dial(ep);
      socket.write('O');
      return wrap(socket);
    },
  };
}

interface Endpoint {
  path: string;
  port: number;
}

function parseAddress(address: string): Endpoint {
  const m = /^(?:tcp:\/\/)?127\.0\.0\.1:(\d{1,5})$/.exec(address.trim());
  const port = m ? Number(m[1]) : NaN;
  if (!m || port < 1 || port > 65535) {
    throw new PasskeyDeskError(
      'INVALID_INPUT',
      `Simulated security key address "${address}" is not valid: expected 127.0.0.1:PORT (only the loopback address is allowed).`,
    );
  }
  return { path: `127.0.0.1:${port}`, port };
}

function dial(ep: Endpoint): Promise<Socket> {
  return new Promise((resolve, reject) => {
    const socket = connect({ host: '127.0.0.1', port: ep.port });
    socket.once('connect', () => resolve(socket));
    socket.once('error', (e) =>
      reject(
        new PasskeyDeskError(
          'DEVICE_REMOVED',
          `The simulated security key at ${ep.path} is not reachable (${e.message}).`,
        ),
      ),
    );
  });
}

async function describe(ep: Endpoint): Promise<HidDeviceInfo> {
  const socket = await dial(ep);
  socket.write('D');
  const text = await new Promise<string>((resolve, reject) => {
    let buf = '';
    socket.setEncoding('utf8');
    socket.on('data', (chunk: string) => (buf += chunk));
    socket.once('end', () => resolve(buf));
    socket.once('error', reject);
    socket.setTimeout(2_000, () => reject(new Error('timeout')));
  }).finally(() => socket.destroy());
  const raw: unknown = JSON.parse(text);
  const o = typeof raw === 'object' && raw !== null ? (raw as Record<string, unknown>) : {};
  const str = (v: unknown): string | null => (typeof v === 'string' ? v : null);
  return {
    path: ep.path,
    vendorId: typeof o['vendorId'] === 'number' ? o['vendorId'] : 0,
    productId: typeof o['productId'] === 'number' ? o['productId'] : 0,
    manufacturer: str(o['manufacturer']),
    product: str(o['product']),
    serialNumber: str(o['serialNumber']),
  };
}

function wrap(socket: Socket): HidConnection {
  let pending = Buffer.alloc(0);
  const queue: Uint8Array[] = [];
  let gone: PasskeyDeskError | null = null;
  let wake: (() => void) | null = null;
  socket.on('data', (chunk: Buffer) => {
    pending = Buffer.concat([pending, chunk]);
    while (pending.length >= HID_REPORT_SIZE) {
      queue.push(new Uint8Array(pending.subarray(0, HID_REPORT_SIZE)));
      pending = pending.subarray(HID_REPORT_SIZE);
    }
    wake?.();
  });
  const onGone = (): void => {
    gone ??= new PasskeyDeskError(
      'DEVICE_REMOVED',
      'The security key was unplugged in the middle of an operation. Plug it back in and try again.',
    );
    wake?.();
  };
  socket.on('close', onGone);
  socket.on('error', onGone);
  return {
    async write(report) {
      if (gone) throw gone;
      await new Promise<void>((resolve, reject) =>
        socket.write(report, (e) => (e ? reject(gone ?? e) : resolve())),
      );
    },
    async read(timeoutMs) {
      const deadline = Date.now() + timeoutMs;
      for (;;) {
        const next = queue.shift();
        if (next) return next;
        if (gone) throw gone;
        const left = deadline - Date.now();
        if (left <= 0) return null;
        await new Promise<void>((resolve) => {
          const t = setTimeout(resolve, left);
          wake = () => {
            clearTimeout(t);
            wake = null;
            resolve();
          };
        });
      }
    },
    async close() {
      socket.removeListener('close', onGone);
      socket.destroy();
    },
  };
}
