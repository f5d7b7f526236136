import { PasskeyDeskError } from '../../../shared/errors';
import { HID_REPORT_SIZE } from './hid';

/**
 * Pure CTAPHID message framing (CTAP 2.1 §11.2.4 "Message and packet structure"): no I/O, so both the host
 * transport and the software authenticator use it, and property tests can hammer it.
 *
 * Initialization packet: CID(4) ‖ CMD|0x80 (1) ‖ BCNTH ‖ BCNTL ‖ DATA(57).
 * Continuation packet:   CID(4) ‖ SEQ 0..0x7F (1) ‖ DATA(59).
 */
export const INIT_DATA = HID_REPORT_SIZE - 7;
export const CONT_DATA = HID_REPORT_SIZE - 5;
/** 57 + 128 × 59: the largest message a 64-byte report device can carry (§11.2.4). */
export const MAX_MESSAGE = INIT_DATA + 128 * CONT_DATA;
export const BROADCAST_CID = 0xffffffff;

export const CTAPHID = {
  PING: 0x01,
  MSG: 0x03,
  LOCK: 0x04,
  INIT: 0x06,
  WINK: 0x08,
  CBOR: 0x10,
  CANCEL: 0x11,
  KEEPALIVE: 0x3b,
  ERROR: 0x3f,
} as const;

/** §11.2.9.1.6 CTAPHID_ERROR codes. */
export const CTAPHID_ERR = {
  INVALID_CMD: 0x01,
  INVALID_PAR: 0x02,
  INVALID_LEN: 0x03,
  INVALID_SEQ: 0x04,
  MSG_TIMEOUT: 0x05,
  CHANNEL_BUSY: 0x06,
  LOCK_REQUIRED: 0x0a,
  INVALID_CHANNEL: 0x0b,
  OTHER: 0x7f,
} as const;

export function framingError(message: string): PasskeyDeskError {
  return new PasskeyDeskError(
    'INTERNAL',
    `CTAPHID framing error: ${message}. Unplug the key, plug it back in and try again.`,
  );
}

/** Splits a message into 64-byte reports, zero-padding the last one. */
export function encodeMessage(cid: number, cmd: number, payload: Uint8Array): Uint8Array[] {
  if (payload.length > MAX_MESSAGE) {
    throw framingError(`message of ${payload.length} bytes exceeds the CTAPHID maximum of ${MAX_MESSAGE}`);
  }
  const reports: Uint8Array[] = [];
  const first = new Uint8Array(HID_REPORT_SIZE);
  writeCid(first, cid);
  first[4] = 0x80 | (cmd & 0x7f);
  first[5] = (payload.length >> 8) & 0xff;
  first[6] = payload.length & 0xff;
  first.set(payload.subarray(0, INIT_DATA), 7);
  reports.push(first);
  let offset = INIT_DATA;
  for (let seq = 0; offset < payload.length; seq++) {
    const cont = new Uint8Array(HID_REPORT_SIZE);
    writeCid(cont, cid);
    cont[4] = seq;
    cont.set(payload.subarray(offset, offset + CONT_DATA), 5);
    reports.push(cont);
    offset += CONT_DATA;
  }
  return reports;
}

export function readCid(report: Uint8Array): number {
  return (
    (((report[0] ?? 0) << 24) | ((report[1] ?? 0) << 16) | ((report[2] ?? 0) << 8) | (report[3] ?? 0)) >>> 0
  );
}

function writeCid(report: Uint8Array, cid: number): void {
  report[0] = (cid >>> 24) & 0xff;
  report[1] = (cid >>> 16) & 0xff;
  report[2] = (cid >>> 8) & 0xff;
  report[3] = cid & 0xff;
}

export interface HidMessage {
  cid: number;
  cmd: number;
  payload: Uint8Array;
}

export type AssemblyStep =
  | { kind: 'incomplete' }
  | { kind: 'complete'; message: HidMessage }
  /** A packet that does not fit the message in progress (wrong channel, stray continuation). */
  | { kind: 'ignored'; reason: string };

/**
 * Reassembles one message from reports on one channel. Reports for other channels are ignored (§11.2.4:
 * a host may see replies meant for other applications when the device is shared). A sequence error throws.
 */
export class MessageAssembler {
  private cmd = -1;
  private expected = 0;
  private nextSeq = 0;
  private parts: Uint8Array[] = [];
  private received = 0;

  constructor(private readonly cid: number) {}

  push(report: Uint8Array): AssemblyStep {
    if (report.length < 5) return { kind: 'ignored', reason: `short report of ${report.length} bytes` };
    const cid = readCid(report);
    if (cid !== this.cid) return { kind: 'ignored', reason: `report for channel ${cid.toString(16)}` };
    const type = report[4] ?? 0;
    if (type & 0x80) {
      if (report.length < 7) return { kind: 'ignored', reason: 'short initialization report' };
      // A new initialization packet restarts the message: the device may abort one reply and send another.
      this.cmd = type & 0x7f;
      this.expected = ((report[5] ?? 0) << 8) | (report[6] ?? 0);
      if (this.expected > MAX_MESSAGE)
        throw framingError(`declared length ${this.expected} exceeds ${MAX_MESSAGE}`);
      this.nextSeq = 0;
      this.parts = [];
      this.received = 0;
      this.take(report.subarray(7));
    } else {
      if (this.cmd < 0)
        return { kind: 'ignored', reason: 'continuation packet without an initialization packet' };
      if (type !== this.nextSeq)
        throw framingError(`continuation sequence ${type}, expected ${this.nextSeq}`);
      this.nextSeq++;
      this.take(report.subarray(5));
    }
    if (this.received < this.expected) return { kind: 'incomplete' };
    const payload = new Uint8Array(this.expected);
    let offset = 0;
    for (const part of this.parts) {
      payload.set(part.subarray(0, this.expected - offset), offset);
      offset += Math.min(part.length, this.expected - offset);
    }
    const message = { cid: this.cid, cmd: this.cmd, payload };
    this.cmd = -1;
    return { kind: 'complete', message };
  }

  private take(data: Uint8Array): void {
    const need = this.expected - this.received;
    const part = data.subarray(0, Math.min(need, data.length));
    this.parts.push(part);
    this.received += part.length;
  }
}
