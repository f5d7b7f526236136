export { ImportedFilesStore } from './imported-files-store';
export type { ImportResult, ImportedFilesOptions } from './imported-files-store';
export { ExportFileStore } from './export-store';
export { readImportFile, exportStoreId } from './read-file';
export type { ImportFile, ReadImport } from './read-file';
export { IMPORTS_FILE } from './records';
export type { ImportedFileRecord } from './records';
export { moveIntoVault, planVaultMove, toVaultImport } from './to-vault';
export type { VaultImporter, VaultMoveOutcome, VaultMovePlan } from './to-vault';
