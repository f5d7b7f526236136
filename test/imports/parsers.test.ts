import { describe, expect, it } from 'vitest';
import { toBase64url, uuidToBytes } from '../../src/shared/base64url';
import { parseImport } from '../../src/shared/imports/parse';
import { toInventoryPasskey } from '../../src/shared/imports/strip';
import { expectImportError, fixtureBytes, fixtureJson, parseFixture, problems } from './helpers';

describe('Bitwarden JSON export', () => {
  const parsed = parseFixture('bitwarden.json');
  const source = fixtureJson('bitwarden.json') as {
    items: { login?: { fido2Credentials: Record<string, string>[] | null } }[];
  };
  const creds = source.items.flatMap((i) => i.login?.fido2Credentials ?? []);

  it('finds every passkey, skipping items without one', () => {
    expect(parsed.format).toBe('bitwarden');
    expect(parsed.passkeys).toHaveLength(3);
    expect(parsed.passkeys.map((p) => p.sourcePath)).toEqual([
      'items[0].login.fido2Credentials[0]',
      'items[1].login.fido2Credentials[0]',
      'items[1].login.fido2Credentials[1]',
    ]);
  });

  it('turns UUID credential IDs into the base64url of their 16 bytes, and b64. IDs into canonical base64url', () => {
    expect(parsed.passkeys[0]!.credentialId).toBe(toBase64url(uuidToBytes(creds[0]!.credentialId!)));
    expect(parsed.passkeys[1]!.credentialId).toBe(creds[1]!.credentialId!.slice(4));
    expect(parsed.passkeys[0]!.aaguid).toBe('d548826e-79b4-db40-a3d8-11116f7e8349');
    // Imported into Bitwarden from elsewhere: the original provider is unknown.
    expect(parsed.passkeys[1]!.aaguid).toBeNull();
  });

  it('reads names, dates, counter and discoverable from their text forms', () => {
    const [first, second, third] = parsed.passkeys;
    expect(first).toMatchObject({
      store: 'export:test',
      storeKind: 'export',
      rpId: 'example.com',
      userHandle: creds[0]!.userHandle,
      userName: 'alice@example.com',
      userDisplayName: 'Alice',
      createdAt: '2024-05-01T10:00:00.000Z',
      discoverable: true,
      signCount: 0,
      algorithm: -7,
      providerName: 'Bitwarden',
      removable: false,
      keyProblem: null,
    });
    expect(second).toMatchObject({
      rpId: 'github.com',
      signCount: 17,
      discoverable: false,
      userDisplayName: null,
    });
    expect(third!.userHandle).toBeNull();
  });

  it('keeps the PKCS#8 private key in memory only, and strips it for the inventory', () => {
    const p = parsed.passkeys[0]!;
    expect(p.privateKey).toMatchObject({ format: 'pkcs8-der', algorithm: -7 });
    expect(toBase64url(p.privateKey!.bytes)).toBe(creds[0]!.keyValue);
    const inventory = toInventoryPasskey(p);
    expect(Object.keys(inventory)).not.toContain('privateKey');
    expect(JSON.stringify(inventory)).not.toContain(creds[0]!.keyValue!.slice(0, 40));
  });
});

describe('KeePassXC .passkey files', () => {
  it('reads an ES256 passkey with its PEM private key', () => {
    const source = fixtureJson('keepassxc-es256.passkey') as Record<string, string>;
    const parsed = parseFixture('keepassxc-es256.passkey');
    expect(parsed.format).toBe('keepassxc');
    expect(parsed.passkeys).toHaveLength(1);
    expect(parsed.passkeys[0]).toMatchObject({
      credentialId: source.credentialId,
      rpId: 'example.org',
      userHandle: source.userHandle,
      userName: 'bob',
      algorithm: -7,
      signCount: 0,
      aaguid: 'fdb141b2-5d84-443e-8a35-4698c205a502',
      providerName: 'KeePassXC',
    });
    expect(parsed.passkeys[0]!.privateKey?.algorithm).toBe(-7);
  });

  it('names EdDSA and RS256 keys (listed; the vault will refuse them later)', () => {
    expect(parseFixture('keepassxc-eddsa.passkey').passkeys[0]!.privateKey?.algorithm).toBe(-8);
    expect(parseFixture('keepassxc-rs256.passkey').passkeys[0]!.privateKey?.algorithm).toBe(-257);
  });

  it('refuses a PEM block that is not PKCS#8 "PRIVATE KEY"', () => {
    const err = expectImportError(() => parseFixture('keepassxc-bad-pem.passkey'), 'IMPORT_INVALID');
    expect(problems(err)[0]?.path).toBe('privateKey');
    expect(err.message).toContain('keepassxc-bad-pem.passkey');
  });

  it('accepts CRLF line ends and a BOM, as files edited on Windows have', () => {
    const text = new TextDecoder()
      .decode(fixtureBytes('keepassxc-es256.passkey'))
      .replace(/\n/g, '\r\n')
      .replace(/\\n/g, '\\r\\n');
    const parsed = parseImport(`\uFEFF${text}`, { fileName: 'windows.passkey', storeId: 'export:w' });
    expect(parsed.passkeys[0]!.privateKey?.algorithm).toBe(-7);
  });
});

describe('CXF (Credential Exchange Format)', () => {
  const parsed = parseFixture('cxf.json');

  it('reads passkey credentials and skips other credential types', () => {
    expect(parsed.format).toBe('cxf');
    expect(parsed.exporter).toBe('Example Manager');
    expect(parsed.passkeys.map((p) => p.rpId)).toEqual(['example.net', 'p384.example.net']);
    expect(parsed.passkeys[0]).toMatchObject({
      userName: 'carol@example.net',
      userDisplayName: 'carol',
      createdAt: '2024-05-01T10:00:00.000Z',
      signCount: 0,
      providerName: 'Example Manager',
      algorithm: -7,
    });
  });

  it('lists a passkey whose key is on another curve, with the reason it cannot move', () => {
    const p384 = parsed.passkeys[1]!;
    expect(p384.privateKey).toBeNull();
    expect(p384.algorithm).toBeNull();
    expect(p384.keyProblem).toMatch(/P-384/);
  });

  it('accepts the older draft header (numeric version, `exporter`)', () => {
    const doc = fixtureJson('cxf.json');
    const old = { version: 0, exporter: 'Old Exporter', timestamp: 1, accounts: doc.accounts };
    const result = parseImport(JSON.stringify(old), { fileName: 'old.json', storeId: 'export:o' });
    expect(result.exporter).toBe('Old Exporter');
    expect(result.passkeys).toHaveLength(2);
  });
});
