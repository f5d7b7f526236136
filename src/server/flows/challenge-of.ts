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

/** 32 random bytes: WebAuthn §13.4.3 asks for at least 16. */
export const newChallenge = (): Uint8Array => randomBytes(32);

export const newId = (bytes = 16): string => toBase64url(randomBytes(bytes));
