import { isUuid, toBase64url, uuidToBytes } from '../base64url';
import { PasskeyDeskError } from '../errors';
import { SeenCredentialIds, buildPasskey, credentialIdFromBase64, readKey } from './build';
import {
  clip,
  decodeBase64Field,
  describeValue,
  isoDateField,
  optionalString,
  requiredString,
  rpIdField,
  userHandleField,
} from './fields';
import { Problems, describeType, index, isObject, member } from './problems';
import type { ImportedPasskey, ParseOptions, ParsedImport } from './types';

/**
 * Bitwarden's unencrypted JSON export: `items[]` → `login.fido2Credentials[]` (bitwarden/clients
 * `fido2-credential.export.ts`). Every value there is text, even the counter and `discoverable`.
 */

/** Bitwarden's authenticator AAGUID: the provider of every passkey Bitwarden created (UUID-form credential IDs). */
export const BITWARDEN_AAGUID = 'd548826e-79b4-db40-a3d8-11116f7e8349';

const WHAT_TO_DO =
  'Export the vault again from Bitwarden (Export vault, File format ".json" — not ".json (Encrypted)") and import the new file.';

export function isBitwardenExport(doc: Record<string, unknown>): boolean {
  return (
    Array.isArray(doc.items) ||
    // `items` of the wrong type beside Bitwarden's other top-level fields: a damaged Bitwarden export, which
    // its parser words precisely ("items: should be an array").
    ('items' in doc && ('encrypted' in doc || 'folders' in doc)) ||
    doc.encrypted === true ||
    'passwordProtected' in doc ||
    'encKeyValidation_DO_NOT_EDIT' in doc
  );
}

/** Encrypted exports hold EncStrings ("2.iv|data|mac") that only Bitwarden can open with the account or export key. */
export function bitwardenEncryptedError(
  doc: Record<string, unknown>,
  fileName: string,
): PasskeyDeskError | null {
  if (doc.encrypted !== true && !('encKeyValidation_DO_NOT_EDIT' in doc)) return null;
  const passwordProtected = doc.passwordProtected === true;
  return new PasskeyDeskError(
    'IMPORT_ENCRYPTED',
    `Cannot import "${fileName}": it is an encrypted Bitwarden export (${passwordProtected ? 'protected with a file password' : 'locked to your Bitwarden account'}), ` +
      'and Passkey Desk does not read encrypted exports. In Bitwarden, export again choosing File format ".json" (unencrypted), import that file, then delete it: it holds your private keys in the clear.',
    { file: fileName, format: 'bitwarden', passwordProtected },
  );
}

/** Bitwarden writes credential IDs as a UUID (its own 16-byte IDs) or as "b64." + base64url (imported IDs). */
function credentialId(
  p: Problems,
  text: string,
  at: string,
): { id: string; createdByBitwarden: boolean } | null {
  if (isUuid(text)) return { id: toBase64url(uuidToBytes(text)), createdByBitwarden: true };
  if (text.startsWith('b64.')) {
    const id = credentialIdFromBase64(p, text.slice(4), at);
    return id === null ? null : { id, createdByBitwarden: false };
  }
  p.add(at, `"${clip(text, 30)}" should be a UUID or "b64." followed by base64url`);
  return null;
}

function counter(p: Problems, value: unknown, at: string): number {
  const n =
    typeof value === 'string' && /^\d{1,10}$/.test(value.trim())
      ? Number(value)
      : typeof value === 'number'
        ? value
        : NaN;
  if (value === undefined || value === null) return 0;
  if (!Number.isInteger(n) || n < 0 || n > 0xffffffff) {
    p.add(
      at,
      `should be a whole number from 0 to 4294967295 (as text, e.g. "0"), but it is ${describeValue(value)}`,
    );
    return 0;
  }
  return n;
}

function discoverable(p: Problems, value: unknown, at: string): boolean | null {
  if (value === undefined || value === null) return null;
  if (value === 'true' || value === true) return true;
  if (value === 'false' || value === false) return false;
  p.add(at, `should be "true" or "false", but it is ${describeValue(value)}`);
  return null;
}

