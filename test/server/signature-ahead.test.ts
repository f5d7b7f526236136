/**
 * The signature checked ahead of the transaction (in the thread pool) is only a memo: the fast path uses its
 * answer for exactly the key object, signed bytes and signature it was computed for, and checks anything else
 * itself.
 */
import { createHash } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { RunningServer } from '../../src/server/start-server';
import { startServer } from '../../src/server/start-server';
import { decodeClientData } from '../../src/server/webauthn/client-data';
import { fastVerifyAssertion } from '../../src/server/webauthn/fast-verify';
import { KeyCache } from '../../src/server/webauthn/key-cache';
import { checkSignatureAhead } from '../../src/server/webauthn/signature-ahead';
import { newCredential, signAssertion, SoftAuthenticator } from '../helpers/soft-authenticator';
import { authOptions, signIn, signUp, verifyAssertion } from './support';

const RP_ID = 'example.com';
const ORIGIN = 'https://example.com';
const CHALLENGE = Buffer.alloc(32, 7).toString('base64url');
const credential = newCredential(RP_ID, 'dXNlcg');
const stored = Buffer.from(credential.cosePublicKey).toString('base64url');

function verifyWith(
  response: ReturnType<typeof signAssertion>,
  key: ReturnType<KeyCache['get']>,
  signatureMemo: Awaited<ReturnType<typeof checkSignatureAhead>>,
) {
  return fastVerifyAssertion({
    response,
    expectedChallenge: CHALLENGE,
    expectedOrigins: [ORIGIN],
    expectedRpIdHash: createHash('sha256').update(RP_ID).digest(),
    key,
    storedCounter: 0,
    signatureMemo,
  });
}

describe('signature checked ahead', () => {
  const cache = new KeyCache();
  const key = cache.get(credential.id, stored);
  const valid = signAssertion(credential, CHALLENGE, ORIGIN, { counter: 0 });
  const clientData = (r: typeof valid) => decodeClientData(r.response.clientDataJSON);

  it('answers ok for a valid signature and not ok for a tampered one, off the main thread', async () => {
    expect((await checkSignatureAhead(key, valid.response, clientData(valid)))?.ok).toBe(true);
    const sig = Buffer.from(valid.response.signature, 'base64url');
    sig[sig.length - 1]! ^= 1;
    const tampered = { ...valid, response: { ...valid.response, signature: sig.toString('base64url') } };
    const memo = await checkSignatureAhead(key, tampered.response, clientData(tampered));
    // A flipped last byte may leave the DER structure intact or not: either no memo or "not ok".
    expect(memo === undefined || memo.ok === false).toBe(true);
  });

  it('leaves inputs the fast path does not decide itself to the transaction', () => {
    const padded = { ...valid.response, signature: `${valid.response.signature}==` };
    expect(checkSignatureAhead(key, padded, clientData(valid))).toBeUndefined();
    const longAuthData = Buffer.concat([
      Buffer.from(valid.response.authenticatorData, 'base64url'),
      Buffer.alloc(1),
    ]);
    expect(
      checkSignatureAhead(
        key,
        { ...valid.response, authenticatorData: longAuthData.toString('base64url') },
        clientData(valid),
      ),
    ).toBeUndefined();
  });

  it('is used for the identical check: a memo saying "not ok" rejects an otherwise valid assertion', async () => {
    const memo = await checkSignatureAhead(key, valid.response, clientData(valid));
    expect(verifyWith(valid, key, memo).kind).toBe('verified');
    expect(verifyWith(valid, key, { ...memo!, ok: false })).toMatchObject({
      kind: 'rejected',
      reason: 'signature does not verify',
    });
  });

  it('is ignored for another signature, other signed bytes or another key object', async () => {
    const memo = (await checkSignatureAhead(key, valid.response, clientData(valid)))!;
    expect(memo).toMatchObject({
      authenticatorData: valid.response.authenticatorData,
      clientDataJSON: valid.response.clientDataJSON,
      signature: valid.response.signature,
      ok: true,
    });
    // "ok" for a different signature must not let a wrong signature through.
    const forged = {
      ...valid,
      response: { ...valid.response, signature: Buffer.alloc(72, 1).toString('base64url') },
    };
    expect(verifyWith(forged, key, memo).kind).not.toBe('verified');
    // "ok" about other signed bytes is not used either: the same assertion with its sign counter raised.
    const authData = Buffer.from(valid.response.authenticatorData, 'base64url');
    authData.writeUInt32BE(9, 33);
    const bumped = {
      ...valid,
      response: { ...valid.response, authenticatorData: authData.toString('base64url') },
    };
    expect(verifyWith(bumped, key, memo)).toMatchObject({
      kind: 'rejected',
      reason: 'signature does not verify',
    });
    // "not ok" about other strings, or about another key object, is not used: the fast path checks itself.
    const aboutOther = { ...memo, ok: false, authenticatorData: bumped.response.authenticatorData };
    expect(verifyWith(valid, key, aboutOther).kind).toBe('verified');
    const reimported = new KeyCache().get(credential.id, stored);
    expect(verifyWith(valid, reimported, { ...memo, ok: false }).kind).toBe('verified');
  });

  it('checks in flight together each keep their own answer, though they share one buffer', async () => {
    // The signed bytes go through one reused buffer; node:crypto copies an async job's inputs when it starts.
    const other = signAssertion(credential, CHALLENGE, ORIGIN, { counter: 5 });
    const sig = Buffer.from(other.response.signature, 'base64url');
    sig[sig.length - 1]! ^= 1;
    const tampered = { ...other, response: { ...other.response, signature: sig.toString('base64url') } };
    const [first, second] = await Promise.all([
      checkSignatureAhead(key, valid.response, clientData(valid)),
      checkSignatureAhead(key, tampered.response, clientData(tampered)),
    ]);
    expect(first?.ok).toBe(true);
    expect(second === undefined || second.ok === false).toBe(true);
  });
});

describe.each([
  ['in the thread pool (the default)', true],
  ['on the main thread (VERIFY_IN_THREAD_POOL=0)', false],
])('a server that checks signatures %s', (_name, verifyInThreadPool) => {
  let server: RunningServer;
  beforeAll(async () => {
    server = await startServer({ port: 0, rateLimit: false, verifyInThreadPool });
  });
  afterAll(async () => server?.close());

  it('signs in with a first-time and a cached key, and refuses a tampered signature without a session', async () => {
    const auth = new SoftAuthenticator();
    const { userId } = await signUp(server, auth, 'tess');
    // First sign-in after registration: the key comes from the database; the second uses the cached one.
    for (let i = 0; i < 2; i++) expect((await signIn(server, auth)).userId).toBe(userId);
    const sessions = async () =>
      (await server.db.selectFrom('sessions').select('token_hash').where('user_id', '=', userId).execute())
        .length;
    const before = await sessions();
    const response = auth.authenticate(await authOptions(server), server.origin);
    const sig = Buffer.from(response.response.signature, 'base64url');
    sig[sig.length - 1]! ^= 1;
    const tampered = {
      ...response,
      response: { ...response.response, signature: sig.toString('base64url') },
    };
    const refused = await verifyAssertion(server, tampered);
    expect(refused.status).toBe(400);
    expect(refused.json.code).toBe('VERIFICATION_FAILED');
    expect(await sessions()).toBe(before);
  });
});
