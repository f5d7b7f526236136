/** The import parsers' public surface: pure, environment-free (renderer, main and tests alike). */
export { parseImport } from './parse';
export { detectFormat } from './detect';
export { toInventoryPasskey } from './strip';
export { IMPORT_FORMAT_NAMES, MAX_IMPORT_BYTES } from './types';
export type {
  ImportFormat,
  ImportProblem,
  ImportedPasskey,
  ImportedPrivateKey,
  KeyAlgorithm,
  ParseOptions,
  ParsedImport,
} from './types';
