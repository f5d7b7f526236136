import { randomBytes } from 'node:crypto';
import { PasskeyDeskError } from '../../../shared/errors';
import {
  BROADCAST_CID,
  CTAPHID,
  CTAPHID_ERR,
  MessageAssembler,
  encodeMessage,
  framingError,
} from './ctaphid-frames';
import type { HidMessage } from './ctaphid-frames';
import type { HidConnection } from './hid';

/** CTAP 2.1 §11.2.9.1.3: the CTAPHID_INIT response is nonce(8) ‖ CID(4) ‖ version ‖ major ‖ minor ‖ build ‖ caps. */
export interface CtapHidInitInfo {
  cid: number;
  protocolVersion: number;
  deviceVersion: [number, number, number];
  capabilities: number;
}

export const CAPABILITY = { WINK: 0x01, CBOR: 0x04, NMSG: 0x08 } as const;

export interface CtapHidOptions {
  /** How long to wait for any packet (a reply or a keepalive) before giving up. */
  idleTimeoutMs?: number;
  /** Upper bound for one command, keepalives included (a key waiting for a touch). */
  totalTimeoutMs?: number;
  /** Randomness seam for the INIT nonce. */
  random?: (n: number) => Uint8Array;
}

export interface TransactOptions {
  /** Called when the key reports KEEPALIVE UPNEEDED (§11.2.9.1.7): the person must touch the key. */
  onKeepalive?: (status: 'processing' | 'user-presence-needed') => void;
  signal?: AbortSignal;
}

/**
 * A CTAPHID channel on one open device: INIT handshake, request/response with keepalives, CANCEL, timeouts.
 * Only one transaction runs at a time (§11.2.9: a channel has at most one outstanding request).
 */
export class CtapHidChannel {
  private constructor(
    private readonly conn: HidConnection,
    readonly info: CtapHidInitInfo,
    private readonly idleTimeoutMs: number,
    private readonly totalTimeoutMs: number,
  ) {}

  static async open(conn: HidConnection, options: CtapHidOptions = {}): Promise<CtapHidChannel> {
    const idle = options.idleTimeoutMs ?? 2_000;
    const total = options.totalTimeoutMs ?? 60_000;
    const nonce = (options.random ?? ((n) => new Uint8Array(randomBytes(n))))(8);
    // §11.2.9.1.3: INIT on the broadcast channel; the reply carries our nonce so we can tell it from replies
    // meant for other applications that sent INIT at the same time.
    for (const report of encodeMessage(BROADCAST_CID, CTAPHID.INIT, nonce)) await conn.write(report);
    const deadline = Date.now() + idle * 2;
    const assembler = new MessageAssembler(BROADCAST_CID);
    for (;;) {
      const remaining = deadline - Date.now();
      if (remaining <= 0) {
        throw new PasskeyDeskError(
          'DEVICE_TIMEOUT',
          'The security key did not answer the CTAPHID INIT handshake. Unplug it, plug it back in and try again.',
        );
      }
      const report = await conn.read(remaining);
      if (!report) continue;
      const step = assembler.push(report);
      if (step.kind !== 'complete') continue;
      const { cmd, payload } = step.message;
      if (cmd === CTAPHID.ERROR)
        throw framingError(`INIT answered with CTAPHID error 0x${hex(payload[0] ?? 0)}`);
      if (cmd !== CTAPHID.INIT || payload.length < 17) continue;
      if (!equalBytes(payload.subarray(0, 8), nonce)) continue; // someone else's INIT reply
      const cid = ((payload[8]! << 24) | (payload[9]! << 16) | (payload[10]! << 8) | payload[11]!) >>> 0;
      if (cid === 0 || cid === BROADCAST_CID)
        throw framingError(`INIT allocated the reserved channel 0x${cid.toString(16)}`);
      const info: CtapHidInitInfo = {
        cid,
        protocolVersion: payload[12]!,
        deviceVersion: [payload[13]!, payload[14]!, payload[15]!],
        capabilities: payload[16]!,
      };
      return new CtapHidChannel(conn, info, idle, total);
    }
  }

  get supportsCbor(): boolean {
    return (this.info.capabilities & CAPABILITY.CBOR) !== 0;
  }

