import { describe, expect, it } from 'vitest';
import { parseImport } from '../../src/shared/imports/parse';
import { MAX_IMPORT_BYTES } from '../../src/shared/imports/types';
import { expectImportError, fixtureBytes, fixtureJson, parseFixture, problems } from './helpers';

const parse = (input: string | Uint8Array, fileName = 'export.json') =>
  parseImport(input, { fileName, storeId: 'export:t' });

describe('encrypted exports', () => {
  it('refuses an account-restricted encrypted Bitwarden export with IMPORT_ENCRYPTED and what to do', () => {
    const err = expectImportError(() => parseFixture('bitwarden-encrypted.json'), 'IMPORT_ENCRYPTED');
    expect(err.message).toContain('"bitwarden-encrypted.json"');
    expect(err.message).toMatch(/locked to your Bitwarden account/);
    expect(err.message).toMatch(/File format "\.json"/);
  });

  it('refuses a password-protected Bitwarden export', () => {
    const err = expectImportError(
      () => parseFixture('bitwarden-password-protected.json'),
      'IMPORT_ENCRYPTED',
    );
    expect(err.message).toMatch(/file password/);
    expect(err.details).toMatchObject({ passwordProtected: true });
  });

  it('refuses an encrypted CXF transfer', () => {
    expectImportError(() => parseFixture('cxf-encrypted.json'), 'IMPORT_ENCRYPTED');
  });

  it('notices EncStrings in a file whose "encrypted" flag was removed', () => {
    const doc = fixtureJson('bitwarden-encrypted.json');
    delete doc.encrypted;
    delete doc.encKeyValidation_DO_NOT_EDIT;
    const err = expectImportError(() => parse(JSON.stringify(doc)), 'IMPORT_INVALID');
    expect(
      problems(err)
        .map((p) => p.message)
        .join(' '),
    ).toMatch(/EncString/);
  });

  it('refuses an encrypted PEM key in a .passkey file', () => {
    const doc = fixtureJson('keepassxc-es256.passkey');
    doc.privateKey = '-----BEGIN ENCRYPTED PRIVATE KEY-----\nMIIB\n-----END ENCRYPTED PRIVATE KEY-----\n';
    const err = expectImportError(() => parse(JSON.stringify(doc), 'k.passkey'), 'IMPORT_INVALID');
    expect(problems(err)[0]).toMatchObject({ path: 'privateKey' });
    expect(err.message).toMatch(/encrypted with a password/);
  });
});

describe('wrong files', () => {
  it.each([
    ['bitwarden.csv', /CSV file/],
    ['not-an-export.json', /not a format Passkey Desk knows.*name, version, dependencies/],
    ['bitwarden-no-passkeys.json', /holds no passkeys/],
  ])('%s gets a message that says what it is', (name, pattern) => {
    const err = expectImportError(() => parseFixture(name), 'IMPORT_INVALID');
    expect(err.message).toContain(`"${name}"`);
    expect(err.message).toMatch(pattern);
  });

  it('recognises a zip (1Password .1pux), a KeePass database and a non-UTF-8 file', () => {
    expect(
      expectImportError(() => parse(new Uint8Array([0x50, 0x4b, 0x03, 0x04, 1, 2])), 'IMPORT_INVALID')
        .message,
    ).toMatch(/zip archive/);
    expect(
      expectImportError(() => parse(new Uint8Array([0x03, 0xd9, 0xa2, 0x9a, 0x67, 0xfb])), 'IMPORT_INVALID')
        .message,
    ).toMatch(/KeePass database.*\.passkey/);
    expect(
      expectImportError(() => parse(new Uint8Array([0x7b, 0xff, 0xfe, 0x7d])), 'IMPORT_INVALID').message,
    ).toMatch(/not valid UTF-8/);
  });

  it('says an empty file is empty, and JSON of the wrong shape is not an export', () => {
    expect(expectImportError(() => parse('  \n'), 'IMPORT_INVALID').message).toMatch(/empty/);
    expect(expectImportError(() => parse('[1, 2]'), 'IMPORT_INVALID').message).toMatch(/an array at the top/);
    expect(expectImportError(() => parse('hello'), 'IMPORT_INVALID').message).toMatch(/not JSON/);
  });
});