function readCredential(
  p: Problems,
  options: ParseOptions,
  cred: Record<string, unknown>,
  at: string,
  seen: SeenCredentialIds,
): ImportedPasskey | null {
  const idText = requiredString(p, cred, at, 'credentialId');
  const id = idText === null ? null : credentialId(p, idText.trim(), member(at, 'credentialId'));
  const rpId = rpIdField(p, requiredString(p, cred, at, 'rpId'), member(at, 'rpId'));
  const userHandle = userHandleField(p, optionalString(p, cred, at, 'userHandle'), member(at, 'userHandle'));
  const userName = optionalString(p, cred, at, 'userName');
  const userDisplayName = optionalString(p, cred, at, 'userDisplayName');
  const createdAt = isoDateField(p, optionalString(p, cred, at, 'creationDate'), member(at, 'creationDate'));
  const signCount = counter(p, cred.counter, member(at, 'counter'));
  const isDiscoverable = discoverable(p, cred.discoverable, member(at, 'discoverable'));
  const keyText = requiredString(p, cred, at, 'keyValue');
  const keyAt = member(at, 'keyValue');
  let key = null;
  if (keyText !== null && /^\d\.[^|]*\|/.test(keyText)) {
    p.add(
      keyAt,
      'is encrypted (a Bitwarden EncString): this file is an encrypted export with its "encrypted" flag removed',
    );
  } else if (keyText !== null) {
    const der = decodeBase64Field(p, keyText, keyAt, 'the private key');
    if (der) key = readKey(p, der.bytes, keyAt);
  }
  if (id === null || rpId === null || key === null) return null;
  if (!seen.check(p, id.id, member(at, 'credentialId'))) return null;
  return buildPasskey(
    options,
    {
      credentialId: id.id,
      rpId,
      userHandle,
      userName,
      userDisplayName,
      createdAt,
      // Passkeys Bitwarden imported from elsewhere keep their original provider, which the file does not name.
      aaguid: id.createdByBitwarden ? BITWARDEN_AAGUID : null,
      providerName: 'Bitwarden',
      discoverable: isDiscoverable,
      signCount,
      sourcePath: at,
    },
    key,
  );
}

export function parseBitwarden(doc: Record<string, unknown>, options: ParseOptions): ParsedImport {
  const encrypted = bitwardenEncryptedError(doc, options.fileName);
  if (encrypted) throw encrypted;
  const p = new Problems(options.fileName, 'bitwarden');
  return p.run(() => {
    const passkeys: ImportedPasskey[] = [];
    const seen = new SeenCredentialIds();
    const items = doc.items;
    if (!Array.isArray(items)) {
      p.add(
        'items',
        items === undefined ? 'is missing' : `should be an array, but it is ${describeType(items)}`,
      );
      return { format: 'bitwarden', exporter: 'Bitwarden', passkeys };
    }
    items.forEach((item: unknown, i) => {
      const itemAt = index('items', i);
      if (!isObject(item)) return p.add(itemAt, `should be an object, but it is ${describeType(item)}`);
      const login = item.login;
      if (login === undefined || login === null) return;
      if (!isObject(login))
        return p.add(member(itemAt, 'login'), `should be an object, but it is ${describeType(login)}`);
      const creds = login.fido2Credentials;
      const credsAt = member(member(itemAt, 'login'), 'fido2Credentials');
      if (creds === undefined || creds === null) return;
      if (!Array.isArray(creds))
        return p.add(credsAt, `should be an array, but it is ${describeType(creds)}`);
      creds.forEach((cred: unknown, j) => {
        const at = index(credsAt, j);
        if (!isObject(cred)) return p.add(at, `should be an object, but it is ${describeType(cred)}`);
        const passkey = readCredential(p, options, cred, at, seen);
        if (passkey) passkeys.push(passkey);
      });
    });
    return { format: 'bitwarden', exporter: 'Bitwarden', passkeys };
  }, WHAT_TO_DO);
}
