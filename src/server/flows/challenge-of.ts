/**
 * The challenge a response answers, read from its clientDataJSON. The server keys stored challenges by their
 * value, so a client does not need to carry any other ceremony ID; the signature later proves the
 * authenticator saw exactly this clientDataJSON.
 */
import { randomBytes } from 'node:crypto';
import { toBase64url } from '../../shared/base64url';
import { badInput } from '../api-error';
import type { DecodedClientData } from '../webauthn/client-data';
import { decodeClientData } from '../webauthn/client-data';

export function challengeOf(clientDataJSON: string | DecodedClientData): string {
  const decoded = typeof clientDataJSON === 'string' ? decodeClientData(clientDataJSON) : clientDataJSON;
  if (decoded.parseError) throw badInput('response.clientDataJSON is not base64url-encoded JSON');
  const parsed = decoded.value;
  const challenge =
    typeof parsed === 'object' && parsed !== null ? (parsed as { challenge?: unknown }).challenge : undefined;
  if (typeof challenge !== 'string' || !/^[A-Za-z0-9_-]{16,128}$/.test(challenge)) {
    throw badInput(
      `clientDataJSON.challenge is ${JSON.stringify(challenge)?.slice(0, 40) ?? 'missing'}, expected a base64url challenge`,
    );
  }
  return challenge;
}

/**
 * The challenge a verify request's body names (in `response.response.clientDataJSON`), whatever else is wrong with
 * the body; undefined when it names none that can be read.
 */
export function challengeNamedIn(body: unknown): string | undefined {
  const response =
    typeof body === 'object' && body !== null ? (body as { response?: unknown }).response : undefined;
  const inner =
    typeof response === 'object' && response !== null
      ? (response as { response?: unknown }).response
      : undefined;
  const clientDataJSON =
    typeof inner === 'object' && inner !== null
      ? (inner as { clientDataJSON?: unknown }).clientDataJSON
      : undefined;
  if (typeof clientDataJSON !== 'string') return undefined;
  try {
    return challengeOf(clientDataJSON);
  } catch {
    return undefined;
  }
}

/**
 * 32 bytes: the issue time in ms (6 bytes, big-endian), then 26 random bytes (WebAuthn §13.4.3 asks for at least
 * 16 random ones). The time leads only so that the challenges table, keyed by the challenge's base64url text,
 * receives its rows clustered in issue order: challenges issued within the same 64 ms share their first seven
 * characters, so the rows a batch of sign-ins deletes sit on a few b-tree pages instead of one random page each.
 */
export const newChallenge = (now = Date.now()): Uint8Array => {
  const bytes = randomBytes(32);
  bytes.writeUIntBE(now, 0, 6);
  return bytes;
};

export const newId = (bytes = 16): string => toBase64url(randomBytes(bytes));
