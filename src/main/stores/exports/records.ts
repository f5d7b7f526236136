import { join } from 'node:path';
import { z } from 'zod';
import { PasskeyDeskError } from '../../../shared/errors';
import { STORE_KINDS } from '../../../shared/model';
import type { Passkey } from '../../../shared/model';
import { writeFileAtomic } from '../../fs/atomic';
import { readDataFile } from '../../fs/errors';

/**
 * The imported-files list in the data folder: which exports were imported and the passkey metadata read from
 * them, so export stores survive restarts (and the user can delete the plaintext export afterwards).
 * Private keys are never written here: `toInventoryPasskey` strips them before a record is built.
 */

export const IMPORTS_FILE = 'imported-files.json';
const FORMAT = 'passkey-desk-imported-files';
const VERSION = 1;

const passkey = z.object({
  store: z.string(),
  storeKind: z.enum(STORE_KINDS as [Passkey['storeKind'], ...Passkey['storeKind'][]]),
  credentialId: z.string(),
  rpId: z.string(),
  userHandle: z.string().nullable(),
  userName: z.string().nullable(),
  userDisplayName: z.string().nullable(),
  nickname: z.string().nullable(),
  createdAt: z.string().nullable(),
  lastUsedAt: z.string().nullable(),
  algorithm: z.number().nullable(),
  aaguid: z.string().nullable(),
  providerName: z.string().nullable(),
  backupEligible: z.boolean().nullable(),
  backedUp: z.boolean().nullable(),
  discoverable: z.boolean().nullable(),
  removable: z.boolean(),
});

const record = z.object({
  /** `export:<hash>`, the store id. */
  id: z.string(),
  format: z.enum(['bitwarden', 'keepassxc', 'cxf']),
  label: z.string(),
  fileName: z.string(),
  /** Where the file was when imported; used to read it again for a move into the vault. */
  path: z.string(),
  sha256: z.string(),
  size: z.number().int().nonnegative(),
  importedAt: z.string(),
  exporter: z.string().nullable(),
  /** How many passkeys carried a private key Passkey Desk's vault can take (ES256). */
  movableCount: z.number().int().nonnegative(),
  passkeys: z.array(passkey),
});

const file = z.object({ format: z.literal(FORMAT), version: z.number().int(), files: z.array(record) });

export type ImportedFileRecord = z.infer<typeof record>;

export function importsPath(dataDir: string): string {
  return join(dataDir, IMPORTS_FILE);
}

export async function loadRecords(dataDir: string): Promise<ImportedFileRecord[]> {
  const text = await readDataFile(importsPath(dataDir));
  if (text === null) return [];
  let parsed: z.infer<typeof file>;
  try {
    parsed = file.parse(JSON.parse(text));
  } catch (e) {
    throw new PasskeyDeskError(
      'DATA_CORRUPT',
      `The list of imported files (${IMPORTS_FILE} in the data folder) is damaged: ${e instanceof Error ? e.message.slice(0, 200) : String(e)}. ` +
        'Delete that file and import your exports again; it holds only metadata, no keys.',
      { file: IMPORTS_FILE },
    );
  }
  if (parsed.version > VERSION) {
    throw new PasskeyDeskError(
      'DATA_TOO_NEW',
      `${IMPORTS_FILE} was written by a newer Passkey Desk (format version ${parsed.version}; this one reads ${VERSION}). Update Passkey Desk.`,
      { file: IMPORTS_FILE },
    );
  }
  return parsed.files;
}

export async function saveRecords(dataDir: string, records: ImportedFileRecord[]): Promise<void> {
  const content = { format: FORMAT, version: VERSION, files: records };
  await writeFileAtomic(importsPath(dataDir), `${JSON.stringify(content)}\n`);
}
