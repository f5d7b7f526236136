import { PasskeyDeskError } from '../errors';
import { SeenCredentialIds, buildPasskey, credentialIdFromBase64, readKey } from './build';
import type { KeyReading } from './build';
import {
  decodeBase64Field,
  epochSecondsField,
  optionalString,
  requiredString,
  rpIdField,
  userHandleField,
} from './fields';
import { Problems, describeType, index, isObject, member } from './problems';
import type { ImportedPasskey, ParseOptions, ParsedImport } from './types';

/**
 * FIDO Credential Exchange Format (CXF, review draft 2025-03-13): a header with `accounts[]`, each with `items[]`,
 * each with `credentials[]` tagged by `type`. Only `type: "passkey"` is read; other credential types (passwords,
 * notes, …) are skipped, as the spec asks importers to do with types they do not handle.
 * A CXF passkey has no counter: exporters leave out passkeys with a non-zero counter, importers start at 0.
 */

const WHAT_TO_DO =
  'Export again from the password manager as an unencrypted Credential Exchange (CXF) JSON file and import it.';

export function isCxfDocument(doc: Record<string, unknown>): boolean {
  return Array.isArray(doc.accounts) || 'exporterRpId' in doc || ('hpke' in doc && 'payload' in doc);
}

/** A Credential Exchange Protocol response carries the CXF document HPKE-encrypted for the importing app. */
export function cxfEncryptedError(doc: Record<string, unknown>, fileName: string): PasskeyDeskError | null {
  if (!('hpke' in doc && 'payload' in doc) || Array.isArray(doc.accounts)) return null;
  return new PasskeyDeskError(
    'IMPORT_ENCRYPTED',
    `Cannot import "${fileName}": it is an encrypted Credential Exchange transfer (HPKE), meant for one receiving app. ` +
      'Export again from the password manager as a plain CXF JSON file, import it, then delete it: it holds your private keys in the clear.',
    { file: fileName, format: 'cxf' },
  );
}

function readPasskey(
  p: Problems,
  options: ParseOptions,
  cred: Record<string, unknown>,
  at: string,
  createdAt: string | null,
  exporter: string | null,
  seen: SeenCredentialIds,
): ImportedPasskey | null {
  const idText = requiredString(p, cred, at, 'credentialId');
  const id = idText === null ? null : credentialIdFromBase64(p, idText, member(at, 'credentialId'));
  const rpId = rpIdField(p, requiredString(p, cred, at, 'rpId'), member(at, 'rpId'));
  const userHandle = userHandleField(p, requiredString(p, cred, at, 'userHandle'), member(at, 'userHandle'));
  // The spec requires both names but lets users edit them; an empty one is still a usable passkey.
  const userName = optionalString(p, cred, at, 'username');
  const userDisplayName = optionalString(p, cred, at, 'userDisplayName');
  const keyText = requiredString(p, cred, at, 'key');
  let key: KeyReading | null = null;
  if (keyText !== null) {
    const der = decodeBase64Field(p, keyText, member(at, 'key'), 'the private key');
    if (der) key = readKey(p, der.bytes, member(at, 'key'));
  }
  if (id === null || rpId === null || key === null) return null;
  if (!seen.check(p, id, member(at, 'credentialId'))) return null;
  return buildPasskey(
    options,
    {
      credentialId: id,
      rpId,
      userHandle,
      userName,
      userDisplayName,
      createdAt,
      aaguid: null,
      providerName: exporter,
      discoverable: true,
      signCount: 0,
      sourcePath: at,
    },
    key,
  );
}

function arrayAt(
  p: Problems,
  obj: Record<string, unknown>,
  path: string,
  key: string,
  required: boolean,
): unknown[] {
  const value = obj[key];
  if (Array.isArray(value)) return value;
  if (value === undefined || value === null) {
    if (required) p.add(member(path, key), 'is missing');
  } else {
    p.add(member(path, key), `should be an array, but it is ${describeType(value)}`);
  }
  return [];
}

