import { PasskeyDeskError } from '../../../shared/errors';
import type { CborMap } from './cbor';
import { asMap, decodeCbor, optMap, optUint, protocolError, reqBytes } from './cbor';
import { CTAP_CMD } from './ctap-client';
import type { CtapClient } from './ctap-client';
import { CTAP2_STATUS, CtapStatusError, mapCtapStatus } from './ctap-status';
import { pinHashLeft16, pinProtocol } from './pin-protocol';
import type { PinProtocol } from './pin-protocol';

/** CTAP 2.1 §6.5.5 authenticatorClientPIN subcommands and map keys. */
const SUB = {
  GET_PIN_RETRIES: 0x01,
  GET_KEY_AGREEMENT: 0x02,
  GET_PIN_TOKEN: 0x05,
  GET_TOKEN_WITH_PERMISSIONS: 0x09,
} as const;
const REQ = {
  PROTOCOL: 0x01,
  SUBCOMMAND: 0x02,
  KEY_AGREEMENT: 0x03,
  PIN_HASH_ENC: 0x06,
  PERMISSIONS: 0x09,
} as const;
const RESP = { KEY_AGREEMENT: 0x01, TOKEN: 0x02, PIN_RETRIES: 0x03, POWER_CYCLE_STATE: 0x04 } as const;

/** §6.5.5.7 permission bits. */
export const PERMISSION = { MC: 0x01, GA: 0x02, CM: 0x04, BE: 0x08, LBW: 0x10, ACFG: 0x20 } as const;

export interface PinRetries {
  retries: number;
  /** §6.5.5.7.1 powerCycleState: true when the key wants to be unplugged before the next attempt. */
  powerCycleRequired: boolean;
}

/** A pinUvAuthToken and the protocol it belongs to. Wipe with `dispose()` when the operation ends. */
export interface PinUvAuthToken {
  protocol: PinProtocol;
  token: Uint8Array;
  dispose(): void;
}

export async function getPinRetries(client: CtapClient, version: 1 | 2): Promise<PinRetries> {
  const params: CborMap = new Map([
    [REQ.PROTOCOL, version],
    [REQ.SUBCOMMAND, SUB.GET_PIN_RETRIES],
  ]);
  const body = await client.send(CTAP_CMD.CLIENT_PIN, params, 'clientPIN getPINRetries');
  const what = 'getPINRetries reply';
  const map = asMap(decodeCbor(body, what), what);
  const retries = optUint(map, RESP.PIN_RETRIES, what);
  if (retries === undefined) throw protocolError(`${what}: pinRetries is missing`);
  return { retries, powerCycleRequired: map.get(RESP.POWER_CYCLE_STATE) === true };
}

/**
 * Gets a pinUvAuthToken with the `cm` permission (§6.5.5.7.2, subCommand 0x09), or with legacy getPinToken
 * (§6.5.5.7.3 / CTAP 2.0, subCommand 0x05) on keys that do not announce `pinUvAuthToken`. Wrong-PIN errors come
 * back with the retries left, asked from the key right after the failure.
 */
export async function getPinUvAuthToken(
  client: CtapClient,
  pin: string,
  opts: { version: 1 | 2; withPermissions: boolean; permissions: number },
): Promise<PinUvAuthToken> {
  const protocol = pinProtocol(opts.version);
  const kaParams: CborMap = new Map([
    [REQ.PROTOCOL, opts.version],
    [REQ.SUBCOMMAND, SUB.GET_KEY_AGREEMENT],
  ]);
  const kaBody = await withPinErrors(client, opts.version, () =>
    client.send(CTAP_CMD.CLIENT_PIN, kaParams, 'clientPIN getKeyAgreement'),
  );
  const kaWhat = 'getKeyAgreement reply';
  const peer = optMap(asMap(decodeCbor(kaBody, kaWhat), kaWhat), RESP.KEY_AGREEMENT, kaWhat);
  if (!peer) throw protocolError(`${kaWhat}: keyAgreement is missing`);
  const { keyAgreement, sharedSecret } = protocol.encapsulate(peer);
  const pinHash = pinHashLeft16(pin);
  try {
    const params: CborMap = new Map<number, number | Uint8Array | CborMap>([
      [REQ.PROTOCOL, opts.version],
      [REQ.SUBCOMMAND, opts.withPermissions ? SUB.GET_TOKEN_WITH_PERMISSIONS : SUB.GET_PIN_TOKEN],
      [REQ.KEY_AGREEMENT, keyAgreement],
      [REQ.PIN_HASH_ENC, protocol.encrypt(sharedSecret, pinHash)],
    ]);
    if (opts.withPermissions) params.set(REQ.PERMISSIONS, opts.permissions);
    const label = opts.withPermissions
      ? 'clientPIN getPinUvAuthTokenUsingPinWithPermissions'
      : 'clientPIN getPinToken';
    const body = await withPinErrors(client, opts.version, () =>
      client.send(CTAP_CMD.CLIENT_PIN, params, label),
    );
    const what = 'getPinToken reply';
    const encrypted = reqBytes(asMap(decodeCbor(body, what), what), RESP.TOKEN, what);
    const token = protocol.decrypt(sharedSecret, encrypted);
    // §6.5.6/§6.5.7: protocol one tokens are 16 or 32 bytes, protocol two tokens exactly 32.
    if (!(token.length === 32 || (opts.version === 1 && token.length === 16))) {
      token.fill(0);
      throw protocolError(`${what}: token of ${token.length} bytes for protocol ${opts.version}`);
    }
    return { protocol, token, dispose: () => token.fill(0) };
  } finally {
    sharedSecret.fill(0);
    pinHash.fill(0);
  }
}

/** Runs a clientPIN call and maps its status; for a wrong PIN, asks the key how many tries remain. */
async function withPinErrors<T>(client: CtapClient, version: 1 | 2, run: () => Promise<T>): Promise<T> {
  try {
    return await run();
  } catch (e) {
    if (!(e instanceof CtapStatusError)) throw e;
    if (e.status === CTAP2_STATUS.PIN_INVALID) {
      const retries = await getPinRetries(client, version).then(
        (r) => r.retries,
        () => null,
      );
      if (retries === 0) throw mapCtapStatus(new CtapStatusError(CTAP2_STATUS.PIN_BLOCKED, e.command));
      throw mapCtapStatus(e, { retriesLeft: retries });
    }
    throw mapCtapStatus(e);
  }
}

export function ensurePin(pin: string | undefined, keyLabel: string): string {
  if (pin === undefined || pin.length === 0) {
    throw new PasskeyDeskError(
      'PIN_REQUIRED',
      `Enter the PIN of ${keyLabel} to see and change the passkeys on it.`,
    );
  }
  // §6.5.1: PINs are 4..63 bytes of UTF-8 (the key may demand a longer minimum).
  const bytes = Buffer.byteLength(pin.normalize('NFC'), 'utf8');
  if (bytes < 4 || bytes > 63) {
    // The message does not say how long the entered PIN was: errors can end up in the journal.
    throw new PasskeyDeskError(
      'PIN_INVALID',
      'A security-key PIN has 4 to 63 characters; the one entered does not. Check it and try again (no attempt was used).',
      {
        retriesLeft: null,
      },
    );
  }
  return pin;
}
