import { PasskeyDeskError } from '../errors';
import { clip } from './fields';
import { MAX_IMPORT_BYTES } from './types';

/**
 * Bytes or text of an import file → parsed JSON, with errors that say what the file is instead when it is not
 * JSON (a zip, a KeePass database, a CSV export), because "unexpected token" helps nobody.
 */

const EXPORT_AGAIN =
  'Export again as unencrypted JSON: Bitwarden "File format: .json", a KeePassXC ".passkey" file, or a Credential Exchange (CXF) JSON file.';

function invalid(fileName: string, message: string, details: Record<string, unknown> = {}): PasskeyDeskError {
  return new PasskeyDeskError('IMPORT_INVALID', `Cannot import "${fileName}": ${message}`, {
    file: fileName,
    ...details,
  });
}

const bytesText = (n: number): string => `${n.toLocaleString('en-US')} bytes`;

/**
 * A file over the limit: its exact size when known (from `stat`), else "more than" the limit (a device such as
 * /dev/zero, or a file that grew while it was read), so the two numbers in the message never look alike.
 */
export function tooLarge(fileName: string, size: number | null): PasskeyDeskError {
  const limit = `${bytesText(MAX_IMPORT_BYTES)} (${MAX_IMPORT_BYTES / (1024 * 1024)} MiB)`;
  const what =
    size === null
      ? `it holds more than ${limit}, the most an import file may hold`
      : `it is ${bytesText(size)}, and import files may be at most ${limit}`;
  return new PasskeyDeskError(
    'IMPORT_TOO_LARGE',
    `Cannot import "${fileName}": ${what}. ` +
      'Check that this is a passkey export; if it is, export fewer items (one folder or collection at a time) and import each file.',
    {
      file: fileName,
      limit: MAX_IMPORT_BYTES,
      ...(size === null ? { moreThan: MAX_IMPORT_BYTES } : { size }),
    },
  );
}

function startsWith(bytes: Uint8Array, magic: number[]): boolean {
  return magic.every((b, i) => bytes[i] === b);
}

/** Recognises binary files people pick by mistake. */
function binaryKind(bytes: Uint8Array): string | null {
  if (startsWith(bytes, [0x50, 0x4b, 0x03, 0x04])) return 'a zip archive (such as a 1Password .1pux export)';
  if (startsWith(bytes, [0x03, 0xd9, 0xa2, 0x9a])) return 'a KeePass database (.kdbx)';
  if (startsWith(bytes, [0x25, 0x50, 0x44, 0x46])) return 'a PDF document';
  return null;
}

export function decodeImportText(input: Uint8Array | string, fileName: string): string {
  if (typeof input === 'string') {
    // UTF-16 length is at most the UTF-8 byte length, so this never refuses a file the byte check would accept.
    if (input.length > MAX_IMPORT_BYTES) throw tooLarge(fileName, input.length);
    return input.replace(/^\uFEFF/, '');
  }
  if (input.length > MAX_IMPORT_BYTES) throw tooLarge(fileName, input.length);
  const kind = binaryKind(input);
  if (kind) {
    const hint = kind.includes('KeePass')
      ? 'KeePassXC keeps passkeys inside its encrypted database: export each passkey from KeePassXC as a ".passkey" file and import those.'
      : EXPORT_AGAIN;
    throw invalid(fileName, `this is ${kind}, not a passkey export. ${hint}`, { reason: 'wrong-format' });
  }
  try {
    return new TextDecoder('utf-8', { fatal: true }).decode(input).replace(/^\uFEFF/, '');
  } catch {
    throw invalid(fileName, `this is not a text file (it is not valid UTF-8). ${EXPORT_AGAIN}`, {
      reason: 'wrong-format',
    });
  }
}

/** Line and column (1-based) of a character offset, for "line 12, column 5" in messages. */
function lineColumn(text: string, offset: number): { line: number; column: number } {
  let line = 1;
  let lineStart = 0;
  for (let i = 0; i < offset && i < text.length; i++) {
    if (text.charCodeAt(i) === 10) {
      line++;
      lineStart = i + 1;
    }
  }
  return { line, column: offset - lineStart + 1 };
}

function looksLikeCsv(text: string): boolean {
  const firstLine = text.slice(0, 2000).split(/\r?\n/, 1)[0] ?? '';
  return firstLine.split(',').length >= 3 && !firstLine.trimStart().startsWith('{');
}

export function parseImportJson(text: string, fileName: string): unknown {
  const trimmed = text.trimStart();
  if (trimmed === '') throw invalid(fileName, `the file is empty. ${EXPORT_AGAIN}`, { reason: 'empty' });
  const first = trimmed[0];
  if (first !== '{' && first !== '[') {
    // JSON all the same (null, a number, a string): the format check says what it holds instead of an export.
    try {
      return JSON.parse(text) as unknown;
    } catch {
      // not JSON: say what it looks like
    }
    if (looksLikeCsv(trimmed)) {
      throw invalid(
        fileName,
        'this is a CSV file. CSV exports never include passkeys. In Bitwarden choose "File format: .json" when you export.',
        { reason: 'wrong-format' },
      );
    }
    throw invalid(fileName, `this is not JSON (it starts with "${clip(trimmed, 20)}"). ${EXPORT_AGAIN}`, {
      reason: 'wrong-format',
    });
  }
  try {
    return JSON.parse(text) as unknown;
  } catch (e) {
    const detail = e instanceof Error ? e.message : String(e);
    const pos = /position (\d+)/.exec(detail);
    const offset = pos ? Number(pos[1]) : null;
    // A parse error at the very end ("Unexpected end of JSON input", or "Unterminated string … at position N"
    // with N the length) means the text stops mid-value: a download or copy that was cut short.
    if (/end of (JSON )?(data|input)/i.test(detail) || (offset !== null && offset >= text.trimEnd().length)) {
      throw invalid(
        fileName,
        'the JSON ends in the middle (the file is truncated, perhaps by an interrupted download or copy). Nothing was imported. Export the file again.',
        { reason: 'truncated' },
      );
    }
    const at = offset === null ? null : lineColumn(text, offset);
    const where = at ? ` at line ${at.line}, column ${at.column}` : '';
    throw invalid(
      fileName,
      `the JSON is malformed${where}. Nothing was imported. Export the file again instead of editing it by hand.`,
      {
        reason: 'malformed',
        ...(at ?? {}),
      },
    );
  }
}
