/**
 * The sign-in fast path against its oracle. The same assertion — valid, tampered, or randomly generated — goes
 * to the server's verifyAssertion (fast path, delegating to SimpleWebAuthn when unsure) and to SimpleWebAuthn's
 * verifyAuthenticationResponse on its own. The verdicts must be identical every time; and the fast path must
 * really decide most of them (not delegate everything).
 */
import { createHash } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { verifyAuthenticationResponse } from '@simplewebauthn/server';
import type { AuthenticationResponseJSON } from '@simplewebauthn/server';
import { decodeClientData } from '../../src/server/webauthn/client-data';
import { KeyCache } from '../../src/server/webauthn/key-cache';
import { fastVerifyAssertion } from '../../src/server/webauthn/fast-verify';
import { checkSignatureAhead } from '../../src/server/webauthn/signature-ahead';
import { verifyAssertion } from '../../src/server/webauthn/verify-assertion';
import type { SoftCredential } from '../helpers/soft-authenticator';
import {
  FLAG_BE,
  FLAG_BS,
  FLAG_UP,
  FLAG_UV,
  newCredential,
  signAssertion,
} from '../helpers/soft-authenticator';

const RP_ID = 'example.com';
const ORIGINS = ['https://example.com', 'https://login.example.com'];
const RP_ID_HASH = createHash('sha256').update(RP_ID).digest();
const CHALLENGE = Buffer.alloc(32, 0x5a).toString('base64url');
const P256_N = BigInt('0xffffffff00000000ffffffffffffffffbce6faada7179e84f3b9cac2fc632551');

const credentials: SoftCredential[] = [
  ...Array.from({ length: 6 }, () => newCredential(RP_ID, 'dXNlcg', 'ES256')),
  ...Array.from({ length: 3 }, () => newCredential(RP_ID, 'dXNlcg', 'Ed25519')),
];
const publicKeyOf = (c: SoftCredential): string => Buffer.from(c.cosePublicKey).toString('base64url');
const keyCache = new KeyCache();
const stats = { fast: 0, delegated: 0, accepted: 0, rejected: 0 };

async function oracle(
  response: AuthenticationResponseJSON,
  credential: SoftCredential,
  storedCounter: number,
): Promise<boolean> {
  try {
    const r = await verifyAuthenticationResponse({
      response,
      expectedChallenge: CHALLENGE,
      expectedOrigin: ORIGINS,
      expectedRPID: RP_ID,
      credential: {
        id: credential.id,
        publicKey: Uint8Array.from(credential.cosePublicKey),
        counter: storedCounter,
      },
      requireUserVerification: true,
    });
    return r.verified;
  } catch {
    return false;
  }
}

async function compare(
  response: AuthenticationResponseJSON,
  credential: SoftCredential,
  storedCounter: number,
): Promise<'fast' | 'delegated'> {
  const expected = await oracle(response, credential, storedCounter);
  const input = {
    response,
    expectedChallenge: CHALLENGE,
    expectedOrigins: ORIGINS,
    credential: { id: credential.id, publicKey: publicKeyOf(credential), counter: storedCounter },
  };
  const fast = fastVerifyAssertion({
    ...input,
    expectedRpIdHash: RP_ID_HASH,
    key: keyCache.get(credential.id, publicKeyOf(credential)),
    storedCounter,
  });
  const actual = await verifyAssertion({ ...input, rpId: RP_ID, rpIdHash: RP_ID_HASH, keyCache });
  // The server decodes clientDataJSON once per request and passes it on: that path must agree as well.
  const predecoded = await verifyAssertion({
    ...input,
    rpId: RP_ID,
    rpIdHash: RP_ID_HASH,
    keyCache,
    clientData: decodeClientData(response.response.clientDataJSON),
  });
  // And the path the server really takes: the signature checked ahead in the thread pool, the memo handed in.
  const clientData = decodeClientData(response.response.clientDataJSON);
  const signatureMemo = await checkSignatureAhead(
    keyCache.get(credential.id, publicKeyOf(credential)),
    response.response,
    clientData,
  );
  const ahead = await verifyAssertion({
    ...input,
    rpId: RP_ID,
    rpIdHash: RP_ID_HASH,
    keyCache,
    clientData,
    signatureMemo,
  });
  if (ahead.ok !== actual.ok || ahead.path !== actual.path) {
    throw new Error(
      `the signature checked ahead changed the verdict: ${JSON.stringify(ahead)} vs ${JSON.stringify(actual)}; response ${JSON.stringify(response)}`,
    );
  }
  if (predecoded.ok !== actual.ok || predecoded.path !== actual.path) {
    throw new Error(
      `pre-decoded clientData changed the verdict: ${JSON.stringify(predecoded)} vs ${JSON.stringify(actual)}; response ${JSON.stringify(response)}`,
    );
  }
  if (fast.kind === 'delegate') stats.delegated++;
  else stats.fast++;
  if (expected) stats.accepted++;
  else stats.rejected++;
  if (actual.ok !== expected) {
    throw new Error(
      `verdicts differ: fast path ${actual.ok} (${actual.ok ? actual.path : actual.reason}), SimpleWebAuthn ${expected}; fast said ${JSON.stringify(fast)}; response ${JSON.stringify(response)}`,
    );
  }
  return fast.kind === 'delegate' ? 'delegated' : 'fast';
}