/** The CXF major version this reader follows (Review Draft 2025-03-13 is 1.0); a later minor adds only optional fields. */
const CXF_MAJOR = 1;

const isVersionNumber = (v: unknown): v is number => typeof v === 'number' && Number.isInteger(v) && v >= 0;

/**
 * The header's `version`: `{major, minor}` in whole numbers (the spec's shape), or one whole number as drafts
 * before 2025 wrote it (their exports are still read). Missing or of any other shape, the file is refused.
 */
function checkVersion(p: Problems, version: unknown): void {
  if (version === undefined)
    return p.add(
      'version',
      'is missing; a CXF file starts with its format version ({"major": 1, "minor": 0})',
    );
  if (isVersionNumber(version)) return;
  if (!isObject(version) || !isVersionNumber(version.major) || !isVersionNumber(version.minor))
    p.add(
      'version',
      `should be {"major": …, "minor": …} with whole numbers, but it is ${describeType(version)}`,
    );
}

/** A file in a later major version may mean anything: refused as a whole, saying what this build reads. */
function newerCxfVersion(doc: Record<string, unknown>, fileName: string): PasskeyDeskError | null {
  const v = doc.version;
  if (!isObject(v) || !isVersionNumber(v.major) || v.major <= CXF_MAJOR) return null;
  return new PasskeyDeskError(
    'IMPORT_INVALID',
    `Cannot import "${fileName}": it is a Credential Exchange file in format ${v.major}.${isVersionNumber(v.minor) ? v.minor : 'x'}, and this Passkey Desk reads format ${CXF_MAJOR}.x (CXF Review Draft 2025-03-13). Nothing was imported. Update Passkey Desk, or export from the password manager in CXF ${CXF_MAJOR}.x if it offers it.`,
    { file: fileName, format: 'cxf', version: v },
  );
}

export function parseCxf(doc: Record<string, unknown>, options: ParseOptions): ParsedImport {
  const encrypted = cxfEncryptedError(doc, options.fileName);
  if (encrypted) throw encrypted;
  const newer = newerCxfVersion(doc, options.fileName);
  if (newer) throw newer;
  const p = new Problems(options.fileName, 'cxf');
  return p.run(() => {
    checkVersion(p, doc.version);
    // Drafts before 2025 named the exporter `exporter`; later ones `exporterDisplayName` and `exporterRpId`.
    const exporter =
      optionalString(p, doc, '', 'exporterDisplayName') ??
      optionalString(p, doc, '', 'exporter') ??
      optionalString(p, doc, '', 'exporterRpId');
    const passkeys: ImportedPasskey[] = [];
    const seen = new SeenCredentialIds();
    arrayAt(p, doc, '', 'accounts', true).forEach((account: unknown, a) => {
      const accountAt = index('accounts', a);
      if (!isObject(account))
        return p.add(accountAt, `should be an object, but it is ${describeType(account)}`);
      arrayAt(p, account, accountAt, 'items', false).forEach((item: unknown, i) => {
        const itemAt = index(member(accountAt, 'items'), i);
        if (!isObject(item)) return p.add(itemAt, `should be an object, but it is ${describeType(item)}`);
        const createdAt = epochSecondsField(p, item.creationAt, member(itemAt, 'creationAt'));
        arrayAt(p, item, itemAt, 'credentials', false).forEach((cred: unknown, c) => {
          const at = index(member(itemAt, 'credentials'), c);
          if (!isObject(cred)) return p.add(at, `should be an object, but it is ${describeType(cred)}`);
          if (cred.type !== 'passkey') return;
          const passkey = readPasskey(p, options, cred, at, createdAt, exporter, seen);
          if (passkey) passkeys.push(passkey);
        });
      });
    });
    return { format: 'cxf', exporter, passkeys };
  }, WHAT_TO_DO);
}
