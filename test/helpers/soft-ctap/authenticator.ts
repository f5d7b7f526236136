import { createHash, randomBytes } from 'node:crypto';
import { Decoder } from 'cbor-x';
import { uuidToBytes } from '../../../src/shared/base64url';
import type { CborMap, CborValue } from '../../../src/main/stores/security-key/cbor';
import { encodeCanonical } from '../../../src/main/stores/security-key/cbor';
import { AuthenticatorPinProtocol } from './auth-pin';
import { handleCredentialManagement } from './credman-handler';
import { handleMakeCredential } from './make-credential';
import type { SoftKeyState } from './state';

/** CTAP 2.1 §8.2 status codes the model returns (the real values, so both clients map real codes). */
export const ST = {
  OK: 0x00,
  INVALID_COMMAND: 0x01,
  INVALID_PARAMETER: 0x02,
  INVALID_CBOR: 0x12,
  MISSING_PARAMETER: 0x14,
  UNSUPPORTED_ALGORITHM: 0x26,
  KEY_STORE_FULL: 0x28,
  KEEPALIVE_CANCEL: 0x2d,
  NO_CREDENTIALS: 0x2e,
  NOT_ALLOWED: 0x30,
  PIN_INVALID: 0x31,
  PIN_BLOCKED: 0x32,
  PIN_AUTH_INVALID: 0x33,
  PIN_AUTH_BLOCKED: 0x34,
  PIN_NOT_SET: 0x35,
  PUAT_REQUIRED: 0x36,
  INVALID_SUBCOMMAND: 0x3e,
  UNAUTHORIZED_PERMISSION: 0x40,
} as const;

export class CtapFail extends Error {
  constructor(readonly status: number) {
    super(`CTAP status 0x${status.toString(16)}`);
  }
}

export interface PinToken {
  token: Buffer;
  protocol: AuthenticatorPinProtocol;
  permissions: number;
}

const MAX_RETRIES = 8;
const decoder = new Decoder({ useRecords: false, mapsAsObjects: false });

/**
 * A software CTAP 2.1 authenticator: authenticatorGetInfo, clientPIN (protocols one and two, permissions,
 * legacy getPinToken), credential management (0x0A, or 0x41 in 2.1-PRE mode) and a minimal makeCredential.
 * Modes '2.1-pre' and '2.0' advertise and enforce what those keys offer.
 */
export class SoftAuthenticator {
  readonly protocols: Map<number, AuthenticatorPinProtocol>;
  token: PinToken | null = null;
  private consecutiveMismatches = 0;
  /** Enumeration state for the GetNext subcommands (§6.8.3/§6.8.4): cleared by any other command. */
  pendingNext: { kind: 'rps' | 'creds'; items: CborMap[] } | null = null;
  /** Fault-injection hook: called with the command byte and the subcommand (if any) before processing. */
  onCommand: ((cmd: number, sub: number | null) => void) | null = null;

  constructor(readonly state: SoftKeyState) {
    const versions = state.mode === '2.1' ? [2, 1] : [1];
    this.protocols = new Map(versions.map((v) => [v, new AuthenticatorPinProtocol(v as 1 | 2)]));
  }

  /** What a power cycle (unplug/replug) resets: mismatch counter, keys, tokens. */
  powerCycle(): void {
    this.consecutiveMismatches = 0;
    this.token = null;
    this.pendingNext = null;
    for (const p of this.protocols.values()) p.regenerate();
  }

  /** Whether this command will wait for a touch (the HID endpoint sends UPNEEDED keepalives meanwhile). */
  needsTouch(request: Uint8Array): boolean {
    return request[0] !== undefined && this.state.touchFor.includes(request[0]);
  }