// --- DER helpers for signature mutations ---
function derInts(sig: Buffer): [Buffer, Buffer] | null {
  if (sig[0] !== 0x30) return null;
  const rLen = sig[3]!;
  const r = sig.subarray(4, 4 + rLen);
  const sLen = sig[5 + rLen]!;
  return [r, sig.subarray(6 + rLen, 6 + rLen + sLen)];
}
const derInt = (b: Buffer): Buffer => Buffer.concat([Buffer.from([0x02, b.length]), b]);
const derSeq = (r: Buffer, s: Buffer): Buffer => {
  const body = Buffer.concat([derInt(r), derInt(s)]);
  return Buffer.concat([Buffer.from([0x30, body.length]), body]);
};
function minimalInt(n: bigint): Buffer {
  let hex = n.toString(16);
  if (hex.length % 2) hex = `0${hex}`;
  const b = Buffer.from(hex, 'hex');
  return b[0]! & 0x80 ? Buffer.concat([Buffer.from([0]), b]) : b;
}

type Mutation =
  | { kind: 'flip'; field: 'clientDataJSON' | 'authenticatorData' | 'signature'; at: number; bit: number }
  | { kind: 'truncate' | 'append'; field: 'clientDataJSON' | 'authenticatorData' | 'signature'; at: number }
  | { kind: 'pad' | 'std-b64'; field: 'clientDataJSON' | 'authenticatorData' | 'signature' }
  | {
      kind:
        | 'high-s'
        | 'der-leading-zero'
        | 'der-trailing-byte'
        | 'bom'
        | 'ws-prefix'
        | 'id-mismatch'
        | 'random-signature';
      seed: number;
    };

function mutate(response: AuthenticationResponseJSON, m: Mutation): AuthenticationResponseJSON {
  const r = structuredClone(response);
  const field = (name: 'clientDataJSON' | 'authenticatorData' | 'signature') =>
    Buffer.from(r.response[name], 'base64url');
  const set = (name: 'clientDataJSON' | 'authenticatorData' | 'signature', b: Buffer) =>
    (r.response[name] = b.toString('base64url'));
  switch (m.kind) {
    case 'flip': {
      const b = field(m.field);
      if (b.length) b[m.at % b.length]! ^= 1 << m.bit;
      set(m.field, b);
      break;
    }
    case 'truncate': {
      const b = field(m.field);
      set(m.field, b.subarray(0, m.at % Math.max(1, b.length)));
      break;
    }
    case 'append':
      set(m.field, Buffer.concat([field(m.field), Buffer.from([m.at & 0xff])]));
      break;
    case 'pad':
      r.response[m.field] = `${r.response[m.field]}=`;
      break;
    case 'std-b64':
      r.response[m.field] = field(m.field).toString('base64');
      break;
    case 'high-s':
    case 'der-leading-zero':
    case 'der-trailing-byte': {
      const sig = field('signature');
      const ints = derInts(sig);
      if (!ints || ints[1].length === 0) break;
      const [rr, ss] = ints;
      if (m.kind === 'high-s')
        set('signature', derSeq(rr, minimalInt(P256_N - BigInt(`0x${ss.toString('hex')}`))));
      else if (m.kind === 'der-leading-zero')
        set('signature', derSeq(Buffer.concat([Buffer.from([0]), rr]), ss));
      else set('signature', Buffer.concat([sig, Buffer.from([m.seed & 0xff])]));
      break;
    }
    case 'bom':
      set('clientDataJSON', Buffer.concat([Buffer.from([0xef, 0xbb, 0xbf]), field('clientDataJSON')]));
      break;
    case 'ws-prefix':
      set('clientDataJSON', Buffer.concat([Buffer.from(' \n'), field('clientDataJSON')]));
      break;
    case 'id-mismatch':
      r.rawId = `${r.id}A`;
      break;
    case 'random-signature':
      set(
        'signature',
        createHash('sha512')
          .update(String(m.seed))
          .digest()
          .subarray(0, 8 + (m.seed % 64)),
      );
      break;
  }
  return r;
}

