import { createHash } from 'node:crypto';
import { PasskeyDeskError } from '../../../shared/errors';
import type { OperationContext, StoreProvider } from '../store';
import type { CtapHidOptions } from './ctaphid';
import type { HidBackend, HidDeviceInfo } from './hid';
import type { SecurityKeyFacts } from './key-facts';
import { SecurityKeyStore } from './key-store';
import { createNodeHidBackend } from './node-hid-backend';
import { createSocketHidBackend } from './socket-backend';

/** Comma-separated 127.0.0.1:PORT addresses of simulated keys (see socket-backend.ts and docs/security-keys.md). */
export const FAKE_SECURITY_KEY_ENV = 'PASSKEY_DESK_FAKE_SECURITY_KEY';

export interface SecurityKeyProviderOptions {
  /** The HID seam. Default: PASSKEY_DESK_FAKE_SECURITY_KEY when set, else node-hid. */
  hid?: HidBackend;
  env?: Record<string, string | undefined>;
  /** CTAPHID timeouts (tests shorten them). */
  hidOptions?: CtapHidOptions;
}

export interface SecurityKeyProvider extends StoreProvider {
  stores(): Promise<SecurityKeyStore[]>;
  /** One entry per connected key, for "keys list". Throws STORE_UNAVAILABLE when HID itself is unusable. */
  listKeys(ctx?: OperationContext): Promise<SecurityKeyFacts[]>;
  /** Finds a key by id, by a unique prefix of its id, or the only key when `id` is omitted. */
  store(id?: string): Promise<SecurityKeyStore>;
}

export function createSecurityKeyProvider(options: SecurityKeyProviderOptions = {}): SecurityKeyProvider {
  const env = options.env ?? process.env;
  const fake = env[FAKE_SECURITY_KEY_ENV];
  const backend =
    options.hid ??
    (fake
      ? createSocketHidBackend(
          fake
            .split(',')
            .map((s) => s.trim())
            .filter(Boolean),
        )
      : createNodeHidBackend());
  const cache = new Map<string, SecurityKeyStore>();

  const enumerateStores = async (): Promise<SecurityKeyStore[]> => {
    const devices = await backend.enumerate();
    const seen = new Set<string>();
    const out: SecurityKeyStore[] = [];
    for (const device of devices) {
      let id = stableId(device);
      // Two identical keys without serial numbers on the same path cannot happen; on a collision keep both apart.
      for (let n = 2; seen.has(id); n++) id = `${stableId(device)}-${n}`;
      seen.add(id);
      let store = cache.get(id);
      if (!store) {
        store = new SecurityKeyStore({ backend, device, id, hid: options.hidOptions });
        cache.set(id, store);
      }
      out.push(store);
    }
    return out;
  };

  return {
    async stores() {
      // StoreProvider.stores() must not throw for a machine without USB support: an empty list is the honest
      // answer there, and listKeys() gives the reason.
      try {
        return await enumerateStores();
      } catch {
        return [];
      }
    },
    async listKeys(ctx) {
      const stores = await enumerateStores();
      const out: SecurityKeyFacts[] = [];
      for (const s of stores) out.push(await s.describe(ctx));
      return out;
    },
    async store(id) {
      const stores = await enumerateStores();
      if (stores.length === 0)
        throw new PasskeyDeskError(
          'NOT_FOUND',
          'No FIDO security key is plugged in. Plug one in and try again.',
        );
      if (id === undefined) {
        if (stores.length === 1) return stores[0]!;
        throw new PasskeyDeskError(
          'INVALID_INPUT',
          `${stores.length} security keys are plugged in; choose one with --key (ids: ${stores.map((s) => s.id).join(', ')}).`,
        );
      }
      const exact = stores.find((s) => s.id === id || s.id === `security-key:${id}`);
      if (exact) return exact;
      const prefixed = stores.filter((s) => s.id.startsWith(id) || s.id.startsWith(`security-key:${id}`));
      if (prefixed.length === 1) return prefixed[0]!;
      throw new PasskeyDeskError(
        'NOT_FOUND',
        `No plugged-in security key has the id "${id}" (plugged in: ${stores.map((s) => s.id).join(', ')}).`,
      );
    },
  };
}

/**
 * `security-key:<12 hex>`: a hash of vendor, product and serial number when the key reports a serial (stable
 * across ports and restarts), else of the device path (stable while it stays in the same port). FIDO keys often
 * hide their serial over HID for privacy, so the path fallback is common; the AAGUID is per model, not per key.
 */
export function stableId(device: HidDeviceInfo): string {
  const basis = device.serialNumber
    ? `serial:${device.vendorId}:${device.productId}:${device.serialNumber}`
    : `path:${device.vendorId}:${device.productId}:${device.path}`;
  return `security-key:${createHash('sha256').update(basis).digest('hex').slice(0, 12)}`;
}