  /** Sends one command and returns the reply payload (for CBOR: status byte ‖ CBOR). */
  async transact(cmd: number, payload: Uint8Array, options: TransactOptions = {}): Promise<Uint8Array> {
    const { signal, onKeepalive } = options;
    if (signal?.aborted) throw cancelled();
    for (const report of encodeMessage(this.info.cid, cmd, payload)) await this.conn.write(report);
    const assembler = new MessageAssembler(this.info.cid);
    const start = Date.now();
    let idleDeadline = start + this.idleTimeoutMs;
    let cancelSent = false;
    let lastKeepalive = -1;
    const sendCancel = async (): Promise<void> => {
      if (cancelSent) return;
      cancelSent = true;
      // §11.2.9.1.5: CANCEL has no reply of its own; the pending request ends with CTAP2_ERR_KEEPALIVE_CANCEL.
      for (const report of encodeMessage(this.info.cid, CTAPHID.CANCEL, new Uint8Array(0)))
        await this.conn.write(report);
    };
    for (;;) {
      if (signal?.aborted && !cancelSent) {
        await sendCancel();
        idleDeadline = Date.now() + this.idleTimeoutMs;
      }
      const now = Date.now();
      if (now >= idleDeadline || now - start >= this.totalTimeoutMs) {
        await sendCancel().catch(() => undefined);
        if (signal?.aborted) throw cancelled();
        const waited = Math.round((now - start) / 1000);
        throw new PasskeyDeskError(
          'DEVICE_TIMEOUT',
          `The security key stopped answering after ${waited} s (expected a reply or a keepalive every ${this.idleTimeoutMs} ms). Unplug it, plug it back in and try again.`,
        );
      }
      // Short reads so that an abort is noticed promptly even while the key is silent.
      const report = await this.conn.read(Math.min(100, idleDeadline - now));
      if (!report) continue;
      const step = assembler.push(report);
      if (step.kind !== 'complete') {
        if (step.kind === 'incomplete') idleDeadline = Date.now() + this.idleTimeoutMs;
        continue;
      }
      const message = step.message;
      if (message.cmd === CTAPHID.KEEPALIVE) {
        idleDeadline = Date.now() + this.idleTimeoutMs;
        const status = message.payload[0] ?? 0;
        if (status !== lastKeepalive) {
          lastKeepalive = status;
          onKeepalive?.(status === 2 ? 'user-presence-needed' : 'processing');
        }
        continue;
      }
      if (message.cmd === CTAPHID.ERROR) throw hidError(message);
      if (message.cmd !== cmd)
        throw framingError(`reply to command 0x${hex(cmd)} came back as command 0x${hex(message.cmd)}`);
      // After a CANCEL the key either finishes anyway or answers CTAP2_ERR_KEEPALIVE_CANCEL (0x2D); callers map both.
      return message.payload;
    }
  }

  async close(): Promise<void> {
    await this.conn.close();
  }
}

function hidError(message: HidMessage): PasskeyDeskError {
  const code = message.payload[0] ?? 0;
  switch (code) {
    case CTAPHID_ERR.CHANNEL_BUSY:
      return new PasskeyDeskError(
        'STORE_LOCKED',
        'Another program (often a browser sign-in) is using the security key right now. Finish or cancel it there, then try again.',
        { ctaphidError: code },
      );
    case CTAPHID_ERR.MSG_TIMEOUT:
      return new PasskeyDeskError(
        'DEVICE_TIMEOUT',
        'The security key timed out waiting for the rest of a message. Try again.',
        { ctaphidError: code },
      );
    case CTAPHID_ERR.INVALID_CHANNEL:
      // The key forgot our channel: it restarted (replugged, reset, or power-cycled by the OS) mid-operation.
      return new PasskeyDeskError(
        'DEVICE_REMOVED',
        'The security key restarted during the operation (it was unplugged or reset). Try again.',
        { ctaphidError: code },
      );
    case CTAPHID_ERR.INVALID_CMD:
      return new PasskeyDeskError(
        'UNSUPPORTED',
        'The security key does not support this CTAPHID command (it may be a U2F-only key).',
        { ctaphidError: code },
      );
    default:
      return framingError(`the key answered with CTAPHID error 0x${hex(code)}`);
  }
}

function cancelled(): PasskeyDeskError {
  return new PasskeyDeskError('USER_CANCELLED', 'The operation on the security key was cancelled.');
}

function equalBytes(a: Uint8Array, b: Uint8Array): boolean {
  return a.length === b.length && a.every((v, i) => v === b[i]);
}

function hex(n: number): string {
  return n.toString(16).padStart(2, '0');
}
