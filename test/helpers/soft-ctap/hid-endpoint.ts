import {
  BROADCAST_CID,
  CTAPHID,
  CTAPHID_ERR,
  MessageAssembler,
  encodeMessage,
  readCid,
} from '../../../src/main/stores/security-key/ctaphid-frames';
import { SoftAuthenticator } from './authenticator';
import type { SoftKeyState } from './state';

const CAPS_WINK_CBOR = 0x05;

export interface EndpointOptions {
  /** Milliseconds between keepalives while "processing" or "waiting for a touch" (real keys: ≤ 100 ms). */
  keepaliveIntervalMs?: number;
  /** When true, CBOR requests are swallowed without an answer (a hung key, for timeout tests). */
  stall?: boolean;
  /** A U2F-only key: INIT announces no CBOR capability. */
  u2fOnly?: boolean;
}

/**
 * The device side of CTAPHID (CTAP 2.1 §11.2): channel allocation with INIT, reassembly per channel,
 * KEEPALIVE while busy, CANCEL, CHANNEL_BUSY for other channels, CTAPHID_ERROR for framing faults.
 * Reports go out through `onReport`, as a real key's IN endpoint would deliver them to every open handle.
 */
export class SoftCtapHidDevice {
  readonly authenticator: SoftAuthenticator;
  onReport: ((report: Uint8Array) => void) | null = null;
  private nextCid = 0x01020304;
  private readonly channels = new Map<number, MessageAssembler>();
  private busy: { cid: number; cancel: () => void } | null = null;
  /** Counts CBOR requests, for tests. */
  cborRequests = 0;

  constructor(
    state: SoftKeyState,
    private readonly options: EndpointOptions = {},
  ) {
    this.authenticator = new SoftAuthenticator(state);
  }

  get state(): SoftKeyState {
    return this.authenticator.state;
  }

  set stall(value: boolean) {
    this.options.stall = value;
  }

  receive(report: Uint8Array): void {
    const cid = readCid(report);
    const isInit = ((report[4] ?? 0) & 0x80) !== 0;
    if (cid === BROADCAST_CID) {
      if (!isInit || (report[4]! & 0x7f) !== CTAPHID.INIT)
        return this.error(cid, CTAPHID_ERR.INVALID_CHANNEL);
      const len = ((report[5] ?? 0) << 8) | (report[6] ?? 0);
      if (len !== 8) return this.error(cid, CTAPHID_ERR.INVALID_LEN);
      const newCid = this.nextCid++;
      this.channels.set(newCid, new MessageAssembler(newCid));
      return this.reply(cid, CTAPHID.INIT, initPayload(report.subarray(7, 15), newCid, this.caps()));
    }
    const assembler = this.channels.get(cid);
    if (!assembler) return this.error(cid, CTAPHID_ERR.INVALID_CHANNEL);
    if (this.busy && this.busy.cid !== cid) {
      if (isInit) this.error(cid, CTAPHID_ERR.CHANNEL_BUSY);
      return;
    }
    if (isInit && (report[4]! & 0x7f) === CTAPHID.CANCEL) {
      // §11.2.9.1.5: CANCEL aborts the pending request on this channel; it gets no reply of its own.
      this.busy?.cancel();
      return;
    }
    let step;
    try {
      step = assembler.push(report);
    } catch {
      this.channels.set(cid, new MessageAssembler(cid));
      return this.error(cid, CTAPHID_ERR.INVALID_SEQ);
    }
    if (step.kind !== 'complete') return;
    const { cmd, payload } = step.message;
    switch (cmd) {
      case CTAPHID.INIT:
        // INIT on an allocated channel resynchronises it (§11.2.9.1.3) and keeps the same CID.
        return this.reply(cid, CTAPHID.INIT, initPayload(payload.subarray(0, 8), cid, this.caps()));
      case CTAPHID.PING:
        return this.reply(cid, CTAPHID.PING, payload);
      case CTAPHID.WINK:
        return this.reply(cid, CTAPHID.WINK, new Uint8Array(0));
      case CTAPHID.CBOR:
        return this.cbor(cid, payload);
      default:
        return this.error(cid, CTAPHID_ERR.INVALID_CMD);
    }
  }

  private caps(): number {
    return this.options.u2fOnly ? 0x01 : CAPS_WINK_CBOR;
  }

  private cbor(cid: number, request: Uint8Array): void {
    this.cborRequests++;
    if (this.options.stall) return;
    const a = this.authenticator;
    const touch = a.needsTouch(request) ? a.state.touchKeepalives : 0;
    const keepalives: number[] = [
      ...Array<number>(a.state.processingKeepalives).fill(1),
      ...Array<number>(touch).fill(2),
    ];
    if (keepalives.length === 0) return this.reply(cid, CTAPHID.CBOR, a.handle(request));
    const interval = this.options.keepaliveIntervalMs ?? 10;
    let timer: NodeJS.Timeout | null = null;
    const finish = (reply: Uint8Array): void => {
      if (timer) clearTimeout(timer);
      this.busy = null;
      this.reply(cid, CTAPHID.CBOR, reply);
    };
    this.busy = { cid, cancel: () => finish(Uint8Array.of(0x2d)) };
    const tick = (): void => {
      const status = keepalives.shift();
      if (status === undefined) return finish(a.handle(request));
      this.reply(cid, CTAPHID.KEEPALIVE, Uint8Array.of(status));
      timer = setTimeout(tick, interval);
    };
    tick();
  }

  private reply(cid: number, cmd: number, payload: Uint8Array): void {
    for (const r of encodeMessage(cid, cmd, payload)) this.onReport?.(r);
  }

  private error(cid: number, code: number): void {
    this.reply(cid, CTAPHID.ERROR, Uint8Array.of(code));
  }
}

function initPayload(nonce: Uint8Array, cid: number, caps: number): Uint8Array {
  const out = new Uint8Array(17);
  out.set(nonce.subarray(0, 8), 0);
  out.set([(cid >>> 24) & 0xff, (cid >>> 16) & 0xff, (cid >>> 8) & 0xff, cid & 0xff], 8);
  out.set([2, 5, 7, 0, caps], 12);
  return out;
}
