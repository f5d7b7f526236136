import { PasskeyDeskError, isPasskeyDeskError } from '../../../shared/errors';
import { FIDO_USAGE, FIDO_USAGE_PAGE, HID_REPORT_SIZE } from './hid';
import type { HidBackend, HidConnection, HidDeviceInfo } from './hid';

// Type-only: erased at compile time, so node-hid is still loaded lazily by load() below.
import type * as NodeHidModule from 'node-hid';

type NodeHid = typeof NodeHidModule;
type HidAsync = Awaited<ReturnType<NodeHid['HIDAsync']['open']>>;

export interface NodeHidBackendOptions {
  /** Seams for tests: the platform and the module loader. */
  platform?: NodeJS.Platform;
  load?: () => Promise<NodeHid>;
}

/** Windows since 10 1903 blocks raw HID access to usage page 0xF1D0 for processes that are not elevated. */
export const WINDOWS_ADMIN_STEPS = [
  'Windows lets only programs running as administrator talk to security keys directly.',
  'Either close Passkey Desk and start it again with right-click → "Run as administrator" (for the CLI: an administrator terminal),',
  'or manage the key in Windows itself: Settings → Accounts → Sign-in options → Security key → Manage.',
];

/**
 * node-hid (hidapi, prebuilt N-API) behind the HidBackend seam. The module is loaded on first use, never at
 * import, so a machine without libusb/hidraw still starts and gets a clear STORE_UNAVAILABLE instead.
 */
export function createNodeHidBackend(options: NodeHidBackendOptions = {}): HidBackend {
  const platform = options.platform ?? process.platform;
  const load = options.load ?? (() => import('node-hid'));
  let loaded: Promise<NodeHid> | null = null;
  const hid = (): Promise<NodeHid> => {
    loaded ??= load().catch((e: unknown) => {
      loaded = null;
      throw new PasskeyDeskError(
        'STORE_UNAVAILABLE',
        `USB security keys cannot be used: the HID library did not load (${e instanceof Error ? e.message : String(e)}). ` +
          (platform === 'linux'
            ? 'Install libusb-1.0 (Debian/Ubuntu: apt install libusb-1.0-0) and restart Passkey Desk.'
            : 'Reinstall Passkey Desk.'),
      );
    });
    return loaded;
  };

  return {
    async enumerate() {
      const lib = await hid();
      let devices;
      try {
        devices = await lib.devicesAsync();
      } catch (e) {
        throw new PasskeyDeskError(
          'STORE_UNAVAILABLE',
          `Listing USB devices failed: ${e instanceof Error ? e.message : String(e)}.`,
        );
      }
      const out: HidDeviceInfo[] = [];
      for (const d of devices) {
        if (d.usagePage !== FIDO_USAGE_PAGE || d.usage !== FIDO_USAGE || !d.path) continue;
        out.push({
          path: d.path,
          vendorId: d.vendorId,
          productId: d.productId,
          manufacturer: d.manufacturer ?? null,
          product: d.product ?? null,
          serialNumber: d.serialNumber ? d.serialNumber : null,
        });
      }
      return out;
    },
    async open(path) {
      const lib = await hid();
      let device: HidAsync;
      try {
        device = await lib.HIDAsync.open(path);
      } catch (e) {
        throw openError(e, platform);
      }
      return wrap(device);
    },
  };
}

function openError(e: unknown, platform: NodeJS.Platform): PasskeyDeskError {
  if (isPasskeyDeskError(e)) return e;
  const raw = e instanceof Error ? e.message : String(e);
  if (platform === 'win32') {
    return new PasskeyDeskError('NEEDS_ADMIN', WINDOWS_ADMIN_STEPS.join(' '), {
      cause: raw,
      steps: WINDOWS_ADMIN_STEPS,
    });
  }
  if (platform === 'linux') {
    return new PasskeyDeskError(
      'STORE_UNAVAILABLE',
      `The security key is there but could not be opened (${raw}). On Linux your user needs access to /dev/hidraw*: install your distribution's udev rules for FIDO keys (Debian/Ubuntu: package libfido2-1 ships them), then unplug and replug the key.`,
      { cause: raw },
    );
  }
  return new PasskeyDeskError(
    'DEVICE_REMOVED',
    `The security key could not be opened (${raw}). It may have been unplugged; plug it in and try again.`,
    { cause: raw },
  );
}

function removed(e: unknown): PasskeyDeskError {
  return new PasskeyDeskError(
    'DEVICE_REMOVED',
    'The security key was unplugged (or stopped answering) in the middle of an operation. Plug it back in and try again; nothing was half-changed on it.',
    {
      cause: e instanceof Error ? e.message : String(e),
    },
  );
}

function wrap(device: HidAsync): HidConnection {
  let closed = false;
  return {
    async write(report) {
      if (report.length !== HID_REPORT_SIZE)
        throw new PasskeyDeskError(
          'INTERNAL',
          `HID report of ${report.length} bytes, expected ${HID_REPORT_SIZE}.`,
        );
      // hidapi: the first byte is the report ID; FIDO devices use unnumbered reports, so it is 0.
      const out = Buffer.alloc(HID_REPORT_SIZE + 1);
      out.set(report, 1);
      try {
        await device.write(out);
      } catch (e) {
        throw removed(e);
      }
    },
    async read(timeoutMs) {
      let data: Buffer | undefined;
      try {
        data = await device.read(Math.max(1, Math.floor(timeoutMs)));
      } catch (e) {
        throw removed(e);
      }
      if (!data || data.length === 0) return null;
      return new Uint8Array(data);
    },
    async close() {
      if (closed) return;
      closed = true;
      await device.close().catch(() => undefined);
    },
  };
}
