import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { isPasskeyDeskError } from '../../src/shared/errors';
import {
  CONT_DATA,
  INIT_DATA,
  MAX_MESSAGE,
  MessageAssembler,
  encodeMessage,
} from '../../src/main/stores/security-key/ctaphid-frames';

const CID = 0x11223344;

function reassemble(reports: Uint8Array[], cid = CID): { cmd: number; payload: Uint8Array } | null {
  const a = new MessageAssembler(cid);
  for (const r of reports) {
    const step = a.push(r);
    if (step.kind === 'complete') return step.message;
  }
  return null;
}

describe('CTAPHID framing (CTAP 2.1 §11.2.4)', () => {
  it('splits a 300-byte message into one init and five continuation reports, zero-padded', () => {
    const payload = Uint8Array.from({ length: 300 }, (_, i) => i & 0xff);
    const reports = encodeMessage(CID, 0x10, payload);
    expect(reports).toHaveLength(1 + Math.ceil((300 - INIT_DATA) / CONT_DATA));
    expect(reports.every((r) => r.length === 64)).toBe(true);
    expect([...reports[0]!.subarray(0, 7)]).toEqual([0x11, 0x22, 0x33, 0x44, 0x90, 0x01, 0x2c]);
    expect(reports[1]![4]).toBe(0); // first continuation has SEQ 0
    expect(reports[5]![4]).toBe(4);
    expect(reports.at(-1)!.at(-1)).toBe(0);
    expect(reassemble(reports)).toEqual({ cid: CID, cmd: 0x10, payload });
  });

  it('refuses messages beyond 57 + 128 × 59 = 7609 bytes', () => {
    expect(MAX_MESSAGE).toBe(7609);
    expect(encodeMessage(CID, 0x10, new Uint8Array(MAX_MESSAGE))).toHaveLength(129);
    expect(() => encodeMessage(CID, 0x10, new Uint8Array(MAX_MESSAGE + 1))).toThrow(/exceeds/);
  });

  it('ignores reports for other channels and stray continuations', () => {
    const a = new MessageAssembler(CID);
    const other = encodeMessage(0x55667788, 0x10, new Uint8Array(100));
    expect(a.push(other[0]!).kind).toBe('ignored');
    const stray = encodeMessage(CID, 0x10, new Uint8Array(100))[1]!;
    expect(a.push(stray).kind).toBe('ignored');
  });

  it('throws a typed error on a sequence gap', () => {
    const reports = encodeMessage(CID, 0x10, new Uint8Array(200));
    const a = new MessageAssembler(CID);
    a.push(reports[0]!);
    expect(() => a.push(reports[2]!)).toThrow(
      expect.objectContaining({ code: 'INTERNAL', message: expect.stringMatching(/sequence 1, expected 0/) }),
    );
  });

  it('property: any payload and command round-trip, interleaved with other channels’ reports', () => {
    fc.assert(
      fc.property(
        fc.uint8Array({ maxLength: 2000 }),
        fc.integer({ min: 0, max: 0x7f }),
        fc.uint8Array({ maxLength: 300 }),
        (payload, cmd, noise) => {
          const mine = encodeMessage(CID, cmd, payload);
          const theirs = encodeMessage(0x0a0b0c0d, 0x10, noise);
          const mixed: Uint8Array[] = [];
          mine.forEach((r, i) => {
            mixed.push(r);
            const t = theirs[i];
            if (t) mixed.push(t);
          });
          const got = reassemble(mixed);
          expect(got?.cmd).toBe(cmd);
          expect(Buffer.from(got!.payload).equals(Buffer.from(payload))).toBe(true);
        },
      ),
    );
  });

  it('property: arbitrary reports never crash the assembler: only typed errors', () => {
    fc.assert(
      fc.property(
        fc.array(fc.uint8Array({ minLength: 0, maxLength: 64 }), { maxLength: 40 }),
        fc.boolean(),
        (reports, forceCid) => {
          const a = new MessageAssembler(CID);
          for (const r of reports) {
            if (forceCid && r.length >= 4) r.set([0x11, 0x22, 0x33, 0x44], 0);
            try {
              const step = a.push(r);
              expect(['incomplete', 'complete', 'ignored']).toContain(step.kind);
            } catch (e) {
              expect(isPasskeyDeskError(e)).toBe(true);
            }
          }
        },
      ),
      { numRuns: 500 },
    );
  });
});
