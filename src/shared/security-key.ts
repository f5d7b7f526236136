/** The facts shown about one plugged-in FIDO2 security key (shared by main, the CLI and the renderer). */
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
  ctapLevel: 'ctap2.1' | 'ctap2.1-pre' | 'ctap2.0' | 'u2f';
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