  /** One CTAP2 request (command byte ‖ CBOR) → reply (status ‖ CBOR). Never throws. */
  handle(request: Uint8Array): Uint8Array {
    try {
      const cmd = request[0];
      if (cmd === undefined) throw new CtapFail(ST.INVALID_COMMAND);
      const params = this.decodeParams(request.subarray(1));
      const sub = params?.get(cmd === 0x06 ? 2 : 1);
      this.onCommand?.(cmd, typeof sub === 'number' ? sub : null);
      const isNext = (cmd === 0x0a || cmd === 0x41) && (sub === 0x03 || sub === 0x05);
      if (!isNext) this.pendingNext = null;
      const reply = this.dispatch(cmd, params ?? new Map());
      const body = reply ? encodeCanonical(reply) : new Uint8Array(0);
      return Uint8Array.from([ST.OK, ...body]);
    } catch (e) {
      if (e instanceof CtapFail) return Uint8Array.of(e.status);
      throw e;
    }
  }

  private decodeParams(body: Uint8Array): Map<unknown, unknown> | null {
    if (body.length === 0) return null;
    let value: unknown;
    try {
      value = decoder.decode(body);
    } catch {
      throw new CtapFail(ST.INVALID_CBOR);
    }
    if (!(value instanceof Map)) throw new CtapFail(ST.INVALID_CBOR);
    // Real keys reject non-canonical requests (CTAP 2.1 §8: "MUST be CTAP2 canonical"): re-encode and compare.
    const again = encodeCanonical(toCbor(value));
    if (Buffer.compare(Buffer.from(again), Buffer.from(body)) !== 0) throw new CtapFail(ST.INVALID_CBOR);
    return value;
  }

  private dispatch(cmd: number, p: Map<unknown, unknown>): CborMap | null {
    switch (cmd) {
      case 0x04:
        return this.getInfo();
      case 0x06:
        return this.clientPin(p);
      case 0x01:
        return handleMakeCredential(this, p);
      case 0x0a:
        if (this.state.mode !== '2.1') throw new CtapFail(ST.INVALID_COMMAND);
        return handleCredentialManagement(this, p, cmd);
      case 0x41:
        if (this.state.mode !== '2.1-pre') throw new CtapFail(ST.INVALID_COMMAND);
        return handleCredentialManagement(this, p, cmd);
      default:
        throw new CtapFail(ST.INVALID_COMMAND);
    }
  }

  getInfo(): CborMap {
    const s = this.state;
    const versions =
      s.mode === '2.1'
        ? ['U2F_V2', 'FIDO_2_0', 'FIDO_2_1_PRE', 'FIDO_2_1']
        : s.mode === '2.1-pre'
          ? ['U2F_V2', 'FIDO_2_0', 'FIDO_2_1_PRE']
          : ['U2F_V2', 'FIDO_2_0'];
    const options: CborMap = new Map<string, boolean>([
      ['rk', true],
      ['up', true],
      ['plat', false],
      ['clientPin', s.pin !== null],
    ]);
    if (s.mode === '2.1') {
      options.set('credMgmt', true);
      options.set('pinUvAuthToken', true);
      options.set('makeCredUvNotRqd', true);
    }
    if (s.mode === '2.1-pre') options.set('credentialMgmtPreview', true);
    const info: CborMap = new Map<number, CborValue>([
      [0x01, versions],
      [0x02, ['credProtect', 'hmac-secret']],
      [0x03, uuidToBytes(s.aaguid)],
      [0x04, options],
      [0x05, 1200],
      [0x06, [...this.protocols.keys()]],
    ]);
    if (s.mode === '2.1') {
      info.set(0x0e, 0x050700);
      info.set(0x14, Math.max(0, s.maxSlots - s.credentials.length));
    }
    return info;
  }

  private clientPin(p: Map<unknown, unknown>): CborMap | null {
    const protocol = this.protocols.get(Number(p.get(1)));
    const sub = p.get(2);
    if (typeof sub !== 'number') throw new CtapFail(ST.MISSING_PARAMETER);
    if (!protocol) throw new CtapFail(ST.INVALID_PARAMETER);
    switch (sub) {
      case 0x01: {
        const r: CborMap = new Map<number, CborValue>([[3, this.state.pinRetries]]);
        if (this.state.mode === '2.1') r.set(4, this.consecutiveMismatches >= 3);
        return r;
      }
      case 0x02:
        return new Map([[1, protocol.publicCoseKey()]]);
      case 0x05:
        return this.pinToken(protocol, p, null);
      case 0x09: {
        if (this.state.mode !== '2.1') throw new CtapFail(ST.INVALID_SUBCOMMAND);
        const perms = p.get(9);
        if (typeof perms !== 'number') throw new CtapFail(ST.MISSING_PARAMETER);
        if (perms === 0) throw new CtapFail(ST.INVALID_PARAMETER);
        return this.pinToken(protocol, p, perms);
      }
      default:
        throw new CtapFail(ST.INVALID_SUBCOMMAND);
    }
  }

