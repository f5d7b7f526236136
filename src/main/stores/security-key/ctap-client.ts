import { PasskeyDeskError } from '../../../shared/errors';
import type { CborMap } from './cbor';
import { encodeCanonical } from './cbor';
import { CTAP2_STATUS, CtapStatusError } from './ctap-status';
import type { CtapHidChannel, TransactOptions } from './ctaphid';
import { CTAPHID } from './ctaphid-frames';
import { abilitiesOf, parseGetInfo } from './get-info';
import type { AuthenticatorInfo, KeyAbilities } from './get-info';

/** CTAP 2.1 §6 command bytes. */
export const CTAP_CMD = {
  MAKE_CREDENTIAL: 0x01,
  GET_INFO: 0x04,
  CLIENT_PIN: 0x06,
  CREDENTIAL_MANAGEMENT: 0x0a,
  CREDENTIAL_MANAGEMENT_PRE: 0x41,
} as const;

/**
 * The CTAP2 layer over one CTAPHID channel: `command byte ‖ canonical CBOR` out, `status ‖ CBOR` back
 * (CTAP 2.1 §8.1). A non-zero status becomes a CtapStatusError for the caller to map.
 */
export class CtapClient {
  private cachedInfo: AuthenticatorInfo | null = null;

  constructor(
    private readonly channel: CtapHidChannel,
    private readonly transactOptions: TransactOptions = {},
  ) {
    if (!channel.supportsCbor) {
      throw new PasskeyDeskError(
        'UNSUPPORTED',
        'This security key only speaks U2F (CTAP 1): it keeps no passkeys of its own that could be listed. Nothing to manage here.',
      );
    }
  }

  /** Sends one CTAP2 command; returns the CBOR body (possibly empty). */
  async send(command: number, params: CborMap | null, label: string): Promise<Uint8Array> {
    const body = params ? encodeCanonical(params) : new Uint8Array(0);
    const request = new Uint8Array(1 + body.length);
    request[0] = command;
    request.set(body, 1);
    const reply = await this.channel.transact(CTAPHID.CBOR, request, this.transactOptions);
    if (reply.length === 0) {
      throw new PasskeyDeskError(
        'INTERNAL',
        `${label}: the security key sent an empty reply (expected a status byte). Unplug it and try again.`,
      );
    }
    const status = reply[0]!;
    if (status !== CTAP2_STATUS.OK) throw new CtapStatusError(status, label);
    return reply.subarray(1);
  }

  async getInfo(): Promise<AuthenticatorInfo> {
    if (!this.cachedInfo)
      this.cachedInfo = parseGetInfo(await this.send(CTAP_CMD.GET_INFO, null, 'authenticatorGetInfo'));
    return this.cachedInfo;
  }

  async abilities(): Promise<KeyAbilities> {
    return abilitiesOf(await this.getInfo());
  }
}
