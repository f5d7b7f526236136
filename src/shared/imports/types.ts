import type { Passkey } from '../model';

/** The export formats Passkey Desk reads. */
export type ImportFormat = 'bitwarden' | 'keepassxc' | 'cxf';

export const IMPORT_FORMAT_NAMES: Readonly<Record<ImportFormat, string>> = {
  bitwarden: 'Bitwarden export',
  keepassxc: 'KeePassXC passkey',
  cxf: 'Credential Exchange file',
};

/** COSE algorithms a passkey's private key may use. */
export type KeyAlgorithm = -7 | -8 | -257;

/**
 * A private key read from an export. Kept only in memory, between reading a file and moving a passkey into the
 * vault: an inventory import never writes it anywhere.
 */
export interface ImportedPrivateKey {
  format: 'pkcs8-der';
  algorithm: KeyAlgorithm;
  bytes: Uint8Array;
}

export interface ImportedPasskey extends Passkey {
  /** null when the file holds no usable key (see `keyProblem`). */
  privateKey: ImportedPrivateKey | null;
  /** Why `privateKey` is null although the file had a key field (e.g. an unknown curve), in plain words. */
  keyProblem: string | null;
  /** The signature counter the file carries (0 when it has none, as CXF requires). */
  signCount: number;
  /** Where this passkey sits in the file, as a JSON path (`items[3].login.fido2Credentials[0]`). */
  sourcePath: string;
}

export interface ParsedImport {
  format: ImportFormat;
  /** The program that wrote the file, when it says (CXF `exporterDisplayName`). */
  exporter: string | null;
  passkeys: ImportedPasskey[];
}

export interface ParseOptions {
  /** Shown in every error message, so a person knows which file is wrong. */
  fileName: string;
  /** The store id the passkeys are listed under (`export:<hash>`); the renderer's preview can pass any id. */
  storeId: string;
}

/** One thing wrong in a file: where (a JSON path) and what. */
export interface ImportProblem {
  path: string;
  message: string;
}

/** Larger files are refused before they are read: no real export of passkeys comes near this. */
export const MAX_IMPORT_BYTES = 10 * 1024 * 1024;
