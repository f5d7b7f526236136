import { PasskeyDeskError, missingCase } from '../errors';
import { parseBitwarden } from './bitwarden';
import { parseCxf } from './cxf';
import { detectFormat } from './detect';
import { parseKeePassXc } from './keepassxc';
import { isObject } from './problems';
import { decodeImportText, parseImportJson } from './text';
import type { ImportFormat, ParseOptions, ParsedImport } from './types';

const NO_PASSKEYS_HINT: Readonly<Record<ImportFormat, string>> = {
  bitwarden:
    'None of its logins has a passkey (login.fido2Credentials). Check that you exported the vault or organisation that holds your passkeys.',
  keepassxc: 'Export the entry that holds the passkey from KeePassXC.',
  cxf: 'Check that the exporter included passkeys (it leaves out passkeys whose signature counter is not zero).',
};

/**
 * Reads one import file (bytes or text) and returns every passkey in it, or throws one PasskeyDeskError
 * (IMPORT_INVALID, IMPORT_ENCRYPTED, IMPORT_TOO_LARGE) naming the file, the field and what to do.
 * All or nothing: a file with any invalid passkey yields none. Pure: the renderer can preview with it.
 */
export function parseImport(input: Uint8Array | string, options: ParseOptions): ParsedImport {
  const doc = parseImportJson(decodeImportText(input, options.fileName), options.fileName);
  const format = detectFormat(doc, options.fileName);
  if (!isObject(doc)) throw new Error('detectFormat accepted a non-object'); // unreachable: narrows the type
  const parsed = parseFormat(format, doc, options);
  if (parsed.passkeys.length === 0) {
    throw new PasskeyDeskError(
      'IMPORT_INVALID',
      `Cannot import "${options.fileName}": it is a valid ${format === 'cxf' ? 'Credential Exchange' : format === 'bitwarden' ? 'Bitwarden' : 'KeePassXC'} file but holds no passkeys. ${NO_PASSKEYS_HINT[format]}`,
      { file: options.fileName, format, reason: 'no-passkeys' },
    );
  }
  return parsed;
}

function parseFormat(
  format: ImportFormat,
  doc: Record<string, unknown>,
  options: ParseOptions,
): ParsedImport {
  switch (format) {
    case 'bitwarden':
      return parseBitwarden(doc, options);
    case 'keepassxc':
      return parseKeePassXc(doc, options);
    case 'cxf':
      return parseCxf(doc, options);
    default:
      return missingCase(format);
  }
}