const fieldArb = fc.constantFrom(
  'clientDataJSON' as const,
  'authenticatorData' as const,
  'signature' as const,
);
const mutationArb: fc.Arbitrary<Mutation> = fc.oneof(
  fc.record({
    kind: fc.constant('flip' as const),
    field: fieldArb,
    at: fc.nat(),
    bit: fc.integer({ min: 0, max: 7 }),
  }),
  fc.record({ kind: fc.constantFrom('truncate' as const, 'append' as const), field: fieldArb, at: fc.nat() }),
  fc.record({ kind: fc.constantFrom('pad' as const, 'std-b64' as const), field: fieldArb }),
  fc.record({
    kind: fc.constantFrom(
      'high-s' as const,
      'der-leading-zero' as const,
      'der-trailing-byte' as const,
      'bom' as const,
      'ws-prefix' as const,
      'id-mismatch' as const,
      'random-signature' as const,
    ),
    seed: fc.nat(),
  }),
);

const credentialArb = fc.integer({ min: 0, max: credentials.length - 1 }).map((i) => credentials[i]!);
const validFlags = fc.constantFrom(
  FLAG_UP | FLAG_UV,
  FLAG_UP | FLAG_UV | FLAG_BE,
  FLAG_UP | FLAG_UV | FLAG_BE | FLAG_BS,
);

describe('fast path vs SimpleWebAuthn (differential, 10,000 assertions)', () => {
  it('agrees on 2,000 valid assertions (all accepted)', async () => {
    await fc.assert(
      fc.asyncProperty(
        credentialArb,
        fc.constantFrom(...ORIGINS),
        validFlags,
        fc.nat({ max: 1000 }),
        fc.boolean(),
        async (c, origin, flags, stored, zero) => {
          const counter = zero ? 0 : stored + 1;
          const response = signAssertion(c, CHALLENGE, origin, { flags, counter });
          // Every ordinary valid assertion must be decided by the fast path itself.
          expect(await compare(response, c, zero ? 0 : stored)).toBe('fast');
          expect(await oracle(response, c, zero ? 0 : stored)).toBe(true);
        },
      ),
      { numRuns: 2000 },
    );
  }, 120_000);

  it('agrees on 4,000 tampered assertions', async () => {
    await fc.assert(
      fc.asyncProperty(
        credentialArb,
        validFlags,
        fc.array(mutationArb, { minLength: 1, maxLength: 3 }),
        async (c, flags, mutations) => {
          const response = mutations.reduce(
            mutate,
            signAssertion(c, CHALLENGE, ORIGINS[0]!, { flags, counter: 7 }),
          );
          await compare(response, c, 3);
        },
      ),
      { numRuns: 4000 },
    );
  }, 120_000);

  it('agrees on 4,000 randomly generated assertions (flags, counters, origins, RP IDs, types, client data members)', async () => {
    const text = fc.oneof(
      fc.constantFrom(...ORIGINS, 'https://evil.example', 'http://example.com', ''),
      fc.string({ maxLength: 12 }),
    );
    await fc.assert(
      fc.asyncProperty(
        credentialArb,
        fc.record({
          // Mostly without AT/ED (bits 6-7), which real assertions rarely set and which are delegated.
          flags: fc.oneof(
            { arbitrary: fc.integer({ min: 0, max: 63 }), weight: 4 },
            { arbitrary: fc.integer({ min: 0, max: 255 }), weight: 1 },
          ),
          counter: fc.nat({ max: 20 }),
          stored: fc.nat({ max: 20 }),
          origin: text,
          rpId: fc.constantFrom(RP_ID, 'login.example.com', 'evil.example'),
          type: fc.constantFrom('webauthn.get', 'webauthn.create', 'payment.get'),
          challenge: fc.constantFrom(CHALLENGE, `${CHALLENGE.slice(0, -1)}A`, ''),
          clientData: fc.oneof(
            { arbitrary: fc.constant({}), weight: 3 },
            {
              arbitrary: fc.dictionary(
                fc.constantFrom('crossOrigin', 'topOrigin', 'tokenBinding', 'other'),
                fc.oneof(fc.boolean(), text, fc.constant({ status: 'present' })),
              ),
              weight: 1,
            },
          ),
          userHandle: fc.boolean(),
          mutation: fc.option(mutationArb, { freq: 3 }),
        }),
        async (c, g) => {
          let response = signAssertion(c, CHALLENGE, g.origin, {
            flags: g.flags,
            counter: g.counter,
            rpId: g.rpId,
            type: g.type,
            challenge: g.challenge,
            clientData: g.clientData,
            withUserHandle: g.userHandle,
          });
          if (g.mutation) response = mutate(response, g.mutation);
          await compare(response, c, g.stored);
        },
      ),
      { numRuns: 4000 },
    );
  }, 120_000);

  it('decided most assertions on the fast path, with both verdicts well represented', () => {
    const total = stats.fast + stats.delegated;
    expect(total).toBe(10_000);
    expect(stats.fast / total).toBeGreaterThan(0.6);
    expect(stats.accepted).toBeGreaterThan(2000);
    expect(stats.rejected).toBeGreaterThan(4000);
    console.log(
      `differential: ${stats.fast} decided by the fast path, ${stats.delegated} delegated; ${stats.accepted} accepted, ${stats.rejected} rejected`,
    );
  });
});