describe('damaged files', () => {
  it('calls a truncated export truncated', () => {
    const err = expectImportError(() => parseFixture('bitwarden-truncated.json'), 'IMPORT_INVALID');
    expect(err.message).toMatch(/truncated/);
    expect(err.details).toMatchObject({ reason: 'truncated', file: 'bitwarden-truncated.json' });
  });

  it('gives line and column of malformed JSON', () => {
    const err = expectImportError(() => parse('{\n  "items": [\n    {,}\n  ]\n}'), 'IMPORT_INVALID');
    expect(err.message).toMatch(/line 3, column 6/);
  });

  it('lists every wrong type with its JSON path, and imports nothing', () => {
    const err = expectImportError(() => parseFixture('bitwarden-wrong-types.json'), 'IMPORT_INVALID');
    const at = 'items[0].login.fido2Credentials[0]';
    expect(problems(err)).toEqual([
      { path: `${at}.rpId`, message: 'should be text, but it is a number' },
      { path: `${at}.creationDate`, message: expect.stringMatching(/"yesterday" is not a date/) as string },
      { path: `${at}.counter`, message: expect.stringMatching(/whole number.*"many"/) as string },
      { path: `${at}.discoverable`, message: expect.stringMatching(/"true" or "false".*"yes"/) as string },
    ]);
    expect(err.message).toContain(`${at}.rpId: should be text`);
    expect(err.message).toMatch(/and 3 more problems/);
    expect(err.message).toMatch(/Nothing was imported/);
  });

  it('fails the whole file when one passkey of many is bad (all or nothing)', () => {
    const doc = fixtureJson('bitwarden.json') as {
      items: { login?: { fido2Credentials: Record<string, unknown>[] | null } }[];
    };
    doc.items[1]!.login!.fido2Credentials![1]!.credentialId = 'not an id';
    const err = expectImportError(() => parse(JSON.stringify(doc)), 'IMPORT_INVALID');
    expect(problems(err)).toEqual([
      {
        path: 'items[1].login.fido2Credentials[1].credentialId',
        message: expect.stringMatching(/UUID or "b64\."/) as string,
      },
    ]);
  });

  it('refuses duplicate credential IDs, even when spelled differently (UUID case)', () => {
    const err = expectImportError(() => parseFixture('bitwarden-duplicate-ids.json'), 'IMPORT_INVALID');
    expect(problems(err)[0]).toMatchObject({
      path: 'items[0].login.fido2Credentials[1].credentialId',
      message: expect.stringMatching(/appears twice.*fido2Credentials\[0\]/) as string,
    });
  });

  it('refuses duplicate credential IDs across CXF accounts', () => {
    const doc = fixtureJson('cxf.json') as { accounts: unknown[] };
    doc.accounts.push(doc.accounts[0]);
    const err = expectImportError(() => parse(JSON.stringify(doc)), 'IMPORT_INVALID');
    expect(problems(err)[0]!.path).toMatch(/^accounts\[1\]\.items\[0\]\.credentials\[1\]\.credentialId$/);
  });

  it('refuses an RP ID given as a URL, a user handle over 64 bytes and a key that is not PKCS#8', () => {
    const doc = fixtureJson('cxf.json') as {
      accounts: { items: { credentials: Record<string, unknown>[] }[] }[];
    };
    const cred = doc.accounts[0]!.items[0]!.credentials[1]!;
    cred.rpId = 'https://example.net/login';
    cred.userHandle = 'A'.repeat(100);
    cred.key = 'AAAA';
    const err = expectImportError(() => parse(JSON.stringify(doc)), 'IMPORT_INVALID');
    expect(problems(err).map((p) => p.path.split('.').pop())).toEqual(['rpId', 'userHandle', 'key']);
    expect(problems(err)[0]!.message).toMatch(/not a URL/);
  });

  it('caps the listed problems and stops early on hopeless files', () => {
    const items = Array.from({ length: 500 }, () => ({
      type: 1,
      login: { fido2Credentials: [{ credentialId: 5 }] },
    }));
    const err = expectImportError(() => parse(JSON.stringify({ items })), 'IMPORT_INVALID');
    expect(problems(err)).toHaveLength(10);
    expect(err.message).toMatch(/and at least 49 more problems/);
  });

  it('quotes odd keys in JSON paths', () => {
    const doc = fixtureJson('keepassxc-es256.passkey');
    doc.credentialId = 42;
    const err = expectImportError(() => parse(JSON.stringify(doc), 'k.passkey'), 'IMPORT_INVALID');
    expect(problems(err)[0]!.path).toBe('credentialId');
  });
});

