/**
 * The seam between Passkey Desk and USB HID. Production uses node-hid; tests and the simulated key use other
 * backends that speak the same 64-byte reports, so the CTAPHID framing and the CTAP client above this interface
 * run unchanged everywhere.
 */

/** CTAP 2.1 §11.2.8.1: FIDO authenticators announce HID usage page 0xF1D0, usage 0x01. */
export const FIDO_USAGE_PAGE = 0xf1d0;
export const FIDO_USAGE = 0x01;
/** CTAP 2.1 §11.2.4: full-speed USB FIDO devices use 64-byte reports. */
export const HID_REPORT_SIZE = 64;

export interface HidDeviceInfo {
  /** Opaque path the backend opens (hidraw node, IOKit path, Windows device path, simulator address). */
  path: string;
  vendorId: number;
  productId: number;
  manufacturer: string | null;
  product: string | null;
  serialNumber: string | null;
}

export interface HidConnection {
  /** Writes one report of exactly HID_REPORT_SIZE bytes (no report-ID prefix; backends add it if they need it). */
  write(report: Uint8Array): Promise<void>;
  /**
   * Reads one report, or returns null when nothing arrived within `timeoutMs`.
   * Throws PasskeyDeskError('DEVICE_REMOVED') when the device went away.
   */
  read(timeoutMs: number): Promise<Uint8Array | null>;
  close(): Promise<void>;
}

export interface HidBackend {
  /** Lists FIDO devices only (usage page 0xF1D0). Throws PasskeyDeskError (STORE_UNAVAILABLE, NEEDS_ADMIN). */
  enumerate(): Promise<HidDeviceInfo[]>;
  open(path: string): Promise<HidConnection>;
}
