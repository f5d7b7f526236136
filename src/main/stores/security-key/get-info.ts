import { asMap, decodeCbor, optMap, optUint, protocolError, reqBytes } from './cbor';

/** The parts of authenticatorGetInfo (CTAP 2.1 §6.4) that a credential manager needs. */
export interface AuthenticatorInfo {
  versions: string[];
  extensions: string[];
  /** Lowercase 8-4-4-4-12. */
  aaguid: string;
  options: Record<string, boolean>;
  maxMsgSize: number | null;
  pinUvAuthProtocols: number[];
  firmwareVersion: number | null;
  /** 0x14 remainingDiscoverableCredentials (CTAP 2.1 only, optional). */
  remainingDiscoverableCredentials: number | null;
  minPinLength: number | null;
}

export function parseGetInfo(body: Uint8Array): AuthenticatorInfo {
  const what = 'authenticatorGetInfo';
  const map = asMap(decodeCbor(body, what), what);
  const versions = textArray(map.get(0x01), `${what} versions`);
  if (versions.length === 0) throw protocolError(`${what}: the key lists no CTAP versions`);
  const aaguidBytes = reqBytes(map, 0x03, what);
  if (aaguidBytes.length !== 16)
    throw protocolError(`${what}: AAGUID has ${aaguidBytes.length} bytes, expected 16`);
  const options: Record<string, boolean> = {};
  const rawOptions = optMap(map, 0x04, what);
  for (const [k, v] of rawOptions ?? []) {
    if (typeof k === 'string' && typeof v === 'boolean') options[k] = v;
  }
  const protocols = map.get(0x06) === undefined ? [] : uintArray(map.get(0x06), `${what} pinUvAuthProtocols`);
  return {
    versions,
    extensions: map.get(0x02) === undefined ? [] : textArray(map.get(0x02), `${what} extensions`),
    aaguid: formatAaguid(aaguidBytes),
    options,
    maxMsgSize: optUint(map, 0x05, what) ?? null,
    pinUvAuthProtocols: protocols,
    firmwareVersion: optUint(map, 0x0e, what) ?? null,
    remainingDiscoverableCredentials: optUint(map, 0x14, what) ?? null,
    minPinLength: optUint(map, 0x0d, what) ?? null,
  };
}

export function formatAaguid(bytes: Uint8Array): string {
  const h = Buffer.from(bytes).toString('hex');
  return `${h.slice(0, 8)}-${h.slice(8, 12)}-${h.slice(12, 16)}-${h.slice(16, 20)}-${h.slice(20, 32)}`;
}

function textArray(value: unknown, what: string): string[] {
  if (!Array.isArray(value) || !value.every((v): v is string => typeof v === 'string')) {
    throw protocolError(`${what}: expected an array of text`);
  }
  return value;
}

function uintArray(value: unknown, what: string): number[] {
  if (
    !Array.isArray(value) ||
    !value.every((v): v is number => typeof v === 'number' && Number.isInteger(v) && v >= 0)
  ) {
    throw protocolError(`${what}: expected an array of unsigned integers`);
  }
  return value;
}

/** What this key can do for Passkey Desk, derived once from getInfo (CTAP 2.1 §6.4 options, §6.8 preconditions). */
export interface KeyAbilities {
  /** 'ctap2.1' | 'ctap2.1-pre' | 'ctap2.0' | 'u2f' — the newest level the key claims. */
  level: 'ctap2.1' | 'ctap2.1-pre' | 'ctap2.0' | 'u2f';
  /** 0x0A (credMgmt) or 0x41 (credentialMgmtPreview), or null when the key cannot manage credentials. */
  credMgmtCommand: 0x0a | 0x41 | null;
  /** updateUserInformation exists only in CTAP 2.1 proper (§6.8.6), not in the 2.1-PRE prototype. */
  canUpdateUser: boolean;
  /** getPinUvAuthTokenUsingPinWithPermissions (0x09) when options.pinUvAuthToken, else legacy getPinToken (0x05). */
  tokenWithPermissions: boolean;
  /** true: PIN set; false: supported but not set; null: no clientPin at all. */
  pinSet: boolean | null;
  /** Preferred PIN/UV auth protocol: 2 when offered, else 1 (CTAP 2.0 keys that omit the list speak 1). */
  pinProtocol: 1 | 2;
}

export function abilitiesOf(info: AuthenticatorInfo): KeyAbilities {
  const v = new Set(info.versions);
  const level = v.has('FIDO_2_1')
    ? 'ctap2.1'
    : v.has('FIDO_2_1_PRE')
      ? 'ctap2.1-pre'
      : v.has('FIDO_2_0')
        ? 'ctap2.0'
        : 'u2f';
  const credMgmtCommand =
    info.options['credMgmt'] === true ? 0x0a : info.options['credentialMgmtPreview'] === true ? 0x41 : null;
  const pinSet = info.options['clientPin'] === undefined ? null : info.options['clientPin'];
  const protocols = info.pinUvAuthProtocols.length === 0 ? [1] : info.pinUvAuthProtocols;
  return {
    level,
    credMgmtCommand,
    canUpdateUser: credMgmtCommand === 0x0a,
    tokenWithPermissions: info.options['pinUvAuthToken'] === true,
    pinSet,
    pinProtocol: protocols.includes(2) ? 2 : 1,
  };
}
