import { createHash } from 'node:crypto';
import { open, stat } from 'node:fs/promises';
import { basename, resolve } from 'node:path';
import { PasskeyDeskError } from '../../../shared/errors';
import { isObject } from '../../../shared/imports/problems';
import { parseImport } from '../../../shared/imports/parse';
import { tooLarge } from '../../../shared/imports/text';
import { MAX_IMPORT_BYTES } from '../../../shared/imports/types';
import type { ParsedImport } from '../../../shared/imports/types';
import { checkImportLimits } from './limits';

export interface ImportFile {
  path: string;
  fileName: string;
  size: number;
  /** SHA-256 of the content, hex: the same export imported twice is one store. */
  sha256: string;
  /** `export:<first 12 hex digits of sha256>`. */
  storeId: string;
}

export interface ReadImport {
  file: ImportFile;
  /** Holds private keys: keep it in memory only as long as a move into the vault needs it. */
  parsed: ParsedImport;
}

export function exportStoreId(sha256: string): string {
  return `export:${sha256.slice(0, 12)}`;
}

/** Which CXF header member the exporter's name came from (the parser takes the first non-empty one of these). */
function exporterMember(bytes: Uint8Array): string {
  const doc: unknown = JSON.parse(new TextDecoder().decode(bytes).replace(/^\uFEFF/, ''));
  const header = isObject(doc) ? doc : {};
  return (
    ['exporterDisplayName', 'exporter', 'exporterRpId'].find(
      (k) => typeof header[k] === 'string' && header[k] !== '',
    ) ?? 'exporterDisplayName'
  );
}

function cannotRead(path: string, e: unknown): PasskeyDeskError {
  const code = (e as { code?: string }).code;
  const fileName = basename(path);
  const why =
    code === 'ENOENT'
      ? 'the file does not exist (moved or deleted?)'
      : code === 'EACCES' || code === 'EPERM'
        ? 'Passkey Desk may not read it (check the file permissions)'
        : code === 'EISDIR'
          ? 'it is a folder, not a file'
          : `it cannot be read (${code ?? (e instanceof Error ? e.message : String(e))})`;
  return new PasskeyDeskError('NOT_FOUND', `Cannot import "${fileName}": ${why}.`, { file: fileName });
}

/**
 * Reads and parses one export. The size is checked before anything is read, so a huge file picked by mistake
 * costs nothing; the read itself is capped too, in case the file grows in between.
 */
export async function readImportFile(path: string): Promise<ReadImport> {
  const fileName = basename(path);
  let size: number;
  try {
    const info = await stat(path);
    if (info.isDirectory()) throw Object.assign(new Error('directory'), { code: 'EISDIR' });
    size = info.size;
  } catch (e) {
    throw cannotRead(path, e);
  }
  if (size > MAX_IMPORT_BYTES) throw tooLarge(fileName, size);
  let bytes: Uint8Array;
  try {
    bytes = await readCapped(path, size, fileName);
  } catch (e) {
    if (e instanceof PasskeyDeskError) throw e;
    throw cannotRead(path, e);
  }
  const sha256 = createHash('sha256').update(bytes).digest('hex');
  const file: ImportFile = {
    path: resolve(path),
    fileName,
    size: bytes.length,
    sha256,
    storeId: exportStoreId(sha256),
  };
  try {
    const parsed = parseImport(bytes, { fileName, storeId: file.storeId });
    // Text longer than the vault allows refuses the whole file, as any other invalid field does.
    checkImportLimits(parsed, fileName, () => exporterMember(bytes));
    return { file, parsed };
  } finally {
    // The raw bytes hold private keys and are no longer needed (the parsed keys are copies). JavaScript strings
    // cannot be wiped, so this only shortens how long one copy lives; it is cheap, so do it.
    bytes.fill(0);
  }
}

/** Reads to the end but never more than the limit, even if the file grew after `stat`. */
async function readCapped(path: string, expected: number, fileName: string): Promise<Uint8Array> {
  const handle = await open(path, 'r');
  try {
    let buffer = Buffer.alloc(Math.min(expected, MAX_IMPORT_BYTES) + 1);
    let length = 0;
    for (;;) {
      if (length === buffer.length) {
        if (length > MAX_IMPORT_BYTES) throw tooLarge(fileName, null);
        const bigger = Buffer.alloc(Math.min(buffer.length * 2, MAX_IMPORT_BYTES + 1));
        buffer.copy(bigger, 0, 0, length);
        buffer.fill(0);
        buffer = bigger;
      }
      // Sequential reads (no position): a pipe or process substitution (`import <(…)`) reads like a file.
      const { bytesRead } = await handle.read(buffer, length, buffer.length - length, null);
      if (bytesRead === 0) break;
      length += bytesRead;
    }
    if (length > MAX_IMPORT_BYTES) throw tooLarge(fileName, null);
    return buffer.subarray(0, length);
  } finally {
    await handle.close();
  }
}