describe('size limit', () => {
  it('refuses more than 10 MB of bytes or text with IMPORT_TOO_LARGE before parsing', () => {
    const big = new Uint8Array(MAX_IMPORT_BYTES + 1).fill(0x20);
    const err = expectImportError(() => parse(big, 'huge.json'), 'IMPORT_TOO_LARGE');
    expect(err.message).toContain(
      '"huge.json": it is 10,485,761 bytes, and import files may be at most 10,485,760 bytes (10 MiB)',
    );
    expectImportError(() => parse(' '.repeat(MAX_IMPORT_BYTES + 1)), 'IMPORT_TOO_LARGE');
  });

  it('accepts a file just under the limit', () => {
    const text = new TextDecoder().decode(fixtureBytes('keepassxc-es256.passkey'));
    const padded = text + ' '.repeat(MAX_IMPORT_BYTES - text.length);
    expect(parse(padded, 'k.passkey').passkeys).toHaveLength(1);
  });
});

describe('what the file holds, when it is not an export', () => {
  it('JSON that is not an object says what it is, not "not JSON"', () => {
    for (const [text, what] of [
      ['null', 'null'],
      ['"hello"', 'text'],
      ['42', 'a number'],
    ] as const) {
      const err = expectImportError(() => parse(text), 'IMPORT_INVALID');
      expect(err.message).not.toContain('not JSON');
      expect(err.message).toContain(`holds ${what} at the top`);
    }
  });

  it('a Bitwarden export whose items are not a list names the field', () => {
    const err = expectImportError(
      () => parse(JSON.stringify({ encrypted: false, folders: [], items: 'oops' })),
      'IMPORT_INVALID',
    );
    expect(problems(err)[0]).toMatchObject({ path: 'items' });
    expect(err.message).toContain('items: should be an array');
  });
});

describe('CXF version', () => {
  const cxf = (version: unknown) => {
    const doc = { ...fixtureJson('cxf.json') };
    if (version === undefined) delete doc.version;
    else doc.version = version;
    return JSON.stringify(doc);
  };

  it('reads 1.x (a later minor too) and the numeric version of older drafts', () => {
    for (const v of [{ major: 1, minor: 0 }, { major: 1, minor: 3 }, 0])
      expect(parse(cxf(v), 'c.json').passkeys.length).toBeGreaterThan(0);
  });

  it('refuses a file without a version or with one of another shape, naming the field', () => {
    for (const v of [undefined, '1.0', { major: 1 }, { major: -1, minor: 0 }]) {
      const err = expectImportError(() => parse(cxf(v), 'c.json'), 'IMPORT_INVALID');
      expect(problems(err)[0]).toMatchObject({ path: 'version' });
    }
  });

  it('refuses a later major version as a whole, saying which format this build reads', () => {
    const err = expectImportError(() => parse(cxf({ major: 2, minor: 0 }), 'c.json'), 'IMPORT_INVALID');
    expect(err.message).toContain('format 2.0, and this Passkey Desk reads format 1.x');
  });
});
