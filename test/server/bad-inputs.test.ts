/**
 * Hostile and broken requests: each is refused with the right status and code, as `{ code, message }` JSON
 * without a stack trace, and leaves users, credentials (counters, last use) and sessions untouched.
 */
import { connect } from 'node:net';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { PublicKeyCredentialRequestOptionsJSON } from '@simplewebauthn/server';
import type { RunningServer } from '../../src/server';
import { startServer } from '../../src/server';
import {
  FLAG_BE,
  FLAG_BS,
  FLAG_UP,
  SoftAuthenticator,
  newCredential,
  signAssertion,
} from '../helpers/soft-authenticator';
import type { SignedIn } from './support';
import { authOptions, call, ManualClock, signUp, snapshot, verifyAssertion } from './support';

function flipLastChar(b64: string): string {
  const bytes = Buffer.from(b64, 'base64url');
  bytes[bytes.length - 1]! ^= 0x01;
  return bytes.toString('base64url');
}

describe('bad inputs are refused without changing state', () => {
  let server: RunningServer;
  let auth: SoftAuthenticator;
  let alice: SignedIn;
  const clock = new ManualClock();
  let before: unknown;

  beforeEach(async () => {
    server = await startServer({ port: 0, clock });
    auth = new SoftAuthenticator();
    alice = await signUp(server, auth, 'alice');
    before = await snapshot(server);
  });
  afterEach(async () => server.close());

  async function expectRefused(
    reply: { status: number; json: Record<string, unknown> },
    status: number,
    code: string,
  ): Promise<void> {
    expect({ status: reply.status, code: reply.json.code }).toEqual({ status, code });
    expect(typeof reply.json.message).toBe('string');
    expect(JSON.stringify(reply.json)).not.toMatch(/\bat .+\.(ts|js):\d+/); // no stack trace
    expect(await snapshot(server)).toEqual(before);
  }

  const freshOptions = (): Promise<PublicKeyCredentialRequestOptionsJSON> => authOptions(server);

  it('malformed JSON → 400 INVALID_INPUT', async () => {
    await expectRefused(
      await call(server, 'POST', '/api/authentication/verify', { raw: '{"response": ' }),
      400,
      'INVALID_INPUT',
    );
  });

  it('a response of the wrong shape → 400 INVALID_INPUT naming the field', async () => {
    const r = await call(server, 'POST', '/api/authentication/verify', {
      body: { response: { id: 'x', rawId: 'x', type: 'public-key', response: { signature: 7 } } },
    });
    await expectRefused(r, 400, 'INVALID_INPUT');
    expect(r.json.message).toMatch(/body\.response\.response/);
  });

  it('unknown fields in strict bodies → 400 INVALID_INPUT', async () => {
    await expectRefused(
      await call(server, 'POST', '/api/authentication/options', { body: { username: 'alice', admin: true } }),
      400,
      'INVALID_INPUT',
    );
  });

  it('wrong content type → 415', async () => {
    await expectRefused(
      await call(server, 'POST', '/api/authentication/verify', {
        raw: 'hello',
        headers: { 'content-type': 'text/plain' },
      }),
      415,
      'UNSUPPORTED_MEDIA_TYPE',
    );
  });

  it('a form body → 415 on every route but the desktop token endpoint', async () => {
    const form = { 'content-type': 'application/x-www-form-urlencoded' };
    for (const [method, path, raw] of [
      ['POST', '/api/registration/options', 'username=bob'],
      ['POST', '/api/authentication/options', 'username=alice'],
      ['POST', '/api/authentication/verify', 'response=x'],
      ['POST', '/api/desktop/deny', 'request=xxxxxxxxxxxxxxxxxxxx'],
      ['PATCH', `/api/account/passkeys/${alice.credentialId}`, 'name=x'],
      ['POST', '/api/account/sign-out', 'x=1'],
      ['POST', '/api/account/sessions/sign-out-others', 'x=1'],
    ] as const) {
      const r = await call(server, method, path, { raw, headers: form, token: alice.token });
      await expectRefused(r, 415, 'UNSUPPORTED_MEDIA_TYPE');
      expect(r.json.message).toMatch(
        /content-type "application\/x-www-form-urlencoded" is not accepted here, expected application\/json$/,
      );
    }
    // The token endpoint takes forms (RFC 6749 §4.1.3), and says so when it gets something else.
    const token = await call(server, 'POST', '/api/desktop/token', {
      raw: 'hello',
      headers: { 'content-type': 'text/plain' },
    });
    await expectRefused(token, 415, 'UNSUPPORTED_MEDIA_TYPE');
    expect(token.json.message).toMatch(/expected application\/x-www-form-urlencoded or application\/json/);
  });

  it("Fastify's own errors (a malformed URL or HTTP request) leave as { code, message }", async () => {
    const badUrl = await call(server, 'GET', '/api/account/passkeys/%zz', { token: alice.token });
    await expectRefused(badUrl, 400, 'INVALID_INPUT');
    expect(Object.keys(badUrl.json).sort()).toEqual(['code', 'message']);
    expect(badUrl.json.message).toMatch(/URL path is not valid/);
    expect(badUrl.headers.get('x-content-type-options')).toBe('nosniff');
    // A credential ID is a path parameter of up to 1,364 characters: a long one is looked up, not refused.
    const long = await call(server, 'DELETE', `/api/account/passkeys/${'A'.repeat(1364)}`, {
      token: alice.token,
    });
    await expectRefused(long, 404, 'NOT_FOUND');
    for (const [request, status, code] of [
      ['NONSENSE\r\n\r\n', 400, 'INVALID_INPUT'],
      [`GET /api HTTP/1.1\r\nhost: x\r\nx-big: ${'a'.repeat(20_000)}\r\n\r\n`, 431, 'PAYLOAD_TOO_LARGE'],
    ] as const) {
      const answer = await new Promise<string>((resolve, reject) => {
        const socket = connect(server.port, '127.0.0.1', () => socket.end(request));
        let text = '';
        socket.on('data', (chunk: Buffer) => (text += chunk.toString()));
        socket.on('close', () => resolve(text));
        socket.on('error', reject);
      });
      expect(answer.split('\r\n')[0]).toMatch(new RegExp(`^HTTP/1.1 ${status} `));
      const json = JSON.parse(answer.slice(answer.indexOf('\r\n\r\n') + 4)) as Record<string, unknown>;
      expect(Object.keys(json).sort()).toEqual(['code', 'message']);
      expect(json.code).toBe(code);
    }
  });

  it("usernameless sign-in without a userHandle → 400 VERIFICATION_FAILED, on the fast path and SimpleWebAuthn's", async () => {
    // §7.2 step 6: with no user named before the ceremony, the user handle says whose passkey it is.
    const fast = auth.authenticate(await freshOptions(), server.origin);
    delete fast.response.userHandle;
    // A token binding member is delegated to SimpleWebAuthn (fast-verify.ts), which accepts it otherwise.
    const delegated = auth.authenticate(await freshOptions(), server.origin, {
      clientData: { tokenBinding: { status: 'supported' } },
    });
    delete delegated.response.userHandle;
    for (const response of [fast, delegated]) {
      const r = await verifyAssertion(server, response);
      await expectRefused(r, 400, 'VERIFICATION_FAILED');
      expect(r.json.message).toMatch(/usernameless sign-in needs the userHandle/);
    }
    // With the user handle, the same delegated shape signs in.
    const whole = auth.authenticate(await freshOptions(), server.origin, {
      clientData: { tokenBinding: { status: 'supported' } },
    });
    expect((await verifyAssertion(server, whole)).status).toBe(200);
  });

  it('wrong origin in clientDataJSON → 400 VERIFICATION_FAILED', async () => {
    const response = auth.authenticate(await freshOptions(), 'https://evil.example', {});
    await expectRefused(await verifyAssertion(server, response), 400, 'VERIFICATION_FAILED');
  });

  it('wrong RP ID in authenticator data → 400 VERIFICATION_FAILED', async () => {
    const response = auth.authenticate(await freshOptions(), server.origin, { rpId: 'evil.example' });
    await expectRefused(await verifyAssertion(server, response), 400, 'VERIFICATION_FAILED');
  });

  it('a registration response sent to sign-in (wrong ceremony type) → refused', async () => {
    const options = await freshOptions();
    const response = auth.authenticate(options, server.origin, { type: 'webauthn.create' });
    await expectRefused(await verifyAssertion(server, response), 400, 'VERIFICATION_FAILED');
  });

  it('a replayed challenge → 400 CHALLENGE_INVALID', async () => {
    const response = auth.authenticate(await freshOptions(), server.origin);
    const first = await verifyAssertion(server, response);
    expect(first.status).toBe(200);
    before = await snapshot(server);
    await expectRefused(await verifyAssertion(server, response), 400, 'CHALLENGE_INVALID');
  });

  it('an expired challenge → 400 CHALLENGE_INVALID', async () => {
    const options = await freshOptions();
    clock.advance(5 * 60_000 + 1);
    const r = await verifyAssertion(server, auth.authenticate(options, server.origin));
    await expectRefused(r, 400, 'CHALLENGE_INVALID');
    expect(r.json.message).toMatch(/expired/);
  });

  it('a challenge this server never issued → 400 CHALLENGE_INVALID', async () => {
    const response = auth.authenticate(
      { ...(await freshOptions()), challenge: Buffer.alloc(32, 7).toString('base64url') },
      server.origin,
    );
    await expectRefused(await verifyAssertion(server, response), 400, 'CHALLENGE_INVALID');
  });

  it('a registration challenge used for sign-in → 400 CHALLENGE_INVALID', async () => {
    const reg = await call<{ challenge: string }>(server, 'POST', '/api/registration/options', {
      body: { username: 'zed' },
    });
    const response = auth.authenticate({ challenge: reg.json.challenge, rpId: 'localhost' }, server.origin);
    const r = await verifyAssertion(server, response);
    await expectRefused(r, 400, 'CHALLENGE_INVALID');
    expect(r.json.message).toMatch(/issued for registration/);
  });

  it('a tampered signature → 400 VERIFICATION_FAILED', async () => {
    const response = auth.authenticate(await freshOptions(), server.origin);
    response.response.signature = flipLastChar(response.response.signature);
    await expectRefused(await verifyAssertion(server, response), 400, 'VERIFICATION_FAILED');
  });

  it('tampered authenticator data (counter bumped after signing) → 400 VERIFICATION_FAILED', async () => {
    const response = auth.authenticate(await freshOptions(), server.origin);
    response.response.authenticatorData = flipLastChar(response.response.authenticatorData);
    await expectRefused(await verifyAssertion(server, response), 400, 'VERIFICATION_FAILED');
  });

  it('no user verification (UV flag clear) → 400 VERIFICATION_FAILED', async () => {
    const response = auth.authenticate(await freshOptions(), server.origin, {
      flags: FLAG_UP | FLAG_BE | FLAG_BS,
    });
    const r = await verifyAssertion(server, response);
    await expectRefused(r, 400, 'VERIFICATION_FAILED');
    expect(r.json.message).toMatch(/user verification/i);
  });

  it('an unknown credential → 401 UNKNOWN_CREDENTIAL with its ID (for signalUnknownCredential)', async () => {
    const stranger = newCredential('localhost', 'AAAA');
    const response = signAssertion(stranger, (await freshOptions()).challenge, server.origin);
    const r = await verifyAssertion(server, response);
    await expectRefused(r, 401, 'UNKNOWN_CREDENTIAL');
    expect(r.json.details).toEqual({ credentialId: stranger.id });
  });

  it('an oversized body → 413 PAYLOAD_TOO_LARGE', async () => {
    const r = await call(server, 'POST', '/api/authentication/verify', {
      raw: JSON.stringify({ pad: 'x'.repeat(70 * 1024) }),
    });
    await expectRefused(r, 413, 'PAYLOAD_TOO_LARGE');
  });

  it('an unknown route → 404 NOT_FOUND JSON', async () => {
    await expectRefused(await call(server, 'GET', '/api/nope'), 404, 'NOT_FOUND');
  });
});
