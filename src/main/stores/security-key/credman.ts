import { createHash } from 'node:crypto';
import { PasskeyDeskError } from '../../../shared/errors';
import type { CborMap, CborValue } from './cbor';
import { encodeCanonical } from './cbor';
import type { PinUvAuthToken } from './client-pin';
import type { CtapClient } from './ctap-client';
import { CTAP2_STATUS, CtapStatusError, mapCtapStatus } from './ctap-status';
import { parseCredentialReply, parseMetadata, parseRpReply } from './credman-parse';
import type { CredentialEntry, CredsMetadata, RpEntry } from './credman-parse';

/** CTAP 2.1 §6.8 authenticatorCredentialManagement subcommands. */
const SUB = {
  GET_CREDS_METADATA: 0x01,
  ENUMERATE_RPS_BEGIN: 0x02,
  ENUMERATE_RPS_NEXT: 0x03,
  ENUMERATE_CREDENTIALS_BEGIN: 0x04,
  ENUMERATE_CREDENTIALS_NEXT: 0x05,
  DELETE_CREDENTIAL: 0x06,
  UPDATE_USER_INFORMATION: 0x07,
} as const;
const REQ = { SUBCOMMAND: 0x01, PARAMS: 0x02, PROTOCOL: 0x03, AUTH_PARAM: 0x04 } as const;
const PARAM = { RP_ID_HASH: 0x01, CREDENTIAL_ID: 0x02, USER: 0x03 } as const;

export interface RpWithCredentials {
  rp: RpEntry;
  credentials: CredentialEntry[];
}

export interface UserUpdate {
  /** user.id must stay the same (§6.8.6: the authenticator rejects a different id). */
  id: Uint8Array;
  name: string | null;
  displayName: string | null;
}

/** Credential management over an authenticated session (0x0A, or 0x41 for the 2.1-PRE prototype). */
export class CredentialManagement {
  constructor(
    private readonly client: CtapClient,
    private readonly command: 0x0a | 0x41,
    private readonly auth: PinUvAuthToken,
  ) {}

  /**
   * §6.8.2: pinUvAuthParam = authenticate(token, subCommand ‖ CBOR(subCommandParams)). The preview command signs
   * the same message (libfido2 credman_prepare_hmac does not distinguish them).
   */
  private async call(
    sub: number,
    params: CborMap | null,
    label: string,
    authenticated = true,
  ): Promise<Uint8Array> {
    const request: CborMap = new Map<number, CborValue>([[REQ.SUBCOMMAND, sub]]);
    if (params) request.set(REQ.PARAMS, params);
    if (authenticated) {
      const encoded = params ? encodeCanonical(params) : new Uint8Array(0);
      const message = new Uint8Array(1 + encoded.length);
      message[0] = sub;
      message.set(encoded, 1);
      request.set(REQ.PROTOCOL, this.auth.protocol.version);
      request.set(REQ.AUTH_PARAM, this.auth.protocol.authenticate(this.auth.token, message));
    }
    return this.client.send(this.command, request, `credentialManagement ${label}`);
  }

  async metadata(): Promise<CredsMetadata> {
    return parseMetadata(
      await this.mapped(() => this.call(SUB.GET_CREDS_METADATA, null, 'getCredsMetadata')),
    );
  }

  /**
   * Enumerates all RPs and their credentials. §6.8.3/§6.8.4: the GetNext calls must follow their Begin with no
   * other command between, so RPs are read first, then each RP's credentials.
   */
  async enumerateAll(onProgress?: (done: number, total: number) => void): Promise<RpWithCredentials[]> {
    const rps = await this.enumerateRps();
    const out: RpWithCredentials[] = [];
    for (const [i, rp] of rps.entries()) {
      out.push({ rp, credentials: await this.enumerateCredentials(rp.rpIdHash) });
      onProgress?.(i + 1, rps.length);
    }
    return out;
  }

  async enumerateRps(): Promise<RpEntry[]> {
    let first: Uint8Array;
    try {
      first = await this.call(SUB.ENUMERATE_RPS_BEGIN, null, 'enumerateRPsBegin');
    } catch (e) {
      // §6.8.3: CTAP2_ERR_NO_CREDENTIALS means the key holds no discoverable credentials.
      if (e instanceof CtapStatusError && e.status === CTAP2_STATUS.NO_CREDENTIALS) return [];
      throw e instanceof CtapStatusError ? mapCtapStatus(e) : e;
    }
    const head = parseRpReply(first, true);
    const total = head.total ?? 1;
    const rps = [head.rp];
    for (let i = 1; i < total; i++) {
      rps.push(
        parseRpReply(
          await this.mapped(() => this.call(SUB.ENUMERATE_RPS_NEXT, null, 'enumerateRPsGetNextRP', false)),
          false,
        ).rp,
      );
    }
    return rps;
  }

  async enumerateCredentials(rpIdHash: Uint8Array): Promise<CredentialEntry[]> {
    let first: Uint8Array;
    try {
      first = await this.call(
        SUB.ENUMERATE_CREDENTIALS_BEGIN,
        new Map([[PARAM.RP_ID_HASH, rpIdHash]]),
        'enumerateCredentialsBegin',
      );
    } catch (e) {
      if (e instanceof CtapStatusError && e.status === CTAP2_STATUS.NO_CREDENTIALS) return [];
      throw e instanceof CtapStatusError ? mapCtapStatus(e) : e;
    }
    const head = parseCredentialReply(first, true);
    const total = head.total ?? 1;
    const creds = [head.credential];
    for (let i = 1; i < total; i++) {
      const next = await this.mapped(() =>
        this.call(SUB.ENUMERATE_CREDENTIALS_NEXT, null, 'enumerateCredentialsGetNextCredential', false),
      );
      creds.push(parseCredentialReply(next, false).credential);
    }
    return creds;
  }

  /** §6.8.5. `descriptor` is sent exactly as enumeration returned it (see the Chromium note in the reference). */
  async deleteCredential(descriptor: CborMap): Promise<void> {
    await this.mapped(() =>
      this.call(SUB.DELETE_CREDENTIAL, new Map([[PARAM.CREDENTIAL_ID, descriptor]]), 'deleteCredential'),
    );
  }

  /** §6.8.6 updateUserInformation: replaces name and displayName; absent fields are removed by the key. */
  async updateUser(descriptor: CborMap, user: UserUpdate): Promise<void> {
    const entity: CborMap = new Map<string, CborValue>([['id', user.id]]);
    if (user.name !== null) entity.set('name', user.name);
    if (user.displayName !== null) entity.set('displayName', user.displayName);
    const params: CborMap = new Map<number, CborValue>([
      [PARAM.CREDENTIAL_ID, descriptor],
      [PARAM.USER, entity],
    ]);
    await this.mapped(() => this.call(SUB.UPDATE_USER_INFORMATION, params, 'updateUserInformation'));
  }

  private async mapped(run: () => Promise<Uint8Array>): Promise<Uint8Array> {
    try {
      return await run();
    } catch (e) {
      if (e instanceof CtapStatusError) throw mapCtapStatus(e);
      throw e;
    }
  }
}

export function rpIdHash(rpId: string): Uint8Array {
  return new Uint8Array(createHash('sha256').update(rpId, 'utf8').digest());
}

export function unsupported(what: string, why: string): PasskeyDeskError {
  return new PasskeyDeskError('UNSUPPORTED', `${what}: ${why}`);
}
