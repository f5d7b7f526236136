import { PasskeyDeskError } from '../../../shared/errors';
import { toInventoryPasskey } from '../../../shared/imports/strip';
import { IMPORT_FORMAT_NAMES } from '../../../shared/imports/types';
import type { ParsedImport } from '../../../shared/imports/types';
import { withProviderName } from '../../../shared/providers';
import { withLock } from '../../fs/lock';
import type { PasskeyStore, StoreProvider } from '../store';
import { ExportFileStore } from './export-store';
import { readImportFile } from './read-file';
import type { ImportFile } from './read-file';
import { loadRecords, saveRecords } from './records';
import type { ImportedFileRecord } from './records';

export interface ImportedFilesOptions {
  dataDir: string;
  now?: () => Date;
}

export interface ImportResult {
  record: ImportedFileRecord;
  /** With private keys, for a move into the vault right after; drop it when done. */
  parsed: ParsedImport;
  /** The same content was imported before (same store id); its record was refreshed, not duplicated. */
  alreadyImported: boolean;
}

const LOCK = 'imported-files';

/**
 * The export stores: one read-only store per imported file, remembered in the data folder (metadata only) so
 * they persist across runs, and removable when the user no longer wants them in the inventory.
 */
export class ImportedFilesStore implements StoreProvider {
  private readonly now: () => Date;
  readonly whenUnreadable = { id: 'export', kind: 'export', label: 'Imported exports' } as const;

  constructor(private readonly options: ImportedFilesOptions) {
    this.now = options.now ?? (() => new Date());
  }

  async stores(): Promise<PasskeyStore[]> {
    return (await loadRecords(this.options.dataDir)).map((r) => new ExportFileStore(r));
  }

  records(): Promise<ImportedFileRecord[]> {
    return loadRecords(this.options.dataDir);
  }

  /** Reads, parses and records one export. Nothing is recorded when the file is invalid. */
  async importFile(path: string): Promise<ImportResult> {
    const { file, parsed } = await readImportFile(path);
    const record = this.toRecord(file, parsed);
    const alreadyImported = await withLock(this.options.dataDir, LOCK, async () => {
      const records = await loadRecords(this.options.dataDir);
      const at = records.findIndex((r) => r.id === record.id);
      if (at >= 0) records[at] = record;
      else records.push(record);
      await saveRecords(this.options.dataDir, records);
      return at >= 0;
    });
    return { record, parsed, alreadyImported };
  }

  /** Forgets an imported file. The file itself, wherever it is, is left alone. */
  async remove(storeId: string): Promise<ImportedFileRecord> {
    return withLock(this.options.dataDir, LOCK, async () => {
      const records = await loadRecords(this.options.dataDir);
      const found = records.find((r) => r.id === storeId);
      if (!found)
        throw new PasskeyDeskError(
          'NOT_FOUND',
          `No imported file has the store id "${storeId}". List them with \`passkey-desk stores\`.`,
        );
      await saveRecords(
        this.options.dataDir,
        records.filter((r) => r.id !== storeId),
      );
      return found;
    });
  }

  /** Re-reads a recorded file (for a move into the vault later); refuses if its content changed since. */
  async reread(storeId: string): Promise<ParsedImport> {
    const record = (await loadRecords(this.options.dataDir)).find((r) => r.id === storeId);
    if (!record) throw new PasskeyDeskError('NOT_FOUND', `No imported file has the store id "${storeId}".`);
    const { file, parsed } = await readImportFile(record.path);
    if (file.storeId !== record.id) {
      throw new PasskeyDeskError(
        'CONFLICT',
        `"${record.fileName}" has changed since it was imported (it is a different export now). Import it again, then move passkeys from the new store.`,
        { file: record.fileName },
      );
    }
    return parsed;
  }

  private toRecord(file: ImportFile, parsed: ParsedImport): ImportedFileRecord {
    return {
      id: file.storeId,
      format: parsed.format,
      label: `${IMPORT_FORMAT_NAMES[parsed.format]} (${file.fileName})`,
      fileName: file.fileName,
      path: file.path,
      sha256: file.sha256,
      size: file.size,
      importedAt: this.now().toISOString(),
      exporter: parsed.exporter,
      movableCount: parsed.passkeys.filter((p) => p.privateKey?.algorithm === -7).length,
      passkeys: parsed.passkeys.map((p) => withProviderName(toInventoryPasskey(p))),
    };
  }
}
