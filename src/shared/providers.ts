import table from './data/aaguids.json';

/**
 * AAGUID → provider name and icon, from the bundled table in src/shared/data/aaguids.json (refreshed by
 * scripts/refresh-aaguids.mjs, never fetched at run time). Pure: the renderer shows names and icons with it too.
 */

export interface ProviderInfo {
  name: string;
  /** Image data URLs (`data:image/svg+xml;base64,…`) or null; safe for `<img src>`, never a remote URL. */
  iconLight: string | null;
  iconDark: string | null;
}

interface TableEntry {
  name: string;
  iconLight?: string;
  iconDark?: string;
}

let index: Map<string, TableEntry> | null = null;

/** Built on first use, so importing this module costs nothing until a name is needed. */
function lookupTable(): Map<string, TableEntry> {
  if (!index) {
    const entries: Record<string, TableEntry> = table.entries;
    index = new Map(Object.entries(entries));
  }
  return index;
}

const HEX32 = /^[0-9a-f]{32}$/;
const NIL = '00000000-0000-0000-0000-000000000000';

/** Lowercase hyphenated form; accepts 32 bare hex digits (as some APIs print it). Null for anything else. */
export function normaliseAaguid(aaguid: string | null | undefined): string | null {
  if (!aaguid) return null;
  let a = aaguid.trim().toLowerCase();
  if (HEX32.test(a))
    a = `${a.slice(0, 8)}-${a.slice(8, 12)}-${a.slice(12, 16)}-${a.slice(16, 20)}-${a.slice(20)}`;
  return /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/.test(a) ? a : null;
}

export function providerInfo(aaguid: string | null | undefined): ProviderInfo | null {
  const key = normaliseAaguid(aaguid);
  // The all-zero AAGUID means "not disclosed" (attestation "none" on many platforms): it names nobody.
  if (key === null || key === NIL) return null;
  const entry = lookupTable().get(key);
  return entry
    ? { name: entry.name, iconLight: entry.iconLight ?? null, iconDark: entry.iconDark ?? null }
    : null;
}

export function providerName(aaguid: string | null | undefined): string | null {
  return providerInfo(aaguid)?.name ?? null;
}

export function providerIcon(
  aaguid: string | null | undefined,
  theme: 'light' | 'dark' = 'light',
): string | null {
  const info = providerInfo(aaguid);
  if (!info) return null;
  return theme === 'dark' ? (info.iconDark ?? info.iconLight) : (info.iconLight ?? info.iconDark);
}

/** Fills `providerName` from the AAGUID when a store did not name the provider itself. */
export function withProviderName<T extends { aaguid: string | null; providerName: string | null }>(
  passkey: T,
): T {
  if (passkey.providerName !== null) return passkey;
  const name = providerName(passkey.aaguid);
  return name === null ? passkey : { ...passkey, providerName: name };
}
