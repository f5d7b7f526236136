import { generateKeyPairSync, randomBytes } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { expect } from 'vitest';
import { bytesToUuid, toBase64url } from '../../src/shared/base64url';
import { PasskeyDeskError } from '../../src/shared/errors';
import type { ErrorCode } from '../../src/shared/errors';
import type { SecretStore } from '../../src/main/keyring';
import { parseImport } from '../../src/shared/imports/parse';
import type { ParsedImport } from '../../src/shared/imports/types';

export const FIXTURES = join(dirname(fileURLToPath(import.meta.url)), '..', 'fixtures', 'imports');

export function fixtureBytes(name: string): Uint8Array {
  return new Uint8Array(readFileSync(join(FIXTURES, name)));
}

export function fixtureJson(name: string): Record<string, unknown> {
  return JSON.parse(readFileSync(join(FIXTURES, name), 'utf8')) as Record<string, unknown>;
}

export function parseFixture(name: string): ParsedImport {
  return parseImport(fixtureBytes(name), { fileName: name, storeId: 'export:test' });
}

/** Runs `fn`, expects a PasskeyDeskError with `code`, and returns it for further checks. */
export function expectImportError(fn: () => unknown, code: ErrorCode): PasskeyDeskError {
  try {
    fn();
  } catch (e) {
    expect(e).toBeInstanceOf(PasskeyDeskError);
    const err = e as PasskeyDeskError;
    expect(err.code, err.message).toBe(code);
    return err;
  }
  throw new Error(`expected ${code}, but nothing was thrown`);
}

export function problems(err: PasskeyDeskError): { path: string; message: string }[] {
  return (err.details?.problems as { path: string; message: string }[] | undefined) ?? [];
}

/** A few P-256 keys in PKCS#8 (base64url), reused across generated exports: real keys are slow to make. */
export const TEST_KEYS = Array.from({ length: 4 }, () =>
  toBase64url(
    generateKeyPairSync('ec', { namedCurve: 'P-256' }).privateKey.export({ format: 'der', type: 'pkcs8' }),
  ),
);

/** A Bitwarden export of `count` ES256 passkeys with UUID credential IDs, as Bitwarden writes its own. */
export function bitwardenExport(
  count: number,
  edit: (cred: Record<string, unknown>, i: number) => void = () => {},
) {
  const ids = Array.from({ length: count }, () => bytesToUuid(randomBytes(16)));
  const items = ids.map((credentialId, i) => {
    const cred: Record<string, unknown> = {
      credentialId,
      keyType: 'public-key',
      keyAlgorithm: 'ECDSA',
      keyCurve: 'P-256',
      keyValue: TEST_KEYS[i % TEST_KEYS.length],
      rpId: `site${i}.example`,
      userHandle: toBase64url(randomBytes(16)),
      userName: `user${i}@example.com`,
      counter: '0',
      userDisplayName: `User ${i}`,
      discoverable: 'true',
      creationDate: '2024-05-01T10:00:00.000Z',
    };
    edit(cred, i);
    return { type: 1, name: `site${i}.example`, login: { fido2Credentials: [cred] } };
  });
  return { ids, text: JSON.stringify({ encrypted: false, folders: [], items }) };
}

/**
 * An in-memory fake of our own SecretStore interface, counting key fetches: for tests about imports and moves,
 * not the keyring (the keyring itself is tested against a real Secret Service).
 */
export class MemorySecrets implements SecretStore {
  readonly description = 'in-memory test keyring';
  private readonly map = new Map<string, string>();
  gets = 0;
  get(account: string): Promise<string | null> {
    this.gets++;
    return Promise.resolve(this.map.get(account) ?? null);
  }
  set(account: string, secret: string): Promise<void> {
    this.map.set(account, secret);
    return Promise.resolve();
  }
  delete(account: string): Promise<boolean> {
    return Promise.resolve(this.map.delete(account));
  }
}

/** The PasskeyDeskError a promise rejects with (fails the test when it resolves, or rejects with anything else). */
export async function rejection(p: Promise<unknown>): Promise<PasskeyDeskError> {
  try {
    await p;
  } catch (e) {
    expect(e).toBeInstanceOf(PasskeyDeskError);
    return e as PasskeyDeskError;
  }
  throw new Error('expected a rejection');
}
