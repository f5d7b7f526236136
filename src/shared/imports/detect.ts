import { PasskeyDeskError } from '../errors';
import { bitwardenEncryptedError, isBitwardenExport } from './bitwarden';
import { cxfEncryptedError, isCxfDocument } from './cxf';
import { clip } from './fields';
import { isKeePassXcPasskey } from './keepassxc';
import { describeType, isObject } from './problems';
import type { ImportFormat } from './types';

/**
 * Which format a parsed JSON document is, from its shape alone (file names and extensions are unreliable:
 * people rename exports). Encrypted exports are recognised here so their error says "encrypted", not "invalid".
 */
export function detectFormat(doc: unknown, fileName: string): ImportFormat {
  if (!isObject(doc)) {
    throw new PasskeyDeskError(
      'IMPORT_INVALID',
      `Cannot import "${fileName}": the file is JSON but holds ${describeType(doc)} at the top, not a passkey export. ` +
        'Import a Bitwarden ".json" export, a KeePassXC ".passkey" file or a Credential Exchange (CXF) JSON file.',
      { file: fileName, reason: 'wrong-format' },
    );
  }
  const encrypted = bitwardenEncryptedError(doc, fileName) ?? cxfEncryptedError(doc, fileName);
  if (encrypted) throw encrypted;
  if (isBitwardenExport(doc)) return 'bitwarden';
  if (isCxfDocument(doc)) return 'cxf';
  if (isKeePassXcPasskey(doc)) return 'keepassxc';
  const keys = Object.keys(doc)
    .slice(0, 8)
    .map((k) => clip(k, 30));
  throw new PasskeyDeskError(
    'IMPORT_INVALID',
    `Cannot import "${fileName}": this JSON is not a format Passkey Desk knows (its top-level fields are ${keys.length ? keys.join(', ') : 'none'}). ` +
      'Import a Bitwarden ".json" export, a KeePassXC ".passkey" file or a Credential Exchange (CXF) JSON file.',
    { file: fileName, reason: 'wrong-format', fields: keys },
  );
}