  /** §6.5.5.7.2 (with permissions) and §6.5.5.7.3 (legacy getPinToken). */
  private pinToken(
    protocol: AuthenticatorPinProtocol,
    p: Map<unknown, unknown>,
    permissions: number | null,
  ): CborMap {
    const s = this.state;
    if (!p.has(3) || !p.has(6)) throw new CtapFail(ST.MISSING_PARAMETER);
    if (s.pin === null) throw new CtapFail(ST.PIN_NOT_SET);
    if (s.pinRetries === 0) throw new CtapFail(ST.PIN_BLOCKED);
    if (this.consecutiveMismatches >= 3) throw new CtapFail(ST.PIN_AUTH_BLOCKED);
    const secret = protocol.decapsulate(p.get(3));
    if (!secret) throw new CtapFail(ST.INVALID_PARAMETER);
    s.pinRetries--; // §6.5.5.7.2 step: decrement before the comparison, restore on success
    const hashEnc = p.get(6);
    const got = hashEnc instanceof Uint8Array ? protocol.decrypt(secret, hashEnc) : null;
    const want = createHash('sha256').update(s.pin, 'utf8').digest().subarray(0, 16);
    if (!got || Buffer.compare(got, want) !== 0) {
      protocol.regenerate();
      this.consecutiveMismatches++;
      if (s.pinRetries === 0) throw new CtapFail(ST.PIN_BLOCKED);
      if (this.consecutiveMismatches >= 3) throw new CtapFail(ST.PIN_AUTH_BLOCKED);
      throw new CtapFail(ST.PIN_INVALID);
    }
    s.pinRetries = MAX_RETRIES;
    this.consecutiveMismatches = 0;
    // Legacy getPinToken: in 2.1 it grants mc and ga only (§6.5.5.7.3); older keys had no permissions at all.
    const granted = permissions ?? (s.mode === '2.1' ? 0x03 : 0xff);
    const token = randomBytes(32);
    this.token = { token, protocol, permissions: granted };
    return new Map([[2, protocol.encrypt(secret, token)]]);
  }

  /** Checks pinUvAuthParam over `message` with the current token (§6.5.5.8 verify) and the permission bit. */
  requireToken(
    p: Map<unknown, unknown>,
    protocolKey: number,
    paramKey: number,
    message: Uint8Array,
    permission: number,
  ): void {
    const param = p.get(paramKey);
    if (param === undefined) throw new CtapFail(ST.PUAT_REQUIRED);
    const t = this.token;
    if (!t || Number(p.get(protocolKey)) !== t.protocol.version) throw new CtapFail(ST.PIN_AUTH_INVALID);
    if (!t.protocol.verify(t.token, message, param)) throw new CtapFail(ST.PIN_AUTH_INVALID);
    if ((t.permissions & permission) === 0) throw new CtapFail(ST.UNAUTHORIZED_PERMISSION);
  }
}

/** Re-types a decoded CBOR tree (cbor-x gives Buffers and Maps) for the canonical encoder. */
export function toCbor(v: unknown): CborValue {
  if (typeof v === 'number' || typeof v === 'string' || typeof v === 'boolean') return v;
  if (v instanceof Uint8Array) return new Uint8Array(v);
  if (Array.isArray(v)) return v.map(toCbor);
  if (v instanceof Map) {
    const m: CborMap = new Map();
    for (const [k, x] of v) {
      if (typeof k !== 'number' && typeof k !== 'string') throw new CtapFail(ST.INVALID_CBOR);
      m.set(k, toCbor(x));
    }
    return m;
  }
  throw new CtapFail(ST.INVALID_CBOR);
}
